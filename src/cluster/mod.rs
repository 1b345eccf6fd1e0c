//! Grouping texts into clusters of the same title or name, in one streaming pass.
//!
//! The two methods OpenRefine's users know, applied in that order to each text as it arrives:
//!
//! 1. **Key collision**: a text whose key (of the chosen [`KeyKind`]) was seen before joins that key's cluster.
//! 2. **Nearest neighbour**: a text with a new key joins the cluster of the nearest key seen so far if it is
//!    within the edit budget (by default one edit per ten bytes of key, at most 3, so keys shorter than ten bytes
//!    never merge this way: `kamenev` and `kameneva` stay apart) and has the same digit runs; otherwise it starts a
//!    new cluster. Numbers are never fuzzy-matched: `Sochineniia. T. 22` is not a typo of `T. 21`.
//!
//! Exactly: the budget of a key of `n` bytes is `min(max_edits, ⌊edit_ratio × n⌋, ⌊(n − 3) / 4⌋)` (the last term is
//! the bound [`Index::search`] puts on its four-gram windows, which the clusterer used before it had its own filter;
//! it never binds at the default ratio). The neighbours of a key are the distinct keys seen so far within that many
//! edits (Levenshtein, over the key's bytes) whose runs of ASCII digits are those of the key, in the same order
//! (`ab12cd3` has the runs `12`, `3`; a key without digits has none, and only keys without digits are its
//! neighbours). So a key that differs in a digit (or has a digit more or less) is not a neighbour, however close;
//! OCR damage that turns a letter into a digit (`l` → `1`) is not mended either. Among the neighbours, the nearest is
//! the one with the best similarity `1 − d / max(n, its length)`, as
//! [`Index::search`] scores titles, and the earliest of those on a tie; `How::Near` gives its `d`. The neighbours
//! come from a segment index made for these small budgets (Pass-Join; DESIGN.md in the package), which finds every key within the
//! budget and has the same digit runs: the package's `tests/cluster.rs` checks the assignments against a linear scan with the
//! textbook distance and the same definition of a neighbour. The digit runs are part of what a key's segments are
//! filed under, so a search does not even read the keys with other numbers: titles of a numbered series that share
//! a long first segment cost no more per title as the series grows ([`Clusterer::neighbour_work`] counts it).
//!
//! With [`ClusterOptions::readings`], a text whose key is new first looks for its
//! [readings](fn@crate::key::readings) (the text read as German, Polish, Czech, French and Spanish spell Russian)
//! among the keys and readings seen so far, before step 2; its own readings are filed with its key.
//! `How::Reading` says a text joined that way.
//!
//! A cluster is named by the number (from 1) of the text that started it, so the output of a run explains itself
//! and does not depend on anything after the line being read: the pass streams, with memory growing only with the
//! number of distinct keys. The price is order dependence: a late text that is near two earlier clusters joins the
//! nearer one (the earlier on a tie) and does not merge them.
//!
//! [`Clusterer::push_many`] (and [`Clusterer::push_keys`]) take texts in batches and give the same assignments as
//! [`Clusterer::push`] on each in turn, about twice as fast on a large input: the nearest-neighbour searches of a
//! batch are made together, in the order of the memory they read (DESIGN.md in the package, "Clustering in
//! batches"). `bibkey cluster` gives it 65,536 lines at a time.
//!
//! ```
//! use bibkey::{cluster::How, Clusterer, KeyKind};
//! let mut c = Clusterer::new(KeyKind::Title);
//! let a = c.push("Proletarskaia revoliutsiia");
//! assert_eq!((a.cluster, a.how), (1, How::New));
//! let b = c.push("Пролетарская революция");
//! assert_eq!((b.cluster, b.how), (1, How::Key));
//! let d = c.push("Proletarskaja revoljucija.");          // another scheme: same key
//! assert_eq!(d.cluster, 1);
//! let e = c.push("Proletarskaia revoluitsiia");          // a typo: one edit from the key
//! assert_eq!((e.cluster, e.how), (1, How::Near(1)));
//! assert_eq!(c.push("Krasnyi arkhiv").cluster, 5);
//! ```

