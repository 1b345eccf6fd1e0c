"""Evaluation data for Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian.

Called by tools/gen_eval.py (`--lang uk|be|bg|sr|mk|all`); see
tests/data/eval/README.md.  For each language LANG it writes

* tests/data/eval/LANG/items.tsv -- `category, cyrillic, <tool columns>`,
  the same conventions as the Russian tests/data/eval/items.tsv;
* tests/data/eval/LANG/tools.tsv -- `tool, standard, note`: the published
  standard each tool column follows (empty: none / ad hoc), what was seen in
  its output, and how many of its cells still contain Cyrillic letters
  (measured by this script);

and it checks the hand-written tests/data/eval/LANG/realworld.tsv.

Every random choice uses random.Random(SEED + language) over sorted inputs,
so a second run writes the same bytes (given the pinned packages of
tools/requirements.txt, the Debian dictionary packages named in the README
and the ICU version of `uconv`).
"""

import random
import re
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

ROOT = Path(__file__).resolve().parent.parent
OUT_BASE = ROOT / "tests" / "data" / "eval"
SEED = 20240917
HUNSPELL = Path("/usr/share/hunspell")
FREEDICT_MKD = Path("/usr/share/dictd/freedict-mkd-bul.index")

LANGS = ["uk", "be", "bg", "sr", "mk"]

# Lower-case letters of each alphabet (plus the apostrophe where the
# orthography has one).  Lexicon samples keep only words made of these.
ALPHABET = {
    "uk": set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'"),
    "be": set("абвгдеёжзійклмнопрстуўфхцчшыьэюя'"),
    "bg": set("абвгдежзийклмнопрстуфхцчшщъьюя"),
    "sr": set("абвгдђежзијклљмнњопрстћуфхцчџш"),
    "mk": set("абвгдѓежзѕијклљмнњопрстќуфхцчџш"),
}
CYRILLIC = re.compile("[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")

ICU_BGN = {
    "uk": "Ukrainian-Latin/BGN",
    "be": "Belarusian-Latin/BGN",
    "bg": "Bulgarian-Latin/BGN",
    "sr": "Serbian-Latin/BGN",
    "mk": "Macedonian-Latin/BGN",
}


def nfc(s):
    return unicodedata.normalize("NFC", s)


def clean(s):
    return nfc(s).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def cap(s):
    """Capitalize each hyphen-separated part."""
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


def words_of(text):
    """A hand-written list of one-word items separated by white space."""
    return [nfc(w) for w in text.split()]


def list_of(text):
    """A hand-written list of items separated by commas (items may have spaces)."""
    return [nfc(" ".join(x.split())) for x in text.split(",") if x.strip()]


# --------------------------------------------------------------------------
# Hunspell: a small affix expander (SFX/PFX with strip, add and condition,
# cross products; continuation flags are not followed).  It handles the
# FLAG types of the four Debian dictionaries used (default and `num`).
# --------------------------------------------------------------------------

def _read_lines(path):
    return path.read_bytes().decode("utf-8").replace("\r", "").split("\n")


def load_aff(path):
    flag_type = "char"
    rules = {}  # flag -> (kind, cross, [(strip, add, regex)])
    lines = _read_lines(path)
    i = 0
    while i < len(lines):
        f = lines[i].split()
        i += 1
        if not f:
            continue
        if f[0] == "FLAG" and len(f) > 1:
            flag_type = f[1]
        elif f[0] in ("SFX", "PFX") and len(f) == 4 and f[3].isdigit():
            kind, flag, cross, n = f[0], f[1], f[2] == "Y", int(f[3])
            entries = []
            for _ in range(n):
                g = lines[i].split()
                i += 1
                if len(g) < 4 or g[0] != kind or g[1] != flag:
                    continue
                strip = "" if g[2] == "0" else g[2]
                add = g[3].split("/", 1)[0]
                add = "" if add == "0" else add
                cond = g[4] if len(g) > 4 else "."
                pat = (cond + "$") if kind == "SFX" else ("^" + cond)
                try:
                    rx = re.compile(pat)
                except re.error:
                    rx = re.compile(re.escape(cond) + "$" if kind == "SFX" else "^" + re.escape(cond))
                entries.append((strip, add, rx))
            rules.setdefault(flag, (kind, cross, []))[2].extend(entries)
    return flag_type, rules


def split_flags(s, flag_type):
    if flag_type == "num":
        return [x for x in s.split(",") if x]
    if flag_type == "long":
        return [s[i:i + 2] for i in range(0, len(s), 2)]
    return list(s)


def load_dic(path, flag_type):
    out = []
    for line in _read_lines(path)[1:]:
        line = line.strip()
        if not line:
            continue
        entry = line.split()[0] if ("\t" in line or " " in line) else line
        word, _, flags = entry.partition("/")
        word = nfc(word.replace("\u0301", ""))
        out.append((word, split_flags(flags, flag_type)))
    return out


def expand(word, flags, rules):
    """All forms of a .dic entry: the stem, suffixed, prefixed and cross forms."""
    forms = {word}
    sfx, pfx = [], []
    for fl in flags:
        r = rules.get(fl)
        if r:
            (sfx if r[0] == "SFX" else pfx).append(r)
    suffixed = []
    for _kind, cross, entries in sfx:
        for strip, add, rx in entries:
            if rx.search(word) and word.endswith(strip):
                w = word[:len(word) - len(strip)] + add
                forms.add(w)
                if cross:
                    suffixed.append(w)
    for _kind, cross, entries in pfx:
        for strip, add, rx in entries:
            if rx.search(word) and word.startswith(strip):
                forms.add(add + word[len(strip):])
            if cross:
                for w in suffixed:
                    if rx.search(w) and w.startswith(strip):
                        forms.add(add + w[len(strip):])
    return sorted(f for f in forms if f)


