//! Deterministic synthetic catalog records and damaged queries, for benchmarking fuzzy matching.
//!
//! Everything comes from the crate's own data: the vocabulary is the Cyrillic column of
//! tests/data/eval/items.tsv (words and real journal/book titles for titles; surnames, given names, patronymics and
//! full names for people) and the romanizations are the crate's built-in schemes. No downloads, no dependencies
//! beyond the crate's own, and a SplitMix64 generator written here, so a seed gives the same data on every machine.
//!
//! * A *work* is a Cyrillic title (2–7 words, first word capitalized, sometimes a subtitle after ` : ` or a volume
//!   `. Т. 3`; one in twenty is a real title from items.tsv, always with a subtitle) and 0–2 people. Its id
//!   ([`SynthRecord::work`]) is a 64-bit number that is also the seed its text is drawn from, so the text can be
//!   rebuilt from the id alone. Different works can share a title (short ones do); identical title and names for
//!   two works is rare (2 pairs among the Cyrillic records of a million).
//! * A *record* is one rendering of a work in one of [`FORMS`] (Cyrillic as is, or one of ten romanization
//!   schemes; ALA-LC sometimes with the MARC-8 tie halves), with the names written `Фамилия, Имя Отчество`,
//!   `Фамилия И. О.` or `И. О. Фамилия`. About [`DUPLICATE_PERCENT`]% of records render an earlier work (drawn
//!   uniformly from the works so far) again, each time in a form that work has not been written in yet (while one
//!   is left), so recall can be measured: records with equal `work` are the same item. Records are undamaged.
//! * A *query* ([`Synth::queries`]) takes a record, renders its work in another form and damages it (see
//!   [`damage`]); it knows the work it should find and always differs from the record's text.
//!
//! Record ids are the index in the output (`records[id]`); `records(n, seed)` is a prefix of `records(m, seed)`
//! for n ≤ m. Speed: about 3 s per million records in release on a 2-core machine, most of it in the crate's
//! romanizer (schemes compiled once, one reused buffer per field); [`Synth::each_record`] streams them without
//! keeping them (20 MB for a million, against about 250 MB collected).
//!
//! Included by path (`#[path = "common/synth.rs"] mod synth;`) from benches, examples/synth.rs and tests/synth.rs.

// Each including crate uses a different part of the module.
#![allow(dead_code)]

use bibkey::{Scheme, Ties};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

// Relative to this file, so that the tests (root crate) and the benches crate both find it.
const ITEMS: &str = include_str!("../../tests/data/eval/items.tsv");

/// The forms a record or query is written in: the Cyrillic as is, or a built-in scheme id.
pub const FORMS: [&str; 11] = [
    "cyrillic",
    "ru-alalc",
    "ru-alalc-ascii",
    "ru-bgn-pcgn",
    "ru-iso9",
    "ru-gost-b",
    "ru-scholarly",
    "ru-icao",
    "ru-popular",
    "ru-de",
    "ru-fr",
];
/// Relative frequency of each of [`FORMS`]: Cyrillic 4/15, ALA-LC 3/15, every other scheme 1/15.
const FORM_WEIGHTS: [u32; 11] = [4, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1];

/// The damage labels a query can carry ([`SynthQuery::damage`]). `none` is the clean rendering in another form;
/// `x+typo` means damage `x` left the text equal to the source record's, so a typo was added.
pub const DAMAGES: [&str; 9] =
    ["none", "typo", "ocr", "truncate", "caps", "ocr+typo", "truncate+typo", "caps+typo", "typo+typo"];
/// Relative frequency of the first five [`DAMAGES`] in queries.
const DAMAGE_WEIGHTS: [u32; 5] = [10, 35, 20, 15, 20];

/// Share of records that render the work of an earlier record again.
pub const DUPLICATE_PERCENT: u32 = 20;

/// One catalog record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthRecord {
    /// Index of the record in the output.
    pub id: u64,
    /// The work it renders (equal for all records of the same work). Also the seed of the work's Cyrillic text.
    pub work: u64,
    /// The form it is written in, one of [`FORMS`].
    pub form: &'static str,
    /// Title, never empty. No tabs or newlines.
    pub title: String,
    /// 0–2 personal names. No tabs, newlines or `;`.
    pub names: Vec<String>,
}

