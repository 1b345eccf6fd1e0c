//! `bibkey match`.

use std::io::{self, BufWriter, Write};

use bibkey::index::{Index, Query, SearchOptions, Searcher};

use super::input::{Line, LineReader};
use super::{line_error, open, Progress, Skipped, Strings};

/// Records read before they are keyed and inserted as one batch (on all cores with the `rayon` feature).
const BATCH: usize = 1 << 16;

/// Splits `title<TAB>names[<TAB>anything else]` (names separated by " ; "; further columns are ignored).
fn title_and_names(line: &str) -> (&str, Vec<&str>) {
    let mut fields = line.split('\t');
    let title = fields.next().unwrap_or_default();
    let names = fields.next().unwrap_or_default();
    let names = names.split(" ; ").map(str::trim).filter(|n| !n.is_empty()).collect();
    (title, names)
}

fn load(path: &str, lossy: bool) -> io::Result<(Index, Strings)> {
    let (reader, size) = open(path)?;
    let mut lines = LineReader::new(reader);
    let mut index = Index::new();
    let mut ids = Strings::default();
    // The batch's `title<TAB>names` parts.
    let mut batch = Strings::default();
    let mut skipped = Skipped::default();
    let mut progress = Progress::new(true, size);
    let flush = |index: &mut Index, batch: &mut Strings| -> io::Result<()> {
        let records: Vec<(&str, Vec<&str>)> = batch.iter().map(title_and_names).collect();
        index.insert_batch(&records).map_err(|e| io::Error::new(io::ErrorKind::OutOfMemory, e.to_string()))?;
        batch.clear();
        Ok(())
    };
    while let Some((n, line)) = lines.next_line()? {
        let problem = match line {
            Line::Overlong => Err("longer than 1 MiB".to_string()),
            Line::Text(bytes) => match std::str::from_utf8(bytes) {
                Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
                Ok(text) => match text.split_once('\t') {
                    None => Err("no title: a record is id<TAB>title<TAB>names".to_string()),
                    Some((id, rest)) => {
                        ids.push(id);
                        batch.push(rest);
                        Ok(())
                    }
                },
            },
        };
        if let Err(why) = problem {
            if !lossy {
                return Err(line_error(path, n, why));
            }
            skipped.add("unreadable (overlong, invalid UTF-8 or no title): not indexed", n);
        }
        if batch.len() == BATCH {
            flush(&mut index, &mut batch)?;
        }
        progress.tick(n, lines.bytes, "records", ids.len());
    }
    flush(&mut index, &mut batch)?;
    progress.finish();
    skipped.report(path);
    if ids.is_empty() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{path}: empty index: no records")));
    }
    index.shrink_to_fit();
    Ok((index, ids))
}

pub fn run(path: &str, options: SearchOptions, readings: bool, lossy: bool) -> io::Result<()> {
    let (index, ids) = load(path, lossy)?;
    let mut queries = LineReader::new(io::stdin().lock());
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut searcher = Searcher::new();
    let mut found = Vec::new();
    let mut skipped = Skipped::default();
    while let Some((n, line)) = queries.next_line()? {
        let text = match line {
            Line::Overlong => Err("longer than 1 MiB".to_string()),
            Line::Text(bytes) => {
                std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))
            }
        };
        match text {
            Ok(text) => {
                let (title, names) = title_and_names(text);
                if readings {
                    found = index.search_readings(title, &names, &options);
                } else {
                    index.search_with(&mut searcher, &Query::new(title, &names), &options, &mut found);
                }
            }
            Err(why) if !lossy => {
                out.flush()?;
                return Err(line_error("-", n, why));
            }
            Err(_) => {
                skipped.add("unreadable (overlong or invalid UTF-8): no candidates printed", n);
                found.clear();
            }
        }
        for (i, m) in found.iter().enumerate() {
            if i > 0 {
                out.write_all(b"\t")?;
            }
            write!(out, "{}\t{:.3}\ttitle {}, name {}", ids.get(m.id.index()), m.score, m.title, m.name)?;
            if let Some(r) = m.reading {
                write!(out, ", as {r}")?;
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    skipped.report("stdin");
    Ok(())
}
