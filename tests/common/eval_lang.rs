//! The accuracy evaluation of the other Cyrillic languages (Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian),
//! shared by `examples/languages_accuracy.rs` (which writes that part of ACCURACY.md) and `tests/accuracy.rs` (which
//! holds the floors). Data: tests/data/eval/<lang>/ (items.tsv, tools.tsv, realworld.tsv; see
//! tests/data/eval/README.md for how they were generated).
//!
//! A romanized form is *reached* when its key equals the key of its Cyrillic original read in the item's language
//! ([`bibkey::key::key_as`], what a catalog that knows the record's language gets), when it equals the key of the
//! original without a hint ([`bibkey::key`], which reads the language from its letters), and when the form and the
//! original share a reading ([`bibkey::key::readings`], what a matcher that accepts readings gets without a hint).

#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use bibkey::{KeyKind, Lang};

// The shared tally of recall (the Russian evaluation's); every file that includes this module includes that one.
pub use super::eval::Tally;
use super::eval::{real_rows, share_a_reading, RealRow};

/// The languages evaluated here (Russian has its own, larger evaluation in eval.rs).
pub const LANGS: [Lang; 5] = [Lang::Ukrainian, Lang::Belarusian, Lang::Bulgarian, Lang::Serbian, Lang::Macedonian];

fn data(lang: Lang, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval").join(lang.code()).join(name)
}

pub struct Items {
    pub lang: Lang,
    pub tools: Vec<String>,
    /// The published standard each tool follows, empty for none (tools.tsv).
    pub standards: Vec<String>,
    /// (category, cyrillic, forms per tool; empty = tool failed)
    pub rows: Vec<(String, String, Vec<String>)>,
}

pub fn load(lang: Lang) -> Items {
    let path = data(lang, "items.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let tools: Vec<String> = header[2..].iter().map(|s| s.to_string()).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string(), f[2..].iter().map(|s| s.to_string()).collect())
        })
        .collect();
    let path = data(lang, "tools.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let standard: HashMap<&str, &str> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next().unwrap_or("")))
        })
        .collect();
    let standards = tools.iter().map(|t| standard.get(t.as_str()).copied().unwrap_or("").to_string()).collect();
    Items { lang, tools, standards, rows }
}

/// One tool's figures.
pub struct ToolReport {
    pub tool: String,
    pub standard: String,
    /// key(form) == key_as(original, lang)
    pub hinted: Tally,
    /// key(form) == key(original)
    pub auto: Tally,
    /// a reading in common, no hint
    pub readings: Tally,
    /// a reading in common, with the hint (readings_as)
    pub hinted_readings: Tally,
    /// first misses of the hinted key: (original, form, key of original, key of form)
    pub misses: Vec<(String, String, String, String)>,
    /// first forms that share no reading with their original (no hint): (original, form)
    pub reading_misses: Vec<(String, String)>,
}

pub struct Report {
    pub lang: Lang,
    pub per_tool: Vec<ToolReport>,
    /// The four measures over the tools that follow a published standard.
    pub standard: [Tally; 4],
    /// The same over every tool.
    pub all: [Tally; 4],
    pub distinct_items: usize,
    /// Items whose hinted key is another item's.
    pub colliding_items: usize,
    pub collision_examples: Vec<Vec<String>>,
    /// Items whose key without a hint is another item's.
    pub colliding_items_auto: usize,
    /// Romanized forms (standard tools) one of whose readings is the key of a different item, read without a hint
    /// (a false link through readings), and all such forms with a reading other than their key.
    pub false_links: usize,
    pub with_extra: usize,
    pub false_link_examples: Vec<(String, String, String)>,
}

impl Report {
    pub fn collision_rate(&self) -> f64 {
        self.colliding_items as f64 / self.distinct_items.max(1) as f64
    }
    pub fn collision_rate_auto(&self) -> f64 {
        self.colliding_items_auto as f64 / self.distinct_items.max(1) as f64
    }
}