/// One query: a work rendered in a form other than its source record's, then damaged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SynthQuery {
    /// Title, never empty.
    pub title: String,
    /// 0–2 personal names (as many as the work has).
    pub names: Vec<String>,
    /// The work a matcher should find.
    pub work: u64,
    /// Id of the record the query was made from (its `work` is `work`; its text differs from the query's).
    pub record: u64,
    /// The form the query is written in, one of [`FORMS`] and never the source record's.
    pub form: &'static str,
    /// The damage done, one of [`DAMAGES`].
    pub damage: &'static str,
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and good enough for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.below(100) < percent as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn pick_copy<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// An index into `weights`, drawn in proportion to them.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }
}

/// One person, in Cyrillic.
#[derive(Clone, Copy, Debug)]
struct Person {
    surname: &'static str,
    given: &'static str,
    patronymic: &'static str,
}

/// The Cyrillic text of one work, and the name style it was first catalogued with.
#[derive(Default)]
struct WorkText {
    title: String,
    persons: Vec<Person>,
    style: usize,
}

/// Name styles: 0 `Фамилия, Имя Отчество`, 1 `Фамилия И. О.`, 2 `И. О. Фамилия`.
const NAME_STYLES: usize = 3;

/// Short words put between title words now and then, as real titles have them.
const FUNCTION_WORDS: [&str; 10] = ["и", "в", "о", "на", "по", "с", "к", "из", "для", "об"];

