//! Personal names: parsing catalog, footnote and Cyrillic name forms, a name key, and a compatibility check.
//!
//! [`parse_name`] reads the forms a Russian author's name takes in catalogs and citations:
//!
//! * inverted headings with dates, titles and fuller forms: "Lenin, Vladimir Ilʹich, 1870-1924",
//!   "Tolstoĭ, Lev, graf, 1828-1910", "Lenin, V. I. (Vladimir Ilʹich), 1870-1924";
//! * direct order: "Lev Davidovich Trotsky", "В. И. Ленин", "V.I. Lenin", "Charles de Gaulle", with a middle
//!   initial ("Удо Б. Баркманн", "John F. Kennedy": the surname is the last word) and with dates after a comma
//!   ("Удо Б. Баркманн, 1955-");
//! * surname first without a comma: "Бухарин Н.И.", "Kharitonov L.N.", "Medvedev Zh. A.", "Kharitonov LN"
//!   (PubMed style), "Ленин Владимир Ильич".
//!
//! Given names are kept as written; initials keep their period ("V.", "Zh.", "Н."), so `"V.I."` becomes `["V.",
//! "I."]`. When a name is written without a comma and with no initials, the order is decided with the given-names
//! table: the first word that is a known given name starts the given names (so "Roy Medvedev" and "Medvedev Roy"
//! both have the surname Medvedev); failing that, a last word that looks like a patronymic (-ovich, -evna, -ich…)
//! puts the surname first; otherwise the surname is last.
//!
//! [`name_key`] is the key of the surname followed by the initial of the first given name. The initial is computed
//! so that scripts and languages agree: a given name found in the given-names table (`tables/given-names.tsv`,
//! extensible with [`load_given_names`]) takes the initial of its cluster's Russian form (Lev, Leo, Léon → `l`;
//! Theodor → `f`; Eugène, Jewgeni → `e`; Iurii, Jurij, Youri → `u`); any other given name or bare initial takes the
//! first letter of its key (В. = V. = W. → `v`; Ж. = Zh. → `z`; Ю. = Iu. = Yu. = Ju. → `u`).
//!
//! [`PersonalName::compatible`] says whether two parsed names can be the same person: same surname key (so
//! Tolstoy ≠ Tolstaya, Kamenev ≠ Kameneva), no contradicting dates, and given names compatible position by position
//! ("V. I." ~ "Vladimir Ilʹich"; "Zh. A." ≁ "R. A."; Lev ≁ Aleksei).
//!
//! ```
//! use bibkey::name::{name_key, parse_name};
//!
//! let lenin = parse_name("Lenin, Vladimir Ilʹich, 1870-1924");
//! assert_eq!(lenin.surname, "Lenin");
//! assert_eq!(lenin.given, ["Vladimir", "Ilʹich"]);
//! assert_eq!((lenin.birth, lenin.death), (Some(1870), Some(1924)));
//! assert!(lenin.compatible(&parse_name("В. И. Ленин")));
//! assert!(lenin.compatible(&parse_name("V.I. Lenin")));
//!
//! assert_eq!(name_key("Tolstoĭ, Lev, graf, 1828-1910"), name_key("Leo Tolstoy"));
//! assert_ne!(name_key("Tolstoy, Leo"), name_key("Tolstaya, Sophia"));
//! assert!(!parse_name("Medvedev, Zh. A.").compatible(&parse_name("Medvedev, R. A.")));
//! ```

use crate::key::{key_cyr, Cyr};
use crate::Lang;
use std::collections::HashMap;

use once_cell::sync::Lazy;

use crate::text::{is_alphabetic, is_alphanumeric, lower_short, simple_lower, SHORT_WORD};
use crate::{Error, Key};

/// The text of `tables/given-names.tsv`, the built-in given-name equivalents.
pub const GIVEN_NAMES_TABLE: &str = include_str!("../tables/given-names.tsv");

/// A table of given-name equivalents: clusters of spellings of one name, each with a canonical (Russian) form.
///
/// Forms are looked up by their [`key`](crate::key()), so spellings the key already merges need not be listed.
#[derive(Clone, Debug, Default)]
pub struct GivenNames {
    by_key: HashMap<String, usize>,
    clusters: Vec<Cluster>,
}

#[derive(Clone, Debug)]
struct Cluster {
    canonical: String,
    /// The initial: first letter of the canonical form's key.
    initial: Option<char>,
    /// Every letter a form of this name can be abbreviated to (first letters of each form and of its key).
    initials: Vec<char>,
}

static BUILTIN: Lazy<GivenNames> = Lazy::new(|| {
    // The built-in table is checked by the crate's tests; were it broken, names would simply match by key.
    GivenNames::parse("tables/given-names.tsv", GIVEN_NAMES_TABLE).unwrap_or_default()
});

