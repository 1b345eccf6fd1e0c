//! The citation evaluation shared by `examples/citations.rs` (which prints the table of ACCURACY.md) and
//! `tests/cite.rs` (which holds the floors).
//!
//! Data: every `tests/data/citations/*.tsv`: UTF-8, TAB-separated, one header row, `#` comment lines, columns `id
//! group stream convention citation kind authors title container volume issue year pages place publisher source`.
//! Field cells are the fields as written in the citation line itself (for an `Ibid.` line, what that line says);
//! `group` and `kind` are those of the work the line cites after resolution. Group ids are one name space across files, so that a work
//! cited in several files (conventions) is one group.
//!
//! Parts: the hand-labelled citations of real works (every `*.tsv` of the folder but `dev.tsv`) are split by group
//! into a development part and a held-out part: a group is held out when the FNV-1a 32-bit hash of its id is
//! divisible by 3 ([`held_out`]). The parser is developed against the development part only; the held-out part
//! measures how its rules do on citations they were not written from. `dev.tsv` (lines written together with the
//! parser) and the machine-made `synthetic/` set are scored on their own.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use bibkey::cite::{parse, Citation, Stream};

pub const FIELDS: &[&str] =
    &["authors", "title", "container", "volume", "issue", "year", "pages", "place", "publisher", "kind"];

pub struct Row {
    pub file: String,
    pub line: usize,
    pub cells: BTreeMap<String, String>,
}

impl Row {
    pub fn get(&self, col: &str) -> &str {
        self.cells.get(col).map_or("", String::as_str)
    }
}

/// FNV-1a, 32 bits (offset basis 0x811c9dc5, prime 0x01000193), over the bytes of `s`.
pub fn fnv1a32(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// Is the group held out (not looked at while developing)? About a third of the groups are.
pub fn held_out(group: &str) -> bool {
    fnv1a32(group) % 3 == 0
}

/// Which rows a table is scored on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Real rows whose group is not held out.
    Development,
    /// Real rows whose group is held out.
    HeldOut,
    /// Every row loaded (dev.tsv, the synthetic set).
    All,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Development => "development",
            Part::HeldOut => "held-out",
            Part::All => "all",
        }
    }

    pub fn keeps(self, r: &Row) -> bool {
        match self {
            Part::Development => !held_out(r.get("group")),
            Part::HeldOut => held_out(r.get("group")),
            Part::All => true,
        }
    }
}

/// The labelled citations of real works: every `*.tsv` of `dir` except `dev.tsv`.
pub fn load_real(dir: &Path) -> Result<Vec<Row>, String> {
    Ok(load(dir)?.into_iter().filter(|r| r.file != "dev.tsv").collect())
}

/// Parses every row (streams resolved with all their lines, as a reader of the notes would) and scores the rows of
/// `part`: their fields, and the pairs of two rows both in `part`.
pub fn evaluate(rows: &[Row], part: Part) -> (BTreeMap<String, Scores>, Vec<String>) {
    let parsed = run(rows);
    let (r, p): (Vec<&Row>, Vec<&Parsed>) = rows.iter().zip(&parsed).filter(|(r, _)| part.keeps(r)).unzip();
    score_refs(&r, &p)
}

/// Reads every `*.tsv` of the folder; a malformed file is an error naming file and line.
pub fn load(dir: &Path) -> Result<Vec<Row>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for path in files {
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let mut header: Option<Vec<String>> = None;
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            match &header {
                None => {
                    let h: Vec<String> = cols.iter().map(|c| c.trim().to_string()).collect();
                    for need in ["id", "group", "stream", "convention", "citation"] {
                        if !h.iter().any(|c| c == need) {
                            return Err(format!("{name}:{}: header lacks column {need:?}", n + 1));
                        }
                    }
                    header = Some(h);
                }
                Some(h) => {
                    if cols.len() > h.len() {
                        return Err(format!("{name}:{}: {} cells, header has {}", n + 1, cols.len(), h.len()));
                    }
                    let cells = h.iter().cloned().zip(cols.iter().map(|c| c.to_string())).collect();
                    rows.push(Row { file: name.clone(), line: n + 1, cells });
                }
            }
        }
    }
    Ok(rows)
}

/// The parse of each row (as written) and the work key after resolution within its stream.
pub struct Parsed {
    pub citation: Citation,
    /// The kind of the resolved work (an `Ibid.` line cites the kind of work its note refers to).
    pub kind: &'static str,
    pub work_key: String,
    /// The citation after resolution within its stream (what is clustered).
    pub resolved: Citation,
}

pub fn run(rows: &[Row]) -> Vec<Parsed> {
    let mut streams: BTreeMap<(String, String), Stream> = BTreeMap::new();
    rows.iter()
        .map(|r| {
            let c = parse(r.get("citation"));
            let (work_key, kind, resolved) = if r.get("stream").is_empty() {
                (c.work_key().into_string(), c.kind.as_str(), c.clone())
            } else {
                let s = streams.entry((r.file.clone(), r.get("stream").to_string())).or_default();
                let resolved = s.push(c.clone());
                (resolved.work_key().into_string(), resolved.citation.kind.as_str(), resolved.citation)
            };
            Parsed { citation: c, kind, work_key, resolved }
        })
        .collect()
}

