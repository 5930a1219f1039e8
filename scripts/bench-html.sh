#!/usr/bin/env bash
# Speed of article extraction from HTML: newsclean against trafilatura, in the same run.
#
# Installs trafilatura from PyPI into a virtual environment under target/bench-html/ (once),
# builds the release binary, then alternates RUNS timings of each tool over the article
# benchmark's pages, one thread each:
#   - trafilatura: `trafilatura.extract()` on every page, the pages read and decompressed
#     before the clock starts;
#   - newsclean: `newsclean clean PAGES -o OUT --jobs 1` wall time, which also reads and
#     decompresses the pages and writes the clean text, report.jsonl and removed.diff.
# It prints the best docs/s of each and the ratio. Alternating the runs and comparing a
# ratio keeps the load of other work on the machine out of the comparison as far as it can.
#
# Usage: scripts/bench-html.sh            (RUNS=3 by default)
#        RUNS=5 PAGES=/path/to/html scripts/bench-html.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
pages=${PAGES:-$root/../shared/data/article-extraction-benchmark/html}
runs=${RUNS:-3}
work=$root/target/bench-html
venv=$work/venv
bin=$root/target/release/newsclean

if [[ ! -d $pages ]]; then
    echo "bench-html: no pages at $pages (set PAGES)" >&2
    exit 2
fi

mkdir -p "$work"
ensure_trafilatura "$venv"

echo "== building release binary"
(cd "$root" && cargo build --release --quiet)

count=$(find "$pages" -name '*.htm*' | wc -l)
echo "== $count pages in $pages, $runs runs each, one thread"

cat >"$work/trafilatura_time.py" <<'PY'
import gzip, pathlib, sys, time
import trafilatura

pages = []
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.htm*")):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    pages.append(data.decode("utf-8", errors="replace"))
start = time.perf_counter()
for page in pages:
    trafilatura.extract(page)
print(time.perf_counter() - start)
PY

best_traf=""
best_ours=""
for ((run = 1; run <= runs; run++)); do
    traf=$("$venv/bin/python" "$work/trafilatura_time.py" "$pages")
    out=$work/out
    rm -rf "$out"
    start=$(date +%s.%N)
    "$bin" clean "$pages" -o "$out" --jobs 1 --quiet
    end=$(date +%s.%N)
    ours=$(echo "$end - $start" | bc -l)
    printf 'run %d: trafilatura %.2f s, newsclean %.2f s\n' "$run" "$traf" "$ours"
    if [[ -z $best_traf ]] || (($(echo "$traf < $best_traf" | bc -l))); then best_traf=$traf; fi
    if [[ -z $best_ours ]] || (($(echo "$ours < $best_ours" | bc -l))); then best_ours=$ours; fi
done

traf_rate=$(echo "$count / $best_traf" | bc -l)
ours_rate=$(echo "$count / $best_ours" | bc -l)
printf 'trafilatura  %8.1f docs/s  (best of %d)\n' "$traf_rate" "$runs"
printf 'newsclean    %8.1f docs/s  (best of %d)\n' "$ours_rate" "$runs"
printf 'ratio        %8.2fx\n' "$(echo "$ours_rate / $traf_rate" | bc -l)"
