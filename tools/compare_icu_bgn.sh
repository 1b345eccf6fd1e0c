#!/bin/sh
# Compare bibkey's BGN/PCGN tables with ICU's BGN transliterators on words of the Debian hunspell dictionaries.
#
#   apt-get install icu-devtools hunspell-uk hunspell-be hunspell-bg hunspell-sr
#   cargo build && tools/compare_icu_bgn.sh [N]        # N words per language (default 400)
#
# For each language it takes every k-th Cyrillic word of /usr/share/hunspell/<dict>.dic (deterministic), romanizes
# it with `uconv -x <Lang>-Latin/BGN` and with `bibkey romanize -s <scheme>`, and prints the number of words that
# differ and the first differing pairs. The tables' notes explain each class of difference; nothing here is read
# by the build or the tests.
set -eu
export LC_ALL=C.UTF-8
N=${1:-400}
BIBKEY=${BIBKEY:-target/debug/bibkey}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for row in "uk uk_UA Ukrainian uk-bgn-pcgn" "be be_BY Belarusian be-bgn-pcgn" "bg bg_BG Bulgarian bg-bgn-pcgn" \
    "sr sr_RS Serbian sr-bgn-pcgn"; do
    set -- $row
    dic=/usr/share/hunspell/$2.dic
    [ -f "$dic" ] || { echo "$1: $dic missing"; continue; }
    # Words only (no /flags), Cyrillic letters and apostrophes only, at least two letters.
    sed 1d "$dic" | cut -d/ -f1 | grep -P "^[\p{Cyrillic}'’ʼ]{2,}$" > "$TMP/all" || true
    total=$(wc -l < "$TMP/all")
    step=$(( total / N )); [ "$step" -ge 1 ] || step=1
    awk -v s="$step" -v n="$N" 'NR % s == 0 && c < n { print; c++ }' "$TMP/all" > "$TMP/words"
    uconv -f utf-8 -t utf-8 -x "$3-Latin/BGN; Any-NFC" < "$TMP/words" > "$TMP/icu"
    "$BIBKEY" romanize -s "$4" < "$TMP/words" > "$TMP/ours"
    paste "$TMP/words" "$TMP/icu" "$TMP/ours" | awk -F'\t' -v lang="$1" -v scheme="$4" '
        { n++ } $2 != $3 { d++; if (shown < 15) { print "  " $1 "\tICU " $2 "\tours " $3; shown++ } }
        END { printf "%s (%s): %d words, %d differ\n\n", lang, scheme, n, d }'
done
