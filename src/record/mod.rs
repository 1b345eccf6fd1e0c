//! MARC 21 records: reading ISO 2709 and MARCXML files, pairing each 880 field (the vernacular, here
//! Cyrillic, form) with the romanized field it links to, the record's language, and the checks and keys built on
//! them.
//!
//! Built with the `marc` cargo feature (the CLI turns it on).
//!
//! * [`read`] iterates over the records of a file held in memory, ISO 2709 or MARCXML (told apart by the first
//!   byte). ISO 2709 records in MARC-8 (leader/09 blank) are decoded to Unicode for Latin with its combining
//!   diacritics (the ALA-LC tie arrives as U+FE20/U+FE21) and for Cyrillic; leader/09 `a` means UTF-8.
//! * Every malformed record gives a [`RecordError`] naming the record number and the byte offset; the iterator
//!   then goes on with the next record (after an XML syntax error, which leaves no next record to find, it
//!   stops). What to do with the error (stop, or count it and go on) is the caller's choice: no record is
//!   skipped silently.
//! * [`Record::links`] pairs the 880s with their fields through subfield $6; [`Record::lang`] reads 008/35-37
//!   then 041 $a.
//! * [`check_record`] says whether each romanized field is the ALA-LC romanization of its 880;
//!   [`key_rows`] makes the rows `bibkey cluster` and `bibkey match --index` read.
//!
//! ```
//! use bibkey::record::{read, Record};
//!
//! let xml = r#"<collection xmlns="http://www.loc.gov/MARC21/slim"><record>
//!   <leader>00000nam a2200000 i 4500</leader>
//!   <controlfield tag="001">1</controlfield>
//!   <controlfield tag="008">950101s1994    ru            000 1 rus d</controlfield>
//!   <datafield tag="245" ind1="1" ind2="0">
//!     <subfield code="6">880-01</subfield><subfield code="a">Master i Margarita</subfield></datafield>
//!   <datafield tag="880" ind1="1" ind2="0">
//!     <subfield code="6">245-01/(N</subfield><subfield code="a">Мастер и Маргарита</subfield></datafield>
//! </record></collection>"#;
//! let records: Vec<Record> = read(xml.as_bytes()).collect::<Result<_, _>>()?;
//! let links = records[0].links();
//! assert_eq!(links.pairs.len(), 1);
//! assert_eq!(records[0].lang(), Some(bibkey::Lang::Russian));
//! # Ok::<(), bibkey::record::RecordError>(())
//! ```

mod check;
mod iso2709;
mod keys;
mod marc8;
mod xml;

use std::fmt;

use crate::Lang;

pub use check::{check_record, Difference, PairCheck, Verdict};
pub use keys::{key_rows, KeyRow, NameKind};

/// One subfield: its code and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subfield {
    /// The subfield code (`a`, `6`…).
    pub code: char,
    /// The text, decoded to Unicode.
    pub value: String,
}

/// A variable data field (tag 010 and above): indicators and subfields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The three-character tag.
    pub tag: String,
    /// First indicator.
    pub ind1: char,
    /// Second indicator.
    pub ind2: char,
    /// The subfields in order.
    pub subfields: Vec<Subfield>,
}

impl Field {
    /// The first subfield with this code.
    pub fn subfield(&self, code: char) -> Option<&str> {
        self.subfields.iter().find(|s| s.code == code).map(|s| s.value.as_str())
    }

    /// The linkage of subfield $6, if the field has a well-formed one.
    pub fn linkage(&self) -> Option<Linkage> {
        self.subfield('6').and_then(Linkage::parse)
    }

    /// The text of the subfields with these codes, in field order, joined by spaces.
    pub fn text_of(&self, codes: &[char]) -> String {
        let mut out = String::new();
        for s in self.subfields.iter().filter(|s| codes.contains(&s.code)) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(s.value.trim());
        }
        out
    }
}

/// A control field (tag 001–009): one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlField {
    /// The tag (`001`, `008`…).
    pub tag: String,
    /// The value.
    pub value: String,
}

/// One MARC record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// The record's number in its file, from 1.
    pub number: u64,
    /// The byte offset of the record's start in its file.
    pub offset: u64,
    /// The 24-character leader.
    pub leader: String,
    /// The control fields in order.
    pub control: Vec<ControlField>,
    /// The data fields in order.
    pub fields: Vec<Field>,
}

/// Subfield $6 read: `880-01` in a regular field, `245-01/(N` in an 880.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Linkage {
    /// The tag of the linked field.
    pub tag: String,
    /// The occurrence number (`01`); `00` means the 880 has no regular field on purpose.
    pub occurrence: String,
    /// The script identification code (`(N` Cyrillic, `(B` Latin, `$1` CJK…), if given.
    pub script: Option<String>,
}

