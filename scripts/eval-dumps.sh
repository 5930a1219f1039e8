#!/usr/bin/env bash
# Accuracy on page dumps made by other tools: how much the text pipeline depends on the way a
# scraper turned the page into text.
#
# The benchmark's text dumps were made with one renderer (html-text). Scrapers use others,
# and each cuts a page into lines its own way: a text browser keeps the layout, and
# BeautifulSoup's `get_text("\n")` puts a line break at every tag, so a paragraph with a
# link in it comes out as several lines and a comment's "Name says:" as two. This script
# installs three renderers from PyPI into a virtual environment under target/eval-dumps/
# (once), renders the benchmark's HTML pages with each into a folder of whole-page text
# dumps, and scores `newsclean clean` on each folder against the same gold bodies, next to
# the dumps themselves with nothing removed:
#   - html-text: the renderer of the benchmark's own text dumps;
#   - inscriptis: a text-browser rendering that keeps the page's layout;
#   - bs4: BeautifulSoup with lxml, `get_text("\n")`.
#
# Usage: scripts/eval-dumps.sh           (PAGES defaults to the benchmark's html/ folder,
#                                         GOLD to its ground-truth.json, DUMPS to a folder
#                                         under target/eval-dumps/)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
data=$root/../shared/data/article-extraction-benchmark
pages=${PAGES:-$data/html}
gold=${GOLD:-$data/ground-truth.json}
work=$root/target/eval-dumps
venv=$work/venv
bin=$root/target/release/newsclean

if [[ ! -d $pages || ! -f $gold ]]; then
    echo "eval-dumps: no pages at $pages or no gold at $gold (set PAGES and GOLD)" >&2
    exit 2
fi

mkdir -p "$work"
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import html_text, inscriptis, bs4, lxml' 2>/dev/null; then
    echo "== installing html-text, inscriptis, beautifulsoup4 and lxml into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet "html-text==0.7.*" "inscriptis==2.*" "beautifulsoup4==4.*" "lxml==6.*"
fi

echo "== building release binary"
(cd "$root" && cargo build --release --quiet)

cat >"$work/render.py" <<'PY'
import gzip, pathlib, sys

import html_text
from bs4 import BeautifulSoup
from inscriptis import get_text

renderers = {
    "html-text": html_text.extract_text,
    "inscriptis": get_text,
    "bs4": lambda page: BeautifulSoup(page, "lxml").get_text("\n"),
}
source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for name in renderers:
    (target / name).mkdir(parents=True, exist_ok=True)
for path in sorted(source.glob("*.htm*")):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    page = data.decode("utf-8", errors="replace")
    stem = path.name.removesuffix(".gz").rsplit(".", 1)[0]
    for name, render in renderers.items():
        (target / name / f"{stem}.txt").write_text(render(page), encoding="utf-8")
PY

# The dumps are rendered once per folder of pages: .complete names the folder they came from.
dumps=${DUMPS:-$work/dumps}
if [[ ! -f $dumps/.complete || $(cat "$dumps/.complete") != "$pages" ]]; then
    echo "== rendering $pages"
    rm -rf "$dumps"
    "$venv/bin/python" "$work/render.py" "$pages" "$dumps"
    printf '%s' "$pages" >"$dumps/.complete"
fi

printf '%-11s  %-16s  %-16s\n' renderer "dump as it is" "newsclean clean"
for name in html-text inscriptis bs4; do
    folder=$dumps/$name
    printf '%-11s  %s  %s\n' "$name" "$(eval_scores "$bin" "$gold" 0 --pred "$folder")" "$(eval_scores "$bin" "$gold" 1 "$folder")"
done