def hunspell(name):
    flag_type, rules = load_aff(HUNSPELL / f"{name}.aff")
    return load_dic(HUNSPELL / f"{name}.dic", flag_type), rules


def sample_lexicon(rng, entries, rules, alphabet, n):
    """n/2 dictionary stems (lemmas) and n/2 inflected forms of other stems,
    all lower case and made of `alphabet` only, at least 2 letters."""
    stems = sorted({w for w, _ in entries if len(w) >= 2 and set(w) <= alphabet})
    flags = {}
    for w, fl in entries:
        if w in flags:
            flags[w] = flags[w] + fl
        else:
            flags[w] = fl
    picked = rng.sample(stems, min(len(stems), n * 2))
    lemmas = picked[: n // 2]
    forms = []
    for w in picked[n // 2:]:
        if len(forms) >= n - n // 2:
            break
        cands = [f for f in expand(w, flags[w], rules) if f != w and len(f) >= 2 and set(f) <= alphabet]
        if cands:
            forms.append(rng.choice(cands))
    return sorted(lemmas), sorted(forms)


def proper_nouns(entries, alphabet):
    """Capitalized dictionary stems (names, surnames, places; not told apart)."""
    out = set()
    for w, _ in entries:
        if len(w) >= 2 and w[0].isupper() and w[1:].islower() and set(w.lower()) <= alphabet | {"-"}:
            out.add(w)
    return sorted(out)


def wordfreq_words(lang, alphabet, top):
    import wordfreq

    return [w for w in wordfreq.top_n_list(lang, top) if len(w) >= 2 and set(w) <= alphabet]


# --------------------------------------------------------------------------
# Realworld files (hand-written): checked, and their Cyrillic forms feed the
# items.
# --------------------------------------------------------------------------

RW_KINDS = ("name", "place", "title", "distinct")


def load_realworld(lang):
    path = OUT_BASE / lang / "realworld.tsv"
    rows = []
    raw = path.read_bytes().decode("utf-8")
    assert "\r" not in raw, f"{path}: CR in file"
    lines = raw.split("\n")
    assert lines[-1] == "", f"{path}: no final LF"
    assert lines[0].split("\t") == ["cluster", "kind", "form", "note"], lines[0]
    seen = set()
    for n, line in enumerate(lines[1:-1], 2):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        assert len(parts) == 4, (path, n, line)
        assert parts[1] in RW_KINDS, (path, n, line)
        for p in parts:
            assert p == nfc(p) and p == p.strip() and p, (path, n, "not NFC / blank / padded", line)
        if parts[1] == "distinct":
            assert parts[2].count("|") == 1, (path, n, line)
        assert (parts[0], parts[2]) not in seen, (path, n, "duplicate", line)
        seen.add((parts[0], parts[2]))
        rows.append(parts)
    clusters = {r[0] for r in rows if r[1] != "distinct"}
    for c in clusters:
        assert any(r[0] == c and r[2] == c for r in rows), (path, "cluster without its own Cyrillic form", c)
    return rows


def realworld_cyrillic(rows):
    """Cyrillic forms of the clusters, by kind (the cluster form first)."""
    out = {"name": [], "place": [], "title": []}
    for r in rows:
        if r[1] in out and CYRILLIC.search(r[2]) and r[2] not in out[r[1]]:
            out[r[1]].append(r[2])
    return out


# --------------------------------------------------------------------------
# Hand-written lists (real names and places, from general knowledge; no
# package of a registry has them for these languages).
# --------------------------------------------------------------------------

BE_SURNAMES = words_of("""
Багдановіч Быкаў Брыль Караткевіч Купала Колас Танк Шамякін Адамовіч Мележ
Гарэцкі Цётка Багушэвіч Скарына Каліноўскі Манюшка Дунін-Марцінкевіч Лынькоў
Панчанка Барадулін Глебка Куляшоў Пташнікаў Чорны Жылка Пімен Панчанка
Машэраў Шушкевіч Лукашэнка Кебіч Мясніковіч Арлоў Алексіевіч Някляеў Дашчынскі
Шалькевіч Бядуля Лучына Зарэцкі Дубоўка Пушча Гартны Калюга Кірэенка Грахоўскі
Навуменка Казько Стральцоў Адамчык Карпюк Кудравец Мікуліч Ліпскі Марціновіч
Ластоўскі Луцкевіч Тарашкевіч Станкевіч Ермаловіч Бярозкін Абдзіраловіч Сапега
Радзівіл Храптовіч Тышкевіч Агінскі Касцюшка Міцкевіч Пазняк Багданкевіч Гілевіч
Шыла Ваўчок Шукевіч Карповіч Васілеўскі Клімовіч Карабан Ярашэвіч Кавалёў Шаўчэнка
Кавалёва Лукашэвіч Гарбачэўскі Сцяпанаў Новікава Казлоўскі Жук Сокал Бондар
Левановіч Маслюкоў Сянкевіч Рудкоўскі Войцік Несцярэнка Макарэвіч Дзмітрыеў
Пракопчык Раманчук Грыневіч Пятровіч Зянькевіч Мацкевіч Трусаў Бохан Юркевіч
""")

BE_GIVEN = words_of("""
Янка Якуб Алесь Уладзімір Васіль Міхась Максім Францыск Кастусь Кузьма Рыгор
Аляксандр Аляксей Андрэй Антон Арцём Багдан Барыс Віктар Віталь Генадзь Георгій
Дзмітрый Дзяніс Зміцер Іван Ігар Кірыла Лявон Міхаіл Мікола Мікалай Павел Пятро
Сымон Сяргей Станіслаў Тадэвуш Уладзіслаў Юрый Язэп Ян Яўген Вацлаў Пімен Ігнат
Алена Алеся Ала Ганна Вольга Наталля Тацяна Святлана Ларыса Ядвіга Кацярына
Марыя Ірына Ксенія Людміла Надзея Вера Галіна Яўгенія Анастасія Дар'я Зінаіда
Еўфрасіння Лідзія Юлія Таццяна Марына Аксана Валянціна Раіса Алеся Паўліна Рагнеда
""")

BE_PLACES = words_of("""
Мінск Гомель Магілёў Віцебск Гродна Брэст Бабруйск Баранавічы Барысаў Пінск Орша
Мазыр Салігорск Наваполацк Ліда Маладзечна Полацк Жлобін Светлагорск Рэчыца Слуцк
Жодзіна Кобрын Слонім Ваўкавыск Калінкавічы Смаргонь Рагачоў Асіповічы Гарадок
Навагрудак Нясвіж Мір Заслаўе Тураў Крычаў Горкі Быхаў Клецк Івацэвічы Давыд-Гарадок
Ганцавічы Лунінец Пружаны Мядзел Нарач Браслаў Паставы Глыбокае Докшыцы Лепель
Докшыцы Шклоў Чавусы Мсціслаў Клімавічы Касцюковічы Хоцімск Чэрыкаў Слаўгарад
Хойнікі Брагін Нароўля Ельск Петрыкаў Жыткавічы Столін Драгічын Камянец Белавежа
Хатынь Курапаты Дзяржынск Стоўбцы Вілейка Радашковічы Ракаў Івянец Валожын Іўе
Ашмяны Астравец Свіслач Бераставіца Шчучын Скідзель Зэльва Дзятлава Карэлічы Любань
Палессе Беларусь Нёман Дзвіна Прыпяць Бярэзіна Сож
""")

BG_PLACES = list_of("""
София, Пловдив, Варна, Бургас, Русе, Стара Загора, Плевен, Сливен, Добрич, Шумен,
Перник, Хасково, Ямбол, Пазарджик, Благоевград, Велико Търново, Враца, Габрово,
Асеновград, Видин, Казанлък, Кърджали, Кюстендил, Монтана, Димитровград, Търговище,
Силистра, Ловеч, Разград, Дупница, Горна Оряховица, Свищов, Смолян, Петрич, Сандански,
Самоков, Севлиево, Лом, Карлово, Велинград, Нова Загора, Троян, Айтос, Ботевград,
Гоце Делчев, Харманли, Карнобат, Свиленград, Панагюрище, Чирпан, Попово, Раднево,
Поморие, Несебър, Созопол, Балчик, Каварна, Банско, Копривщица, Трявна, Елена, Мелник,
Рила, Бачково, Жеравна, Арбанаси, Етъра, Калофер, Сопот, Клисура, Батак, Брацигово,
Перущица, Шипка, Оборище, Дряново, Тетевен, Етрополе, Пирин, Родопи, Стара планина,
Странджа, Витоша, Мусала, Дунав, Марица, Искър, Тунджа, Струма, Янтра, Места,
Черно море, Добруджа, Тракия, Мизия, България
""")

SR_PLACES = list_of("""
Београд, Нови Сад, Ниш, Крагујевац, Суботица, Зрењанин, Панчево, Чачак, Нови Пазар,
Краљево, Смедерево, Лесковац, Ваљево, Ужице, Вршац, Шабац, Сомбор, Пожаревац, Пирот,
Зајечар, Кикинда, Сремска Митровица, Јагодина, Врање, Бор, Прокупље, Лозница, Сента,
Ариље, Ивањица, Горњи Милановац, Аранђеловац, Параћин, Ћуприја, Крушевац, Врњачка Бања,
Сокобања, Неготин, Кладово, Голубац, Доњи Милановац, Пријепоље, Прибој, Златибор,
Копаоник, Тара, Фрушка Гора, Сремски Карловци, Петроварадин, Топола, Опленац,
Студеница, Жича, Манасија, Раваница, Дечани, Грачаница, Призрен, Пећ, Косово,
Метохија, Шумадија, Војводина, Рашка, Мачва, Бачка, Банат, Срем, Дунав, Сава, Морава,
Дрина, Ибар, Тимок, Колубара, Јадар, Ловћен, Цетиње, Србија
""")

SR_SURNAMES = words_of("""
Караџић Обрадовић Тесла Пупин Андрић Црњански Селимовић Киш Пекић Павић Ћосић
Његош Петровић Карађорђевић Обреновић Милошевић Ђинђић Тадић Вучић Коштуница
Пашић Стојадиновић Михајловић Ранковић Ђилас Нушић Стерија Поповић Јакшић Змај
Илић Дучић Ракић Шантић Ћоровић Кочић Сремац Матавуљ Глишић Лазаревић Веселиновић
Домановић Станковић Ускоковић Винавер Настасијевић Попа Лалић Ђорђевић
Јовановић Николић Марковић Стефановић Павловић Милановић Ђурић Живковић Стојановић
Милић Јанковић Тодоровић Костић Митровић Лукић Савић Ристић Радовановић Петковић
Симић Марић Вуковић Васић Томић Ђокић Бошковић Филиповић Блажић Крстић Шарац
Ћирић Ђукић Јеремић Милутиновић Бабић Ковачевић Радић Ћурчић Вујић Дамњановић
Ђуровић Јоксимовић Миљковић Радуловић Стевановић Шћекић Мрђа Ђаковић
""")

SR_GIVEN = words_of("""
Вук Никола Иво Михајло Милош Милан Драган Зоран Горан Ненад Дејан Душан Бранислав
Бранко Жарко Ђорђе Љубиша Небојша Слободан Војислав Александар Стефан Лазар Марко
Урош Немања Синиша Предраг Радомир Живојин Јован Добрица Мирослав Данило Петар
Ђура Лаза Бора Милутин Момчило Станислав Светозар Радован Ратко Вељко Тихомир
Драгиша Љубомир Јелена Милица Марија Ана Јована Драгана Љиљана Снежана Гордана
Даница Десанка Исидора Ксенија Катарина Мирјана Наташа Тијана Ивана Биљана Војислава
Светлана Невена Оливера Зорица Ружица Анђела Ђурђа Видосава Стана Смиљана Љубица
""")

MK_PLACES = list_of("""
Скопје, Битола, Куманово, Прилеп, Тетово, Велес, Штип, Охрид, Гостивар, Струмица,
Кавадарци, Кочани, Кичево, Струга, Радовиш, Гевгелија, Дебар, Крива Паланка,
Свети Николе, Неготино, Делчево, Виница, Ресен, Пробиштип, Берово, Кратово, Валандово,
Македонски Брод, Демир Хисар, Крушево, Демир Капија, Богданци, Дојран, Маврово,
Пехчево, Лозово, Чашка, Зелениково, Сарај, Аеродром, Карпош, Чаир, Центар, Гази Баба,
Кисела Вода, Шуто Оризари, Бутел, Ѓорче Петров, Вардар, Црна Река, Брегалница, Треска,
Пелагонија, Полог, Преспа, Галичица, Пелистер, Шар Планина, Кораб, Јакупица, Козјак,
Осогово, Беласица, Плачковица, Мариово, Малешево, Дебарца, Поречие, Македонија
""")


# --------------------------------------------------------------------------
# Item builders.  Each returns [(category, cyrillic)], unique strings, in the
# order of the categories.
# --------------------------------------------------------------------------

class Items:
    def __init__(self):
        self.items, self.seen = [], set()

    def add(self, cat, s):
        s = nfc(s.strip())
        if s and s not in self.seen and "\t" not in s and "\n" not in s:
            self.seen.add(s)
            self.items.append((cat, s))
            return True
        return False

    def add_upto(self, cat, pool, n):
        """Add items of `pool` in order until the category has n items."""
        k = sum(1 for c, _ in self.items if c == cat)
        for s in pool:
            if k >= n:
                break
            if self.add(cat, s):
                k += 1

    def count(self, cat):
        return sum(1 for c, _ in self.items if c == cat)


def interleave(*lists):
    out = []
    for i in range(max(len(x) for x in lists)):
        for x in lists:
            if i < len(x):
                out.append(x[i])
    return out


def shuffled(rng, xs):
    xs = sorted(set(xs))
    return rng.sample(xs, len(xs))


def faker_list(cls, name):
    v = getattr(cls, name, ())
    return [nfc(x) for x in (v.keys() if hasattr(v, "keys") else v)]


def apostrophe_twins(rng, words, n):
    """Words with ASCII ' rewritten with U+02BC and U+2019 (both common in real text)."""
    with_ap = sorted(w for w in words if "'" in w)
    pick = rng.sample(with_ap, min(n, len(with_ap)))
    half = len(pick) // 2
    return [w.replace("'", "\u02bc") for w in pick[:half]] + [w.replace("'", "\u2019") for w in pick[half:]]


def build_uk(rng, rw):
    import pymorphy3
    from faker.providers.address.uk_UA import Provider as Addr
    from faker.providers.person.uk_UA import Provider as Person

    it = Items()
    print("uk: reading the pymorphy3 Ukrainian dictionary (about 1.5 minutes)...", file=sys.stderr)
    morph = pymorphy3.MorphAnalyzer(lang="uk")
    alpha = ALPHABET["uk"]
    lemmas, forms = set(), set()
    surn, names, patrs = {}, {"masc": set(), "femn": set()}, {"masc": set(), "femn": set()}
    for word, tag, normal, _p, _i in morph.dictionary.iter_known_words():
        g = tag.grammemes
        if g & {"Surn", "Name", "Patr"}:
            if "nomn" in g and "plur" not in g and set(word) <= alpha | {"-"}:
                gender = "masc" if "masc" in g else "femn" if "femn" in g else None
                if gender and "Surn" in g:
                    surn.setdefault(normal, {})[gender] = word
                elif gender and "Patr" in g:
                    patrs[gender].add(word)
                elif gender:
                    names[gender].add(word)
            continue
        if g & {"Abbr", "Init", "Geox", "Orgn", "Trad"} or len(word) < 2 or not set(word) <= alpha:
            continue
        (lemmas if word == normal else forms).add(word)
    forms -= lemmas
    entries, rules = hunspell("uk_UA")

    # words: 600 pymorphy3 (300 lemmas, 300 forms), 600 hunspell, 300 wordfreq
    pm = rng.sample(sorted(lemmas), 300) + rng.sample(sorted(forms), 300)
    hl, hf = sample_lexicon(rng, entries, rules, alpha, 600)
    words = sorted(set(pm + hl + hf))
    words += apostrophe_twins(rng, words, 30)
    for w in sorted(words):
        it.add("word", w)
    freq = wordfreq_words("uk", alpha, 20000)
    it.add_upto("frequent", sorted(rng.sample(freq, 400)), 300)

    # names
    for s in rw["name"]:
        it.add("surname", s)
    last = faker_list(Person, "last_names_common") + faker_list(Person, "last_names_male_only") \
        + faker_list(Person, "last_names_female_only")
    pm_s = sorted((k, v) for k, v in surn.items() if "masc" in v)
    pm_pairs = []
    for _k, v in rng.sample(pm_s, 400):
        pm_pairs.append(cap(v["masc"]))
        if "femn" in v and v["femn"] != v["masc"]:
            pm_pairs.append(cap(v["femn"]))
    it.add_upto("surname", shuffled(rng, last)[:300] + pm_pairs, 600)
    male = faker_list(Person, "first_names_male")
    female = faker_list(Person, "first_names_female")
    it.add_upto("given", interleave(shuffled(rng, male), shuffled(rng, female)), 200)
    it.add_upto("given", interleave([cap(w) for w in shuffled(rng, names["masc"])],
                                    [cap(w) for w in shuffled(rng, names["femn"])]), 300)
    mid_m = faker_list(Person, "middle_names_male")
    mid_f = faker_list(Person, "middle_names_female")
    it.add_upto("patronymic", interleave(shuffled(rng, mid_m), shuffled(rng, mid_f)), 120)
    it.add_upto("patronymic", interleave([cap(w) for w in shuffled(rng, patrs["masc"])],
                                         [cap(w) for w in shuffled(rng, patrs["femn"])]), 200)
    com = faker_list(Person, "last_names_common")
    lm = com + faker_list(Person, "last_names_male_only")
    lf = com + faker_list(Person, "last_names_female_only")
    full = []
    for _ in range(600):
        if rng.random() < 0.5:
            full.append(f"{rng.choice(male)} {rng.choice(mid_m)} {rng.choice(lm)}")
        else:
            full.append(f"{rng.choice(female)} {rng.choice(mid_f)} {rng.choice(lf)}")
    it.add_upto("fullname", full, 250)
    # places
    for s in rw["place"]:
        it.add("place", s)
    cities = faker_list(Addr, "city_names") + faker_list(Addr, "region_names")
    it.add_upto("place", shuffled(rng, cities), 350)
    for s in rw["title"]:
        it.add("title", s)
    return it.items


def build_be(rng, rw):
    it = Items()
    alpha = ALPHABET["be"]
    entries, rules = hunspell("be_BY")
    hl, hf = sample_lexicon(rng, entries, rules, alpha, 1500)
    words = sorted(set(hl + hf))
    words += apostrophe_twins(rng, words, 20)
    for w in sorted(words):
        it.add("word", w)
    for s in rw["name"]:
        it.add("surname", s)
    it.add_upto("surname", BE_SURNAMES, 400)
    it.add_upto("given", BE_GIVEN, 400)
    it.add_upto("propernoun", shuffled(rng, proper_nouns(entries, alpha)), 500)
    male = [g for g in BE_GIVEN if not g.endswith(("а", "я"))] + ["Янка", "Кузьма"]
    female = [g for g in BE_GIVEN if g.endswith(("а", "я")) and g not in ("Янка", "Кузьма")]
    fem_sur = {"ў": "ва", "ін": "іна", "скі": "ская", "цкі": "цкая"}
    full = []
    for _ in range(600):
        sur = rng.choice(BE_SURNAMES)
        if rng.random() < 0.5:
            full.append(f"{rng.choice(male)} {sur}")
        else:
            for a, b in fem_sur.items():
                if sur.endswith(a):
                    sur = sur[: -len(a)] + b
                    break
            full.append(f"{rng.choice(female)} {sur}")
    it.add_upto("fullname", full, 200)
    for s in rw["place"]:
        it.add("place", s)
    it.add_upto("place", BE_PLACES, 400)
    for s in rw["title"]:
        it.add("title", s)
    return it.items


def build_bg(rng, rw):
    from faker.providers.person.bg_BG import Provider as Person

    it = Items()
    alpha = ALPHABET["bg"]
    entries, rules = hunspell("bg_BG")
    hl, hf = sample_lexicon(rng, entries, rules, alpha, 1200)
    for w in sorted(set(hl + hf)):
        it.add("word", w)
    freq = wordfreq_words("bg", alpha, 20000)
    it.add_upto("frequent", sorted(rng.sample(freq, 400)), 300)
    for s in rw["name"]:
        it.add("surname", s)
    lm = faker_list(Person, "last_names_male")
    lf = faker_list(Person, "last_names_female")
    it.add_upto("surname", interleave(shuffled(rng, lm), shuffled(rng, lf)), 300)
    prop = proper_nouns(entries, alpha)
    sur_like = [w for w in prop if w.endswith(("ов", "ев", "ова", "ева", "ски", "ска"))]
    it.add_upto("surname", shuffled(rng, sur_like), 450)
    fm = faker_list(Person, "first_names_male")
    ff = faker_list(Person, "first_names_female")
    it.add_upto("given", interleave(shuffled(rng, fm), shuffled(rng, ff)), 300)
    it.add_upto("propernoun", shuffled(rng, [w for w in prop if w not in set(sur_like)]), 300)
    full = []
    for _ in range(600):
        if rng.random() < 0.5:
            full.append(f"{rng.choice(fm)} {rng.choice(lm)}")
        else:
            full.append(f"{rng.choice(ff)} {rng.choice(lf)}")
    it.add_upto("fullname", full, 250)
    for s in rw["place"]:
        it.add("place", s)
    it.add_upto("place", BG_PLACES, 400)
    for s in rw["title"]:
        it.add("title", s)
    return it.items


def build_sr(rng, rw):
    it = Items()
    alpha = ALPHABET["sr"]
    entries, rules = hunspell("sr_RS")
    hl, hf = sample_lexicon(rng, entries, rules, alpha, 1500)
    for w in sorted(set(hl + hf)):
        it.add("word", w)
    for s in rw["name"]:
        it.add("surname", s)
    it.add_upto("surname", SR_SURNAMES, 200)
    prop = proper_nouns(entries, alpha)
    ic = [w for w in prop if w.endswith("ић")]
    other = [w for w in prop if not w.endswith("ић")]
    it.add_upto("surname", shuffled(rng, ic), 500)
    it.add_upto("given", SR_GIVEN, 200)
    it.add_upto("propernoun", shuffled(rng, other), 300)
    male = [g for g in SR_GIVEN if not g.endswith("а")] + ["Никола", "Ђура", "Лаза", "Бора", "Ђорђе"]
    female = [g for g in SR_GIVEN if g.endswith("а") and g not in ("Никола", "Ђура", "Лаза", "Бора")]
    full = []
    for _ in range(600):
        g = rng.choice(male) if rng.random() < 0.5 else rng.choice(female)
        sur = rng.choice(SR_SURNAMES) if rng.random() < 0.6 else rng.choice(ic)
        full.append(f"{g} {sur}")
    it.add_upto("fullname", full, 200)
    for s in rw["place"]:
        it.add("place", s)
    it.add_upto("place", SR_PLACES, 400)
    for s in rw["title"]:
        it.add("title", s)
    return it.items


def build_mk(rng, rw):
    from faker.providers.address.mk_MK import Provider as Addr
    from faker.providers.person.mk_MK import Provider as Person

    it = Items()
    alpha = ALPHABET["mk"]
    heads = []
    for line in FREEDICT_MKD.read_bytes().decode("utf-8").split("\n"):
        w = nfc(line.split("\t", 1)[0])
        if len(w) >= 2 and set(w) <= alpha:
            heads.append(w)
    heads = sorted(set(heads))
    freq = wordfreq_words("mk", alpha, 50000)
    lemmas = sorted(rng.sample(heads, 600))
    for w in lemmas:
        it.add("word", w)
    it.add_upto("frequent", sorted(rng.sample(freq, 1400)), 1000)
    for s in rw["name"]:
        it.add("surname", s)
    lm = faker_list(Person, "last_names_male")
    lf = faker_list(Person, "last_names_female")
    it.add_upto("surname", interleave(shuffled(rng, lm), shuffled(rng, lf)), 400)
    fm = faker_list(Person, "first_names_male")
    ff = faker_list(Person, "first_names_female")
    it.add_upto("given", interleave(shuffled(rng, fm), shuffled(rng, ff)), 300)
    full = []
    for _ in range(600):
        if rng.random() < 0.5:
            full.append(f"{rng.choice(fm)} {rng.choice(lm)}")
        else:
            full.append(f"{rng.choice(ff)} {rng.choice(lf)}")
    it.add_upto("fullname", full, 250)
    for s in rw["place"]:
        it.add("place", s)
    places = MK_PLACES + shuffled(rng, faker_list(Addr, "cities")) + shuffled(rng, faker_list(Addr, "streets"))
    it.add_upto("place", places, 250)
    for s in rw["title"]:
        it.add("title", s)
    return it.items


BUILDERS = {"uk": build_uk, "be": build_be, "bg": build_bg, "sr": build_sr, "mk": build_mk}


# --------------------------------------------------------------------------
# Tools.  `standard` is the published standard a column follows (empty:
# none / ad hoc); `note` says what was seen in its output.  The count of
# cells that still contain Cyrillic is measured and appended to the note.
# --------------------------------------------------------------------------

ICU_NOTE_CYR = ("ICU's generic Cyrillic transform: ISO 9-like letters with diacritics "
                "(ŝ, â, û, ê, č, ž), ь as ʹ, ъ as ʺ")

# tool -> (standard, note), per language
TOOLS = {
    "uk": [
        ("icu:Ukrainian-Latin/BGN", "BGN/PCGN 1965 (Ukrainian)",
         "ICU/CLDR uk-uk_Latn/BGN; writes the BGN separator · (z·h for зг), ь as ʹ, ' kept"),
        ("icu:Cyrillic-Latin", "",
         ICU_NOTE_CYR + "; not a Ukrainian system: г→g, і→í, ї→í̈ (í plus a combining diaeresis), и→i, ґ→g̀"),
        ("icu:Any-Latin;Latin-ASCII", "", "ICU generic, folded to ASCII: і, и and ї all become i, г and ґ g"),
        ("translitua:KMU", "Ukrainian national system 2010 (Cabinet of Ministers resolution 55; BGN/PCGN 2019, UNGEGN 2012)",
         "word-initial є ї й ю я as ye yi y yu ya; зг→zgh; ь and ' dropped; an all-caps word gets title-case digraphs (ЮРІЙ→YuRII)"),
        ("translitua:Simple", "", "ad hoc (the table of the transliterate package); й→j, ю→ju, є→ye"),
        ("translitua:WWS", "", "scholarly (linguistic) transliteration, a convention rather than a standard; х→x; drops '"),
        ("translitua:British", "British Standard 2979:1958", "и→ȳ, й→ĭ; drops ь and '"),
        ("translitua:BGN", "BGN/PCGN 1965 (Ukrainian)", "superseded in 2019; ь and ' as ASCII '"),
        ("translitua:ISO9", "ISO 9:1995", "і→ì, ї→ï, г→g, ґ→g̀; ь as U+2032 ′ (ISO 9 has ʹ U+02B9)"),
        ("translitua:French", "", "French-style transcription (ou, tch, ch, j), not a standard"),
        ("translitua:German", "", "German-style transcription (sch, tsch, w, ch), not a standard"),
        ("translitua:GOST1971", "GOST 16876-71 (table 2, Latin without diacritics)", "щ→shh, ї→ji, г→g"),
        ("translitua:GOST1986", "GOST 16876-71 as amended 1986 (table 1, diacritics)", "ї→i, щ→šč, ь as '"),
        ("translitua:Passport2007", "Ukrainian passport rules 2007 (Ministry of Internal Affairs order)", "г→g, є ю я → ie iu ia"),
        ("translitua:National1996", "Ukrainian Legal Terminology Commission 1996 system", "щ→sch; ь as '"),
        ("translitua:Passport2004Alt", "",
         "labelled 'Passport 2004' by the package, but it writes к as c before a, o, u and consonants "
         "(Kyiv→Cyiv, Kharkiv→Kharciv, Shevchenko→Shevchenco); we found no published system that does, so it is not counted as a standard"),
        ("translitua:DSTU9112A", "DSTU 9112:2021 system A", "diacritics: ğ for г, ŝ for щ, ï for ї; ь as j (Lviv→Ljviv); ' kept"),
        ("translitua:DSTU9112B", "DSTU 9112:2021 system B", "ASCII: gh for г, shch for щ, ь as j; ' kept"),
        ("translitua:ALALC", "ALA-LC romanization tables (Ukrainian)", "tie bars U+0361 (i͡a, z͡h), ь as ʹ, й→ĭ"),
        ("translitua:ALALCModified", "", "ALA-LC without ties, diacritics, ь or '; a usage, not a standard"),
        ("cyrtranslit:ua", "",
         "ad hoc (the package says scientific, but х→x, г→h, й→j, ь and ' as ASCII '); Czech-style č š ž"),
        ("transliterate:uk", "", "ad hoc: ю→ju, я→ja but є→ye, ї→yi, и→y, х→kh"),
        ("unidecode", "", "language-blind (Russian-based): г→g, и→i, і→i, ї→yi, є→ie, ю→iu"),
        ("anyascii", "", "language-blind: г→g, и→i, ї→i, є→ie, ю→yu"),
    ],
    "be": [
        ("icu:Belarusian-Latin/BGN", "BGN/PCGN 1979 (Belarusian)", "ў→w, г→h, е→ye after consonants too (Гомель→Homyelʹ), ь as ʹ"),
        ("icu:Cyrillic-Latin", "", ICU_NOTE_CYR + "; not a Belarusian system: г→g, э→é, і→í, ў→ŭ"),
        ("icu:Any-Latin;Latin-ASCII", "", "ICU generic, folded to ASCII: г→g, ў→u"),
        ("cyrtranslit:by", "", "ad hoc (the package cites ISO 9 and BGN/PCGN but follows neither): г→h, х→x, э→ė, ё→ë, ь as '"),
        ("latynkatar:modern", "",
         "Belarusian Łacinka (Latin alphabet) in its modern form, č š ž v, ł for hard л, soft consonants with an acute (ś ć ń ź); "
         "marks transitive softness (сн→śn). A traditional orthography with no published romanization standard"),
        ("latynkatar:modern_plain", "", "as latynkatar:modern without marking transitive softness"),
        ("latynkatar:old", "", "Łacinka with the older Polish-style letters: cz sz ż w (Iwan, Łukaszenka)"),
        ("latynkatar:old_plain", "", "as latynkatar:old without marking transitive softness"),
        ("unidecode", "", "language-blind (Russian-based): г→g, ў→u, ё→io, ю→iu"),
        ("anyascii", "", "language-blind: г→g, ў→u, ё→e"),
    ],
    "bg": [
        ("icu:Bulgarian-Latin/BGN", "BGN/PCGN 1952 (Bulgarian)", "ъ→ŭ, х→kh, щ→sht, -ия→-iya (not the 2009/2013 system)"),
        ("icu:Cyrillic-Latin", "", ICU_NOTE_CYR + "; щ→ŝ, ъ→ʺ, я→â (a capital Ъ becomes ʺ with a combining macron below: Ъгъл→ʺ̱gʺl; no item starts with Ъ)"),
        ("icu:Any-Latin;Latin-ASCII", "", "ICU generic, folded to ASCII: щ→s, ъ→\" (an ASCII double quote inside the word: B\"lgaria)"),
        ("cyrtranslit:bg", "",
         "mixed: Streamlined System letters (zh ts ch sh sht yu ya) but ъ→ă and ь→j; a capital digraph letter is all caps "
         "even in a capitalized word (Щастие→SHTastie, Юлия→YUliya, Цветан→TSvetan)"),
        ("transliterate:bg", "Bulgarian Streamlined System (Transliteration Act 2009; BGN/PCGN 2013, UNGEGN 2012)",
         "follows the letter table (ъ→a, щ→sht, ь→y) but not its rule for word-final -ия (България→Balgariya, the standard has Bulgaria)"),
        ("unidecode", "", "language-blind (Russian-based): щ→shch, ъ→', х→kh, ю→iu"),
        ("anyascii", "", "language-blind: щ→shch, ъ→', х→kh"),
    ],
    "sr": [
        ("icu:Serbian-Latin/BGN", "BGN/PCGN 1962 (Serbian; the Serbian Latin alphabet)", "Gaj's Latin: đ ć č š ž lj nj dž; an all-caps word gets all-caps digraphs (LJUBICA)"),
        ("icu:Cyrillic-Latin", "", ICU_NOTE_CYR + "; ISO 9 letters for the Serbian ones: љ→l̂, њ→n̂, џ→d̂, ј→ǰ"),
        ("icu:Any-Latin;Latin-ASCII", "", "ICU generic, folded to ASCII: ђ→d, ћ→c, љ→l, њ→n, џ→d, ј→j"),
        ("cyrtranslit:sr", "Serbian Latin alphabet (Gaj's Latin, the official Latin script of Serbian)", "lj nj dž đ ć"),
        ("transliterate:sr", "Serbian Latin alphabet (Gaj's Latin, the official Latin script of Serbian)", "lj nj dž đ ć"),
        ("unidecode", "", "language-blind (Russian-based): ћ→tsh, ђ→dj, ц→ts, ш→sh"),
        ("anyascii", "", "language-blind: ћ→c, ђ→dj, ц→ts, ш→sh"),
    ],
    "mk": [
        ("icu:Macedonian-Latin/BGN", "BGN/PCGN 1981 (Macedonian)", "ǵ ḱ dz dž lj nj (the official Macedonian Latin alphabet)"),
        ("icu:Cyrillic-Latin", "", ICU_NOTE_CYR + "; ISO 9 letters: ѕ→ẑ, џ→d̂, љ→l̂, њ→n̂, ј→ǰ"),
        ("icu:Any-Latin;Latin-ASCII", "", "ICU generic, folded to ASCII: ѓ→g, ќ→k, ѕ→z, џ→d, љ→l, њ→n"),
        ("cyrtranslit:mk", "ISO/R 9:1968 as adopted by the Macedonian Academy (1970): the Macedonian Latin alphabet", "ǵ ḱ dz dž lj nj"),
        ("transliterate:mk", "", "ad hoc ASCII: ѓ→gj, ќ→kj, џ→dzh, ч→ch, ш→sh, ж→zh, but ц→c"),
        ("unidecode", "", "language-blind: ѓ→gj, ќ→kj, ц→ts, х→kh"),
        ("anyascii", "", "language-blind: ѓ→g, ќ→k, ц→ts, х→kh"),
    ],
}


def tool_functions(lang):
    import anyascii
    import cyrtranslit
    import unidecode
    from transliterate import translit

    fns = {"unidecode": unidecode.unidecode, "anyascii": anyascii.anyascii}
    if lang == "uk":
        import translitua

        for cls in translitua.ALL_UKRAINIAN:
            name = cls.__name__[len("Ukrainian"):]
            fns[f"translitua:{name}"] = (lambda c: lambda s: translitua.translit(s, c))(cls)
        fns["cyrtranslit:ua"] = lambda s: cyrtranslit.to_latin(s, "ua")
        fns["transliterate:uk"] = lambda s: translit(s, "uk", reversed=True)
    elif lang == "be":
        from latynkatar import CyrLatConverter

        fns["cyrtranslit:by"] = lambda s: cyrtranslit.to_latin(s, "by")
        for name, old, pal in [("modern", False, True), ("modern_plain", False, False),
                               ("old", True, True), ("old_plain", True, False)]:
            fns[f"latynkatar:{name}"] = (lambda o, p: lambda s: CyrLatConverter(s).convert(old_rules=o, palatalization=p))(old, pal)
    else:
        fns[f"cyrtranslit:{lang}"] = lambda s: cyrtranslit.to_latin(s, lang)
        fns[f"transliterate:{lang}"] = lambda s: translit(s, lang, reversed=True)
    return fns


def run_icu(tid, texts):
    payload = "\n".join(texts) + "\n"
    res = subprocess.run(["uconv", "-f", "utf-8", "-t", "utf-8", "-x", tid],
                         input=payload.encode("utf-8"), capture_output=True, check=True)
    lines = res.stdout.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(texts):
        raise RuntimeError(f"icu:{tid}: {len(lines)} lines for {len(texts)} items")
    return [clean(x) for x in lines]


def romanize(lang, texts):
    fns = tool_functions(lang)
    cols, fails = {}, {}
    for name, _std, _note in TOOLS[lang]:
        if name.startswith("icu:"):
            try:
                cols[name], fails[name] = run_icu(name[4:], texts), 0
            except Exception as e:  # noqa: BLE001 -- tool errors are data
                print(f"{name} failed: {e}", file=sys.stderr)
                cols[name], fails[name] = [""] * len(texts), len(texts)
            continue
        fn, out, nf = fns[name], [], 0
        for s in texts:
            try:
                r = fn(s)
                out.append(clean(r if isinstance(r, str) else str(r)))
            except Exception:  # noqa: BLE001
                out.append("")
                nf += 1
        cols[name], fails[name] = out, nf
    missing = set(fns) - {n for n, _s, _t in TOOLS[lang]}
    assert not missing, f"tools without a TOOLS entry: {missing}"
    return cols, fails


def generate(lang):
    rng = random.Random(f"{SEED}-{lang}")
    rw = realworld_cyrillic(load_realworld(lang))
    items = BUILDERS[lang](rng, rw)
    texts = [s for _, s in items]
    cols, fails = romanize(lang, texts)
    order = [n for n, _s, _t in TOOLS[lang]]
    out_dir = OUT_BASE / lang
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "items.tsv"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(["category", "cyrillic"] + order) + "\n")
        for i, (cat, s) in enumerate(items):
            f.write("\t".join([cat, s] + [cols[n][i] for n in order]) + "\n")
    with open(out_dir / "tools.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("tool\tstandard\tnote\n")
        for name, std, note in TOOLS[lang]:
            cyr = sum(1 for x in cols[name] if CYRILLIC.search(x))
            same = sum(1 for x, s in zip(cols[name], texts) if x == s)
            measured = f"cells still containing Cyrillic: {cyr} of {len(texts)}"
            if same:
                measured += f"; cells equal to the input: {same}"
            if fails[name]:
                measured += f"; failures (empty cells): {fails[name]}"
            f.write(f"{name}\t{std}\t{note}. {measured}\n")
    counts = {}
    for cat, _ in items:
        counts[cat] = counts.get(cat, 0) + 1
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(items)} rows, {len(order)} tools)", file=sys.stderr)
    for cat, n in counts.items():
        print(f"  {cat}\t{n}", file=sys.stderr)
    for n in order:
        cyr = sum(1 for x in cols[n] if CYRILLIC.search(x))
        print(f"  {n}\tfailures {fails[n]}\tcells with Cyrillic {cyr}", file=sys.stderr)
