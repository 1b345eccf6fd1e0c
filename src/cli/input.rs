//! Input of every line-oriented subcommand: one bounded line reader, and on top of it the records of plain lines,
//! TSV, CSV (the `csv` crate: RFC 4180 quoting, fields across lines) and JSON Lines, from FILE arguments or stdin.

use std::collections::VecDeque;
use std::io::{self, BufRead, IsTerminal, Read, Write};

use super::{line_error, open, Skipped};

/// Longest line read into memory (1 MiB, without its line ending), and longest CSV record. Longer lines are an
/// error, or under `--lossy` are copied through unread.
pub const MAX_LINE: usize = 1 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The input options every line-oriented subcommand shares.
#[derive(clap::Args, Clone, Debug)]
pub struct InputArgs {
    /// Input files, read one after the other; - (the default) is stdin.
    #[arg(value_name = "FILE", default_value = "-")]
    pub files: Vec<String>,
    /// Replace invalid UTF-8 with U+FFFD and keep going past unreadable records (longer than 1 MiB, malformed
    /// CSV or JSON, a missing column): they are printed as read, with empty results, and counted on stderr.
    #[arg(long)]
    pub lossy: bool,
    /// Read this column of each row (from 1, or its name with --header) instead of the whole line; with --json,
    /// this field of each object. The output is then the row followed by bibkey's columns.
    #[arg(long, visible_alias = "field", value_name = "COLUMN")]
    pub column: Option<String>,
    /// The first row of each file is a header: it names the columns, is not processed, and is printed (first
    /// file only) with bibkey's column names added.
    #[arg(long)]
    pub header: bool,
    /// Field delimiter: TAB (the default) reads TSV, where `"` is an ordinary character; any other reads CSV
    /// (RFC 4180 quoting, quoted fields may span lines). Implies --column 1 when --column is not given.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    /// With a TAB delimiter: fields may be quoted as in CSV (tab-delimited text saved by spreadsheets).
    #[arg(long)]
    pub quoted: bool,
    /// JSON Lines: each line is a JSON object; --column names the field to read (--field). The output is each
    /// object with bibkey's fields added.
    #[arg(long, conflicts_with_all = ["delimiter", "header", "quoted"])]
    pub json: bool,
    /// Write each output line as soon as it is made (the default when stdin is a terminal), for programs that
    /// send one line and wait for the answer.
    #[arg(long)]
    pub line_buffered: bool,
}

/// How records are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One record per line, the whole line.
    Lines,
    /// Delimited fields; `quoting` as in RFC 4180 (then a record may span lines).
    Delimited { delimiter: u8, quoting: bool },
    /// One JSON object per line.
    Json,
}

impl InputArgs {
    /// The format the options ask for; `delimited` makes plain lines TSV (for `match`, whose records have fields).
    pub fn format(&self, delimited: bool) -> io::Result<Format> {
        if self.json {
            return Ok(Format::Json);
        }
        if !delimited && self.column.is_none() && !self.header && self.delimiter.is_none() && !self.quoted {
            return Ok(Format::Lines);
        }
        let d = self.delimiter.unwrap_or('\t');
        if !d.is_ascii() || matches!(d, '"' | '\n' | '\r') {
            return Err(usage(format!(
                "--delimiter {d:?}: the delimiter must be one ASCII character other than a quote or a line break"
            )));
        }
        if self.quoted && d != '\t' {
            return Err(usage("--quoted is for TAB-delimited input (other delimiters are always quoted CSV)"));
        }
        Ok(Format::Delimited { delimiter: d as u8, quoting: d != '\t' || self.quoted })
    }

    /// Whether output is to be flushed line by line: asked for, or stdin is read and is a terminal.
    pub fn line_buffered(&self) -> bool {
        self.line_buffered || (self.files.iter().any(|f| f == "-") && io::stdin().is_terminal())
    }
}

/// A usage error (exit status 2).
pub fn usage(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message.into())
}

/// One line read by [`LineReader`].
pub enum Line<'a> {
    /// The line's bytes, without the line ending (and without a byte-order mark at the start of the input).
    Text(&'a [u8]),
    /// The line was longer than [`MAX_LINE`]. [`LineReader::copy_rest`] copies it through; the next
    /// [`LineReader::next_line`] skips what is left of it.
    Overlong,
}