/// The identity of an item for the collision count: lower case, with one apostrophe for the three that Ukrainian
/// and Belarusian text writes (' ’ ʼ): вив'ялився and вив’ялився are one word, not a collision.
pub fn identity(s: &str) -> String {
    s.to_lowercase().replace(['’', 'ʼ'], "'")
}

fn share(a: &[bibkey::Key], b: &[bibkey::Key]) -> bool {
    a.iter().any(|k| b.contains(k))
}

pub fn evaluate(items: &Items) -> Report {
    let lang = items.lang;
    let mut per_tool: Vec<ToolReport> = items
        .tools
        .iter()
        .zip(&items.standards)
        .map(|(t, s)| ToolReport {
            tool: t.clone(),
            standard: s.clone(),
            hinted: Tally::default(),
            auto: Tally::default(),
            readings: Tally::default(),
            hinted_readings: Tally::default(),
            misses: Vec::new(),
            reading_misses: Vec::new(),
        })
        .collect();
    let mut standard: [Tally; 4] = Default::default();
    let mut all: [Tally; 4] = Default::default();
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    let mut by_key_auto: HashMap<String, Vec<String>> = HashMap::new();
    let mut seen = HashSet::new();
    for (_, cyr, forms) in &items.rows {
        let hinted = bibkey::key::key_as(cyr, lang);
        let auto = bibkey::key(cyr);
        let identity = identity(cyr);
        if seen.insert(identity.clone()) {
            by_key.entry(hinted.as_str().to_string()).or_default().push(identity.clone());
            by_key_auto.entry(auto.as_str().to_string()).or_default().push(identity);
        }
        let readings = bibkey::key::readings(cyr);
        let hinted_readings = KeyKind::Text.readings_as(cyr, lang);
        for (t, form) in per_tool.iter_mut().zip(forms) {
            if form.is_empty() {
                continue;
            }
            let k = bibkey::key(form);
            let form_readings = bibkey::key::readings(form);
            let ok =
                [k == hinted, k == auto, share(&form_readings, &readings), share(&form_readings, &hinted_readings)];
            for (i, &ok) in ok.iter().enumerate() {
                all[i].add(ok);
                if !t.standard.is_empty() {
                    standard[i].add(ok);
                }
            }
            t.hinted.add(ok[0]);
            t.auto.add(ok[1]);
            t.readings.add(ok[2]);
            t.hinted_readings.add(ok[3]);
            if !ok[2] && t.reading_misses.len() < 400 {
                t.reading_misses.push((cyr.clone(), form.clone()));
            }
            if !ok[0] && t.misses.len() < 400 {
                t.misses.push((cyr.clone(), form.clone(), hinted.to_string(), k.to_string()));
            }
        }
    }
    // False links: a form's reading that is the key (no hint) of another item.
    let (mut false_links, mut with_extra, mut false_link_examples) = (0, 0, Vec::new());
    let mut first_item: HashMap<String, String> = HashMap::new();
    for (_, cyr, _) in &items.rows {
        first_item.entry(bibkey::key(cyr).to_string()).or_insert_with(|| identity(cyr));
    }
    for (_, cyr, forms) in &items.rows {
        let own = identity(cyr);
        for (t, form) in per_tool.iter().zip(forms) {
            if form.is_empty() || t.standard.is_empty() {
                continue;
            }
            let r = bibkey::key::readings(form);
            if r.len() < 2 {
                continue;
            }
            with_extra += 1;
            if let Some(other) = r[1..].iter().filter_map(|k| first_item.get(k.as_str())).find(|o| **o != own) {
                false_links += 1;
                if false_link_examples.len() < 10 {
                    false_link_examples.push((form.clone(), own.clone(), other.clone()));
                }
            }
        }
    }
    let collide = |m: &HashMap<String, Vec<String>>| m.values().filter(|g| g.len() > 1).map(Vec::len).sum();
    let mut collision_examples: Vec<Vec<String>> = by_key.values().filter(|g| g.len() > 1).cloned().collect();
    collision_examples.sort();
    Report {
        lang,
        per_tool,
        standard,
        all,
        distinct_items: seen.len(),
        colliding_items: collide(&by_key),
        collision_examples,
        colliding_items_auto: collide(&by_key_auto),
        false_links,
        with_extra,
        false_link_examples,
    }
}