impl GivenNames {
    /// The built-in table (`tables/given-names.tsv`), compiled on first use.
    pub fn builtin() -> &'static GivenNames {
        &BUILTIN
    }

    /// Parses a table in the `tables/given-names.tsv` format (and nothing else). `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// A field without letters, or a form whose key already belongs to another cluster, gives an [`Error`] with
    /// `origin` and the line number.
    pub fn parse(origin: &str, text: &str) -> Result<GivenNames, Error> {
        let mut t = GivenNames::default();
        t.extend(origin, text)?;
        Ok(t)
    }

    /// Adds the clusters of `text` (same format) to this table. A line whose canonical form is already in a
    /// cluster adds its forms to that cluster.
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse). On error the table may hold the lines before the bad one.
    pub fn extend(&mut self, origin: &str, text: &str) -> Result<(), Error> {
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.split('#').next().unwrap_or("");
            if line.trim().is_empty() {
                continue;
            }
            let forms: Vec<&str> = line.split('\t').map(str::trim).filter(|f| !f.is_empty()).collect();
            let mut keys = Vec::with_capacity(forms.len());
            for (n, f) in forms.iter().enumerate() {
                let k = crate::key(f).into_string();
                if k.is_empty() {
                    return Err(Error::table(origin, line_no, format!("field {} ({f:?}) has no letters", n + 1)));
                }
                keys.push(k);
            }
            let Some(canonical_key) = keys.first() else { continue };
            let id = match self.by_key.get(canonical_key) {
                Some(&id) => id,
                None => {
                    self.clusters.push(Cluster {
                        canonical: forms[0].to_string(),
                        initial: leading_initial(forms[0]),
                        initials: Vec::new(),
                    });
                    self.clusters.len() - 1
                }
            };
            for (f, k) in forms.iter().zip(&keys) {
                match self.by_key.get(k) {
                    Some(&other) if other != id => {
                        let other_name = self.clusters.get(other).map_or("?", |c| c.canonical.as_str());
                        return Err(Error::table(
                            origin,
                            line_no,
                            format!("{f:?} (key {k:?}) is already a form of {other_name:?}"),
                        ));
                    }
                    _ => {
                        self.by_key.insert(k.clone(), id);
                    }
                }
                if let Some(cluster) = self.clusters.get_mut(id) {
                    for c in [leading_initial(f), raw_initial(f)].into_iter().flatten() {
                        if !cluster.initials.contains(&c) {
                            cluster.initials.push(c);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Number of clusters.
    pub fn len(&self) -> usize {
        self.clusters.len()
    }

    /// True if the table has no clusters.
    pub fn is_empty(&self) -> bool {
        self.clusters.is_empty()
    }

    /// The canonical form of the cluster `name` belongs to (`"Leo"` → `"Лев"`), if any.
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.cluster(name).and_then(|id| self.clusters.get(id)).map(|c| c.canonical.as_str())
    }

    fn cluster(&self, name: &str) -> Option<usize> {
        let name = name.trim_end_matches('.');
        if name.is_empty() {
            return None;
        }
        self.by_key.get(crate::key(name).as_str()).copied()
    }

    /// The initial of a given name or of a bare initial, as a letter of the key alphabet (see the
    /// [module documentation](self)): `"Leo"` → `l`, `"Theodor"` → `f`, `"Zh."` → `z`, `"Ю."` → `u`.
    pub fn initial(&self, given: &str) -> Option<char> {
        if !is_initial(given) {
            if let Some(c) = self.cluster(given).and_then(|id| self.clusters.get(id)) {
                return c.initial;
            }
        }
        leading_initial(given)
    }

    /// Letters this given name (or initial) may be abbreviated to.
    fn initial_set(&self, given: &str) -> Vec<char> {
        let mut set: Vec<char> = self.initial(given).into_iter().collect();
        if is_initial(given) {
            // A one-letter initial also stands for itself as written ("J." for Jacques, Jurij or Josef).
            let letters = given.chars().filter(|&c| is_alphabetic(c)).count();
            if letters == 1 {
                set.extend(raw_initial(given));
            }
        } else if let Some(c) = self.cluster(given).and_then(|id| self.clusters.get(id)) {
            set.extend(c.initials.iter().copied());
        } else {
            set.extend(raw_initial(given));
        }
        set
    }

    /// Can the given names `a` and `b` (either may be an initial) name the same person?
    fn given_compatible(&self, a: &str, b: &str) -> bool {
        match (is_initial(a), is_initial(b)) {
            (false, false) => match (self.cluster(a), self.cluster(b)) {
                (Some(x), Some(y)) => x == y,
                _ => crate::key(a) == crate::key(b),
            },
            (true, true) => {
                let (x, y) = (self.initial_set(a), self.initial_set(b));
                self.initial(a) == self.initial(b) || (single_letter(a) || single_letter(b)) && intersects(&x, &y)
            }
            _ => {
                let (x, y) = (self.initial_set(a), self.initial_set(b));
                intersects(&x, &y)
            }
        }
    }
}

fn intersects(a: &[char], b: &[char]) -> bool {
    a.iter().any(|c| b.contains(c))
}

fn single_letter(s: &str) -> bool {
    s.chars().filter(|&c| is_alphabetic(c)).count() == 1
}

/// The letter a name or initial is abbreviated to, in the key alphabet: the key of its first Cyrillic letter
/// (Иосиф → `i`, Ё → `e`, Я → `a`, Ж → `z`), or of its leading Latin letter group when that group spells one
/// Cyrillic letter (Zh → `z`, Kh → `h`, Ch/Ts → `c`, Sh/Shch/Sch → `s`, Iu/Yu/Ju/You → `u`, Ia/Ya/Ja → `a`,
/// Ye/Je → `e`), else of its first letter (W → `v`, É → `e`). Unlike the first letter of the whole word's key, this
/// does not depend on what follows (the key reads Iosif as `esif`).
fn leading_initial(s: &str) -> Option<char> {
    let s = s.trim_start_matches(|c: char| !is_alphabetic(c));
    let first = s.chars().next()?;
    if ('\u{400}'..='\u{52F}').contains(&first) {
        return letter_key(first);
    }
    // Leading letters, lower case, marks (ties) skipped.
    let mut lead = [0u8; 16];
    let mut n = 0;
    for c in s.chars().filter(|&c| is_alphabetic(c)).take(4).flat_map(char::to_lowercase) {
        if n + c.len_utf8() > lead.len() {
            break;
        }
        c.encode_utf8(&mut lead[n..]);
        n += c.len_utf8();
    }
    let lead = &lead[..n];
    const GROUPS: &[(&str, char)] = &[
        ("shch", 's'),
        ("tsch", 'c'),
        ("sch", 's'),
        ("you", 'u'),
        ("iou", 'u'),
        ("zh", 'z'),
        ("kh", 'h'),
        ("ch", 'c'),
        ("sh", 's'),
        ("ts", 'c'),
        ("iu", 'u'),
        ("yu", 'u'),
        ("ju", 'u'),
        ("ia", 'a'),
        ("ya", 'a'),
        ("ja", 'a'),
        ("ye", 'e'),
        ("je", 'e'),
    ];
    if let Some(&(_, c)) = GROUPS.iter().find(|(g, _)| lead.starts_with(g.as_bytes())) {
        return Some(c);
    }
    letter_key(first)
}

/// The first letter of the key of one character, `crate::key(c)`, from a table for U+0000–U+052F (Latin and
/// Cyrillic, built on first use) and keyed on the spot otherwise.
fn letter_key(c: char) -> Option<char> {
    static TABLE: Lazy<Vec<Option<char>>> = Lazy::new(|| {
        (0..0x530)
            .map(|u| char::from_u32(u).and_then(|c| crate::key(c.encode_utf8(&mut [0; 4])).as_str().chars().next()))
            .collect()
    });
    match TABLE.get(c as usize) {
        Some(&k) => k,
        None => crate::key(c.encode_utf8(&mut [0; 4])).as_str().chars().next(),
    }
}

/// First letter of a form as written, folded to the key alphabet without the key's word rules: `J` → `j`,
/// `É` → `e`, `Ł` → `l`, Cyrillic `Ж` → `z`.
fn raw_initial(s: &str) -> Option<char> {
    let c = s.chars().find(|&c| is_alphabetic(c))?;
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    letter_key(c)
}

/// The built-in given-name table extended with `text` (same format as `tables/given-names.tsv`).
///
/// # Errors
///
/// A malformed line gives an [`Error`] naming `origin` and the line.
///
/// ```
/// use bibkey::name::load_given_names;
/// let names = load_given_names("my-names.tsv", "Иван\tJean\tJohann\n")?;
/// assert_eq!(names.canonical("Johann"), Some("Иван"));
/// let err = load_given_names("bad.tsv", "\n# c\nИван\tLeo\n").unwrap_err();
/// assert_eq!(err.line(), Some(3));
/// # Ok::<(), bibkey::Error>(())
/// ```
pub fn load_given_names(origin: &str, text: &str) -> Result<GivenNames, Error> {
    let mut t = GivenNames::builtin().clone();
    t.extend(origin, text)?;
    Ok(t)
}

/// [`load_given_names`] from a file: the built-in table extended with the file's clusters. `origin` in errors is
/// the path as displayed.
///
/// # Errors
///
/// A file that cannot be read gives an I/O error naming it; invalid UTF-8, or a malformed line, an [`Error`]
/// naming the file and the line (and for invalid UTF-8 the column and the byte).
pub fn load_given_names_from_path(path: impl AsRef<std::path::Path>) -> Result<GivenNames, Error> {
    let path = path.as_ref();
    let shown = path.display().to_string();
    let text = crate::scheme::read_table_file(path, &shown)?;
    load_given_names(&shown, &text)
}

/// A personal name taken apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PersonalName {
    /// The surname as written ("Lenin", "Ленин", "de Gaulle", "Bonch-Bruevich").
    pub surname: String,
    /// Given names and patronymic in order, as written; initials keep their period ("V.", "Zh.").
    pub given: Vec<String>,
    /// Titles, honorifics and other qualifiers ("graf", "Sir", "Jr.").
    pub titles: Vec<String>,
    /// The dates as written ("1870-1924", "b. 1870").
    pub dates: Option<String>,
    /// Year of birth, when the dates give it.
    pub birth: Option<i32>,
    /// Year of death, when the dates give it.
    pub death: Option<i32>,
}

impl PersonalName {
    /// The name key with the built-in given-names table: see [`name_key`].
    pub fn key(&self) -> Key {
        self.key_with(GivenNames::builtin())
    }

    /// The name key: the key of the surname (without particles such as "de", "von") followed by the initial of the
    /// first given name, if any.
    pub fn key_with(&self, names: &GivenNames) -> Key {
        self.key_cyr(names, Cyr::Auto)
    }

    /// [`key`](Self::key) with the name's Cyrillic read as `lang` spells it (see [`crate::key::key_as`]).
    ///
    /// ```
    /// use bibkey::{name::{name_key, parse_name}, Lang};
    /// let n = parse_name("Грушевський, Михайло Сергійович");
    /// assert_eq!(n.key_as(Lang::Ukrainian), name_key("Hrushevsʹkyĭ, Mykhaĭlo"));
    /// assert_eq!(n.key_as(Lang::Ukrainian), name_key("Mychajlo Hruschewskyj"));
    /// ```
    pub fn key_as(&self, lang: Lang) -> Key {
        self.key_cyr(GivenNames::builtin(), Some(lang).into())
    }

    pub(crate) fn key_cyr(&self, names: &GivenNames, cyr: Cyr) -> Key {
        let surname = surname_for_key(&self.surname);
        // The language is the whole name's (a Ukrainian given name may decide it for the surname).
        let reading = match cyr {
            Cyr::Reading(i) => i,
            Cyr::Auto => {
                let whole: String = std::iter::once(surname).chain(self.given.iter().map(String::as_str)).collect();
                Cyr::Auto.resolve(&whole)
            }
        };
        let mut text = String::with_capacity(surname.len() + 5);
        text.push_str(surname);
        let first = self.given.first();
        // The given-names table reads a Cyrillic initial the Russian way (Г is g). In another language's reading the
        // letter itself goes into the text, to be read with the surname (Ukrainian Г is h, as in Hryhoriĭ).
        let raw = first
            .and_then(|g| g.chars().next())
            .filter(|&c| !Cyr::is_russian(reading) && crate::Script::of(c) == crate::Script::Cyrillic);
        if let Some(c) = raw {
            text.push(' ');
            text.extend(c.to_uppercase());
        } else if let Some(c) = first.and_then(|g| names.initial(g)) {
            text.push(' ');
            text.push(c);
        }
        key_cyr(&text, Cyr::Reading(reading))
    }

    /// Can `self` and `other` be the same person? Same surname key, no contradicting birth or death year, and given
    /// names compatible position by position (a missing given name is compatible with anything). Uses the built-in
    /// given-names table.
    pub fn compatible(&self, other: &PersonalName) -> bool {
        self.compatible_with(other, GivenNames::builtin())
    }

    /// [`compatible`](Self::compatible) with a given-names table of your own.
    pub fn compatible_with(&self, other: &PersonalName, names: &GivenNames) -> bool {
        let a = crate::key(surname_for_key(&self.surname));
        if a.is_empty() || a != crate::key(surname_for_key(&other.surname)) {
            return false;
        }
        let clash = |x: Option<i32>, y: Option<i32>| matches!((x, y), (Some(x), Some(y)) if x != y);
        if clash(self.birth, other.birth) || clash(self.death, other.death) {
            return false;
        }
        self.given.iter().zip(&other.given).all(|(x, y)| names.given_compatible(x, y))
    }
}

/// The name key of `text`: `parse_name(text).key()` for a person; for a text that
/// [`is_corporate`](crate::corporate::is_corporate) (a corporate body or a meeting), its
/// [`corporate_key`](crate::corporate::corporate_key) instead, since a surname and an initial would be any two
/// words of it.
///
/// ```
/// use bibkey::name::name_key;
/// assert_eq!(name_key("Бухарин Н.И."), name_key("Bukharin, Nikolai Ivanovich, 1888-1938"));
/// assert_eq!(name_key("Jurij Trifonow"), name_key("Trifonov, I͡Uriĭ Valentinovich"));
/// assert_eq!(name_key("Eugène Zamiatin"), name_key("Zami͡atin, Evgeniĭ Ivanovich"));
/// assert_eq!(name_key("Trotsky, Leon").as_str(), "trockil");
/// // Direct order with a middle initial: the surname is the last word.
/// assert_eq!(name_key("Удо Б. Баркманн, 1955-"), name_key("Barkmann, Udo B., 1955-"));
/// // A corporate body is keyed as one.
/// assert_eq!(name_key("Русское энтомологическое общество"), name_key("Russkoe ėntomologicheskoe obshchestvo"));
/// assert_eq!(name_key("Русское энтомологическое общество"), bibkey::corporate_key("Russkoe entomologicheskoe o-vo"));
/// ```
pub fn name_key(text: &str) -> Key {
    name_key_cyr(text, Cyr::Auto)
}

/// [`name_key`] with Cyrillic read as `cyr` says (the corporate test included).
pub(crate) fn name_key_cyr(text: &str, cyr: Cyr) -> Key {
    if crate::corporate::is_corporate(text) {
        let lang = match cyr {
            Cyr::Reading(i) => crate::key::reading_lang(i),
            Cyr::Auto => None,
        };
        return crate::corporate::parse_corporate(text).key_hint(crate::corporate::Abbreviations::builtin(), lang);
    }
    parse_name(text).key_cyr(GivenNames::builtin(), cyr)
}

/// [`name_key`] with the name's Cyrillic read as `lang` spells it: for a catalog record whose language is known.
///
/// ```
/// use bibkey::{name::{name_key, name_key_as}, Lang};
/// assert_eq!(name_key_as("Гончар, Олесь", Lang::Ukrainian), name_key("Honchar, Oles"));
/// ```
pub fn name_key_as(text: &str, lang: Lang) -> Key {
    name_key_cyr(text, Some(lang).into())
}

/// Parses a personal name with the built-in given-names table. Never panics.
pub fn parse_name(text: &str) -> PersonalName {
    parse_name_with(text, GivenNames::builtin())
}

/// Parses a personal name, using `names` to decide the order of names written without a comma.
pub fn parse_name_with(text: &str, names: &GivenNames) -> PersonalName {
    let mut out = PersonalName::default();
    let mut dates: Vec<String> = Vec::new();
    // Parenthesized parts: dates, or a fuller form of the given names.
    let mut fuller: Option<Vec<Tok>> = None;
    let mut rest = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut paren = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth == 1 {
                    paren.clear();
                    continue;
                }
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let p = paren.trim();
                    if p.chars().any(|c| c.is_ascii_digit()) {
                        dates.push(p.to_string());
                    } else if !p.is_empty() {
                        let toks = tokenize(p, &mut out.titles, &mut dates);
                        if toks.iter().any(|t| matches!(t, Tok::Word(_))) {
                            fuller = Some(toks);
                        }
                    }
                    rest.push(' ');
                    continue;
                }
            }
            _ => {}
        }
        if depth > 0 {
            paren.push(c);
        } else {
            rest.push(c);
        }
    }
    if depth > 0 {
        rest.push(' ');
        rest.push_str(&paren);
    }
    let rest = rest.trim();

    // A comma followed by nothing but dates and titles ("Удо Б. Баркманн, 1955-", "Charles de Gaulle, 1890-1970")
    // does not invert the name: the part before it is in direct order.
    let direct_with_dates = rest.contains(',')
        && rest
            .split(',')
            .skip(1)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .all(|p| p.chars().any(|c| c.is_ascii_digit()) || is_title(p) || p.split_whitespace().all(is_title))
        && rest.split(',').next().is_some_and(|first| first.split_whitespace().count() > 1);
    if rest.contains(',') && !direct_with_dates {
        // Inverted: Surname, Given, title, dates
        let mut parts = rest.split(',').map(str::trim).filter(|p| !p.is_empty());
        let surname = parts.next().unwrap_or("");
        let mut s_toks = tokenize(surname, &mut out.titles, &mut dates);
        let mut given_set = false;
        for p in parts {
            if p.chars().any(|c| c.is_ascii_digit()) {
                dates.push(p.to_string());
            } else if is_title(p) || p.split_whitespace().all(is_title) {
                out.titles.push(p.to_string());
            } else if !given_set {
                let toks = tokenize(p, &mut out.titles, &mut dates);
                for t in toks {
                    match t {
                        Tok::Initial(s) | Tok::Word(s) => out.given.push(s),
                        // "Gaulle, Charles de": the particle belongs to the surname.
                        Tok::Particle(s) => {
                            s_toks.insert(0, Tok::Particle(s));
                        }
                    }
                }
                given_set = true;
            } else {
                out.titles.push(p.to_string());
            }
        }
        out.surname = join(&s_toks);
        // "Gorskij, N. N. Beljakov-": the first element of a compound surname, moved after the given names as
        // GND writes a reference, goes back in front: Beljakov-Gorskij.
        if let Some(i) = out.given.iter().position(|g| g.len() > 1 && g.ends_with('-')) {
            let first = out.given.remove(i);
            out.surname = format!("{first}{}", out.surname);
        }
    } else {
        let mut direct = rest;
        if direct_with_dates {
            let (name, after) = rest.split_once(',').unwrap_or((rest, ""));
            direct = name;
            for p in after.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if p.chars().any(|c| c.is_ascii_digit()) {
                    dates.push(p.to_string());
                } else {
                    out.titles.push(p.to_string());
                }
            }
        }
        let toks = tokenize(direct, &mut out.titles, &mut dates);
        let (surname, given) = split_direct(&toks, names);
        out.surname = surname;
        out.given = given;
    }
    if let Some(full) = fuller {
        let words: Vec<String> = full
            .into_iter()
            .filter_map(|t| match t {
                Tok::Word(s) | Tok::Initial(s) => Some(s),
                Tok::Particle(_) => None,
            })
            .collect();
        if words.len() >= out.given.len() {
            out.given = words;
        }
    }
    if !dates.is_empty() {
        let d = dates.join(", ");
        let (b, e) = parse_dates(&d);
        out.birth = b;
        out.death = e;
        out.dates = Some(d);
    }
    out
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Initial(String),
    Particle(String),
}

