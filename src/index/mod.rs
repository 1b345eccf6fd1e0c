//! An index of catalog records for exact and fuzzy matching at catalog scale.
//!
//! Keys find records whose title or name is the same text in another spelling. Real catalogs and footnote lists
//! also hold typos, OCR damage, dropped letters and titles cut short; the [`Index`] finds those too:
//!
//! * **exact lookup** of a title key or a name key: a hash table over the keys, one probe and a key comparison;
//! * **fuzzy search**: the top `k` records whose title key is within a bounded edit distance of the query's (or
//!   whose start is, for a truncated title), scored with the names and explained field by field.
//!
//! ```
//! use bibkey::index::{FieldMatch, Index, Query, SearchOptions};
//!
//! let mut index = Index::new();
//! let lenin = index.insert("Gosudarstvo i revoliut͡sii͡a", &["Lenin, V. I."])?;
//! let bukharin = index.insert("Azbuka kommunizma", &["Bukharin, N. I.", "Preobrazhenskii, E. A."])?;
//! index.insert("Государство и право", None::<&str>)?;
//!
//! // The same title in Cyrillic is an exact key match.
//! assert_eq!(index.lookup_title(&bibkey::title_key("Государство и революция")).collect::<Vec<_>>(), [lenin]);
//!
//! // A footnote with a typo (two letters swapped), in another romanization, with the author: found, and explained.
//! let query = Query::new("Gosudarsvto i revolyutsiya", &["Lenin"]);
//! let best = &index.search(&query, &SearchOptions::default())[0];
//! assert_eq!(best.id, lenin);
//! assert_eq!(best.title, FieldMatch::Edits(2));
//! assert_eq!(best.name, FieldMatch::Edits(1)); // "lenin" vs "leninv": the query has no initial
//!
//! // A title cut short.
//! let query = Query::new("Azbuka kommun", None::<&str>);
//! let best = &index.search(&query, &SearchOptions::default().min_prefix_len(8))[0];
//! assert_eq!((best.id, best.title), (bukharin, FieldMatch::Prefix(0)));
//! # Ok::<(), bibkey::Error>(())
//! ```
//!
//! # How fuzzy search works
//!
//! Every title key and name key is cut into four-grams (with a start marker: `^abc abcd bcde…`) and each four-gram
//! has a posting list of the records that contain it (the `grams` module). The search cuts the query's key into
//! `k + 1` disjoint four-letter windows: one edit touches at most one window, so a key within `k` edits of the query
//! (or of a prefix of it) still contains one of them verbatim — the pigeonhole principle. A small dynamic programme
//! picks the windows whose posting lists are shortest; when the key is long enough, one or two windows more are
//! taken and a record must then be on two or three of the lists, which reads more postings but measures far fewer
//! candidates. Each candidate is then measured exactly with the bit-parallel [`Comparator`], which also gives the
//! distance to the best prefix of the record's key. DESIGN.md (in the package and the repository) compares this
//! with the alternatives measured (trigram count filtering, a linear scan, a BK-tree, a SymSpell deletion
//! dictionary).
//!
//! The edit budget of a query is `min(max_edits, ⌊edit_ratio × key length⌋)`, and never more than the windows can
//! guarantee: a key of `n` bytes has room for `⌊(n − 3) / 4⌋ + 1` disjoint windows, so it gets at most one edit fewer.
//! Short keys therefore get few or no edits: a 7-letter name key such as `kamenev` gets one, so Kamenev finds
//! Kameneva (and the score says so: one edit), while exact name matching, through [`Index::lookup_name`], keeps
//! them apart.
//!
//! # Scores
//!
//! * Title similarity: `1 − d / max(|q|, |r|)` for `d` edits between the whole keys; for a query that matches the
//!   start of a longer title within `p` edits, `(1 − p / |q|) · (1 + |q| / |r|) / 2`, so a cut-short title scores
//!   less the more of the title is missing. The better of the two counts.
//! * Name similarity: the best of `1 − d / max(|q|, |r|)` over pairs of query name and record name.
//! * The score is `0.8 × title + 0.2 × name` when the query has names (a record without names counts as name
//!   similarity ½: it neither confirms nor contradicts, so it ranks below a record whose name agrees and above one
//!   whose name differs), the title similarity alone when the query has no names, and the name similarity for
//!   name-only queries.
//!
//! # Memory
//!
//! Keys are stored once, in two arenas; records, names and table slots are `u32`s. Removal unlinks a record from the
//! exact tables at once and leaves it on the posting lists, where reads skip it. BENCHMARKS.md in the repository has
//! the heap in use per record at a million records.

pub(crate) mod grams;
mod table;

use std::fmt;

use crate::distance::Comparator;
use crate::{Error, Key, KeyKind, Lang};
use grams::{fill_windows, grams_of, pick_windows, windows_cost, windows_of, Gram, Postings, Q};
pub(crate) use table::GROUP as LOOKUP_GROUP;
use table::{KeyTable, Keys, NONE};

/// Field tags of the gram lists.
const TITLE: u8 = 0;
const NAME: u8 = 1;

/// A record's number in an [`Index`], given by [`Index::insert`] in insertion order from 0.
///
/// Keep your own ids (catalog control numbers, line numbers) in a vector indexed by [`RecordId::index`]. Counted from
/// 0 because it is a position, like a `Vec` index; a `u32` because an index holds at most 2³² − 1 records, which keeps
/// its tables small. A [`Clusterer`](crate::Clusterer)'s cluster ([`Assignment::cluster`](crate::Assignment)) is
/// another kind of number: the 1-based number of a text in a stream of any length (a line number), as a `u64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordId(u32);

impl RecordId {
    /// The record's position in insertion order.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How one field of a record matched the query.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldMatch {
    /// The keys are equal.
    Exact,
    /// The keys are this many edits apart.
    Edits(u32),
    /// The query's key is within this many edits of the start of the record's key: a title cut short.
    Prefix(u32),
    /// The keys are far apart (names: similarity under one half).
    Different,
    /// Not compared: the query or the record has no such field.
    Absent,
}