pub struct RealWorld {
    /// (cluster, kind, note, form, hinted key, key of its kind with the hint, key without hint, a reading in common)
    pub forms: Vec<(String, String, String, String, [bool; 4])>,
    /// (pair, note, hinted keys differ, keys differ without hint, no reading in common)
    pub distinct: Vec<(String, String, [bool; 3])>,
}

impl RealWorld {
    pub fn reach(&self, i: usize) -> f64 {
        self.forms.iter().filter(|f| f.4[i]).count() as f64 / self.forms.len().max(1) as f64
    }
}

pub fn realworld(lang: Lang) -> RealWorld {
    let path = data(lang, "realworld.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut forms = Vec::new();
    let mut distinct = Vec::new();
    for row in real_rows(&text) {
        match row {
            RealRow::Distinct { pair, a, b, note } => {
                let hinted = bibkey::key::key_as(a, lang) != bibkey::key::key_as(b, lang);
                let auto = bibkey::key(a) != bibkey::key(b);
                distinct.push((pair.to_string(), note.to_string(), [hinted, auto, !share_a_reading(a, b)]));
            }
            RealRow::Form { original, form, .. } if original == form => {}
            RealRow::Form { original: cyr, kind: kind_name, form, note } => {
                let kind = match kind_name {
                    "title" => KeyKind::Title,
                    "name" => KeyKind::Name,
                    _ => KeyKind::Text,
                };
                let ok = [
                    bibkey::key::key_as(cyr, lang) == bibkey::key(form),
                    kind.key_as(cyr, lang) == kind.key(form),
                    bibkey::key(cyr) == bibkey::key(form),
                    share_a_reading(cyr, form),
                ];
                forms.push((cyr.to_string(), kind_name.to_string(), note.to_string(), form.to_string(), ok));
            }
        }
    }
    RealWorld { forms, distinct }
}

/// How many of the items in collisions (with the hint) are forced: some tool that follows a published standard
/// writes one of them exactly as some such tool writes another (ignoring case), so that a key with full recall on
/// those tools must give them one key (chains of such links count). Returns (forced, avoidable) item counts.
pub fn forced_collisions(items: &Items, report: &Report) -> (usize, usize) {
    let mut ids: HashMap<String, usize> = HashMap::new();
    for (_, cyr, _) in &items.rows {
        let next = ids.len();
        ids.entry(identity(cyr)).or_insert(next);
    }
    let mut parent: Vec<usize> = (0..ids.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut by_form: HashMap<String, usize> = HashMap::new();
    for (_, cyr, forms) in &items.rows {
        let id = ids[&identity(cyr)];
        for (form, standard) in forms.iter().zip(&items.standards) {
            if form.is_empty() || standard.is_empty() {
                continue;
            }
            let first = *by_form.entry(form.to_lowercase()).or_insert(id);
            let (a, b) = (root(&mut parent, first), root(&mut parent, id));
            parent[a] = b;
        }
    }
    let (mut forced, mut avoidable) = (0, 0);
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (_, cyr, _) in &items.rows {
        let id = ids[&identity(cyr)];
        let g = groups.entry(bibkey::key::key_as(cyr, report.lang).to_string()).or_default();
        if !g.contains(&id) {
            g.push(id);
        }
    }
    for g in groups.values().filter(|g| g.len() > 1) {
        let r = root(&mut parent, g[0]);
        if g.iter().all(|&i| root(&mut parent, i) == r) {
            forced += g.len();
        } else {
            avoidable += g.len();
        }
    }
    (forced, avoidable)
}