/// Reads lines of at most [`MAX_LINE`] bytes (not counting the line ending, CR LF or LF), dropping a UTF-8
/// byte-order mark at the start. The one line reader of the CLI.
pub struct LineReader<R> {
    input: R,
    buf: Vec<u8>,
    /// Number of the last line returned (from 1).
    pub number: u64,
    /// Bytes read so far (for progress).
    pub bytes: u64,
    /// The last line was overlong and the rest of it is unread.
    pending: bool,
    /// Bytes of the input's buffer returned as the last line, consumed at the next call.
    consume: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R) -> Self {
        LineReader { input, buf: Vec::new(), number: 0, bytes: 0, pending: false, consume: 0 }
    }

    /// The whole lines in the input's buffer, up to the first that is not valid UTF-8, as one text (checked as
    /// UTF-8 once: `from_utf8` on each short line was a tenth of `bibkey key`'s time), with the number of lines;
    /// `None` when the buffer starts with no whole valid line (then read with [`next_line`](Self::next_line)).
    /// Lines end with LF (CR LF included, the CR still there); a byte-order mark at the start is dropped.
    pub fn next_block(&mut self) -> io::Result<Option<(&str, u64)>> {
        if self.consume > 0 {
            self.input.consume(self.consume);
            self.consume = 0;
        }
        if self.pending {
            return Ok(None);
        }
        let chunk = self.input.fill_buf()?;
        // Lines in a block are never overlong: the block is shorter than the limit.
        let Some(end) = chunk.iter().rposition(|&b| b == b'\n').filter(|&e| e < MAX_LINE) else { return Ok(None) };
        let block = &chunk[..=end];
        let mut text = match std::str::from_utf8(block) {
            Ok(text) => text,
            // The whole lines before the invalid bytes (the line with them is read on its own).
            Err(e) => match block[..e.valid_up_to()].iter().rposition(|&b| b == b'\n') {
                Some(p) => match std::str::from_utf8(&block[..=p]) {
                    Ok(text) => text,
                    Err(_) => return Ok(None),
                },
                None => return Ok(None),
            },
        };
        let end = text.len() - 1;
        // Counted in a byte-wide sum per 255 bytes, which the compiler vectorizes: a 64-bit sum per byte was four
        // instructions a byte, 5 % of `bibkey key` on Cyrillic.
        let lines: u64 =
            text.as_bytes().chunks(255).map(|c| u64::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum();
        if self.number == 0 {
            text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        }
        self.number += lines;
        self.bytes += end as u64 + 1;
        self.consume = end + 1;
        Ok(Some((text, lines)))
    }

    /// Whether the input is at its end (what is left of an overlong line skipped).
    pub fn at_end(&mut self) -> io::Result<bool> {
        if self.consume > 0 {
            self.input.consume(self.consume);
            self.consume = 0;
        }
        if self.pending {
            self.copy_rest(&mut io::sink(), false)?;
        }
        Ok(self.input.fill_buf()?.is_empty())
    }

    /// The next line and its number (from 1), or None at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, Line<'_>)>> {
        if self.consume > 0 {
            self.input.consume(self.consume);
            self.consume = 0;
        }
        if self.pending {
            self.copy_rest(&mut io::sink(), false)?;
        }
        self.buf.clear();
        // Room for the longest line, its CR LF, and a byte-order mark on the first line.
        let bound = (MAX_LINE + 2 + if self.number == 0 { BOM.len() } else { 0 }) as u64;
        // A line whole in the input's buffer is returned from there, uncopied: the buffer is consumed at the next
        // call. (`bibkey key` spends most of its time here otherwise.)
        let found = self.input.fill_buf()?.iter().position(|&b| b == b'\n');
        if let Some(end) = found {
            if (end as u64) < bound {
                // The same buffer again: no reading.
                let chunk = self.input.fill_buf()?;
                self.number += 1;
                self.bytes += end as u64 + 1;
                self.consume = end + 1;
                let mut line = &chunk[..end];
                if self.number == 1 {
                    line = line.strip_prefix(BOM).unwrap_or(line);
                }
                line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.len() > MAX_LINE {
                    self.buf.extend_from_slice(line);
                    return Ok(Some((self.number, Line::Overlong)));
                }
                return Ok(Some((self.number, Line::Text(line))));
            }
        }
        let n = io::Read::take(&mut self.input, bound).read_until(b'\n', &mut self.buf)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        self.bytes += n as u64;
        if self.number == 1 && self.buf.starts_with(BOM) {
            self.buf.drain(..BOM.len());
        }
        let ended = self.buf.last() == Some(&b'\n');
        if ended {
            self.buf.pop();
        } else if n as u64 == bound {
            // No line end within the bound: at least MAX_LINE + 1 bytes before it.
            self.pending = true;
            return Ok(Some((self.number, Line::Overlong)));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if self.buf.len() > MAX_LINE {
            return Ok(Some((self.number, Line::Overlong)));
        }
        Ok(Some((self.number, Line::Text(&self.buf))))
    }

    /// After an [`Line::Overlong`]: copies what was read and the rest of the line to `out`, without its line
    /// ending, in constant memory; with `lossy`, invalid UTF-8 is written as U+FFFD.
    pub fn copy_rest(&mut self, out: &mut impl Write, lossy: bool) -> io::Result<()> {
        let mut sink = Utf8Sink { carry: Vec::new(), lossy, cr: false };
        let first = std::mem::take(&mut self.buf);
        sink.write(out, &first)?;
        self.buf = first;
        if self.pending {
            self.pending = false;
            loop {
                let chunk = self.input.fill_buf()?;
                if chunk.is_empty() {
                    break;
                }
                match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => {
                        sink.write(out, &chunk[..i])?;
                        self.bytes += i as u64 + 1;
                        self.input.consume(i + 1);
                        break;
                    }
                    None => {
                        sink.write(out, chunk)?;
                        let n = chunk.len();
                        self.bytes += n as u64;
                        self.input.consume(n);
                    }
                }
            }
        }
        sink.finish(out)
    }
}

