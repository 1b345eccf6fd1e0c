//! `bibkey cluster`.

use std::borrow::Cow;
use std::io::{self, BufWriter, IsTerminal, Write};

use bibkey::cluster::{Assignment, ClusterOptions, How};
use bibkey::Clusterer;

use super::input::{field, Line, LineReader};
use super::{line_error, open, Progress, Skipped, Strings};

/// Lines clustered together by `Clusterer::push_many` when the input is not a terminal: enough that the batch's
/// nearest-neighbour searches sweep the segment table in order (BENCHMARKS.md), few enough that the output follows
/// the input closely and the batch's scratch stays in tens of megabytes.
const BATCH_LINES: usize = 1 << 16;

/// Lines read but not yet clustered: each line as read and the text to key (the line or its column).
struct Block {
    limit: usize,
    /// The lines as read (bytes: under --lossy a line may not be UTF-8) and where each ends.
    lines: Vec<u8>,
    line_ends: Vec<usize>,
    texts: Strings,
    assignments: Vec<Assignment>,
}

impl Block {
    fn len(&self) -> usize {
        self.line_ends.len()
    }

    fn add(&mut self, line: &[u8], text: &str) {
        self.lines.extend_from_slice(line);
        self.line_ends.push(self.lines.len());
        self.texts.push(text);
    }

    /// Clusters the lines read so far and prints them, in order.
    fn flush(&mut self, clusterer: &mut Clusterer, out: &mut impl Write, explain: bool) -> io::Result<()> {
        self.assignments.clear();
        let texts: Vec<&str> = self.texts.iter().collect();
        clusterer.push_many(&texts, &mut self.assignments);
        let mut start = 0;
        for (a, &end) in self.assignments.iter().zip(&self.line_ends) {
            write_assignment(out, Some(*a), explain)?;
            out.write_all(&self.lines[start..end])?;
            out.write_all(b"\n")?;
            start = end;
        }
        self.lines.clear();
        self.line_ends.clear();
        self.texts.clear();
        Ok(())
    }
}

fn write_assignment(out: &mut impl Write, assignment: Option<Assignment>, explain: bool) -> io::Result<()> {
    match assignment {
        Some(a) => {
            write!(out, "{}\t", a.cluster)?;
            if explain {
                match a.how {
                    How::New => out.write_all(b"new\t")?,
                    How::Key => out.write_all(b"key\t")?,
                    How::Near(d) => write!(out, "near {d}\t")?,
                    How::Empty => out.write_all(b"empty\t")?,
                    How::Reading => out.write_all(b"reading\t")?,
                }
            }
            Ok(())
        }
        None => out.write_all(if explain { b"\tskipped\t" } else { b"\t" }),
    }
}

pub fn run(
    file: &str,
    options: ClusterOptions,
    column: Option<(usize, char)>,
    explain: bool,
    progress: bool,
    lossy: bool,
) -> io::Result<()> {
    let (reader, size) = open(file)?;
    let interactive = file == "-" && io::stdin().is_terminal();
    let mut lines = LineReader::new(reader);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut block = Block {
        limit: if interactive { 1 } else { BATCH_LINES },
        lines: Vec::new(),
        line_ends: Vec::new(),
        texts: Strings::default(),
        assignments: Vec::new(),
    };
    let mut clusterer = Clusterer::with_options(options);
    let mut skipped = Skipped::default();
    let mut progress = Progress::new(progress, size);
    let mut line_count = 0;
    while let Some((n, line)) = lines.next_line()? {
        line_count = n;
        // Every line that is not clustered with the block, and every error, first prints the lines before it.
        let bytes = match line {
            Line::Overlong => {
                block.flush(&mut clusterer, &mut out, explain)?;
                if !lossy {
                    out.flush()?;
                    return Err(line_error(file, n, "longer than 1 MiB"));
                }
                skipped.add("longer than 1 MiB: copied through, not clustered", n);
                clusterer.skip();
                write_assignment(&mut out, None, explain)?;
                lines.copy_rest(&mut out)?;
                out.write_all(b"\n")?;
                continue;
            }
            Line::Text(bytes) => bytes,
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => Cow::Borrowed(t),
            Err(e) if !lossy => {
                block.flush(&mut clusterer, &mut out, explain)?;
                out.flush()?;
                return Err(line_error(file, n, format_args!("invalid UTF-8 at byte {}", e.valid_up_to())));
            }
            Err(_) => {
                skipped.add("with invalid UTF-8: keyed with U+FFFD in its place, printed as read", n);
                String::from_utf8_lossy(bytes)
            }
        };
        let value = match column {
            None => Ok(Cow::Borrowed(text.as_ref())),
            Some((c, d)) => field(&text, c, d),
        };
        match value {
            Ok(v) => block.add(bytes, &v),
            Err(why) => {
                block.flush(&mut clusterer, &mut out, explain)?;
                if !lossy {
                    out.flush()?;
                    return Err(line_error(file, n, why));
                }
                skipped.add("malformed (quoting or missing column): printed, not clustered", n);
                clusterer.skip();
                write_assignment(&mut out, None, explain)?;
                out.write_all(bytes)?;
                out.write_all(b"\n")?;
            }
        }
        if block.len() >= block.limit {
            block.flush(&mut clusterer, &mut out, explain)?;
            if interactive {
                out.flush()?;
            }
        }
        progress.tick(n, lines.bytes, "distinct keys", clusterer.distinct_keys());
    }
    block.flush(&mut clusterer, &mut out, explain)?;
    out.flush()?;
    progress.finish();
    skipped.report(if file == "-" { "stdin" } else { file });
    if line_count == 0 {
        let name = if file == "-" { "stdin" } else { file };
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{name}: empty input: no lines to cluster")));
    }
    Ok(())
}
