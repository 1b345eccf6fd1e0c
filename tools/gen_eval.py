#!/usr/bin/env python3
"""Generate the bibkey evaluation data set (tests/data/eval/items.tsv).

With `--lang all` it also makes the Ukrainian, Belarusian, Bulgarian, Serbian
and Macedonian sets (tests/data/eval/LANG/, see tools/gen_eval_langs.py).

How to run (from the repository root):

    python3 -m venv tools/.venv
    tools/.venv/bin/pip install -r tools/requirements.txt
    tools/.venv/bin/python tools/gen_eval.py        # or: python3 tools/gen_eval.py
                                                    # (it re-executes itself in
                                                    #  tools/.venv when present)

ICU's `uconv` command-line tool must be on PATH (Debian: `apt-get install
icu-devtools`).  The output is deterministic: every random choice uses
random.Random(SEED) over sorted inputs, and the tool versions are pinned in
tools/requirements.txt (the ICU columns depend on the ICU version of `uconv`;
the data was produced with ICU 72.1).

What it produces:

* tests/data/eval/items.tsv -- one row per distinct Cyrillic item, with a
  header `category, cyrillic, <tool columns...>`.  Categories:
    word        ~2800 Russian word forms sampled from pymorphy3-dicts-ru
                (lemmas and inflected forms, lower case, with and without ё,
                plus some е-spelled twins of ё-words)
    surname     ~1500 surnames (russian-names data + pymorphy3 'Surn' lemmas,
                masculine and feminine forms, plus the names of
                realworld.tsv)
    given       ~400 given names (male and female)
    patronymic  ~300 patronymics (male and female)
    fullname    ~500 "Имя Отчество Фамилия" combinations
    title       ~300 Russian book/journal/article titles: a hand-written
                list of real titles, the Cyrillic title clusters of
                realworld.tsv (incl. pre-1918 spellings) and deterministic
                recombinations of title phrases
  Tool columns: every iuliia schema (`iuliia:<name>`), three ICU
  transliterators via `uconv` (`icu:<id>`), `unidecode`, `anyascii`,
  `transliterate:ru` and `cyrtranslit:ru`.  Outputs are NFC-normalized, TAB
  and newlines replaced by a space, otherwise left exactly as the tools
  produce them.  A tool exception leaves the cell empty.
* It also validates the hand-written tests/data/eval/realworld.tsv (it does
  not generate it) and prints per-category counts and per-tool failure
  counts on stderr.
"""

import os
import random
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / "tools" / ".venv" / "bin" / "python"

if VENV_PY.exists() and Path(sys.prefix).resolve() != (ROOT / "tools" / ".venv").resolve():
    os.execv(str(VENV_PY), [str(VENV_PY), __file__] + sys.argv[1:])

import warnings  # noqa: E402

warnings.filterwarnings("ignore")

import anyascii  # noqa: E402
import cyrtranslit  # noqa: E402
import iuliia  # noqa: E402
import pymorphy3  # noqa: E402
import unidecode  # noqa: E402
from transliterate import translit  # noqa: E402

SEED = 20240917
OUT_DIR = ROOT / "tests" / "data" / "eval"
ITEMS = OUT_DIR / "items.tsv"
REALWORLD = OUT_DIR / "realworld.tsv"

# Word sample size.  ~5000 words would make items.tsv ~4.3 MB (each row
# carries 35 romanizations); the default keeps the file near 3 MB.
# Override with `--words N` (N sampled forms, plus N/25 е-spelled twins).
N_WORDS = 2700
N_SURNAME = 1500
N_GIVEN = 400
N_PATR = 300
N_FULL = 500
N_TITLE = 300

CYR_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
PROPER_TAGS = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"}

ICU_IDS = ["Russian-Latin/BGN", "Cyrillic-Latin", "Any-Latin;Latin-ASCII"]


def nfc(s):
    return unicodedata.normalize("NFC", s)


def cap(s):
    """Capitalize each hyphen-separated part: 'римский-корсаков' -> 'Римский-Корсаков'."""
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------

