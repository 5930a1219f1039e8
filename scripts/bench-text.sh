#!/usr/bin/env bash
# Throughput of `newsclean clean` on page dumps.
#
# Builds the release binary and a corpus of about 200 MB made by repeating the benchmark's
# text dumps, in two shapes: many small files (one folder per copy) and one JSONL file of the
# same documents. Then it cleans each shape with one worker thread and with two, and prints
# input size, wall time, CPU time (user + sys) and the throughput by each.
#
# The corpus is the same dumps over and over, so it runs with `--no-dedup`: with dedup on,
# all but one copy of each page would be dropped, and the repeated-line detector leaves
# copies of one story alone. What is measured is cleaning (rules and detectors) and writing;
# `scripts/bench-dedup.sh` measures dedup on a corpus made for it. DEDUP=1 runs with dedup on
# (the default of `clean`): every copy of a page after the first is then dropped, compared
# with its kept copy in removed.diff and shown in report.html, the heaviest case of the end
# of a run with dedup.
#
# The folder shape spends much of its wall time creating output files, which is the file
# system's cost more than newsclean's, so user and sys CPU are shown apart. The corpus is
# kept under target/bench-text/ and reused by later runs.
#
# Outputs go under target/bench-text/, or under OUT_ROOT when set. The folder shape writes
# one clean file per document, and a disk file system can be slow to make thousands of
# files right after the last run's were deleted (ext4 looks for inodes not recently freed),
# which shows as sys time that has nothing to do with newsclean: OUT_ROOT=/dev/shm/bench
# (a RAM file system) measures the program without it.
#
# A larger corpus shows what the default size does not: how the run scales once its memory
# is many times the processor's caches (the allocator's free lists, the survey's tables) and,
# past a fifth of the memory available, a run read twice. COPIES=750 makes about 1.3 GB per
# shape, and three to four times that of output under OUT_ROOT.
#
# Usage: scripts/bench-text.sh          (COPIES=125 by default, RUNS=1 per configuration)
#        COPIES=10 RUNS=3 scripts/bench-text.sh
#        COPIES=750 OUT_ROOT=/dev/shm/bench scripts/bench-text.sh
#        OUT_ROOT=/dev/shm/bench scripts/bench-text.sh
#        DEDUP=1 OUT_ROOT=/dev/shm/bench scripts/bench-text.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source_dir=${SOURCE_DIR:-$root/../shared/data/article-extraction-benchmark/text}
copies=${COPIES:-125}
runs=${RUNS:-1}
work=$root/target/bench-text
out_root=${OUT_ROOT:-$work}
corpus_dir=$work/corpus-$copies
corpus_jsonl=$work/corpus-$copies.jsonl
bin=$root/target/release/newsclean
dedup_flag=--no-dedup
if [[ ${DEDUP:-0} == 1 ]]; then
    dedup_flag=
fi

if [[ ! -d $source_dir ]]; then
    echo "bench-text: no page dumps at $source_dir (set SOURCE_DIR)" >&2
    exit 2
fi

echo "== building release binary"
(cd "$root" && cargo build --release --quiet)

mkdir -p "$work" "$out_root"

