#!/usr/bin/env python3
"""Measure `bibkey marc check` on real MARC records with Cyrillic 880 fields (ACCURACY.md, "MARC check").

Usage: tools/marc_measure.py SNAPSHOT [BIBKEY] [--out DIR]

SNAPSHOT is a git directory (bare or not) of a public repository that carries MARC records as test fixtures
(MARCXML .xml/.mrx, ISO 2709 .mrc/.marc, also inside .gz and .tar.gz). Records whose 880s are Cyrillic
($6 .../(N) are gathered into DIR/base.xml; `bibkey marc check --json` then gives the share of linked pairs
found exact or variant. Then errors are injected into copies of the records whose pairs passed, one pair at a
time: a letter dropped, two letters swapped, a letter doubled, a word taken from another record, and a wrong $6
link (two regular fields' links exchanged); the share of injected pairs flagged `different` is printed per kind.

Nothing here is committed but this script: the snapshot's records stay local. Needs pymarc (PyPI).
"""

import gzip
import io
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import copy
import xml.etree.ElementTree as ET

import pymarc

NS = "http://www.loc.gov/MARC21/slim"


def git_files(snapshot):
    """(path, bytes) of every MARC-looking file at HEAD."""
    names = subprocess.run(["git", "--git-dir", snapshot, "ls-tree", "-r", "--name-only", "HEAD"],
                           capture_output=True, text=True, check=True).stdout.splitlines()
    for n in names:
        low = n.lower()
        if not re.search(r"\.(xml|mrx|mrc|marc|gz|tgz)$", low):
            continue
        data = subprocess.run(["git", "--git-dir", snapshot, "show", f"HEAD:{n}"], capture_output=True).stdout
        yield from expand(n, data)


def expand(name, data):
    low = name.lower()
    if low.endswith((".tar.gz", ".tgz")):
        try:
            with tarfile.open(fileobj=io.BytesIO(data)) as t:
                for m in t.getmembers():
                    if m.isfile():
                        f = t.extractfile(m)
                        if f:
                            yield from expand(f"{name}!{m.name}", f.read())
        except (tarfile.TarError, OSError, EOFError):
            pass
    elif low.endswith(".gz"):
        try:
            yield from expand(name[:-3], gzip.decompress(data))
        except (OSError, EOFError):
            pass
    else:
        yield name, data


def records_of(name, data):
    if b"\x1d" in data[:100000] and re.match(rb"\s*\d{5}", data):
        try:
            for r in pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=False, utf8_handling="replace"):
                if r is not None:
                    yield r
        except Exception:
            return
    elif b"<record" in data or b":record" in data:
        try:
            yield from pymarc.parse_xml_to_array(io.BytesIO(data))
        except Exception:
            return


def cyrillic_880(r):
    for f in r.get_fields("880"):
        six = f.get("6") or ""
        if "/(N" in six and re.search("[\u0400-\u04ff]", " ".join(f.value() for f in [f])):
            return True
    return False


def write_xml(records, path):
    w = pymarc.XMLWriter(open(path, "wb"))
    for r in records:
        w.write(r)
    w.close()


def run_check(bibkey, path):
    p = subprocess.run([bibkey, "marc", "check", "--json", "--lossy", path], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"bibkey failed: {p.stderr}")
    return [json.loads(l) for l in p.stdout.splitlines()], p.stderr.strip()


LETTER = re.compile(r"[A-Za-z]")


