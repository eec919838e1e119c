/*
 * toc.js: marks the entry of the contents (#wp-toc) of the section being
 * read with aria-current="location" as the reader scrolls, and keeps it
 * in view in the contents when they scroll in themselves (the side
 * contents of a wide screen).  A page gets it only when its style opts
 * in (style.yaml `scripts: [toc.js]`); content never brings a script.
 * Without it (or without JavaScript) the contents work the same,
 * unmarked.
 */
(function () {
  'use strict';
  var toc = document.getElementById('wp-toc');
  if (!toc || !document.querySelectorAll) return;
  var entries = [];
  var links = toc.querySelectorAll('a[href^="#"]');
  for (var i = 0; i < links.length; i++) {
    /* the attribute as written (#{{anchor}}, not percent-encoded):
     * decoding it would throw on an anchor with a '%' */
    var target = document.getElementById(
      links[i].getAttribute('href').slice(1));
    if (target) entries.push({ link: links[i], target: target });
  }
  var current = null, pending = false;

  function update() {
    pending = false;
    /* the last section whose start is above the top third */
    var line = window.innerHeight / 3, found = null;
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].target.getBoundingClientRect().top > line) break;
      found = entries[i].link;
    }
    if (found === current) return;
    if (current) current.removeAttribute('aria-current');
    current = found;
    if (!current) return;
    current.setAttribute('aria-current', 'location');
    if (toc.scrollHeight > toc.clientHeight) {
      var t = current.offsetTop;
      if (t < toc.scrollTop || t > toc.scrollTop + toc.clientHeight - 40)
        toc.scrollTop = t - toc.clientHeight / 3;
    }
  }

  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }
  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  update();
}());
