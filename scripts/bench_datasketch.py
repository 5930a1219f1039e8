"""The anchor of the dedup benchmark: datasketch MinHash (128 permutations) and MinHashLSH
(threshold 0.8) over the same word 3-shingles newsclean uses, each document queried against
the kept ones and kept when nothing matches. Prints documents and copies found.

    python bench_datasketch.py CORPUS.jsonl
"""
import json
import re
import sys

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")


def main():
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    docs = copies = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            words = WORD.findall(record["text"].lower())
            shingles = {" ".join(words[i:i + 3]).encode("utf-8") for i in range(max(1, len(words) - 2))}
            m = MinHash(num_perm=128)
            m.update_batch(list(shingles))
            docs += 1
            if lsh.query(m):
                copies += 1
            else:
                lsh.insert(record["id"], m)
    print(json.dumps({"documents": docs, "copies": copies}))


if __name__ == "__main__":
    main()
