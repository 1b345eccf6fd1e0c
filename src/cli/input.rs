//! Line input for the record-oriented subcommands (`cluster`, `match`): bounded line length, delimited fields with
//! RFC 4180 quoting, and errors that name the line.

use std::io::{self, BufRead, Write};

/// Longest line read into memory (1 MiB). Longer lines are an error, or under `--lossy` are copied through unread.
pub const MAX_LINE: usize = 1 << 20;

/// One line read by [`LineReader`].
pub enum Line<'a> {
    /// The line's bytes, without the line ending.
    Text(&'a [u8]),
    /// The line was longer than [`MAX_LINE`]. [`LineReader::copy_rest`] copies it through; the next
    /// [`LineReader::next_line`] skips what is left of it.
    Overlong,
}

/// Reads lines of at most [`MAX_LINE`] bytes.
pub struct LineReader<R> {
    input: R,
    buf: Vec<u8>,
    /// Number of the last line returned (from 1).
    pub number: u64,
    /// Bytes read so far (for progress).
    pub bytes: u64,
    /// The last line was overlong and the rest of it is unread.
    pending: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R) -> Self {
        LineReader { input, buf: Vec::new(), number: 0, bytes: 0, pending: false }
    }

    /// The next line and its number (from 1), or None at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        if self.pending {
            self.copy_rest(&mut io::sink())?;
        }
        self.buf.clear();
        let mut limited = io::Read::take(&mut self.input, MAX_LINE as u64 + 1);
        let n = limited.read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        self.bytes += n as u64;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
            return Ok(Some((self.number, Line::Text(&self.buf))));
        }
        if self.buf.len() > MAX_LINE {
            self.pending = true;
            return Ok(Some((self.number, Line::Overlong)));
        }
        // Last line without a line ending.
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some((self.number, Line::Text(&self.buf))))
    }

    /// After an [`Line::Overlong`]: copies what was read and the rest of the line to `out` (without the line
    /// ending), in constant memory.
    pub fn copy_rest(&mut self, out: &mut impl Write) -> io::Result<()> {
        if !self.pending {
            return Ok(());
        }
        self.pending = false;
        out.write_all(&self.buf)?;
        loop {
            let chunk = self.input.fill_buf()?;
            if chunk.is_empty() {
                return Ok(());
            }
            match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let line = chunk[..i].strip_suffix(b"\r").unwrap_or(&chunk[..i]);
                    out.write_all(line)?;
                    self.bytes += i as u64 + 1;
                    self.input.consume(i + 1);
                    return Ok(());
                }
                None => {
                    out.write_all(chunk)?;
                    let n = chunk.len();
                    self.bytes += n as u64;
                    self.input.consume(n);
                }
            }
        }
    }
}

/// Field `column` (from 1) of a delimited line. A field that starts with `"` is quoted as in RFC 4180 (`""` is a
/// quote inside it; it cannot span lines). Errors say what is wrong, without the line number (the caller adds it).
pub fn field(line: &str, column: usize, delimiter: char) -> Result<std::borrow::Cow<'_, str>, String> {
    let mut rest = line;
    let mut index = 1;
    loop {
        let (value, after) = if let Some(quoted) = rest.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                match chars.next() {
                    None => return Err(format!("field {index}: unterminated quoted field (fields cannot span lines)")),
                    Some((i, '"')) => {
                        if quoted[i + 1..].starts_with('"') {
                            value.push('"');
                            chars.next();
                        } else {
                            break i + 1;
                        }
                    }
                    Some((_, c)) => value.push(c),
                }
            };
            let after = &quoted[end..];
            if !after.is_empty() && !after.starts_with(delimiter) {
                return Err(format!("field {index}: text after the closing quote"));
            }
            (std::borrow::Cow::Owned(value), after)
        } else {
            let end = rest.find(delimiter).unwrap_or(rest.len());
            (std::borrow::Cow::Borrowed(&rest[..end]), &rest[end..])
        };
        if index == column {
            return Ok(value);
        }
        match after.strip_prefix(delimiter) {
            Some(next) => rest = next,
            None => return Err(format!("no column {column}: the line has {index} field{}", plural(index))),
        }
        index += 1;
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field("a\tb\tc", 2, '\t').unwrap(), "b");
        assert_eq!(field("a,\"b, \"\"c\"\"\",d", 2, ',').unwrap(), "b, \"c\"");
        assert_eq!(field("a,\"b\",d", 3, ',').unwrap(), "d");
        assert_eq!(field("", 1, ',').unwrap(), "");
        assert!(field("a,b", 3, ',').unwrap_err().contains("2 fields"));
        assert!(field("a,\"b", 2, ',').unwrap_err().contains("unterminated"));
        assert!(field("\"a\"x,b", 2, ',').unwrap_err().contains("after the closing quote"));
    }

    #[test]
    fn long_lines() {
        let text = format!("short\n{}\nlast", "x".repeat(MAX_LINE + 10));
        let mut r = LineReader::new(text.as_bytes());
        assert!(matches!(r.next_line().unwrap(), Some((1, Line::Text(b"short")))));
        assert!(matches!(r.next_line().unwrap(), Some((2, Line::Overlong))));
        let mut out = Vec::new();
        r.copy_rest(&mut out).unwrap();
        assert_eq!(out.len(), MAX_LINE + 10);
        assert!(matches!(r.next_line().unwrap(), Some((3, Line::Text(b"last")))));
        assert_eq!(r.number, 3);
        assert!(r.next_line().unwrap().is_none());
    }
}