impl Linkage {
    /// Parses `TAG-NN[/SCRIPT[/r]]`. `None` if it is not of that form.
    ///
    /// ```
    /// let l = bibkey::record::Linkage::parse("245-01/(N").unwrap();
    /// assert_eq!((l.tag.as_str(), l.occurrence.as_str(), l.script.as_deref()), ("245", "01", Some("(N")));
    /// assert!(bibkey::record::Linkage::parse("245").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Linkage> {
        let text = text.trim();
        let (head, rest) = match text.split_once('/') {
            Some((h, r)) => (h, Some(r)),
            None => (text, None),
        };
        let (tag, occ) = head.split_once('-')?;
        if tag.len() != 3 || !tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        if occ.len() < 2 || !occ.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let script = rest.map(|r| r.split('/').next().unwrap_or("").to_string()).filter(|s| !s.is_empty());
        Some(Linkage { tag: tag.to_string(), occurrence: occ.to_string(), script })
    }
}

/// The 880s of a record paired with their fields (indexes into [`Record::fields`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// (regular field, its 880), in the order of the 880s.
    pub pairs: Vec<(usize, usize)>,
    /// Fields whose link leads nowhere, with the reason.
    pub unpaired: Vec<Unpaired>,
}

/// A field whose $6 link leads nowhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unpaired {
    /// Index into [`Record::fields`].
    pub field: usize,
    /// Why it has no partner.
    pub reason: String,
}

impl Record {
    /// The value of control field `tag`, if present.
    pub fn control(&self, tag: &str) -> Option<&str> {
        self.control.iter().find(|c| c.tag == tag).map(|c| c.value.as_str())
    }

    /// The record's id: control field 001, trimmed.
    pub fn id(&self) -> Option<&str> {
        self.control("001").map(str::trim).filter(|s| !s.is_empty())
    }

    /// The data fields with this tag.
    pub fn fields<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'a Field> + 'a {
        self.fields.iter().filter(move |f| f.tag == tag)
    }

    /// True for an authority record (leader/06 `z`).
    pub fn is_authority(&self) -> bool {
        self.leader.as_bytes().get(6) == Some(&b'z')
    }

    /// The language codes the record states: 008/35-37 first (bibliographic records only; authority 008s have no
    /// language), then each 041 $a.
    pub fn lang_codes(&self) -> Vec<String> {
        let mut codes = Vec::new();
        if !self.is_authority() {
            if let Some(f008) = self.control("008") {
                if let Some(c) = f008.get(35..38) {
                    if c.bytes().all(|b| b.is_ascii_alphabetic()) {
                        codes.push(c.to_ascii_lowercase());
                    }
                }
            }
        }
        for f in self.fields("041") {
            for s in f.subfields.iter().filter(|s| s.code == 'a') {
                // Old records run several codes together in one $a (`ruseng`).
                let v = s.value.trim();
                let mut i = 0;
                while i + 3 <= v.len() && v.is_char_boundary(i + 3) {
                    codes.push(v[i..i + 3].to_ascii_lowercase());
                    i += 3;
                }
            }
        }
        codes
    }

    /// The record's Cyrillic language: the first of [`lang_codes`](Record::lang_codes) that is one.
    pub fn lang(&self) -> Option<Lang> {
        self.lang_codes().iter().find_map(|c| Lang::from_code(c))
    }

    /// Pairs every 880 with the field its $6 names (tag and occurrence number), and lists those that cannot be
    /// paired: an 880 without a well-formed $6, or whose field is missing; a field linking to an 880 that is
    /// missing. An 880 with occurrence `00` is unlinked on purpose and is not listed.
    pub fn links(&self) -> Links {
        let mut links = Links::default();
        let mut used = vec![false; self.fields.len()];
        for (v, field) in self.fields.iter().enumerate().filter(|(_, f)| f.tag == "880") {
            let Some(raw) = field.subfield('6') else {
                links.unpaired.push(Unpaired { field: v, reason: "880 without subfield $6".into() });
                continue;
            };
            let Some(link) = Linkage::parse(raw) else {
                links.unpaired.push(Unpaired { field: v, reason: format!("880 with malformed $6 {raw:?}") });
                continue;
            };
            if link.occurrence.bytes().all(|b| b == b'0') {
                continue;
            }
            let partner = self.fields.iter().position(|f| {
                f.tag == link.tag && f.linkage().is_some_and(|l| l.tag == "880" && l.occurrence == link.occurrence)
            });
            match partner {
                Some(r) => {
                    used[r] = true;
                    links.pairs.push((r, v));
                }
                None => links.unpaired.push(Unpaired {
                    field: v,
                    reason: format!("no field {} with $6 880-{}", link.tag, link.occurrence),
                }),
            }
        }
        for (r, field) in self.fields.iter().enumerate() {
            if field.tag == "880" || used[r] {
                continue;
            }
            if let Some(l) = field.linkage().filter(|l| l.tag == "880") {
                links
                    .unpaired
                    .push(Unpaired { field: r, reason: format!("no 880 with $6 {}-{}", field.tag, l.occurrence) });
            }
        }
        links
    }
}

