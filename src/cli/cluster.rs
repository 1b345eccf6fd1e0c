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

/// Lines read but not yet clustered: the text to key of each (the line or its column) and, for a line that is not
/// its own text (a column, or a line with invalid UTF-8 under --lossy), the line as read.
struct Block {
    limit: usize,
    texts: Strings,
    /// The lines that are not their text, as read (bytes: under --lossy a line may not be UTF-8), and where each
    /// ends; `own[i]` is the index in `line_ends` of line `i`'s, or `NOT_OWN` when the line is its text.
    lines: Vec<u8>,
    line_ends: Vec<usize>,
    own: Vec<u32>,
    assignments: Vec<Assignment>,
}

const NOT_OWN: u32 = u32::MAX;

impl Block {
    fn len(&self) -> usize {
        self.texts.len()
    }

    /// Adds a line and the text of it to key: the line is kept apart only when it differs from the text.
    fn add(&mut self, line: &[u8], text: &str) {
        self.texts.push(text);
        if line == text.as_bytes() {
            self.own.push(NOT_OWN);
        } else {
            self.own.push(self.line_ends.len() as u32);
            self.lines.extend_from_slice(line);
            self.line_ends.push(self.lines.len());
        }
    }

    /// Clusters the lines read so far and prints them, in order.
    fn flush(&mut self, clusterer: &mut Clusterer, out: &mut impl Write, explain: bool) -> io::Result<()> {
        self.assignments.clear();
        let texts: Vec<&str> = self.texts.iter().collect();
        clusterer.push_many(&texts, &mut self.assignments);
        for (i, (a, text)) in self.assignments.iter().zip(&texts).enumerate() {
            write_assignment(out, Some(*a), explain)?;
            let line = match self.own[i] {
                NOT_OWN => text.as_bytes(),
                o => {
                    let start = if o == 0 { 0 } else { self.line_ends[o as usize - 1] };
                    &self.lines[start..self.line_ends[o as usize]]
                }
            };
            out.write_all(line)?;
            out.write_all(b"\n")?;
        }
        self.texts.clear();
        self.lines.clear();
        self.line_ends.clear();
        self.own.clear();
        Ok(())
    }
}

/// Writes `n` in decimal: the formatting machinery of `write!` was a fiftieth of the clusterer's instructions.
fn write_decimal(out: &mut impl Write, mut n: u64) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.write_all(&digits[at..])
}

fn write_assignment(out: &mut impl Write, assignment: Option<Assignment>, explain: bool) -> io::Result<()> {
    match assignment {
        Some(a) => {
            write_decimal(out, a.cluster)?;
            out.write_all(b"\t")?;
            if explain {
                match a.how {
                    How::New => out.write_all(b"new\t")?,
                    How::Key => out.write_all(b"key\t")?,
                    How::Near(d) => write!(out, "near {d}\t")?,
                    How::Empty => out.write_all(b"empty\t")?,
                    How::Reading => out.write_all(b"reading\t")?,
                    // A reason added in a later version of the library than this tool knows.
                    _ => out.write_all(b"other\t")?,
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
        texts: Strings::default(),
        lines: Vec::new(),
        line_ends: Vec::new(),
        own: Vec::new(),
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
