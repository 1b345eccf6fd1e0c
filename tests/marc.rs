//! MARC 21 records: reading (ISO 2709 in UTF-8 and MARC-8, MARCXML), 880 linking, the ALA-LC check, key rows,
//! every malformed-record error with its record number and byte offset, and the CLI.
//!
//! The records are real books (titles, authors, places and dates as published), built here in code or hand-typed
//! in tests/data/marc/; every romanization in them was written by hand from the ALA-LC tables, not by bibkey.

use bibkey::record::{
    check_record, key_rows, read, to_iso2709, ControlField, Field, Record, RecordErrorKind, Subfield, Verdict,
};

#[path = "common/cli.rs"]
mod cli;

fn field(tag: &str, ind: &str, subs: &[(char, &str)]) -> Field {
    let mut i = ind.chars();
    Field {
        tag: tag.into(),
        ind1: i.next().unwrap_or(' '),
        ind2: i.next().unwrap_or(' '),
        subfields: subs.iter().map(|&(code, v)| Subfield { code, value: v.into() }).collect(),
    }
}

fn record(leader: &str, id: &str, f008: &str, fields: Vec<Field>) -> Record {
    Record {
        number: 0,
        offset: 0,
        leader: leader.into(),
        control: vec![
            ControlField { tag: "001".into(), value: id.into() },
            ControlField { tag: "008".into(), value: f008.into() },
        ],
        fields,
    }
}

/// Mikhail Bulgakov, Master i Margarita (Moscow: Khudozhestvennai͡a literatura, 1973), with its 880s, an
/// added entry for the editor and one 880 that links to nothing.
fn bulgakov() -> Record {
    record(
        "00000cam a2200000 i 4500",
        "bulg-1973",
        "730101s1973    ru            000 1 rus d",
        vec![
            field("100", "1 ", &[('6', "880-01"), ('a', "Bulgakov, Mikhail,"), ('d', "1891-1940,"), ('e', "author.")]),
            field("245", "10", &[('6', "880-02"), ('a', "Master i Margarita :"), ('b', "roman /")]),
            field(
                "260",
                "  ",
                &[('6', "880-03"), ('a', "Moskva :"), ('b', "Khudozhestvennai͡a literatura,"), ('c', "1973.")],
            ),
            field(
                "700",
                "1 ",
                &[('6', "880-04"), ('a', "Simonov, Konstantin,"), ('d', "1915-1979,"), ('e', "editor.")],
            ),
            field("880", "1 ", &[('6', "100-01/(N"), ('a', "Булгаков, Михаил,"), ('d', "1891-1940,")]),
            field("880", "10", &[('6', "245-02/(N"), ('a', "Мастер и Маргарита :"), ('b', "роман /")]),
            field(
                "880",
                "  ",
                &[('6', "260-03/(N"), ('a', "Москва :"), ('b', "Художественная литература,"), ('c', "1973.")],
            ),
            field("880", "1 ", &[('6', "700-04/(N"), ('a', "Симонов, Константин,"), ('d', "1915-1979,")]),
            field("880", "1 ", &[('6', "700-05/(N"), ('a', "Ермолинский, Сергей")]),
        ],
    )
}

