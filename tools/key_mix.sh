#!/bin/sh
# Builds the inputs of BENCHMARKS.md "Key on a mix of romanizations, against uconv" in DIR (default /tmp/keymix):
#
#   mix.txt     every romanization column (3rd onwards) of tests/data/eval/items.tsv and of
#               tests/data/eval/{be,bg,mk,sr,uk}/items.tsv, one form per line, in file order, the whole repeated
#               REPEAT times (default 4: 19,020,448 bytes, 1,440,272 lines). Third-party romanizations (iuliia, ICU,
#               unidecode, anyascii, translitua, latynkatar...): ISO 9 circumflexes, ALA-LC ties U+0361, ʹ ʺ.
#   cyr_ru.txt  the `cyrillic` column of tests/data/eval/items.tsv, repeated to about 20 MB.
#   cyr_LANG.txt  the same for tests/data/eval/LANG/items.tsv (be bg mk sr uk).
#
# Deterministic: the same checkout gives the same bytes (sha256sum them). Run from the repository root.
# Usage: tools/key_mix.sh [DIR] [REPEAT]
set -eu
dir=${1:-/tmp/keymix}
repeat=${2:-4}
eval=tests/data/eval
mkdir -p "$dir"

once="$dir/mix_once.txt"
: > "$once"
for f in "$eval/items.tsv" "$eval/be/items.tsv" "$eval/bg/items.tsv" "$eval/mk/items.tsv" "$eval/sr/items.tsv" \
    "$eval/uk/items.tsv"; do
    tail -n +2 "$f" | cut -f3- | tr '\t' '\n' >> "$once"
done
: > "$dir/mix.txt"
i=0
while [ "$i" -lt "$repeat" ]; do
    cat "$once" >> "$dir/mix.txt"
    i=$((i + 1))
done
rm "$once"

# Cyrillic, one file per language, each repeated to at least 20,000,000 bytes.
cyr() {
    src=$1
    out=$2
    tail -n +2 "$src" | cut -f2 > "$out.once"
    size=$(wc -c < "$out.once")
    n=$(( (20000000 + size - 1) / size ))
    : > "$out"
    i=0
    while [ "$i" -lt "$n" ]; do
        cat "$out.once" >> "$out"
        i=$((i + 1))
    done
    rm "$out.once"
}
cyr "$eval/items.tsv" "$dir/cyr_ru.txt"
for l in be bg mk sr uk; do
    cyr "$eval/$l/items.tsv" "$dir/cyr_$l.txt"
done
wc -lc "$dir"/*.txt
