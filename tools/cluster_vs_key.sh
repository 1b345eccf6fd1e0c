#!/usr/bin/env bash
# The goal "bibkey cluster on 1M lines within 3x the time of bibkey key on the same lines" (BENCHMARKS.md), measured
# the way BENCHMARKS.md reports it: the two commands one after the other, ROUNDS times, user time of each; prints the
# min and the median of each and their ratios. The shared machine's load moves single runs by 10-40 %, so compare
# mins of many alternating rounds, not single runs.
#
# usage: tools/cluster_vs_key.sh [FILE] [ROUNDS] [BIBKEY]
#   FILE    one title per line; default: the million synthetic titles, made on first use with
#           `cargo run --release --example synth -- 1000000 1 | cut -f2` into /tmp/titles-1m.txt
#   ROUNDS  default 10
#   BIBKEY  the binary; default target/release/bibkey (built with `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-/tmp/titles-1m.txt}
rounds=${2:-10}
bin=${3:-target/release/bibkey}
if [ ! -f "$bin" ]; then
    cargo build --release
fi
if [ ! -f "$file" ]; then
    cargo run --release --example synth -- 1000000 1 | cut -f2 > "$file"
fi
key_times=()
cluster_times=()
for _ in $(seq "$rounds"); do
    key_times+=("$( { /usr/bin/time -f %U "$bin" key < "$file" > /dev/null; } 2>&1 )")
    cluster_times+=("$( { /usr/bin/time -f %U "$bin" cluster --quiet "$file" > /dev/null; } 2>&1 )")
done
# min and median (the lower middle for an even count) of a list of times
stats() { printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1 } END { printf "%s %s", t[1], t[int((NR + 1) / 2)] }'; }
read -r key_min key_med <<< "$(stats "${key_times[@]}")"
read -r cluster_min cluster_med <<< "$(stats "${cluster_times[@]}")"
echo "bibkey key:     min ${key_min} s, median ${key_med} s (${rounds} rounds)"
echo "bibkey cluster: min ${cluster_min} s, median ${cluster_med} s"
awk -v a="$cluster_min" -v b="$key_min" -v c="$cluster_med" -v d="$key_med" \
    'BEGIN { printf "cluster / key:  %.2fx on the mins, %.2fx on the medians\n", a / b, c / d }'