/// Lev Tolstoy, Voĭna i mir, catalogued without diacritics (a variant), and Dostoevsky's Prestuplenie i nakazanie
/// with a typo (different).
fn tolstoy_and_dostoevsky() -> Vec<Record> {
    vec![
        record(
            "00000cam a2200000 a 4500",
            "tol-1957",
            "570101s1957    ru            000 1 rus d",
            vec![
                field("100", "1 ", &[('6', "880-01"), ('a', "Tolstoi, Lev,"), ('c', "graf,"), ('d', "1828-1910.")]),
                field("245", "10", &[('6', "880-02"), ('a', "Voina i mir.")]),
                field("880", "1 ", &[('6', "100-01/(N"), ('a', "Толстой, Лев,"), ('c', "граф,"), ('d', "1828-1910.")]),
                field("880", "10", &[('6', "245-02/(N"), ('a', "Война и мир.")]),
            ],
        ),
        record(
            "00000cam a2200000 a 4500",
            "dos-1970",
            "700101s1970    ru            000 1 rus d",
            vec![
                field("100", "1 ", &[('6', "880-01"), ('a', "Dostoevskiĭ, Fedor,"), ('d', "1821-1881.")]),
                field("245", "10", &[('6', "880-02"), ('a', "Prestuplenie i nakazanei :"), ('b', "roman.")]),
                field("880", "1 ", &[('6', "100-01/(N"), ('a', "Достоевский, Федор,"), ('d', "1821-1881.")]),
                field("880", "10", &[('6', "245-02/(N"), ('a', "Преступление и наказание :"), ('b', "роман.")]),
            ],
        ),
    ]
}

fn iso(records: &[Record]) -> Vec<u8> {
    records.iter().flat_map(|r| to_iso2709(r).unwrap()).collect()
}

fn verdicts(r: &Record) -> Vec<(String, Verdict)> {
    check_record(r).into_iter().map(|c| (c.tag, c.verdict)).collect()
}

#[test]
fn utf8_records_pair_and_check() {
    let data = iso(&[bulgakov()]);
    let recs: Vec<Record> = read(&data).collect::<Result<_, _>>().unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!((r.number, r.offset), (1, 0));
    assert_eq!(r.lang(), Some(bibkey::Lang::Russian));
    let links = r.links();
    assert_eq!(links.pairs, vec![(0, 4), (1, 5), (2, 6), (3, 7)]);
    assert_eq!(links.unpaired.len(), 1);
    assert_eq!(links.unpaired[0].field, 8);
    assert!(links.unpaired[0].reason.contains("no field 700 with $6 880-05"), "{}", links.unpaired[0].reason);
    assert_eq!(
        verdicts(r),
        [
            ("100".to_string(), Verdict::Exact),
            ("245".into(), Verdict::Exact),
            ("260".into(), Verdict::Exact),
            ("700".into(), Verdict::Exact),
            ("700".into(), Verdict::Unpaired),
        ]
    );
}

#[test]
fn variants_and_differences() {
    let recs = tolstoy_and_dostoevsky();
    let t = check_record(&recs[0]);
    assert_eq!(t[0].verdict, Verdict::Variant, "{t:?}");
    assert_eq!(t[0].expected, "Tolstoĭ, Lev, graf, 1828-1910.");
    assert_eq!(t[1].verdict, Verdict::Variant);
    assert_eq!(t[1].expected, "Voĭna i mir.");
    let d = check_record(&recs[1]);
    assert_eq!(d[0].verdict, Verdict::Exact);
    assert_eq!(d[1].verdict, Verdict::Different);
    assert_eq!(d[1].expected, "Prestuplenie i nakazanie : roman.");
    let diff = d[1].difference.as_ref().unwrap();
    // "prestuplenie i nakazan" is 22 characters; the texts part at the 23rd.
    assert_eq!(diff.at, 22);
    // Shown from eight characters before that point.
    assert_eq!((diff.found.as_str(), diff.expected.as_str()), (" nakazanei roman", " nakazanie roman"));
}

#[test]
fn wrong_link_is_different() {
    // The 245's $6 points at the 880 of the 100 and the other way round.
    let mut r = tolstoy_and_dostoevsky().remove(1);
    r.fields[0].subfields[0].value = "880-02".into();
    r.fields[1].subfields[0].value = "880-01".into();
    r.fields[2].subfields[0].value = "245-01/(N".into();
    r.fields[3].subfields[0].value = "100-02/(N".into();
    let v = verdicts(&r);
    // In the order of the 880s.
    assert_eq!(v, [("245".to_string(), Verdict::Different), ("100".into(), Verdict::Different)]);
}