impl fmt::Display for FieldMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldMatch::Exact => f.write_str("exact"),
            FieldMatch::Edits(1) => f.write_str("1 edit"),
            FieldMatch::Edits(n) => write!(f, "{n} edits"),
            FieldMatch::Prefix(0) => f.write_str("prefix"),
            FieldMatch::Prefix(n) => write!(f, "prefix+{n}"),
            FieldMatch::Different => f.write_str("different"),
            FieldMatch::Absent => f.write_str("absent"),
        }
    }
}

/// One search result.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Match {
    /// The record.
    pub id: RecordId,
    /// Similarity in [0, 1]; 1 is an exact match of every field compared.
    pub score: f64,
    /// How the title matched.
    pub title: FieldMatch,
    /// How the best pair of names matched.
    pub name: FieldMatch,
    /// The reading table (`read-de`…) under which the query matched this well, when that was better than the query
    /// as written ([`Index::search_readings`]); `None` otherwise.
    pub reading: Option<&'static str>,
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:.3} title {}, name {}", self.id, self.score, self.title, self.name)?;
        match self.reading {
            Some(r) => write!(f, ", as {r}"),
            None => Ok(()),
        }
    }
}

/// A search query: a title key and name keys, computed once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    title: Key,
    names: Vec<Key>,
}

impl Query {
    /// A query from a title and personal names as written (keyed with [`title_key`](crate::title_key) and
    /// [`name_key`](crate::name_key)). Either may be empty. The names are anything that iterates over strings:
    /// `&["Lenin"]`, a `Vec<String>`, `Some(name)`; no names is `None::<&str>` (or `[""; 0]`).
    ///
    /// ```
    /// use bibkey::Query;
    /// let names: Vec<String> = vec!["Trotskiĭ, L.".into()];
    /// assert_eq!(Query::new("Istorii͡a russkoĭ revoli͡ut͡sii", &names), Query::new("История русской революции", ["Троцкий Л."]));
    /// assert!(Query::new("Byloe", None::<&str>).names().is_empty());
    /// ```
    pub fn new<N: AsRef<str>>(title: &str, names: impl IntoIterator<Item = N>) -> Query {
        let names = names.into_iter().map(|n| crate::name_key(n.as_ref())).filter(|k| !k.is_empty()).collect();
        Query { title: crate::title_key(title), names }
    }

    /// [`new`](Self::new) with the Cyrillic of the title and names read as `lang` spells it (see
    /// [`crate::key::key_as`]): for a query whose language is known.
    ///
    /// ```
    /// use bibkey::{Lang, Query};
    /// assert_eq!(Query::new_as("Голос", ["Гончар, Олесь"], Lang::Ukrainian), Query::new("Holos", ["Honchar, Oles"]));
    /// ```
    pub fn new_as<N: AsRef<str>>(title: &str, names: impl IntoIterator<Item = N>, lang: Lang) -> Query {
        let names = names.into_iter().map(|n| KeyKind::Name.key_as(n.as_ref(), lang)).filter(|k| !k.is_empty());
        Query { title: KeyKind::Title.key_as(title, lang), names: names.collect() }
    }

    /// A query from keys computed elsewhere.
    pub fn from_keys(title: Key, names: Vec<Key>) -> Query {
        Query { title, names: names.into_iter().filter(|k| !k.is_empty()).collect() }
    }

    /// The title key.
    pub fn title(&self) -> &Key {
        &self.title
    }

    /// The name keys.
    pub fn names(&self) -> &[Key] {
        &self.names
    }
}

/// Options of [`Index::search`].
///
/// Start from [`SearchOptions::default`] and set what you need with the setters of the same names as the fields;
/// the fields stay readable. The struct may gain fields in a minor release (it is `#[non_exhaustive]`), so it
/// cannot be written as a struct literal outside this crate.
///
/// ```
/// use bibkey::SearchOptions;
/// let options = SearchOptions::default().limit(3).edit_ratio(0.1).prefix(false);
/// assert_eq!((options.limit, options.max_edits, options.prefix), (3, 6, false));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SearchOptions {
    /// How many matches to return at most (the `k` of top-k). Default 10.
    pub limit: usize,
    /// Most edits allowed between keys, whatever their length. Default 6.
    pub max_edits: usize,
    /// Edits allowed per byte of the query key. Default 0.2 (one edit per five letters).
    pub edit_ratio: f64,
    /// Also match queries that are the start of a longer title (titles cut short). Default true.
    pub prefix: bool,
    /// Shortest query key (in bytes) that may match as a prefix. Default 12, so that one or two words do not match
    /// every title that starts with them.
    pub min_prefix_len: usize,
    /// Matches scoring less are dropped. Default 0.
    pub min_score: f64,
    /// Most postings one field's candidate search may read. When even the cheapest windows for the edit budget hold
    /// more (a short key made only of common letter sequences, `ogo`, `skog`…), the budget is lowered one edit at a
    /// time until they fit. Default 20,000 (about 2 % of a million records); `usize::MAX` makes every search
    /// exhaustive for its budget.
    pub max_postings: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            max_edits: 6,
            edit_ratio: 0.2,
            prefix: true,
            min_prefix_len: 12,
            min_score: 0.0,
            max_postings: 20_000,
        }
    }
}

impl SearchOptions {
    /// Sets [`limit`](Self::limit): how many matches to return at most.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }

    /// Sets [`max_edits`](Self::max_edits): most edits allowed between keys.
    pub fn max_edits(mut self, max_edits: usize) -> Self {
        self.max_edits = max_edits;
        self
    }

    /// Sets [`edit_ratio`](Self::edit_ratio): edits allowed per byte of the query key.
    pub fn edit_ratio(mut self, edit_ratio: f64) -> Self {
        self.edit_ratio = edit_ratio;
        self
    }

