# Shell functions the benchmark and evaluation scripts share; sourced, not run.

# Makes the virtual environment VENV with trafilatura in it (TRAFILATURA_VERSION, 2.0.0 by
# default), unless it has it already.
ensure_trafilatura() {
    local venv=$1
    if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import trafilatura' 2>/dev/null; then
        echo "== installing trafilatura into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --upgrade pip
        "$venv/bin/pip" install --quiet "trafilatura==${TRAFILATURA_VERSION:-2.0.0}"
    fi
}

# F1 (with its ±) of one `BIN eval --gold GOLD ARGS...` run, then its precision and recall
# when FULL is 1: `eval_scores BIN GOLD FULL ARGS...`.
eval_scores() {
    local bin=$1 gold=$2 full=$3
    shift 3
    "$bin" eval --gold "$gold" "$@" | awk -v full="$full" '
        $1 == "precision" { p = $2 }
        $1 == "recall" { r = $2 }
        $1 == "F1" { f = $2 " ± " $3 }
        END { printf "%-16s", f; if (full) printf "  P %s  R %s", p, r }'
}