mod segments;

use crate::index::{Index, SearchOptions};
use crate::key::Cyr;
use crate::{Key, KeyKind, Lang};
#[doc(hidden)] // A measurement for the benches: see Clusterer::neighbour_work.
pub use segments::NeighbourWork;
use segments::Segments;

/// Keys looked up together in [`Clusterer::push_many`]: enough lookups in flight to overlap their cache misses.
const GROUP: usize = crate::index::LOOKUP_GROUP;

/// Most keys [`Clusterer::push_many`] searches for neighbours together: bounds the scratch memory (about 350 bytes
/// a key) whatever the number of texts passed.
const BATCH: usize = 1 << 16;

/// How a text joined its cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum How {
    /// It started the cluster.
    New,
    /// Its key equals a key of the cluster.
    Key,
    /// Its key is this many edits from the nearest key of the cluster.
    Near(u32),
    /// With [`ClusterOptions::readings`]: one of its readings (`bibkey::key::readings`) is a key or a reading of
    /// the cluster.
    Reading,
    /// It has no key (no letters or digits): a cluster of its own.
    Empty,
}

/// The cluster a text was put in.
///
/// Not `#[non_exhaustive]`: an assignment is a cluster and a reason, and new reasons go into [`How`], which is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The cluster: the number, counted from 1, of the text that started it, which is its line number when the
    /// texts are the lines of a file (`bibkey cluster` prints it as it is). A `u64`, because a clusterer streams
    /// any number of texts; [`RecordId`](crate::index::RecordId), by contrast, is a position in an [`Index`],
    /// counted from 0 like the index of a `Vec`, and an index holds at most 2³² − 1 records. The text numbered
    /// `cluster` is text `cluster - 1` of a slice passed to [`Clusterer::push_many`].
    pub cluster: u64,
    /// Why.
    pub how: How,
}

/// Settings of a [`Clusterer`].
///
/// Start from [`ClusterOptions::default`] (or [`ClusterOptions::new`]) and set what you need with the setters of
/// the same names as the fields; the fields stay readable. The struct may gain fields in a minor release (it is
/// `#[non_exhaustive]`), so it cannot be written as a struct literal outside this crate.
///
/// ```
/// use bibkey::{cluster::ClusterOptions, Clusterer, KeyKind};
/// let options = ClusterOptions::new(KeyKind::Title).readings(true).max_edits(2);
/// let mut c = Clusterer::with_options(options);
/// assert_eq!(c.push("Wischnjowy Sad").cluster, c.push("Vishnevyĭ sad").cluster);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClusterOptions {
    /// Which key to compute for each text. Default [`KeyKind::Text`].
    pub kind: KeyKind,
    /// Merge new keys into the nearest cluster (step 2). Default true.
    pub nearest: bool,
    /// Edits allowed per byte of key for step 2. Default 0.1.
    pub edit_ratio: f64,
    /// Most edits allowed in step 2. Default 3.
    pub max_edits: usize,
    /// Also join clusters through [readings](fn@crate::key::readings): before step 2, a text with a new key
    /// joins the cluster of an earlier text when one of its readings is that text's key or one of its readings.
    /// Brings German, Polish, Czech, French and Spanish spellings to their cluster, at the price of a few wrong
    /// joins (ACCURACY.md in the repository, "Readings"). Default false. Used by [`Clusterer::push`] only:
    /// [`Clusterer::push_key`] has no text to read.
    pub readings: bool,
    /// The language of the texts, when it is known: their Cyrillic is read as that language spells it
    /// ([`crate::key::key_as`]), and their readings are that language's. Default `None`: each text is read in the
    /// language its letters decide, and its readings are those of every language it could be in.
    pub lang: Option<Lang>,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            kind: KeyKind::Text,
            nearest: true,
            edit_ratio: 0.1,
            max_edits: 3,
            readings: false,
            lang: None,
        }
    }
}

impl ClusterOptions {
    /// The default options for keys of `kind`.
    pub fn new(kind: KeyKind) -> Self {
        ClusterOptions { kind, ..ClusterOptions::default() }
    }

