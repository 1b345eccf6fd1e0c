//! Data-driven tests of bibkey::corporate and of the corporate and direct-order cases of bibkey::name
//! (tests/data/corporate.tsv), the abbreviation table's errors, `bibkey key --kind corporate`, and the corporate
//! rows of `bibkey marc keys`.

#[path = "common/cli.rs"]
mod cli;

use std::path::Path;

use bibkey::corporate::{corporate_key, is_corporate, parse_corporate, Abbreviations};
use bibkey::name::name_key;

fn rows(file: &str) -> Vec<(usize, Vec<String>)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').map(str::to_string).collect()))
        .collect()
}

#[test]
fn corporate_data() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (line, f) in rows("corporate.tsv") {
        checked += 1;
        let key = |kind: &str, t: &str| if kind == "name" { name_key(t) } else { corporate_key(t) };
        let fail = match f.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["same", kind, a, b] => (key(kind, a) != key(kind, b))
                .then(|| format!("{kind} keys differ: {a:?} {} / {b:?} {}", key(kind, a), key(kind, b))),
            ["differ", kind, a, b] => {
                (key(kind, a) == key(kind, b)).then(|| format!("{kind} keys equal: {a:?} / {b:?} {}", key(kind, a)))
            }
            ["corporate", t] => (!is_corporate(t) || name_key(t) != corporate_key(t))
                .then(|| format!("not taken for corporate: {t:?} (name key {})", name_key(t))),
            ["person", t] => is_corporate(t).then(|| format!("taken for corporate: {t:?}")),
            ["parts", t, parts] => {
                let got = parse_corporate(t).parts;
                let want: Vec<&str> = parts.split('|').collect();
                (got != want).then(|| format!("parts of {t:?}: {got:?}, expected {want:?}"))
            }
            ["meeting", t, n, y] => {
                let m = parse_corporate(t).meeting.unwrap_or_default();
                let got = (m.number.map(|n| n.to_string()), m.year.map(|y| y.to_string()));
                let want = ((*n != "-").then(|| n.to_string()), (*y != "-").then(|| y.to_string()));
                (got != want).then(|| format!("meeting of {t:?}: {got:?}, expected {want:?}"))
            }
            other => Some(format!("malformed row {other:?}")),
        };
        if let Some(why) = fail {
            failures.push(format!("tests/data/corporate.tsv:{line}: {why}"));
        }
    }
    assert!(checked > 50, "only {checked} cases");
    assert!(failures.is_empty(), "{} of {checked} cases failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn abbreviation_table_errors_name_the_line() {
    let cases = [
        ("форма\tforma-\tф.\n", "t:1: expected 4 tab-separated fields (form, stems, abbreviations, source), found 3"),
        ("# c\n\nинститут\tinstitut-\tинт\tGOST\n", "t:3: abbreviation \"инт\" has neither a period nor a hyphen"),
        (
            "институт\tinstitut-\tин-т\tGOST\nинститутка\tinstitut\tинст.\tx\n",
            "t:2: stem \"institut\" (key \"institut\") is already given to \"институт\"",
        ),
        ("институт\t-\tин-т\tGOST\n", "t:1: stem \"-\" has no letters"),
    ];
    for (text, want) in cases {
        let err = Abbreviations::parse("t", text).expect_err(text);
        assert_eq!(err.to_string(), want);
        assert!(err.line().is_some());
    }
}

#[test]
fn builtin_abbreviations_cover_each_listed_form() {
    // Every full form and abbreviation in the table maps to its own row's full form (no row shadows another).
    let text = bibkey::corporate::ABBREVIATIONS_TABLE;
    let t = Abbreviations::builtin();
    let mut n = 0;
    for line in text.lines().map(|l| l.split('#').next().unwrap_or("")).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let form_key = bibkey::key(f[0]);
        assert_eq!(t.canonical(f[0]), Some(form_key.as_str()), "{line}");
        for abbr in f[2].split_whitespace() {
            assert_eq!(t.canonical(abbr), Some(form_key.as_str()), "{abbr} in {line}");
        }
        n += 1;
    }
    assert!(n >= 25);
    // A bare word is not an abbreviation: the surname Gos stays Gos.
    assert_eq!(t.canonical("Gos"), None);
}

#[test]
fn cli_key_kind_corporate() {
    let input = "Akademiia nauk SSSR. Institut istorii\nАкад. наук СССР. Ин-т истории\n\n";
    let o = cli::bibkey(&["key", "--kind", "corporate"], input.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], lines[1]);
    assert_eq!(lines[0], corporate_key("Академия наук СССР. Институт истории").as_str());
    assert_eq!(lines[2], "");
    let o = cli::bibkey(&["cluster", "--kind", "corporate", "-"], input.as_bytes());
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    let ids: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(ids[0], ids[1], "{out}");
}