# Many files: COPIES folders, each holding every dump. The stamp file is written last, so an
# interrupted build is redone rather than measured.
if [[ ! -f $corpus_dir/.complete ]]; then
    echo "== building $corpus_dir ($copies copies of $source_dir)"
    rm -rf "$corpus_dir"
    mkdir -p "$corpus_dir"
    for ((i = 0; i < copies; i++)); do
        copy=$corpus_dir/copy-$(printf '%04d' "$i")
        mkdir "$copy"
        cp "$source_dir"/*.txt "$copy"/
    done
    touch "$corpus_dir/.complete"
fi

# One JSONL file of the same documents, ids made unique per copy. Perl is used for the JSON
# string escaping because it is on every fresh Unix system (perl-base is essential on Debian).
if [[ ! -f $corpus_jsonl ]]; then
    echo "== building $corpus_jsonl"
    perl -e '
        use strict;
        my ($copies, @files) = @ARGV;
        my @records;
        for my $file (@files) {
            open(my $in, "<:raw", $file) or die "$file: $!";
            local $/;
            my $text = <$in>;
            close $in;
            $text =~ s/([\\"])/\\$1/g;
            $text =~ s/\n/\\n/g;
            $text =~ s/\r/\\r/g;
            $text =~ s/\t/\\t/g;
            $text =~ s/([\x00-\x1f])/sprintf("\\u%04x", ord $1)/ge;
            (my $id = $file) =~ s{.*/}{};
            $id =~ s/\.txt$//;
            push @records, [$id, $text];
        }
        for my $copy (0 .. $copies - 1) {
            for my $record (@records) {
                printf "{\"id\":\"%04d/%s\",\"text\":\"%s\"}\n", $copy, $record->[0], $record->[1];
            }
        }
    ' "$copies" "$source_dir"/*.txt > "$corpus_jsonl.tmp"
    mv "$corpus_jsonl.tmp" "$corpus_jsonl"
fi

folder_bytes=$(find "$corpus_dir" -name '*.txt' -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
jsonl_bytes=$(wc -c < "$corpus_jsonl")

# Peak memory needs GNU time; without it the column is left empty.
gnu_time=
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true > /dev/null 2>&1; then
    gnu_time=/usr/bin/time
fi

printf '\n%-8s %-3s %9s %8s %8s %8s %10s %10s %9s\n' \
    shape jobs input_MB wall_s user_s sys_s MB/s_wall MB/s_cpu peak_MB
run() {
    local shape=$1 jobs=$2 input=$3 bytes=$4
    shift 4
    local out=$out_root/out-$shape-j$jobs
    local timing=$work/timing.txt log=$work/run.log rss=$work/rss.txt
    for ((r = 0; r < runs; r++)); do
        rm -rf "$out"
        local TIMEFORMAT='%R %U %S'
        if [[ -n $gnu_time ]]; then
            { time "$gnu_time" -f %M -o "$rss" "$bin" clean "$input" -o "$out" -j "$jobs" -q ${dedup_flag:+"$dedup_flag"} "$@" 2> "$log"; } 2> "$timing"
        else
            { time "$bin" clean "$input" -o "$out" -j "$jobs" -q ${dedup_flag:+"$dedup_flag"} "$@" 2> "$log"; } 2> "$timing"
            echo "" > "$rss"
        fi
        read -r wall user sys < "$timing"
        awk -v shape="$shape" -v jobs="$jobs" -v bytes="$bytes" -v wall="$wall" \
            -v user="$user" -v sys="$sys" -v rss="$(cat "$rss")" 'BEGIN {
                mb = bytes / 1e6; cpu = user + sys
                peak = rss == "" ? "-" : sprintf("%.0f", rss / 1024)
                printf "%-8s %-3s %9.1f %8.2f %8.2f %8.2f %10.1f %10.1f %9s\n",
                    shape, jobs, mb, wall, user, sys, mb / wall, mb / cpu, peak
            }'
    done
}

run folder 1 "$corpus_dir" "$folder_bytes"
run folder 2 "$corpus_dir" "$folder_bytes"
run jsonl 1 "$corpus_jsonl" "$jsonl_bytes" --format jsonl
run jsonl 2 "$corpus_jsonl" "$jsonl_bytes" --format jsonl

echo
echo "MB = 10^6 bytes of input; MB/s_cpu = input MB per CPU-second (user + sys)."
if [[ -n $dedup_flag ]]; then
    echo "Dedup: off (--no-dedup; DEDUP=1 turns it on)."
else
    echo "Dedup: on."
fi
echo "Outputs are in $out_root/out-*; the corpus is reused by later runs."
