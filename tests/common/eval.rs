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
    /// (cluster, kind, note, form, reached by `key`, reached by the key of its kind: `title_key` or `name_key`,
    /// reached by one of its readings: `bibkey::key::readings`)
    pub forms: Vec<(String, String, String, String, bool, bool, bool)>,
    /// (pair, keys differ, no reading in common)
    pub distinct: Vec<(String, bool, bool)>,
}

/// One row of a realworld.tsv (`cluster<TAB>kind<TAB>form<TAB>note`; kind `distinct` holds `a|b` pairs that must
/// stay apart). Shared by the Russian and the other languages' evaluations.
pub enum RealRow<'a> {
    /// A form of the cluster's original (the cluster column is the original itself).
    Form { original: &'a str, kind: &'a str, form: &'a str, note: &'a str },
    /// A must-not-match pair, as written (`a|b`), and its two sides.
    Distinct { pair: &'a str, a: &'a str, b: &'a str, note: &'a str },
}

/// The rows of a realworld.tsv, without its header, comments and short lines.
pub fn real_rows(text: &str) -> Vec<RealRow<'_>> {
    let mut out = Vec::new();
    for l in text.lines().skip(1).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = l.split('\t').collect();
        if f.len() < 3 {
            continue;
        }
        let note = f.get(3).copied().unwrap_or("");
        if f[1] == "distinct" {
            if let Some((a, b)) = f[2].split_once('|') {
                out.push(RealRow::Distinct { pair: f[2], a, b, note });
            }
        } else {
            out.push(RealRow::Form { original: f[0], kind: f[1], form: f[2], note });
        }
    }
    out
}

pub fn realworld() -> RealWorld {
    let text = std::fs::read_to_string(data("realworld.tsv")).expect("tests/data/eval/realworld.tsv");
    let mut forms = Vec::new();
    let mut distinct = Vec::new();
    for row in real_rows(&text) {
        match row {
            RealRow::Distinct { pair, a, b, .. } => {
                distinct.push((pair.to_string(), bibkey::key(a) != bibkey::key(b), !share_a_reading(a, b)))
            }
            RealRow::Form { original, kind, form, note } => {
                let ok = bibkey::key(original) == bibkey::key(form);
                let of_kind = |s: &str| if kind == "title" { bibkey::title_key(s) } else { bibkey::name_key(s) };
                let by_kind = of_kind(original) == of_kind(form);
                let by_reading = share_a_reading(original, form);
                forms.push((
                    original.to_string(),
                    kind.to_string(),
                    note.to_string(),
                    form.to_string(),
                    ok,
                    by_kind,
                    by_reading,
                ));
            }
        }
    }
    RealWorld { forms, distinct }
}

/// Whether some reading of `a` is some reading of `b` (`bibkey::key::readings`).
pub fn share_a_reading(a: &str, b: &str) -> bool {
    let rb = bibkey::key::readings(b);
    bibkey::key::readings(a).iter().any(|k| rb.contains(k))
}

/// What readings (`bibkey::key::readings`) give and cost over the items.
pub struct ReadingsReport {
    /// Per tool: forms one of whose readings is the key of their item.
    pub per_tool: Vec<(String, Tally)>,
    /// The same over the Russian tools.
    pub overall: Tally,
    /// Romanized forms (Russian tools) with a reading other than their key.
    pub with_extra: usize,
    /// Those of them with a reading that is the key of a different item.
    pub false_links: usize,
    /// Up to 20 examples `(form, its item, the other item)`, one per pair of items.
    pub examples: Vec<(String, String, String)>,
    /// Distinct items on either side of a false link.
    pub linked_items: usize,
    /// Distinct items.
    pub distinct_items: usize,
}

pub fn readings_report(items: &Items) -> ReadingsReport {
    let mut by_key: HashMap<String, String> = HashMap::new();
    for (_, cyr, _) in &items.rows {
        by_key.entry(bibkey::key(cyr).as_str().to_string()).or_insert_with(|| item_identity(cyr));
    }
    let mut per_tool: Vec<(String, Tally)> = items.tools.iter().map(|t| (t.clone(), Tally::default())).collect();
    let mut overall = Tally::default();
    let (mut with_extra, mut false_links, mut examples) = (0, 0, Vec::new());
    let mut linked = std::collections::HashSet::new();
    for (_, cyr, forms) in &items.rows {
        let own = item_identity(cyr);
        let own_key = bibkey::key(cyr);
        for ((tool, tally), form) in per_tool.iter_mut().zip(forms) {
            if form.is_empty() {
                continue;
            }
            let r = bibkey::key::readings(form);
            let ok = r.contains(&own_key);
            tally.add(ok);
            if NOT_RUSSIAN.contains(&tool.as_str()) {
                continue;
            }
            overall.add(ok);
            if r.len() < 2 {
                continue;
            }
            with_extra += 1;
            let other = r[1..].iter().filter_map(|k| by_key.get(k.as_str())).find(|&other| *other != own);
            if let Some(other) = other {
                false_links += 1;
                linked.insert(own.clone());
                linked.insert(other.clone());
                if examples.len() < 20 && !examples.iter().any(|(_, o, t)| *o == own && t == other) {
                    examples.push((form.clone(), own.clone(), other.clone()));
                }
            }
        }
    }
    let distinct_items =
        items.rows.iter().map(|(_, cyr, _)| item_identity(cyr)).collect::<std::collections::HashSet<_>>().len();
    ReadingsReport { per_tool, overall, with_extra, false_links, examples, linked_items: linked.len(), distinct_items }
}

