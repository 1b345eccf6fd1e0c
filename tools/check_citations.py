#!/usr/bin/env python3
"""Check the hand-labelled citation test set (tests/data/citations/*.tsv).

How to run (from the repository root; Python 3.8+, standard library only):

    python3 tools/check_citations.py            # check, print problems, exit 1 if any
    python3 tools/check_citations.py --summary  # also print the counts README.md quotes
    python3 tools/check_citations.py --dir tests/data/citations/synthetic
                    # check another directory (the machine-made synthetic set)
    python3 tools/check_citations.py --self-test
                    # break copies of real rows in sixteen ways and fail unless
                    # every broken copy is reported (the checks can fail)

It checks every file against the format of tests/data/citations/README.md:

* encoding and layout: UTF-8 without BOM, LF line ends, a final newline, NFC,
  no control characters, no leading/trailing blanks in a cell, 16 cells a row,
  the exact header row;
* values: ids and group/stream ids are lower-case ASCII words joined by '-',
  ids are unique across all files, convention and kind are from the fixed
  lists, volume is digits, issue is digits or `N (M)`, year is 4 digits,
  pages are `N` or `N-M` with N < M (ranges written out in full);
* agreement with the citation text (catches shifted cells and typos): every
  author surname, the title, container, place and publisher occur verbatim in
  the citation; the year, the volume (in arabic or roman numerals), the issue
  number and the first page occur as numbers in it; the last page of a range
  occurs in full or abbreviated (239-241 may be printed 239–41);
* groups: all rows of a group have the same kind, the same volume and issue
  where given, and (articles and newspapers) the same year where given; every
  group has at least one row with a title or container (a full citation);
* streams: the rows of a stream are consecutive and in one file, the first row
  of a stream is a full citation, and an "Ibid."-type row (no author, title or
  container) that does not name a volume belongs to the group of the row
  before it.

The synthetic subdirectory is not part of the hand-checked set and is read
only when named with --dir.
"""

import collections
import os
import re
import sys
import unicodedata

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DATA = os.path.join(ROOT, "tests", "data", "citations")

HEADER = ("id group stream convention citation kind authors title container "
          "volume issue year pages place publisher source").split()
CONVENTIONS = ("chicago-note chicago-bib romanized-ru gost pre1918 german "
               "french polish apa harvard").split()
KINDS = "book article chapter newspaper collected".split()
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISSUE_RE = re.compile(r"^(\d+)(?: \((\d+)\))?$")
PAGES_RE = re.compile(r"^(\d+)(?:-(\d+))?$")
TRAILING_PUNCT = ".,;:"
# A title or container keeps the full stop of an abbreviation it ends with
# (`Полн. собр. соч.`, `1917–1918 гг.`, `Извѣстія Ц. И. К.`); any other final
# punctuation is the citation's, not the element's, and must be left out.
ABBREVIATIONS = ("соч.", "гг.", "г.", "soch.", "gg.")
INITIAL_RE = re.compile(r"(?:^|[\s.])\w\.$")
QUOTES = "\"'«»„“”‘’‚"

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n):
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def has_number(text, number):
    """True if `number` occurs in text as a whole number (not inside a longer one)."""
    return re.search(r"(?<!\d)" + re.escape(number) + r"(?!\d)", text) is not None


def has_roman(text, n):
    return re.search(r"(?<![A-Za-z])" + roman(n) + r"(?![A-Za-z])", text) is not None


def is_cyrillic(text):
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


class Row:
    def __init__(self, path, lineno, cells):
        self.path = path
        self.lineno = lineno
        self.cells = dict(zip(HEADER, cells))

    def __getitem__(self, key):
        return self.cells[key]

    def where(self):
        return "%s:%d" % (os.path.relpath(self.path, ROOT), self.lineno)

    def is_full(self):
        return bool(self["title"] or self["container"])

    def is_ibid(self):
        return not (self["authors"] or self["title"] or self["container"])


