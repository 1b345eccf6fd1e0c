//! Citations: footnotes and reference-list entries taken apart into fields, keyed by the work they cite, and
//! matched.
//!
//! Historians cite whole works, not titles, and the same work reaches a bibliography in many dresses:
//!
//! ```text
//! Proletarskaya revolyutsiya, no. 10 (69), 1927, pp. 246–7
//! Proletarskaia revoliutsiia, 1927, no. 10(69), pp. 246-247
//! Пролетарская революция. 1927. № 10 (69). С. 246–247.
//! Lenin, Vol. XXI, pp. 193–4           Ленин В. И. Сочинения. Т. 21. С. 193–194.
//! ```
//!
//! [`parse`] reads one citation in the Chicago (notes and bibliography), Western-footnote (romanized Russian:
//! `t.`, `no.`, `vyp.`, `s.`, `izd.`), GOST 7.1-2003 / 7.0.5-2008 (`//` before the container, `—` between areas,
//! `М.; Л.: Госиздат, 1925`), pre-1918 Russian (`Т.`, `стр.`), German (`Bd.`, `H.`, `S.`, `hrsg. v.`, `Aufl.`),
//! French (`t.`, `p.`, `éd.`), Polish (`t.`, `s.`, `nr`, `wyd.`) and author–year (APA, Harvard) conventions. Every
//! field keeps its byte [`Span`] in the input, and text that no rule claims stays in
//! [`Citation::unassigned`]: field spans and unassigned spans together cover the input exactly once.
//!
//! ```
//! use bibkey::cite::{parse, Kind};
//!
//! let c = parse("Пролетарская революция. 1927. № 10 (69). С. 246–247.");
//! assert_eq!(c.container.as_ref().unwrap().value, "Пролетарская революция");
//! let issue = &c.issue.as_ref().unwrap().value;
//! assert_eq!((issue.number, issue.whole), (10, Some(69)));
//! assert_eq!(c.year(), Some(1927));
//! assert_eq!(c.pages.as_ref().map(|p| (p.value.first, p.value.last)), Some((246, 247)));
//! assert_eq!(c.kind, Kind::Article);
//!
//! // "pp. 246–7" is 246–247, and the romanized and Cyrillic citations are one work, at one place.
//! let d = parse("Proletarskaya revolyutsiya, no. 10 (69), 1927, pp. 246–7");
//! assert_eq!(c.work_key(), d.work_key());
//! assert_eq!(c.place_key(), d.place_key());
//!
//! let lenin = parse("Ленин В. И. Сочинения. Т. 21. С. 193–194.");
//! assert_eq!(lenin.authors[0].name.surname, "Ленин");
//! assert_eq!(lenin.kind, Kind::Collected);
//! assert_eq!(lenin.work_key(), parse("Lenin, Vol. XXI, pp. 193–4").work_key());
//! assert_ne!(lenin.work_key(), parse("Lenin, Vol. XXII, pp. 193–4").work_key());
//! ```
//!
//! A footnote stream ([`Stream`]) resolves `Ibid.`, `Там же`, `Ebd.`, `op. cit.`, `Указ. соч.`, `a.a.O.` and
//! short forms (`Trotsky, History, Vol. III`) against the earlier notes. [`Citation::work_key`] and
//! [`Citation::place_key`] are the keys to cluster on; [`Citation::compare`] matches two citations field by field
//! and says how each field matched. The word lists (markers, places, abbreviations, months, Roman numerals) are
//! data under `tables/cite/`, extensible with [`CiteTables`].

mod keys;
mod parse;
mod stream;
mod tables;
mod token;
mod works;

pub use keys::{Comparison, FieldMatch};
pub use stream::{Resolution, Resolved, Stream};
pub use tables::{CiteTables, BUILTIN_TABLES};
pub use works::{Joined, Works};

use crate::name::PersonalName;

/// A byte range of the input: `&input[span.start..span.end]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The text of the span in `input` (empty if the span is not in it).
    pub fn of<'a>(&self, input: &'a str) -> &'a str {
        input.get(self.start..self.end).unwrap_or("")
    }
}

/// A field's value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Field<T> {
    /// The value: the text as written for text fields (without surrounding quotes and trailing punctuation), the
    /// number for numeric ones.
    pub value: T,
    /// Where it was written (for numbers, with their marker: `Vol. XXI`, `pp. 246–7`).
    pub span: Span,
}

/// What kind of work a citation cites.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// A book (monograph), possibly one volume of several.
    #[default]
    Book,
    /// An article in a journal, or an issue of a journal.
    Article,
    /// A chapter or contribution in an edited volume.
    Chapter,
    /// A newspaper issue or an article in one (cited by its date).
    Newspaper,
    /// A volume of collected (or selected) works, or a piece in one.
    Collected,
}