def load_pymorphy():
    """One pass over the pymorphy3 dictionary (~5M entries, ~1 min)."""
    morph = pymorphy3.MorphAnalyzer()
    lemmas, forms = set(), set()
    surn = {}  # lemma -> {'masc': form, 'femn': form}
    names = {"masc": set(), "femn": set()}
    patrs = {"masc": set(), "femn": set()}
    for word, tag, normal, _para, _idx in morph.dictionary.iter_known_words():
        grams = tag.grammemes
        if grams & {"Surn", "Name", "Patr"}:
            if "sing" in grams and "nomn" in grams and set(word) <= CYR_LOWER | {"-"}:
                gender = "masc" if "masc" in grams else "femn" if "femn" in grams else None
                if gender:
                    if "Surn" in grams:
                        surn.setdefault(normal, {})[gender] = word
                    elif "Patr" in grams:
                        patrs[gender].add(word)
                    else:
                        names[gender].add(word)
            continue
        if grams & PROPER_TAGS:
            continue
        if len(word) < 2 or not set(word) <= CYR_LOWER:
            continue
        if word == normal:
            lemmas.add(word)
        else:
            forms.add(word)
    forms -= lemmas
    return lemmas, forms, surn, names, patrs


def load_russian_names():
    """The word lists shipped inside the russian-names package (data/base.txt)."""
    import russian_names

    path = Path(russian_names.__file__).parent / "_data.zip"
    with zipfile.ZipFile(path) as z:
        lines = z.read("base.txt").decode("utf-8").splitlines()
    secs = [sorted(set(l.split())) for l in lines]
    return {
        "names_m_rare": secs[0], "names_m": secs[1],
        "patr_m_rare": secs[2], "patr_m": secs[3], "surn_m": secs[4],
        "names_f_rare": secs[5], "names_f": secs[6],
        "patr_f_rare": secs[7], "patr_f": secs[8], "surn_f": secs[9],
    }