/// Writes a line in pieces: holds back a CR until it is known not to end the line, and under `lossy` a
/// UTF-8 sequence cut between pieces until it is complete, replacing invalid bytes with U+FFFD.
struct Utf8Sink {
    carry: Vec<u8>,
    lossy: bool,
    cr: bool,
}

impl Utf8Sink {
    fn write(&mut self, out: &mut impl Write, piece: &[u8]) -> io::Result<()> {
        if piece.is_empty() {
            return Ok(());
        }
        if self.cr {
            self.text(out, b"\r", false)?;
        }
        let (body, cr) = match piece.strip_suffix(b"\r") {
            Some(b) => (b, true),
            None => (piece, false),
        };
        self.cr = cr;
        self.text(out, body, false)
    }

    fn finish(&mut self, out: &mut impl Write) -> io::Result<()> {
        // A CR held back is the CR of the line ending: dropped.
        self.cr = false;
        self.text(out, b"", true)
    }

    fn text(&mut self, out: &mut impl Write, bytes: &[u8], last: bool) -> io::Result<()> {
        if !self.lossy {
            return out.write_all(bytes);
        }
        self.carry.extend_from_slice(bytes);
        let mut rest: &[u8] = &self.carry;
        loop {
            match std::str::from_utf8(rest) {
                Ok(_) => {
                    out.write_all(rest)?;
                    rest = &[];
                    break;
                }
                Err(e) => {
                    out.write_all(&rest[..e.valid_up_to()])?;
                    match e.error_len() {
                        Some(len) => {
                            out.write_all("\u{FFFD}".as_bytes())?;
                            rest = &rest[e.valid_up_to() + len..];
                        }
                        // A sequence cut at the end of the piece: wait for the next one.
                        None if !last => {
                            rest = &rest[e.valid_up_to()..];
                            break;
                        }
                        None => {
                            out.write_all("\u{FFFD}".as_bytes())?;
                            rest = &[];
                            break;
                        }
                    }
                }
            }
        }
        let keep = rest.len();
        let len = self.carry.len();
        self.carry.drain(..len - keep);
        Ok(())
    }
}

/// A line's text: invalid UTF-8 is an error (the reason, for [`line_error`]), or with `lossy` is replaced by
/// U+FFFD (the bool says so).
pub fn decode(bytes: &[u8], lossy: bool) -> Result<(std::borrow::Cow<'_, str>, bool), String> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok((std::borrow::Cow::Borrowed(t), false)),
        Err(_) if lossy => Ok((String::from_utf8_lossy(bytes), true)),
        Err(e) => Err(format!("invalid UTF-8 at byte {}", e.valid_up_to())),
    }
}

/// Which column or field a command reads.
#[derive(Clone, Debug)]
pub enum Column {
    /// A column number, from 1.
    Number(usize),
    /// A column named in the header, or a JSON field.
    Name(String),
}

impl Column {
    /// `--column`'s value: a number from 1, or a name (needs a header or JSON).
    pub fn parse(value: &str, format: Format, header: bool) -> io::Result<Column> {
        if format == Format::Json {
            return Ok(Column::Name(value.to_string()));
        }
        let named_ok = header;
        match value.parse::<usize>() {
            Ok(0) => Err(usage("--column: columns are numbered from 1")),
            Ok(n) => Ok(Column::Number(n)),
            Err(_) if named_ok => Ok(Column::Name(value.to_string())),
            Err(_) => Err(usage(format!("--column {value:?}: a column name needs --header"))),
        }
    }
}