#[test]
fn ukrainian_marcxml_with_tie_halves() {
    let data = std::fs::read("tests/data/marc/akhmatova.xml").unwrap();
    let recs: Vec<Record> = read(&data).collect::<Result<_, _>>().unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].id(), Some("akh-1963"));
    assert!(check_record(&recs[0]).iter().all(|c| c.verdict == Verdict::Exact), "{:?}", check_record(&recs[0]));
    assert_eq!(recs[1].lang(), Some(bibkey::Lang::Ukrainian));
    let c = check_record(&recs[1]);
    assert!(c.iter().all(|c| c.verdict == Verdict::Exact), "{c:?}");
    assert_eq!(recs[1].number, 2);
}

/// KOI-7 order of MARC-8 Basic Cyrillic, lower case from 0x40, upper case from 0x60 (LC code table).
fn marc8_cyrillic(text: &str) -> Vec<u8> {
    const LOWER: &str = "юабцдефгхийклмнопярстужвьызшэщчъ";
    const UPPER: &str = "ЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧ";
    let mut out = b"\x1b(N".to_vec();
    for c in text.chars() {
        if let Some(i) = LOWER.chars().position(|l| l == c) {
            out.push(0x40 + i as u8);
        } else if let Some(i) = UPPER.chars().position(|u| u == c) {
            out.push(0x60 + i as u8);
        } else {
            assert!(c.is_ascii() && !c.is_ascii_alphabetic(), "{c}");
            out.push(c as u8);
        }
    }
    out.extend_from_slice(b"\x1b(B");
    out
}

/// An ISO 2709 record from raw field bytes (for MARC-8 and for damage).
fn raw_record(leader9: u8, fields: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut dir = Vec::new();
    let mut data = Vec::new();
    for (tag, body) in fields {
        dir.extend_from_slice(format!("{tag}{:04}{:05}", body.len() + 1, data.len()).as_bytes());
        data.extend_from_slice(body);
        data.push(0x1e);
    }
    let base = 24 + dir.len() + 1;
    let total = base + data.len() + 1;
    let mut out = format!("{total:05}cam  22{base:05} a 4500").into_bytes();
    out[9] = leader9;
    out.extend_from_slice(&dir);
    out.push(0x1e);
    out.extend_from_slice(&data);
    out.push(0x1d);
    out
}

fn sub(ind: &str, subs: &[(char, &[u8])]) -> Vec<u8> {
    let mut b = ind.as_bytes().to_vec();
    for (code, v) in subs {
        b.push(0x1f);
        b.push(*code as u8);
        b.extend_from_slice(v);
    }
    b
}

/// Lev Trotsky, Istorii͡a russkoĭ revoli͡ut͡sii (Berlin: Granit, 1931), in MARC-8: ANSEL breve and tie halves
/// before their letters, Basic Cyrillic after ESC ( N.
fn trotsky_marc8() -> Vec<u8> {
    raw_record(
        b' ',
        &[
            ("001", b"tro-1931".to_vec()),
            ("008", b"310101s1931    gw            000 0 rus d".to_vec()),
            ("100", sub("1 ", &[('6', b"880-01"), ('a', b"Tro\xEBt\xECski\xE6i, Lev,"), ('d', b"1879-1940.")])),
            (
                "245",
                sub("10", &[('6', b"880-02"), ('a', b"Istori\xEBi\xECa russko\xE6i revol\xEBi\xECu\xEBt\xECsii.")]),
            ),
            ("880", sub("1 ", &[('6', b"100-01/(N"), ('a', &marc8_cyrillic("Троцкий, Лев,")), ('d', b"1879-1940.")])),
            ("880", sub("10", &[('6', b"245-02/(N"), ('a', &marc8_cyrillic("История русской революции."))])),
        ],
    )
}