fn join(toks: &[Tok]) -> String {
    let mut s = String::new();
    for t in toks {
        let (Tok::Word(w) | Tok::Initial(w) | Tok::Particle(w)) = t;
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

const PARTICLES: &[&str] =
    &["de", "du", "des", "d'", "von", "van", "der", "den", "ter", "ten", "zu", "la", "le", "di", "da", "del", "della"];

const TITLES: &[&str] = &[
    "graf",
    "grafinia",
    "grafinya",
    "gräfin",
    "count",
    "countess",
    "comte",
    "comtesse",
    "conte",
    "contessa",
    "conde",
    "prince",
    "princess",
    "prinz",
    "prinzessin",
    "fürst",
    "fürstin",
    "kniaz'",
    "kniazʹ",
    "kniaz",
    "knyaz",
    "kniaginia",
    "knyaginya",
    "kniazhna",
    "knyazhna",
    "князь",
    "княгиня",
    "княжна",
    "граф",
    "графиня",
    "baron",
    "baroness",
    "baronne",
    "freiherr",
    "sir",
    "lord",
    "lady",
    "saint",
    "st",
    "sviatoi",
    "svyatoy",
    "святой",
    "dr",
    "prof",
    "professor",
    "akademik",
    "акад",
    "проф",
    "академик",
    "jr",
    "sr",
    "junior",
    "senior",
    "mme",
    "mr",
    "mrs",
    "ms",
    "tsar",
    "emperor",
    "empress",
    "king",
    "queen",
    "pope",
    "metropolitan",
    "archbishop",
    "bishop",
    "patriarch",
];

/// The first letters of the words of [`TITLES`].
const TITLE_INITIALS: &str = "abcdefgjklmpqstагкпс";

fn is_title(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, '.' | ',' | ';' | ':' | '(' | ')'));
    // Most words do not start with the first letter of a title (`TITLE_INITIALS`, checked against `TITLES` by a test).
    let first = w.chars().next().and_then(|f| simple_lower(f).or_else(|| f.to_lowercase().next()));
    if !first.is_some_and(|f| TITLE_INITIALS.contains(f)) {
        return false;
    }
    // A set: a linear search of the 67 titles cost more than the rest of the parse.
    static SET: Lazy<std::collections::HashSet<&'static str>> = Lazy::new(|| TITLES.iter().copied().collect());
    let mut buf = [0; SHORT_WORD];
    lower_short(w, &mut buf).is_some_and(|l| !l.is_empty() && SET.contains(l))
}