/// A column wanted from each record: where, and whether a record without it is malformed.
#[derive(Clone, Debug)]
pub struct Want {
    pub column: Column,
    pub required: bool,
    /// For a named column not in the header: this column (from 0) instead.
    pub fallback: Option<usize>,
}

/// What a record holds, for printing it again.
#[derive(Clone, Debug)]
pub enum Body {
    /// A line (plain lines): the line is `texts[0]`.
    Line,
    /// The fields of a delimited row.
    Fields(csv::StringRecord),
    /// A JSON object.
    Object(serde_json::Map<String, serde_json::Value>),
    /// A record that could not be read (under `--lossy`): printed as read, with U+FFFD for invalid UTF-8.
    Raw(String),
}

/// One record.
#[derive(Clone, Debug)]
pub struct Record {
    /// Its number (from 1) among the records of all the inputs; header rows are not records.
    pub number: u64,
    /// The line it starts on, in its file.
    pub line: u64,
    /// The wanted columns' texts (empty when absent or unreadable).
    pub texts: Vec<String>,
    pub body: Body,
}

impl Record {
    /// Whether the record was read (not [`Body::Raw`]).
    pub fn is_read(&self) -> bool {
        !matches!(self.body, Body::Raw(_))
    }
}

/// What [`Records::next`] found.
pub enum Item {
    /// A record (read, or under `--lossy` unreadable: [`Body::Raw`]).
    Record(Record),
    /// Under `--lossy`, a line longer than [`MAX_LINE`]: print it with [`Records::copy_rest`].
    Overlong { number: u64 },
}

/// What [`Records::next_text`] found.
pub enum Text<'a> {
    /// A line's text.
    Line(std::borrow::Cow<'a, str>),
    /// Under `--lossy`, a line longer than [`MAX_LINE`]: print it with [`Records::copy_rest`].
    Overlong,
}

/// Holds the bytes of one CSV record for the `csv` reader, which is reset before each record.
#[derive(Default)]
struct Feed {
    data: Vec<u8>,
    at: usize,
}