#[test]
fn marc8_records_decode_and_check() {
    let data = trotsky_marc8();
    let recs: Vec<Record> = read(&data).collect::<Result<_, _>>().unwrap();
    let r = &recs[0];
    assert_eq!(
        r.fields[1].subfield('a'),
        Some("Istorii\u{FE20}a\u{FE21} russko\u{12D} revoli\u{FE20}u\u{FE21}t\u{FE20}s\u{FE21}ii.")
    );
    assert_eq!(r.fields[3].subfield('a'), Some("История русской революции."));
    assert_eq!(r.fields[2].subfield('a'), Some("Троцкий, Лев,"));
    assert_eq!(verdicts(r), [("100".to_string(), Verdict::Exact), ("245".into(), Verdict::Exact)]);
    let rows = key_rows(r);
    assert_eq!(rows[0].title_key, rows[0].vernacular_title_key);
    assert_eq!(rows[0].title_key, bibkey::title_key("Istorii͡a russkoĭ revoli͡ut͡sii"));
}

#[test]
fn authority_records_give_one_row_per_form() {
    let mut a = record(
        "00000nz  a2200000n  4500",
        "n79021164",
        "790301n| acannaabn          |a aaa      ",
        vec![
            field("100", "1 ", &[('a', "Tolstoy, Leo,"), ('c', "graf,"), ('d', "1828-1910")]),
            field("400", "1 ", &[('a', "Tolstoĭ, Lev,"), ('c', "graf,"), ('d', "1828-1910")]),
            field("400", "1 ", &[('a', "Толстой, Лев,"), ('c', "граф,"), ('d', "1828-1910")]),
            field("400", "1 ", &[('a', "Tolstoi, Léon,"), ('d', "1828-1910")]),
            field("670", "  ", &[('a', "Voĭna i mir, 1868.")]),
        ],
    );
    a.number = 1;
    let rows = key_rows(&a);
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.id == "n79021164"));
    assert_eq!(rows.iter().map(|r| r.form.as_str()).collect::<Vec<_>>(), ["100", "400", "400", "400"]);
    assert_eq!(rows[2].names, ["Толстой, Лев"]);
    let k = &rows[0].name_keys[0];
    assert!(rows.iter().all(|r| &r.name_keys[0] == k), "{rows:?}");
    // Authority 008s carry no language; the record is not bibliographic, so no check rows either.
    assert_eq!(a.lang(), None);
}

// ---- malformed records: the error names the record (from 1) and the byte offset in the file ----

fn three_with_middle(bad: &[u8]) -> (Vec<u8>, u64) {
    let good = trotsky_marc8();
    let mut data = good.clone();
    let at = data.len() as u64;
    data.extend_from_slice(bad);
    data.extend_from_slice(&good);
    (data, at)
}

fn outcome(data: &[u8]) -> Vec<Result<u64, (u64, u64, RecordErrorKind)>> {
    read(data).map(|r| r.map(|r| r.number).map_err(|e| (e.record(), e.offset(), e.kind()))).collect()
}

#[test]
fn bad_leader_length_digits() {
    let mut bad = trotsky_marc8();
    bad[2] = b'x';
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at, RecordErrorKind::Leader)), Ok(3)]);
}

#[test]
fn bad_record_length() {
    let mut bad = trotsky_marc8();
    // One byte more than the record has.
    let n = bad.len() + 1;
    bad[..5].copy_from_slice(format!("{n:05}").as_bytes());
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at, RecordErrorKind::Length)), Ok(3)]);
    let e = read(&data).nth(1).unwrap().unwrap_err();
    assert!(e.to_string().starts_with(&format!("record 2 at byte {at}: bad length")), "{e}");
}

#[test]
fn bad_character_coding() {
    let mut bad = trotsky_marc8();
    bad[9] = b'x';
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + 9, RecordErrorKind::Leader)), Ok(3)]);
}