impl Kind {
    /// The kind's name as the test data and the CLI write it: `book`, `article`, `chapter`, `newspaper`,
    /// `collected`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Book => "book",
            Kind::Article => "article",
            Kind::Chapter => "chapter",
            Kind::Newspaper => "newspaper",
            Kind::Collected => "collected",
        }
    }
}

/// An author of the cited work.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Author {
    /// The name, parsed with [`parse_name`](crate::parse_name).
    pub name: PersonalName,
    /// Where it was written.
    pub span: Span,
}

/// An issue number: `10`, `10 (69)` (with the whole number since the journal began), `5–6` (a double issue).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Issue {
    /// The number within the year or volume.
    pub number: u32,
    /// The whole number, written in parentheses after it.
    pub whole: Option<u32>,
    /// The last number of a double issue (`5–6`, `10/11`).
    pub last: Option<u32>,
}

/// Cited pages: one page or a range, with abbreviated ranges expanded (`246–7` = 246–247).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Pages {
    /// The first page.
    pub first: u32,
    /// The last page (the first for a single page).
    pub last: u32,
}

/// A date: a year, or a month of it, or a day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Date {
    /// The year (the first of a range such as `1917–1918`).
    pub year: u16,
    /// The month, 1–12.
    pub month: Option<u8>,
    /// The day of the month (the first of an Old Style / New Style pair such as `7 (20) November`).
    pub day: Option<u8>,
}

/// A reference to an earlier note instead of (or besides) a full citation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reference {
    /// `Ibid.`, `Ibidem`, `Там же`, `Ebd.`, `Tamże`: the work of the previous note.
    Ibid,
    /// `op. cit.`, `Указ. соч.`, `a.a.O.`, `loc. cit.`: the work by this author cited before.
    OpCit,
}

/// The name of a field, for [`Citation::spans`] and [`Comparison`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldName {
    /// An author's name.
    Author,
    /// The title of the cited work (article, chapter, book).
    Title,
    /// The journal, newspaper, collected works or edited volume the work is in.
    Container,
    /// The volume or tome.
    Volume,
    /// The issue or number.
    Issue,
    /// The part or book.
    Part,
    /// The year or full date.
    Date,
    /// The cited pages.
    Pages,
    /// The number of pages of the whole work (`320 с.`).
    Extent,
    /// A place of publication.
    Place,
    /// The publisher.
    Publisher,
    /// The edition (`2-е изд.`, `3. Aufl.`).
    Edition,
    /// The series (a parenthesized statement after the title).
    Series,
    /// An editor or translator statement (`ed. Max Eastman`, `под ред. М. Н. Покровского`).
    Editors,
    /// `Ibid.`, `op. cit.` and their equivalents.
    Reference,
    /// Text no rule claimed.
    Unassigned,
}

impl FieldName {
    /// The field's name in lower case (`title`, `container`…), as the CLI's JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldName::Author => "author",
            FieldName::Title => "title",
            FieldName::Container => "container",
            FieldName::Volume => "volume",
            FieldName::Issue => "issue",
            FieldName::Part => "part",
            FieldName::Date => "date",
            FieldName::Pages => "pages",
            FieldName::Extent => "extent",
            FieldName::Place => "place",
            FieldName::Publisher => "publisher",
            FieldName::Edition => "edition",
            FieldName::Series => "series",
            FieldName::Editors => "editors",
            FieldName::Reference => "reference",
            FieldName::Unassigned => "unassigned",
        }
    }
}

