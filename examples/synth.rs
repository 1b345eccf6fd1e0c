//! Writes synthetic catalog records (or damaged queries against them) as TSV to stdout; see benches/common/synth.rs.
//!
//! ```sh
//! cargo run --release --example synth -- N SEED                 > records.tsv
//! cargo run --release --example synth -- N SEED --queries M     > queries.tsv
//! ```
//!
//! Records: `id<TAB>title<TAB>names<TAB>work<TAB>form`, one per line, names joined by ` ; `.
//! Queries (M of them, made from the same N records): `title<TAB>names<TAB>work<TAB>damage<TAB>form`, where `work`
//! is the work the query should find (the records' 4th column). No header; no field contains a tab or a newline.

#[path = "../benches/common/synth.rs"]
mod synth;

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn usage() -> ExitCode {
    eprintln!("usage: synth N SEED [--queries M]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, seed, queries) = match &args[..] {
        [n, seed] => (n.parse::<usize>(), seed.parse::<u64>(), None),
        [n, seed, flag, m] if flag == "--queries" => (n.parse(), seed.parse(), Some(m.parse::<usize>())),
        _ => return usage(),
    };
    let (Ok(n), Ok(seed)) = (n, seed) else { return usage() };
    let gen = synth::Synth::new();
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let result = match queries {
        None => {
            let mut result = Ok(());
            gen.each_record(n, seed, |r| {
                if result.is_ok() {
                    result = writeln!(out, "{}\t{}\t{}\t{}\t{}", r.id, r.title, r.names.join(" ; "), r.work, r.form);
                }
            });
            result
        }
        Some(Ok(m)) => {
            if n == 0 && m > 0 {
                eprintln!("synth: --queries needs N > 0 records");
                return ExitCode::from(2);
            }
            let records = gen.records(n, seed);
            gen.queries(&records, m, seed).iter().try_for_each(|q| {
                writeln!(out, "{}\t{}\t{}\t{}\t{}", q.title, q.names.join(" ; "), q.work, q.damage, q.form)
            })
        }
        Some(Err(_)) => return usage(),
    };
    match result.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synth: {e}");
            ExitCode::FAILURE
        }
    }
}
