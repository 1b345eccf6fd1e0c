//! The benches' shared input: the Cyrillic column of every second row of tests/data/eval/items.tsv, one item per
//! line, cut at the last whole line below 64 KiB. benches/romanize.rs and benches/key.rs use the same text.

pub const CORPUS_BYTES: usize = 64 * 1024;

pub fn cyrillic_corpus() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/eval/items.tsv");
    let tsv = std::fs::read_to_string(path).expect("tests/data/eval/items.tsv");
    let mut text = String::with_capacity(CORPUS_BYTES);
    for line in tsv.lines().skip(1).step_by(2) {
        let Some(cyr) = line.split('\t').nth(1) else { continue };
        if text.len() + cyr.len() + 1 > CORPUS_BYTES {
            break;
        }
        text.push_str(cyr);
        text.push('\n');
    }
    text
}