#[test]
fn bad_base_address() {
    let mut bad = trotsky_marc8();
    bad[12..17].copy_from_slice(b"99999");
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + 12, RecordErrorKind::Leader)), Ok(3)]);
}

#[test]
fn bad_directory_entry() {
    let mut bad = trotsky_marc8();
    // The third directory entry (100): its length is not digits.
    let entry = 24 + 2 * 12;
    bad[entry + 3] = b'?';
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + entry as u64, RecordErrorKind::Directory)), Ok(3)]);
}

#[test]
fn directory_pointing_outside_the_record() {
    let mut bad = trotsky_marc8();
    let entry = 24 + 12; // 008
    bad[entry + 7..entry + 12].copy_from_slice(b"90000");
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + entry as u64, RecordErrorKind::Directory)), Ok(3)]);
}

#[test]
fn field_without_terminator() {
    let mut bad = trotsky_marc8();
    // The 001 is "tro-1931" + 0x1E, 9 bytes from the base address: overwrite its terminator.
    let base: usize = std::str::from_utf8(&bad[12..17]).unwrap().parse().unwrap();
    bad[base + 8] = b'X';
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + base as u64 + 8, RecordErrorKind::Field)), Ok(3)]);
}

#[test]
fn bad_marc8_and_bad_utf8() {
    // MARC-8 Greek (ESC ( S) is not supported: the error points at the ESC.
    let bad = raw_record(b' ', &[("001", b"x".to_vec()), ("245", sub("10", &[('a', b"ab\x1b(Sa")]))]);
    let base = 24 + 2 * 12 + 1;
    let esc = base + 2 /* "x" + 0x1E */ + 2 /* indicators */ + 2 /* 0x1F a */ + 2 /* "ab" */;
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + esc as u64, RecordErrorKind::Encoding)), Ok(3)]);
    // Leader/09 says UTF-8 but a byte is not.
    let bad = raw_record(b'a', &[("001", b"x".to_vec()), ("245", sub("10", &[('a', b"ab\xFFc")]))]);
    let (data, at) = three_with_middle(&bad);
    assert_eq!(outcome(&data), [Ok(1), Err((2, at + esc as u64, RecordErrorKind::Encoding)), Ok(3)]);
}

#[test]
fn short_record_and_truncated_file() {
    let (data, at) = three_with_middle(b"00010\x1d");
    assert_eq!(outcome(&data), [Ok(1), Err((2, at, RecordErrorKind::Leader)), Ok(3)]);
    let mut cut = trotsky_marc8();
    let at = cut.len() as u64;
    cut.extend_from_slice(&trotsky_marc8()[..100]);
    let o: Vec<_> = read(&cut).collect();
    assert_eq!(o.len(), 2);
    let e = o[1].as_ref().unwrap_err();
    assert_eq!((e.record(), e.offset(), e.kind(), e.is_fatal()), (2, at, RecordErrorKind::Length, true));
}

#[test]
fn marcxml_errors() {
    let rec = |leader: &str| {
        format!(
            "<record><leader>{leader}</leader><datafield tag=\"245\" ind1=\"1\" ind2=\"0\">\
             <subfield code=\"a\">Kobzar</subfield></datafield></record>"
        )
    };
    let good = rec("00000cam a2200000 a 4500");
    let bad = rec("00000cam");
    let xml = format!("<collection>{good}{bad}{good}</collection>");
    let at = ("<collection>".len() + good.len()) as u64;
    assert_eq!(outcome(xml.as_bytes()), [Ok(1), Err((2, at, RecordErrorKind::Leader)), Ok(3)]);
    // A datafield tag of two characters: an error for that record, at the datafield.
    let bad = good.replace("tag=\"245\"", "tag=\"24\"");
    let xml = format!("<collection>{good}{bad}{good}</collection>");
    let o = outcome(xml.as_bytes());
    let field_at = at + "<record><leader>00000cam a2200000 a 4500</leader>".len() as u64;
    assert_eq!(o, [Ok(1), Err((2, field_at, RecordErrorKind::Field)), Ok(3)]);
    // Not well-formed: fatal, reading stops.
    let xml = format!("<collection>{good}<record><leader>x</lead></record>{good}</collection>");
    let o: Vec<_> = read(xml.as_bytes()).collect();
    assert_eq!(o.len(), 2);
    let e = o[1].as_ref().unwrap_err();
    assert_eq!((e.record(), e.kind(), e.is_fatal()), (2, RecordErrorKind::Xml, true));
}

