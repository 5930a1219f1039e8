#!/usr/bin/env python3
"""Real copies: each page of the article extraction benchmark as two documents, its whole-page
text dump (with chrome) and its gold article body, cleaned together by `newsclean clean`.

Reports how many of the pages have their two copies in one cluster, and fails if any cluster
holds documents of two different pages. Usage:

    scripts/dedup-pairs.py [BENCHMARK_DIR] [-- extra newsclean clean arguments]

BENCHMARK_DIR defaults to ../shared/data/article-extraction-benchmark (from the repository).
Needs a release build (`cargo build --release`).
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        at = args.index("--")
        args, extra = args[:at], args[at + 1:]
    bench = args[0] if args else os.path.join(ROOT, "..", "shared", "data", "article-extraction-benchmark")
    gold = json.load(open(os.path.join(bench, "ground-truth.json"), encoding="utf-8"))
    binary = os.path.join(ROOT, "target", "release", "newsclean")
    with tempfile.TemporaryDirectory() as temp:
        pages = os.path.join(temp, "pages")
        os.mkdir(pages)
        ids = []
        for page_id, entry in sorted(gold.items()):
            dump = os.path.join(bench, "text", page_id + ".txt")
            if not os.path.exists(dump):
                continue
            ids.append(page_id)
            with open(dump, "rb") as f:
                raw = f.read()
            with open(os.path.join(pages, page_id + ".dump.txt"), "wb") as f:
                f.write(raw)
            with open(os.path.join(pages, page_id + ".gold.txt"), "w", encoding="utf-8") as f:
                f.write(entry["articleBody"])
        out = os.path.join(temp, "out")
        run = subprocess.run([binary, "clean", pages, "-o", out, "--quiet"] + extra)
        if run.returncode != 0:
            sys.exit(f"newsclean clean failed with status {run.returncode}")
        cluster_of = {}
        for n, line in enumerate(open(os.path.join(out, "duplicates.jsonl"), encoding="utf-8")):
            cluster = json.loads(line)
            for member in [cluster["kept"]] + [m["id"] for m in cluster["members"]]:
                cluster_of[member] = n
        members = {}
        for doc, n in cluster_of.items():
            members.setdefault(n, set()).add(doc.rsplit(".", 1)[0])
        mixed = [sorted(pages_in) for pages_in in members.values() if len(pages_in) > 1]
        paired = [p for p in ids if p + ".dump" in cluster_of and cluster_of.get(p + ".dump") == cluster_of.get(p + ".gold")]
        missed = [p for p in ids if p not in paired]
        scores = {}
        for line in open(os.path.join(out, "report.jsonl"), encoding="utf-8"):
            r = json.loads(line)
            if r["duplicate_of"] is not None:
                scores[r["id"].rsplit(".", 1)[0]] = (r["similarity"], r["containment"])
    share = len(paired) / len(ids) if ids else 0.0
    print(f"pages: {len(ids)}")
    print(f"pairs clustered: {len(paired)} ({100 * share:.1f}%)")
    print(f"clusters mixing different pages: {len(mixed)}")
    for pages_in in mixed:
        print("  mixed:", ", ".join(pages_in))
    if missed:
        print("pairs not clustered:", " ".join(m[:12] for m in missed))
    sims = sorted(s for s, _ in scores.values())
    if sims:
        print(f"similarity of clustered pairs: min {sims[0]:.3f}, median {sims[len(sims) // 2]:.3f}")
    sys.exit(1 if mixed else 0)


if __name__ == "__main__":
    main()
