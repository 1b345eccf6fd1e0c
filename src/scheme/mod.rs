//! Romanization schemes: tables as data, compiled into a longest-match romanizer.
//!
//! A [`Scheme`] is one table from `tables/` (built in) or one the user loads at run time; both go through the same
//! parser, the same compiler and the same API. See `tables/README.md` for the table format.

pub(crate) mod builtin;
pub(crate) mod engine;
pub(crate) mod parse;

use std::path::Path;

use once_cell::sync::Lazy;

use engine::Matcher;
pub use engine::Ties;

use crate::Error;

/// A compiled romanization scheme.
///
/// ```
/// let alalc = bibkey::Scheme::builtin("ru-alalc")?;
/// assert_eq!(alalc.romanize("Щукин"), "Shchukin");
/// assert_eq!(alalc.romanize("ЩУКИН"), "SHCHUKIN");
/// assert_eq!(alalc.reverse("T͡Svetaeva")?, "Цветаева");
/// # Ok::<(), bibkey::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Scheme {
    def: parse::TableDef,
    origin: String,
    forward: Matcher,
    reverse: Option<Matcher>,
}

/// One rule of a scheme, as written in its table (for tools that derive data from the tables, such as the key).
#[derive(Clone, Copy, Debug)]
pub struct Rule<'a> {
    /// Lower-case Cyrillic source, one or more letters.
    pub source: &'a str,
    /// Latin target as written (may be empty: the letter is dropped).
    pub target: &'a str,
    /// True if the rule applies only in some context (word-initial, after a vowel…).
    pub conditional: bool,
    /// The 1-based line of the rule in its table.
    pub line: usize,
}

impl Scheme {
    /// Parses and compiles a table. `origin` names it in error messages (typically its path).
    ///
    /// ```
    /// let t = "@id x-demo\n@name Demo\n@standard none\n@source here\n@lang ru\nщ sch\n";
    /// let s = bibkey::Scheme::parse("demo.tbl", t)?;
    /// assert_eq!(s.romanize("Щи"), "Schи");
    /// let bad = bibkey::Scheme::parse("bad.tbl", "@id x\n@frobnicate\n").unwrap_err();
    /// assert_eq!(bad.to_string(), "bad.tbl:2: unknown directive @frobnicate");
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn parse(origin: &str, text: &str) -> Result<Scheme, Error> {
        let def = parse::parse(origin, text)?;
        Scheme::compile(origin, def, builtin_defs)
    }

    /// Compiles a parsed table: its forward matcher runs its own rules merged with those of its `@fallback` (looked
    /// up among `defs`, the built-in tables), the reverse one only its own rules.
    fn compile(
        origin: &str,
        def: parse::TableDef,
        defs: impl Fn() -> Result<&'static [(String, parse::TableDef)], Error>,
    ) -> Result<Scheme, Error> {
        let merged = resolve_fallback(origin, &def, &defs, &mut Vec::new())?;
        let forward = engine::forward(&merged, def.rules.len());
        let reverse = def.reversible.then(|| engine::reverse(&def));
        Ok(Scheme { def, origin: origin.to_string(), forward, reverse })
    }