    /// Sets [`kind`](Self::kind): which key to compute for each text.
    pub fn kind(mut self, kind: KeyKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets [`nearest`](Self::nearest): whether new keys join the nearest cluster (step 2).
    pub fn nearest(mut self, nearest: bool) -> Self {
        self.nearest = nearest;
        self
    }

    /// Sets [`edit_ratio`](Self::edit_ratio): edits allowed per byte of key in step 2.
    pub fn edit_ratio(mut self, edit_ratio: f64) -> Self {
        self.edit_ratio = edit_ratio;
        self
    }

    /// Sets [`max_edits`](Self::max_edits): most edits allowed in step 2.
    pub fn max_edits(mut self, max_edits: usize) -> Self {
        self.max_edits = max_edits;
        self
    }

    /// Sets [`readings`](Self::readings): whether texts also join clusters through their readings.
    pub fn readings(mut self, readings: bool) -> Self {
        self.readings = readings;
        self
    }

    /// Sets [`lang`](Self::lang): the language of the texts, when it is known.
    ///
    /// ```
    /// use bibkey::{cluster::ClusterOptions, Clusterer, KeyKind, Lang};
    /// let mut c = Clusterer::with_options(ClusterOptions::new(KeyKind::Title).lang(Some(Lang::Ukrainian)));
    /// assert_eq!(c.push("Голос").cluster, c.push("Holos").cluster);
    /// ```
    pub fn lang(mut self, lang: Option<Lang>) -> Self {
        self.lang = lang;
        self
    }
}

/// Assigns texts to clusters one at a time. See the [module documentation](self).
#[derive(Debug)]
pub struct Clusterer {
    options: ClusterOptions,
    /// Distinct keys seen, stored as the titles of an exact-only index (no names, no gram lists): exact lookup.
    keys: Index,
    /// The same keys cut into segments for nearest-neighbour search (`None` without step 2).
    near: Option<Segments>,
    /// Cluster of each distinct key, by its record id.
    cluster_of: Vec<u64>,
    /// Records that are readings of a key, not keys of a text (only with `options.readings`).
    is_reading: Vec<bool>,
    count: u64,
    /// Scratch of [`push_many`](Self::push_many): the keys being made, the records of a batch's keys and of its
    /// new keys, and the nearest key of each new key.
    group: Vec<Key>,
    records: Vec<u32>,
    links: Vec<u32>,
    new_records: Vec<u32>,
    filed_readings: Vec<(u32, u32)>,
    near_found: Vec<Option<(u32, u32)>>,
}

impl Clusterer {
    /// A clusterer with default options for `kind`.
    pub fn new(kind: KeyKind) -> Clusterer {
        Clusterer::with_options(ClusterOptions::new(kind))
    }

    /// A clusterer with the given options.
    pub fn with_options(options: ClusterOptions) -> Clusterer {
        let search =
            SearchOptions::default().limit(1).max_edits(options.max_edits).edit_ratio(options.edit_ratio).prefix(false);
        Clusterer {
            keys: Index::exact_only(),
            near: options.nearest.then(|| Segments::new(search)),
            cluster_of: Vec::new(),
            is_reading: Vec::new(),
            count: 0,
            group: Vec::new(),
            records: Vec::new(),
            links: Vec::new(),
            new_records: Vec::new(),
            filed_readings: Vec::new(),
            near_found: Vec::new(),
            options,
        }
    }

    /// Number of texts pushed so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// What the nearest-neighbour searches so far cost (zero without step 2).
    // Hidden, with NeighbourWork and heap_bytes: measurements for the benches and BENCHMARKS.md (a crate of their
    // own, so they need them public), not API to build on: they follow the internals and change with them.
    #[doc(hidden)]
    pub fn neighbour_work(&self) -> NeighbourWork {
        self.near.as_ref().map(Segments::work).unwrap_or_default()
    }

