//! `bibkey marc check` and `bibkey marc keys`.

use std::io::{self, BufWriter, Read, Write};

use bibkey::record::{self, PairCheck, Record, RecordError, Verdict};

/// The `marc` subcommands.
#[derive(clap::Subcommand)]
pub enum MarcCommand {
    /// Check that each romanized field is the ALA-LC romanization of its linked 880 field.
    ///
    /// For every 880 paired through $6 with a regular field (245, 100, 250, 260, 264, 490, 6xx, 7xx…), the 880's
    /// text is romanized with the ALA-LC table of the record's language (008/35-37, then 041 $a) and compared
    /// with the regular field: exact (the same, ignoring case, subfield codes, ISBD punctuation and tie style),
    /// variant (same key: older rule, dropped diacritics), different (typo, wrong link, another text); unchecked
    /// (no Cyrillic language or table) and unpaired (a $6 link that leads nowhere) are listed too. One line per
    /// pair, tab-separated with a header: record, id, field, lang, verdict, found, expected, difference, note.
    /// A summary goes to stderr.
    Check {
        /// MARC file: ISO 2709 (UTF-8 or MARC-8) or MARCXML; - for stdin.
        file: String,
        /// JSON Lines instead of TSV.
        #[arg(long)]
        json: bool,
        /// Report malformed records on stderr and go on with the next one, instead of stopping.
        #[arg(long)]
        lossy: bool,
    },
    /// One row of keys per record, for `bibkey cluster --column N` and `bibkey match --index`.
    ///
    /// Tab-separated, no header: id (001), title (245 $a $b $n $p), names (1xx and 7xx, separated by " ; "),
    /// title key, title key of the 880 linked to 245, name keys (" ; "), year (008/07-10, else 264/260 $c), and
    /// the form (`bib`, or for authority records the tag of the form: one row for the 1xx heading, each 4xx and
    /// each 880, with the record's id), and what each name is (`person`, `corporate` or `meeting`, " ; "):
    /// corporate bodies and meetings (x10, x11) are keyed with the corporate key.
    Keys {
        /// MARC file: ISO 2709 (UTF-8 or MARC-8) or MARCXML; - for stdin.
        file: String,
        /// Report malformed records on stderr and go on with the next one, instead of stopping.
        #[arg(long)]
        lossy: bool,
    },
}

fn load(path: &str) -> io::Result<Vec<u8>> {
    if path == "-" {
        let mut data = Vec::new();
        io::stdin().lock().read_to_end(&mut data)?;
        return Ok(data);
    }
    std::fs::read(path).map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))
}

/// Calls `f` on each record; a malformed record stops the run (naming it), or under `lossy` is reported on
/// stderr and counted. Returns (records read, records skipped).
fn each_record(
    path: &str,
    data: &[u8],
    lossy: bool,
    mut f: impl FnMut(&Record) -> io::Result<()>,
) -> io::Result<(u64, u64)> {
    let (mut good, mut bad) = (0, 0);
    for r in record::read(data) {
        match r {
            Ok(rec) => {
                good += 1;
                f(&rec)?;
            }
            Err(e) if lossy => {
                bad += 1;
                let what = if e.is_fatal() { "reading stops here" } else { "skipped" };
                eprintln!("bibkey: {path}: {e} ({what})");
            }
            Err(e) => return Err(record_error(path, &e)),
        }
    }
    Ok((good, bad))
}

fn record_error(path: &str, e: &RecordError) -> io::Error {
    let hint = if e.is_fatal() { "" } else { " (use --lossy to skip such records)" };
    io::Error::new(io::ErrorKind::InvalidData, format!("{path}: {e}{hint}"))
}

/// Tabs and line breaks inside a value would break the row.
fn cell(s: &str) -> String {
    s.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }).collect()
}

fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[derive(Default)]
struct Tally {
    exact: u64,
    variant: u64,
    different: u64,
    unchecked: u64,
    unpaired: u64,
}

pub fn run(command: MarcCommand) -> io::Result<()> {
    match command {
        MarcCommand::Check { file, json, lossy } => check(&file, json, lossy),
        MarcCommand::Keys { file, lossy } => keys(&file, lossy),
    }
}