    /// Reads, parses and compiles a table file. Invalid UTF-8 is a table error naming its line and column.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scheme, Error> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = read_table_file(path, &shown)?;
        Scheme::parse(&shown, &text)
    }

    /// A built-in scheme by id or alias (`ru-alalc`, `ru-iso9`, …). The error lists the valid ids.
    pub fn builtin(id: &str) -> Result<&'static Scheme, Error> {
        let all = builtins();
        all.iter()
            .find(|s| s.id() == id || s.aliases().iter().any(|a| a == id))
            .ok_or_else(|| Error::unknown_scheme(id, all.iter().map(|s| s.id().to_string()).collect()))
    }

    /// The scheme's id.
    pub fn id(&self) -> &str {
        &self.def.id
    }
    /// Other ids accepted for it.
    pub fn aliases(&self) -> &[String] {
        &self.def.aliases
    }
    /// Human-readable name.
    pub fn name(&self) -> &str {
        &self.def.name
    }
    /// The standard and its edition.
    pub fn standard(&self) -> &str {
        &self.def.standard
    }
    /// Where the table was written from.
    pub fn source(&self) -> &str {
        &self.def.source
    }
    /// ISO 639-1 code of the Cyrillic language the table is for (the first one, if `@lang` lists several).
    pub fn lang(&self) -> &str {
        &self.def.lang
    }
    /// Every language code `@lang` lists, in its order (one table may serve several languages: ISO 9 is the same
    /// for all of them).
    ///
    /// ```
    /// let iso9 = bibkey::Scheme::builtin("uk-iso9")?;
    /// assert_eq!(iso9.id(), "iso9");
    /// assert!(iso9.langs().iter().any(|l| l == "mk"));
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn langs(&self) -> &[String] {
        &self.def.langs
    }
    /// The id of the table named by `@fallback`, whose rules romanize the letters this table has no rule for
    /// (`None` for `@fallback none` or no directive).
    ///
    /// ```
    /// let sr = bibkey::Scheme::builtin("sr-alalc")?;
    /// assert_eq!(sr.fallback(), Some("cyrillic-alalc"));
    /// // ы is not a Serbian letter: the generic ALA-LC table romanizes it.
    /// assert_eq!(sr.romanize("ы"), "y");
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn fallback(&self) -> Option<&str> {
        self.def.fallback.as_ref().map(|(id, _)| id.as_str())
    }
    /// Where the table came from (its path, or `tables/….tbl` for built-ins).
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// True if [`reverse`](Scheme::reverse) is defined.
    pub fn is_reversible(&self) -> bool {
        self.reverse.is_some()
    }

    /// The table's own rules, in file order (not those of its fallback).
    pub fn rules(&self) -> impl Iterator<Item = Rule<'_>> {
        self.def.rules.iter().map(|r| Rule {
            source: &r.source,
            target: &r.target,
            conditional: !r.conds.is_empty(),
            line: r.line,
        })
    }

    /// Romanizes `text`. Letters the table has no rule for are romanized by its `@fallback` table; Latin, digits,
    /// punctuation and letters neither covers are copied unchanged (use [`try_romanize`](Scheme::try_romanize) to
    /// be told about a Cyrillic letter copied).
    pub fn romanize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        self.romanize_into(text, Ties::Combining, &mut out);
        out
    }

    /// Romanizes `text`, appending to `out`, with the ties written as `ties` asks. Allocates only when `text` is not
    /// in NFC.
    pub fn romanize_into(&self, text: &str, ties: Ties, out: &mut String) {
        self.forward.run(text, ties, out)
    }

    /// Romanizes `text`, or says which Cyrillic letter no rule of the table or of its fallback romanizes (and where:
    /// the byte offset in `text`, in its NFC form if it was not in NFC), instead of copying it into the Latin output.
    ///
    /// ```
    /// let t = "@id x-demo\n@name Demo\n@standard none\n@source here\n@lang ru\n@fallback none\nщ sch\n";
    /// let s = bibkey::Scheme::parse("demo.tbl", t)?;
    /// assert_eq!(s.try_romanize("Щщ")?, "Schsch");
    /// let e = s.try_romanize("Щи").unwrap_err();
    /// assert_eq!(e.to_string(), "scheme x-demo has no rule for the Cyrillic letter 'и' (U+0438) at byte 2, and no \
    ///     @fallback table");
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn try_romanize(&self, text: &str) -> Result<String, Error> {
        let out = self.romanize(text);
        // Output without Cyrillic letters proves every letter was romanized; otherwise the input is walked again
        // (a reading table's targets are Cyrillic, so Cyrillic output alone proves nothing).
        if out.chars().any(engine::is_cyrillic_letter) {
            let nfc: std::borrow::Cow<'_, str> = if unicode_normalization::is_nfc(text) {
                text.into()
            } else {
                unicode_normalization::UnicodeNormalization::nfc(text).collect::<String>().into()
            };
            if let Some((offset, letter)) = self.forward.first_unmapped(&nfc) {
                return Err(Error::unmapped(self.id(), letter, offset, self.fallback()));
            }
        }
        Ok(out)
    }

    /// Latin → Cyrillic, for schemes whose table is one-to-one (`ru-alalc`, `ru-iso9`, `ru-scholarly`). Ties may be
    /// U+0361 or U+FE20/U+FE21.
    ///
    /// One-to-one means that no two letters share a romanization, so every letter comes back as itself. It does
    /// not make every *text* come back: where the romanizations of two letters spell a third's, the reverse reads
    /// the longest match, the third letter, as the standards' tables do (they have no separator for such pairs).
    /// The text it gives always has the same romanization. The pairs in the built-in tables: ALA-LC Russian шч
    /// (`shch`, read щ); the scholarly tables' й + а, е, і, у (`ja`, `je`, `ji`, `ju`: я, є, ї, ю) and шч (`šč`);
    /// Bulgarian scholarly шт (`št`: щ); Serbian and Macedonian дж (`dž`: џ), дз (`dz`: ѕ), лј (`lj`: љ) and нј
    /// (`nj`: њ).
    ///
    /// ```
    /// let alalc = bibkey::Scheme::builtin("ru-alalc")?;
    /// assert_eq!(alalc.romanize("веснушчатый"), "vesnushchatyĭ");
    /// assert_eq!(alalc.reverse("vesnushchatyĭ")?, "веснущатый"); // ш + ч read as щ
    /// assert_eq!(alalc.romanize("веснущатый"), "vesnushchatyĭ");
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn reverse(&self, text: &str) -> Result<String, Error> {
        let m = self.reverse.as_ref().ok_or_else(|| Error::not_reversible(self.id()))?;
        let mut out = String::with_capacity(text.len());
        m.run(&engine::unify_ties(text), Ties::Combining, &mut out);
        Ok(out)
    }
}