    /// Bytes of heap memory held: the keys, their exact-lookup table, the segment index and the cluster numbers.
    #[doc(hidden)] // A measurement for the benches: see neighbour_work.
    pub fn heap_bytes(&self) -> usize {
        self.keys.heap_bytes()
            + self.near.as_ref().map_or(0, Segments::heap_bytes)
            + 8 * self.cluster_of.capacity()
            + self.is_reading.capacity()
            + self.group.iter().map(|k| k.0.capacity()).sum::<usize>()
            + 4 * (self.records.capacity() + self.links.capacity() + self.new_records.capacity())
            + 8 * self.filed_readings.capacity()
            + 12 * self.near_found.capacity()
    }

    /// Number of distinct keys seen so far (with [`ClusterOptions::readings`], the readings filed count too).
    pub fn distinct_keys(&self) -> usize {
        self.keys.len()
    }

    /// Counts a text that could not be read (so that cluster numbers stay the numbers of the texts) without
    /// clustering it.
    pub fn skip(&mut self) {
        self.count += 1;
    }

    /// Assigns the next text to a cluster.
    pub fn push(&mut self, text: &str) -> Assignment {
        let cyr = Cyr::from(self.options.lang);
        let key = self.options.kind.key_cyr(text, cyr);
        // Readings are looked up only for a new key: a text whose key was seen joins its cluster by key (step 1)
        // whatever its readings, so reading it back (six romanizations) would be wasted.
        if !self.options.readings || (!key.is_empty() && self.keys.lookup_title(&key).next().is_some()) {
            return self.assign(&key, &[]);
        }
        // The readings' keys, of the same kind as the key, other than it.
        let mut readings = self.options.kind.readings_cyr(text, key, cyr);
        let key = readings.remove(0);
        self.assign(&key, &readings)
    }

    /// Assigns the next text, whose key was computed elsewhere, to a cluster.
    pub fn push_key(&mut self, key: Key) -> Assignment {
        self.assign(&key, &[])
    }

    /// Assigns the next texts to clusters: appends to `out` what [`push`](Self::push) on each text in turn would
    /// return, the same assignments, faster for batches of thousands of texts: their nearest-neighbour searches are
    /// made together, in the order of the memory they read (DESIGN.md in the package, "Clustering in batches"). With
    /// [`ClusterOptions::readings`], the exact lookups go one text after another; the searches are still batched.
    ///
    /// ```
    /// use bibkey::{cluster::How, Clusterer, KeyKind};
    /// let texts = ["Krasnyi arkhiv", "Красный архив", "Krasnyi arkiv", "Byloe", ""];
    /// let mut out = Vec::new();
    /// Clusterer::new(KeyKind::Text).push_many(&texts, &mut out);
    /// let clusters: Vec<_> = out.iter().map(|a| (a.cluster, a.how)).collect();
    /// assert_eq!(clusters, [(1, How::New), (1, How::Key), (1, How::Near(1)), (4, How::New), (5, How::Empty)]);
    /// ```
    pub fn push_many<S: AsRef<str>>(&mut self, texts: &[S], out: &mut Vec<Assignment>) {
        let kind = self.options.kind;
        let cyr = Cyr::from(self.options.lang);
        let key_of = |i: usize, key: &mut Key| kind.key_into_cyr(texts[i].as_ref(), cyr, key);
        if self.options.readings {
            let readings_of = |i: usize, key: Key| kind.readings_cyr(texts[i].as_ref(), key, cyr);
            self.push_batches(texts.len(), key_of, Some(readings_of), out);
        } else {
            self.push_batches(texts.len(), key_of, None::<fn(usize, Key) -> Vec<Key>>, out);
        }
    }

    /// [`push_many`](Self::push_many) for texts whose keys were computed elsewhere: the assignments of
    /// [`push_key`](Self::push_key) on each key in turn (which has no text to read: readings are not looked up).
    pub fn push_keys(&mut self, keys: &[Key], out: &mut Vec<Assignment>) {
        let key_of = |i: usize, key: &mut Key| {
            key.0.clear();
            key.0.push_str(keys[i].as_str());
        };
        self.push_batches(keys.len(), key_of, None::<fn(usize, Key) -> Vec<Key>>, out);
    }