def load_realworld():
    rows = []
    with open(REALWORLD, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header == ["cluster", "kind", "form", "note"], header
        for n, line in enumerate(f, 2):
            line = line.rstrip("\n")
            if not line:
                continue
            parts = line.split("\t")
            assert len(parts) == 4, (n, line)
            assert parts[1] in ("name", "title", "distinct"), (n, line)
            for p in parts:
                assert p == nfc(p), (n, "not NFC", line)
            rows.append(parts)
    return rows


# --------------------------------------------------------------------------
# Titles
# --------------------------------------------------------------------------

REAL_TITLES = """
Пролетарская революция
Красный архив
Вопросы истории
Вопросы истории КПСС
История СССР
Исторический архив
Исторические записки
Отечественная история
Новая и новейшая история
Каторга и ссылка
Былое
Голос минувшего
Русская старина
Русский архив
Исторический вестник
Вестник Европы
Русское богатство
Русская мысль
Отечественные записки
Современник
Новый мир
Красная новь
Социалистический вестник
Большевик
Коммунист
Летопись революции
Архив русской революции
История Коммунистической партии Советского Союза
История Коммунистической партии Советского Союза (большевиков). Краткий курс
Десять дней, которые потрясли мир
История русской революции
Очерки русской смуты
Как закалялась сталь
Тихий Дон
Архипелаг ГУЛАГ
Государство и революция
Что делать?
Развитие капитализма в России
Империализм, как высшая стадия капитализма
Материализм и эмпириокритицизм
Шаг вперед, два шага назад
Детская болезнь «левизны» в коммунизме
Записки революционера
Былое и думы
Кто виноват?
Отцы и дети
Война и мир
Преступление и наказание
Мертвые души
Россия в 1917 году
Великая Октябрьская социалистическая революция
Гражданская война в СССР
Рабочее движение в России в XIX веке
Крестьянское движение в 1917 году
Революция 1905—1907 гг. в России
Октябрьское вооруженное восстание в Петрограде
Протоколы Центрального комитета РСДРП(б)
Переписка секретариата ЦК РСДРП(б) с местными партийными организациями
Декреты Советской власти
Советская историческая энциклопедия
Большая советская энциклопедия
Энциклопедический словарь Брокгауза и Ефрона
Русский биографический словарь
Очерки истории Ленинграда
История Москвы
Политические партии России. Конец XIX — первая треть XX века
Ленинский сборник
Полное собрание сочинений
Сочинения
Избранные произведения
Воспоминания
Дневники
Записки о революции
Крушение империи
Падение царского режима
""".strip().splitlines()

GEN_PHRASES = [
    "рабочего движения в России", "Октябрьской революции", "русского крестьянства",
    "русской эмиграции", "большевистской партии", "Гражданской войны",
    "Красной армии", "Февральской революции", "Советского государства",
    "русской общественной мысли", "народничества", "российской социал-демократии",
    "партии социалистов-революционеров", "земского движения", "Государственной думы",
    "русской интеллигенции", "Петроградского Совета", "рабочего класса СССР",
    "коллективизации", "индустриализации СССР", "Московского университета",
    "русской православной церкви", "Сибири", "Украины", "Кронштадтского восстания",
    "революционного движения", "декабристов", "Первой мировой войны",
    "кадетской партии", "меньшевизма", "анархизма в России", "профсоюзного движения",
]

NOM_PHRASES = [
    "Рабочее движение", "Крестьянское движение", "Революционное подполье",
    "Советская власть", "Русская эмиграция", "Политическая ссылка",
    "Большевики и меньшевики", "Социал-демократия", "Государственная дума",
    "Земская реформа", "Аграрный вопрос", "Национальный вопрос",
    "Красная гвардия", "Белое движение", "Партия эсеров", "Печать и революция",
    "Рабочий контроль", "Продовольственная политика", "Новая экономическая политика",
    "Военный коммунизм", "Церковь и государство", "Студенческое движение",
]

PLACES = [
    "в России", "в Петрограде", "в Москве", "на Урале", "в Сибири", "в Поволжье",
    "на Украине", "в Донбассе", "в Туркестане", "в деревне", "в провинции",
]

YEARS = ["1825", "1861", "1881", "1905", "1906", "1907", "1914", "1917", "1918",
         "1919", "1920", "1921", "1924", "1929", "1937", "1941"]

TEMPLATES = [
    "Очерки истории {gen}", "Из истории {gen}", "К истории {gen}",
    "Материалы по истории {gen}", "История {gen}", "Документы по истории {gen}",
    "Историография {gen}", "Проблемы истории {gen}", "Летопись {gen}",
    "{nom} {place} в {year} году", "{nom} {place}", "{nom} в {year} году",
    "{nom} {place} ({year}—{year2} гг.)", "{nom}: документы и материалы",
    "{nom} накануне революции", "{nom} в годы Гражданской войны",
    "Вопросы истории {gen}", "Сборник материалов по истории {gen}",
]


def make_titles(rng, realworld_titles):
    titles = []
    seen = set()

    def add(t):
        t = nfc(t)
        if t not in seen:
            seen.add(t)
            titles.append(t)

    for t in REAL_TITLES:
        add(t)
    for t in realworld_titles:
        add(t)
    attempts = 0
    while len(titles) < N_TITLE and attempts < 100000:
        attempts += 1
        tpl = rng.choice(TEMPLATES)
        y = rng.randrange(len(YEARS) - 1)
        add(tpl.format(gen=rng.choice(GEN_PHRASES), nom=rng.choice(NOM_PHRASES),
                       place=rng.choice(PLACES), year=YEARS[y],
                       year2=YEARS[rng.randrange(y + 1, len(YEARS))]))
    return titles


# --------------------------------------------------------------------------
# Item selection
# --------------------------------------------------------------------------

def build_items(n_words):
    rng = random.Random(SEED)
    n_lemma_yo = n_form_yo = n_words // 20
    n_lemma = n_words // 2 - n_lemma_yo
    n_form = n_words - n_lemma - n_lemma_yo - n_form_yo
    n_twins = n_words // 25
    print("reading pymorphy3 dictionary (about a minute)...", file=sys.stderr)
    lemmas, forms, surn, pm_names, pm_patrs = load_pymorphy()
    rn = load_russian_names()
    realworld = load_realworld()

    items = []  # (category, cyrillic)
    seen = set()

    def add(cat, s):
        s = nfc(s.strip())
        if s and s not in seen:
            seen.add(s)
            items.append((cat, s))
            return True
        return False

    # ---- words
    def split_yo(pool):
        pool = sorted(pool)
        return [w for w in pool if "ё" in w], [w for w in pool if "ё" not in w]

    lem_yo, lem_plain = split_yo(lemmas)
    frm_yo, frm_plain = split_yo(forms)
    words = (rng.sample(lem_plain, n_lemma) + rng.sample(lem_yo, n_lemma_yo)
             + rng.sample(frm_plain, n_form) + rng.sample(frm_yo, n_form_yo))
    yo_words = [w for w in words if "ё" in w]
    twins = [w.replace("ё", "е") for w in rng.sample(yo_words, n_twins)]
    for w in sorted(words + twins):
        add("word", w)

    # ---- surnames: realworld names first, then russian-names, then pymorphy
    rw_names = [r[0] for r in realworld if r[1] == "name"]
    for s in rw_names:
        add("surname", s)
    # feminine forms of a few famous surnames
    for s in ["Толстая", "Каменева", "Ульянова", "Горбачёва", "Бухарина",
              "Чехова", "Ахматова", "Цветаева", "Коллонтай", "Жукова"]:
        add("surname", s)
    surn_f = set(rn["surn_f"])
    n_rn = 0
    for m in rng.sample(rn["surn_m"], len(rn["surn_m"])):
        if n_rn >= (N_SURNAME - len(rw_names)) * 3 // 5:
            break
        if add("surname", m):
            n_rn += 1
        # feminine counterpart: -ов/-ев/-ин -> +а, -ский -> -ская, -ой/-ый -> -ая
        cands = [m + "а"]
        if m.endswith(("ский", "цкий")):
            cands.append(m[:-2] + "ая")
        if m.endswith(("ой", "ый", "ий")):
            cands.append(m[:-2] + "ая")
        for f in cands:
            if f in surn_f and add("surname", f):
                n_rn += 1
                break
    pm = sorted((k, v) for k, v in surn.items() if "masc" in v)
    for _lemma, v in rng.sample(pm, len(pm)):
        if sum(1 for c, _ in items if c == "surname") >= N_SURNAME:
            break
        add("surname", cap(v["masc"]))
        if "femn" in v:
            add("surname", cap(v["femn"]))

    # ---- given names
    famous_given = ["Лев", "Пётр", "Фёдор", "Николай", "Александр", "Владимир",
                    "Иосиф", "Никита", "Михаил", "Сергей", "Юрий", "Артём",
                    "Александра", "Анна", "Марина", "Наталья", "Ксения",
                    "Надежда", "Фёкла", "Алёна", "Софья", "Дарья"]
    for s in famous_given:
        add("given", s)
    male = rn["names_m"] + rng.sample(rn["names_m_rare"], len(rn["names_m_rare"]))
    female = rn["names_f"] + rng.sample(rn["names_f_rare"], len(rn["names_f_rare"]))
    male += [cap(w) for w in rng.sample(sorted(pm_names["masc"]), len(pm_names["masc"]))]
    female += [cap(w) for w in rng.sample(sorted(pm_names["femn"]), len(pm_names["femn"]))]
    mi = fi = 0
    while sum(1 for c, _ in items if c == "given") < N_GIVEN and (mi < len(male) or fi < len(female)):
        if mi < len(male):
            add("given", male[mi])
            mi += 1
        if fi < len(female) and sum(1 for c, _ in items if c == "given") < N_GIVEN:
            add("given", female[fi])
            fi += 1

    # ---- patronymics
    male = rn["patr_m"] + rng.sample(rn["patr_m_rare"], len(rn["patr_m_rare"]))
    female = rn["patr_f"] + rng.sample(rn["patr_f_rare"], len(rn["patr_f_rare"]))
    male += [cap(w) for w in rng.sample(sorted(pm_patrs["masc"]), len(pm_patrs["masc"]))]
    female += [cap(w) for w in rng.sample(sorted(pm_patrs["femn"]), len(pm_patrs["femn"]))]
    mi = fi = 0
    while sum(1 for c, _ in items if c == "patronymic") < N_PATR and (mi < len(male) or fi < len(female)):
        if mi < len(male):
            add("patronymic", male[mi])
            mi += 1
        if fi < len(female) and sum(1 for c, _ in items if c == "patronymic") < N_PATR:
            add("patronymic", female[fi])
            fi += 1

    # ---- full names (gender-consistent; mostly common names, some rare)
    n_full = 0
    while n_full < N_FULL:
        g = "m" if rng.random() < 0.5 else "f"
        rare = rng.random() < 0.2
        name = rng.choice(rn[f"names_{g}_rare"] if rare else rn[f"names_{g}"])
        patr = rng.choice(rn[f"patr_{g}_rare"] if rare else rn[f"patr_{g}"])
        sur = rng.choice(rn[f"surn_{g}"])
        if add("fullname", f"{name} {patr} {sur}"):
            n_full += 1

    # ---- titles
    rw_titles = []
    for r in realworld:
        if r[1] == "title":
            rw_titles.append(r[0])
            if r[3] == "pre1918":
                rw_titles.append(r[2])
    for t in make_titles(rng, rw_titles):
        add("title", t)

    return items


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------

def clean(s):
    return nfc(s).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def run_python_tools(texts):
    tools = []
    for name in iuliia.schemas.names():
        schema = iuliia.schemas.get(name)
        tools.append((f"iuliia:{name}", schema.translate))
    tools += [
        ("unidecode", unidecode.unidecode),
        ("anyascii", anyascii.anyascii),
        ("transliterate:ru", lambda s: translit(s, "ru", reversed=True)),
        ("cyrtranslit:ru", lambda s: cyrtranslit.to_latin(s, "ru")),
    ]
    cols, fails = {}, {}
    for name, fn in tools:
        out, nf = [], 0
        for s in texts:
            try:
                r = fn(s)
                out.append(clean(r if isinstance(r, str) else str(r)))
            except Exception:  # noqa: BLE001 -- tool errors are data
                out.append("")
                nf += 1
        cols[name], fails[name] = out, nf
    return tools, cols, fails


def run_icu(texts):
    cols, fails = {}, {}
    payload = "\n".join(texts) + "\n"
    for tid in ICU_IDS:
        name = f"icu:{tid}"
        try:
            res = subprocess.run(["uconv", "-f", "utf-8", "-t", "utf-8", "-x", tid],
                                 input=payload.encode("utf-8"), capture_output=True, check=True)
            lines = res.stdout.decode("utf-8").split("\n")
            if lines and lines[-1] == "":
                lines.pop()
            if len(lines) != len(texts):
                raise RuntimeError(f"{name}: {len(lines)} lines for {len(texts)} items")
            cols[name], fails[name] = [clean(l) for l in lines], 0
        except Exception as e:  # noqa: BLE001
            print(f"ICU transform {tid} failed: {e}", file=sys.stderr)
            cols[name], fails[name] = [""] * len(texts), len(texts)
    return cols, fails


def main():
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=N_WORDS,
                    help=f"number of sampled Russian word forms (default {N_WORDS})")
    ap.add_argument("--lang", default="ru",
                    help="comma-separated languages to generate: ru (default), uk, be, bg, sr, mk, "
                         "or all; the non-Russian ones are made by tools/gen_eval_langs.py")
    args = ap.parse_args()
    langs = ["ru", "uk", "be", "bg", "sr", "mk"] if args.lang == "all" else args.lang.split(",")
    others = [l for l in langs if l != "ru"]
    if others:
        sys.path.insert(0, str(ROOT / "tools"))
        import gen_eval_langs

        for l in others:
            if l not in gen_eval_langs.LANGS:
                ap.error(f"unknown language {l!r}")
        for l in others:
            gen_eval_langs.generate(l)
    if "ru" in langs:
        main_ru(args)


