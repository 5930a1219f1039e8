"""Helpers shared by the dedup scripts: real article text from the article extraction
benchmark, cut into sentences and paragraphs, and the edits that turn a story into another
site's copy of it (changed words, a dropped or added paragraph, chrome, truncation)."""
import json
import os
import random
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "..", "shared", "data", "article-extraction-benchmark")

CHROME = [
    "Skip to content", "Home", "News", "World", "Advertisement", "Share this article",
    "Follow us on Facebook", "Sign up for our newsletter", "Read more", "Most popular",
    "Comments", "© 2024 All rights reserved", "Related stories", "Subscribe now",
]


def bodies(bench=BENCH):
    """The gold article bodies, in id order."""
    gold = json.load(open(os.path.join(bench, "ground-truth.json"), encoding="utf-8"))
    return [gold[k]["articleBody"] for k in sorted(gold)]


def paragraphs(text):
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def sentences(texts):
    pool = []
    for text in texts:
        for p in paragraphs(text):
            pool.extend(s for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 20)
    return pool


def edit_words(text, rate, rng, vocabulary):
    """Replaces each word with probability `rate` by a word from `vocabulary`."""
    out = []
    for line in text.split("\n"):
        words = line.split(" ")
        out.append(" ".join(rng.choice(vocabulary) if w and rng.random() < rate else w for w in words))
    return "\n".join(out)


def site_copy(text, rate, rng, vocabulary, pool):
    """Another site's copy: word edits at `rate`, then one of: nothing more, the last
    paragraph dropped, a paragraph added, or the text cut at 70-90%; chrome lines around."""
    body = edit_words(text, rate, rng, vocabulary)
    paras = paragraphs(body)
    kind = rng.choice(["edits", "dropped-paragraph", "added-paragraph", "truncated"])
    if kind == "dropped-paragraph" and len(paras) > 2:
        paras.pop(rng.randrange(len(paras)))
    elif kind == "added-paragraph":
        paras.insert(rng.randrange(len(paras) + 1), " ".join(rng.choice(pool) for _ in range(3)))
    elif kind == "truncated":
        keep = max(1, int(len(paras) * rng.uniform(0.7, 0.9)))
        paras = paras[:keep]
    head = rng.sample(CHROME, 3)
    tail = rng.sample(CHROME, 3)
    return "\n".join(head + [""] + ["\n\n".join(paras)] + [""] + tail) + "\n", kind


def vocabulary(texts):
    words = [w for t in texts for w in t.split() if w.isalpha()]
    return sorted(set(words))
