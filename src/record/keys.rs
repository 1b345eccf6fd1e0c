//! The rows `bibkey marc keys` writes: one per bibliographic record, one per form of an authority record.

use super::{Field, Record};
use crate::{name_key, title_key, Key};

/// One row of keys. Its first three columns (`id`, `title`, `names`) are what `bibkey match --index` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct KeyRow {
    /// The record's 001 (empty if it has none).
    pub id: String,
    /// The title as catalogued: 245 $a $b $n $p of a bibliographic record; the title of an authority form.
    pub title: String,
    /// Names: 100/110/111 then 700/710/711 ($a, with $b for corporate and meeting names) of a bibliographic
    /// record; the name of an authority form.
    pub names: Vec<String>,
    /// [`title_key`] of `title`.
    pub title_key: Key,
    /// [`title_key`] of the 880 linked to 245 (empty key if there is none).
    pub vernacular_title_key: Key,
    /// [`name_key`] of each name.
    pub name_keys: Vec<Key>,
    /// The year: 008/07-10, else the first four digits of 264 $c or 260 $c. Empty if unknown.
    pub date: String,
    /// Which field the row comes from: `bib`, or the authority form's tag (`100`, `400`, `880`).
    pub form: String,
}

const TITLE_CODES: [char; 4] = ['a', 'b', 'n', 'p'];

fn name_of(f: &Field) -> String {
    let codes: &[char] = if f.tag.ends_with("00") { &['a'] } else { &['a', 'b'] };
    clean(&f.text_of(codes))
}

/// Trailing ISBD punctuation off (`Tolstoĭ, Lev,` → `Tolstoĭ, Lev`), tabs and line breaks made spaces.
fn clean(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    s.trim().trim_end_matches([',', ':', ';', '/', '=', '.', ' ']).trim().to_string()
}

/// The key rows of a record: one for a bibliographic record; for an authority record (leader/06 `z`), one per
/// form: the 1xx heading, each 4xx and each 880 (the Cyrillic forms), all with the record's id.
///
/// ```
/// use bibkey::record::{key_rows, read};
/// let xml = r#"<record><leader>00000nam a2200000 i 4500</leader>
///   <controlfield tag="001">b1</controlfield>
///   <controlfield tag="008">950101s1994    ru            000 1 rus d</controlfield>
///   <datafield tag="100" ind1="1" ind2=" "><subfield code="a">Bulgakov, Mikhail,</subfield></datafield>
///   <datafield tag="245" ind1="1" ind2="0"><subfield code="a">Master i Margarita :</subfield>
///     <subfield code="b">roman /</subfield></datafield></record>"#;
/// let rows = key_rows(&read(xml.as_bytes()).next().unwrap()?);
/// assert_eq!(rows[0].title, "Master i Margarita : roman");
/// assert_eq!(rows[0].names, ["Bulgakov, Mikhail"]);
/// assert_eq!(rows[0].date, "1994");
/// assert_eq!(rows[0].title_key, bibkey::title_key("Мастер и Маргарита : роман"));
/// # Ok::<(), bibkey::record::RecordError>(())
/// ```
pub fn key_rows(record: &Record) -> Vec<KeyRow> {
    let id = clean(record.id().unwrap_or(""));
    if record.is_authority() {
        return authority_rows(record, id);
    }
    let title_field = record.fields("245").next();
    let title = title_field.map(|f| clean(&f.text_of(&TITLE_CODES))).unwrap_or_default();
    let links = record.links();
    let vernacular = title_field
        .and_then(|t| record.fields.iter().position(|f| std::ptr::eq(f, t)))
        .and_then(|r| links.pairs.iter().find(|&&(a, _)| a == r))
        .map(|&(_, v)| clean(&record.fields[v].text_of(&TITLE_CODES)));
    let mut names = Vec::new();
    for tag in ["100", "110", "111", "700", "710", "711"] {
        for f in record.fields(tag) {
            let n = name_of(f);
            if !n.is_empty() {
                names.push(n);
            }
        }
    }
    vec![KeyRow {
        id,
        title_key: title_key(&title),
        vernacular_title_key: vernacular.map(|v| title_key(&v)).unwrap_or_default(),
        name_keys: names.iter().map(|n| name_key(n)).collect(),
        title,
        names,
        date: date(record),
        form: "bib".into(),
    }]
}

fn authority_rows(record: &Record, id: String) -> Vec<KeyRow> {
    let mut rows = Vec::new();
    for f in &record.fields {
        let t = f.tag.as_bytes();
        // The 880s of an authority record carry the vernacular forms of its 1xx and 4xx.
        let linked = if f.tag == "880" { f.linkage().map(|l| l.tag) } else { None };
        let role = linked.as_deref().map(str::as_bytes).unwrap_or(t);
        if role.len() != 3 || !(role[0] == b'1' || role[0] == b'4') {
            continue;
        }
        let is_name = matches!(&role[1..], b"00" | b"10" | b"11");
        let (title, names) = if is_name {
            (clean(&f.text_of(&['t', 'n', 'p'])), vec![name_of(f)])
        } else {
            (clean(&f.text_of(&['a', 'b', 'n', 'p', 'x'])), Vec::new())
        };
        let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
        rows.push(KeyRow {
            id: id.clone(),
            title_key: title_key(&title),
            vernacular_title_key: Key::default(),
            name_keys: names.iter().map(|n| name_key(n)).collect(),
            title,
            names,
            date: String::new(),
            form: f.tag.clone(),
        });
    }
    rows
}

fn date(record: &Record) -> String {
    if let Some(d) = record.control("008").and_then(|f| f.get(7..11)) {
        if d.bytes().all(|b| b.is_ascii_digit()) {
            return d.to_string();
        }
    }
    for tag in ["264", "260"] {
        for f in record.fields(tag) {
            for s in f.subfields.iter().filter(|s| s.code == 'c') {
                let b = s.value.as_bytes();
                if let Some(i) = b.windows(4).position(|w| w.iter().all(u8::is_ascii_digit)) {
                    return s.value[i..i + 4].to_string();
                }
            }
        }
    }
    String::new()
}