/// A field of a parse, written as the data writes it.
pub fn field(c: &Citation, name: &str) -> String {
    match name {
        "authors" => c.authors.iter().map(|a| a.name.surname.clone()).collect::<Vec<_>>().join(" ; "),
        "title" => c.title.as_ref().map(|f| f.value.clone()).unwrap_or_default(),
        "container" => c.container.as_ref().map(|f| f.value.clone()).unwrap_or_default(),
        "volume" => c.volume.as_ref().map(|f| f.value.to_string()).unwrap_or_default(),
        "issue" => c
            .issue
            .as_ref()
            .map(|f| match f.value.whole {
                Some(w) => format!("{} ({w})", f.value.number),
                None => f.value.number.to_string(),
            })
            .unwrap_or_default(),
        "year" => c.year().map(|y| y.to_string()).unwrap_or_default(),
        "pages" => c
            .pages
            .as_ref()
            .map(|p| {
                if p.value.first == p.value.last {
                    p.value.first.to_string()
                } else {
                    format!("{}-{}", p.value.first, p.value.last)
                }
            })
            .unwrap_or_default(),
        "place" => c.places.iter().map(|p| p.value.clone()).collect::<Vec<_>>().join("; "),
        "publisher" => c.publisher.as_ref().map(|f| f.value.clone()).unwrap_or_default(),
        "kind" => c.kind.as_str().to_string(),
        _ => String::new(),
    }
}

#[derive(Default, Clone)]
pub struct Scores {
    pub rows: usize,
    /// Exact matches per field (same order as FIELDS).
    pub exact: Vec<usize>,
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Scores {
    pub fn rate(&self, f: usize) -> f64 {
        if self.rows == 0 {
            return 0.0;
        }
        self.exact[f] as f64 / self.rows as f64
    }
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// Scores per convention, and "all". A field is exact when the parse writes the cell exactly (both empty counts).
/// Pairs: every pair of rows; labelled same when their groups are equal, predicted same when `cite::Works` puts
/// their resolved citations (pushed in file order, the scored rows only) in one work. A pair counts for each
/// convention of its two rows.
pub fn score(rows: &[Row], parsed: &[Parsed]) -> (BTreeMap<String, Scores>, Vec<String>) {
    let r: Vec<&Row> = rows.iter().collect();
    let p: Vec<&Parsed> = parsed.iter().collect();
    score_refs(&r, &p)
}

fn score_refs(rows: &[&Row], parsed: &[&Parsed]) -> (BTreeMap<String, Scores>, Vec<String>) {
    let mut by: BTreeMap<String, Scores> = BTreeMap::new();
    let mut misses = Vec::new();
    let blank = || Scores { exact: vec![0; FIELDS.len()], ..Scores::default() };
    for (r, p) in rows.iter().zip(parsed) {
        let mut first_miss = true;
        for conv in [r.get("convention"), "all"] {
            let s = by.entry(conv.to_string()).or_insert_with(blank);
            s.rows += 1;
            for (k, f) in FIELDS.iter().enumerate() {
                let got = if *f == "kind" { p.kind.to_string() } else { field(&p.citation, f) };
                if got == r.get(f).trim() {
                    s.exact[k] += 1;
                } else if conv == "all" {
                    if std::mem::take(&mut first_miss) {
                        misses.push(format!("{}:{} [{}] {}", r.file, r.line, r.get("convention"), r.get("citation")));
                    }
                    misses.push(format!("{}:{} {f}: want {:?}, got {:?}", r.file, r.line, r.get(f), got));
                }
            }
        }
    }
    let mut works = bibkey::cite::Works::new();
    let cluster: Vec<Option<usize>> = parsed.iter().map(|p| works.push(&p.resolved).0).collect();
    for i in 0..rows.len() {
        for j in i + 1..rows.len() {
            let want = rows[i].get("group") == rows[j].get("group") && !rows[i].get("group").is_empty();
            let got = cluster[i].is_some() && cluster[i] == cluster[j];
            let mut convs = vec![rows[i].get("convention"), "all"];
            if rows[j].get("convention") != rows[i].get("convention") {
                convs.push(rows[j].get("convention"));
            }
            for conv in convs {
                let s = by.entry(conv.to_string()).or_insert_with(blank);
                match (want, got) {
                    (true, true) => s.tp += 1,
                    (false, true) => s.fp += 1,
                    (true, false) => s.fn_ += 1,
                    _ => {}
                }
            }
            if want != got {
                misses.push(format!(
                    "pair {}:{} / {}:{}: same group {want}, same work {got} ({:?} / {:?})",
                    rows[i].file, rows[i].line, rows[j].file, rows[j].line, parsed[i].work_key, parsed[j].work_key
                ));
            }
        }
    }
    (by, misses)
}

/// The table ACCURACY.md shows.
pub fn table(by: &BTreeMap<String, Scores>) -> String {
    let mut s = String::from("| convention | lines |");
    for f in FIELDS {
        s.push_str(&format!(" {f} |"));
    }
    s.push_str(" same-work precision | same-work recall |\n|---|---:|");
    for _ in FIELDS {
        s.push_str("---:|");
    }
    s.push_str("---:|---:|\n");
    for (conv, sc) in by {
        s.push_str(&format!("| {conv} | {} |", sc.rows));
        for k in 0..FIELDS.len() {
            s.push_str(&format!(" {:.0} % |", 100.0 * sc.rate(k)));
        }
        s.push_str(&format!(" {:.1} % | {:.1} % |\n", 100.0 * sc.precision(), 100.0 * sc.recall()));
    }
    s
}