def read_file(path, problems):
    rows = []
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("%s: starts with a byte-order mark" % path)
    if b"\r" in raw:
        problems.append("%s: contains CR (line ends must be LF)" % path)
    if raw and not raw.endswith(b"\n"):
        problems.append("%s: no newline at the end" % path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append("%s: not UTF-8 (%s)" % (path, err))
        return rows
    seen_header = False
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        where = "%s:%d" % (os.path.relpath(path, ROOT), lineno)
        if unicodedata.normalize("NFC", line) != line:
            problems.append("%s: not NFC" % where)
        if any(unicodedata.category(ch) == "Cc" and ch != "\t" for ch in line):
            problems.append("%s: control character" % where)
        if line.startswith("#"):
            continue
        cells = line.split("\t")
        if not seen_header:
            if cells != HEADER:
                problems.append("%s: header must be: %s" % (where, " ".join(HEADER)))
            seen_header = True
            continue
        if len(cells) != len(HEADER):
            problems.append("%s: %d cells, expected %d" % (where, len(cells), len(HEADER)))
            continue
        for name, cell in zip(HEADER, cells):
            if cell != cell.strip():
                problems.append("%s: %s has leading/trailing blanks" % (where, name))
        rows.append(Row(path, lineno, cells))
    if not seen_header:
        problems.append("%s: no header row" % path)
    return rows


def check_row(row, problems):
    def bad(msg):
        problems.append("%s (%s): %s" % (row.where(), row["id"], msg))

    cit = row["citation"]
    for name in HEADER:
        if unicodedata.normalize("NFC", row[name]) != row[name]:
            bad("%s is not NFC" % name)
        if "\t" in row[name] or "\n" in row[name]:
            bad("%s contains a TAB or newline" % name)
    for key in ("id", "group"):
        if not ID_RE.match(row[key]):
            bad("%s %r is not lower-case words joined by '-'" % (key, row[key]))
    if row["stream"] and not ID_RE.match(row["stream"]):
        bad("stream %r is not lower-case words joined by '-'" % row["stream"])
    if row["convention"] not in CONVENTIONS:
        bad("unknown convention %r" % row["convention"])
    if row["kind"] not in KINDS:
        bad("unknown kind %r" % row["kind"])
    if not cit:
        bad("empty citation")
    if "  " in cit:
        bad("double blank in citation")
    if not row["source"]:
        bad("empty source")

    if row["authors"]:
        for name in row["authors"].split(" ; "):
            if not name or name != name.strip() or ";" in name:
                bad("authors %r: separate surnames with ' ; '" % row["authors"])
            elif name not in cit:
                bad("author %r does not occur in the citation" % name)
            elif re.search(r"(?:^|\s)\w\.$", name) or "," in name:
                bad("author %r looks like it has initials or a comma" % name)

    for key in ("title", "container", "place", "publisher"):
        value = row[key]
        if not value:
            continue
        if value not in cit:
            bad("%s %r does not occur in the citation" % (key, value))
        if key in ("title", "container"):
            if value[-1] in TRAILING_PUNCT and not (value.lower().endswith(ABBREVIATIONS)
                                                    or INITIAL_RE.search(value)):
                bad("%s %r ends in punctuation" % (key, value))
            if value[0] in QUOTES and value[-1] in QUOTES:
                bad("%s %r keeps its surrounding quotes" % (key, value))

    vol = row["volume"]
    if vol:
        if not vol.isdigit() or vol.startswith("0"):
            bad("volume %r is not an arabic number" % vol)
        elif not (has_number(cit, vol) or has_roman(cit, int(vol))):
            bad("volume %s does not occur in the citation" % vol)

    issue = row["issue"]
    if issue:
        m = ISSUE_RE.match(issue)
        if not m:
            bad("issue %r is not digits or 'N (M)'" % issue)
        else:
            for number in m.groups():
                if number and not has_number(cit, number):
                    bad("issue number %s does not occur in the citation" % number)

    year = row["year"]
    if year:
        if not re.match(r"^\d{4}$", year) or not 1700 <= int(year) <= 2030:
            bad("year %r is not a plausible 4-digit year" % year)
        elif not has_number(cit, year):
            bad("year %s does not occur in the citation" % year)

    pages = row["pages"]
    if pages:
        m = PAGES_RE.match(pages)
        if not m:
            bad("pages %r is not N or N-M" % pages)
        else:
            first, last = m.group(1), m.group(2)
            if not has_number(cit, first):
                bad("first page %s does not occur in the citation" % first)
            if last is not None:
                if int(last) <= int(first):
                    bad("page range %s does not increase (write ranges out in full)" % pages)
                # 239-241 may be printed in full or abbreviated as 239–41 / 239–1.
                shortened = [last[i:] for i in range(len(last))]
                if not any(re.search(re.escape(first) + r"\s*[-–—]\s*" + s + r"(?!\d)", cit)
                           for s in shortened):
                    if not (" f." in cit and int(last) == int(first) + 1):
                        bad("page range %s does not match the citation" % pages)


def check_groups(rows, problems):
    groups = collections.defaultdict(list)
    for row in rows:
        groups[row["group"]].append(row)
    for gid, members in sorted(groups.items()):
        kinds = {r["kind"] for r in members}
        if len(kinds) > 1:
            problems.append("group %s: several kinds %s" % (gid, sorted(kinds)))
        for key in ("volume", "issue"):
            values = {r[key] for r in members if r[key]}
            if len(values) > 1:
                problems.append("group %s: several %s values %s (%s)" % (
                    gid, key, sorted(values), ", ".join(r["id"] for r in members)))
        if kinds & {"article", "newspaper"}:
            years = {r["year"] for r in members if r["year"]}
            if len(years) > 1:
                problems.append("group %s: several years %s" % (gid, sorted(years)))
        if not any(r.is_full() for r in members):
            problems.append("group %s: no full citation (no row with a title or container)" % gid)
    return groups


def check_streams(rows, problems):
    streams = collections.OrderedDict()
    last_stream = None
    for index, row in enumerate(rows):
        sid = row["stream"]
        if sid:
            if sid in streams and last_stream != sid:
                problems.append("%s: stream %s is not consecutive" % (row.where(), sid))
            streams.setdefault(sid, []).append((index, row))
        last_stream = sid
    for sid, members in streams.items():
        if len({r.path for _, r in members}) > 1:
            problems.append("stream %s spans several files" % sid)
        first = members[0][1]
        if not first.is_full():
            problems.append("%s: stream %s starts with a short form" % (first.where(), sid))
        for (_, prev), (_, row) in zip(members, members[1:]):
            if row.is_ibid() and not row["volume"] and row["group"] != prev["group"]:
                problems.append("%s (%s): an Ibid. without a volume must take the group of the "
                                "row before it (%s), not %s" % (row.where(), row["id"],
                                                                prev["group"], row["group"]))
    return streams


def summary(rows, groups, streams):
    def table(title, counter, order=None):
        print("\n%s" % title)
        keys = order if order else sorted(counter, key=lambda k: (-counter[k], k))
        for key in keys:
            print("  %-14s %4d" % (key, counter.get(key, 0)))

    print("rows: %d" % len(rows))
    table("rows per file:", collections.Counter(os.path.basename(r.path) for r in rows))
    table("rows per convention:", collections.Counter(r["convention"] for r in rows), CONVENTIONS)
    table("rows per kind:", collections.Counter(r["kind"] for r in rows), KINDS)
    cyr_groups = {g for g, members in groups.items() if any(is_cyrillic(r["citation"]) for r in members)}
    cyr = sum(1 for r in rows if is_cyrillic(r["citation"]))
    rom = sum(1 for r in rows if not is_cyrillic(r["citation"]) and
              (r["group"] in cyr_groups or r["convention"] == "romanized-ru"))
    print("\nscript: %d rows in Cyrillic, %d in Latin script" % (cyr, len(rows) - cyr))
    print("Russian-language works: %d rows in Cyrillic + %d romanized = %d (%.0f%%)" % (
        cyr, rom, cyr + rom, 100.0 * (cyr + rom) / len(rows)))
    sizes = collections.Counter(len(m) for m in groups.values())
    print("\ngroups: %d" % len(groups))
    for size in sorted(sizes):
        print("  size %2d: %3d groups" % (size, sizes[size]))
    multi_script = sum(1 for g, m in groups.items() if g in cyr_groups and
                       any(not is_cyrillic(r["citation"]) for r in m))
    multi_conv = sum(1 for m in groups.values() if len({r["convention"] for r in m}) > 1)
    print("  groups with both Cyrillic and Latin members: %d" % multi_script)
    print("  groups with more than one convention: %d" % multi_conv)
    short = sum(1 for r in rows if r["stream"] and not r.is_full())
    print("\nstreams: %d, %d rows (%d short forms / Ibid.-type rows)" % (
        len(streams), sum(len(m) for m in streams.values()), short))
    for sid, members in streams.items():
        print("  %-8s %-13s %2d rows" % (sid, members[0][1]["convention"], len(members)))


def run_checks(rows):
    problems = []
    ids = collections.Counter(r["id"] for r in rows)
    for rid, count in sorted(ids.items()):
        if count > 1:
            problems.append("id %s is used %d times" % (rid, count))
    for row in rows:
        check_row(row, problems)
    groups = check_groups(rows, problems)
    streams = check_streams(rows, problems)
    return problems, groups, streams


def self_test(rows):
    """Each mutation of the (clean) data set must be reported."""
    import copy

    def by_id(rid):
        return next(i for i, r in enumerate(rows) if r["id"] == rid)

    def mutate(rid, **changes):
        def apply(rs):
            row = rs[by_id(rid)]
            for key, value in changes.items():
                row.cells[key] = value(row.cells) if callable(value) else value
        return apply

    def shift(rid):  # a cell lost between title and year: everything moves left
        def apply(rs):
            cells = rs[by_id(rid)].cells
            values = [cells[k] for k in HEADER]
            start = HEADER.index("container")
            del values[start]
            values.insert(HEADER.index("source"), "")
            cells.update(zip(HEADER, values))
        return apply

    def duplicate_id(rs):
        rs[1].cells["id"] = rs[0]["id"]

    def split_stream(rs):
        stream = next(r for r in rs if r["stream"])
        rs.append(copy.deepcopy(stream))
        rs[-1].cells["id"] = "self-test-extra"

    cases = [
        ("year and pages swapped", mutate("gost-001", year="112", pages="1931")),
        ("unexpanded page range", mutate("gost-004", pages="239-41")),
        ("en dash in pages", mutate("gost-004", pages="239\u2013241")),
        ("wrong volume", mutate("gost-004", volume="35")),
        ("roman volume", mutate("gost-004", volume="XXXIV")),
        ("bad issue form", mutate("gost-019", issue="6(113)")),
        ("title with final full stop", mutate("gost-001", title="История русской революции.")),
        ("title not in citation", mutate("rom-001", title="Istoriya russkoy revolyutsii")),
        ("author with initials", mutate("rom-001", authors="Trotskii L. D.")),
        ("unknown convention", mutate("cn-001", convention="chicago")),
        ("decomposed (non-NFC) title", mutate("pre-001", title=lambda c: unicodedata.normalize("NFD", c["title"]))),
        ("shifted cells", shift("cn-027")),
        ("duplicate id", duplicate_id),
        ("Ibid. in the wrong group", mutate("st-002", group="trotsky-history-en-v3")),
        ("kind differs within a group", mutate("gost-020", kind="book")),
        ("stream not consecutive", split_stream),
    ]
    failures = 0
    for name, apply in cases:
        mutated = copy.deepcopy(rows)
        apply(mutated)
        problems = run_checks(mutated)[0]
        print("%-30s %s" % (name, ("caught: " + problems[0]) if problems else "NOT CAUGHT"))
        failures += not problems
    print("%d of %d broken copies caught" % (len(cases) - failures, len(cases)))
    return 1 if failures else 0


def main(argv):
    problems = []
    data = DATA
    if "--dir" in argv:
        index = argv.index("--dir") + 1
        if index >= len(argv):
            print("--dir needs a directory")
            return 2
        data = argv[index]
    files = sorted(os.path.join(data, name) for name in os.listdir(data) if name.endswith(".tsv"))
    if not files:
        print("no .tsv files in %s" % data)
        return 1
    rows = []
    for path in files:
        rows.extend(read_file(path, problems))
    more, groups, streams = run_checks(rows)
    problems.extend(more)
    if "--self-test" in argv:
        if problems:
            print("the data set itself has problems; run without --self-test")
            return 1
        return self_test(rows)
    for problem in problems:
        print(problem)
    print("%d files, %d rows, %d groups, %d streams: %d problems" % (
        len(files), len(rows), len(groups), len(streams), len(problems)))
    if "--summary" in argv:
        summary(rows, groups, streams)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
