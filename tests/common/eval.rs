//! The accuracy evaluation shared by `examples/accuracy.rs` (which writes ACCURACY.md) and `tests/accuracy.rs`
//! (which holds the floors). Data: tests/data/eval/ (see its README.md for how it was generated).

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/eval").join(name)
}

/// Columns that are not romanizations of Russian and are reported apart from the targets.
pub const NOT_RUSSIAN: &[&str] = &["iuliia:uz"];

pub struct Items {
    pub tools: Vec<String>,
    /// (category, cyrillic, forms per tool; empty = tool failed)
    pub rows: Vec<(String, String, Vec<String>)>,
}

pub fn load_items() -> Items {
    let text = std::fs::read_to_string(data("items.tsv")).expect("tests/data/eval/items.tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let tools = header[2..].iter().map(|s| s.to_string()).collect();
    let rows = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_string(), f[1].to_string(), f[2..].iter().map(|s| s.to_string()).collect())
        })
        .collect();
    Items { tools, rows }
}

#[derive(Default, Clone, Debug)]
pub struct Tally {
    pub hit: usize,
    pub total: usize,
}

impl Tally {
    pub fn add(&mut self, ok: bool) {
        self.total += 1;
        self.hit += ok as usize;
    }
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            return 1.0;
        }
        self.hit as f64 / self.total as f64
    }
}

/// (tool, recall tally, first misses as (Cyrillic, tool's form))
pub type ToolResult = (String, Tally, Vec<(String, String)>);

pub struct Report {
    pub per_tool: Vec<ToolResult>,
    pub per_category: BTreeMap<String, Tally>,
    pub overall: Tally,
    pub distinct_items: usize,
    pub colliding_items: usize,
    pub collision_examples: Vec<Vec<String>>,
}

impl Report {
    pub fn collision_rate(&self) -> f64 {
        self.colliding_items as f64 / self.distinct_items as f64
    }
}

/// The identity of an item for the collision count: lower case, ё folded into е, and the pre-1918 letters into
/// their modern replacements (і → и, ѣ → е, ѳ → ф, ѵ → и, word-final ъ dropped), because the key is required to
/// make Извѣстія = Известия; those pairs are one item in two spellings, not a collision.
pub fn item_identity(s: &str) -> String {
    let l = s.to_lowercase().replace('ё', "е").replace('і', "и").replace('ѣ', "е").replace('ѳ', "ф").replace('ѵ', "и");
    l.split(' ').map(|w| w.strip_suffix('ъ').unwrap_or(w)).collect::<Vec<_>>().join(" ")
}

pub fn evaluate(items: &Items) -> Report {
    let mut per_tool: Vec<ToolResult> = items.tools.iter().map(|t| (t.clone(), Tally::default(), Vec::new())).collect();
    let mut per_category: BTreeMap<String, Tally> = BTreeMap::new();
    let mut overall = Tally::default();
    let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (cat, cyr, forms) in &items.rows {
        let k = bibkey::key(cyr);
        if seen.insert(item_identity(cyr)) {
            by_key.entry(k.as_str().to_string()).or_default().push(item_identity(cyr));
        }
        for (i, form) in forms.iter().enumerate() {
            if form.is_empty() {
                continue;
            }
            let ok = bibkey::key(form) == k;
            let (name, tally, misses) = &mut per_tool[i];
            tally.add(ok);
            if !ok && misses.len() < 400 {
                misses.push((cyr.clone(), form.clone()));
            }
            if !NOT_RUSSIAN.contains(&name.as_str()) {
                overall.add(ok);
                per_category.entry(cat.clone()).or_default().add(ok);
            }
        }
    }
    let distinct_items = seen.len();
    let mut colliding_items = 0;
    let mut collision_examples = Vec::new();
    for group in by_key.values() {
        if group.len() > 1 {
            colliding_items += group.len();
            collision_examples.push(group.clone());
        }
    }
    collision_examples.sort();
    Report { per_tool, per_category, overall, distinct_items, colliding_items, collision_examples }
}

pub struct RealWorld {
    /// (cluster, kind, note, form, reached)
    pub forms: Vec<(String, String, String, String, bool)>,
    /// (pair, keys differ)
    pub distinct: Vec<(String, bool)>,
}

pub fn realworld() -> RealWorld {
    let text = std::fs::read_to_string(data("realworld.tsv")).expect("tests/data/eval/realworld.tsv");
    let mut forms = Vec::new();
    let mut distinct = Vec::new();
    for l in text.lines().skip(1).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        let note = f.get(3).copied().unwrap_or("").to_string();
        if f[1] == "distinct" {
            if let Some((a, b)) = f[2].split_once('|') {
                distinct.push((f[2].to_string(), bibkey::key(a) != bibkey::key(b)));
            }
        } else {
            let ok = bibkey::key(f[0]) == bibkey::key(f[2]);
            forms.push((f[0].to_string(), f[1].to_string(), note, f[2].to_string(), ok));
        }
    }
    RealWorld { forms, distinct }
}