    /// Assigns `n` texts, writing the key of text `i` with `key_of(i, key)` and, with readings, getting the keys of
    /// its readings (its key first) from `readings_of(i, key)`: step 1 for each text as its key is made (while it is
    /// in cache), step 2 for the new keys together.
    fn push_batches(
        &mut self,
        n: usize,
        mut key_of: impl FnMut(usize, &mut Key),
        readings_of: Option<impl Fn(usize, Key) -> Vec<Key>>,
        out: &mut Vec<Assignment>,
    ) {
        let mut group = std::mem::take(&mut self.group);
        group.resize_with(GROUP, || Key(String::new()));
        // With readings, one key at a time: a key filed as a reading earlier in a group would not be among the
        // group's lookups.
        let group_len = if readings_of.is_some() { 1 } else { GROUP };
        let mut hashes = [0; GROUP];
        let mut i = 0;
        while i < n {
            let first = out.len();
            // Step 1 for every key, in order, a group of keys at a time: their lookups first (together, so that
            // their cache misses overlap), then each key in turn, filed at once if new, so that a later equal key
            // finds it (within the group, by comparing it with the group's earlier keys). `records[j]` is the
            // record of the key of out[first + j] (for a new key joined through a reading, `links[j]` is the
            // record it was joined to); the clusters of keys filed in this batch are set in the last loop, in order,
            // and with them those of the readings filed for them (`filed_readings`: position in the batch, record).
            self.records.clear();
            self.links.clear();
            self.new_records.clear();
            self.filed_readings.clear();
            let mut full = false;
            'batch: while i < n && self.records.len() < BATCH {
                let g = group_len.min(n - i);
                for (t, key) in group[..g].iter_mut().enumerate() {
                    key_of(i + t, key);
                }
                let heads = self.keys.title_heads(&group[..g], &mut hashes);
                for t in 0..g {
                    let key = &group[t];
                    self.count += 1;
                    let number = self.count;
                    let earlier = || (0..t).rev().find(|&e| group[e] == *key);
                    let mut link = u32::MAX;
                    if key.is_empty() {
                        out.push(Assignment { cluster: number, how: How::Empty });
                        self.records.push(u32::MAX);
                    } else if let Some(r) = heads[t] {
                        let reading = self.is_reading.get(r as usize).copied().unwrap_or(false);
                        out.push(Assignment { cluster: 0, how: if reading { How::Reading } else { How::Key } });
                        self.records.push(r);
                    } else if let Some(e) = earlier() {
                        out.push(Assignment { cluster: 0, how: How::Key });
                        self.records.push(self.records[self.records.len() - (t - e)]);
                    } else if let Ok(r) = self.keys.insert_title_hashed(key, hashes[t]) {
                        let r = r.index() as u32;
                        out.push(Assignment { cluster: number, how: How::New });
                        self.records.push(r);
                        self.new_records.push(r);
                        self.cluster_of.push(number);
                        if let Some(readings_of) = &readings_of {
                            self.is_reading.push(false);
                            let readings = readings_of(i + t, key.clone());
                            // In this text's cluster, set below once it is known.
                            let position = self.records.len() as u32 - 1;
                            link = self.link_and_file(&readings[1..], number, position);
                        }
                    } else {
                        // The index is full: this key alone, after the others.
                        self.count -= 1;
                        full = true;
                        i += t;
                        break 'batch;
                    }
                    self.links.push(link);
                }
                i += g;
            }
            // Step 2 for the new keys, together (those joined through a reading are searched too, and filed, as one
            // at a time files them; their result is not used).
            if let Some(segments) = &mut self.near {
                segments.nearest_many(&self.new_records, &self.keys, &mut self.near_found);
            }
            let mut near = self.near_found.iter();
            let mut filed = self.filed_readings.iter().peekable();
            for (p, (a, (&r, &link))) in out[first..].iter_mut().zip(self.records.iter().zip(&self.links)).enumerate() {
                match a.how {
                    How::Key | How::Reading => a.cluster = self.cluster_of[r as usize],
                    How::New => {
                        let nearest = near.next();
                        if link != u32::MAX {
                            *a = Assignment { cluster: self.cluster_of[link as usize], how: How::Reading };
                        } else if let Some(Some((n, d))) = nearest {
                            *a = Assignment { cluster: self.cluster_of[*n as usize], how: How::Near(*d) };
                        }
                        self.cluster_of[r as usize] = a.cluster;
                        while let Some(&(_, rr)) = filed.next_if(|f| f.0 as usize == p) {
                            self.cluster_of[rr as usize] = a.cluster;
                        }
                    }
                    _ => {}
                }
            }
            if full {
                key_of(i, &mut group[0]);
                let a = match &readings_of {
                    Some(readings_of) => {
                        let readings = readings_of(i, group[0].clone());
                        self.assign(&readings[0], &readings[1..])
                    }
                    None => self.assign(&group[0], &[]),
                };
                out.push(a);
                i += 1;
            }
        }
        self.group = group;
    }

