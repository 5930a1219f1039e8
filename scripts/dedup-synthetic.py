#!/usr/bin/env python3
"""Synthetic copies: pairwise precision and recall of `newsclean clean`'s dedup per edit rate.

Real article text (the article extraction benchmark's gold bodies of at least 80 words) is
each base story; every base gets COPIES site copies with a share of words replaced, then one
of: nothing more, a dropped paragraph, an added paragraph, or truncation to 70-90%; each copy
gets chrome lines around it. All bases and copies of one edit rate go through `clean`
together. A pair of documents is a true pair when they come from one base; a predicted pair
when `duplicates.jsonl` puts them in one cluster. Prints a table; needs a release build.

Word edits on both copies quickly push a pair below the similarity thresholds (each changed
word changes three 3-word shingles), and such a pair is not a near-duplicate by the
definition the tool applies. So the table also counts the true pairs that do meet a
threshold, measured on their clean texts (Jaccard of word 3-shingles at or above 0.8, or
containment at or above 0.9, computed here in Python with `[^\W_]+` words; newsclean's own
word rules differ slightly), and how many of them are both still in the output ("left"):
copies that LSH candidates and verification should have caught. A pair meeting a threshold
can rightly stay apart in the clusters when one of them joined a third copy's cluster (a copy
is compared with kept copies only, so clusters do not chain), but not both in the output.

    scripts/dedup-synthetic.py [--copies 2] [--seed 7] [-- extra newsclean clean arguments]
"""
import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import dedup_corpus as dc

RATES = [0.0, 0.01, 0.02, 0.05, 0.10, 0.20]


def pairs_of(groups):
    pairs = set()
    for members in groups:
        pairs.update(itertools.combinations(sorted(members), 2))
    return pairs


def shingles(text):
    words = re.findall(r"[^\W_]+", text.lower())
    if len(words) < 3:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def meets_threshold(a, b, similarity=0.8, containment=0.9):
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= similarity or shared / min(len(a), len(b)) >= containment


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    binary = os.path.join(dc.ROOT, "target", "release", "newsclean")
    texts = [t for t in dc.bodies() if len(t.split()) >= 80]
    pool = dc.sentences(texts)
    vocab = dc.vocabulary(texts)
    print(f"{len(texts)} base stories, {args.copies} copies each")
    print(f"{'edit rate':>9} {'docs':>5} {'true pairs':>10} {'found':>6} {'precision':>9} {'recall':>7} "
          f"{'above thr.':>10} {'left':>5}   recall by kind")
    for rate in RATES:
        rng = random.Random(args.seed * 1000 + int(rate * 1000))
        with tempfile.TemporaryDirectory() as temp:
            folder = os.path.join(temp, "in")
            os.mkdir(folder)
            base_of, kind_of = {}, {}
            for b, text in enumerate(texts):
                name = f"s{b:03d}-base"
                base_of[name] = b
                with open(os.path.join(folder, name + ".txt"), "w", encoding="utf-8") as f:
                    f.write(text + "\n")
                for c in range(args.copies):
                    copy, kind = dc.site_copy(text, rate, rng, vocab, pool)
                    name = f"s{b:03d}-copy{c}"
                    base_of[name] = b
                    kind_of[name] = kind
                    with open(os.path.join(folder, name + ".txt"), "w", encoding="utf-8") as f:
                        f.write(copy)
            out = os.path.join(temp, "out")
            # Copies are written too, so their clean texts can be compared here.
            run = subprocess.run(
                [binary, "clean", folder, "-o", out, "--quiet", "--keep-duplicates"] + args.extra)
            if run.returncode != 0:
                sys.exit(f"newsclean clean failed with status {run.returncode}")
            clusters = []
            for line in open(os.path.join(out, "duplicates.jsonl"), encoding="utf-8"):
                c = json.loads(line)
                clusters.append([c["kept"]] + [m["id"] for m in c["members"]])
            clean = {}
            for name in base_of:
                path = os.path.join(out, "clean", name + ".txt")
                with open(path, encoding="utf-8") as f:
                    clean[name] = shingles(f.read())
        truth = {}
        for name, b in base_of.items():
            truth.setdefault(b, []).append(name)
        true_pairs = pairs_of(truth.values())
        found = pairs_of(clusters)
        tp = len(true_pairs & found)
        precision = tp / len(found) if found else 1.0
        recall = tp / len(true_pairs) if true_pairs else 1.0
        above = {p for p in true_pairs if meets_threshold(clean[p[0]], clean[p[1]])}
        dropped = {m for members in clusters for m in members[1:]}
        left = sum(1 for a, b in above if a not in dropped and b not in dropped)
        # Recall of each copy against its base, by the kind of edit it had.
        by_kind = {}
        together = {}
        for n, members in enumerate(clusters):
            for m in members:
                together[m] = n
        for name, kind in kind_of.items():
            base = name.split("-")[0] + "-base"
            hit = name in together and together.get(base) == together[name]
            ok, total = by_kind.get(kind, (0, 0))
            by_kind[kind] = (ok + hit, total + 1)
        kinds = ", ".join(f"{k} {ok / total:.2f}" for k, (ok, total) in sorted(by_kind.items()))
        print(f"{rate:>9.2f} {len(base_of):>5} {len(true_pairs):>10} {len(found):>6} {precision:>9.3f} {recall:>7.3f} "
              f"{len(above):>10} {left:>5}   {kinds}")


if __name__ == "__main__":
    main()
