//! `bibkey match`.

use std::io;

use bibkey::index::{Index, Query, SearchOptions, Searcher};

use super::input::{usage, Column, Format, InputArgs, Item, Records, Want};
use super::output::{Layout, Output, Value};
use super::{Progress, Strings};

/// Records read before they are keyed and inserted as one batch (on all cores with the `rayon` feature).
const BATCH: usize = 1 << 16;

/// The index file and how to read it.
pub struct IndexFile {
    pub path: String,
    pub delimiter: char,
    pub header: bool,
    /// The language of the records and the queries (`--lang`), when known.
    pub lang: Option<bibkey::Lang>,
}

/// Splits a names field: names separated by " ; ".
fn names(field: &str) -> Vec<&str> {
    field.split(" ; ").map(str::trim).filter(|n| !n.is_empty()).collect()
}

/// Columns id, title and names: by name when the header has them, else the first three.
fn index_wants() -> Vec<Want> {
    ["id", "title", "names"]
        .iter()
        .enumerate()
        .map(|(i, name)| Want { column: Column::Name(name.to_string()), required: i < 2, fallback: Some(i) })
        .collect()
}

/// Loads an index file: the index, the records' ids and, with `keep_titles`, their titles (else it stays empty).
pub(super) fn load(file: &IndexFile, lossy: bool, keep_titles: bool) -> io::Result<(Index, Strings, Strings)> {
    let args = InputArgs {
        files: vec![file.path.clone()],
        lossy,
        column: None,
        header: file.header,
        delimiter: Some(file.delimiter),
        quoted: false,
        json: false,
        line_buffered: false,
    };
    let format = args.format(true).map_err(|e| usage(format!("--index-delimiter: {e}")))?;
    let mut records = Records::new(&args, format, index_wants())?;
    let mut index = Index::new();
    let mut ids = Strings::default();
    let mut titles = Strings::default();
    // The batch's titles and names fields.
    let mut batch = Strings::default();
    let mut progress = Progress::new(true, records.size);
    let flush = |index: &mut Index, batch: &mut Strings| -> io::Result<()> {
        let fields: Vec<&str> = batch.iter().collect();
        let records: Vec<(&str, Vec<&str>)> = fields.chunks(2).map(|c| (c[0], names(c[1]))).collect();
        match file.lang {
            Some(lang) => index.insert_batch_as(&records, lang),
            None => index.insert_batch(&records),
        }
        .map_err(|e| io::Error::new(io::ErrorKind::OutOfMemory, e.to_string()))?;
        batch.clear();
        Ok(())
    };
    while let Some(item) = records.next()? {
        match item {
            Item::Record(r) if r.is_read() => {
                ids.push(&r.texts[0]);
                if keep_titles {
                    titles.push(&r.texts[1]);
                }
                batch.push(&r.texts[1]);
                batch.push(&r.texts[2]);
            }
            // Under --lossy: counted by `records`, not indexed (nothing could be read of it).
            Item::Record(_) => {}
            Item::Overlong { .. } => records.copy_rest(&mut io::sink())?,
        }
        if batch.len() == 2 * BATCH {
            flush(&mut index, &mut batch)?;
        }
        progress.tick(records.count, records.bytes(), "records", ids.len());
    }
    flush(&mut index, &mut batch)?;
    progress.finish();
    records.report();
    if ids.is_empty() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{}: empty index: no records", file.path)));
    }
    index.shrink_to_fit();
    Ok((index, ids, titles))
}

pub fn run(
    file: &IndexFile,
    args: &InputArgs,
    names_column: Option<&str>,
    options: SearchOptions,
    readings: bool,
) -> io::Result<()> {
    let format = args.format(true)?;
    let (title, names_col) = match format {
        Format::Json => (
            Column::Name(args.column.clone().unwrap_or_else(|| "title".to_string())),
            Column::Name(names_column.unwrap_or("names").to_string()),
        ),
        _ => (
            match &args.column {
                Some(c) => Column::parse(c, format, args.header)?,
                None => Column::Number(1),
            },
            match names_column {
                Some(c) => Column::parse(c, format, args.header)?,
                None => Column::Number(2),
            },
        ),
    };
    let wants = vec![
        Want { column: title, required: true, fallback: None },
        Want { column: names_col, required: names_column.is_some(), fallback: None },
    ];
    // Fail on the options before loading a large index.
    let mut records = Records::new(args, format, wants)?;
    let (index, ids, _) = load(file, args.lossy, false)?;
    let mut out = Output::new(
        format,
        Layout::ValuesOnly,
        &["query", "rank", "id", "score", "how"],
        args.header,
        args.line_buffered(),
    );
    let mut searcher = Searcher::new();
    let mut found = Vec::new();
    let mut how = String::new();
    let result = (|| -> io::Result<()> {
        while let Some(item) = records.next()? {
            out.header(&records)?;
            let number = match item {
                Item::Record(mut r) => {
                    found.clear();
                    if r.is_read() {
                        let names = names(&r.texts[1]);
                        if readings {
                            found = index.search_readings(&r.texts[0], &names, &options);
                        } else {
                            let query = match file.lang {
                                Some(lang) => Query::new_as(&r.texts[0], &names, lang),
                                None => Query::new(&r.texts[0], &names),
                            };
                            index.search_with(&mut searcher, &query, &options, &mut found);
                        }
                    }
                    for (rank, m) in found.iter().enumerate() {
                        how.clear();
                        how.push_str(&format!("title {}, name {}", m.title, m.name));
                        if let Some(reading) = m.reading {
                            how.push_str(&format!(", as {reading}"));
                        }
                        let values = [
                            Value::Int(r.number),
                            Value::Int(rank as u64 + 1),
                            Value::Str(ids.get(m.id.index())),
                            Value::Score(m.score),
                            Value::Str(&how),
                        ];
                        out.record(&mut r, &values)?;
                    }
                    if !found.is_empty() {
                        out.end_record()?;
                        continue;
                    }
                    r.number
                }
                Item::Overlong { number, .. } => {
                    records.copy_rest(&mut io::sink())?;
                    number
                }
            };
            // No candidates (or an unreadable query under --lossy): one row with the query's number only.
            let none = [Value::Int(number), Value::None, Value::None, Value::None, Value::None];
            let mut empty = super::input::Record { number, line: 0, texts: Vec::new(), body: super::input::Body::Line };
            out.record(&mut empty, &none)?;
            out.end_record()?;
        }
        out.header(&records)
    })();
    let flushed = out.flush();
    result?;
    flushed?;
    records.report();
    Ok(())
}