/// The vocabulary and the compiled schemes. Build it once; generating borrows it.
pub struct Synth {
    /// Lower-case title words (acronyms and proper nouns from real titles keep their case).
    words: Vec<String>,
    /// Real titles of 2–7 words.
    titles: Vec<&'static str>,
    /// By gender: 0 male, 1 female. Surnames with no gendered ending are in both.
    surnames: [Vec<&'static str>; 2],
    given: [Vec<&'static str>; 2],
    patronymics: [Vec<&'static str>; 2],
    /// Consistent triples from the `fullname` rows.
    fullnames: Vec<Person>,
    /// Per form: `None` for Cyrillic, else the scheme.
    schemes: Vec<Option<&'static Scheme>>,
}

impl Default for Synth {
    fn default() -> Self {
        Synth::new()
    }
}

impl Synth {
    /// Reads the vocabulary from items.tsv and compiles the schemes. Panics if a built-in scheme is missing.
    pub fn new() -> Synth {
        let mut words = Vec::new();
        let mut titles = Vec::new();
        let mut surnames = [Vec::new(), Vec::new()];
        let mut given = [Vec::new(), Vec::new()];
        let mut patronymics = [Vec::new(), Vec::new()];
        let mut fullnames = Vec::new();
        for line in ITEMS.lines().skip(1) {
            let mut cells = line.split('\t');
            let (Some(category), Some(cyr)) = (cells.next(), cells.next()) else { continue };
            match category {
                "word" => words.push(cyr.to_string()),
                "title" => {
                    let n = cyr.split_whitespace().count();
                    if (2..=7).contains(&n) {
                        titles.push(cyr);
                    }
                    for (i, token) in cyr.split_whitespace().enumerate() {
                        let token = token.trim_matches(|c: char| !c.is_alphabetic());
                        if token.is_empty() || !token.chars().all(|c| is_cyrillic(c) || c == '-') {
                            continue;
                        }
                        let acronym = token.chars().count() > 1 && token.chars().all(|c| !c.is_lowercase());
                        words.push(if i == 0 && !acronym { token.to_lowercase() } else { token.to_string() });
                    }
                }
                "surname" => match surname_gender(cyr) {
                    Some(g) => surnames[g].push(cyr),
                    None => {
                        surnames[0].push(cyr);
                        surnames[1].push(cyr);
                    }
                },
                "given" => given[given_gender(cyr)].push(cyr),
                "patronymic" => patronymics[patronymic_gender(cyr)].push(cyr),
                "fullname" => {
                    let parts: Vec<&str> = cyr.split(' ').collect();
                    if let [g, p, s] = parts[..] {
                        fullnames.push(Person { surname: s, given: g, patronymic: p });
                    }
                }
                _ => {}
            }
        }
        words.sort();
        words.dedup();
        let schemes = FORMS
            .iter()
            .map(|&id| {
                (id != "cyrillic").then(|| Scheme::builtin(id).unwrap_or_else(|e| panic!("built-in scheme {id}: {e}")))
            })
            .collect();
        let synth = Synth { words, titles, surnames, given, patronymics, fullnames, schemes };
        for pool in [&synth.surnames, &synth.given, &synth.patronymics] {
            assert!(pool.iter().all(|p| !p.is_empty()), "items.tsv lacks a name category");
        }
        assert!(!synth.words.is_empty() && !synth.titles.is_empty() && !synth.fullnames.is_empty());
        synth
    }

    /// `n` records from `seed`, collected (see [`each_record`](Synth::each_record) to stream them).
    pub fn records(&self, n: usize, seed: u64) -> Vec<SynthRecord> {
        let mut out = Vec::with_capacity(n);
        self.each_record(n, seed, |r| out.push(r.clone()));
        out
    }

    /// Calls `f` with each of `n` records from `seed`, in id order. The record is one reused buffer: clone what you
    /// keep.
    pub fn each_record(&self, n: usize, seed: u64, mut f: impl FnMut(&SynthRecord)) {
        let mut rng = Rng::new(seed ^ 0x5245_434F_5244_5321); // "RECORDS!"
                                                              // Per work so far: its id, the forms it has been written in (a bit set) and its first form. A repeat picks
                                                              // a work, not a record, uniformly, so a work's renderings stay few (picking records would let early works
                                                              // snowball).
        struct Seen {
            work: u64,
            forms: u16,
            first: u8,
        }
        let mut seen: Vec<Seen> = Vec::with_capacity(n);
        let mut text = WorkText::default();
        let mut scratch = String::new();
        let mut rec = SynthRecord { id: 0, work: 0, form: FORMS[0], title: String::new(), names: Vec::new() };
        for i in 0..n {
            let (work, form, restyle);
            if i > 0 && rng.chance(DUPLICATE_PERCENT) {
                let w = rng.below(seen.len());
                let s = &mut seen[w];
                let avoid = if s.forms.count_ones() as usize == FORMS.len() { 1 << s.first } else { s.forms };
                form = self.pick_form(&mut rng, avoid);
                s.forms |= 1 << form;
                work = s.work;
                restyle = rng.chance(25).then(|| rng.below(NAME_STYLES));
            } else {
                work = rng.next_u64();
                form = rng.weighted(&FORM_WEIGHTS);
                seen.push(Seen { work, forms: 1 << form, first: form as u8 });
                restyle = None;
            }
            let ties = if rng.chance(33) { Ties::Marc8Halves } else { Ties::Combining };
            self.work_text(work, &mut text);
            let style = restyle.unwrap_or(text.style);
            self.render(&text, form, style, ties, &mut rec.title, &mut rec.names, &mut scratch);
            rec.id = i as u64;
            rec.work = work;
            rec.form = FORMS[form];
            f(&rec);
        }
    }

    /// `n` queries from `records` (which must come from this module): each takes a random record, renders its work
    /// in another form (names in the record's style three times in four) and damages it. Deterministic in `seed`.
    pub fn queries(&self, records: &[SynthRecord], n: usize, seed: u64) -> Vec<SynthQuery> {
        assert!(!records.is_empty() || n == 0, "queries need records");
        let mut rng = Rng::new(seed ^ 0x5155_4552_4945_5321); // "QUERIES!"
        let mut text = WorkText::default();
        let mut scratch = String::new();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let rec = rng.pick(records);
            let rec_form = FORMS.iter().position(|&f| f == rec.form).expect("record form is one of FORMS");
            let form = self.pick_form(&mut rng, 1 << rec_form);
            self.work_text(rec.work, &mut text);
            let style = if rng.chance(25) { rng.below(NAME_STYLES) } else { record_style(rec, &text) };
            let ties = if rng.chance(33) { Ties::Marc8Halves } else { Ties::Combining };
            let (mut title, mut names) = (String::new(), Vec::new());
            self.render(&text, form, style, ties, &mut title, &mut names, &mut scratch);
            let kind = DAMAGES[rng.weighted(&DAMAGE_WEIGHTS)];
            let mut done = damage(&mut title, &mut names, kind, &mut rng);
            // Another form can spell some texts the same way, and some damage can leave the text as it was.
            while title == rec.title && names == rec.names {
                typo(&mut title, &mut rng);
                done = match done {
                    "none" => "typo",
                    "ocr" => "ocr+typo",
                    "truncate" => "truncate+typo",
                    "caps" => "caps+typo",
                    _ => "typo+typo",
                };
            }
            out.push(SynthQuery { title, names, work: rec.work, record: rec.id, form: FORMS[form], damage: done });
        }
        out
    }

    /// The Cyrillic text of `work` (the work id is its seed).
    fn work_text(&self, work: u64, out: &mut WorkText) {
        let mut rng = Rng::new(work);
        out.title.clear();
        // A real title (5%) always gets a subtitle of 2–4 words: there are only a few hundred of them.
        let real = rng.chance(5);
        if real {
            out.title.push_str(rng.pick_copy(&self.titles));
        } else {
            let n = 2 + rng.weighted(&[15, 25, 25, 15, 10, 10]);
            self.push_words(&mut rng, n, true, &mut out.title);
        }
        if real || rng.chance(20) {
            out.title.push_str(" : ");
            let n = if real { 2 + rng.below(3) } else { 1 + rng.below(4) };
            self.push_words(&mut rng, n, false, &mut out.title);
        }
        if rng.chance(10) {
            let ends_in_stop = out.title.ends_with(['.', '?', '!']);
            out.title.push_str(if ends_in_stop { " Т. " } else { ". Т. " });
            push_number(&mut out.title, 1 + rng.below(12));
        }
        out.persons.clear();
        for _ in 0..rng.weighted(&[25, 55, 20]) {
            let person = if rng.chance(30) {
                *rng.pick(&self.fullnames)
            } else {
                let g = rng.below(2);
                Person {
                    surname: rng.pick_copy(&self.surnames[g]),
                    given: rng.pick_copy(&self.given[g]),
                    patronymic: rng.pick_copy(&self.patronymics[g]),
                }
            };
            out.persons.push(person);
        }
        out.style = rng.below(NAME_STYLES);
    }

    /// Appends `n` words separated by spaces; an inner word is a function word 15% of the time.
    fn push_words(&self, rng: &mut Rng, n: usize, capitalize: bool, out: &mut String) {
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            let word = if i > 0 && i + 1 < n && rng.chance(15) {
                *rng.pick(&FUNCTION_WORDS)
            } else {
                rng.pick(&self.words).as_str()
            };
            if i == 0 && capitalize {
                let mut chars = word.chars();
                if let Some(c) = chars.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push_str(word);
            }
        }
    }

    /// A form drawn by [`FORM_WEIGHTS`] outside the bit set `avoid` (which must leave one out).
    fn pick_form(&self, rng: &mut Rng, avoid: u16) -> usize {
        let mut weights = FORM_WEIGHTS;
        for (i, w) in weights.iter_mut().enumerate() {
            if avoid & (1 << i) != 0 {
                *w = 0;
            }
        }
        rng.weighted(&weights)
    }

    /// Writes `text` in `form`, names in `style`, into `title` and `names` (both overwritten, buffers reused).
    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        text: &WorkText,
        form: usize,
        style: usize,
        ties: Ties,
        title: &mut String,
        names: &mut Vec<String>,
        scratch: &mut String,
    ) {
        let scheme = self.schemes[form];
        let write = |src: &str, out: &mut String| {
            out.clear();
            match scheme {
                Some(s) => s.romanize_into(src, ties, out),
                None => out.push_str(src),
            }
        };
        write(&text.title, title);
        names.resize_with(text.persons.len(), String::new);
        for (p, out) in text.persons.iter().zip(names.iter_mut()) {
            scratch.clear();
            write_name(p, style, scratch);
            write(scratch, out);
        }
    }
}