/// One citation taken apart. Every byte of the input is in exactly one span: a field's or an unassigned one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Citation {
    /// The kind of work cited.
    pub kind: Kind,
    /// The authors, in order.
    pub authors: Vec<Author>,
    /// The title of the cited work (article, chapter or book; for a volume of collected works without a piece of
    /// its own, the edition's title: `Сочинения`).
    pub title: Option<Field<String>>,
    /// The journal, newspaper, collected works or edited volume the work is in.
    pub container: Option<Field<String>>,
    /// The volume or tome (Roman numerals read as numbers).
    pub volume: Option<Field<u32>>,
    /// The issue.
    pub issue: Option<Field<Issue>>,
    /// The part or book (`ch. 2`, `Кн. 1`).
    pub part: Option<Field<u32>>,
    /// The year or full date.
    pub date: Option<Field<Date>>,
    /// The cited pages.
    pub pages: Option<Field<Pages>>,
    /// The number of pages of the whole work (`320 с.`).
    pub extent: Option<Field<u32>>,
    /// The places of publication, as written (`М.`, `Berlin`).
    pub places: Vec<Field<String>>,
    /// The publisher, as written.
    pub publisher: Option<Field<String>>,
    /// The edition statement, as written (`2-е изд.`).
    pub edition: Option<Field<String>>,
    /// The series, as written.
    pub series: Option<Field<String>>,
    /// The editor or translator statement, as written (after its `ed.`, `под ред.`).
    pub editors: Option<Field<String>>,
    /// `Ibid.` or `op. cit.` (and their equivalents), when the note refers to an earlier one.
    pub reference: Option<Field<Reference>>,
    /// The spans no rule claimed, separators included, in order.
    pub unassigned: Vec<Span>,
    /// The title and the container in full when they are abbreviations of the lists (`PSS` → `Polnoe sobranie
    /// sochinenii`), for the keys.
    pub(crate) title_full: Option<String>,
    pub(crate) container_full: Option<String>,
    /// The title is that of a collected-works edition (`Сочинения`), not of a piece.
    pub(crate) title_collected: bool,
    pub(crate) container_collected: bool,
    /// The title key of a translated collected edition (`Collected Works`, `Œuvres`): its volumes are not those
    /// of the original.
    pub(crate) translation: Option<crate::Key>,
    /// The note names its author `Idem` (`ders.`, `tenże`): the author of the note before.
    pub(crate) idem: bool,
}

impl Citation {
    /// The year of the date, if any.
    pub fn year(&self) -> Option<u16> {
        self.date.as_ref().map(|d| d.value.year)
    }

    /// Every span of the citation with the field it belongs to, in order: they cover the input exactly once.
    ///
    /// ```
    /// use bibkey::cite::{parse, FieldName};
    /// let text = "Trotsky, History, Vol. III, p. 45";
    /// let spans = parse(text).spans();
    /// let named: Vec<_> = spans.iter().filter(|(f, _)| *f != FieldName::Unassigned).map(|(f, s)| (*f, s.of(text))).collect();
    /// assert_eq!(named, [
    ///     (FieldName::Author, "Trotsky"), (FieldName::Title, "History"),
    ///     (FieldName::Volume, "Vol. III"), (FieldName::Pages, "p. 45"),
    /// ]);
    /// ```
    pub fn spans(&self) -> Vec<(FieldName, Span)> {
        let mut v = Vec::new();
        v.extend(self.authors.iter().map(|a| (FieldName::Author, a.span)));
        let mut one = |name, span: Option<Span>| {
            if let Some(s) = span {
                v.push((name, s));
            }
        };
        one(FieldName::Title, self.title.as_ref().map(|f| f.span));
        one(FieldName::Container, self.container.as_ref().map(|f| f.span));
        one(FieldName::Volume, self.volume.as_ref().map(|f| f.span));
        one(FieldName::Issue, self.issue.as_ref().map(|f| f.span));
        one(FieldName::Part, self.part.as_ref().map(|f| f.span));
        one(FieldName::Date, self.date.as_ref().map(|f| f.span));
        one(FieldName::Pages, self.pages.as_ref().map(|f| f.span));
        one(FieldName::Extent, self.extent.as_ref().map(|f| f.span));
        one(FieldName::Publisher, self.publisher.as_ref().map(|f| f.span));
        one(FieldName::Edition, self.edition.as_ref().map(|f| f.span));
        one(FieldName::Series, self.series.as_ref().map(|f| f.span));
        one(FieldName::Editors, self.editors.as_ref().map(|f| f.span));
        one(FieldName::Reference, self.reference.as_ref().map(|f| f.span));
        v.extend(self.places.iter().map(|p| (FieldName::Place, p.span)));
        v.extend(self.unassigned.iter().map(|s| (FieldName::Unassigned, *s)));
        v.sort_by_key(|(_, s)| (s.start, s.end));
        v
    }

    /// The unassigned spans that hold a letter or a digit (not only separators): what the parser did not
    /// understand.
    pub fn leftovers<'a>(&'a self, input: &'a str) -> impl Iterator<Item = Span> + 'a {
        self.unassigned.iter().copied().filter(move |s| s.of(input).chars().any(crate::text::is_alphanumeric))
    }
}

/// Parses one citation with the built-in word lists. Never panics; any string gives a citation (perhaps with
/// every byte unassigned).
pub fn parse(text: &str) -> Citation {
    parse_with(text, CiteTables::builtin())
}

/// Parses one citation with your own word lists (see [`CiteTables`]).
pub fn parse_with(text: &str, tables: &CiteTables) -> Citation {
    parse::Parser::new(text, tables).run()
}