/// What kind of damage a [`RecordError`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// The leader is malformed (too short, non-digits where lengths go, an unknown character coding).
    Leader,
    /// The record's length in the leader disagrees with the data, or the file ends inside a record.
    Length,
    /// The directory is malformed or points outside the record.
    Directory,
    /// A field's content is malformed (no field terminator, no subfield delimiter, a bad tag or code).
    Field,
    /// Text is not valid in the record's encoding (UTF-8 or MARC-8).
    Encoding,
    /// MARCXML that is not well-formed XML or not MARCXML.
    Xml,
}

/// A malformed record: which one (its number in the file, from 1), where (byte offset in the file) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordError {
    record: u64,
    offset: u64,
    kind: RecordErrorKind,
    reason: String,
    fatal: bool,
}

impl RecordError {
    pub(crate) fn new(record: u64, offset: u64, kind: RecordErrorKind, reason: impl Into<String>) -> RecordError {
        RecordError { record, offset, kind, reason: reason.into(), fatal: false }
    }

    pub(crate) fn fatal(mut self) -> RecordError {
        self.fatal = true;
        self
    }

    /// The number of the record in its file, from 1.
    pub fn record(&self) -> u64 {
        self.record
    }
    /// The byte offset in the file where the problem is.
    pub fn offset(&self) -> u64 {
        self.offset
    }
    /// What kind of damage.
    pub fn kind(&self) -> RecordErrorKind {
        self.kind
    }
    /// Why, in words.
    pub fn reason(&self) -> &str {
        &self.reason
    }
    /// True if reading cannot go on after this error (the iterator ends).
    pub fn is_fatal(&self) -> bool {
        self.fatal
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            RecordErrorKind::Leader => "bad leader",
            RecordErrorKind::Length => "bad length",
            RecordErrorKind::Directory => "bad directory",
            RecordErrorKind::Field => "bad field",
            RecordErrorKind::Encoding => "bad encoding",
            RecordErrorKind::Xml => "bad MARCXML",
        };
        write!(f, "record {} at byte {}: {kind}: {}", self.record, self.offset, self.reason)
    }
}

impl std::error::Error for RecordError {}

/// The records of a file, in order. See [`read`].
pub struct Records<'a> {
    inner: Inner<'a>,
}

enum Inner<'a> {
    Iso(iso2709::Reader<'a>),
    Xml(Box<xml::Reader<'a>>),
}

impl Iterator for Records<'_> {
    type Item = Result<Record, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.inner {
            Inner::Iso(r) => r.next(),
            Inner::Xml(r) => r.next(),
        }
    }
}

/// Reads the records of a file held in memory: MARCXML if its first non-blank byte is `<` (after a byte-order
/// mark), ISO 2709 otherwise.
///
/// The iterator yields an error for each malformed record and goes on with the next one; it ends after a
/// [fatal](RecordError::is_fatal) error.
pub fn read(data: &[u8]) -> Records<'_> {
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    let inner = if first == Some(&b'<') {
        Inner::Xml(Box::new(xml::Reader::new(data)))
    } else {
        Inner::Iso(iso2709::Reader::new(data))
    };
    Records { inner }
}

/// Writes a record as ISO 2709 in UTF-8 (leader/09 `a`), with the lengths and directory computed. For tests,
/// benchmarks and generated data; fails if the record exceeds the format's limits (99,999 bytes) or holds a
/// control character (the delimiters 0x1D–0x1F among them) that the reader would reject, or a control field
/// whose tag is not 00X or a data field whose tag is (MARCXML may carry either; ISO 2709 tells them apart by tag).
///
/// ```
/// use bibkey::record::{read, to_iso2709, ControlField, Field, Record, Subfield};
/// let r = Record {
///     number: 1,
///     offset: 0,
///     leader: "00000nam a2200000 i 4500".into(),
///     control: vec![ControlField { tag: "001".into(), value: "x1".into() }],
///     fields: vec![Field { tag: "245".into(), ind1: '1', ind2: '0',
///         subfields: vec![Subfield { code: 'a', value: "Voĭna i mir".into() }] }],
/// };
/// let bytes = to_iso2709(&r)?;
/// let back = read(&bytes).next().unwrap()?;
/// assert_eq!(back.fields, r.fields);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_iso2709(record: &Record) -> Result<Vec<u8>, String> {
    iso2709::write(record)
}
