#!/bin/sh
# Alternating rounds of `bibkey key` and ICU's `uconv -x Russian-Latin/BGN` on one file, both under `nice -n 10`,
# printing the user CPU time of each run (GNU time's %U) and, at the end, the best and the median of each side.
# The machine is shared: user time moves far less with the load than wall time does, and alternating rounds see the
# same load. Output goes to /dev/null. Extra binaries after the file are timed in the same rounds (A/B of builds).
#
# Usage: tools/key_vs_uconv.sh FILE ROUNDS BIBKEY [BIBKEY...]
# Example: tools/key_vs_uconv.sh /tmp/keymix/mix.txt 7 target/release/bibkey
set -eu
file=$1
rounds=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=1
while [ "$r" -le "$rounds" ]; do
    /usr/bin/time -f %U -a -o "$tmp/uconv" nice -n 10 uconv -x Russian-Latin/BGN < "$file" > /dev/null
    n=0
    for bin in "$@"; do
        /usr/bin/time -f %U -a -o "$tmp/bibkey$n" nice -n 10 "$bin" key < "$file" > /dev/null
        n=$((n + 1))
    done
    r=$((r + 1))
done
summary() {
    sort -n "$1" | awk -v name="$2" '{ v[NR] = $1 } END {
        printf "%-40s runs %s  best %.2f s  median %.2f s  all:", name, NR, v[1], v[int((NR + 1) / 2)];
        for (i = 1; i <= NR; i++) printf " %.2f", v[i]; printf "\n" }'
}
summary "$tmp/uconv" "uconv -x Russian-Latin/BGN"
n=0
for bin in "$@"; do
    summary "$tmp/bibkey$n" "$bin key"
    n=$((n + 1))
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
