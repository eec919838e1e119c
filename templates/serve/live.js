// live.js: loaded only by the pages that `wpgen serve` serves (the files
// in out/ never refer to it).  It listens to the server's events: after
// a successful build the page reloads; after a failed one the build's
// diagnostics (path:line:column: error: ...) cover the top of the page,
// which stays the last good one, until the next good build.
(function () {
	"use strict";
	var script = document.currentScript;
	var build = script ? script.getAttribute("data-build") : null;
	var ja = (document.documentElement.lang || "").slice(0, 2) === "ja";
	var overlay = null;

	function show(text) {
		if (overlay === null) {
			overlay = document.createElement("div");
			overlay.id = "wpgen-build-errors";
			overlay.setAttribute("role", "alert");
			overlay.style.cssText = "position:fixed;top:0;left:0;" +
			    "right:0;max-height:60vh;overflow:auto;" +
			    "z-index:2147483647;margin:0;padding:1em 1.5em;" +
			    "background:#fff4f4;color:#5c0011;" +
			    "border-bottom:3px solid #c00;" +
			    "box-shadow:0 2px 8px rgba(0,0,0,.3);" +
			    "font:14px/1.5 system-ui,sans-serif";
			var title = document.createElement("strong");
			title.textContent = ja ?
			    "ビルドに失敗しました。表示しているのは最後に成功したビルドのページです。" :
			    "The build failed; this page is from the last good build.";
			var pre = document.createElement("pre");
			pre.style.cssText = "margin:.5em 0 0;white-space:pre-wrap;" +
			    "font:13px/1.5 ui-monospace,monospace";
			overlay.appendChild(title);
			overlay.appendChild(pre);
			document.body.appendChild(overlay);
		}
		overlay.lastChild.textContent = text;
	}

	function hide() {
		if (overlay !== null) {
			overlay.remove();
			overlay = null;
		}
	}

	var events = new EventSource("/__wpgen/events");
	events.addEventListener("state", function (e) {
		var state = JSON.parse(e.data);
		if (!state.ok) {
			show(state.diagnostics);
		} else if (String(state.build) !== build) {
			events.close();
			location.reload();
		} else {
			hide();
		}
	});
})();