fn check(path: &str, json: bool, lossy: bool) -> io::Result<()> {
    let data = load(path)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    if !json {
        writeln!(out, "record\tid\tfield\tlang\tverdict\tfound\texpected\tdifference\tnote")?;
    }
    let mut tally = Tally::default();
    let mut line = String::new();
    let result = each_record(path, &data, lossy, |rec| {
        for c in record::check_record(rec) {
            match c.verdict {
                Verdict::Exact => tally.exact += 1,
                Verdict::Variant => tally.variant += 1,
                Verdict::Different => tally.different += 1,
                Verdict::Unchecked => tally.unchecked += 1,
                Verdict::Unpaired => tally.unpaired += 1,
                // Verdict is non-exhaustive; the tool is built with the library, which has no other verdict.
                _ => {}
            }
            line.clear();
            if json {
                json_line(rec, &c, &mut line);
            } else {
                tsv_line(rec, &c, &mut line);
            }
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    });
    out.flush()?;
    let (records, skipped) = result?;
    let pairs = tally.exact + tally.variant + tally.different + tally.unchecked;
    let checked = tally.exact + tally.variant + tally.different;
    let pct = |n: u64| if checked == 0 { 0.0 } else { 100.0 * n as f64 / checked as f64 };
    eprintln!(
        "bibkey: {path}: {records} records, {pairs} linked pairs: {} exact ({:.1} %), {} variant ({:.1} %), {} \
         different ({:.1} %), {} unchecked; {} unpaired fields; {skipped} malformed records skipped",
        tally.exact,
        pct(tally.exact),
        tally.variant,
        pct(tally.variant),
        tally.different,
        pct(tally.different),
        tally.unchecked,
        tally.unpaired
    );
    Ok(())
}

fn field_label(c: &PairCheck) -> String {
    if c.occurrence.is_empty() {
        c.tag.clone()
    } else {
        format!("{}/880-{}", c.tag, c.occurrence)
    }
}

fn tsv_line(rec: &Record, c: &PairCheck, out: &mut String) {
    let diff = c
        .difference
        .as_ref()
        .map(|d| format!("at {}: found \"{}\" expected \"{}\"", d.at, d.found, d.expected))
        .unwrap_or_default();
    let fields = [
        rec.number.to_string(),
        rec.id().unwrap_or("").to_string(),
        field_label(c),
        c.lang.map(|l| l.code().to_string()).unwrap_or_default(),
        c.verdict.as_str().to_string(),
        if c.found.is_empty() { c.vernacular_text.clone() } else { c.found.clone() },
        c.expected.clone(),
        diff,
        c.note.clone(),
    ];
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        out.push_str(&cell(f));
    }
    out.push('\n');
}

fn json_line(rec: &Record, c: &PairCheck, out: &mut String) {
    out.push_str(&format!("{{\"record\":{},\"offset\":{},\"id\":", rec.number, rec.offset));
    json_str(rec.id().unwrap_or(""), out);
    out.push_str(",\"field\":");
    json_str(&c.tag, out);
    out.push_str(",\"occurrence\":");
    json_str(&c.occurrence, out);
    out.push_str(",\"lang\":");
    match c.lang {
        Some(l) => json_str(l.code(), out),
        None => out.push_str("null"),
    }
    out.push_str(",\"verdict\":");
    json_str(c.verdict.as_str(), out);
    for (k, v) in [("found", &c.found), ("vernacular", &c.vernacular_text), ("expected", &c.expected)] {
        out.push_str(&format!(",\"{k}\":"));
        json_str(v, out);
    }
    out.push_str(",\"difference\":");
    match &c.difference {
        Some(d) => {
            out.push_str(&format!("{{\"at\":{},\"found\":", d.at));
            json_str(&d.found, out);
            out.push_str(",\"expected\":");
            json_str(&d.expected, out);
            out.push('}');
        }
        None => out.push_str("null"),
    }
    out.push_str(",\"note\":");
    json_str(&c.note, out);
    out.push_str("}\n");
}

fn keys(path: &str, lossy: bool) -> io::Result<()> {
    let data = load(path)?;
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut line = String::new();
    let (_, skipped) = each_record(path, &data, lossy, |rec| {
        for row in record::key_rows(rec) {
            line.clear();
            line.push_str(&cell(&row.id));
            line.push('\t');
            line.push_str(&cell(&row.title));
            line.push('\t');
            line.push_str(&cell(&row.names.join(" ; ")));
            line.push('\t');
            line.push_str(row.title_key.as_str());
            line.push('\t');
            line.push_str(row.vernacular_title_key.as_str());
            line.push('\t');
            for (i, k) in row.name_keys.iter().enumerate() {
                if i > 0 {
                    line.push_str(" ; ");
                }
                line.push_str(k.as_str());
            }
            line.push('\t');
            line.push_str(&row.date);
            line.push('\t');
            line.push_str(&row.form);
            line.push('\t');
            for (i, k) in row.name_kinds.iter().enumerate() {
                if i > 0 {
                    line.push_str(" ; ");
                }
                line.push_str(k.as_str());
            }
            line.push('\n');
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    })?;
    out.flush()?;
    if skipped > 0 {
        eprintln!("bibkey: {path}: {skipped} malformed records skipped");
    }
    Ok(())
}