/// A group of items that must share a key (see [`forced_groups`]): the items, and each linking form with, per item,
/// the tools that write the item that way.
pub type ForcedGroup = (Vec<String>, Vec<(String, Vec<(String, Vec<String>)>)>);

/// Items that every case-insensitive key with 100 % recall must put together: two items are linked when some
/// Russian tool writes one of them exactly as some tool (the same or another) writes the other, ignoring case. A key
/// is a function of the text, so both forms get one key, and full recall makes it the key of both items. Groups of
/// linked items (by `item_identity`), each with the linking forms and, per item, the tools that write it so.
pub fn forced_groups(items: &Items) -> Vec<ForcedGroup> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut form_items: HashMap<String, BTreeMap<usize, Vec<String>>> = HashMap::new();
    for (_, cyr, forms) in &items.rows {
        let identity = item_identity(cyr);
        let next = names.len();
        let id = *ids.entry(identity.clone()).or_insert(next);
        if id == next {
            names.push(identity);
        }
        for (tool, form) in items.tools.iter().zip(forms) {
            if form.is_empty() || NOT_RUSSIAN.contains(&tool.as_str()) {
                continue;
            }
            form_items.entry(form.to_lowercase()).or_default().entry(id).or_default().push(tool.clone());
        }
    }
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut links: Vec<(&String, &BTreeMap<usize, Vec<String>>)> =
        form_items.iter().filter(|(_, by_item)| by_item.len() > 1).collect();
    links.sort();
    for (_, by_item) in &links {
        let mut it = by_item.keys();
        let first = *it.next().expect("two items");
        for &other in it {
            let (a, b) = (root(&mut parent, first), root(&mut parent, other));
            parent[a] = b;
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..names.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<ForcedGroup> = groups
        .into_values()
        .filter(|g| g.len() > 1)
        .map(|g| {
            let members: Vec<String> = g.iter().map(|&i| names[i].clone()).collect();
            let why = links
                .iter()
                .filter(|(_, by_item)| by_item.keys().any(|i| g.contains(i)))
                .map(|(form, by_item)| {
                    let per_item = by_item.iter().map(|(&i, tools)| (names[i].clone(), tools.clone())).collect();
                    ((*form).clone(), per_item)
                })
                .collect();
            (members, why)
        })
        .collect();
    out.sort();
    out
}

/// Per Russian tool, the share of its forms that write no mark at all for a ь standing before a consonant or at
/// the end of a word (the item has such a ь and the form has no apostrophe, prime or quotation mark). A key that
/// kept such a ь apart would miss all of these forms.
pub fn silent_soft_sign(items: &Items) -> Vec<(String, f64)> {
    const MARKS: &[char] = &['\'', '’', '‘', 'ʹ', 'ʼ', '`', '"', '”', '“', 'ʺ', '´'];
    let vowels = "аеёиоуыэюя";
    let has_bare_soft_sign = |s: &str| {
        let chars: Vec<char> = s.to_lowercase().chars().collect();
        chars.iter().enumerate().any(|(i, &c)| c == 'ь' && !matches!(chars.get(i + 1), Some(n) if vowels.contains(*n)))
    };
    let mut out = Vec::new();
    for (t, tool) in items.tools.iter().enumerate() {
        if NOT_RUSSIAN.contains(&tool.as_str()) {
            continue;
        }
        let (mut silent, mut total) = (0usize, 0usize);
        for (_, cyr, forms) in &items.rows {
            let form = &forms[t];
            if form.is_empty() {
                continue;
            }
            total += 1;
            if has_bare_soft_sign(cyr) && !form.contains(MARKS) {
                silent += 1;
            }
        }
        out.push((tool.clone(), silent as f64 / total.max(1) as f64));
    }
    out
}