/// The name style a record used, recovered from its first name (the work's own style if it has no names).
fn record_style(rec: &SynthRecord, text: &WorkText) -> usize {
    match rec.names.first() {
        None => text.style,
        Some(n) if n.contains(',') => 0,
        Some(n) if n.ends_with('.') => 1,
        Some(_) => 2,
    }
}

fn write_name(p: &Person, style: usize, out: &mut String) {
    let initials = |out: &mut String| {
        for part in [p.given, p.patronymic] {
            out.extend(part.chars().next());
            out.push('.');
            out.push(' ');
        }
        out.pop();
    };
    match style {
        0 => {
            out.push_str(p.surname);
            out.push_str(", ");
            out.push_str(p.given);
            out.push(' ');
            out.push_str(p.patronymic);
        }
        1 => {
            out.push_str(p.surname);
            out.push(' ');
            initials(out);
        }
        _ => {
            initials(out);
            out.push(' ');
            out.push_str(p.surname);
        }
    }
}

fn push_number(out: &mut String, n: usize) {
    use std::fmt::Write;
    let _ = write!(out, "{n}");
}

fn is_cyrillic(c: char) -> bool {
    ('\u{400}'..='\u{4FF}').contains(&c)
}

/// 1 for a female patronymic (-вна, -чна, -ична), else 0.
fn patronymic_gender(p: &str) -> usize {
    p.ends_with("на") as usize
}

