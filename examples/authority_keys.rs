//! Keys of names for measuring them against authority clusters (tools/authority_measure.py).
//!
//!     cargo run --release --example authority_keys < forms.tsv
//!
//! Each input line is `KIND<TAB>NAME`, KIND being `name` (`KeyKind::Name`, which keys a text that looks corporate
//! as a corporate name) or `corporate` (`KeyKind::Corporate`). Each output line is the key, a tab, the keys of the
//! readings that differ from it (`KeyKind::readings`, space-separated), a tab, and `1` if
//! `bibkey::corporate::is_corporate` takes the name for a corporate body, else `0`.

use std::io::{self, BufRead, BufWriter, Write};

use bibkey::KeyKind;

fn main() -> io::Result<()> {
    let stdin = io::stdin();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        let (kind, text) = line.split_once('\t').unwrap_or(("name", line.as_str()));
        let kind = if kind == "corporate" { KeyKind::Corporate } else { KeyKind::Name };
        let keys = kind.readings(text);
        let own = keys.first().map(|k| k.as_str().to_string()).unwrap_or_default();
        let others: Vec<&str> = keys.iter().skip(1).map(|k| k.as_str()).collect();
        let corporate = u8::from(bibkey::corporate::is_corporate(text));
        writeln!(out, "{own}\t{}\t{corporate}", others.join(" "))?;
    }
    out.flush()
}
