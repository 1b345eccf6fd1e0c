#!/usr/bin/env bash
# ACCURACY.md's generated sections (from its start to the end of "Other Cyrillic languages") must be what the
# examples print now: regenerate them and compare. Run from the repository root; needs only cargo.
set -euo pipefail
gen=$(mktemp)
trap 'rm -f "$gen"' EXIT
{
    cargo run -q --release --example accuracy
    cargo run -q --release --example names_accuracy
    echo
    cargo run -q --release --example languages_accuracy
} > "$gen"
if ! head -c "$(wc -c < "$gen")" ACCURACY.md | cmp -s - "$gen"; then
    echo "ACCURACY.md is out of date: regenerate its first sections (see its first lines)" >&2
    diff <(head -n "$(wc -l < "$gen")" ACCURACY.md) "$gen" | head -40 >&2
    exit 1
fi
echo "ACCURACY.md: generated sections are current"