// ---- the CLI ----

fn temp_file(name: &str, contents: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("bibkey-marc-test-{}-{name}", std::process::id()));
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn cli_check_tsv_json_and_summary() {
    let mut recs = vec![bulgakov()];
    recs.extend(tolstoy_and_dostoevsky());
    let path = temp_file("check.mrc", &iso(&recs));
    let o = cli::bibkey(&["marc", "check", &path], b"");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines[0][4], "verdict");
    let verdicts: Vec<&str> = lines[1..].iter().map(|l| l[4]).collect();
    assert_eq!(verdicts, ["exact", "exact", "exact", "exact", "unpaired", "variant", "variant", "exact", "different"]);
    let typo = &lines[9];
    assert_eq!((typo[0], typo[1], typo[2], typo[3]), ("3", "dos-1970", "245/880-02", "ru"));
    assert_eq!(typo[6], "Prestuplenie i nakazanie : roman.");
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("3 records, 8 linked pairs: 5 exact (62.5 %), 2 variant (25.0 %), 1 different (12.5 %)"),
        "{err}"
    );
    assert!(err.contains("1 unpaired"), "{err}");

    let o = cli::bibkey(&["marc", "check", "--json", &path], b"");
    let out = String::from_utf8(o.stdout).unwrap();
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("{\"record\":3,"), "{last}");
    assert!(last.contains("\"verdict\":\"different\""), "{last}");
    assert!(last.contains("\"difference\":{\"at\":22,"), "{last}");
}

#[test]
fn cli_stops_on_a_bad_record_unless_lossy() {
    let mut bad = trotsky_marc8();
    bad[9] = b'x';
    let (data, at) = three_with_middle(&bad);
    let path = temp_file("bad.mrc", &data);
    let o = cli::bibkey(&["marc", "keys", &path], b"");
    assert!(!o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains(&format!("record 2 at byte {}: bad leader", at + 9)), "{err}");
    let o = cli::bibkey(&["marc", "keys", "--lossy", &path], b"");
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 2);
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("record 2 at byte") && err.contains("skipped"), "{err}");
}

#[test]
fn cli_keys_feed_match_and_cluster() {
    let mut recs = vec![bulgakov()];
    recs.extend(tolstoy_and_dostoevsky());
    let path = temp_file("keys.mrc", &iso(&recs));
    let o = cli::bibkey(&["marc", "keys", &path], b"");
    assert!(o.status.success());
    let rows = String::from_utf8(o.stdout).unwrap();
    let first: Vec<&str> = rows.lines().next().unwrap().split('\t').collect();
    assert_eq!(first[..3], ["bulg-1973", "Master i Margarita : roman", "Bulgakov, Mikhail ; Simonov, Konstantin"]);
    assert_eq!(first[3], first[4], "title key of 245 and of its 880");
    assert_eq!(first[6], "1973");
    let index = temp_file("keys.tsv", rows.as_bytes());
    let o = cli::bibkey(&["match", "--index", &index, "--top", "1"], "Война и мир\tТолстой, Лев\n".as_bytes());
    assert!(o.status.success());
    // One row per candidate: query, rank, id, score, how.
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("1\t1\ttol-1957\t"));
    let o = cli::bibkey(&["cluster", "--kind", "title", "--column", "2", &index], b"");
    assert!(o.status.success());
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 3);
}