    /// Sets [`prefix`](Self::prefix): whether a query may match the start of a longer title.
    pub fn prefix(mut self, prefix: bool) -> Self {
        self.prefix = prefix;
        self
    }

    /// Sets [`min_prefix_len`](Self::min_prefix_len): the shortest query key that may match as a prefix.
    pub fn min_prefix_len(mut self, min_prefix_len: usize) -> Self {
        self.min_prefix_len = min_prefix_len;
        self
    }

    /// Sets [`min_score`](Self::min_score): matches scoring less are dropped.
    pub fn min_score(mut self, min_score: f64) -> Self {
        self.min_score = min_score;
        self
    }

    /// Sets [`max_postings`](Self::max_postings): most postings one field's candidate search may read.
    pub fn max_postings(mut self, max_postings: usize) -> Self {
        self.max_postings = max_postings;
        self
    }

    /// The edit budget for a key of `len` bytes, before the gram filter's own limit.
    pub fn edits_for(&self, len: usize) -> usize {
        let by_ratio = (len as f64 * self.edit_ratio).floor();
        if by_ratio.is_nan() || by_ratio < 0.0 {
            return 0;
        }
        (by_ratio as usize).min(self.max_edits)
    }
}

/// Reusable scratch space for searches (candidate counters sized to the index). Make one per thread and pass it to
/// [`Index::search_with`] in loops; [`Index::search`] makes a new one per call.
#[derive(Clone, Debug, Default)]
pub struct Searcher {
    counts: Vec<u8>,
    touched: Vec<u32>,
    candidates: Vec<u32>,
    grams: Vec<Gram>,
    costs: Vec<usize>,
    dp: Vec<usize>,
    chosen: Vec<usize>,
    lists: Vec<Gram>,
    buf: Vec<u8>,
    by_record: Vec<(u32, f64, FieldMatch)>,
    work: SearchWork,
}

/// What the last search cost: postings read from the gram lists and candidates measured with the comparator.
// Hidden, with Searcher::work, Index::stats, IndexStats and Index::heap_bytes: measurements for the benches and
// BENCHMARKS.md (a crate of their own, so they need them public), not API that users should build on: they follow
// the index's internals and change with them in any release.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SearchWork {
    /// Gram lists read.
    pub lists: usize,
    /// Postings read from them.
    pub postings: usize,
    /// Candidates that passed the gram filter and were measured.
    pub candidates: usize,
    /// The edit bound the search was complete for (the largest, over the query's fields): the budget, or less when
    /// the key is too short for it or [`SearchOptions::max_postings`] lowered it.
    pub edits: usize,
}

impl Searcher {
    /// Empty scratch space; it grows on first use.
    pub fn new() -> Searcher {
        Searcher::default()
    }

    /// What the last search through this searcher cost.
    #[doc(hidden)] // A measurement for the benches: see SearchWork.
    pub fn work(&self) -> SearchWork {
        self.work
    }
}

/// The keys of one record, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordKeys<'a> {
    /// The title key.
    pub title: &'a str,
    /// The name keys, in insertion order.
    pub names: Vec<&'a str>,
}

/// An index of records (a title and personal names each) for exact and fuzzy lookup. See the
/// [module documentation](self).
#[derive(Clone, Debug)]
pub struct Index {
    /// All title keys, one after another; record r's is `title_text[title_end[r-1]..title_end[r]]`.
    title_text: String,
    title_end: Vec<u32>,
    /// Low 32 bits of each title key's hash, in an exact-only index (empty otherwise, and for empty keys at the end).
    title_hashes: Vec<u32>,
    /// Record r's name entries are `record_names_end[r-1]..record_names_end[r]`.
    record_names_end: Vec<u32>,
    /// All name keys; name entry e's is `name_text[name_end[e-1]..name_end[e]]`.
    name_text: String,
    name_end: Vec<u32>,
    name_record: Vec<u32>,
    /// Older records and name entries with the same key (chains from the tables' heads).
    title_next: Vec<u32>,
    name_next: Vec<u32>,
    title_table: KeyTable,
    name_table: KeyTable,
    postings: Postings,
    /// Bit r set when record r was removed.
    removed: Vec<u64>,
    live: usize,
    scratch: Vec<Gram>,
    scratch_bytes: Vec<u8>,
    /// Name entries made by the last `insert_unindexed`, with their index among its names.
    kept: Vec<(u32, usize)>,
    /// Whether keys are added to the gram lists (false for [`Index::exact_only`]).
    grams: bool,
}

/// The key `ends[n-1]..ends[n]` of an arena, as text.
fn span_str<'a>(text: &'a str, ends: &[u32], n: u32) -> &'a str {
    let n = n as usize;
    let start = if n == 0 { 0 } else { ends[n - 1] as usize };
    text.get(start..ends[n] as usize).unwrap_or_default()
}

impl Index {
    /// An empty index.
    pub fn new() -> Index {
        Index::empty(true)
    }

    /// An index for exact lookup only: no gram lists, so inserting is cheaper and the index smaller, and
    /// [`search`](Self::search) finds exact key matches only.
    pub fn exact_only() -> Index {
        Index::empty(false)
    }

    fn empty(grams: bool) -> Index {
        Index {
            title_text: String::new(),
            title_end: Vec::new(),
            title_hashes: Vec::new(),
            record_names_end: Vec::new(),
            name_text: String::new(),
            name_end: Vec::new(),
            name_record: Vec::new(),
            title_next: Vec::new(),
            name_next: Vec::new(),
            title_table: if grams { KeyTable::default() } else { KeyTable::sparse() },
            name_table: KeyTable::default(),
            postings: Postings::default(),
            removed: Vec::new(),
            live: 0,
            scratch: Vec::new(),
            scratch_bytes: Vec::new(),
            kept: Vec::new(),
            grams,
        }
    }