/// The text of a table file (a scheme, or a list such as the given names): an I/O error names the file (`shown`),
/// invalid UTF-8 is a table error at its line, with the 1-based column and the byte, as the other table errors are,
/// rather than the standard library's message without a place.
pub(crate) fn read_table_file(path: &Path, shown: &str) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(shown, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let line_start = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        Error::table(shown, line, format!("invalid UTF-8 at column {} (byte 0x{:02X})", at - line_start + 1, bytes[at]))
    })
}

/// The built-in tables parsed, before their fallbacks are merged: the tables a `@fallback` may name.
static BUILTIN_DEFS: Lazy<Result<Vec<(String, parse::TableDef)>, Error>> = Lazy::new(|| {
    builtin::TABLES
        .iter()
        .map(|(file, text)| {
            let origin = format!("tables/{file}");
            parse::parse(&origin, text).map(|d| (origin, d))
        })
        .collect()
});

fn builtin_defs() -> Result<&'static [(String, parse::TableDef)], Error> {
    BUILTIN_DEFS.as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

/// `def` merged with its `@fallback` table, itself merged with its own fallback first. `seen` holds the ids on the
/// way, to reject a cycle.
fn resolve_fallback(
    origin: &str,
    def: &parse::TableDef,
    defs: &dyn Fn() -> Result<&'static [(String, parse::TableDef)], Error>,
    seen: &mut Vec<String>,
) -> Result<parse::TableDef, Error> {
    let Some((id, line)) = &def.fallback else { return Ok(def.clone()) };
    let all = defs()?;
    let Some((fb_origin, fb)) = all.iter().find(|(_, d)| d.id == *id || d.aliases.contains(id)) else {
        let ids: Vec<&str> = all.iter().map(|(_, d)| d.id.as_str()).collect();
        return Err(Error::table(
            origin,
            *line,
            format!("unknown fallback scheme {id:?}: @fallback takes none or a built-in id ({})", ids.join(", ")),
        ));
    };
    seen.push(def.id.clone());
    if seen.contains(&fb.id) {
        return Err(Error::table(
            origin,
            *line,
            format!("@fallback {id} makes a cycle: {} → {}", seen.join(" → "), fb.id),
        ));
    }
    let fb = resolve_fallback(fb_origin, fb, defs, seen)?;
    Ok(parse::with_fallback(def, &fb))
}

static BUILTINS: Lazy<Result<Vec<Scheme>, Error>> = Lazy::new(|| {
    builtin_defs()?.iter().map(|(origin, def)| Scheme::compile(origin, def.clone(), builtin_defs)).collect()
});

/// All built-in schemes, compiled on first use.
///
/// Infallible: the tables are part of the crate, not input, and the crate's tests compile every one of them
/// (`tests/tables.rs`), so no caller has an error to handle.
///
/// # Panics
///
/// Never for a released crate. Were a built-in table broken (a bug in bibkey, caught by its tests before any
/// release), the first call panics with the table's file, line and reason rather than hand every caller an error
/// that no input of theirs caused or could fix.
pub fn builtins() -> &'static [Scheme] {
    match BUILTINS.as_ref() {
        Ok(all) => all,
        Err(e) => panic!("bibkey's built-in tables do not compile: {e}"),
    }
}

/// Romanizes `text` with the built-in scheme `id`. Letters the scheme lacks are romanized by its fallback table
/// (the generic ALA-LC Cyrillic table for the built-in ones); a Cyrillic letter that neither covers is an error, not
/// copied (see [`Scheme::try_romanize`]).
///
/// ```
/// assert_eq!(bibkey::romanize("Пролетарская революция", "ru-bgn-pcgn")?, "Proletarskaya revolyutsiya");
/// # Ok::<(), bibkey::Error>(())
/// ```
pub fn romanize(text: &str, id: &str) -> Result<String, Error> {
    Scheme::builtin(id)?.try_romanize(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(id: &str, fallback: &str) -> String {
        format!("@id {id}\n@name n\n@standard s\n@source s\n@lang ru\n@fallback {fallback}\nа a\n")
    }

    #[test]
    fn a_fallback_cycle_is_an_error_naming_the_line() {
        // Two tables that name each other (built-ins cannot, as their tests show; the check guards the mechanism).
        let defs: &'static [(String, parse::TableDef)] = Box::leak(
            vec![
                ("a.tbl".to_string(), parse::parse("a.tbl", &table("a", "b")).unwrap()),
                ("b.tbl".to_string(), parse::parse("b.tbl", &table("b", "a")).unwrap()),
            ]
            .into_boxed_slice(),
        );
        let user = parse::parse("u.tbl", &table("u", "a")).unwrap();
        let e = Scheme::compile("u.tbl", user, || Ok(defs)).unwrap_err();
        assert_eq!(e.to_string(), "b.tbl:6: @fallback a makes a cycle: u → a → b → a");
        let own = parse::parse("c.tbl", &table("c", "c")).unwrap();
        let defs2: &'static [(String, parse::TableDef)] = Box::leak(vec![("c.tbl".to_string(), own.clone())].into());
        assert!(Scheme::compile("c.tbl", own, || Ok(defs2)).unwrap_err().to_string().contains("cycle"));
    }
}