/// 1 for a female given name (ending in а, я or a few in ь), else 0. Male names in -а/-я are listed.
fn given_gender(g: &str) -> usize {
    const MALE_A: [&str; 12] =
        ["Никита", "Илья", "Савва", "Фома", "Кузьма", "Лука", "Данила", "Гаврила", "Иона", "Емеля", "Фока", "Мина"];
    const FEMALE_SOFT: [&str; 6] = ["Любовь", "Нинель", "Юдифь", "Эсфирь", "Руфь", "Есфирь"];
    let female = (g.ends_with(['а', 'я']) && !MALE_A.contains(&g)) || FEMALE_SOFT.contains(&g);
    female as usize
}

/// The gender a surname's ending marks, or `None` (Шевченко, Черных, Гайдар…).
fn surname_gender(s: &str) -> Option<usize> {
    const FEMALE: [&str; 6] = ["ова", "ева", "ёва", "ина", "ына", "ая"];
    const MALE: [&str; 8] = ["ов", "ев", "ёв", "ин", "ын", "ий", "ый", "ой"];
    if FEMALE.iter().any(|e| s.ends_with(e)) {
        Some(1)
    } else if MALE.iter().any(|e| s.ends_with(e)) {
        Some(0)
    } else {
        None
    }
}

/// Damages a rendered title and names in the way `kind` (one of the first five [`DAMAGES`]) names, and returns the
/// kind actually done: a damage that finds nothing to change falls back to a typo and returns `"typo"`.
///
/// * `typo`: 1–3 edits (delete, insert, substitute or transpose a letter), in the title or, one time in four, a name.
/// * `ocr`: some of: a space after an apostrophe (`Bolʹ sheviki`), apostrophes swapped (’ ' ʹ ʼ, ʺ " ”), diacritics
///   and ties dropped, Latin look-alikes for Cyrillic letters; if none applied, one OCR letter confusion.
/// * `truncate`: the last 1–2 words of the title dropped (a volume number goes with the word before it).
/// * `caps`: the title, and half the time the names, in capitals.
pub fn damage(title: &mut String, names: &mut [String], kind: &str, rng: &mut Rng) -> &'static str {
    match kind {
        "none" => "none",
        "typo" => {
            for _ in 0..1 + rng.below(3) {
                match names.len() {
                    n if n > 0 && rng.chance(25) => typo(&mut names[rng.below(n)], rng),
                    _ => typo(title, rng),
                }
            }
            "typo"
        }
        "ocr" => {
            let before = (title.clone(), names.to_vec());
            let ops = [rng.chance(50), rng.chance(50), rng.chance(40), rng.chance(40)];
            for s in std::iter::once(&mut *title).chain(names.iter_mut()) {
                ocr(s, ops, rng);
            }
            if *title == before.0 && names == before.1.as_slice() {
                ocr_confusion(title, rng);
            }
            if *title == before.0 && names == before.1.as_slice() {
                typo(title, rng);
                return "typo";
            }
            "ocr"
        }
        "truncate" => {
            if truncate(title, 1 + rng.below(2)) {
                "truncate"
            } else {
                typo(title, rng);
                "typo"
            }
        }
        "caps" => {
            let before = title.clone();
            *title = title.to_uppercase();
            if rng.chance(50) {
                for n in names.iter_mut() {
                    *n = n.to_uppercase();
                }
            }
            if *title == before {
                typo(title, rng);
                return "typo";
            }
            "caps"
        }
        _ => panic!("unknown damage {kind:?}"),
    }
}

const CYRILLIC_LOWER: &[char] = &[
    'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'й', 'к', 'л', 'м', 'н', 'о', 'п', 'р', 'с', 'т', 'у', 'ф', 'х', 'ц',
    'ч', 'ш', 'щ', 'ъ', 'ы', 'ь', 'э', 'ю', 'я',
];

