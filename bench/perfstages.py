#!/usr/bin/env python3
"""bench/perfstages.py: the samples of a `perf record --call-graph dwarf`
of `wpgen build`, by stage of the build.

    perf record --call-graph dwarf,16384 -F 4000 -o perf.data \\
        ./wpgen build --quiet --content CORPUS --out OUT --jobs 1
    python3 bench/perfstages.py perf.data

A sample counts for the first stage in the list below whose functions are
on its stack (so a summary's labels count as summary, not as labels).
The stages follow docs/architecture.md; rename a function in src/ and
its stage here.  bench/README.md has what it printed.
"""
import collections
import subprocess
import sys

STAGES = [
    ("site pages, manifest, summaries (parent)",
     ["build_site_pages", "merge_worker"]),
    ("edition summary (for the site pages)", ["wp_page_edition_summary"]),
    ("read + parse Markdown (cmark-gfm, wpgen's walk)",
     ["wp_edition_read", "wp_edition_read_target"]),
    ("translation view", ["wp_edition_publish"]),
    ("page context (labels, xref rows, toc, revisions)",
     ["edition_context", "edition_labels"]),
    ("body HTML (cmark render, heading templates)", ["wp_html_render_body"]),
    ("page template render", ["render"]),
    ("xref.json + xref.csv", ["wp_xref_write_json", "wp_xref_write_csv"]),
    ("writing files + output digests, swap into out/",
     ["write_out", "copy_out", "link_out", "commit_swap"]),
    ("input digests (manifest)",
     ["service_inputs_get", "digest_service", "digest_lang_dir",
      "wp_digest_tree", "digest_global", "tool_digest"]),
    ("freeing documents", ["wp_edition_free"]),
    ("service.yaml + lock read in the process that builds the service",
     ["read_job"]),
    ("project open, templates, catalogs",
     ["wp_project_open", "plan_jobs", "prepare_pages"]),
    ("process start and exit", ["_dl_start", "_dl_start_user", "exit"]),
]


def stacks(data):
    out = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, check=True).stdout
    for block in out.split("\n\n"):
        names = set()
        for line in block.strip().split("\n"):
            parts = line.split(None, 1)
            if len(parts) == 2:
                names.add(parts[1].replace(" (inlined)", ""))
        if names:
            yield names


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: bench/perfstages.py perf.data")
    counts = collections.Counter()
    total = 0
    for names in stacks(sys.argv[1]):
        total += 1
        for stage, functions in STAGES:
            if names.intersection(functions):
                counts[stage] += 1
                break
        else:
            counts["other"] += 1
    for stage, n in counts.most_common():
        print("%5.1f %%  %s" % (100.0 * n / max(total, 1), stage))
    print("%d samples" % total)


if __name__ == "__main__":
    main()
