//! The citation parser: claims first (references, quoted titles, numbers with their markers, dates, the
//! publication area), then the authors at the start, then the remaining runs of words in order (title, container,
//! series), then the kind. Each step looks at a bounded number of tokens around a position, so the work is linear
//! in the input.

use super::tables::{CiteTables, Entry, Role};
use super::token::{tokenize, Tk, Tok};
use super::{Author, Citation, Date, Field, Issue, Kind, Pages, Reference, Span};
use crate::name::{parse_name, GivenNames};
use crate::text::{lower_short, SHORT_WORD};

/// What a claimed run of tokens is.
#[derive(Clone, Debug)]
enum What {
    Ref(Reference),
    /// A quoted title; the token range of its text (quotes and trailing punctuation excluded).
    Quote(usize, usize),
    Volume(u32),
    Issue(Issue),
    Part(u32),
    Pages(Pages),
    Extent(u32),
    Edition,
    Date(Date),
    Place,
    Publisher,
    /// A collected-works title; the entry's full title.
    Collected(String),
    Author,
    /// Words claimed as a connector (`in`, `et al.`): left unassigned.
    Skip,
    /// `Idem`, `ders.`: the same author as the note before.
    Idem,
    /// A claim given up (its tokens are free again).
    Dead,
    /// A day and month without a year (`7 апр.`): they complete the year of the citation.
    DayMonth(u8, u8),
}

#[derive(Clone, Debug)]
struct Claim {
    i: usize,
    j: usize,
    what: What,
}

/// What separates two runs of words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    Start,
    Comma,
    Period,
    Semicolon,
    DoubleSlash,
    Slash,
    Open,
    Close,
    Dash,
    Claim,
}

/// A run of unclaimed tokens between separators (or a quoted title, or a collected-works title).
#[derive(Clone, Debug)]
struct Piece {
    i: usize,
    j: usize,
    before: Sep,
    /// Inside parentheses or brackets.
    paren: bool,
    /// Index of the claim this piece is (quote, collected), if it is one.
    claim: Option<usize>,
}

pub(crate) struct Parser<'a> {
    text: &'a str,
    t: Vec<Tok>,
    /// Claim of each token (index + 1), 0 when free.
    own: Vec<u32>,
    claims: Vec<Claim>,
    tables: &'a CiteTables,
    /// The list entries each token may start (looked up once: every rule asks).
    starts: Vec<Option<&'a [u32]>>,
}

const DASHES: &[&str] = &["-", "–", "—", "‐", "‑"];
const QUOTES_OPEN: &[&str] = &["\"", "“", "«", "„", "”"];

