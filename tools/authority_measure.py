#!/usr/bin/env python3
"""Measure the name keys on real authority clusters: the GND, IdRef and RERO agent records that the RERO MEF
(Multilingual Entity File) merges, as the public repository rero/rero-mef ships them in data/.

    cargo build --release --example authority_keys
    python3 tools/authority_measure.py SNAPSHOT [--keys target/release/examples/authority_keys] [--examples N]

SNAPSHOT is a checkout of rero/rero-mef or its bare git directory (then data/ is read from HEAD). Nothing of it is
written anywhere.

Units. A *record* is one GND, IdRef or RERO agent record; its forms are its authorized access point and its
variant and parallel access points (exact duplicates removed). A *cluster* is one MEF record: the records of the
three sources it merges as one entity (data/mef.json). Persons (bf:Person) and organisations (bf:Organisation:
corporate bodies and meetings) are measured apart, the persons with KeyKind::Name, the organisations with
KeyKind::Corporate and with KeyKind::Name (which must recognize them from their text).

Recall: for each unit with two forms or more, the forms linked by a shared key (or, for "+ readings", a shared key
or reading) into groups; the share of the unit's forms in its largest group, summed over units. Reported for all
units, and for the units with a Cyrillic form (where transliteration is what separates the forms).

Precision: every pair of distinct forms (by text) that share a key, counted once; precision = pairs of one unit /
all such pairs. A pair from two units is a false link unless the two units share a form (the same heading in two
clusters: the data's own duplicates, counted apart).
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys

CYRILLIC = re.compile("[\u0400-\u04ff]")
SOURCES = {"gnd": "aggnd", "idref": "aidref", "rero": "agrero"}


def read_json(snapshot, name):
    path = os.path.join(snapshot, "data", name + ".json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    out = subprocess.run(["git", "--git-dir", snapshot, "show", "HEAD:data/" + name + ".json"],
                         check=True, capture_output=True)
    return json.loads(out.stdout)


def forms_of(rec):
    forms = [rec.get("authorized_access_point") or ""]
    forms += rec.get("variant_access_point") or []
    forms += rec.get("parallel_access_point") or []
    seen, out = set(), []
    for f in forms:
        f = " ".join(f.split())
        if f and f not in seen:
            seen.add(f)
            out.append(f)
    return out


def keys_of(binary, items):
    """items: list of (kind, text) -> list of (key, [readings], is_corporate)."""
    data = "".join(f"{k}\t{t}\n" for k, t in items).encode("utf-8")
    out = subprocess.run([binary], input=data, check=True, capture_output=True).stdout.decode("utf-8")
    res = []
    for line in out.split("\n")[: len(items)]:
        key, readings, corp = line.split("\t")
        res.append((key, readings.split(), corp == "1"))
    return res


class UnionFind:
    def __init__(self, n):
        self.p = list(range(n))

    def find(self, x):
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a, b):
        self.p[self.find(a)] = self.find(b)


def recall(units, keyinfo, use_readings):
    """units: list of lists of forms; keyinfo: form -> (key, readings). Returns (forms in largest group, forms,
    units fully merged, units, misses)."""
    got = total = whole = n_units = 0
    misses = []
    for forms in units:
        if len(forms) < 2:
            continue
        uf = UnionFind(len(forms))
        first = {}
        for i, f in enumerate(forms):
            key, readings = keyinfo[f]
            ks = [key] + (readings if use_readings else [])
            for k in ks:
                if not k:
                    continue
                if k in first:
                    uf.union(i, first[k])
                else:
                    first[k] = i
        groups = collections.Counter(uf.find(i) for i in range(len(forms)))
        best_root, best = groups.most_common(1)[0]
        got += best
        total += len(forms)
        n_units += 1
        if best == len(forms):
            whole += 1
        else:
            main = [f for i, f in enumerate(forms) if uf.find(i) == best_root]
            rest = [f for i, f in enumerate(forms) if uf.find(i) != best_root]
            misses.append((main[0], rest))
    return got, total, whole, n_units, misses


def bare(form, person):
    """A form reduced to what tells a duplicate: lower case, letters only; a person's dates and a corporate
    body's punctuation go (the MEF file holds some entities twice: "Aeschlimann, Daniel" and
    "Aeschlimann, Daniel, 1937-" in two clusters, "Gustav Lübcke Museum Hamm" and "Gustav-Lübcke-Museum Hamm")."""
    if person:
        form = form.split(",")
        form = ",".join(p for p in form if not re.search(r"\d", p))
    return "".join(c for c in form.lower() if c.isalpha() or c in "()")


def precision(units, keyinfo, use_readings, person=None):
    """Pairs of distinct forms sharing a key (or reading): (same unit, other unit, examples of other). With
    `person` set (True or False), units that share a bare form are one unit: the data's own duplicates."""
    by_key = collections.defaultdict(set)
    unit_of = collections.defaultdict(set)
    if person is not None:
        uf = UnionFind(len(units))
        first = {}
        for u, forms in enumerate(units):
            for f in forms:
                b = bare(f, person)
                if b in first:
                    uf.union(u, first[b])
                else:
                    first[b] = u
        root = [uf.find(u) for u in range(len(units))]
    else:
        root = list(range(len(units)))
    for u, forms in enumerate(units):
        for f in forms:
            unit_of[f].add(root[u])
            key, readings = keyinfo[f]
            for k in [key] + (readings if use_readings else []):
                if k:
                    by_key[k].add(f)
    pairs = set()
    for k, fs in by_key.items():
        fs = sorted(fs)
        if len(fs) > 200:
            # A key shared by hundreds of forms would dominate; none is expected, so say so if it happens.
            print(f"warning: key {k!r} shared by {len(fs)} forms", file=sys.stderr)
        for i in range(len(fs)):
            for j in range(i + 1, len(fs)):
                pairs.add((fs[i], fs[j]))
    same = other = 0
    examples = []
    for a, b in pairs:
        if unit_of[a] & unit_of[b]:
            same += 1
        else:
            other += 1
            examples.append((a, b))
    return same, other, examples


