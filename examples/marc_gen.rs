//! Writes N synthetic MARC 21 records (ISO 2709, UTF-8) to stdout, for timing `bibkey marc keys` (BENCHMARKS.md):
//! `cargo run --release --example marc_gen -- 1000000 > /tmp/1m.mrc`.
//!
//! Each record has a 001, an 008, a 100 and a 245 in ALA-LC romanization with 880s in Cyrillic, a 260 and two
//! 700s: about the shape of a catalog record of a Russian book, made from a small word list.

use std::io::Write;

#[path = "../benches/common/marc_synth.rs"]
mod marc_synth;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).unwrap_or_else(|| "1000".into()).parse()?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for i in 0..n {
        out.write_all(&marc_synth::record(i)?)?;
    }
    out.flush()?;
    Ok(())
}
