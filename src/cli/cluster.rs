//! `bibkey cluster`.

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};

use bibkey::cluster::{ClusterOptions, How};
use bibkey::Clusterer;

use super::input::{field, Line, LineReader};
use super::{line_error, open, Progress, Skipped};

pub fn run(
    file: &str,
    options: ClusterOptions,
    column: Option<(usize, char)>,
    explain: bool,
    progress: bool,
    lossy: bool,
) -> io::Result<()> {
    let (reader, size) = open(file)?;
    let mut lines = LineReader::new(reader);
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut clusterer = Clusterer::with_options(options);
    let mut skipped = Skipped::default();
    let mut progress = Progress::new(progress, size);
    let mut line_count = 0;
    while let Some((n, line)) = lines.next_line()? {
        line_count = n;
        let bytes = match line {
            Line::Overlong => {
                if !lossy {
                    out.flush()?;
                    return Err(line_error(file, n, "longer than 1 MiB"));
                }
                skipped.add("longer than 1 MiB: copied through, not clustered", n);
                clusterer.skip();
                out.write_all(if explain { b"\tskipped\t" } else { b"\t" })?;
                lines.copy_rest(&mut out)?;
                out.write_all(b"\n")?;
                continue;
            }
            Line::Text(bytes) => bytes,
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => Cow::Borrowed(t),
            Err(e) if !lossy => {
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
        let assignment = match value {
            Ok(v) => Some(clusterer.push(&v)),
            Err(why) if !lossy => {
                out.flush()?;
                return Err(line_error(file, n, why));
            }
            Err(_) => {
                skipped.add("malformed (quoting or missing column): printed, not clustered", n);
                clusterer.skip();
                None
            }
        };
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
            }
            None => out.write_all(if explain { b"\tskipped\t" } else { b"\t" })?,
        }
        out.write_all(bytes)?;
        out.write_all(b"\n")?;
        progress.tick(n, lines.bytes, "distinct keys", clusterer.distinct_keys());
    }
    out.flush()?;
    progress.finish();
    skipped.report(if file == "-" { "stdin" } else { file });
    if line_count == 0 {
        let name = if file == "-" { "stdin" } else { file };
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("{name}: empty input: no lines to cluster")));
    }
    Ok(())
}