    /// Number of records (removed records not counted).
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when the index holds no records.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Adds a record: a title and personal names as written. Returns its id. The names are anything that iterates
    /// over strings (`&["Lenin, V. I."]`, a `Vec<String>`, `Some(name)`; no names: `None::<&str>`).
    ///
    /// Fails only when the index is full (2³² − 1 records, or 4 GiB of title or name keys).
    ///
    /// ```
    /// let mut index = bibkey::Index::new();
    /// let names: Vec<String> = vec!["Lenin, V. I.".to_string()];
    /// let id = index.insert("Gosudarstvo i revoli͡ut͡sii͡a", &names)?;
    /// index.insert("Byloe", None::<&str>)?;
    /// assert_eq!(index.lookup_name(&bibkey::name_key("Ленин В.")).next(), Some(id));
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn insert<N: AsRef<str>>(
        &mut self,
        title: &str,
        names: impl IntoIterator<Item = N>,
    ) -> Result<RecordId, Error> {
        let names: Vec<Key> = names.into_iter().map(|n| crate::name_key(n.as_ref())).collect();
        self.insert_keys(&crate::title_key(title), &names)
    }

    /// [`insert`](Self::insert) with the Cyrillic of the title and names read as `lang` spells it (see
    /// [`crate::key::key_as`]): for a record whose language is known (MARC 008/35-37).
    ///
    /// ```
    /// use bibkey::{Index, Lang, Query, SearchOptions};
    /// let mut index = Index::new();
    /// let id = index.insert_as("Історія України-Руси", ["Грушевський, Михайло"], Lang::Ukrainian)?;
    /// let found = index.search(&Query::new("Istoriia Ukrainy-Rusy", ["Hrushevsky, Mykhailo"]), &SearchOptions::default());
    /// assert_eq!(found[0].id, id);
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn insert_as<N: AsRef<str>>(
        &mut self,
        title: &str,
        names: impl IntoIterator<Item = N>,
        lang: Lang,
    ) -> Result<RecordId, Error> {
        let names: Vec<Key> = names.into_iter().map(|n| KeyKind::Name.key_as(n.as_ref(), lang)).collect();
        self.insert_keys(&KeyKind::Title.key_as(title, lang), &names)
    }

    /// Adds a record whose title key and name keys were computed elsewhere (as [`insert_batch`](Self::insert_batch)
    /// does on all cores). Empty name keys are skipped, and so is a name key the record already has.
    pub fn insert_keys(&mut self, title: &Key, names: &[Key]) -> Result<RecordId, Error> {
        let r = self.insert_unindexed(title, None, names)?;
        if self.grams {
            grams_of(title.as_str().as_bytes(), TITLE, &mut self.scratch_bytes, &mut self.scratch);
            self.postings.add(r.0, &self.scratch);
            for i in 0..self.kept.len() {
                let (e, input) = self.kept[i];
                grams_of(names[input].as_str().as_bytes(), NAME, &mut self.scratch_bytes, &mut self.scratch);
                self.postings.add(e, &self.scratch);
            }
        }
        Ok(r)
    }

    /// [`insert_keys`](Self::insert_keys) of a title key alone, whose hash `hash` came from
    /// [`title_heads`](Self::title_heads), into an exact-only index (the clusterer's keys): not hashed again.
    pub(crate) fn insert_title_hashed(&mut self, title: &Key, hash: u64) -> Result<RecordId, Error> {
        debug_assert!(!self.grams, "an index with gram lists inserts through insert_keys");
        self.insert_unindexed(title, Some(hash), &[])
    }

    /// Stores a record's keys and adds them to the exact tables, but not to the gram lists. Leaves in `self.kept`
    /// the name entries made, with the index in `names` of each (empty and repeated name keys are skipped).
    /// `title_hash`, when given, is the title key's [`hash_bytes`](table::hash_bytes), from an earlier lookup.
    fn insert_unindexed(&mut self, title: &Key, title_hash: Option<u64>, names: &[Key]) -> Result<RecordId, Error> {
        self.kept.clear();
        let r = self.title_end.len();
        let full = |what: &str| Error::capacity(format!("the index cannot hold more {what}"));
        if r >= NONE as usize - 1 {
            return Err(full("records"));
        }
        let names_len: usize = names.iter().map(|k| k.as_str().len()).sum();
        if self.title_text.len() + title.as_str().len() > u32::MAX as usize {
            return Err(full("title keys"));
        }
        if self.name_text.len() + names_len > u32::MAX as usize || self.name_end.len() + names.len() >= NONE as usize {
            return Err(full("name keys"));
        }
        let r = r as u32;
        self.title_text.push_str(title.as_str());
        self.title_end.push(self.title_text.len() as u32);
        let key = title.as_str().as_bytes();
        let head = if key.is_empty() {
            NONE
        } else {
            let h = title_hash.unwrap_or_else(|| table::hash_bytes(key));
            if !self.grams {
                // The exact-only index keeps each key's hash (4 bytes), so that its table grows without hashing
                // every key again.
                self.title_hashes.resize(r as usize, 0);
                self.title_hashes.push(h as u32);
            }
            let keys = Keys { text: self.title_text.as_bytes(), ends: &self.title_end, hashes: &self.title_hashes };
            self.title_table.insert_hashed(r, key, h, keys)
        };
        self.title_next.push(head);
        let first = self.name_end.len();
        for (input, name) in names.iter().enumerate() {
            let key = name.as_str().as_bytes();
            let stored = Keys::of(self.name_text.as_bytes(), &self.name_end);
            if key.is_empty() || (first..stored.ends.len()).any(|e| stored.get(e as u32) == key) {
                continue;
            }
            let e = self.name_end.len() as u32;
            self.name_text.push_str(name.as_str());
            self.name_end.push(self.name_text.len() as u32);
            self.name_record.push(r);
            let keys = Keys::of(self.name_text.as_bytes(), &self.name_end);
            let head = self.name_table.insert(e, key, keys);
            self.name_next.push(head);
            self.kept.push((e, input));
        }
        self.record_names_end.push(self.name_end.len() as u32);
        if r as usize / 64 >= self.removed.len() {
            self.removed.push(0);
        }
        self.live += 1;
        Ok(RecordId(r))
    }