def main_ru(args):
    items = build_items(args.words)
    texts = [s for _, s in items]
    for s in texts:
        assert "\t" not in s and "\n" not in s
    icu_cols, icu_fails = run_icu(texts)
    tools, py_cols, py_fails = run_python_tools(texts)
    order = ([n for n, _ in tools if n.startswith("iuliia:")]
             + [f"icu:{t}" for t in ICU_IDS]
             + [n for n, _ in tools if not n.startswith("iuliia:")])
    cols = {**icu_cols, **py_cols}
    fails = {**icu_fails, **py_fails}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(ITEMS, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(["category", "cyrillic"] + order) + "\n")
        for i, (cat, s) in enumerate(items):
            f.write("\t".join([cat, s] + [cols[n][i] for n in order]) + "\n")
    counts = {}
    for cat, _ in items:
        counts[cat] = counts.get(cat, 0) + 1
    print(f"wrote {ITEMS} ({ITEMS.stat().st_size} bytes, {len(items)} rows)", file=sys.stderr)
    for cat, n in counts.items():
        print(f"  {cat}\t{n}", file=sys.stderr)
    print("tool failures (empty cells):", file=sys.stderr)
    for n in order:
        print(f"  {n}\t{fails[n]}", file=sys.stderr)


if __name__ == "__main__":
    main()
