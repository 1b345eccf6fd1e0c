#!/usr/bin/env python3
"""Compare bibkey's Russian romanization schemes with reference implementations.

How to run (from the repository root, after `cargo build --release`):

    tools/.venv/bin/python tools/compare_refs.py > REFERENCES.md

References: ICU transliterators through the `uconv` command-line tool
(`Russian-Latin/BGN`, `Cyrillic-Latin`) and the `iuliia` Python package.
The word list is built deterministically (fixed seed, sorted inputs):

* the Cyrillic column of tests/data/eval/items.tsv (words, surnames, given
  names, patronymics, full names, titles);
* the sample strings shipped with the compared iuliia schemas (place names
  chosen to exercise context rules);
* extra word forms sampled from the pymorphy3-dicts-ru lexicon (lower case,
  and a share capitalized as at the start of a sentence);
* extra proper-name lemmas from pymorphy3 (surnames, given names,
  patronymics, place names), capitalized.

Items that contain an all-capitals word of two or more letters (СССР,
ГУЛАГ, ...) are left out of the main list: iuliia capitalizes only the
first letter of a multi-letter replacement in an all-capitals word
(ЩУКИН -> ShchUKIN), a known iuliia limitation, so such items would
measure that bug only.  Instead, all-capitals copies of a sample of the
items are added for the ICU pairs only, which checks our case derivation.

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
N_CAPS = 1000             # all-capitals copies of items, compared with ICU only
CAP_SHARE = 0.15          # share of extra lexicon words that are capitalized

IULIIA_SAMPLE_SCHEMAS = ["ala_lc", "ala_lc_alt", "bgn_pcgn", "gost_779", "gost_779_alt", "scientific",
                         "icao_doc_9303", "wikipedia", "mvd_310_fr"]

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

    # the test sentences and words shipped with the compared iuliia schemas
    # (they exercise the context rules: Улан-Удэ, Тыэкан, Айёган, Подъярский ...)
    for name in IULIIA_SAMPLE_SCHEMAS:
        for sample in getattr(iuliia, name.upper()).samples:
            add("iuliia-samples", sample[0])

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
    # all-capitals copies (ЩУКИН): compared with ICU only, see the module doc
    caps = []
    for w in rng.sample(items, len(items)):
        if len(caps) >= N_CAPS:
            break
        u = w.upper()
        if u != w and u not in seen and sum(ch.isalpha() for ch in w) >= 2:
            seen.add(u)
            caps.append(u)
    return items, caps, cats


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


def source_commit():
    """The commit whose tables and code were compared, marked when the work tree differs from it there."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL).stdout.decode().strip()
    commit = git("rev-parse", "--short", "HEAD") or "?"
    if git("status", "--porcelain", "--", "src", "tables", "Cargo.lock"):
        commit += " with uncommitted changes to src/, tables/ or Cargo.lock"
    return commit


def generated_on():
    import datetime
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")


def tool_versions():
    v = {}
    try:
        out = subprocess.run(["uconv", "--version"], stdout=subprocess.PIPE).stdout.decode()
        m = re.search(r"ICU\s+([\d.]+)", out)
        v["ICU (uconv)"] = m.group(1) if m else out.strip()
    except OSError:
        v["ICU (uconv)"] = "?"
    try:
        from importlib.metadata import version
        v["iuliia"] = version("iuliia")
        v["pymorphy3-dicts-ru"] = version("pymorphy3-dicts-ru")
    except Exception:  # noqa: BLE001
        pass
    return v


# --------------------------------------------------------------------------
# Reference output as tokens
#
# A reference output is held as a list of [source, text] tokens so that a
# difference class can rewrite exactly the Latin text that one Cyrillic
# letter (or ending) produced.  iuliia is letter by letter, so its tokens
# are recomputed with iuliia's own per-letter functions (and checked to join
# to its output).  ICU output is one token per character (source unknown).
# --------------------------------------------------------------------------

