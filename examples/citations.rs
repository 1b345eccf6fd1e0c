//! Prints the citation accuracy tables of ACCURACY.md: `cargo run --release --example citations`.
//!
//! Three tables: the development part and the held-out part of the hand-labelled citations of real works
//! (tests/data/citations/*.tsv but dev.tsv, split by group: see tests/common/cite_eval.rs), and the SYNTHETIC
//! machine-made set (tests/data/citations/synthetic/). `-- --misses` lists every wrong field and pair of the
//! development part, `-- --misses-synthetic` those of the synthetic set; the held-out part's misses are not
//! printed, so that the rules are not fitted to it. The floors are in tests/cite.rs.

#[path = "../tests/common/cite_eval.rs"]
mod cite_eval;

use cite_eval::Part;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/citations");
    let load = |real: bool, d: &std::path::Path| {
        let r = if real { cite_eval::load_real(d) } else { cite_eval::load(d) };
        r.unwrap_or_else(|e| {
            eprintln!("citations: {e}");
            std::process::exit(1);
        })
    };
    let real = load(true, &dir);
    let synthetic = load(false, &dir.join("synthetic"));
    let args: Vec<String> = std::env::args().collect();
    for (title, rows, part, misses) in [
        ("Development part (real citations, groups not held out)", &real, Part::Development, "--misses"),
        ("Held-out part (real citations, FNV-1a(group) % 3 == 0)", &real, Part::HeldOut, ""),
        ("SYNTHETIC set (machine-made CSL renderings, not hand-checked)", &synthetic, Part::All, "--misses-synthetic"),
    ] {
        let (by, m) = cite_eval::evaluate(rows, part);
        println!("### {title}\n");
        print!("{}", cite_eval::table(&by));
        println!();
        if !misses.is_empty() && args.iter().any(|a| a == misses) {
            for line in m {
                println!("{line}");
            }
            println!();
        }
    }
}