/// Multi-letter romanized initials (Zh. for Ж, Iu./Yu./Ju. for Ю …) and two-letter abbreviations (Vl., Al.).
const DIGRAPH_INITIALS: &[&str] = &[
    "zh", "kh", "ch", "sh", "shch", "sch", "tsch", "tch", "ts", "tz", "iu", "yu", "ju", "ia", "ya", "ja", "ie", "ye",
    "je", "io", "yo", "jo", "dzh", "th", "ph", "ps",
];

fn is_initial(s: &str) -> bool {
    s.ends_with('.')
}

/// Splits a piece of a name into tokens: initials (with their period), words and particles. Titles and date tokens
/// are moved to `titles` and `dates`.
fn tokenize(text: &str, titles: &mut Vec<String>, dates: &mut Vec<String>) -> Vec<Tok> {
    let mut toks = Vec::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for (wi, raw) in words.iter().enumerate() {
        let w = raw.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '"' | '«' | '»' | '“' | '”' | '(' | ')'));
        if w.is_empty() || !w.chars().any(is_alphanumeric) {
            continue;
        }
        if w.chars().any(|c| c.is_ascii_digit()) {
            dates.push(w.to_string());
            continue;
        }
        if is_title(w) {
            titles.push(w.to_string());
            continue;
        }
        let mut buf = [0; SHORT_WORD];
        if wi + 1 < words.len()
            && w.chars().next().is_some_and(char::is_lowercase)
            && lower_short(w, &mut buf).is_some_and(|l| PARTICLES.contains(&l))
        {
            toks.push(Tok::Particle(w.to_string()));
            continue;
        }
        if w.contains('.') {
            split_dotted(w, &mut toks);
            continue;
        }
        // Glued capitals without periods: "LN", "ZhA", "IuV" (not as the first word of the name).
        if wi > 0 && is_glued_initials(w) {
            let mut cur = String::new();
            for c in w.chars() {
                if c.is_uppercase() && !cur.is_empty() {
                    cur.push('.');
                    toks.push(Tok::Initial(std::mem::take(&mut cur)));
                }
                cur.push(c);
            }
            if !cur.is_empty() {
                cur.push('.');
                toks.push(Tok::Initial(cur));
            }
            continue;
        }
        if w.chars().filter(|&c| is_alphabetic(c)).count() == 1 {
            toks.push(Tok::Initial(format!("{w}.")));
            continue;
        }
        toks.push(Tok::Word(w.to_string()));
    }
    toks
}