def pct(a, b):
    return f"{100.0 * a / b:.1f} %" if b else "n/a"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("snapshot")
    ap.add_argument("--keys", default="target/release/examples/authority_keys")
    ap.add_argument("--examples", type=int, default=8)
    args = ap.parse_args()

    records = {}  # (source, pid) -> (type, forms)
    for src, name in SOURCES.items():
        for rec in read_json(args.snapshot, name):
            if rec.get("deleted"):
                continue
            records[(src, rec["pid"])] = (rec.get("type"), forms_of(rec))
    clusters = []  # (type, [record ids])
    for m in read_json(args.snapshot, "mef"):
        if m.get("deleted"):
            continue
        ids = []
        for src in SOURCES:
            ref = (m.get(src) or {}).get("$ref", "")
            if ref:
                rid = (src, ref.rsplit("/", 1)[-1])
                if rid in records:
                    ids.append(rid)
        if ids:
            clusters.append((m.get("type"), ids))

    for typ, label, kinds in [
        ("bf:Person", "Personal names", ["name"]),
        ("bf:Organisation", "Corporate bodies and meetings", ["corporate", "name"]),
    ]:
        recs = {rid: forms for rid, (t, forms) in records.items() if t == typ}
        all_forms = sorted({f for forms in recs.values() for f in forms})
        print(f"## {label}: {len(recs)} records, {len(all_forms)} distinct forms")
        cl_units = []
        for t, ids in clusters:
            if t != typ:
                continue
            forms = []
            for rid in ids:
                for f in recs.get(rid, []):
                    if f not in forms:
                        forms.append(f)
            cl_units.append(forms)
        rec_units = list(recs.values())
        for kind in kinds:
            res = keys_of(args.keys, [(kind, f) for f in all_forms])
            keyinfo = {f: (k, r) for f, (k, r, _) in zip(all_forms, res)}
            if kind == "name" and typ != "bf:Person":
                corp_keys = keys_of(args.keys, [("corporate", f) for f in all_forms])
                agree = sum(1 for (a, _, _), (b, _, _) in zip(res, corp_keys) if a == b)
                print(f"\nKeyKind::Name = KeyKind::Corporate on {agree} of {len(all_forms)} forms "
                      f"({pct(agree, len(all_forms))})")
            if kind == "name":
                corp = sum(1 for _, _, c in res if c)
                print(f"\nis_corporate: {corp} of {len(all_forms)} forms ({pct(corp, len(all_forms))})")
                if typ == "bf:Person":
                    wrong = [f for f, (_, _, c) in zip(all_forms, res) if c]
                    for f in wrong[: args.examples]:
                        print(f"    taken for corporate: {f}")
                else:
                    wrong = [f for f, (_, _, c) in zip(all_forms, res) if not c]
                    for f in wrong[: args.examples]:
                        print(f"    taken for a person: {f}")
            print(f"\n### KeyKind::{kind.capitalize()}\n")
            print("| units | with readings | forms in largest group | units whole | "
                  "same-key pairs of one unit | pairs of two units | precision | "
                  "pairs of two units, duplicates apart | precision, duplicates apart |")
            print("|---|---|---|---|---|---|---|---|---|")
            person = typ == "bf:Person"
            for uname, units in [("records", rec_units), ("MEF clusters", cl_units)]:
                cyr_units = [u for u in units if any(CYRILLIC.search(f) for f in u)]
                for sub, us in [("all", units), ("with Cyrillic", cyr_units)]:
                    for rd in (False, True):
                        got, total, whole, n, misses = recall(us, keyinfo, rd)
                        same, other, ex = precision(us, keyinfo, rd)
                        same2, other2, _ = precision(us, keyinfo, rd, person)
                        print(f"| {uname}, {sub} ({n} with 2+ forms) | {'yes' if rd else 'no'} | "
                              f"{got}/{total} = {pct(got, total)} | {whole}/{n} = {pct(whole, n)} | "
                              f"{same} | {other} | {pct(same, same + other)} | {other2} | "
                              f"{pct(same2, same2 + other2)} |")
            got, total, whole, n, misses = recall(
                [u for u in cl_units if any(CYRILLIC.search(f) for f in u)], keyinfo, True)
            print(f"\nUnmerged forms of MEF clusters with Cyrillic (first {args.examples}):")
            for main_form, rest in misses[: args.examples]:
                print(f"    {main_form}  ≠  {' | '.join(rest[:4])}")
            same, other, ex = precision(cl_units, keyinfo, False, person)
            print(f"\nFalse links between MEF clusters, key only, duplicates apart (first {args.examples} of {other}):")
            for a, b in sorted(ex)[: args.examples]:
                print(f"    {a}  =  {b}   [{keyinfo[a][0]}]")
            print()


if __name__ == "__main__":
    main()
