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
        let forward = engine::forward(&def);
        let reverse = def.reversible.then(|| engine::reverse(&def));
        Ok(Scheme { def, origin: origin.to_string(), forward, reverse })
    }

    /// Reads, parses and compiles a table file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Scheme, Error> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&shown, &e))?;
        Scheme::parse(&shown, &text)
    }

    /// A built-in scheme by id or alias (`ru-alalc`, `ru-iso9`, …). The error lists the valid ids.
    pub fn builtin(id: &str) -> Result<&'static Scheme, Error> {
        let all = builtins()?;
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
    /// ISO 639-1 code of the Cyrillic language the table is for.
    pub fn lang(&self) -> &str {
        &self.def.lang
    }
    /// Where the table came from (its path, or `tables/….tbl` for built-ins).
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// True if [`reverse`](Scheme::reverse) is defined.
    pub fn is_reversible(&self) -> bool {
        self.reverse.is_some()
    }

    /// The rules, in file order.
    pub fn rules(&self) -> impl Iterator<Item = Rule<'_>> {
        self.def.rules.iter().map(|r| Rule {
            source: &r.source,
            target: &r.target,
            conditional: !r.conds.is_empty(),
            line: r.line,
        })
    }

    /// Romanizes `text`. Latin, digits, punctuation and letters the table does not cover are copied unchanged.
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

    /// Latin → Cyrillic, for schemes whose table is one-to-one (`ru-alalc`, `ru-iso9`, `ru-scholarly`). Ties may be
    /// U+0361 or U+FE20/U+FE21.
    pub fn reverse(&self, text: &str) -> Result<String, Error> {
        let m = self.reverse.as_ref().ok_or_else(|| Error::not_reversible(self.id()))?;
        let mut out = String::with_capacity(text.len());
        m.run(&engine::unify_ties(text), Ties::Combining, &mut out);
        Ok(out)
    }
}

static BUILTINS: Lazy<Result<Vec<Scheme>, Error>> =
    Lazy::new(|| builtin::TABLES.iter().map(|(file, text)| Scheme::parse(&format!("tables/{file}"), text)).collect());

/// All built-in schemes, compiled on first use.
pub fn builtins() -> Result<&'static [Scheme], Error> {
    BUILTINS.as_ref().map(Vec::as_slice).map_err(Clone::clone)
}

/// Romanizes `text` with the built-in scheme `id`.
///
/// ```
/// assert_eq!(bibkey::romanize("Пролетарская революция", "ru-bgn-pcgn")?, "Proletarskaya revolyutsiya");
/// # Ok::<(), bibkey::Error>(())
/// ```
pub fn romanize(text: &str, id: &str) -> Result<String, Error> {
    Ok(Scheme::builtin(id)?.romanize(text))
}