fn is_glued_initials(w: &str) -> bool {
    let n = w.chars().count();
    let caps = w.chars().filter(|c| c.is_uppercase()).count();
    (2..=4).contains(&n) && caps >= 2 && w.chars().all(is_alphabetic) && w.chars().next().is_some_and(char::is_uppercase)
        // lower-case letters only as the second letter of a digraph initial (Zh, Iu)
        && w.chars().filter(|c| c.is_lowercase()).count() < caps
        && !w.chars().zip(w.chars().skip(1)).any(|(a, b)| a.is_lowercase() && b.is_lowercase())
}

/// "V.I." → V., I.; "V.I.Lenin" → V., I., Lenin; "Zh.A." → Zh., A.; "J.-P." → J., P.; "Ilʹich." → Ilʹich.
fn split_dotted(w: &str, toks: &mut Vec<Tok>) {
    let pieces: Vec<&str> = w.split('.').collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        let piece = piece.trim_matches('-');
        if piece.is_empty() {
            continue;
        }
        let dotted = i < last;
        if dotted && looks_like_initial(piece) {
            toks.push(Tok::Initial(format!("{piece}.")));
        } else {
            toks.push(Tok::Word(piece.to_string()));
        }
    }
}

fn looks_like_initial(piece: &str) -> bool {
    let letters = piece.chars().filter(|&c| is_alphabetic(c)).count();
    if letters <= 2 && letters > 0 && piece.chars().next().is_some_and(char::is_uppercase) {
        return true;
    }
    let l: String = piece.chars().flat_map(char::to_lowercase).collect();
    DIGRAPH_INITIALS.contains(&l.as_str())
}