def iuliia_schema(name):
    schema = getattr(iuliia, name.upper())
    schema.translate("")  # FileSchema loads its TranslitSchema lazily
    return schema


def _engine(schema):
    return getattr(schema, "_schema", None) or schema


def iuliia_tokens(schema, text):
    schema = _engine(schema)
    toks = []

    def letters(word):
        return [[cur, schema._translate_letter(prev, cur, nxt)]
                for prev, cur, nxt in iuliia.nlp.trigram_reader(word)]

    for word in iuliia.nlp.word_reader(text):
        stem, ending = iuliia.nlp.split_word(word)
        te = schema._translate_ending(ending)
        if te:
            toks += letters(stem)
            toks.append([ending, te])
        else:
            toks += letters(word)
    return toks


def char_tokens(text):
    return [[None, ch] for ch in text]


def joined(toks):
    return "".join(t for _s, t in toks)


# --------------------------------------------------------------------------
# Difference classes
#
# Each class: (name, why, fix) with fix(cyr, ours, toks) -> toks, where toks
# are the (copied) reference tokens.  A fix must be narrow: it rewrites only
# the construct it names.
# --------------------------------------------------------------------------

def tok_map(table):
    """Character map applied to the reference text."""
    t = str.maketrans(table)
    return lambda c, o, toks: [[s, x.translate(t)] for s, x in toks]


def tok_rule(fn):
    """fn(toks, i) -> new text for token i, or None to keep it.  toks[i][0]
    is the Cyrillic source; neighbours give the context."""
    def fix(c, o, toks):
        out = [list(t) for t in toks]
        for i in range(len(toks)):
            new = fn(toks, i)
            if new is not None:
                out[i][1] = new
        return out
    return fix


def src(toks, i):
    return toks[i][0].lower() if 0 <= i < len(toks) and toks[i][0] else ""


def prv(toks, i):
    """The Cyrillic letter before token i (last letter of an ending token)."""
    return src(toks, i - 1)[-1:]


def nxt(toks, i):
    """The Cyrillic letter after token i (first letter of an ending token)."""
    return src(toks, i + 1)[:1]


def at_word_end(toks, i):
    nxt = src(toks, i + 1)
    return not (nxt and nxt[0].isalpha())


