#!/usr/bin/env python3
"""Compare bibkey's Russian romanization schemes with reference implementations.

How to run (from the repository root, after `cargo build --release`):

    tools/.venv/bin/python tools/compare_refs.py > REFERENCES.md

References: ICU transliterators through the `uconv` command-line tool
(`Russian-Latin/BGN`, `Cyrillic-Latin`) and the `iuliia` Python package.
The word list is built deterministically (fixed seed, sorted inputs):

* the Cyrillic column of tests/data/eval/items.tsv (words, surnames, given
  names, patronymics, full names, titles);
* extra word forms sampled from the pymorphy3-dicts-ru lexicon (lower case,
  and a share capitalized as at the start of a sentence);
* extra proper-name lemmas from pymorphy3 (surnames, given names,
  patronymics, place names), capitalized.

Items that contain an all-capitals word of two or more letters (СССР,
ГУЛАГ, ...) are left out: iuliia capitalizes only the first letter of a
multi-letter replacement in an all-capitals word (ЩУКИН -> ShchUKIN), which
is a known iuliia limitation, so such items would measure that bug only.

Each tool is run once over all items (bibkey and uconv with all items on
stdin, one per line).  Both outputs are NFC-normalized.  Every difference
is then explained by the documented difference classes of its pair: a
class is a precise rewrite of the reference output (or, rarely, of ours)
that undoes one known, named divergence; a difference counts as explained
when the rewrites of the pair's classes make both strings equal.  The
rest is printed as "unclassified" -- those are candidate bugs.
"""

import os
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / "tools" / ".venv" / "bin" / "python"

if VENV_PY.exists() and Path(sys.prefix).resolve() != (ROOT / "tools" / ".venv").resolve():
    os.execv(str(VENV_PY), [str(VENV_PY), __file__] + sys.argv[1:])

import warnings  # noqa: E402

warnings.filterwarnings("ignore")

import iuliia  # noqa: E402
import pymorphy3  # noqa: E402

SEED = 20250301
N_TARGET = 10000          # total distinct items (approximately)
N_EXTRA_PROPER = 1200     # extra capitalized proper-name lemmas from pymorphy3
CAP_SHARE = 0.15          # share of extra lexicon words that are capitalized

ITEMS_TSV = ROOT / "tests" / "data" / "eval" / "items.tsv"
BIBKEY = ROOT / "target" / "release" / "bibkey"

CYR_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
PRE1918 = set("іѣѳѵІѢѲѴ")
PROPER_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"}
VOWELS = "аеёиоуыэюя"


def nfc(s):
    return unicodedata.normalize("NFC", s)


def cap(s):
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


# --------------------------------------------------------------------------
# Word list
# --------------------------------------------------------------------------

ALLCAPS = re.compile(r"[А-ЯЁІѢѲѴ]{2,}")


def usable(s):
    return bool(s) and not ALLCAPS.search(s) and "\t" not in s


def build_items():
    rng = random.Random(SEED)
    items, seen = [], set()
    cats = {}

    def add(cat, s):
        s = nfc(s.strip())
        if usable(s) and s not in seen:
            seen.add(s)
            items.append(s)
            cats[cat] = cats.get(cat, 0) + 1

    with open(ITEMS_TSV, encoding="utf-8") as f:
        f.readline()
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                add("eval:" + parts[0], parts[1])

    print("reading the pymorphy3 dictionary (about a minute)...", file=sys.stderr)
    morph = pymorphy3.MorphAnalyzer()
    words, proper = set(), set()
    for word, tag, normal, _p, _i in morph.dictionary.iter_known_words():
        if len(word) < 2 or not set(word) <= CYR_LOWER | {"-"} or word.startswith("-") or word.endswith("-"):
            continue
        grams = tag.grammemes
        if grams & PROPER_TAGS:
            if grams & {"Surn", "Name", "Patr", "Geox"} and word == normal and "-" not in word[:1]:
                proper.add(word)
            continue
        if "-" in word:
            continue
        words.add(word)
    proper = sorted(proper)
    for w in rng.sample(proper, N_EXTRA_PROPER):
        add("lexicon:proper", cap(w))
    words = sorted(words)
    pool = rng.sample(words, min(len(words), 3 * N_TARGET))
    for w in pool:
        if len(items) >= N_TARGET:
            break
        if rng.random() < CAP_SHARE:
            add("lexicon:word-capitalized", cap(w))
        else:
            add("lexicon:word", w)
    return items, cats


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------

def run_lines(cmd, items):
    data = "".join(s + "\n" for s in items).encode("utf-8")
    out = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, check=True).stdout.decode("utf-8")
    lines = out.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert len(lines) == len(items), (cmd, len(lines), len(items))
    return [nfc(x) for x in lines]


def run_bibkey(scheme, items):
    return run_lines([str(BIBKEY), "romanize", "--scheme", scheme], items)


def run_icu(tid, items):
    return run_lines(["uconv", "-x", tid], items)


def run_iuliia(name, items):
    schema = iuliia.Schemas.get(name) if hasattr(iuliia, "Schemas") else getattr(iuliia, name.upper())
    return [nfc(schema.translate(s)) for s in items]