/// Is this (full) word a patronymic? -ovich/-evich/-ich, -ovna/-evna/-ichna in any romanization or Cyrillic.
fn is_patronymic(word: &str) -> bool {
    let k = crate::key(word);
    let k = k.as_str();
    k.len() >= 4 && (k.ends_with("vic") || k.ends_with("ic") || k.ends_with("vna") || k.ends_with("icna"))
}

/// Splits a comma-less name into (surname, given names).
fn split_direct(toks: &[Tok], names: &GivenNames) -> (String, Vec<String>) {
    let given_of = |ts: &[Tok]| -> Vec<String> {
        ts.iter()
            .filter_map(|t| match t {
                Tok::Word(s) | Tok::Initial(s) => Some(s.clone()),
                Tok::Particle(_) => None,
            })
            .collect()
    };
    if toks.is_empty() {
        return (String::new(), Vec::new());
    }
    let has_initial = toks.iter().any(|t| matches!(t, Tok::Initial(_)));
    let word_count = toks.iter().filter(|t| matches!(t, Tok::Word(_))).count();
    if word_count == 0 {
        return (String::new(), given_of(toks));
    }
    // Index where the surname starts when it comes last (its particles included).
    let surname_last = |toks: &[Tok]| -> usize {
        let mut start = toks.iter().rposition(|t| matches!(t, Tok::Word(_))).unwrap_or(0);
        while start > 0 && matches!(toks[start - 1], Tok::Particle(_)) {
            start -= 1;
        }
        start
    };
    let first_is_word = matches!(toks[0], Tok::Word(_) | Tok::Particle(_));
    if has_initial {
        let first_initial = toks.iter().position(|t| matches!(t, Tok::Initial(_))).unwrap_or(toks.len());
        let word_after_initials = toks[first_initial..].iter().any(|t| matches!(t, Tok::Word(_)));
        if first_is_word && !word_after_initials {
            // "Бухарин Н.И.", "Kharitonov L.N.": words before the first initial are the surname.
            return (join(&toks[..first_initial]), given_of(&toks[first_initial..]));
        }
        // "В. И. Ленин", and a middle initial between words ("Удо Б. Баркманн", "John F. Kennedy"): the surname is
        // the last word.

        let start = surname_last(toks);
        return (join(&toks[start..]), given_of(&toks[..start]));
    }
    if word_count == 1 {
        return (join(toks), Vec::new());
    }
    let words: Vec<&str> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Word(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    let known = |w: &str| names.cluster(w).is_some();
    let first_known = toks.iter().position(|t| matches!(t, Tok::Word(w) if known(w)));
    let last_word = words.last().copied().unwrap_or("");
    let surname_first_at = match first_known {
        Some(0) => None,
        Some(p) => Some(p),
        None if words.len() >= 3 && is_patronymic(last_word) => {
            toks.iter().position(|t| matches!(t, Tok::Word(_))).map(|p| p + 1)
        }
        None => None,
    };
    match surname_first_at {
        Some(p) => (join(&toks[..p]), given_of(&toks[p..])),
        None => {
            let start = surname_last(toks);
            (join(&toks[start..]), given_of(&toks[..start]))
        }
    }
}

/// The surname without leading particles ("de Gaulle" → "Gaulle").
fn surname_for_key(surname: &str) -> &str {
    let mut s = surname.trim();
    loop {
        let Some((first, rest)) = s.split_once(' ') else { return s };
        let lw: String = first.chars().flat_map(char::to_lowercase).collect();
        if PARTICLES.contains(&lw.as_str()) && first.chars().next().is_some_and(char::is_lowercase) {
            s = rest.trim_start();
        } else {
            return s;
        }
    }
}

/// Birth and death years from a dates string: "1870-1924", "b. 1870", "d. 1924", "1870-", "-1924", "род. 1870",
/// "1870–1924 гг.". "fl." and "active" dates give neither.
fn parse_dates(d: &str) -> (Option<i32>, Option<i32>) {
    let l: String = d.chars().flat_map(char::to_lowercase).collect();
    if l.contains("fl.") || l.contains("active") || l.contains("flourished") {
        return (None, None);
    }
    // Numbers with their byte offsets.
    let mut nums: Vec<(usize, i32)> = Vec::new();
    let mut cur: Option<(usize, i32)> = None;
    for (i, c) in l.char_indices() {
        match (c.to_digit(10), cur) {
            (Some(v), Some((s, n))) => cur = Some((s, n.saturating_mul(10).saturating_add(v as i32))),
            (Some(v), None) => cur = Some((i, v as i32)),
            (None, Some(x)) => {
                nums.push(x);
                cur = None;
            }
            (None, None) => {}
        }
    }
    nums.extend(cur);
    let years: Vec<(usize, i32)> = nums.into_iter().filter(|&(_, n)| (100..=2999).contains(&n)).collect();
    let before = |pos: usize| l[..pos].trim_end();
    let born = |p: &str| {
        p.ends_with("b.")
            || p.ends_with("born")
            || p.ends_with("род.")
            || p.ends_with("geb.")
            || p.ends_with("né")
            || p.ends_with("née")
    };
    let died = |p: &str| {
        p.ends_with("d.")
            || p.ends_with("died")
            || p.ends_with("ум.")
            || p.ends_with("gest.")
            || p.ends_with("mort")
            || p.ends_with('-')
            || p.ends_with('–')
            || p.ends_with('—')
    };
    match years.as_slice() {
        [] => (None, None),
        [(p, y)] => {
            let b = before(*p);
            let after = l[*p..].trim_start_matches(|c: char| c.is_ascii_digit()).trim_start();
            if died(b) && !born(b) {
                (None, Some(*y))
            } else if born(b) || after.starts_with(['-', '–', '—']) {
                (Some(*y), None)
            } else {
                (None, None)
            }
        }
        [(_, a), (_, b), ..] => (Some(*a), Some(*b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_initials_cover_the_titles() {
        for t in TITLES {
            let first = t.chars().next().unwrap();
            assert!(TITLE_INITIALS.contains(first), "{t}");
            assert!(is_title(t), "{t}");
        }
    }

    #[test]
    fn builtin_table_parses() {
        let t = GivenNames::parse("tables/given-names.tsv", GIVEN_NAMES_TABLE);
        assert!(t.is_ok(), "{t:?}");
        assert!(GivenNames::builtin().len() >= 80);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_dates("1870-1924"), (Some(1870), Some(1924)));
        assert_eq!(parse_dates("b. 1870"), (Some(1870), None));
        assert_eq!(parse_dates("d. 1924"), (None, Some(1924)));
        assert_eq!(parse_dates("1925-"), (Some(1925), None));
        assert_eq!(parse_dates("fl. 1900"), (None, None));
    }
}
