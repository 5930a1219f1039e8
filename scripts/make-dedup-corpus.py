#!/usr/bin/env python3
"""Builds a JSONL corpus for the dedup throughput benchmark: N documents of about 3 KB made
of sentences of real articles (the article extraction benchmark's gold bodies), a fifth of
them edited copies of an earlier document (2% of words changed, maybe a paragraph dropped or
added, maybe truncated). Deterministic for a given seed.

    scripts/make-dedup-corpus.py OUT.jsonl [N] [SEED]
"""
import json
import random
import sys

import dedup_corpus as dc


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    texts = dc.bodies()
    pool = dc.sentences(texts)
    vocab = dc.vocabulary(texts)
    docs = []
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            if docs and rng.random() < 0.2:
                text, _ = dc.site_copy(rng.choice(docs[-5000:]), 0.02, rng, vocab, pool)
            else:
                paras, size = [], 0
                while size < 3000:
                    para = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
                    paras.append(para)
                    size += len(para) + 2
                text = "\n\n".join(paras) + "\n"
                docs.append(text)
            f.write(json.dumps({"id": f"doc{i:06d}", "text": text}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
