//! Readings: the key of a text read under a foreign convention, for the spellings one key cannot hold.
//!
//! The key reads Latin the way the strict schemes and English write it: `ch` is ч, `j` is й, `s` is с, `z` is з.
//! German, Polish and Czech write х as `ch`, French writes ш as `ch` and ж as `j`, Spanish writes х as `j`, German
//! writes ц as `z`. A key is one string, so it cannot also read them that way without breaking the strict schemes
//! (DESIGN.md, "What the key does not do"). A *reading* can: [`readings`] gives the text's key and, for each
//! convention, the key of the text read back into Cyrillic with that convention's table (`tables/readings/*.tbl`,
//! reviewable data like the romanization tables; [`readings_with`] takes your own). Two texts may be the same when
//! their readings share a key: `Tschechow` has the reading `cehov`, which is the key of Чехов.
//!
//! ```
//! use bibkey::key::{key, readings};
//!
//! assert_ne!(key("Tschechow"), key("Чехов"));
//! assert!(readings("Tschechow").contains(&key("Чехов")));
//! assert!(readings("Chruščov").contains(&key("Хрущёв")));      // Czech
//! assert!(readings("Pouchkine").contains(&key("Пушкин")));     // French
//! assert!(readings("Bujarin").contains(&key("Бухарин")));      // Spanish
//! // The key itself comes first; Cyrillic text has no other reading.
//! assert_eq!(readings("Чехов"), vec![key("Чехов")]);
//! assert_eq!(readings("Chekhov")[0], key("Chekhov"));
//! ```
//!
//! Readings trade precision for recall: each extra reading is another key the text may meet by accident.
//! ACCURACY.md measures both sides (how many real-world spellings a reading brings to their cluster, and how many
//! third-party romanizations get a reading that is the key of a different item).

use once_cell::sync::Lazy;

use super::{key, Key};
use crate::scheme::builtin::READING_TABLES;
use crate::{Error, Scheme};

static BUILTIN: Lazy<Result<Vec<Scheme>, Error>> = Lazy::new(|| {
    READING_TABLES.iter().map(|(file, text)| Scheme::parse(&format!("tables/readings/{file}"), text)).collect()
});

/// The built-in reading tables (German twice: `sch` and `s` as ш and с, then as ж and з; Polish, Czech, French,
/// Spanish), compiled on first use.
///
/// Infallible for the reason [`builtins`](crate::builtins) is: the tables are part of the crate and its tests
/// compile them (`tests/readings.rs`).
///
/// # Panics
///
/// Only were a built-in reading table broken, a bug that the crate's tests catch before any release.
pub fn reading_tables() -> &'static [Scheme] {
    match BUILTIN.as_ref() {
        Ok(all) => all,
        Err(e) => panic!("bibkey's built-in reading tables do not compile: {e}"),
    }
}

/// The key of `text`, then the keys of its readings under the built-in conventions that differ from it, without
/// repeats. See the [module documentation](self).
pub fn readings(text: &str) -> Vec<Key> {
    crate::KeyKind::Text.readings(text)
}

/// [`readings`] with your own reading tables (same format; their sources are Latin, their targets Cyrillic).
///
/// ```
/// let t = "@id x-read-it\n@name Italian\n@standard usage\n@source here\n@lang ru\nsci ш\n";
/// let italian = bibkey::Scheme::parse("it.tbl", t)?;
/// let r = bibkey::key::readings_with("Sciostakovic", &[italian]);
/// assert_eq!(r, vec![bibkey::key("Sciostakovic"), bibkey::key("Шostakovic")]);
/// # Ok::<(), bibkey::Error>(())
/// ```
pub fn readings_with(text: &str, tables: &[Scheme]) -> Vec<Key> {
    read_keys(text, tables, key(text), key)
}

/// `first`, then `key_of` each reading of `text` under `tables` that differs from the text, without repeats or
/// empty keys. Readings go through the caller's key function, so that titles and names get keys of their kind.
pub(crate) fn read_keys(text: &str, tables: &[Scheme], first: Key, key_of: impl Fn(&str) -> Key) -> Vec<Key> {
    let mut out = vec![first];
    // Only Latin letters are read back; text without them has nothing to read.
    if !text.chars().any(|c| c.is_ascii_alphabetic() || ('\u{C0}'..'\u{250}').contains(&c)) {
        return out;
    }
    for table in tables {
        let read = table.romanize(text);
        if read != text {
            let k = key_of(&read);
            if !k.is_empty() && !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}