/// A random letter of the script and case of `like`.
fn random_letter(like: char, rng: &mut Rng) -> char {
    let c = if is_cyrillic(like) { *rng.pick(CYRILLIC_LOWER) } else { (b'a' + rng.below(26) as u8) as char };
    if like.is_uppercase() {
        c.to_uppercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// One edit of a letter: delete, insert, substitute or transpose. Always changes a string that has a letter.
fn typo(s: &mut String, rng: &mut Rng) {
    let mut chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (0..chars.len()).filter(|&i| chars[i].is_alphabetic()).collect();
    if letters.is_empty() {
        s.push('x');
        return;
    }
    let p = *rng.pick(&letters);
    let c = chars[p];
    let substitute = |chars: &mut Vec<char>, rng: &mut Rng| loop {
        let r = random_letter(c, rng);
        if r != c {
            chars[p] = r;
            break;
        }
    };
    match rng.below(4) {
        0 if letters.len() > 1 => {
            chars.remove(p);
        }
        1 => chars.insert(p + rng.below(2), random_letter(c, rng)),
        3 if p + 1 < chars.len() && chars[p + 1].is_alphabetic() && chars[p + 1] != c => chars.swap(p, p + 1),
        _ => substitute(&mut chars, rng),
    }
    *s = chars.into_iter().collect();
}

const SOFT_MARKS: [char; 4] = ['\'', '’', 'ʹ', 'ʼ'];
const HARD_MARKS: [char; 3] = ['ʺ', '"', '”'];
/// Cyrillic letters and the Latin letters OCR and mixed keyboards put in their place.
const HOMOGLYPHS: [(char, char); 17] = [
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
];

/// OCR-style damage; `ops` = [space after apostrophes, swap apostrophes, drop diacritics, Latin look-alikes].
fn ocr(s: &mut String, ops: [bool; 4], rng: &mut Rng) {
    let mut out = String::with_capacity(s.len() + 4);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let soft = SOFT_MARKS.contains(&c);
        let hard = HARD_MARKS.contains(&c);
        if ops[1] && soft {
            out.push(*rng.pick(&SOFT_MARKS));
        } else if ops[1] && hard {
            out.push(*rng.pick(&HARD_MARKS));
        } else if let Some(&(_, latin)) =
            HOMOGLYPHS.iter().find(|(cyr, _)| *cyr == c).filter(|_| ops[3] && rng.chance(30))
        {
            out.push(latin);
        } else {
            out.push(c);
        }
        if ops[0] && (soft || hard) && chars.peek().is_some_and(|n| n.is_alphabetic()) {
            out.push(' ');
        }
    }
    if ops[2] {
        out = out.nfd().filter(|&c| !is_combining_mark(c)).nfc().collect();
    }
    *s = out;
}

/// One OCR letter confusion (rn↔m, l→1, e→c, u→n; Cyrillic: a Latin look-alike, и→н, ш→щ).
fn ocr_confusion(s: &mut String, rng: &mut Rng) {
    const PAIRS: [(&str, &str); 10] = [
        ("rn", "m"),
        ("m", "rn"),
        ("l", "1"),
        ("e", "c"),
        ("u", "n"),
        ("о", "o"),
        ("а", "a"),
        ("е", "e"),
        ("и", "н"),
        ("ш", "щ"),
    ];
    let start = rng.below(PAIRS.len());
    for k in 0..PAIRS.len() {
        let (from, to) = PAIRS[(start + k) % PAIRS.len()];
        let hits: Vec<usize> = s.match_indices(from).map(|(i, _)| i).collect();
        if !hits.is_empty() {
            let at = *rng.pick(&hits);
            s.replace_range(at..at + from.len(), to);
            return;
        }
    }
}

/// Drops the last `k` words of a title (words of two or more letters; a volume `T. 3` goes along with the word
/// before it) and the punctuation left at the end. False (and `s` unchanged) if that would leave no word.
fn truncate(s: &mut String, k: usize) -> bool {
    let is_word = |t: &str| t.chars().filter(|c| c.is_alphabetic()).count() >= 2;
    let tokens: Vec<&str> = s.split(' ').collect();
    let words = tokens.iter().filter(|t| is_word(t)).count();
    let k = k.min(words.saturating_sub(1));
    if k == 0 {
        return false;
    }
    let mut keep = tokens.len();
    let mut dropped = 0;
    while dropped < k {
        keep -= 1;
        dropped += is_word(tokens[keep]) as usize;
    }
    let cut: usize = tokens[..keep].iter().map(|t| t.len() + 1).sum::<usize>().saturating_sub(1);
    s.truncate(cut);
    let trimmed = s.trim_end_matches([' ', '.', ',', ':', ';', '-']).len();
    s.truncate(trimmed);
    true
}