impl<'a> Parser<'a> {
    pub(crate) fn new(text: &'a str, tables: &'a CiteTables) -> Parser<'a> {
        let mut t = Vec::with_capacity(text.len() / 4 + 4);
        tokenize(text, &mut t);
        let own = vec![0; t.len()];
        let starts = t
            .iter()
            .map(|tok| match tok.k {
                Tk::Num => None,
                _ => tables.candidates(&text[tok.s..tok.e]),
            })
            .collect();
        Parser { text, t, own, claims: Vec::with_capacity(12), tables, starts }
    }

    fn s(&self, i: usize) -> &'a str {
        self.t.get(i).map_or("", |t| &self.text[t.s..t.e])
    }

    fn is(&self, i: usize, p: &str) -> bool {
        self.t.get(i).is_some_and(|t| t.k == Tk::Punct) && self.s(i) == p
    }

    fn is_any(&self, i: usize, ps: &[&str]) -> bool {
        self.t.get(i).is_some_and(|t| t.k == Tk::Punct) && ps.contains(&self.s(i))
    }

    fn kind(&self, i: usize) -> Option<Tk> {
        self.t.get(i).map(|t| t.k)
    }

    fn free(&self, i: usize) -> bool {
        self.own.get(i).is_some_and(|&o| o == 0)
    }

    fn free_range(&self, i: usize, j: usize) -> bool {
        j <= self.t.len() && (i..j).all(|k| self.own[k] == 0)
    }

    /// Claims tokens `i..j`. Claims never overlap: a range with a claimed token is left as it is (every caller
    /// checks first; this keeps the spans disjoint whatever a rule does).
    fn claim(&mut self, i: usize, j: usize, what: What) -> usize {
        let id = self.claims.len();
        if !self.free_range(i, j) || i >= j {
            return id;
        }
        for k in i..j.min(self.own.len()) {
            self.own[k] = id as u32 + 1;
        }
        self.claims.push(Claim { i, j, what });
        id
    }

    /// Gives up claim `id`: its tokens are free again and it makes no field.
    fn release(&mut self, id: usize) {
        let Some(c) = self.claims.get_mut(id) else { return };
        for k in c.i..c.j.min(self.own.len()) {
            if self.own[k] as usize == id + 1 {
                self.own[k] = 0;
            }
        }
        c.what = What::Dead;
    }

    /// Claims `i..j` and says whether it was taken.
    fn try_claim(&mut self, i: usize, j: usize, what: What) -> Option<usize> {
        let n = self.claims.len();
        let id = self.claim(i, j, what);
        (self.claims.len() > n).then_some(id)
    }

    fn claim_at(&self, i: usize) -> Option<&Claim> {
        match self.own.get(i) {
            Some(&o) if o > 0 => self.claims.get(o as usize - 1),
            _ => None,
        }
    }

    fn lookup(&self, i: usize, roles: &[Role]) -> Option<(usize, &'a Entry)> {
        if !self.free(i) {
            return None;
        }
        let list = self.starts.get(i).copied().flatten()?;
        let tables: &'a CiteTables = self.tables;
        tables.lookup_in(list, self.text, &self.t, i, roles).filter(|&(j, _)| self.free_range(i, j))
    }

    /// A free number token's value (digits only).
    fn num(&self, i: usize) -> Option<u32> {
        if !self.free(i) || self.kind(i) != Some(Tk::Num) {
            return None;
        }
        let s = self.s(i);
        if s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    }

    fn year_at(&self, i: usize) -> Option<u16> {
        let s = self.s(i);
        if s.len() != 4 {
            return None;
        }
        self.num(i).filter(|y| (1450..=2099).contains(y)).map(|y| y as u16)
    }

    /// A Roman numeral word: canonical form, all upper case (or all lower case).
    fn roman(&self, i: usize) -> Option<u32> {
        if !self.free(i) || self.kind(i) != Some(Tk::Word) {
            return None;
        }
        let s = self.s(i);
        if s.chars().count() > 12 {
            return None;
        }
        let upper = s.chars().all(|c| c.is_uppercase());
        let lower = s.chars().all(|c| c.is_lowercase());
        if !upper && !lower {
            return None;
        }
        let mut vals = Vec::with_capacity(12);
        for c in s.chars() {
            let up = c.to_uppercase().next().unwrap_or(c);
            vals.push(*self.tables.numerals.get(&up)?);
        }
        let mut total: i64 = 0;
        for (k, &v) in vals.iter().enumerate() {
            if vals.get(k + 1).is_some_and(|&n| n > v) {
                total -= i64::from(v);
            } else {
                total += i64::from(v);
            }
        }
        let total = u32::try_from(total).ok().filter(|&t| t > 0 && t < 4000)?;
        // Canonical only: "IIII" and "VX" are no numerals (and "MIX" is a word).
        (crate::text::to_roman(total) == vals_to_latin(&vals)).then_some(total)
    }

    fn word_is_cap(&self, i: usize) -> bool {
        self.free(i)
            && self.kind(i) == Some(Tk::Word)
            && self.s(i).chars().next().is_some_and(char::is_uppercase)
            && self.s(i).chars().count() >= 2
    }

    fn word_is_lower(&self, i: usize) -> bool {
        self.kind(i) == Some(Tk::Word) && self.s(i).chars().next().is_some_and(char::is_lowercase)
    }

    /// A separator position: start, or after punctuation that separates areas, or after a claim.
    fn starts_segment(&self, i: usize) -> bool {
        i == 0
            || self.is_any(i - 1, &[".", ",", ";", "(", "[", "—", "–", ":", "/"])
            || (self.own[i - 1] != 0 && self.own[i - 1] != self.own.get(i).copied().unwrap_or(0))
    }

    pub(crate) fn run(mut self) -> Citation {
        self.references();
        self.quotes();
        self.markers();
        self.post_markers();
        self.dates();
        self.bare_volumes();
        self.collected();
        // Bare pages first: the short form "Pipes, Russian Revolution, 410." is known by them.
        self.bare_pages();
        let start = self.first_free_word(0);
        let mut authors = self.authors(start);
        if authors.is_empty() {
            if let Some(e) = self.author_year(start) {
                self.claim(start, e, What::Author);
                authors.push((start, e));
            }
        }
        self.publication();
        self.title_dates();
        self.assemble(authors)
    }

    fn first_free_word(&self, mut i: usize) -> usize {
        while i < self.t.len() && (!self.free(i) || self.kind(i) == Some(Tk::Punct)) {
            if !self.free(i) {
                // Claims at the start (Ibid.) are passed over.
                i += 1;
                continue;
            }
            if self.is_any(i, QUOTES_OPEN) {
                break;
            }
            i += 1;
        }
        i
    }

    // ---- claims ----

    fn references(&mut self) {
        let start = self.first_free_word(0);
        if let Some((j, e)) = self.lookup(start, &[Role::Ibid, Role::Idem]) {
            let what = if e.role == Role::Idem { What::Idem } else { What::Ref(Reference::Ibid) };
            self.claim(start, j, what);
        }
        for i in 0..self.t.len() {
            if let Some((j, _)) = self.lookup(i, &[Role::OpCit]) {
                self.claim(i, j, What::Ref(Reference::OpCit));
            }
        }
    }

    fn quotes(&mut self) {
        let mut i = 0;
        while i < self.t.len() {
            if self.free(i) && self.is_any(i, QUOTES_OPEN) {
                let open = self.s(i);
                let closes: &[&str] = match open {
                    "«" => &["»"],
                    "„" => &["“", "”"],
                    "“" => &["”", "\""],
                    "”" => &["”"],
                    _ => &["\"", "”"],
                };
                let close = (i + 1..self.t.len()).find(|&k| self.is_any(k, closes));
                if let Some(c) = close.filter(|&c| self.free_range(i, c + 1)) {
                    // The title: the quoted tokens without trailing punctuation (Chicago puts the comma inside).
                    let mut j = c;
                    while j > i + 1 && self.is_any(j - 1, &[",", ".", ";", ":"]) {
                        j -= 1;
                    }
                    if j > i + 1 {
                        self.claim(i, c + 1, What::Quote(i + 1, j));
                    }
                    i = c + 1;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// The number after a marker at `j`, for `role`: the index after it and the value.
    fn number_after(&self, j: usize, role: Role) -> Option<(usize, What)> {
        match role {
            Role::Volume | Role::Part => {
                let (n, mut e) = match self.num(j) {
                    Some(n) => (n, j + 1),
                    None => (self.roman(j)?, j + 1),
                };
                // A range of volumes ("t. 1–2"): the first is the volume, the rest goes with it.
                if self.is_any(e, DASHES) && (self.num(e + 1).is_some() || self.roman(e + 1).is_some()) {
                    e += 2;
                }
                Some((e, if role == Role::Volume { What::Volume(n) } else { What::Part(n) }))
            }
            Role::Issue => {
                let n = self.num(j)?;
                let mut e = j + 1;
                let mut issue = Issue { number: n, whole: None, last: None };
                if self.is_any(e, &["-", "–", "/", "—"]) {
                    if let Some(l) = self.num(e + 1) {
                        issue.last = Some(l);
                        e += 2;
                    }
                }
                if self.is(e, "(") && self.is(e + 2, ")") {
                    if let Some(w) = self.num(e + 1).filter(|&w| w < 1450) {
                        issue.whole = Some(w);
                        e += 3;
                    }
                }
                Some((e, What::Issue(issue)))
            }
            Role::Pages => {
                let first = match self.num(j) {
                    Some(n) => n,
                    None => {
                        let r = self.roman(j)?;
                        self.s(j).chars().all(char::is_lowercase).then_some(r)?
                    }
                };
                let mut e = j + 1;
                let mut last = first;
                if self.is_any(e, DASHES) {
                    if let Some(l) = self.num(e + 1) {
                        last = expand_range(first, self.s(j), l, self.s(e + 1));
                        e += 2;
                    }
                }
                // "S. 12 f.", "12 ff.", "и сл."
                if matches!(self.s(e), "f" | "ff") && self.free(e) && self.is(e + 1, ".") {
                    e += 2;
                }
                Some((e, What::Pages(Pages { first, last })))
            }
            Role::Edition => {
                self.num(j)?;
                let mut e = j + 1;
                if self.is_any(e, DASHES) && self.kind(e + 1) == Some(Tk::Word) && self.s(e + 1).chars().count() <= 3 {
                    e += 2;
                }
                Some((e, What::Edition))
            }
            _ => None,
        }
    }

    fn markers(&mut self) {
        let roles = [Role::Volume, Role::Issue, Role::Part, Role::Pages, Role::Edition];
        let mut i = 0;
        while i < self.t.len() {
            if let Some((m, e)) = self.lookup(i, &roles) {
                // German order "21. Bd. 3. Aufl.": the marker belongs to the ordinal before it.
                let ordinal_before = i >= 2
                    && self.is(i - 1, ".")
                    && self.num(i - 2).is_some_and(|n| n < 1450)
                    && matches!(e.role, Role::Volume | Role::Part);
                // A one-letter abbreviation is one only with its period: "v 30-e gody" is a preposition.
                let undotted = e.dot && e.words.len() == 1 && self.s(i).chars().count() == 1 && !self.is(i + 1, ".");
                if self.initials_not_marker(i, m) || ordinal_before || undotted {
                    i += 1;
                    continue;
                }
                if let Some((end, what)) = self.number_after(m, e.role) {
                    self.claim(i, end, what);
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// "Lenin, V. I." and "Ленин В. И.": a one-letter capital marker (`V.`, `T.`, `В.`) before a one-letter Roman
    /// numeral with a period, right after a surname, is a pair of initials.
    fn initials_not_marker(&self, i: usize, m: usize) -> bool {
        let one_cap = |k: usize| self.s(k).chars().count() == 1 && self.s(k).chars().all(char::is_uppercase);
        let after_surname =
            i >= 1 && (self.word_is_cap(i - 1) || (self.is(i - 1, ",") && i >= 2 && self.word_is_cap(i - 2)));
        // "V. I. Lénine": before a surname too.
        one_cap(i) && one_cap(m) && self.is(m + 1, ".") && (after_surname || self.word_is_cap(m + 2))
    }

    /// Numbers followed by their marker: `21. Bd.`, `3. Aufl.`, `2-е изд.`, `2nd ed.`, `320 с.` (the extent).
    fn post_markers(&mut self) {
        let mut i = 0;
        while i < self.t.len() {
            let ordinal_word = self.free(i)
                && self.kind(i) == Some(Tk::Word)
                && self.s(i).starts_with(|c: char| c.is_ascii_digit())
                && matches!(
                    self.s(i).trim_start_matches(|c: char| c.is_ascii_digit()),
                    "st" | "nd" | "rd" | "th" | "d" | "e" | "er" | "e." | "ème"
                );
            let n = self.num(i).or_else(|| {
                ordinal_word.then(|| self.s(i).trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok()).flatten()
            });
            let Some(n) = n else {
                i += 1;
                continue;
            };
            // Where the marker may start: after "N.", "N-е", "2nd" or directly after "N".
            let mut after = vec![(i + 1, false)];
            if self.is(i + 1, ".") {
                after.push((i + 2, true));
            }
            // "в 2 т.", "3 vols.", "2 Bde.": how many volumes the work has (GOST 7.1-2003 4.2.3.3, Chicago 14.116),
            // not which one is cited.
            if self.num(i).is_some() && !self.t.get(i + 1).is_some_and(|t| t.k == Tk::Punct) {
                if let Some((end, _)) = self.lookup(i + 1, &[Role::Volume, Role::Part]) {
                    if self.num(end).is_none() && self.roman(end).is_none() {
                        let from = if i >= 1 && self.free(i - 1) && matches!(self.s(i - 1), "в" | "v" | "in" | "w") {
                            i - 1
                        } else {
                            i
                        };
                        self.claim(from, end, What::Skip);
                        i = end;
                        continue;
                    }
                }
            }
            if self.is_any(i + 1, DASHES) && self.kind(i + 2) == Some(Tk::Word) && self.s(i + 2).chars().count() <= 3 {
                after.push((i + 3, true));
            }
            let mut done = false;
            for (m, ordinal) in after {
                let ordinal = ordinal || ordinal_word;
                let roles: &[Role] = if ordinal { &[Role::Volume, Role::Part, Role::Edition] } else { &[Role::Pages] };
                if let Some((end, e)) = self.lookup(m, roles) {
                    // The extent is a number of pages at the end of an area, not before another number.
                    if e.role == Role::Pages && (self.num(end).is_some() || n == 0) {
                        continue;
                    }
                    let what = match e.role {
                        Role::Volume => What::Volume(n),
                        Role::Part => What::Part(n),
                        Role::Edition => What::Edition,
                        _ => What::Extent(n),
                    };
                    self.claim(i, end, what);
                    i = end;
                    done = true;
                    break;
                }
            }
            if !done {
                i += 1;
            }
        }
    }

    fn month(&self, i: usize) -> Option<(usize, u8)> {
        let (j, e) = self.lookup(i, &[Role::Month])?;
        Some((j, e.number as u8))
    }

    fn day(&self, i: usize) -> Option<u8> {
        self.num(i).filter(|d| (1..=31).contains(d) && self.s(i).len() <= 2).map(|d| d as u8)
    }

    /// After a year: a range (`–1918`, `/18`) and a year word (`г.`).
    fn year_tail(&self, mut e: usize) -> usize {
        if self.is_any(e, &["-", "–", "—", "/"]) && self.num(e + 1).is_some() && !self.t[e + 1].space {
            e += 2;
        }
        if let Some((j, _)) = self.lookup(e, &[Role::Year]) {
            e = j;
        }
        e
    }

    fn dates(&mut self) {
        let mut i = 0;
        while i < self.t.len() {
            if !self.free(i) {
                i += 1;
                continue;
            }
            // 26.10.1917
            if self.kind(i) == Some(Tk::Num) && self.s(i).contains('.') {
                let parts: Vec<&str> = self.s(i).split('.').collect();
                if let [d, m, y] = parts[..] {
                    if let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<u16>()) {
                        if (1..=31).contains(&d) && (1..=12).contains(&m) && (1450..=2099).contains(&y) {
                            let date = Date { year: y, month: Some(m), day: Some(d) };
                            let e = self.year_tail(i + 1);
                            self.claim(i, e, What::Date(date));
                            i = e;
                            continue;
                        }
                    }
                }
            }
            // 26 October 1917, 7 (20) ноября 1917 г.
            if let Some(d) = self.day(i) {
                let mut m = i + 1;
                if self.is(m, "(") && self.day(m + 1).is_some() && self.is(m + 2, ")") {
                    m += 3;
                }
                if let Some((y, month)) = self.month(m) {
                    if let Some(year) = self.year_at(y) {
                        let e = self.year_tail(y + 1);
                        self.claim(i, e, What::Date(Date { year, month: Some(month), day: Some(d) }));
                        i = e;
                        continue;
                    }
                    // "Правда. 1917. № 26. 7 апр.": the day of a newspaper after its year.
                    if i >= 1 && self.is_any(i - 1, &[".", ","]) && self.num(y).is_none() {
                        self.claim(i, y, What::DayMonth(d, month));
                        i = y;
                        continue;
                    }
                }
            }
            // October 26, 1917; October 1917
            if let Some((j, month)) = self.month(i) {
                if let Some(d) = self.day(j) {
                    let y = if self.is(j + 1, ",") { j + 2 } else { j + 1 };
                    if let Some(year) = self.year_at(y) {
                        let e = self.year_tail(y + 1);
                        self.claim(i, e, What::Date(Date { year, month: Some(month), day: Some(d) }));
                        i = e;
                        continue;
                    }
                }
                if let Some(year) = self.year_at(j) {
                    let e = self.year_tail(j + 1);
                    self.claim(i, e, What::Date(Date { year, month: Some(month), day: None }));
                    i = e;
                    continue;
                }
            }
            // "Historische Zeitschrift 244 (1987)", "Krasnyj archiv 21 (1927)": a volume without its marker, the year
            // in parentheses (DIN 1505-2, Chicago 14.171).
            if let Some(n) = self.num(i).filter(|&n| n < 1450 && n > 0) {
                if i > 0 && self.kind(i - 1) == Some(Tk::Word) && self.is(i + 1, "(") && self.is(i + 3, ")") {
                    if let Some(year) = self.year_at(i + 2) {
                        self.claim(i, i + 1, What::Volume(n));
                        self.claim(i + 2, i + 3, What::Date(Date { year, month: None, day: None }));
                        i += 4;
                        continue;
                    }
                }
            }
            if let Some(year) = self.year_at(i) {
                let e = self.year_tail(i + 1);
                self.claim(i, e, What::Date(Date { year, month: None, day: None }));
                i = e;
                continue;
            }
            i += 1;
        }
    }

    /// A place at `i`: a form of the list, or (`known` false) one to three capitalized words. The index after it.
    fn place_at(&self, i: usize, known_only: bool) -> Option<usize> {
        if let Some((j, _)) = self.lookup(i, &[Role::Place]) {
            return Some(j);
        }
        if known_only || !self.word_is_cap(i) {
            return None;
        }
        let mut j = i + 1;
        let mut words = 1;
        while words < 3 && (self.word_is_cap(j) || (self.is_any(j, DASHES) && self.word_is_cap(j + 1))) {
            j += if self.word_is_cap(j) { 1 } else { 2 };
            words += 1;
        }
        Some(j)
    }

    fn next_is_date(&self, i: usize) -> bool {
        matches!(self.claim_at(i).map(|c| &c.what), Some(What::Date(_)))
    }

    /// The publication area: `М.; Л.: Госиздат, 1925`, `Berlin: Granit, 1931`, `Л., 1924`, `(New York: Simon and
    /// Schuster, 1932)`.
    fn publication(&mut self) {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            if !self.free(i) || !self.starts_segment(i) {
                i += 1;
                continue;
            }
            // Known places may be followed by "," and a date; any capitalized place needs ":" and a publisher.
            let mut places = Vec::new();
            let mut k = i;
            // The first place decides: "Moskwa–Piotrogród 1923" is a known place and another.
            let known = self.lookup(i, &[Role::Place]).is_some();
            while let Some(j) = self.place_at(k, false) {
                let is_known = self.lookup(k, &[Role::Place]).is_some();
                places.push((k, j));
                if !(self.is(j, ";") || (self.is_any(j, DASHES) && is_known)) {
                    break;
                }
                k = j + 1;
            }
            if places.is_empty() {
                i += 1;
                continue;
            }
            let after = places.last().map_or(i, |p| p.1);
            let mut publisher = None;
            let mut ok = false;
            if self.is(after, ":") {
                // The publisher runs to the comma before the date (or to the end of the area).
                let mut e = after + 1;
                // "М.: Терра; Республика, 1997": after a known place, a semicolon and a capital join two publishers.
                let joined = |p: &Self, e: usize| known && p.is(e, ";") && p.word_is_cap(e + 1) && p.free(e + 1);
                while e < self.t.len()
                    && self.free(e)
                    && (!self.is_any(e, &[",", ";", ")", "]", "—"]) || joined(self, e))
                {
                    if self.is(e, ".") && self.word_is_cap(e + 1) && !self.abbreviation(e - 1) {
                        break;
                    }
                    // After a word that is no known place, a colon is as often a subtitle's ("Хозяин: Сталин
                    // и …. М.: РОССПЭН"): its "publisher" may not run over a sentence's end or another colon.
                    if !known
                        && (self.is(e, ":")
                            || self.is(e, ".") && self.kind(e + 1).is_some() && !self.abbreviation(e - 1))
                    {
                        break;
                    }
                    e += 1;
                }
                let dated = self.is(e, ",") && self.next_is_date(e + 1) || self.next_is_date(e);
                let at_end = (e..self.t.len()).all(|k| self.kind(k) == Some(Tk::Punct) && self.free(k));
                // Without a date after it, the colon may be an author's ("Trotzki, L.: Geschichte…").
                if e > after + 1 && (dated || at_end || known && self.is_any(e, &[")", ";"])) {
                    publisher = Some((after + 1, e));
                    ok = true;
                }
            } else if known && self.is(after, ",") && self.next_is_date(after + 1) {
                ok = true;
            } else if known && self.is(after, ",") && self.word_is_cap(after + 1) {
                // French and Polish order: "Paris, Rieder, 1933".
                let mut e = after + 1;
                let mut limit = after + 6;
                while e < limit && self.free(e) && !self.is_any(e, &[",", ";", ")", ":"]) {
                    e += 1;
                    // "Moscow, Terra; Respublika Publ., 1997": two publishers.
                    if self.is(e, ";") && self.word_is_cap(e + 1) && self.free(e + 1) {
                        e += 1;
                        limit = e + 6;
                    }
                }
                if self.is(e, ",") && self.next_is_date(e + 1) {
                    publisher = Some((after + 1, e));
                    ok = true;
                }
            } else if known && self.next_is_date(after) {
                ok = self.t.get(after).is_some_and(|t| t.space);
            }
            if !ok {
                i += 1;
                continue;
            }
            let mut group = Vec::new();
            for (s, e) in places {
                // A place's own trailing period stays with it ("Л."), a separator's does not.
                group.extend(self.try_claim(s, e, What::Place));
            }
            if let Some((s, e)) = publisher {
                let mut e = e;
                while e > s && self.is_any(e - 1, &[".", ":"]) && !self.abbreviation(e - 2) {
                    e -= 1;
                }
                group.extend(self.try_claim(s, e, What::Publisher));
                i = e;
            } else {
                i = after;
            }
            groups.push(group);
        }
        // A citation has one publication area, after the title: an earlier match is a place named in the title
        // ("Terror und Traum. Moskau 1937, München: Hanser 2008").
        if groups.len() > 1 {
            for g in &groups[..groups.len() - 1] {
                for &id in g {
                    self.release(id);
                }
            }
        }
    }

    /// Years in titles: a year right after a word of the title (`Moskau 1937`, `La Révolution de 1917`) or after
    /// its comma (`The Bolshevik Revolution, 1917–1923`) is part of the title when another year is the citation's.
    fn title_dates(&mut self) {
        let dates: Vec<usize> =
            (0..self.claims.len()).filter(|&id| matches!(self.claims[id].what, What::Date(_))).collect();
        if dates.len() < 2 {
            return;
        }
        let word = |p: &Self, k: usize| p.free(k) && p.kind(k) == Some(Tk::Word);
        let inner: Vec<bool> = dates
            .iter()
            .map(|&id| {
                let i = self.claims[id].i;
                i >= 1 && word(self, i - 1) || i >= 2 && self.is(i - 1, ",") && word(self, i - 2)
            })
            .collect();
        if inner.iter().all(|&x| x) {
            return;
        }
        for (&id, &x) in dates.iter().zip(&inner) {
            if x {
                self.release(id);
            }
        }
    }

    /// Is the word at `i` an initial or an abbreviation of the lists (so that its period ends nothing)?
    fn abbreviation(&self, i: usize) -> bool {
        let w = self.s(i);
        self.kind(i) == Some(Tk::Word)
            && ((w.chars().count() == 1 && w.chars().all(char::is_uppercase)) || self.dotted(w))
    }

    /// Is `w` written with a period in some form of the lists?
    fn dotted(&self, w: &str) -> bool {
        let mut buf = [0; SHORT_WORD];
        lower_short(w, &mut buf).is_some_and(|l| self.tables.dotted.contains_key(l))
    }

    /// Collected-works titles standing alone between separators (`PSS`, `Полн. собр. соч.`, `Сочинения`).
    fn collected(&mut self) {
        let mut i = 0;
        while i < self.t.len() {
            if self.starts_segment(i) || i == 0 {
                if let Some((j, e)) = self.lookup(i, &[Role::Collected]) {
                    let ends = j >= self.t.len()
                        || self.is_any(j, &[".", ",", ";", ")", "(", "—", "–", "/"])
                        || !self.free(j)
                        || (j > 0 && self.is(j - 1, "."));
                    if ends {
                        self.claim(i, j, What::Collected(e.value.clone()));
                        i = j;
                        continue;
                    }
                } else if let Some((j, full)) = self.collected_by_key(i) {
                    self.claim(i, j, What::Collected(full));
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
    }

    /// A collected-works title in a spelling the lists do not hold (`Polnoe sobranie sočinenij`, `Połnoje
    /// sobranije soczinienij`, `Soczinienija`): one to three capitalized-first words standing alone whose title key
    /// is the key of a listed title.
    fn collected_by_key(&self, i: usize) -> Option<(usize, String)> {
        if !self.word_is_cap(i) || self.tables.collected_keys.is_empty() {
            return None;
        }
        let mut j = i + 1;
        while j < i + 3 && self.free(j) && self.kind(j) == Some(Tk::Word) {
            j += 1;
        }
        let ends = j >= self.t.len() || self.is_any(j, &[".", ",", ";", ")", "(", "—", "–", "/"]) || !self.free(j);
        if !ends {
            return None;
        }
        let key = crate::title_key(self.span(i, j).of(self.text));
        self.tables.collected_keys.get(key.as_str()).map(|full| (j, full.clone()))
    }

    // ---- authors ----

    /// A surname at `i`: a capitalized word, hyphenated parts joined (`Bonch-Bruevich`). The index after it.
    fn surname(&self, i: usize) -> Option<usize> {
        if !self.word_is_cap(i) || self.lookup(i, &[Role::Collected, Role::Place, Role::In, Role::Ibid]).is_some() {
            return None;
        }
        let mut j = i + 1;
        while self.is_any(j, DASHES) && !self.t[j].space && self.word_is_cap(j + 1) {
            j += 2;
        }
        Some(j)
    }

    /// An initial at `i` (`V.`, `Zh.`, `В.`, `Ю.`): the index after its period.
    fn initial(&self, i: usize) -> Option<usize> {
        if !self.free(i) || self.kind(i) != Some(Tk::Word) || !self.is(i + 1, ".") {
            return None;
        }
        let w = self.s(i);
        let mut cs = w.chars();
        let first = cs.next()?;
        if !first.is_uppercase() {
            return None;
        }
        let rest = cs.as_str();
        let n = rest.chars().count();
        // "Вл.", "Ал.", "Sh.": a capital and one small letter is an initial when it is no form of the lists.
        let two = n == 1 && rest.chars().all(char::is_lowercase) && self.plain(i);
        let ok = n == 0
            || two
            || (n <= 2 && rest.chars().all(char::is_lowercase) && {
                let mut buf = [0; SHORT_WORD];
                matches!(
                    lower_short(w, &mut buf).unwrap_or(""),
                    "zh" | "kh"
                        | "ts"
                        | "ch"
                        | "sh"
                        | "iu"
                        | "ia"
                        | "yu"
                        | "ya"
                        | "ju"
                        | "ja"
                        | "ye"
                        | "yo"
                        | "dzh"
                        | "shch"
                        | "th"
                )
            });
        ok.then_some(i + 2)
    }

    /// One or more initials (`V. I.`, `V.I.`, `Ж.-П.`).
    fn initials(&self, i: usize) -> Option<usize> {
        let mut j = self.initial(i)?;
        loop {
            if let Some(k) = self.initial(j) {
                j = k;
            } else if self.is_any(j, DASHES) && self.initial(j + 1).is_some() {
                j = self.initial(j + 1).unwrap_or(j + 1);
            } else {
                return Some(j);
            }
        }
    }

    fn given_name(&self, i: usize) -> bool {
        self.word_is_cap(i) && GivenNames::builtin().canonical(self.s(i)).is_some()
    }

    /// The first claim at or after `i` (skipping punctuation only).
    fn next_claim(&self, mut i: usize) -> Option<&Claim> {
        while i < self.t.len() && self.free(i) && self.kind(i) == Some(Tk::Punct) {
            i += 1;
        }
        self.claim_at(i)
    }

    /// One author at `i`: the end of the name's span and the index after it.
    fn author(&self, i: usize, first: bool) -> Option<(usize, usize)> {
        // "Stephen F. Cohen, …" before GOST's "Surname I." reading of its first words.
        if first && self.initials(i).is_none() {
            if let Some(s) = self.direct_name(i) {
                // (Two initials after the first word are GOST's "Хлевнюк О. В. Хозяин: …": surname, initials of
                // first name and patronymic, title.)
                let gost = self.surname(i).and_then(|g| self.initials(g).map(|e| (g, e)));
                if gost.is_some_and(|(g, e)| e < s && e - g < 4) {
                    return Some((s, s));
                }
            }
        }
        if let Some(s) = self.surname(i) {
            if self.is(s, ",") {
                // Inverted: "Lenin, V. I.", "Trotsky, Leon.", "Trotsky, Leon Davidovich,"
                if let Some(e) = self.initials(s + 1) {
                    return Some((e, e));
                }
                if self.given_name(s + 1) {
                    let mut e = s + 2;
                    for _ in 0..3 {
                        if let Some(k) = self.initials(e) {
                            e = k;
                            break;
                        } else if self.word_is_cap(e) && !self.is(e + 1, ",")
                            || self.word_is_cap(e) && self.is(e + 1, ".")
                        {
                            e += 1;
                        } else {
                            break;
                        }
                    }
                    return Some((e, e));
                }
                // "Hildermeier, Manfred:", "Pipes, Richard.", "Koenker, Diane P.": a given name not in the lists,
                // known by what follows it.
                if first && self.word_is_cap(s + 1) && self.plain(s + 1) {
                    if let Some(e) = self.initials(s + 2) {
                        return Some((e, e));
                    }
                    if self.is_any(s + 2, &[":", "."]) {
                        return Some((s + 2, s + 2));
                    }
                }
                // A short form: "Lenin, Vol. XXI", "Trotsky, op. cit.", "Trotsky, History, Vol. III", and a
                // surname before a quoted or collected title: "Lénine, « Les bolchéviks … »", "Lenin, PSS, 33:1".
                if first {
                    let claim_ok = |c: Option<&Claim>| {
                        matches!(
                            c.map(|c| &c.what),
                            Some(
                                What::Volume(_)
                                    | What::Pages(_)
                                    | What::Part(_)
                                    | What::Ref(Reference::OpCit)
                                    | What::Quote(..)
                                    | What::Collected(_)
                            )
                        )
                    };
                    if claim_ok(self.next_claim(s + 1)) {
                        return Some((s, s));
                    }
                    let mut k = s + 1;
                    let mut words = 0;
                    while self.free(k) && self.kind(k) == Some(Tk::Word) && words < 6 {
                        k += 1;
                        words += 1;
                    }
                    if words > 0 && self.is_any(k, &[",", "."]) && claim_ok(self.next_claim(k + 1)) {
                        return Some((s, s));
                    }
                }
                return None;
            }
            // GOST: "Ленин В. И.", "Троцкий Л."
            if let Some(e) = self.initials(s) {
                return Some((e, e));
            }
            // French: "Trotsky (Léon),"
            if self.is(s, "(") && self.word_is_cap(s + 1) && self.is(s + 2, ")") && self.is_any(s + 3, &[",", ":"]) {
                return Some((s + 3, s + 3));
            }
        }
        // Direct order: "V. I. Lenin", "Leon Trotsky"
        if let Some(e) = self.initials(i) {
            if let Some(s) = self.surname(e) {
                return Some((s, s));
            }
        }
        // "Manfred Hildermeier:", "Hélène Carrère d'Encausse,", "Stephen F. Cohen,": first names not in the
        // lists, where an author is expected and a title follows the name.
        if first {
            if let Some(s) = self.direct_name(i) {
                return Some((s, s));
            }
        }
        if self.given_name(i) {
            let mut e = i + 1;
            if let Some(k) = self.initials(e) {
                e = k;
            } else if self.word_is_cap(e) && self.word_is_cap(e + 1) && self.given_name(e) {
                e += 1;
            }
            if let Some(s) = self.surname(e) {
                if s >= self.t.len() || self.is_any(s, &[",", ".", "("]) || !self.free(s) {
                    return Some((s, s));
                }
            }
        }
        None
    }

    /// A word that is not a form of the lists (a name may be one).
    fn plain(&self, i: usize) -> bool {
        self.lookup(i, &[Role::Collected, Role::Place, Role::In, Role::Ibid, Role::Editor, Role::Month, Role::Idem])
            .is_none()
            && (self.starts.get(i).copied().flatten().is_none()
                || self.lookup(i, &[Role::Volume, Role::Issue, Role::Pages, Role::Part, Role::Edition]).is_none())
    }

    /// A name in direct order at `i` (one or two first names or initials, a surname with its particles), followed
    /// by `,` or `:` and then a title (free words or a quoted title), not a number: the index after the surname.
    fn direct_name(&self, i: usize) -> Option<usize> {
        let mut k = i;
        let mut given = 0;
        while given < 3 {
            if let Some(e) = self.initials(k) {
                k = e;
            } else if self.word_is_cap(k) && self.plain(k) && !self.is(k + 1, ".") {
                k += 1;
                while self.is_any(k, DASHES) && !self.t[k].space && self.word_is_cap(k + 1) {
                    k += 2;
                }
            } else {
                break;
            }
            given += 1;
        }
        // The last of the words is the surname; particles (d'…, de, von) may be before it.
        if given < 2 {
            return None;
        }
        let mut e = k;
        while self.free(e)
            && self.kind(e) == Some(Tk::Word)
            && (matches!(self.s(e), "de" | "von" | "van" | "du" | "der" | "da") || self.s(e).starts_with("d'"))
        {
            e += 1;
        }
        let last_cap = |p: &Self, j: usize| j > 0 && p.kind(j - 1) == Some(Tk::Word) && !p.is(j, ".");
        if !last_cap(self, e) || !self.is_any(e, &[",", ":"]) {
            return None;
        }
        let next = e + 1;
        let titled = (self.free(next) && self.kind(next) == Some(Tk::Word))
            || matches!(self.claim_at(next).map(|c| &c.what), Some(What::Quote(..)))
            || (self.free(next) && self.is_any(next, QUOTES_OPEN));
        titled.then_some(e)
    }

    fn authors(&mut self, start: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = start;
        while let Some((end, next)) = self.author(i, out.is_empty()) {
            out.push((i, end));
            self.claim(i, end, What::Author);
            // Another author after ",", ";", "and", "&", "и", "und", "et", "i".
            let mut k = next;
            let mut joined = false;
            if self.is_any(k, &[",", ";"]) {
                k += 1;
            }
            if self.is(k, "&") || self.free(k) && matches!(self.s(k), "and" | "и" | "und" | "et" | "i" | "a" | "y") {
                k += 1;
                joined = true;
            }
            if let Some((e, _)) = self.lookup(k, &[Role::EtAl]) {
                self.claim(k, e, What::Skip);
                break;
            }
            if !self.free(k) || k == next && !joined {
                break;
            }
            match self.author(k, false) {
                Some(_) => i = k,
                None => break,
            }
        }
        out
    }

    /// A journal's volume written as a bare number after its title: Chicago's `Slavic Review 44, no. 2 (1985)` and
    /// `Russian Review 45 (1986)`, APA's `Journal of Modern History, 65(4), 745–770` (volume and issue).
    fn bare_volumes(&mut self) {
        for i in 1..self.t.len() {
            let Some(n) = self.num(i).filter(|&n| (1..=999).contains(&n)) else { continue };
            let after_word = self.kind(i - 1) == Some(Tk::Word) && self.free(i - 1) && self.t[i].space;
            let claim_after = |k: usize| self.claim_at(k).map(|c| &c.what);
            // Chicago: the number right after the title's last word, then ", no. 2" or "(1985)".
            let chicago = after_word
                && (self.is(i + 1, ",") && matches!(claim_after(i + 2), Some(What::Issue(_)))
                    || self.is(i + 1, "(") && matches!(claim_after(i + 2), Some(What::Date(_))));
            if chicago {
                self.claim(i, i + 1, What::Volume(n));
                continue;
            }
            // APA: ", 65(4)," after the journal's title.
            let apa = self.is(i - 1, ",")
                && i >= 2
                && self.kind(i - 2) == Some(Tk::Word)
                && self.is(i + 1, "(")
                && !self.t[i + 1].space
                && self.num(i + 2).is_some()
                && self.is(i + 3, ")");
            if apa && self.free_range(i, i + 4) {
                let issue = Issue { number: self.num(i + 2).unwrap_or(0), ..Issue::default() };
                self.claim(i, i + 1, What::Volume(n));
                self.claim(i + 1, i + 4, What::Issue(issue));
            }
        }
    }

    /// An author–year reference (APA, Harvard in-text): `(Pipes 1990, p. 385)`, `(Fitzpatrick, 1999, p. 45)`: a
    /// surname, the year, then nothing but claims and punctuation. The end of the surname.
    fn author_year(&self, i: usize) -> Option<usize> {
        if !self.free(i) || !self.word_is_cap(i) || !self.plain(i) {
            return None;
        }
        let e = i + 1;
        let k = if self.is(e, ",") { e + 1 } else { e };
        // A year alone: "Pravda, 7 November 1917" is a newspaper's issue.
        let year_only = matches!(self.claim_at(k).map(|c| &c.what), Some(What::Date(d)) if d.month.is_none());
        if !year_only || !self.t.get(k).is_some_and(|t| t.space) {
            return None;
        }
        (k..self.t.len()).all(|x| !self.free(x) || self.kind(x) == Some(Tk::Punct)).then_some(e)
    }

    /// Chicago notes end with bare page numbers: "…, 1932), 45." or "(1971): 245–67."
    fn bare_pages(&mut self) {
        if self.claims.iter().any(|c| matches!(c.what, What::Pages(_))) {
            return;
        }
        let mut e = self.t.len();
        while e > 0 && self.free(e - 1) && self.is_any(e - 1, &[".", ";"]) {
            e -= 1;
        }
        // N or N–M at the end
        let (i, pages) =
            if e >= 3 && self.is_any(e - 2, DASHES) && self.num(e - 1).is_some() && self.num(e - 3).is_some() {
                let (f, l) = (self.num(e - 3).unwrap_or(0), self.num(e - 1).unwrap_or(0));
                (e - 3, Pages { first: f, last: expand_range(f, self.s(e - 3), l, self.s(e - 1)) })
            } else if e >= 1 && self.num(e - 1).is_some() && self.year_at(e - 1).is_none() {
                let f = self.num(e - 1).unwrap_or(0);
                (e - 1, Pages { first: f, last: f })
            } else {
                return;
            };
        if i == 0 || !self.is_any(i - 1, &[",", ":"]) {
            return;
        }
        // "3:45": volume 3, page 45.
        if self.is(i - 1, ":") && i >= 2 && !self.t[i - 1].space {
            if let Some(v) = self.num(i - 2) {
                if !self.claims.iter().any(|c| matches!(c.what, What::Volume(_))) {
                    self.claim(i - 2, i - 1, What::Volume(v));
                }
            }
        }
        self.claim(i, e, What::Pages(pages));
    }

    // ---- pieces and fields ----

    fn pieces(&self, from: usize) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut before = Sep::Start;
        let mut depth = 0usize;
        let mut i = from;
        let mut cur: Option<usize> = None;
        let mut seen_claims = vec![false; self.claims.len()];
        let flush = |cur: &mut Option<usize>, end: usize, before: Sep, depth: usize, out: &mut Vec<Piece>| {
            if let Some(s) = cur.take() {
                out.push(Piece { i: s, j: end, before, paren: depth > 0, claim: None });
            }
        };
        while i < self.t.len() {
            if let Some(o) = self.own.get(i).copied().filter(|&o| o > 0) {
                let id = o as usize - 1;
                flush(&mut cur, i, before, depth, &mut out);
                if !std::mem::replace(&mut seen_claims[id], true) {
                    if let Some(c) = self.claims.get(id) {
                        if matches!(c.what, What::Quote(..) | What::Collected(_)) {
                            out.push(Piece { i: c.i, j: c.j, before, paren: depth > 0, claim: Some(id) });
                        }
                    }
                }
                before = Sep::Claim;
                i += 1;
                continue;
            }
            let tok = self.t[i];
            if tok.k == Tk::Punct {
                let p = self.s(i);
                let sep = match p {
                    "," => Some(Sep::Comma),
                    ";" => Some(Sep::Semicolon),
                    "(" | "[" => {
                        depth += 1;
                        Some(Sep::Open)
                    }
                    ")" | "]" => {
                        depth = depth.saturating_sub(1);
                        Some(Sep::Close)
                    }
                    "/" if self.is(i + 1, "/") => {
                        i += 1;
                        Some(Sep::DoubleSlash)
                    }
                    "/" if tok.space => Some(Sep::Slash),
                    "—" | "–" if tok.space => Some(Sep::Dash),
                    "." if self.period_ends(i) => Some(Sep::Period),
                    _ if QUOTES_OPEN.contains(&p) || p == "»" => Some(Sep::Comma),
                    _ => None,
                };
                if let Some(sep) = sep {
                    let d = if sep == Sep::Close {
                        depth + 1
                    } else if sep == Sep::Open {
                        depth - 1
                    } else {
                        depth
                    };
                    flush(&mut cur, i, before, d, &mut out);
                    before = sep;
                    i += 1;
                    continue;
                }
            }
            if cur.is_none() {
                cur = Some(i);
            }
            i += 1;
        }
        flush(&mut cur, self.t.len(), before, depth, &mut out);
        out
    }

    /// The `)` closing the parenthesis opened before `i`, when what is inside may belong to a title: free words
    /// without a comma, an editor's or translator's word or a bracket.
    fn paren_end(&self, i: usize) -> Option<usize> {
        let mut k = i;
        while k < self.t.len() && k < i + 40 {
            if !self.free(k)
                || self.is_any(k, &[",", "(", "[", "]"])
                || self.lookup(k, &[Role::Editor, Role::In]).is_some()
            {
                return None;
            }
            if self.is(k, ")") {
                return (k > i).then_some(k);
            }
            k += 1;
        }
        None
    }

    /// Does the period at `i` end an area or a title? Not after an initial or an abbreviation of the lists, and
    /// not before a word in lower case.
    fn period_ends(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let prev = self.s(i - 1);
        if self.kind(i - 1) == Some(Tk::Word) {
            if prev.chars().count() == 1 && prev.chars().all(char::is_uppercase) {
                return false;
            }
            if self.dotted(prev) && !self.word_is_cap(i + 1) {
                return false;
            }
        }
        !(self.word_is_lower(i + 1) && self.free(i + 1))
    }

    /// The span of a piece's words: without leading and trailing punctuation (but with a closing `?`, `!` or a
    /// balanced `)`).
    fn trim(&self, mut i: usize, mut j: usize) -> Option<(usize, usize)> {
        while i < j && self.kind(i) == Some(Tk::Punct) && !self.is_any(i, &["№"]) {
            i += 1;
        }
        while j > i && self.kind(j - 1) == Some(Tk::Punct) && !self.is_any(j - 1, &["?", "!"]) {
            if self.is(j - 1, ")") && (i..j).any(|k| self.is(k, "(")) {
                break;
            }
            // The period of an abbreviation stays ("1917–1918 гг.", "Publ.", "Извѣстія Ц. И. К.").
            if self.is(j - 1, ".") && j >= i + 2 && self.abbreviation(j - 2) && self.free(j - 2) {
                break;
            }
            j -= 1;
        }
        if i < j && self.is(j, ".") && self.free(j) && self.kind(j - 1) == Some(Tk::Word) && self.abbreviation(j - 1) {
            j += 1;
        }
        (i < j).then_some((i, j))
    }

    fn span(&self, i: usize, j: usize) -> Span {
        match (self.t.get(i), j.checked_sub(1).and_then(|k| self.t.get(k))) {
            (Some(a), Some(b)) if j > i => Span { start: a.s, end: b.e },
            _ => Span::default(),
        }
    }

    fn field(&self, i: usize, j: usize) -> Field<String> {
        let span = self.span(i, j);
        Field { value: span.of(self.text).to_string(), span }
    }

    fn assemble(mut self, author_ranges: Vec<(usize, usize)>) -> Citation {
        let mut c = Citation::default();
        for &(i, j) in &author_ranges {
            let span = self.span(i, j);
            c.authors.push(Author { name: parse_name(span.of(self.text)), span });
        }
        let from = author_ranges.last().map_or(0, |a| a.1);
        let pieces = self.pieces(0);
        // GOST order ("Ленин В. И. Title…" or a "//"): commas do not end the title area, only ". ", " / ", "//".
        let gost = author_ranges.first().is_some_and(|&(a, _)| {
            self.kind(a + 1) == Some(Tk::Word) && self.s(a + 1).chars().count() <= 3 && self.is(a + 2, ".")
        }) || (0..self.t.len()).any(|k| self.is(k, "/") && self.is(k + 1, "/"));
        // Author–date order ("Pipes, R. (1990). Title. Publisher."): the date right after the authors.
        let author_date = from > 0
            && (from..(from + 3).min(self.t.len()))
                .any(|k| matches!(self.claim_at(k).map(|c| &c.what), Some(What::Date(_))));
        let published = self.claims.iter().any(|c| matches!(c.what, What::Place | What::Publisher));
        // The title's token range while it may still grow (over its subtitles).
        let mut title_rng: Option<(usize, usize)> = None;
        let mut title_open = false;
        let mut skip_until = 0;
        let mut next_container = false;
        let mut next_editors = false;
        let mut used: Vec<bool> = vec![false; pieces.len()];
        for (n, p) in pieces.iter().enumerate() {
            let (mut i, j) = (p.i, p.j);
            if let Some(id) = p.claim {
                let Some(claim) = self.claims.get(id).cloned() else { continue };
                match claim.what {
                    What::Quote(qi, qj) => {
                        // A quotation inside a title ("Письмо в редакцию журнала «Пролетарская революция»",
                        // "„Gesellschaft“ als staatliche Veranstaltung"): the title goes on over it.
                        // (Not Chicago's `"Title," Journal`: there the comma is inside the quotes.)
                        let words_after = self.t.get(claim.j).is_some_and(|t| t.k == Tk::Word && t.space)
                            && self.free(claim.j)
                            && qj + 1 == claim.j
                            && self.word_is_lower(claim.j);
                        if let (Some((ta, tb)), true) = (title_rng, title_open) {
                            if tb == claim.i && c.container.is_none() && !next_container {
                                title_rng = Some((ta, claim.j));
                                c.title = Some(self.field(ta, claim.j));
                                continue;
                            }
                        }
                        if c.title.is_none() && c.container.is_none() && !next_container && words_after && i >= from {
                            title_rng = Some((claim.i, claim.j));
                            c.title = Some(self.field(claim.i, claim.j));
                            title_open = true;
                            continue;
                        }
                        if next_container || c.title.is_some() && c.container.is_none() && p.before != Sep::Open {
                            if c.container.is_none() {
                                c.container = Some(self.field(qi, qj));
                                next_container = false;
                                used[n] = true;
                            }
                        } else if c.title.is_none() {
                            c.title = Some(self.field(qi, qj));
                            used[n] = true;
                        }
                        title_open = false;
                    }
                    What::Collected(full) => {
                        // A volume of collected works cited as such: the edition is the container, the title is
                        // empty (a piece's title comes before it).
                        title_open = false;
                        if c.container.is_none() {
                            c.container = Some(self.field(i, j));
                            c.container_full = Some(full);
                            c.container_collected = true;
                            next_container = false;
                            used[n] = true;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            if i < from || i < skip_until {
                continue;
            }
            // The title goes on over its subtitles (". ", "; ", ": " after a parenthesis, a year range it names,
            // a parenthesis right after its words) until a claim, a connector, "/", "//" or " — ".
            if let (Some((ta, tb)), true) = (title_rng, title_open) {
                let claimed_between = (tb..i).any(|k| !self.free(k));
                if claimed_between || next_container || c.container.is_some() {
                    title_open = false;
                } else if let Some((a, b)) = self.trim(i, j) {
                    let last = (j..self.t.len()).all(|k| self.free(k) && self.kind(k) == Some(Tk::Punct));
                    let joins = match p.before {
                        Sep::Period | Sep::Semicolon => {
                            let serial = matches!(
                                self.next_claim(j).map(|c| &c.what),
                                Some(What::Issue(_) | What::Volume(_) | What::Date(_))
                            );
                            let publisher = author_date && last && !published;
                            (published || !serial) && !publisher && self.lookup(a, &[Role::In, Role::Editor]).is_none()
                        }
                        Sep::Comma => {
                            (self.kind(a) == Some(Tk::Num) || gost)
                                && self.lookup(a, &[Role::In, Role::Editor]).is_none()
                        }
                        Sep::Close => self.is(i, ":") || self.is(i, "."),
                        Sep::Claim => tb == i,
                        Sep::Open if p.paren => match self.paren_end(i) {
                            Some(close) if self.is(i - 1, "(") && self.t[i - 1].space && tb == i - 1 => {
                                title_rng = Some((ta, close + 1));
                                c.title = Some(self.field(ta, close + 1));
                                skip_until = close + 1;
                                continue;
                            }
                            _ => false,
                        },
                        _ => false,
                    };
                    if joins {
                        title_rng = Some((ta, b));
                        c.title = Some(self.field(ta, b));
                        continue;
                    }
                    title_open = false;
                }
            }
            // A connector at the start: "in", "In:", "В кн.:"; an editor statement; "et al."; "ders." after "in:".
            if let Some((k, e)) = self.lookup(i, &[Role::In, Role::Editor, Role::EtAl, Role::Idem]) {
                match e.role {
                    // "(In Russian)" of Scopus-style lists is a note on the language, not a container.
                    Role::In if p.paren => continue,
                    Role::Idem => {
                        self.claim(i, k, What::Skip);
                        if self.trim(k, j).is_none() {
                            continue;
                        }
                        i = k;
                    }
                    Role::In if k < j || n + 1 < pieces.len() => {
                        self.claim(i, k, What::Skip);
                        next_container = true;
                        i = k;
                        // "in: ders., Werke", "w: tenże, Dzieła": the same author, then the container.
                        if let Some((m, _)) = self.lookup(i, &[Role::Idem]) {
                            self.claim(i, m, What::Skip);
                            if self.trim(m, j).is_none() {
                                continue;
                            }
                            i = m;
                        }
                    }
                    Role::Editor if k >= j => {
                        self.claim(i, k, What::Skip);
                        next_editors = true;
                        continue;
                    }
                    Role::Editor if k < j => {
                        if let Some((a, b)) = self.trim(k, j) {
                            if c.editors.is_none() {
                                self.claim(i, k, What::Skip);
                                c.editors = Some(self.field(a, b));
                                used[n] = true;
                            }
                        }
                        continue;
                    }
                    Role::EtAl => continue,
                    _ => {}
                }
            }
            let Some((a, b)) = self.trim(i, j) else { continue };
            if !(a..b).any(|k| self.kind(k) != Some(Tk::Punct)) {
                continue;
            }
            if next_editors {
                next_editors = false;
                if c.editors.is_none() {
                    c.editors = Some(self.field(a, b));
                    used[n] = true;
                    continue;
                }
            }
            // After " / " (GOST statement of responsibility): the authors, when none came first.
            if p.before == Sep::Slash && c.authors.is_empty() {
                let mut k = a;
                while let Some((end, next)) = self.author(k, false) {
                    if self.try_claim(k, end, What::Author).is_none() {
                        break;
                    }
                    let span = self.span(k, end);
                    c.authors.push(Author { name: parse_name(span.of(self.text)), span });
                    // The name may run over the piece's end ("Lenin, V. I."): the pieces it covers are its own.
                    skip_until = skip_until.max(end);
                    k = next;
                    if self.is_any(k, &[",", ";"]) {
                        k += 1;
                    }
                }
                if k > a {
                    used[n] = true;
                    continue;
                }
            }
            let collected = self.lookup(a, &[Role::Collected]).filter(|&(k, _)| k >= b).map(|(_, e)| e.value.clone());
            let next = self.next_claim(j).map(|c| c.what.clone());
            let serial_next = matches!(next, Some(What::Issue(_) | What::Date(_) | What::Volume(_)));
            // Pre-1918 and GOST areas: "Title. — Container, 1913, № 10".
            let dash_container = p.before == Sep::Dash && c.title.is_some() && !p.paren && self.next_claim(j).is_some();
            if next_container || p.before == Sep::DoubleSlash || dash_container && c.container.is_none() {
                if c.container.is_none() {
                    c.container = Some(self.field(a, b));
                    c.container_collected = collected.is_some();
                    c.container_full = collected;
                    used[n] = true;
                }
                next_container = false;
            } else if c.title.is_none() && c.container.is_none() {
                if c.authors.is_empty() && serial_next && !p.paren {
                    c.container = Some(self.field(a, b));
                } else {
                    c.title = Some(self.field(a, b));
                    title_rng = Some((a, b));
                    title_open = !p.paren;
                }
                used[n] = true;
            } else if c.container.is_none()
                && c.title.is_some()
                && !p.paren
                && matches!(next, Some(What::Issue(_) | What::Volume(_) | What::Date(_) | What::Pages(_)))
                && !matches!(p.before, Sep::Slash)
            {
                c.container = Some(self.field(a, b));
                used[n] = true;
            } else if p.paren && c.series.is_none() && (c.title.is_some() || c.container.is_some()) {
                c.series = Some(self.field(a, b));
                used[n] = true;
            }
        }
        // The claims become fields (the first of each; later ones stay unassigned).
        let claims = std::mem::take(&mut self.claims);
        let mut extra: Vec<Span> = Vec::new();
        let mut day_month = None;
        // Where the container's connector ("in:", "w:", "//") is: a volume after it is the container's, the one the
        // pages belong to ("Das Kapital, Bd. 1, in: MEW, Bd. 23").
        let container_at = c.container.as_ref().map(|f| f.span.start);
        for cl in &claims {
            let span = self.span(cl.i, cl.j);
            let taken = match &cl.what {
                What::Ref(r) => set(&mut c.reference, *r, span),
                What::Volume(v) => {
                    let later = |f: &Field<u32>| container_at.is_some_and(|a| f.span.start < a && span.start > a);
                    if c.volume.as_ref().is_some_and(later) {
                        if let Some(old) = c.volume.take() {
                            extra.push(old.span);
                        }
                    }
                    set(&mut c.volume, *v, span)
                }
                What::DayMonth(d, m) => {
                    day_month = Some((*d, *m, span));
                    true
                }
                What::Issue(v) => set(&mut c.issue, *v, span),
                What::Part(v) => set(&mut c.part, *v, span),
                What::Pages(v) => set(&mut c.pages, *v, span),
                What::Extent(v) => set(&mut c.extent, *v, span),
                What::Edition => set(&mut c.edition, span.of(self.text).to_string(), span),
                What::Date(d) => set(&mut c.date, *d, span),
                What::Place => {
                    c.places.push(Field { value: span.of(self.text).to_string(), span });
                    true
                }
                What::Publisher => set(&mut c.publisher, span.of(self.text).to_string(), span),
                // Assigned above (or not: then their text is unassigned).
                What::Quote(..) | What::Collected(_) | What::Author | What::Skip => true,
                What::Idem => {
                    c.idem = true;
                    true
                }
                What::Dead => continue,
            };
            if !taken {
                extra.push(span);
            }
        }
        if let Some((d, m, span)) = day_month {
            match c.date.as_mut() {
                Some(f) if f.value.day.is_none() => {
                    f.value.month = Some(m);
                    f.value.day = Some(d);
                    // The date field keeps the year's span; the day's stays unassigned.
                    extra.push(span);
                }
                _ => extra.push(span),
            }
        }
        // Rule of the conventions: a part or book (Ч., Кн., Book, cz.) is the numbered part cited when no volume is.
        if c.volume.is_none() {
            c.volume = c.part.take();
        }
        if c.container_collected {
            if let Some(full) = &c.container_full {
                let k = crate::title_key(full);
                if !self.tables.original_editions.contains_key(k.as_str()) {
                    c.translation = Some(k);
                }
            }
        }
        c.kind = kind_of(&c);
        c.unassigned = self.unassigned(&c, &extra);
        c
    }

    /// Everything outside the fields' spans, in maximal runs.
    fn unassigned(&self, c: &Citation, extra: &[Span]) -> Vec<Span> {
        let mut taken: Vec<Span> = c.spans().into_iter().map(|(_, s)| s).filter(|s| s.end > s.start).collect();
        taken.retain(|s| !extra.contains(s));
        taken.sort();
        let mut out = Vec::new();
        let mut at = 0;
        for s in taken {
            if s.start > at {
                out.push(Span { start: at, end: s.start });
            }
            at = at.max(s.end);
        }
        if at < self.text.len() {
            out.push(Span { start: at, end: self.text.len() });
        }
        out
    }
}

fn set<T>(slot: &mut Option<Field<T>>, value: T, span: Span) -> bool {
    if slot.is_some() {
        return false;
    }
    *slot = Some(Field { value, span });
    true
}

fn kind_of(c: &Citation) -> Kind {
    let day = c.date.as_ref().is_some_and(|d| d.value.day.is_some());
    if c.title_collected && c.container.is_none() || c.container_collected {
        return Kind::Collected;
    }
    if c.title.is_none() && c.container.is_none() && !c.authors.is_empty() && c.volume.is_some() {
        return Kind::Collected;
    }
    if c.container.is_some() {
        if day && c.volume.is_none() {
            return Kind::Newspaper;
        }
        let published = !c.places.is_empty() || c.publisher.is_some() || c.editors.is_some();
        if c.issue.is_some() || !published {
            return Kind::Article;
        }
        return Kind::Chapter;
    }
    Kind::Book
}

/// `246–7` → 247, `1021–34` → 1034: an abbreviated last page takes the first page's leading digits.
fn expand_range(first: u32, first_text: &str, last: u32, last_text: &str) -> u32 {
    if last >= first || last_text.len() >= first_text.len() {
        return last.max(first);
    }
    let head = &first_text[..first_text.len() - last_text.len()];
    format!("{head}{last_text}").parse().ok().filter(|&l| l >= first).unwrap_or(first)
}

/// The Latin numeral letters of the values (Cyrillic look-alikes read as their Latin letters).
fn vals_to_latin(vals: &[u32]) -> String {
    vals.iter()
        .map(|v| match v {
            1 => 'I',
            5 => 'V',
            10 => 'X',
            50 => 'L',
            100 => 'C',
            500 => 'D',
            _ => 'M',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_expand() {
        assert_eq!(expand_range(246, "246", 7, "7"), 247);
        assert_eq!(expand_range(1021, "1021", 34, "34"), 1034);
        assert_eq!(expand_range(246, "246", 247, "247"), 247);
        assert_eq!(expand_range(99, "99", 5, "5"), 99);
    }
}