    /// Steps 1 and 2 for a text with this key, after looking up `readings` (keys of its readings) if it is new.
    fn assign(&mut self, key: &Key, readings: &[Key]) -> Assignment {
        self.count += 1;
        let number = self.count;
        if key.is_empty() {
            return Assignment { cluster: number, how: How::Empty };
        }
        if let Some(r) = self.keys.lookup_title(key).next() {
            let how = if self.is_reading.get(r.index()).copied().unwrap_or(false) { How::Reading } else { How::Key };
            return Assignment { cluster: self.cluster_of[r.index()], how };
        }
        let found = readings.iter().find_map(|k| self.keys.lookup_title(k).next());
        let mut assignment = match found {
            Some(r) => Assignment { cluster: self.cluster_of[r.index()], how: How::Reading },
            None => Assignment { cluster: number, how: How::New },
        };
        if let (Some(near), How::New) = (&mut self.near, assignment.how) {
            if let Some((r, d)) = near.nearest(key.as_str(), &self.keys) {
                assignment = Assignment { cluster: self.cluster_of[r as usize], how: How::Near(d) };
            }
        }
        // A full index (4 billion distinct keys) only stops new keys from being found again: the text still gets
        // its cluster.
        if let Ok(r) = self.keys.insert_keys(key, &[]) {
            self.cluster_of.push(assignment.cluster);
            if self.options.readings {
                self.is_reading.push(false);
            }
            if let Some(near) = &mut self.near {
                // False only past 4 billion segments: the key is then found by exact lookup alone.
                near.insert(r.index() as u32, key.as_str().as_bytes());
            }
        }
        self.file_readings(readings, assignment.cluster);
        assignment
    }

    /// In a batch, for the text at `position` (whose key `number` is new): the record of the first of `readings`
    /// already known (the link to its cluster; `u32::MAX` if none), and the others filed as
    /// [`file_readings`](Self::file_readings) files them. One lookup for each reading does both: the readings of a text are distinct keys, so filing one
    /// does not change what another finds, and a reading's hash serves its insert.
    fn link_and_file(&mut self, readings: &[Key], number: u64, position: u32) -> u32 {
        let mut link = u32::MAX;
        for group in readings.chunks(GROUP) {
            let mut hashes = [0; GROUP];
            let heads = self.keys.title_heads(group, &mut hashes);
            for (t, k) in group.iter().enumerate() {
                match heads[t] {
                    Some(r) if link == u32::MAX => link = r,
                    Some(_) => {}
                    None => {
                        if let Ok(r) = self.keys.insert_title_hashed(k, hashes[t]) {
                            self.cluster_of.push(number);
                            self.is_reading.push(true);
                            self.filed_readings.push((position, r.index() as u32));
                        }
                    }
                }
            }
        }
        link
    }

    /// Files the readings not yet known (exact lookup only) in `cluster`, so that a later text whose key is one of
    /// them finds it (one text at a time; a batch goes through [`link_and_file`](Self::link_and_file)).
    fn file_readings(&mut self, readings: &[Key], cluster: u64) {
        for k in readings {
            if self.keys.lookup_title(k).next().is_none() && self.keys.insert_keys(k, &[]).is_ok() {
                self.cluster_of.push(cluster);
                self.is_reading.push(true);
            }
        }
    }
}
