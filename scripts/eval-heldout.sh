#!/usr/bin/env bash
# Accuracy on news pages the rules and detectors were not developed on, next to trafilatura's.
#
# The article extraction benchmark in ../shared is what newsclean is measured on every day,
# so its score can flatter rules and thresholds that happen to suit its 181 pages. This
# script scores newsclean on another set: the real news pages that newspaper4k ships as test
# fixtures in its source package on PyPI (CNN, Time, Wired, Xinhua, Nikkei, BBC Burmese,
# Prachatai, ... in eleven languages), each with the article text newspaper4k is tested to
# extract. That text is the gold here. It is one extractor's expected output, checked by its
# authors, not an annotation made for a benchmark, so read the figures as agreement with it.
#
# It downloads the source package (pinned), builds a folder of pages and a gold file in the
# benchmark's format (a page whose HTML is also another gold text's page is left out, since
# one of the two golds cannot be its article), installs trafilatura from PyPI into a virtual
# environment, and prints, all scored by `newsclean eval` in this run:
#   - the HTML pages: newsclean clean, and trafilatura's extract() of the same pages;
#   - whole-page text dumps of the same pages made by three renderers (scripts/eval-dumps.sh):
#     the dump as it is, and newsclean clean.
#
# Usage: scripts/eval-heldout.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
source "$root/scripts/lib.sh"
work=$root/target/eval-heldout
venv=$work/venv
bin=$root/target/release/newsclean
package=newspaper4k==0.9.6

mkdir -p "$work"
ensure_trafilatura "$venv"

set_dir=$work/set
if [[ ! -f $set_dir/.complete ]]; then
    echo "== downloading the source package of $package"
    rm -rf "$work/sdist" "$set_dir"
    "$venv/bin/pip" download --quiet --no-binary :all: --no-deps -d "$work/sdist" "$package"
    mkdir -p "$work/sdist/src"
    tar -xzf "$work/sdist"/newspaper4k-*.tar.gz -C "$work/sdist/src"
    "$venv/bin/python" - "$work/sdist/src" "$set_dir" <<'PY'
import hashlib, json, pathlib, sys

source = next(pathlib.Path(sys.argv[1]).glob("*/tests/data"))
target = pathlib.Path(sys.argv[2])
(target / "html").mkdir(parents=True)
pages = {}
for text in sorted((source / "txt").glob("*.txt")):
    page = source / "html" / (text.stem + ".html")
    if page.exists():
        pages[text.stem] = (page, text)
digests = {stem: hashlib.sha256(page.read_bytes()).hexdigest() for stem, (page, _) in pages.items()}
by_digest = {}
for stem, digest in digests.items():
    by_digest.setdefault(digest, []).append(stem)
gold = {}
for stem, (page, text) in pages.items():
    twins = by_digest[digests[stem]]
    if len(twins) > 1:
        print(f"left out {stem}: the same page as {', '.join(t for t in twins if t != stem)}")
        continue
    url = None
    meta = source / "metadata" / (text.stem + ".json")
    if meta.exists():
        url = json.loads(meta.read_text(encoding="utf-8")).get("url")
    (target / "html" / page.name).write_bytes(page.read_bytes())
    gold[stem] = {"articleBody": text.read_text(encoding="utf-8"), "url": url}
(target / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
print(f"{len(gold)} pages with a gold text")
PY
    touch "$set_dir/.complete"
fi
pages=$set_dir/html
gold=$set_dir/gold.json

echo "== building release binary"
(cd "$root" && cargo build --release --quiet)

pred=$work/trafilatura
rm -rf "$pred"
"$venv/bin/python" - "$pages" "$pred" <<'PY'
import pathlib, sys
import trafilatura

source, target = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
target.mkdir(parents=True)
for path in sorted(source.glob("*.html")):
    text = trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""
    (target / (path.stem + ".txt")).write_text(text, encoding="utf-8")
PY

echo "== HTML pages"
printf '%-12s F1 %s\n' newsclean "$(eval_scores "$bin" "$gold" 1 "$pages")"
printf '%-12s F1 %s\n' trafilatura "$(eval_scores "$bin" "$gold" 1 --pred "$pred")"
echo "== text dumps"
PAGES=$pages GOLD=$gold DUMPS=$work/dumps "$root/scripts/eval-dumps.sh" | grep -v '^== building'
