//! The rows `bibkey marc keys` writes: one per bibliographic record, one per form of an authority record.

use super::{Field, Record};
use crate::corporate::{parse_corporate, CorporateName, Meeting};
use crate::{name_key, title_key, Key};

/// What a name of a [`KeyRow`] is, from its field's tag: a person (x00), a corporate body (x10) or a meeting
/// (x11). Corporate bodies and meetings are keyed with [`corporate_key`](crate::corporate_key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// 100, 400, 700: a personal name, keyed with [`name_key`].
    Person,
    /// 110, 410, 710: a corporate body.
    Corporate,
    /// 111, 411, 711: a meeting.
    Meeting,
}

impl NameKind {
    /// `person`, `corporate` or `meeting`, as `bibkey marc keys` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Person => "person",
            NameKind::Corporate => "corporate",
            NameKind::Meeting => "meeting",
        }
    }

    /// The kind of a name field's tag (`100`, `710`, `411`…), by its last two digits.
    pub fn of_tag(tag: &str) -> NameKind {
        match tag.get(1..) {
            Some("10") => NameKind::Corporate,
            Some("11") => NameKind::Meeting,
            _ => NameKind::Person,
        }
    }
}

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
    /// The key of each name: [`name_key`] for a person, [`corporate_key`](crate::corporate_key) for a corporate
    /// body or meeting.
    pub name_keys: Vec<Key>,
    /// What each name is (from its tag), in the order of `names`.
    pub name_kinds: Vec<NameKind>,
    /// The year: 008/07-10, else the first four digits of 264 $c or 260 $c. Empty if unknown.
    pub date: String,
    /// Which field the row comes from: `bib`, or the authority form's tag (`100`, `400`, `880`).
    pub form: String,
}

const TITLE_CODES: [char; 4] = ['a', 'b', 'n', 'p'];

/// The subfields of a name as shown: $a of a person; $a $b (and a meeting's $n $d $c) of a corporate body;
/// $a $e $q $n $d $c of a meeting.
fn name_codes(kind: NameKind) -> &'static [char] {
    match kind {
        NameKind::Person => &['a'],
        NameKind::Corporate => &['a', 'b', 'n', 'd', 'c'],
        NameKind::Meeting => &['a', 'e', 'q', 'n', 'd', 'c'],
    }
}

/// A name field's text and key. `kind` is the field's own kind, or for an 880 the kind of the field it links to.
fn name_of(f: &Field, kind: NameKind) -> (String, Key) {
    let f = &before_title(f);
    let text = clean(&f.text_of(name_codes(kind)));
    let key = match kind {
        NameKind::Person => name_key(&text),
        _ => corporate_of(f, kind).key(),
    };
    (text, key)
}

/// The field without its title part: a name-title heading's subfields from $t on ($n and $p there number the
/// work, not a meeting).
fn before_title(f: &Field) -> Field {
    let mut out = f.clone();
    if let Some(t) = out.subfields.iter().position(|s| s.code == 't') {
        out.subfields.truncate(t);
    }
    out
}

/// A corporate or meeting heading from its subfields: the hierarchy from $a and each $b (a meeting's $e and $q),
/// qualifiers from their parentheses, the meeting from $n, $d and $c.
fn corporate_of(f: &Field, kind: NameKind) -> CorporateName {
    let mut out = CorporateName::default();
    let mut meeting = Meeting::default();
    let units: &[char] = if kind == NameKind::Meeting { &['a', 'e', 'q'] } else { &['a', 'b'] };
    for s in &f.subfields {
        if units.contains(&s.code) {
            let mut part = parse_corporate(s.value.trim());
            out.parts.append(&mut part.parts);
            out.qualifiers.append(&mut part.qualifiers);
            if let Some(m) = part.meeting {
                out.meeting.get_or_insert(m);
            }
        } else if matches!(s.code, 'n' | 'd' | 'c') {
            // "(5th :", "1960 :", "San Francisco)": Meeting::add drops the punctuation.
            meeting.add(&s.value);
        }
    }
    if meeting != Meeting::default() {
        out.meeting = Some(meeting);
    }
    out
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
    let mut name_keys = Vec::new();
    let mut name_kinds = Vec::new();
    for tag in ["100", "110", "111", "700", "710", "711"] {
        let kind = NameKind::of_tag(tag);
        for f in record.fields(tag) {
            let (n, k) = name_of(f, kind);
            if !n.is_empty() {
                names.push(n);
                name_keys.push(k);
                name_kinds.push(kind);
            }
        }
    }
    vec![KeyRow {
        id,
        title_key: title_key(&title),
        vernacular_title_key: vernacular.map(|v| title_key(&v)).unwrap_or_default(),
        name_keys,
        name_kinds,
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
        let kind = NameKind::of_tag(std::str::from_utf8(role).unwrap_or_default());
        let (title, names) = if is_name {
            let title = match f.subfields.iter().position(|s| s.code == 't') {
                Some(t) => {
                    let mut work = f.clone();
                    work.subfields.drain(..t);
                    clean(&work.text_of(&['t', 'n', 'p']))
                }
                None => String::new(),
            };
            (title, vec![name_of(f, kind)])
        } else {
            (clean(&f.text_of(&['a', 'b', 'n', 'p', 'x'])), Vec::new())
        };
        let (names, name_keys): (Vec<String>, Vec<Key>) = names.into_iter().filter(|(n, _)| !n.is_empty()).unzip();
        rows.push(KeyRow {
            id: id.clone(),
            title_key: title_key(&title),
            vernacular_title_key: Key::default(),
            name_kinds: vec![kind; names.len()],
            name_keys,
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