impl Read for Feed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.data.len() - self.at);
        buf[..n].copy_from_slice(&self.data[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

impl io::Seek for Feed {
    fn seek(&mut self, _: io::SeekFrom) -> io::Result<u64> {
        self.at = 0;
        Ok(0)
    }
}

/// Where an RFC 4180 scan of a record's lines stands at the end of a line (the states of `csv-core` for
/// quoting with doubled quotes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    FieldStart,
    InField,
    Quoted,
    QuoteInQuoted,
}

impl Scan {
    /// The state after `line` (one physical line), starting from `self`. The record goes on to the next line
    /// only when the state after it is `Quoted`.
    fn after(mut self, line: &[u8], delimiter: u8) -> Scan {
        for &b in line {
            self = match (self, b) {
                (Scan::FieldStart, b'"') => Scan::Quoted,
                (Scan::FieldStart | Scan::InField | Scan::QuoteInQuoted, d) if d == delimiter => Scan::FieldStart,
                (Scan::FieldStart | Scan::InField, _) => Scan::InField,
                (Scan::Quoted, b'"') => Scan::QuoteInQuoted,
                (Scan::Quoted, _) => Scan::Quoted,
                (Scan::QuoteInQuoted, b'"') => Scan::Quoted,
                (Scan::QuoteInQuoted, _) => Scan::InField,
            };
        }
        // A line break inside quotes is part of the field; anywhere else it ends the record.
        if self == Scan::QuoteInQuoted {
            Scan::InField
        } else {
            self
        }
    }
}

/// The records of a list of inputs, in order.
pub struct Records {
    files: Vec<String>,
    next_file: usize,
    /// The file being read: its name, its lines, and the wanted columns' positions in it.
    reader: Option<LineReader<Box<dyn BufRead>>>,
    origin: String,
    positions: Vec<Option<usize>>,
    /// Size of the first file (for progress), when known.
    pub size: Option<u64>,
    format: Format,
    header: bool,
    wants: Vec<Want>,
    lossy: bool,
    csv: csv::Reader<Feed>,
    fields: csv::ByteRecord,
    /// The lines of the record being read, joined by LF.
    rec: Vec<u8>,
    /// Lines of a CSV record that could not be read (under `--lossy`), each to be returned as a raw record.
    raw_lines: VecDeque<(u64, Vec<u8>)>,
    /// Records returned so far.
    pub count: u64,
    /// The first file's header row.
    pub header_row: Option<csv::StringRecord>,
    /// What `--lossy` let through, reported at the end.
    pub skipped: Skipped,
}

impl Records {
    pub fn new(args: &InputArgs, format: Format, wants: Vec<Want>) -> io::Result<Records> {
        let quoting = matches!(format, Format::Delimited { quoting: true, .. });
        let delimiter = match format {
            Format::Delimited { delimiter, .. } => delimiter,
            _ => b'\t',
        };
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .quoting(quoting)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(Feed::default());
        let mut records = Records {
            files: args.files.clone(),
            next_file: 0,
            reader: None,
            origin: String::new(),
            positions: Vec::new(),
            size: None,
            format,
            header: args.header,
            wants,
            lossy: args.lossy,
            csv,
            fields: csv::ByteRecord::new(),
            rec: Vec::new(),
            raw_lines: VecDeque::new(),
            count: 0,
            header_row: None,
            skipped: Skipped::default(),
        };
        records.open_next()?;
        Ok(records)
    }

    /// Bytes read from the current file.
    pub fn bytes(&self) -> u64 {
        self.reader.as_ref().map_or(0, |r| r.bytes)
    }

    /// Opens the next file and reads its header. False when there is none.
    fn open_next(&mut self) -> io::Result<bool> {
        let Some(path) = self.files.get(self.next_file).cloned() else {
            self.reader = None;
            return Ok(false);
        };
        self.next_file += 1;
        let (input, size) = open(&path)?;
        if self.next_file == 1 {
            self.size = size;
        }
        self.origin = if path == "-" { "stdin".to_string() } else { path };
        self.reader = Some(LineReader::new(input));
        self.positions = self
            .wants
            .iter()
            .map(|w| match &w.column {
                Column::Number(n) => Some(n - 1),
                Column::Name(_) => w.fallback,
            })
            .collect();
        if self.header && matches!(self.format, Format::Delimited { .. }) {
            self.read_header()?;
        }
        Ok(true)
    }

    fn read_header(&mut self) -> io::Result<()> {
        let header = match self.read_row()? {
            Some(RowRead::Row(line)) => {
                let row = csv::StringRecord::from_byte_record(self.fields.clone()).map_err(|e| {
                    let field = e.utf8_error().field() + 1;
                    line_error(&self.origin, line, format_args!("header: invalid UTF-8 in field {field}"))
                })?;
                row
            }
            // An empty file has no header, and no records.
            None => return Ok(()),
            Some(RowRead::Overlong(line)) => return Err(line_error(&self.origin, line, "header longer than 1 MiB")),
            Some(RowRead::Bad(line, why)) => return Err(line_error(&self.origin, line, format_args!("header: {why}"))),
        };
        for (i, want) in self.wants.iter().enumerate() {
            if let Column::Name(name) = &want.column {
                let found = header
                    .iter()
                    .position(|h| h == name)
                    .or_else(|| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name.trim())));
                match found {
                    Some(p) => self.positions[i] = Some(p),
                    None if want.required && want.fallback.is_none() => {
                        let names: Vec<&str> = header.iter().collect();
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidInput,
                            format!("{}: no column named {name:?} in the header ({})", self.origin, names.join(", ")),
                        ));
                    }
                    None => {}
                }
            }
        }
        if self.header_row.is_none() {
            self.header_row = Some(header);
        }
        Ok(())
    }

    /// Reads the next row into `self.fields` (delimited formats), assembling the lines of a quoted field.
    fn read_row(&mut self) -> io::Result<Option<RowRead>> {
        let Format::Delimited { delimiter, quoting } = self.format else {
            return Err(io::Error::other("internal: rows of a format without rows"));
        };
        let Some(reader) = self.reader.as_mut() else { return Ok(None) };
        let rec = &mut self.rec;
        rec.clear();
        let mut first = 0;
        let mut scan = Scan::FieldStart;
        let mut lines: Vec<(u64, std::ops::Range<usize>)> = Vec::new();
        let bad = loop {
            let why = match reader.next_line()? {
                None if lines.is_empty() => return Ok(None),
                // The input ended inside a quoted field.
                None => "a quoted field is not closed before the end of the input".to_string(),
                Some((n, Line::Overlong)) if lines.is_empty() => return Ok(Some(RowRead::Overlong(n))),
                Some((n, Line::Overlong)) => format!("a quoted field runs into line {n}, longer than 1 MiB"),
                Some((n, Line::Text(bytes))) => {
                    if lines.is_empty() {
                        first = n;
                    } else {
                        rec.push(b'\n');
                    }
                    let start = rec.len();
                    rec.extend_from_slice(bytes);
                    lines.push((n, start..rec.len()));
                    if rec.len() > MAX_LINE {
                        "a quoted field is not closed within 1 MiB".to_string()
                    } else {
                        if quoting {
                            scan = scan.after(bytes, delimiter);
                            if scan == Scan::Quoted {
                                continue;
                            }
                        }
                        break None;
                    }
                }
            };
            break Some(why);
        };
        if let Some(why) = bad {
            self.keep_raw(&lines);
            return Ok(Some(RowRead::Bad(first, why)));
        }
        if self.rec.is_empty() {
            // The csv reader skips empty lines; an empty line is a row of one empty field here.
            self.fields.clear();
            self.fields.push_field(b"");
            return Ok(Some(RowRead::Row(first)));
        }
        let feed = self.csv.get_mut();
        feed.data.clear();
        feed.data.extend_from_slice(&self.rec);
        feed.data.push(b'\n');
        let len = feed.data.len() as u64;
        self.csv.seek_raw(io::SeekFrom::Start(0), csv::Position::new()).map_err(csv_io)?;
        let read = self.csv.read_byte_record(&mut self.fields).map_err(csv_io)?;
        if !read || self.csv.position().byte() != len {
            // The scan and the csv reader disagree on where the record ends: never guess.
            self.keep_raw(&lines);
            return Ok(Some(RowRead::Bad(first, "unreadable quoting".to_string())));
        }
        Ok(Some(RowRead::Row(first)))
    }

    /// Under `--lossy`, keeps the lines of a record that could not be read, for `next` to return one by one.
    fn keep_raw(&mut self, lines: &[(u64, std::ops::Range<usize>)]) {
        if self.lossy {
            for (n, range) in lines {
                self.raw_lines.push_back((*n, self.rec[range.clone()].to_vec()));
            }
        }
    }

    /// Under `--lossy`, after [`Item::Overlong`]: copies the rest of the line through.
    pub fn copy_rest(&mut self, out: &mut impl Write) -> io::Result<()> {
        match self.reader.as_mut() {
            Some(r) => r.copy_rest(out, self.lossy),
            None => Ok(()),
        }
    }

    /// Plain lines: the next line's text, borrowed from the reader (no copy), across files; the same errors,
    /// `--lossy` and counting as [`next`](Self::next).
    pub fn next_text(&mut self) -> io::Result<Option<Text<'_>>> {
        loop {
            let Some(reader) = self.reader.as_mut() else { return Ok(None) };
            if !reader.at_end()? {
                break;
            }
            if !self.open_next()? {
                return Ok(None);
            }
        }
        let Some(reader) = self.reader.as_mut() else { return Ok(None) };
        match reader.next_line()? {
            None => Ok(None),
            Some((n, Line::Overlong)) => {
                if !self.lossy {
                    return Err(line_error(&self.origin, n, "longer than 1 MiB"));
                }
                self.skipped.add(&self.origin, OVERLONG, n);
                self.count += 1;
                Ok(Some(Text::Overlong))
            }
            Some((n, Line::Text(bytes))) => {
                let (text, replaced) = decode(bytes, self.lossy).map_err(|why| line_error(&self.origin, n, why))?;
                if replaced {
                    self.skipped.add(&self.origin, LOSSY, n);
                }
                self.count += 1;
                Ok(Some(Text::Line(text)))
            }
        }
    }

    /// Plain lines: the whole lines in the reader's buffer as one text, when they are valid UTF-8 (see
    /// [`LineReader::next_block`]; counted as records here), else `None`: then read with
    /// [`next_text`](Self::next_text).
    pub fn next_block(&mut self) -> io::Result<Option<&str>> {
        let Some(reader) = self.reader.as_mut() else { return Ok(None) };
        match reader.next_block()? {
            Some((text, lines)) => {
                self.count += lines;
                Ok(Some(text))
            }
            None => Ok(None),
        }
    }

    /// The next record, across files.
    pub fn next(&mut self) -> io::Result<Option<Item>> {
        loop {
            if let Some((line, bytes)) = self.raw_lines.pop_front() {
                return Ok(Some(self.raw(line, &bytes)));
            }
            if self.reader.is_none() {
                return Ok(None);
            }
            match self.next_in_file()? {
                Some(item) => return Ok(Some(item)),
                None => {
                    if !self.open_next()? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    fn raw(&mut self, line: u64, bytes: &[u8]) -> Item {
        self.count += 1;
        Item::Record(Record {
            number: self.count,
            line,
            texts: vec![String::new(); self.wants.len()],
            body: Body::Raw(String::from_utf8_lossy(bytes).into_owned()),
        })
    }

    /// An unreadable record: an error naming its line, or under `--lossy` counted (the caller prints it).
    fn bad(&mut self, line: u64, why: String, count_as: &'static str) -> io::Result<()> {
        if !self.lossy {
            return Err(line_error(&self.origin, line, why));
        }
        self.skipped.add(&self.origin, count_as, line);
        Ok(())
    }

    fn next_in_file(&mut self) -> io::Result<Option<Item>> {
        match self.format {
            Format::Lines => {
                let text = match self.next_text()? {
                    None => return Ok(None),
                    Some(Text::Overlong) => return Ok(Some(Item::Overlong { number: self.count })),
                    Some(Text::Line(text)) => text.into_owned(),
                };
                let line = self.reader.as_ref().map_or(0, |r| r.number);
                Ok(Some(Item::Record(Record { number: self.count, line, texts: vec![text], body: Body::Line })))
            }
            Format::Json => {
                let Some(reader) = self.reader.as_mut() else { return Ok(None) };
                let (n, bytes) = match reader.next_line()? {
                    None => return Ok(None),
                    Some((n, Line::Overlong)) => {
                        self.bad(n, "longer than 1 MiB".into(), OVERLONG)?;
                        self.count += 1;
                        return Ok(Some(Item::Overlong { number: self.count }));
                    }
                    Some((n, Line::Text(bytes))) => (n, bytes),
                };
                let (text, replaced) = match decode(bytes, self.lossy) {
                    Ok((t, r)) => (t.into_owned(), r),
                    Err(why) => return Err(line_error(&self.origin, n, why)),
                };
                if replaced {
                    self.skipped.add(&self.origin, LOSSY, n);
                }
                let object = match serde_json::from_str::<serde_json::Value>(&text) {
                    Ok(serde_json::Value::Object(o)) => Ok(o),
                    Ok(_) => Err("not a JSON object".to_string()),
                    Err(e) => Err(format!("not JSON: {e}")),
                };
                let object = object.and_then(|o| {
                    let texts = self.json_texts(&o)?;
                    Ok((o, texts))
                });
                match object {
                    Ok((o, texts)) => {
                        self.count += 1;
                        Ok(Some(Item::Record(Record { number: self.count, line: n, texts, body: Body::Object(o) })))
                    }
                    Err(why) => {
                        self.bad(n, why, MALFORMED)?;
                        Ok(Some(self.raw(n, text.as_bytes())))
                    }
                }
            }
            Format::Delimited { .. } => {
                let line = match self.read_row()? {
                    None => return Ok(None),
                    Some(RowRead::Overlong(n)) => {
                        self.bad(n, "longer than 1 MiB".into(), OVERLONG)?;
                        self.count += 1;
                        return Ok(Some(Item::Overlong { number: self.count }));
                    }
                    Some(RowRead::Bad(n, why)) => {
                        self.bad(n, why, MALFORMED)?;
                        // The record's lines were kept: `next` returns them one by one.
                        return self.next();
                    }
                    Some(RowRead::Row(n)) => n,
                };
                let fields = match csv::StringRecord::from_byte_record(self.fields.clone()) {
                    Ok(f) => f,
                    Err(e) if self.lossy => {
                        self.skipped.add(&self.origin, LOSSY, line);
                        let _ = e;
                        let mut f = csv::StringRecord::new();
                        for field in self.fields.iter() {
                            f.push_field(&String::from_utf8_lossy(field));
                        }
                        f
                    }
                    Err(e) => {
                        let (field, at) = (e.utf8_error().field() + 1, e.utf8_error().valid_up_to());
                        return Err(line_error(
                            &self.origin,
                            line,
                            format_args!("invalid UTF-8 in field {field} at byte {at}"),
                        ));
                    }
                };
                let mut texts = Vec::with_capacity(self.wants.len());
                for (want, position) in self.wants.iter().zip(&self.positions) {
                    match position.and_then(|p| fields.get(p)) {
                        Some(t) => texts.push(t.to_string()),
                        None if !want.required => texts.push(String::new()),
                        None => {
                            let has = format!("the row has {} field{}", fields.len(), plural(fields.len()));
                            let what = match (&want.column, position) {
                                (Column::Number(c), _) => format!("no column {c}: {has}"),
                                (Column::Name(name), Some(p)) => format!("no column {} ({name:?}): {has}", p + 1),
                                (Column::Name(name), None) => format!("no column {name:?}"),
                            };
                            let raw = self.rec.clone();
                            self.bad(line, what, MALFORMED)?;
                            return Ok(Some(self.raw(line, &raw)));
                        }
                    }
                }
                self.count += 1;
                Ok(Some(Item::Record(Record { number: self.count, line, texts, body: Body::Fields(fields) })))
            }
        }
    }

    fn json_texts(&self, o: &serde_json::Map<String, serde_json::Value>) -> Result<Vec<String>, String> {
        let mut texts = Vec::with_capacity(self.wants.len());
        for want in &self.wants {
            let Column::Name(name) = &want.column else {
                return Err("a JSON field is named, not numbered".to_string());
            };
            match o.get(name) {
                Some(serde_json::Value::String(s)) => texts.push(s.clone()),
                Some(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => {
                    // A list of names.
                    let parts: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
                    texts.push(parts.join(" ; "));
                }
                None | Some(serde_json::Value::Null) if !want.required => texts.push(String::new()),
                None | Some(serde_json::Value::Null) => return Err(format!("no field {name:?}")),
                Some(_) => return Err(format!("field {name:?} is not a string")),
            }
        }
        Ok(texts)
    }

    /// Reports on stderr what `--lossy` let through.
    pub fn report(&self) {
        self.skipped.report();
    }
}

const OVERLONG: &str = "longer than 1 MiB: copied through, not read";
const MALFORMED: &str = "malformed (quoting, JSON or a missing column): printed as read, not read";
const LOSSY: &str = "with invalid UTF-8: read with U+FFFD in its place";

enum RowRead {
    Row(u64),
    Overlong(u64),
    Bad(u64, String),
}

fn csv_io(e: csv::Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e.to_string())
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
    fn long_lines() {
        let text = format!("short\n{}\nlast", "x".repeat(MAX_LINE + 10));
        let mut r = LineReader::new(text.as_bytes());
        assert!(matches!(r.next_line().unwrap(), Some((1, Line::Text(b"short")))));
        assert!(matches!(r.next_line().unwrap(), Some((2, Line::Overlong))));
        let mut out = Vec::new();
        r.copy_rest(&mut out, false).unwrap();
        assert_eq!(out.len(), MAX_LINE + 10);
        assert!(matches!(r.next_line().unwrap(), Some((3, Line::Text(b"last")))));
        assert_eq!(r.number, 3);
        assert!(r.next_line().unwrap().is_none());
    }

    #[test]
    fn the_limit_does_not_count_crlf_or_bom() {
        let longest = "x".repeat(MAX_LINE);
        let text = format!("\u{FEFF}{longest}\r\n{longest}\r\n{longest}x\r\nend\r");
        let mut r = LineReader::new(text.as_bytes());
        assert!(matches!(r.next_line().unwrap(), Some((1, Line::Text(t))) if t == longest.as_bytes()));
        assert!(matches!(r.next_line().unwrap(), Some((2, Line::Text(t))) if t == longest.as_bytes()));
        assert!(matches!(r.next_line().unwrap(), Some((3, Line::Overlong))));
        let mut out = Vec::new();
        r.copy_rest(&mut out, true).unwrap();
        assert_eq!(out.len(), MAX_LINE + 1, "the CR of the CR LF is not copied");
        assert!(matches!(r.next_line().unwrap(), Some((4, Line::Text(b"end")))));
    }

    #[test]
    fn lossy_copy_replaces_invalid_bytes_across_pieces() {
        let mut out = Vec::new();
        let mut sink = Utf8Sink { carry: Vec::new(), lossy: true, cr: false };
        // "щ" cut between two pieces, an invalid byte, a CR inside the line, and one ending it.
        for piece in [&b"a\xd1"[..], b"\x89\xff\r", b"b\r"] {
            sink.write(&mut out, piece).unwrap();
        }
        sink.finish(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "aщ\u{FFFD}\rb");
    }

    #[test]
    fn scan_finds_the_end_of_a_record() {
        let s = Scan::FieldStart;
        assert!(s.after(b"a,\"b", b',') == Scan::Quoted);
        assert!(s.after(b"a,\"b\"\"", b',') == Scan::Quoted);
        assert!(s.after(b"a,\"b\"\"\"", b',') == Scan::InField);
        assert!(s.after(b"a,b\"c", b',') == Scan::InField);
        assert!(Scan::Quoted.after(b"still\",x", b',') == Scan::InField);
        assert!(Scan::Quoted.after(b"still\",", b',') == Scan::FieldStart);
        assert!(Scan::Quoted.after(b"", b',') == Scan::Quoted);
    }
}
