//! The citations the citation benches parse: the lines of examples/footnotes.txt and the `citation` column of every
//! tests/data/citations/*.tsv, in file-name order. Shared by benches/cite.rs and benches/cite_speed.rs.

/// The corpus, read from the repository root (the benches crate lives one folder below it).
pub fn corpus() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut lines: Vec<String> = std::fs::read_to_string(format!("{root}/examples/footnotes.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let mut paths: Vec<_> = std::fs::read_dir(format!("{root}/tests/data/citations"))
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "tsv")).collect())
        .unwrap_or_default();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let mut col = None;
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = l.split('\t').collect();
            match col {
                None => col = f.iter().position(|c| *c == "citation"),
                Some(c) => lines.extend(f.get(c).map(|s| s.to_string())),
            }
        }
    }
    lines
}
