//! Prints the citation accuracy table of ACCURACY.md: `cargo run --release --example citations` (add `--
//! --misses` to list every field and pair that is wrong). Data: tests/data/citations/*.tsv; the floors are in
//! tests/cite.rs.

#[path = "../tests/common/cite_eval.rs"]
mod cite_eval;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/citations");
    let rows = match cite_eval::load(&dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("citations: {e}");
            std::process::exit(1);
        }
    };
    let parsed = cite_eval::run(&rows);
    let (by, misses) = cite_eval::score(&rows, &parsed);
    print!("{}", cite_eval::table(&by));
    if std::env::args().any(|a| a == "--misses") {
        for m in misses {
            println!("{m}");
        }
    }
}