    /// Adds many records. Returns their ids in order. The same index results as inserting them one by one; with the
    /// `rayon` feature the keys are computed on all cores and the gram lists, which are sharded by gram, are filled
    /// on all cores too.
    pub fn insert_batch<T, N>(&mut self, records: &[(T, Vec<N>)]) -> Result<Vec<RecordId>, Error>
    where
        T: AsRef<str> + Sync,
        N: AsRef<str> + Sync,
    {
        self.insert_batch_hint(records, None)
    }

    /// [`insert_batch`](Self::insert_batch) with the Cyrillic of every record read as `lang` spells it.
    pub fn insert_batch_as<T, N>(&mut self, records: &[(T, Vec<N>)], lang: Lang) -> Result<Vec<RecordId>, Error>
    where
        T: AsRef<str> + Sync,
        N: AsRef<str> + Sync,
    {
        self.insert_batch_hint(records, Some(lang))
    }

    fn insert_batch_hint<T, N>(&mut self, records: &[(T, Vec<N>)], lang: Option<Lang>) -> Result<Vec<RecordId>, Error>
    where
        T: AsRef<str> + Sync,
        N: AsRef<str> + Sync,
    {
        let cyr = crate::key::Cyr::from(lang);
        /// Records keyed and indexed together (bounds the memory of the grams waiting to be added).
        const CHUNK: usize = 1 << 16;
        let mut ids = Vec::with_capacity(records.len());
        // (node, gram) of every key filed, for all the lists at once; the grams of one key at a time in the
        // index's scratch buffers. (Each record's grams in vectors of their own, computed with its keys, made four
        // allocations a record: with their frees, a third of the time of loading a million records.)
        let mut pending: Vec<(u32, Gram)> = Vec::new();
        for chunk in records.chunks(CHUNK) {
            let keyed = crate::batch::map(chunk, |(title, names)| {
                let t = KeyKind::Title.key_cyr(title.as_ref(), cyr);
                let n: Vec<Key> = names.iter().map(|n| KeyKind::Name.key_cyr(n.as_ref(), cyr)).collect();
                (t, n)
            });
            pending.clear();
            let mut failed = None;
            for (t, n) in &keyed {
                match self.insert_unindexed(t, None, n) {
                    Ok(r) => {
                        ids.push(r);
                        if self.grams {
                            grams_of(t.as_str().as_bytes(), TITLE, &mut self.scratch_bytes, &mut self.scratch);
                            pending.extend(self.scratch.iter().map(|&g| (r.0, g)));
                            for &(e, input) in &self.kept {
                                let key = n[input].as_str().as_bytes();
                                grams_of(key, NAME, &mut self.scratch_bytes, &mut self.scratch);
                                pending.extend(self.scratch.iter().map(|&g| (e, g)));
                            }
                        }
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            self.postings.add_many(&pending);
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(ids)
    }

    fn is_removed(&self, r: u32) -> bool {
        self.removed.get(r as usize / 64).is_none_or(|w| w >> (r % 64) & 1 == 1)
    }

    /// True if `id` is in the index (inserted and not removed).
    pub fn contains(&self, id: RecordId) -> bool {
        (id.0 as usize) < self.title_end.len() && !self.is_removed(id.0)
    }

    /// Removes a record. Returns false if it was not in the index.
    pub fn remove(&mut self, id: RecordId) -> bool {
        if !self.contains(id) {
            return false;
        }
        let r = id.0;
        self.removed[r as usize / 64] |= 1 << (r % 64);
        self.live -= 1;
        let keys = Keys::of(self.title_text.as_bytes(), &self.title_end);
        let key = keys.get(r);
        if !key.is_empty() {
            unlink(&mut self.title_table, &mut self.title_next, r, key, keys);
        }
        let start = if r == 0 { 0 } else { self.record_names_end[r as usize - 1] };
        let keys = Keys::of(self.name_text.as_bytes(), &self.name_end);
        for e in start..self.record_names_end[r as usize] {
            unlink(&mut self.name_table, &mut self.name_next, e, keys.get(e), keys);
        }
        true
    }

    /// The stored keys of a record, or `None` if it is not in the index.
    pub fn get(&self, id: RecordId) -> Option<RecordKeys<'_>> {
        if !self.contains(id) {
            return None;
        }
        let r = id.0 as usize;
        let start = if r == 0 { 0 } else { self.record_names_end[r - 1] };
        Some(RecordKeys {
            title: span_str(&self.title_text, &self.title_end, id.0),
            names: (start..self.record_names_end[r]).map(|e| span_str(&self.name_text, &self.name_end, e)).collect(),
        })
    }

    /// Record `r`'s title key (empty for an id past the end), without the allocation of [`get`](Self::get): the
    /// clusterer reads the keys of its neighbour candidates this way.
    pub(crate) fn title_of(&self, r: u32) -> &str {
        if r as usize >= self.title_end.len() {
            return "";
        }
        span_str(&self.title_text, &self.title_end, r)
    }

    /// The length of [`title_of`](Self::title_of), from the arena's ends alone (without reading the key).
    pub(crate) fn title_len(&self, r: u32) -> usize {
        let (r, ends) = (r as usize, &self.title_end);
        match (r.checked_sub(1).map(|p| ends.get(p)), ends.get(r)) {
            (None, Some(&end)) => end as usize,
            (Some(Some(&start)), Some(&end)) => (end - start) as usize,
            _ => 0,
        }
    }

    /// The records whose title key is `key`, most recently inserted first. One hash probe; no allocation.
    pub fn lookup_title<'a>(&'a self, key: &Key) -> impl Iterator<Item = RecordId> + 'a {
        let keys = Keys::of(self.title_text.as_bytes(), &self.title_end);
        let head = self.title_table.get(key.as_str().as_bytes(), keys);
        Chain::new(&self.title_next, head).map(RecordId)
    }

    /// For each key, the most recently inserted record with that title key, or `None`: the first item of
    /// [`lookup_title`](Self::lookup_title) for many keys at once. Faster than one lookup after another on a large
    /// index, because the memory accesses of several lookups overlap (BENCHMARKS.md in the repository, "Index").
    pub fn lookup_titles(&self, keys: &[Key], out: &mut Vec<Option<RecordId>>) {
        out.clear();
        for group in keys.chunks(LOOKUP_GROUP) {
            let mut hashes = [0; LOOKUP_GROUP];
            out.extend(self.title_heads(group, &mut hashes)[..group.len()].iter().map(|h| h.map(RecordId)));
        }
    }

    /// The most recent record with each title key of `keys` (at most [`LOOKUP_GROUP`], looked up together), as
    /// [`lookup_titles`](Self::lookup_titles) gives them, without allocating.
    /// `hashes[j]` is set to the hash of `keys[j]`, for [`insert_title_hashed`](Self::insert_title_hashed).
    pub(crate) fn title_heads(&self, keys: &[Key], hashes: &mut [u64; LOOKUP_GROUP]) -> [Option<u32>; LOOKUP_GROUP] {
        let mut queries: [&[u8]; LOOKUP_GROUP] = [&[]; LOOKUP_GROUP];
        for (q, k) in queries.iter_mut().zip(keys) {
            *q = k.as_str().as_bytes();
        }
        let mut heads = [NONE; LOOKUP_GROUP];
        let arena = Keys::of(self.title_text.as_bytes(), &self.title_end);
        self.title_table.get_group(&queries[..keys.len()], arena, &mut heads, hashes);
        heads.map(|h| (h != NONE).then_some(h))
    }

    /// The records with a name whose key is `key`, most recently inserted first.
    pub fn lookup_name<'a>(&'a self, key: &Key) -> impl Iterator<Item = RecordId> + 'a {
        let keys = Keys::of(self.name_text.as_bytes(), &self.name_end);
        let head = self.name_table.get(key.as_str().as_bytes(), keys);
        Chain::new(&self.name_next, head).map(|e| RecordId(self.name_record[e as usize]))
    }

    /// [`search`](Self::search) for a title and names as written, and again for each of their
    /// [readings](fn@crate::key::readings) (read back as German, Polish, Czech, French and Spanish spell Russian):
    /// each record keeps its best score, and [`Match::reading`] names the reading that gave it when that beat the
    /// query as written. For footnotes in those conventions against a catalog in ALA-LC or Cyrillic.
    ///
    /// ```
    /// use bibkey::{Index, SearchOptions};
    /// let mut index = Index::new();
    /// let id = index.insert("Vishnevyĭ sad", &["Chekhov, Anton Pavlovich"])?;
    /// let found = index.search_readings("Wischnjowy Sad", &["Anton Tschechow"], &SearchOptions::default());
    /// assert_eq!(found[0].id, id);
    /// assert_eq!(found[0].reading, Some("read-de"));
    /// # Ok::<(), bibkey::Error>(())
    /// ```
    pub fn search_readings<N: AsRef<str>>(
        &self,
        title: &str,
        names: impl IntoIterator<Item = N>,
        options: &SearchOptions,
    ) -> Vec<Match> {
        let names: Vec<N> = names.into_iter().collect();
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        let names = &names[..];
        let mut best = self.search(&Query::new(title, names), options);
        let tables = crate::key::reading_tables();
        let mut tried = vec![(title.to_string(), names.iter().map(|n| n.to_string()).collect::<Vec<_>>())];
        for table in tables {
            let read = (table.romanize(title), names.iter().map(|n| table.romanize(n)).collect::<Vec<_>>());
            if tried.contains(&read) {
                continue;
            }
            let read_names: Vec<&str> = read.1.iter().map(String::as_str).collect();
            for mut m in self.search(&Query::new(&read.0, &read_names), options) {
                m.reading = Some(table.id());
                match best.iter_mut().find(|b| b.id == m.id) {
                    Some(b) if b.score >= m.score => {}
                    Some(b) => *b = m,
                    None => best.push(m),
                }
            }
            tried.push(read);
        }
        best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        best.truncate(options.limit);
        best
    }

    /// The top matches for `query`, best first (ties by id). Makes its own scratch space: in loops, use
    /// [`search_with`](Self::search_with).
    pub fn search(&self, query: &Query, options: &SearchOptions) -> Vec<Match> {
        let mut out = Vec::new();
        self.search_with(&mut Searcher::new(), query, options, &mut out);
        out
    }

    /// [`search`](Self::search) with reusable scratch space; the matches replace the contents of `out`.
    pub fn search_with(&self, s: &mut Searcher, query: &Query, options: &SearchOptions, out: &mut Vec<Match>) {
        out.clear();
        s.work = SearchWork::default();
        if options.limit == 0 {
            return;
        }
        let names: Vec<Comparator> = query.names.iter().map(|k| Comparator::new(k.as_str())).collect();
        if !query.title.is_empty() {
            self.search_title(s, query, &names, options, out);
        } else if !names.is_empty() {
            self.search_names(s, &names, options, out);
        }
        out.retain(|m| m.score >= options.min_score);
        let order = |a: &Match, b: &Match| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id));
        if out.len() > options.limit {
            out.select_nth_unstable_by(options.limit - 1, order);
            out.truncate(options.limit);
        }
        out.sort_unstable_by(order);
    }

    fn search_title(
        &self,
        s: &mut Searcher,
        query: &Query,
        names: &[Comparator],
        o: &SearchOptions,
        out: &mut Vec<Match>,
    ) {
        let q = query.title.as_str();
        let cmp = Comparator::new(q);
        let budget = o.edits_for(q.len());
        let bound =
            if self.grams { self.candidates(s, q.as_bytes(), TITLE, budget, o, self.title_end.len()) } else { None };
        let k = match bound {
            Some(k) => k,
            None => {
                // Too short for grams, or no gram lists: exact matches only.
                s.candidates.clear();
                s.candidates.extend(self.lookup_title(&query.title).map(|r| r.0));
                0
            }
        };
        let allow_prefix = o.prefix && q.len() >= o.min_prefix_len;
        for &r in &s.candidates {
            if self.is_removed(r) {
                continue;
            }
            let key = span_str(&self.title_text, &self.title_end, r);
            let d = if allow_prefix {
                cmp.distances_within(key, k)
            } else {
                // Global distance only: the pass can stop as soon as the bound is out of reach.
                let global = cmp.distance_within(key, k).unwrap_or(k + 1);
                crate::distance::Distances { global, prefix: usize::MAX }
            };
            let (lq, lr) = (q.len() as f64, key.len() as f64);
            let mut best: Option<(f64, FieldMatch)> = None;
            if d.global <= k {
                let m = if d.global == 0 { FieldMatch::Exact } else { FieldMatch::Edits(d.global as u32) };
                best = Some((1.0 - d.global as f64 / lq.max(lr), m));
            }
            if allow_prefix && d.prefix <= k && key.len() > q.len() {
                let sim = (1.0 - d.prefix as f64 / lq) * (1.0 + lq / lr) / 2.0;
                if best.is_none_or(|(b, _)| sim > b) {
                    best = Some((sim, FieldMatch::Prefix(d.prefix as u32)));
                }
            }
            let Some((title_sim, title)) = best else { continue };
            let (score, name) = match self.best_name(r, names) {
                Some((name_sim, name)) => (0.8 * title_sim + 0.2 * name_sim, name),
                // The query has names and the record none: neutral, between a confirming and a contradicting name.
                None if !names.is_empty() => (0.8 * title_sim + 0.1, FieldMatch::Absent),
                None => (title_sim, FieldMatch::Absent),
            };
            out.push(Match { id: RecordId(r), score, title, name, reading: None });
        }
    }

    /// Best similarity between the query's names and record `r`'s, or None when either has none.
    fn best_name(&self, r: u32, names: &[Comparator]) -> Option<(f64, FieldMatch)> {
        let start = if r == 0 { 0 } else { self.record_names_end[r as usize - 1] };
        let end = self.record_names_end[r as usize];
        if names.is_empty() || start == end {
            return None;
        }
        let mut best = (f64::MIN, FieldMatch::Different);
        for e in start..end {
            let key = span_str(&self.name_text, &self.name_end, e);
            for c in names {
                let d = c.distance(key);
                let sim = 1.0 - d as f64 / c.len().max(key.len()).max(1) as f64;
                if sim > best.0 {
                    let m = match d {
                        0 => FieldMatch::Exact,
                        _ if sim >= 0.5 => FieldMatch::Edits(d as u32),
                        _ => FieldMatch::Different,
                    };
                    best = (sim, m);
                }
            }
        }
        Some(best)
    }

    fn search_names(&self, s: &mut Searcher, names: &[Comparator], o: &SearchOptions, out: &mut Vec<Match>) {
        let mut found = std::mem::take(&mut s.by_record);
        found.clear();
        for c in names {
            let q = c.query();
            let bound = if self.grams {
                self.candidates(s, q.as_bytes(), NAME, o.edits_for(q.len()), o, self.name_end.len())
            } else {
                None
            };
            let k = match bound {
                Some(k) => k,
                None => {
                    s.candidates.clear();
                    s.candidates.extend(self.lookup_name_entries(q.as_bytes()));
                    0
                }
            };
            for &e in &s.candidates {
                let r = self.name_record[e as usize];
                if self.is_removed(r) {
                    continue;
                }
                let key = span_str(&self.name_text, &self.name_end, e);
                if let Some(d) = c.distance_within(key, k) {
                    let sim = 1.0 - d as f64 / q.len().max(key.len()).max(1) as f64;
                    let m = if d == 0 { FieldMatch::Exact } else { FieldMatch::Edits(d as u32) };
                    found.push((r, sim, m));
                }
            }
        }
        // Best name per record.
        found.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        found.dedup_by_key(|f| f.0);
        out.extend(found.iter().map(|&(r, score, name)| Match {
            id: RecordId(r),
            score,
            title: FieldMatch::Absent,
            name,
            reading: None,
        }));
        s.by_record = found;
    }

    fn lookup_name_entries<'a>(&'a self, key: &[u8]) -> impl Iterator<Item = u32> + 'a {
        let keys = Keys::of(self.name_text.as_bytes(), &self.name_end);
        let head = self.name_table.get(key, keys);
        Chain::new(&self.name_next, head)
    }

    /// Fills `s.candidates` with the nodes (records or name entries) of `field` that can be within `budget` edits of
    /// `key` or of a prefix of it, by the pigeonhole filter of the [`grams`] module. Returns the edit bound the
    /// candidates are complete for (the budget, lowered to what the query's windows can guarantee), or `None` (and
    /// no candidates) when `key` is too short for a single gram.
    fn candidates(
        &self,
        s: &mut Searcher,
        key: &[u8],
        field: u8,
        budget: usize,
        o: &SearchOptions,
        nodes: usize,
    ) -> Option<usize> {
        s.candidates.clear();
        windows_of(key, field, &mut s.buf, &mut s.grams);
        let positions = s.grams.len();
        if positions == 0 {
            return None;
        }
        let fit = (positions - 1) / Q + 1;
        let mut k = budget.min(fit - 1);
        s.costs.clear();
        s.costs.extend(s.grams.iter().map(|&g| self.postings.get(g).map_or(0, |l| l.len())));
        // One table answers every window count up to k + 3.
        let m_max = (k + 3).min(fit);
        fill_windows(&s.costs, m_max, &mut s.dp);
        while k > 0 && windows_cost(&s.dp, k + 1, m_max).is_some_and(|read| read > o.max_postings) {
            k -= 1;
        }
        s.work.edits = s.work.edits.max(k);
        // k + 1 windows (a record needs one of them) or, when they fit, k + 2 or k + 3 (it needs two or three): more
        // lists to read, far fewer candidates to measure. Measuring a candidate costs about twenty times reading a
        // posting (a random memory access against a sequential one); the estimates assume each extra window
        // required divides the candidates by about eight.
        let mut best: Option<(usize, usize)> = None;
        for extra in 0..3 {
            let m = k + 1 + extra;
            let Some(read) = windows_cost(&s.dp, m, m_max) else { break };
            let estimate = read + read * 20 / 8usize.pow(extra as u32);
            if best.is_none_or(|(e, _)| estimate < e) {
                best = Some((estimate, m));
            }
        }
        let (_, m) = best?;
        pick_windows(&s.costs, m, m_max, &s.dp, &mut s.chosen);
        s.lists.clear();
        s.lists.extend(s.chosen.iter().map(|&i| s.grams[i]));
        s.lists.sort_unstable();
        s.lists.dedup();
        // At least m − k windows survive k edits; duplicates among them may share a gram.
        let t = s.lists.len().saturating_sub(k).max(1);
        if s.counts.len() < nodes {
            s.counts.resize(nodes, 0);
        }
        let t = t.min(u8::MAX as usize) as u8;
        for &g in &s.lists {
            let Some(list) = self.postings.get(g) else { continue };
            s.work.lists += 1;
            s.work.postings += list.len();
            for node in list.iter() {
                let Some(c) = s.counts.get_mut(node as usize) else { continue };
                if *c == 0 {
                    s.touched.push(node);
                }
                *c = c.saturating_add(1);
                if *c == t {
                    s.candidates.push(node);
                }
            }
        }
        for &n in &s.touched {
            s.counts[n as usize] = 0;
        }
        s.touched.clear();
        s.work.candidates += s.candidates.len();
        Some(k)
    }

    /// Bytes of heap memory the index holds (capacities, not lengths).
    #[doc(hidden)] // A measurement for the benches: see SearchWork.
    pub fn heap_bytes(&self) -> usize {
        self.title_text.capacity()
            + self.name_text.capacity()
            + 4 * (self.title_end.capacity()
                + self.title_hashes.capacity()
                + self.record_names_end.capacity()
                + self.name_end.capacity()
                + self.name_record.capacity()
                + self.title_next.capacity()
                + self.name_next.capacity()
                + 2 * self.scratch.capacity())
            + self.scratch_bytes.capacity()
            + 8 * self.removed.capacity()
            + self.title_table.heap_bytes()
            + self.name_table.heap_bytes()
            + self.postings.heap_bytes()
    }

    /// Releases spare capacity (after a bulk build).
    pub fn shrink_to_fit(&mut self) {
        self.title_text.shrink_to_fit();
        self.name_text.shrink_to_fit();
        self.title_end.shrink_to_fit();
        self.title_hashes.shrink_to_fit();
        self.record_names_end.shrink_to_fit();
        self.name_end.shrink_to_fit();
        self.name_record.shrink_to_fit();
        self.title_next.shrink_to_fit();
        self.name_next.shrink_to_fit();
        self.removed.shrink_to_fit();
        self.scratch = Vec::new();
        self.scratch_bytes = Vec::new();
        self.postings.shrink_to_fit();
    }

    /// Sizes of the index, for reports.
    #[doc(hidden)] // A measurement for the benches: see SearchWork.
    pub fn stats(&self) -> IndexStats {
        IndexStats {
            records: self.live,
            distinct_titles: self.title_table.len(),
            names: self.name_end.len(),
            distinct_names: self.name_table.len(),
            postings: self.postings.postings(),
            heap_bytes: self.heap_bytes(),
        }
    }
}