def mutate_text(text, kind, rng, words):
    pos = [m.start() for m in LETTER.finditer(text)]
    if len(pos) < 2:
        return None
    if kind == "drop":
        i = rng.choice(pos)
        return text[:i] + text[i + 1:]
    if kind == "double":
        i = rng.choice(pos)
        return text[:i] + text[i] + text[i:]
    if kind == "swap":
        cands = [i for i in pos if i + 1 < len(text) and LETTER.match(text[i + 1]) and text[i].lower() != text[i + 1].lower()]
        if not cands:
            return None
        i = rng.choice(cands)
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if kind == "word":
        ws = [m for m in re.finditer(r"\w{3,}", text)]
        if not ws:
            return None
        m = rng.choice(ws)
        others = [w for w in words if w.lower() != m.group(0).lower()]
        return text[:m.start()] + rng.choice(others) + text[m.end():]
    raise ValueError(kind)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else tempfile.mkdtemp(prefix="marc-measure-")
    if "--out" in sys.argv:
        args = [a for a in args if a != out]
    if not args:
        sys.exit(__doc__)
    snapshot = args[0]
    bibkey = args[1] if len(args) > 1 else "target/release/bibkey"
    os.makedirs(out, exist_ok=True)
    head = subprocess.run(["git", "--git-dir", snapshot, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    seen, base = set(), []
    files = 0
    for name, data in git_files(snapshot):
        for r in records_of(name, data):
            if not cyrillic_880(r):
                continue
            key = r.as_marc()
            if key in seen:
                continue
            seen.add(key)
            # The 001 may repeat across fixture files with different content: keep them apart.
            base.append(r)
        files += 1
    print(f"snapshot {snapshot} at {head}: {files} MARC files, {len(base)} distinct records with Cyrillic 880s")
    write_xml(base, f"{out}/base.xml")
    rows, summary = run_check(bibkey, f"{out}/base.xml")
    print("base:", summary)
    checked = [r for r in rows if r["verdict"] in ("exact", "variant", "different")]
    ok = [r for r in checked if r["verdict"] in ("exact", "variant")]
    print(f"linked pairs checked: {len(checked)}; exact or variant: {len(ok)} ({100 * len(ok) / max(1, len(checked)):.1f} %)")
    for r in checked:
        if r["verdict"] == "different":
            print(f"  different: record {r['record']} {r['id']} {r['field']}-{r['occurrence']}: found {r['found']!r} "
                  f"expected {r['expected']!r} at {r['difference']}")
    # Injected errors, one pair at a time, in records whose pairs all passed.
    rng = random.Random(20260101)
    words = sorted({w for r in base for f in r.get_fields("245") for w in re.findall(r"[A-Za-z]{4,}", f.value())})
    passed = {(r["record"], r["field"], r["occurrence"]) for r in ok}
    mutants, expect = [], []
    for n, rec in enumerate(base, 1):
        regular = [f for f in rec.fields if getattr(f, "subfields", None) and f.tag != "880" and (f.get("6") or "").startswith("880-")]
        regular = [f for f in regular if (n, f.tag, f.get("6")[4:6]) in passed]
        for f in regular:
            for kind in ("drop", "swap", "double", "word"):
                m = copy.deepcopy(rec)
                g = [x for x in m.fields if x.tag == f.tag and x.get("6") == f.get("6")][0]
                codes = [sf.code for sf in g.subfields if sf.code == "a"]
                if not codes:
                    continue
                idx = [i for i, sf in enumerate(g.subfields) if sf.code == "a"][0]
                new = mutate_text(g.subfields[idx].value, kind, rng, words)
                if new is None or new == g.subfields[idx].value:
                    continue
                sf = g.subfields[idx]
                g.subfields[idx] = pymarc.Subfield(code=sf.code, value=new)
                mutants.append(m)
                expect.append((kind, f.tag, f.get("6")[4:6]))
        # A wrong link: two regular fields exchange their $6, so each points at the other's 880.
        if len(regular) >= 2:
            a, b = rng.sample(regular, 2)
            if a.value() != b.value():
                m = copy.deepcopy(rec)
                ga = [x for x in m.fields if x.tag == a.tag and x.get("6") == a.get("6")][0]
                gb = [x for x in m.fields if x.tag == b.tag and x.get("6") == b.get("6")][0]
                sa, sb = ga.get("6"), gb.get("6")
                for g, new in ((ga, sb), (gb, sa)):
                    i = [i for i, sf in enumerate(g.subfields) if sf.code == "6"][0]
                    g.subfields[i] = pymarc.Subfield(code="6", value=new)
                # The 880s name the regular tag too; a field with the other's occurrence but its own tag has
                # no 880 when the tags differ (unpaired: also a flag). Count the pair (or unpaired) of `a`.
                mutants.append(m)
                expect.append(("link", a.tag, sb[4:6]))
    write_xml(mutants, f"{out}/injected.xml")
    rows, summary = run_check(bibkey, f"{out}/injected.xml")
    print("injected:", summary)
    by_record = {}
    for r in rows:
        by_record.setdefault(r["record"], []).append(r)
    stats = {}
    for n, (kind, tag, occ) in enumerate(expect, 1):
        got = [r for r in by_record.get(n, []) if r["occurrence"] == occ and (r["field"] == tag or kind == "link")]
        flagged = any(r["verdict"] in ("different", "unpaired") for r in got)
        s = stats.setdefault(kind, [0, 0])
        s[0] += 1
        s[1] += flagged
        if not flagged:
            for r in got:
                print(f"  missed {kind}: {r['field']}-{r['occurrence']} {r['verdict']}: found {r['found']!r} expected {r['expected']!r}")
    total = [sum(v[0] for v in stats.values()), sum(v[1] for v in stats.values())]
    for kind, (n, f) in sorted(stats.items()):
        print(f"  {kind}: {f}/{n} flagged ({100 * f / max(1, n):.1f} %)")
    print(f"injected errors flagged: {total[1]}/{total[0]} ({100 * total[1] / max(1, total[0]):.1f} %)")
    print(f"files in {out}")


if __name__ == "__main__":
    main()