const AUTHORITY: &str = r#"<collection xmlns="http://www.loc.gov/MARC21/slim">
<record><leader>00000nz  a2200000n  4500</leader>
  <controlfield tag="001">n79-corp</controlfield>
  <datafield tag="110" ind1="2" ind2=" "><subfield code="a">Akademii︠a︡ nauk SSSR.</subfield>
    <subfield code="b">Institut istorii.</subfield></datafield>
  <datafield tag="410" ind1="2" ind2=" "><subfield code="a">Академия наук СССР.</subfield>
    <subfield code="b">Институт истории.</subfield></datafield>
  <datafield tag="410" ind1="2" ind2=" "><subfield code="a">Akad. nauk SSSR.</subfield>
    <subfield code="b">In-t istorii.</subfield></datafield>
</record>
<record><leader>00000nz  a2200000n  4500</leader>
  <controlfield tag="001">n80-meet</controlfield>
  <datafield tag="111" ind1="2" ind2=" "><subfield code="a">Mezhdunarodnyĭ sʺezd slavistov</subfield>
    <subfield code="n">(10th :</subfield><subfield code="d">1988 :</subfield><subfield code="c">Sofia, Bulgaria)</subfield></datafield>
  <datafield tag="411" ind1="2" ind2=" "><subfield code="a">Международный съезд славистов</subfield>
    <subfield code="n">(10 :</subfield><subfield code="d">1988 :</subfield><subfield code="c">София)</subfield></datafield>
</record>
<record><leader>00000nam a2200000 i 4500</leader>
  <controlfield tag="001">b1</controlfield>
  <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Pokrovskiĭ, M. N.</subfield></datafield>
  <datafield tag="245" ind1="1" ind2="0"><subfield code="a">Russkai︠a︡ istorii︠a︡ /</subfield></datafield>
  <datafield tag="710" ind1="2" ind2=" "><subfield code="a">Akademii︠a︡ nauk SSSR.</subfield>
    <subfield code="b">Institut istorii.</subfield></datafield>
</record>
</collection>"#;

#[test]
fn marc_keys_corporate_rows() {
    use bibkey::record::{key_rows, read, NameKind};
    let records: Vec<_> = read(AUTHORITY.as_bytes()).collect::<Result<_, _>>().unwrap();
    let rows: Vec<_> = records.iter().flat_map(key_rows).collect();
    assert_eq!(rows.len(), 6);
    let want = corporate_key("Академия наук СССР. Институт истории");
    for r in &rows[..3] {
        assert_eq!(r.name_kinds, [NameKind::Corporate]);
        assert_eq!(r.name_keys.len(), 1);
        assert_eq!(r.name_keys[0], want, "{r:?}");
        assert_eq!(r.title, "");
    }
    assert_eq!(rows[0].names, ["Akademii︠a︡ nauk SSSR. Institut istorii"]);
    let meeting = corporate_key("Mezhdunarodnyi s\"ezd slavistov (10 : 1988 : Sofia)");
    for r in &rows[3..5] {
        assert_eq!(r.name_kinds, [NameKind::Meeting]);
        assert_eq!(r.name_keys.len(), 1);
        assert_eq!(r.name_keys[0], meeting, "{r:?}");
    }
    assert_eq!(rows[3].names, ["Mezhdunarodnyĭ sʺezd slavistov (10th : 1988 : Sofia, Bulgaria)"]);
    assert_eq!(rows[5].name_kinds, [NameKind::Person, NameKind::Corporate]);
    assert_eq!(rows[5].name_keys[1], want);
    // The names column as written keys the same way through name_key (what `match --index` computes).
    assert_eq!(name_key(&rows[0].names[0]), want);
    assert_eq!(name_key(&rows[3].names[0]), meeting);

    let dir = std::env::temp_dir().join(format!("bibkey-corporate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("auth.xml");
    std::fs::write(&path, AUTHORITY).unwrap();
    let o = cli::bibkey(&["marc", "keys", path.to_str().unwrap()], b"");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let cols: Vec<Vec<&str>> = out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(cols.len(), 6);
    assert!(cols.iter().all(|c| c.len() == 9), "{out}");
    assert_eq!(cols[0][5], want.as_str());
    assert_eq!(cols[0][7], "110");
    assert_eq!(cols[0][8], "corporate");
    assert_eq!(cols[4][8], "meeting");
    assert_eq!(cols[5][8], "person ; corporate");
    let index = dir.join("keys.tsv");
    std::fs::write(&index, &out).unwrap();
    let o = cli::bibkey(
        &["match", "--index", index.to_str().unwrap(), "--top", "1"],
        "Русская история\tПокровский М.Н. ; Акад. наук СССР. Ин-т истории\n".as_bytes(),
    );
    assert!(o.status.success());
    // One row per candidate: query number, rank, id, score, how.
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("1\t1\tb1\t"));
    let _ = std::fs::remove_dir_all(&dir);
}