def tool_versions():
    v = {}
    try:
        v["uconv"] = subprocess.run(["uconv", "--version"], stdout=subprocess.PIPE).stdout.decode().strip()
    except OSError:
        v["uconv"] = "?"
    try:
        from importlib.metadata import version
        v["iuliia"] = version("iuliia")
        v["pymorphy3-dicts-ru"] = version("pymorphy3-dicts-ru")
    except Exception:  # noqa: BLE001
        pass
    return v


#@@CLASSES@@

def run_ref(ref, items):
    kind, name = ref.split(":", 1)
    if kind == "icu":
        return run_icu(name, items)
    return run_iuliia(name, items)


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------

def compare(pair, items, ours, ref):
    classes = pair["classes"]
    stats = {name: [] for name, _w, _f in classes}
    unclassified = []
    same = 0
    for c, o, r in zip(items, ours, ref):
        if o == r:
            same += 1
            continue
        oo, rr = o, r
        involved = []
        for name, _why, fix in classes:
            o2, r2 = fix(c, oo, rr)
            if (o2, r2) != (oo, rr):
                involved.append(name)
                oo, rr = o2, r2
            if oo == rr:
                break
        if oo == rr:
            for name in involved:
                stats[name].append((c, o, r))
        else:
            unclassified.append((c, o, r, involved))
    return same, stats, unclassified


def pct(a, n):
    return f"{100.0 * a / n:.2f} %" if n else "n/a"


def md_cell(s):
    return "`" + s.replace("`", "ˋ") + "`" if "`" not in s else "<code>" + s.replace("|", "\\|") + "</code>"


def main():
    if not BIBKEY.exists():
        sys.exit(f"{BIBKEY} not found: run `cargo build --release` first")
    items, cats = build_items()
    n = len(items)
    print(f"{n} items", file=sys.stderr)
    pairs = build_pairs()
    ours_cache, ref_cache = {}, {}
    results = []
    for p in pairs:
        if p["ours"] not in ours_cache:
            ours_cache[p["ours"]] = run_bibkey(p["ours"], items)
        if p["ref"] not in ref_cache:
            ref_cache[p["ref"]] = run_ref(p["ref"], items)
        same, stats, uncl = compare(p, items, ours_cache[p["ours"]], ref_cache[p["ref"]])
        results.append((p, same, stats, uncl))
        print(f"{p['ours']:15} {p['ref']:24} raw {pct(same, n)} unclassified {len(uncl)}", file=sys.stderr)

    out = []
    w = out.append
    w("# Agreement with reference implementations")
    w("")
    w("Generated by `tools/.venv/bin/python tools/compare_refs.py > REFERENCES.md` "
      "(after `cargo build --release`); do not edit by hand.")
    w("")
    vers = tool_versions()
    w("References: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".")
    w("")
    w(f"Items compared: **{n}** distinct Cyrillic strings (seed {SEED}): "
      + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())) + ". "
      "Items containing an all-capitals word (СССР, ГУЛАГ) are excluded because iuliia "
      "capitalizes them wrongly (ЩУКИН → ShchUKIN). Each tool runs once over all items; outputs "
      "are NFC-normalized before comparison.")
    w("")
    w("A difference is *explained* when the rewrites of the documented difference classes of the "
      "pair (below) make both outputs equal; an item may belong to several classes. Differences "
      "left over are listed as *unclassified*.")
    w("")
    w("## Summary")
    w("")
    w("| our scheme | reference | items | raw agreement | after documented differences | unclassified |")
    w("|---|---|---:|---:|---:|---:|")
    for p, same, stats, uncl in results:
        explained = n - len(uncl)
        note = "" if p["scored"] else " (information only)"
        w(f"| `{p['ours']}` | `{p['ref']}`{note} | {n} | {pct(same, n)} | {pct(explained, n)} | {len(uncl)} |")
    w("")
    w("`ru-de` (Duden) has no machine reference and is not compared. `ru-fr` is compared with "
      "iuliia `mvd_310_fr` for information only: the passport rules of MVD order 310 are not the "
      "press convention that `ru-fr` follows.")
    w("")
    for p, same, stats, uncl in results:
        w(f"## `{p['ours']}` ↔ `{p['ref']}`" + ("" if p["scored"] else " (information only)"))
        w("")
        w(f"* items compared: {n}")
        w(f"* raw agreement: {same} / {n} = **{pct(same, n)}**")
        explained = n - len(uncl)
        w(f"* agreement after documented differences: {explained} / {n} = **{pct(explained, n)}**")
        w(f"* unclassified differences: {len(uncl)}")
        w("")
        if p.get("note"):
            w(p["note"])
            w("")
        if p["classes"]:
            w("| class | items | why | examples (Cyrillic → ours / reference) |")
            w("|---|---:|---|---|")
            for name, why, _f in p["classes"]:
                ex = stats[name][:3]
                exs = "<br>".join(f"{c} → {md_cell(o)} / {md_cell(r)}" for c, o, r in ex)
                w(f"| {name} | {len(stats[name])} | {why} | {exs} |")
            w("")
        if uncl:
            w("Unclassified differences (up to 20):")
            w("")
            w("| Cyrillic | ours | reference |")
            w("|---|---|---|")
            for c, o, r, _inv in uncl[:20]:
                w(f"| {c} | {md_cell(o)} | {md_cell(r)} |")
            w("")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