impl Default for Index {
    /// Same as [`Index::new`].
    fn default() -> Self {
        Index::new()
    }
}

/// Sizes of an [`Index`], from `Index::stats`.
#[doc(hidden)] // A measurement for the benches: see SearchWork.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexStats {
    /// Records in the index.
    pub records: usize,
    /// Distinct title keys.
    pub distinct_titles: usize,
    /// Name entries (removed records' included).
    pub names: usize,
    /// Distinct name keys.
    pub distinct_names: usize,
    /// Entries on all gram posting lists (removed records' included).
    pub postings: usize,
    /// `Index::heap_bytes`.
    pub heap_bytes: usize,
}

/// Unlinks `node` from its key's chain.
fn unlink(table: &mut KeyTable, next: &mut [u32], node: u32, key: &[u8], keys: Keys<'_>) {
    let head = table.get(key, keys);
    if head == node {
        table.set_head(key, next[node as usize], keys);
        return;
    }
    let mut cur = head;
    while cur != NONE {
        let after = next[cur as usize];
        if after == node {
            next[cur as usize] = next[node as usize];
            return;
        }
        cur = after;
    }
}

/// Walks a chain of nodes. Reads a node's successor only when asked for it, so taking the first costs nothing more.
struct Chain<'a> {
    next: &'a [u32],
    cur: u32,
    started: bool,
}

impl<'a> Chain<'a> {
    fn new(next: &'a [u32], head: u32) -> Self {
        Chain { next, cur: head, started: false }
    }
}

impl Iterator for Chain<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.started && self.cur != NONE {
            self.cur = self.next.get(self.cur as usize).copied().unwrap_or(NONE);
        }
        self.started = true;
        (self.cur != NONE).then_some(self.cur)
    }
}
