//! `bibkey cluster`.

use std::io;

use bibkey::cluster::{Assignment, ClusterOptions, How};
use bibkey::Clusterer;

use super::input::{Format, InputArgs, Item, Record, Records, Text, Want};
use super::output::{Layout, Output, Value};
use super::{Progress, Strings};

/// Records clustered together by `Clusterer::push_many` (unless output is line-buffered): enough that the batch's
/// nearest-neighbour searches sweep the segment table in order (BENCHMARKS.md), few enough that the output follows
/// the input closely and the batch's scratch stays in tens of megabytes.
const BATCH_LINES: usize = 1 << 16;

/// Most `--max-edits`: the nearest-neighbour search's time and memory grow with the cube of the edit budget (one
/// 10 KB line at a budget of 800 took 4.3 s and 5.4 GB); at 32 the same line takes milliseconds (README.md).
pub const MAX_EDITS: usize = 32;

/// Records read but not yet clustered: the text to key of each and, unless the input is plain lines (where the
/// line is the text), the record itself, to print it again.
struct Block {
    limit: usize,
    texts: Strings,
    records: Vec<Record>,
    assignments: Vec<Assignment>,
}

impl Block {
    fn len(&self) -> usize {
        self.texts.len()
    }

    fn add(&mut self, mut record: Record, format: Format) {
        self.texts.push(&record.texts[0]);
        if format != Format::Lines {
            record.texts.clear();
            self.records.push(record);
        }
    }

    /// Clusters the records read so far and prints them, in order.
    fn flush(&mut self, clusterer: &mut Clusterer, out: &mut Output, explain: bool) -> io::Result<()> {
        self.assignments.clear();
        let texts: Vec<&str> = self.texts.iter().collect();
        clusterer.push_many(&texts, &mut self.assignments);
        let mut how = String::new();
        for (i, (a, text)) in self.assignments.iter().zip(&texts).enumerate() {
            how.clear();
            if explain {
                how_text(a.how, &mut how);
            }
            let values = [Value::Int(a.cluster), Value::Str(&how)];
            let values = if explain { &values[..] } else { &values[..1] };
            match self.records.get_mut(i) {
                Some(record) => out.record(record, values)?,
                None => out.values_then_line(values, text)?,
            }
        }
        self.texts.clear();
        self.records.clear();
        Ok(())
    }
}

fn how_text(how: How, out: &mut String) {
    match how {
        How::New => out.push_str("new"),
        How::Key => out.push_str("key"),
        How::Near(d) => {
            out.push_str("near ");
            out.push_str(&d.to_string());
        }
        How::Empty => out.push_str("empty"),
        How::Reading => out.push_str("reading"),
        // A reason added in a later version of the library than this tool knows.
        _ => out.push_str("other"),
    }
}

pub fn run(args: &InputArgs, options: ClusterOptions, explain: bool, progress: bool) -> io::Result<()> {
    let format = args.format(false)?;
    let column = super::lines::main_column(args, format)?;
    let mut records = Records::new(args, format, vec![Want { column, required: true, fallback: None }])?;
    let line_buffered = args.line_buffered();
    let layout = if format == Format::Lines { Layout::ValuesThenLine } else { Layout::Append };
    let names: &[&'static str] = if explain { &["cluster", "how"] } else { &["cluster"] };
    let mut out = Output::new(format, layout, names, args.header, line_buffered);
    let mut block = Block {
        limit: if line_buffered { 1 } else { BATCH_LINES },
        texts: Strings::default(),
        records: Vec::new(),
        assignments: Vec::new(),
    };
    let mut clusterer = Clusterer::with_options(options);
    let mut progress = Progress::new(progress, records.size);
    let skipped = [Value::None, Value::Str("skipped")];
    let skipped = if explain { &skipped[..] } else { &skipped[..1] };
    let result = (|| -> io::Result<()> {
        let mut error: Option<io::Error> = None;
        loop {
            // Plain lines go from the reader's buffer into the block, without a record made for each.
            let next = if format == Format::Lines {
                match records.next_text() {
                    Ok(Some(Text::Line(text))) => {
                        block.texts.push(&text);
                        None
                    }
                    Ok(Some(Text::Overlong)) => Some(Item::Overlong { number: records.count }),
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(e);
                        None
                    }
                }
            } else {
                match records.next() {
                    Ok(Some(item)) => Some(item),
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(e);
                        None
                    }
                }
            };
            if let Some(e) = error.take() {
                // The records before an unreadable one are printed before the error.
                block.flush(&mut clusterer, &mut out, explain)?;
                return Err(e);
            }
            let Some(item) = next else {
                if block.len() >= block.limit {
                    block.flush(&mut clusterer, &mut out, explain)?;
                    out.end_record()?;
                }
                progress.tick(records.count, records.bytes(), "distinct keys", clusterer.distinct_keys());
                continue;
            };
            out.header(&records)?;
            // A record that is not clustered with the block first prints the records before it.
            match item {
                Item::Record(record) if record.is_read() => block.add(record, format),
                Item::Record(mut record) => {
                    block.flush(&mut clusterer, &mut out, explain)?;
                    clusterer.skip();
                    out.record(&mut record, skipped)?;
                }
                Item::Overlong { .. } => {
                    block.flush(&mut clusterer, &mut out, explain)?;
                    clusterer.skip();
                    out.overlong(&mut records, skipped)?;
                }
            }
            if block.len() >= block.limit {
                block.flush(&mut clusterer, &mut out, explain)?;
                out.end_record()?;
            }
            progress.tick(records.count, records.bytes(), "distinct keys", clusterer.distinct_keys());
        }
        block.flush(&mut clusterer, &mut out, explain)?;
        out.header(&records)
    })();
    // The records before an error are printed before it is reported.
    let flushed = out.flush();
    progress.finish();
    result?;
    flushed?;
    records.report();
    Ok(())
}
