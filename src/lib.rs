//! bibkey makes bibliographic titles and author names comparable across scripts and romanization conventions.
//!
//! Russian (and other Cyrillic) titles and names reach catalogs, footnotes and citation managers in many
//! spellings: Пролетарская революция, *Proletarskai͡a revoli͡ut͡sii͡a* (ALA-LC, as US and UK libraries write it),
//! the same with the MARC-8 tie halves real records carry, *Proletarskaia revoliutsiia* (ALA-LC without
//! diacritics), *Proletarskaya revolyutsiya* (BGN/PCGN), *Proletarskaja revoljucija* (scholarly), *Proletarskaâ
//! revolûciâ* (ISO 9). bibkey gives all of them one [`key()`], while keeping Tolstoy and Tolstaya apart.
//!
//! The modules follow the data's path:
//!
//! * [`Scheme`]: romanization tables as reviewable data (`tables/*.tbl`), compiled once into a longest-match
//!   romanizer with context rules (word-initial, after a vowel…), derived capitals and a reverse direction for the
//!   one-to-one schemes. Built-in and user-supplied tables go through the same API.
//! * [`key`](mod@key): the matching key. Cyrillic and any romanization of it reduce to one string; for the
//!   German, Polish, Czech, French and Spanish spellings one string cannot hold, [`key::readings`](fn@key::readings) adds keys read
//!   with one table per convention.
//! * [`title`] and [`name`]: keys for titles (articles, volumes, ISBD punctuation, pre-1918 endings) and personal
//!   names (surname and first initial, in any order and script); [`corporate`]: keys for corporate bodies and
//!   meetings (hierarchy, abbreviations, qualifiers, meeting number and year).
//! * [`index`]: records at catalog scale — exact lookup, fuzzy top-k search with explained scores — built on the
//!   bit-parallel edit distance of [`distance`]; [`cluster`]: one-pass clustering by key collision and nearest
//!   neighbour; [`batch`]: keying many texts at once (on all cores with the `rayon` feature).
//! * [`naco`]: the PCC/NACO authority-file normalization, for comparison with library systems.
//! * `record` (cargo feature `marc`): MARC 21 records (ISO 2709, MARCXML, MARC-8), 880 fields paired with
//!   the romanized fields they belong to, ALA-LC checks of those pairs and key rows for clustering and matching.
//!
//! # Romanize
//!
//! ```
//! use bibkey::{romanize, Scheme, Ties};
//!
//! assert_eq!(romanize("Пролетарская революция", "ru-alalc")?, "Proletarskai͡a revoli͡ut͡sii͡a");
//! assert_eq!(romanize("Щукин", "ru-iso9")?, "Ŝukin");
//!
//! // The MARC-8 tie halves that converted catalog records carry:
//! let alalc = Scheme::builtin("ru-alalc")?;
//! let mut out = String::new();
//! alalc.romanize_into("Цветаева", Ties::Marc8Halves, &mut out);
//! assert_eq!(out, "T︠S︡vetaeva");
//! # Ok::<(), bibkey::Error>(())
//! ```
//!
//! # Match
//!
//! ```
//! use bibkey::key;
//!
//! let forms = [
//!     "Троцкий", "Trotsky", "Trotskii", "Trotskiĭ", "Trot͡skiĭ", "Trotskiy", "Trotskij", "Trockij",
//!     "Trotzki", "Trotski", "Trocki",
//! ];
//! assert!(forms.iter().all(|f| key(f) == key("Троцкий")));
//! assert_ne!(key("Каменев"), key("Каменева"));
//! // Pre-1918 spelling and OCR damage:
//! assert_eq!(key("Извѣстія"), key("Izvestiia"));
//! assert_eq!(key("Bol’ sheviki"), key("Большевики"));
//! ```
//!
//! # Find
//!
//! ```
//! use bibkey::{Index, Query, SearchOptions};
//!
//! let mut index = Index::new();
//! let id = index.insert("Istorii͡a russkoĭ revoli͡ut͡sii", &["Trotskiĭ, L."])?;
//! // Another script, pre-1918 spelling, a typo (ревалюціи), the author in German spelling.
//! let found = index.search(&Query::new("Исторія русской ревалюціи", &["Trotzki, Leo"]), &SearchOptions::default());
//! assert_eq!(found[0].id, id);
//! // Title keys of 20 letters, one apart: 0.8 × (1 − 1/20) + 0.2 × 1 = 0.96.
//! assert_eq!(found[0].to_string(), "0 0.960 title 1 edit, name exact");
//! # Ok::<(), bibkey::Error>(())
//! ```
//!
//! # Errors
//!
//! Nothing in this crate panics on input. Malformed tables produce an [`Error`] naming the file, the line and the
//! reason; unknown scheme ids produce an error listing the valid ones.
//!
//! # Features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `cli` | yes | the `bibkey` command-line tool (clap). Turns on `marc`. Library users set `default-features = false` and never compile clap. |
//! | `marc` | with `cli` | `bibkey::record`: MARC 21 records (ISO 2709 in UTF-8 or MARC-8, MARCXML with quick-xml), 880 pairing, ALA-LC checks, key rows. |
//! | `rayon` | no | [`keys`] and [`Index::insert_batch`] on all cores; the results are the same as on one. |
//! | `serde` | no | [`Key`] as a string in serde formats; deserializing checks it as [`Key::from_stored`] does. |
//!
//! ```toml
//! [dependencies]
//! bibkey = { version = "0.1", default-features = false, features = ["serde"] }
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod batch;
pub mod cite;
pub mod cluster;
pub mod corporate;
pub mod distance;
mod error;
pub mod index;
pub mod key;
mod lang;
pub mod naco;
pub mod name;
#[cfg(feature = "marc")]
pub mod record;
mod scheme;
mod script;
#[cfg(test)]
mod testing;
mod text;
pub mod title;

pub use batch::{keys, KeyKind};
pub use cluster::{Assignment, Clusterer};
pub use corporate::{corporate_key, parse_corporate, CorporateName};
pub use error::Error;
pub use index::{Index, Query, SearchOptions};
pub use key::{key, key_into, Key};
pub use lang::Lang;
pub use name::{name_key, parse_name, GivenNames, PersonalName};
pub use scheme::{builtins, romanize, Rule, Scheme, Ties};
pub use script::{Script, ScriptMix};
pub use title::{parse_title, title_key, ParsedTitle};

/// The README's examples, compiled and run as doctests so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
