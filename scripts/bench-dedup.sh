#!/usr/bin/env bash
# Dedup throughput against datasketch, in one run so machine load cancels out in the ratio.
# Installs datasketch from PyPI into a venv under target/, builds a corpus of DOCS (default
# 100,000) documents of about 3 KB from real article sentences (a fifth of them edited copies),
# and times `newsclean dedup --jobs 1` and datasketch MinHash(num_perm=128) + MinHashLSH
# (threshold 0.8), each pinned to one core. Prints documents per CPU-second and per wall
# second for both, the ratio, peak memory, and newsclean's index memory per document.
# Each tool runs RUNS times (default 2) and its fastest run by CPU time counts: the first
# run of a process that allocates a few hundred MB can spend a second more in the kernel
# than the next one, which would decide a 5-second measurement.
#
#   scripts/bench-dedup.sh            # DOCS=20000 RUNS=1 scripts/bench-dedup.sh for a quick run
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DOCS=${DOCS:-100000}
WORK=target/dedup-bench
VENV=target/bench-venv
mkdir -p "$WORK"

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -c 'import datasketch' 2>/dev/null || "$VENV/bin/pip" install -q datasketch
cargo build --release -q

CORPUS="$WORK/corpus-$DOCS.jsonl"
if [ ! -s "$CORPUS" ]; then
    python3 scripts/make-dedup-corpus.py "$CORPUS.tmp" "$DOCS" && mv "$CORPUS.tmp" "$CORPUS"
fi
echo "corpus: $CORPUS ($(wc -l <"$CORPUS") documents, $(du -m "$CORPUS" | cut -f1) MB)"
cat "$CORPUS" >/dev/null # into the page cache for both

pin=()
command -v taskset >/dev/null 2>&1 && pin=(taskset -c 0)

measure() { # label, command...: appends "label wall user sys maxrss_kb" to the results
    local label=$1
    shift
    local times="$WORK/time-$label"
    /usr/bin/time -f "%e %U %S %M" -o "$times" "${pin[@]}" "$@"
    read -r wall user sys rss <"$times"
    echo "$label $wall $user $sys $rss" >>"$WORK/results"
}

rm -f "$WORK/results"
rm -rf "$WORK/out"
RUNS=${RUNS:-2}
for ((run = 1; run <= RUNS; run++)); do
    rm -rf "$WORK/out"
    measure newsclean ./target/release/newsclean dedup "$CORPUS" --jsonl --jobs 1 -o "$WORK/out"
    measure datasketch "$VENV/bin/python" scripts/bench_datasketch.py "$CORPUS"
done

echo
echo "every run (tool, wall s, user s, sys s, peak KB):"
sed 's/^/  /' "$WORK/results"
awk -v docs="$DOCS" '
{
    runs[$1]++
    if (!($1 in cpu) || $3 + $4 < cpu[$1]) { wall[$1] = $2; cpu[$1] = $3 + $4; rss[$1] = $5 }
}
END {
    printf "%-11s %10s %10s %12s %12s %10s\n", "tool", "wall s", "cpu s", "docs/cpu-s", "docs/wall-s", "peak MB"
    for (t in wall)
        printf "%-11s %10.2f %10.2f %12.0f %12.0f %10.0f\n", t, wall[t], cpu[t], docs / cpu[t], docs / wall[t], rss[t] / 1024
    printf "ratio (newsclean / datasketch, docs per CPU-second): %.1fx\n", cpu["datasketch"] / cpu["newsclean"]
    printf "newsclean peak memory per document: %.0f bytes (whole process)\n", rss["newsclean"] * 1024 / docs
}' "$WORK/results"