def recase(new, old):
    """Give `new` the capitalization of `old`."""
    if old[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def tie_caps(c, o, toks):
    """LC practice: both letters under a tie are capitals (T͡S, I͡A)."""
    rx = re.compile("^([A-Z])\u0361([a-z])")
    return [[s, rx.sub(lambda m: m.group(1) + "\u0361" + m.group(2).upper(), x)] for s, x in toks]


def pre1918_unmapped(c, o, toks):
    """The reference leaves pre-1918 letters (і ѣ ѳ ѵ) in Cyrillic: take our
    rendering of exactly those letters, provided everything else matches."""
    toks = [list(t) for t in toks]
    idx = [i for i, (_s, x) in enumerate(toks) if x in PRE1918 or (x and set(x) <= PRE1918)]
    if not idx:
        return toks
    parts = []
    for i, (_s, x) in enumerate(toks):
        parts.append("(.{0,4}?)" if i in idx else re.escape(x))
    m = re.fullmatch("".join(parts), o, re.S)
    if not m:
        return toks
    for g, i in enumerate(idx, 1):
        toks[i][1] = m.group(g)
    return toks


def str_fix(fn):
    """A fix on the whole reference string (ICU: character tokens)."""
    return lambda c, o, toks: char_tokens(fn(c, joined(toks)))


def _icu_caps_ye(c, r):
    # ICU derives the case of ye/yë from the neighbouring letter: YEVROPY but
    # NERAZMEZHËVANNYYe (ie after a vowel) in an all-capitals word
    if c != c.upper():
        return r
    return re.sub(r"Y([eë])", lambda m: "Y" + m.group(1).upper(), r)


icu_caps_ye = str_fix(_icu_caps_ye)
icu_caps_signs = str_fix(lambda c, r: re.sub("([\u02b9\u02ba])\u0331", r"\1", r))


def icu_i_acute(c, o, toks):
    """ICU Cyrillic-Latin writes і as í; ISO 9:1995 has ì."""
    return [[s, {"í": "ì", "Í": "Ì"}.get(x, x)] for s, x in toks]


# ICAO: word-final ъ (pre-1918 spelling)
icao_final_hard = tok_rule(lambda t, i: "" if src(t, i) == "ъ" and at_word_end(t, i) else None)

# popular / Wikipedia
HUSH = set("жчшщ")


def wp_ia(t, i):
    # -ия at the end of a word: iuliia "iya", ours "ia"
    if src(t, i) == "я" and src(t, i - 1) in ("и", "і") and at_word_end(t, i) and i >= 2 \
            and prv(t, i - 1).isalpha():
        return recase("a", t[i][1])
    return None


def wp_yo_hush(t, i):
    if src(t, i) == "ё" and prv(t, i) in HUSH:
        return recase("e", t[i][1])
    return None


def wp_soft_e(t, i):
    # ье: iuliia ь "" + е "ye"; ours ь "i" + е "e"
    if src(t, i) == "ь" and nxt(t, i) == "е":
        return "i"
    if src(t, i) == "е" and prv(t, i) == "ь":
        return "e"
    return None


# French (information only)
FR_VOWEL = set("аеёиоуыэюяіѣѵ")
FR_VOWEL_NOI = set("аеёоуыэюяѣѵ")


def fr_trema(t, i):
    s, p = src(t, i), prv(t, i)
    if p not in FR_VOWEL_NOI and not (s == "й" and p in FR_VOWEL):
        return None
    new = {"й": "ï", "е": "ïe", "ѣ": "ïe", "ё": "ïo", "ю": "ïou", "я": "ïa"}.get(s)
    return recase(new, t[i][1]) if new else None


def fr_yo(t, i):
    if src(t, i) == "ё" and prv(t, i) not in FR_VOWEL_NOI and prv(t, i) not in HUSH:
        return recase("io", t[i][1])
    return None


def fr_final_iy(t, i):
    if src(t, i) == "й" and prv(t, i) in ("и", "ы") and at_word_end(t, i):
        return ""
    return None


def fr_iya(t, i):
    word_initial = not prv(t, i)[:1].isalpha()
    if src(t, i) == "и" and nxt(t, i) in ("я", "ю") and not word_initial:
        return t[i][1][:-1]
    if src(t, i) in ("я", "ю") and prv(t, i) == "и" and not prv(t, i - 1)[:1].isalpha():
        return t[i][1][1:]
    return None


def fr_ss(t, i):
    if src(t, i) == "с" and prv(t, i) in FR_VOWEL and nxt(t, i) in FR_VOWEL:
        return recase("ss", t[i][1])
    return None


def fr_gin(t, i):
    # iuliia's ending rule (-ин ine) bypasses its own ги -> gui rule
    if src(t, i) == "ин" and prv(t, i) == "г":
        return "uine"
    return None


def fr_yn(t, i):
    if src(t, i) == "н" and prv(t, i) == "ы" and at_word_end(t, i):
        return t[i][1] + "e"
    return None


def fr_hard_e(t, i):
    if src(t, i) == "ъ" and nxt(t, i) == "е":
        return "i"
    return None


def fr_ks_caps(t, i):
    # iuliia: Кс -> "" + "x" loses the capital
    if src(t, i) == "с" and t[i - 1][0] == "К" and t[i][1] == "x":
        return "X"
    return None


# --------------------------------------------------------------------------
# Pairs
# --------------------------------------------------------------------------

def yo_cyr(std):
    return ("reference writes Cyrillic ё",
            f"tool quirk: iuliia's table maps ё to the Cyrillic letter ё itself instead of Latin ë ({std}: ё = ë)",
            tok_map({"ё": "ë", "Ё": "Ë"}))


PRE1918_CLASS = ("pre-1918 letter left in Cyrillic",
                 "outside the reference: it has no rule for і ѣ ѳ ѵ and copies them; ours follows the "
                 "pre-1918 rows of the standard (or the documented choice in the table header)",
                 pre1918_unmapped)


def build_pairs():
    P = []

    # ---- ALA-LC -----------------------------------------------------------
    P.append(dict(
        ours="ru-alalc", ref="iuliia:ala_lc", scored=True,
        classes=[
            yo_cyr("ALA-LC"),
            ("both letters under a tie capitalized",
             "standard practice: LC headings capitalize both tied letters (T͡Svetaeva, I͡Akovlev); "
             "iuliia capitalizes only the first (T͡svetaeva)",
             tie_caps),
            PRE1918_CLASS,
        ]))
    P.append(dict(
        ours="ru-alalc-ascii", ref="iuliia:ala_lc_alt", scored=True,
        classes=[PRE1918_CLASS]))

    # ---- BGN/PCGN ---------------------------------------------------------
    P.append(dict(
        ours="ru-bgn-pcgn", ref="icu:Russian-Latin/BGN", scored=True, caps=True,
        classes=[
            ("ICU Ye in all-capitals words",
             "tool quirk: in an all-capitals word ICU writes the iotated е ё written after a vowel or a "
             "sign as Ye / Yë (SHCHEYe); the whole word is capitals (SHCHEYE)",
             icu_caps_ye),
            PRE1918_CLASS,
        ]))
    P.append(dict(
        ours="ru-bgn-pcgn", ref="iuliia:bgn_pcgn", scored=True,
        classes=[
            yo_cyr("BGN/PCGN"),
            ("curly quotes for ь ъ",
             "tool quirk: iuliia writes ’ (U+2019) for ь and ” (U+201D) for ъ; the BGN/PCGN table and "
             "ICU use the modifier primes ʹ (U+02B9) and ʺ (U+02BA)",
             tok_map({"’": "ʹ", "”": "ʺ"})),
            PRE1918_CLASS,
        ]))

    # ---- ISO 9 / GOST 7.79 A ---------------------------------------------
    P.append(dict(
        ours="ru-iso9", ref="icu:Cyrillic-Latin", scored=True, caps=True,
        classes=[
            ("ICU ʹ̱ ʺ̱ for capital Ь Ъ",
             "tool quirk: ICU marks the capital soft and hard signs with a combining macron below "
             "(U+0331) to keep the round trip case-exact; ISO 9 has one caseless ʹ ʺ",
             icu_caps_signs),
            ("ICU é for э",
             "tool quirk: ICU Cyrillic-Latin writes э as é; ISO 9:1995 Table 1 gives è (U+00E8)",
             tok_map({"é": "è", "É": "È"})),
            ("ICU í for і",
             "tool quirk: ICU Cyrillic-Latin writes і as í; ISO 9:1995 gives ì (U+00EC)",
             icu_i_acute),
            PRE1918_CLASS,
        ]))
    P.append(dict(
        ours="ru-iso9", ref="iuliia:gost_779", scored=True,
        classes=[yo_cyr("GOST 7.79 A / ISO 9"), PRE1918_CLASS]))
    P.append(dict(
        ours="ru-gost-b", ref="iuliia:gost_779_alt", scored=True,
        classes=[PRE1918_CLASS]))

    # ---- scholarly --------------------------------------------------------
    P.append(dict(
        ours="ru-scholarly", ref="iuliia:scientific", scored=True,
        classes=[yo_cyr("scholarly system"), PRE1918_CLASS]))

    # ---- ICAO -------------------------------------------------------------
    P.append(dict(
        ours="ru-icao", ref="iuliia:icao_doc_9303", scored=True,
        classes=[
            ("word-final ъ dropped",
             "outside the standard: a word-final ъ occurs only in pre-1918 spelling, which Doc 9303 does "
             "not cover; we drop it (Feodor), iuliia writes ie",
             icao_final_hard),
            PRE1918_CLASS,
        ]))

    # ---- popular ----------------------------------------------------------
    P.append(dict(
        ours="ru-popular", ref="iuliia:wikipedia", scored=True,
        classes=[
            ("-ия ending",
             "deliberate: word-final -ия is ia in press usage (Izvestia, Yulia, Maria); WP:RUS and iuliia "
             "write iya",
             tok_rule(wp_ia)),
            ("ё after ж ч ш щ",
             "deliberate: press forms write e after hushing consonants (Khrushchev, Gorbachev); WP:RUS "
             "and iuliia write yo",
             tok_rule(wp_yo_hush)),
            ("ье",
             "deliberate: press forms write ie for ье (Zinoviev, Prokofiev, Grigoriev); iuliia writes "
             "ye (Zinovyev)",
             tok_rule(wp_soft_e)),
            PRE1918_CLASS,
        ]))

    # ---- French (information only) ----------------------------------------
    P.append(dict(
        ours="ru-fr", ref="iuliia:mvd_310_fr", scored=False,
        classes=[
            ("tréma after a vowel",
             "convention: French spelling marks iotation after a vowel with ï (Maïa, Tchaïkovski, "
             "Dostoïevski); the passport table writes plain i / e",
             tok_rule(fr_trema)),
            ("ё as io",
             "convention: French usage writes io (Fiodor, Piotr); MVD 310 writes e",
             tok_rule(fr_yo)),
            ("-ий / -ый ending",
             "convention: -ий is i and -ый is y at the end of a word (Tchaïkovski, Gorki); MVD 310 "
             "writes ii / yi",
             tok_rule(fr_final_iy)),
            ("ия / ию",
             "convention: ия is ia and ию is iou (Ilia, Maria); MVD 310 writes iia, iiou",
             tok_rule(fr_iya)),
            ("ъе as ie",
             "convention: ъе is ie like ье (obiekt); MVD 310 drops ъ and writes e",
             tok_rule(fr_hard_e)),
            ("-ын ending",
             "convention: final -ын is yne like -ин ine (Soljenitsyne); MVD 310 has the -ine rule only",
             tok_rule(fr_yn)),
            ("г in -гин",
             "tool quirk: iuliia's ending rule (-ин ine) bypasses its own ги → gui rule (Naguine)",
             tok_rule(fr_gin)),
            ("Кс- capital lost",
             "tool quirk: iuliia writes Ксения as xeniia (the capital of К is lost with кс → x)",
             tok_rule(fr_ks_caps)),
            ("intervocalic с as ss",
             "convention: s between vowels is doubled so that it is not read z (Moussorgski, "
             "Vassili); MVD 310 writes s",
             tok_rule(fr_ss)),
            PRE1918_CLASS,
        ]))
    return P


def run_ref(ref, items):
    """Returns (outputs, tokens) for a reference."""
    kind, name = ref.split(":", 1)
    if kind == "icu":
        outs = run_icu(name, items)
        return outs, [char_tokens(r) for r in outs]
    schema = iuliia_schema(name)
    outs, toks = [], []
    for s in items:
        r = schema.translate(s)
        t = iuliia_tokens(schema, s)
        assert joined(t) == r, (name, s, r, joined(t))
        outs.append(nfc(r))
        toks.append([[a, nfc(b)] for a, b in t])
    return outs, toks


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------

def compare(pair, items, ours, refs, ref_toks):
    classes = pair["classes"]
    stats = {name: [] for name, _w, _f in classes}
    unclassified = []
    same = 0
    for c, o, r, toks in zip(items, ours, refs, ref_toks):
        if o == r:
            same += 1
            continue
        involved = []
        for name, _why, fix in classes:
            new = fix(c, o, toks)
            if joined(new) != joined(toks):
                involved.append(name)
                toks = new
            if joined(toks) == o:
                break
        if nfc(joined(toks)) == o:
            for name in involved:
                stats[name].append((c, o, r))
        else:
            unclassified.append((c, o, r, involved))
    return same, stats, unclassified


def pct(a, n):
    return f"{100.0 * a / n:.2f} %" if n else "n/a"


def md_cell(s):
    s = s.replace("|", "\\|")
    return "`" + s + "`" if "`" not in s else "<code>" + s + "</code>"


def main():
    if not BIBKEY.exists():
        sys.exit(f"{BIBKEY} not found: run `cargo build --release` first")
    items, caps, cats = build_items()
    everything = items + caps
    n_main, n_all = len(items), len(everything)
    print(f"{n_main} items + {len(caps)} all-capitals copies", file=sys.stderr)
    pairs = build_pairs()
    ours_cache, ref_cache = {}, {}
    results = []
    for p in pairs:
        if p["ours"] not in ours_cache:
            ours_cache[p["ours"]] = run_bibkey(p["ours"], everything)
        kind = p["ref"].split(":", 1)[0]
        if p["ref"] not in ref_cache:
            ref_cache[p["ref"]] = run_ref(p["ref"], everything if kind == "icu" else items)
        refs, toks = ref_cache[p["ref"]]
        k = n_all if p.get("caps") else n_main
        same, stats, uncl = compare(p, everything[:k], ours_cache[p["ours"]][:k], refs[:k], toks[:k])
        results.append((p, k, same, stats, uncl))
        print(f"{p['ours']:15} {p['ref']:24} raw {pct(same, k)} unclassified {len(uncl)}", file=sys.stderr)

    out = []
    w = out.append
    w("# Agreement with reference implementations")
    w("")
    w("Generated by `tools/.venv/bin/python tools/compare_refs.py > REFERENCES.md` "
      "(after `cargo build --release`); do not edit by hand.")
    w("")
    w(f"This copy: generated on {generated_on()} from commit `{source_commit()}` "
      f"(Python {sys.version.split()[0]}). CI does not regenerate it: the comparison needs Python, "
      "ICU's `uconv` (Debian package `icu-devtools`) and the `iuliia` and `pymorphy3` packages "
      "(`python3 -m venv tools/.venv && tools/.venv/bin/pip install -r tools/requirements.txt`), "
      "and CI has only cargo. Regenerate it after changing a Russian table; "
      "`git log -1 -- REFERENCES.md` says when that last happened.")
    w("")
    vers = tool_versions()
    w("References: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".")
    w("")
    w(f"Items compared: **{n_main}** distinct Cyrillic strings (seed {SEED}): "
      + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())) + ". "
      "Items containing an all-capitals word (СССР, ГУЛАГ) are excluded because iuliia "
      "capitalizes them wrongly (ЩУКИН → ShchUKIN); instead the ICU pairs also compare "
      f"{len(caps)} all-capitals copies of sampled items (ЩУКИН → SHCHUKIN). Each tool runs once over all items; outputs "
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
    for p, n, same, stats, uncl in results:
        explained = n - len(uncl)
        note = "" if p["scored"] else " (information only)"
        w(f"| `{p['ours']}` | `{p['ref']}`{note} | {n} | {pct(same, n)} | {pct(explained, n)} | {len(uncl)} |")
    w("")
    w("`ru-de` (Duden) has no machine reference and is not compared. `ru-fr` is compared with "
      "iuliia `mvd_310_fr` for information only: the passport rules of MVD order 310 are not the "
      "press convention that `ru-fr` follows.")
    w("")
    for p, n, same, stats, uncl in results:
        w(f"## `{p['ours']}` ↔ `{p['ref']}`" + ("" if p["scored"] else " (information only)"))
        w("")
        w(f"* items compared: {n}" + (f" ({n_main} + {len(caps)} all-capitals copies)" if p.get("caps") else ""))
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
