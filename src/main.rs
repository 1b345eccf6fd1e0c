//! The `bibkey` command-line tool: a thin, line-oriented shell over the library.
//!
//! Every subcommand that reads stdin writes exactly one output line per input line, in order, and streams: memory
//! stays constant however large the input is.

use std::io::{self, BufRead, BufWriter, Read, Write};
use std::process::ExitCode;

use bibkey::{Error, Scheme, Ties};
use clap::{Parser, Subcommand, ValueEnum};

mod cli;

#[derive(Parser)]
#[command(
    name = "bibkey",
    version,
    about = "Match bibliographic titles and names across Cyrillic and its romanizations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Romanize (or, with --reverse, de-romanize) each line of stdin.
    Romanize {
        /// Scheme id (see `bibkey schemes`).
        #[arg(long, short, default_value = "ru-alalc")]
        scheme: String,
        /// Use a table file instead of a built-in scheme.
        #[arg(long, conflicts_with = "scheme")]
        table: Option<String>,
        /// Latin → Cyrillic (ru-alalc, ru-iso9, ru-scholarly).
        #[arg(long)]
        reverse: bool,
        /// How to write the ALA-LC ties.
        #[arg(long, value_enum, default_value_t = TieArg::Combining)]
        ties: TieArg,
        #[command(flatten)]
        input: InputOpts,
    },
    /// List the built-in schemes with their standards.
    Schemes,
    /// Write the matching key of each line of stdin (an empty line for a line without letters).
    Key {
        /// What each line is: plain text, a title (articles, ISBD punctuation, volumes), or a personal name.
        #[arg(long, value_enum, default_value_t = Kind::Text)]
        kind: Kind,
        /// With --kind name: a given-names table extending the built-in one (format: tables/given-names.tsv).
        #[arg(long)]
        given_names: Option<String>,
        /// With --kind text: after the key, the keys of the line read as German, Polish, Czech, French and
        /// Spanish spell Russian (those that differ), separated by tabs. Two lines may be the same text when they
        /// share one of these keys.
        #[arg(long)]
        readings: bool,
        #[command(flatten)]
        input: InputOpts,
    },
    /// Group lines into clusters of the same title, name or text: key collisions first, then nearest neighbours.
    ///
    /// Prints every input line, in order, after its cluster id (the number of the line that started the cluster)
    /// and a tab. Streams: memory grows with the number of distinct keys only.
    Cluster {
        /// What the field is.
        #[arg(long, value_enum, default_value_t = Kind::Text)]
        kind: Kind,
        /// Cluster on this field (from 1) of each line instead of the whole line.
        #[arg(long)]
        column: Option<usize>,
        /// Field delimiter for --column (a field starting with `"` is quoted, RFC 4180).
        #[arg(long, default_value_t = '\t')]
        delimiter: char,
        /// Key collisions only: no nearest-neighbour merges.
        #[arg(long)]
        no_nearest: bool,
        /// Edits allowed per byte of key for nearest-neighbour merges.
        #[arg(long, default_value_t = 0.1)]
        edit_ratio: f64,
        /// Most edits allowed for a nearest-neighbour merge.
        #[arg(long, default_value_t = 3)]
        max_edits: usize,
        /// Also join lines through their readings: German, Polish, Czech, French and Spanish spellings read back
        /// (see `bibkey key --readings`). More joins, a few of them wrong (ACCURACY.md, "Readings").
        #[arg(long)]
        readings: bool,
        /// Also print how each line joined its cluster (new, key, reading, near N, empty) as a second column.
        #[arg(long)]
        explain: bool,
        /// Never show a progress line on stderr.
        #[arg(long)]
        quiet: bool,
        /// Input file, or - for stdin.
        #[arg(default_value = "-")]
        file: String,
        #[command(flatten)]
        input: InputOpts,
    },
    /// Find the records of an index file that best match each query line of stdin.
    ///
    /// The index file has one record per line: `id<TAB>title<TAB>names`, names separated by ` ; ` (the names
    /// column may be absent; further columns are ignored). Each query line is `title<TAB>names` in the same way. For each query, one output
    /// line: up to --top candidates, best first, each as three tab-separated fields `id`, `score` and how the
    /// title and name matched; an empty line when nothing matched.
    Match {
        /// The records to match against.
        #[arg(long)]
        index: String,
        /// Candidates per query.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Drop candidates scoring less.
        #[arg(long, default_value_t = 0.0)]
        min_score: f64,
        /// Edits allowed per byte of title key.
        #[arg(long, default_value_t = 0.2)]
        edit_ratio: f64,
        /// Also search each query as German, Polish, Czech, French and Spanish spell Russian, read back (see
        /// `bibkey key --readings`); a candidate found that way says `as read-de` (…) after how it matched.
        #[arg(long)]
        readings: bool,
        #[command(flatten)]
        input: InputOpts,
    },
    /// MARC 21 records: check romanized fields against their 880s, or write key rows.
    Marc {
        #[command(subcommand)]
        command: cli::marc::MarcCommand,
    },
    /// NACO-normalize each line of stdin (PCC Authority File Comparison Rules).
    Naco {
        /// Keep the first comma, as for subfield $a of a heading.
        #[arg(long)]
        subfield_a: bool,
        #[command(flatten)]
        input: InputOpts,
    },
}

#[derive(clap::Args)]
struct InputOpts {
    /// Replace invalid UTF-8 with U+FFFD instead of stopping with an error.
    #[arg(long)]
    lossy: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// The transliteration-aware key of the whole line.
    Text,
    /// `title_key`: leading articles, ISBD punctuation and volume designations handled.
    Title,
    /// `name_key`: surname key plus the key of the first given-name initial.
    Name,
}

impl From<Kind> for bibkey::KeyKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Text => bibkey::KeyKind::Text,
            Kind::Title => bibkey::KeyKind::Title,
            Kind::Name => bibkey::KeyKind::Name,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum TieArg {
    /// U+0361 between the letters.
    Combining,
    /// The MARC-8 halves U+FE20/U+FE21.
    Marc8,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bibkey: {e}");
            ExitCode::from(if e.kind() == io::ErrorKind::InvalidInput { 2 } else { 1 })
        }
    }
}

fn to_io(e: Error) -> io::Error {
    let kind = if e.known_schemes().is_some() { io::ErrorKind::InvalidInput } else { io::ErrorKind::InvalidData };
    io::Error::new(kind, e.to_string())
}

/// A line's text: invalid UTF-8 is an error naming the line, or with `lossy` is replaced by U+FFFD.
fn decode(line: &[u8], lineno: u64, lossy: bool) -> io::Result<std::borrow::Cow<'_, str>> {
    match std::str::from_utf8(line) {
        Ok(t) => Ok(std::borrow::Cow::Borrowed(t)),
        Err(_) if lossy => Ok(String::from_utf8_lossy(line)),
        Err(e) => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            Error::input(lineno, format!("invalid UTF-8 at byte {} (use --lossy to replace it)", e.valid_up_to()))
                .to_string(),
        )),
    }
}

/// Calls `f` on every line of stdin (without its line ending), writing what it leaves in the output buffer as one
/// line. Invalid UTF-8 is an error naming the line, unless `lossy`.
fn each_line(lossy: bool, mut f: impl FnMut(&str, &mut String)) -> io::Result<()> {
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut raw = Vec::new();
    let mut result = String::new();
    let mut lineno: u64 = 0;
    loop {
        raw.clear();
        if input.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        lineno += 1;
        let mut line: &[u8] = &raw;
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l;
        }
        if let Some(l) = line.strip_suffix(b"\r") {
            line = l;
        }
        let text = match decode(line, lineno, lossy) {
            Ok(t) => t,
            Err(e) => {
                out.flush()?;
                return Err(e);
            }
        };
        result.clear();
        f(&text, &mut result);
        out.write_all(result.as_bytes())?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// The loop of `bibkey key` (plain text): [`each_line`] with `key_into`, in blocks. Stdin is read 1 MiB at a time
/// and each block of whole lines is checked as UTF-8 once; the keys are appended, one per line, to one output
/// buffer that is written when it passes 64 KiB. A block that is not UTF-8 goes through `each_line`'s per-line
/// logic, so errors name the same line and `--lossy` replaces the same bytes.
fn each_key_line(lossy: bool) -> io::Result<()> {
    const BLOCK: usize = 1 << 20;
    const OUT: usize = 1 << 16;
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut buf = vec![0u8; BLOCK];
    let mut filled = 0;
    let mut keys = String::with_capacity(OUT + 4096);
    let mut lineno: u64 = 0;
    loop {
        if filled == buf.len() {
            // One line longer than the buffer: grow it.
            buf.resize(buf.len() * 2, 0);
        }
        let n = match input.read(&mut buf[filled..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        filled += n;
        let eof = n == 0;
        // Whole lines only, except at the end of the input.
        let end = if eof {
            filled
        } else {
            match buf[..filled].iter().rposition(|&b| b == b'\n') {
                Some(p) => p + 1,
                None => continue,
            }
        };
        let block = &buf[..end];
        match std::str::from_utf8(block) {
            Ok(text) => {
                // Lines are short: a plain byte loop finds their ends faster than memchr does (same lines as
                // `split_terminator('\n')`).
                let tb = text.as_bytes();
                let mut start = 0;
                while start < tb.len() {
                    let mut end = start;
                    while end < tb.len() && tb[end] != b'\n' {
                        end += 1;
                    }
                    let line = &text[start..end];
                    start = end + 1;
                    lineno += 1;
                    let line = line.strip_suffix('\r').unwrap_or(line);
                    bibkey::key_into(line, &mut keys);
                    keys.push('\n');
                    if keys.len() >= OUT {
                        out.write_all(keys.as_bytes())?;
                        keys.clear();
                    }
                }
            }
            Err(_) => {
                let mut rest = block;
                while !rest.is_empty() {
                    let (mut line, next) = match rest.iter().position(|&b| b == b'\n') {
                        Some(p) => (&rest[..p], &rest[p + 1..]),
                        None => (rest, &rest[rest.len()..]),
                    };
                    rest = next;
                    lineno += 1;
                    if let Some(l) = line.strip_suffix(b"\r") {
                        line = l;
                    }
                    let text = match decode(line, lineno, lossy) {
                        Ok(t) => t,
                        Err(e) => {
                            out.write_all(keys.as_bytes())?;
                            out.flush()?;
                            return Err(e);
                        }
                    };
                    bibkey::key_into(&text, &mut keys);
                    keys.push('\n');
                }
                if keys.len() >= OUT {
                    out.write_all(keys.as_bytes())?;
                    keys.clear();
                }
            }
        }
        buf.copy_within(end..filled, 0);
        filled -= end;
        if eof {
            break;
        }
    }
    out.write_all(keys.as_bytes())?;
    out.flush()
}

fn run(cli: Cli) -> io::Result<()> {
    match cli.command {
        Command::Schemes => {
            let out = io::stdout();
            let mut out = out.lock();
            for s in bibkey::builtins() {
                writeln!(out, "{:<16} {} — {}", s.id(), s.name(), s.standard())?;
            }
            Ok(())
        }
        Command::Romanize { scheme, table, reverse, ties, input } => {
            let owned;
            let s: &Scheme = match table {
                Some(path) => {
                    owned = Scheme::from_path(&path).map_err(to_io)?;
                    &owned
                }
                None => Scheme::builtin(&scheme).map_err(to_io)?,
            };
            if reverse && !s.is_reversible() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("scheme {} is not reversible; reversible: ru-alalc, ru-iso9, ru-scholarly", s.id()),
                ));
            }
            let ties = match ties {
                TieArg::Combining => Ties::Combining,
                TieArg::Marc8 => Ties::Marc8Halves,
            };
            each_line(input.lossy, |line, out| {
                if reverse {
                    // Checked above: the scheme is reversible, so this cannot fail.
                    if let Ok(r) = s.reverse(line) {
                        out.push_str(&r);
                    }
                } else {
                    s.romanize_into(line, ties, out);
                }
            })
        }
        Command::Key { kind, readings: true, input, .. } => {
            if !matches!(kind, Kind::Text) {
                eprintln!("bibkey: --readings works with --kind text only");
                std::process::exit(2);
            }
            each_line(input.lossy, |line, out| {
                for (i, k) in bibkey::key::readings(line).iter().enumerate() {
                    if i > 0 {
                        out.push('\t');
                    }
                    out.push_str(k.as_str());
                }
            })
        }
        Command::Key { kind, given_names, input, .. } => match kind {
            Kind::Text => each_key_line(input.lossy),
            Kind::Title => each_line(input.lossy, |line, out| out.push_str(bibkey::title_key(line).as_str())),
            Kind::Name => {
                let names = match given_names {
                    Some(path) => {
                        let text = std::fs::read_to_string(&path)
                            .map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
                        Some(bibkey::name::load_given_names(&path, &text).map_err(to_io)?)
                    }
                    None => None,
                };
                each_line(input.lossy, |line, out| match &names {
                    Some(t) => out.push_str(bibkey::name::parse_name_with(line, t).key_with(t).as_str()),
                    None => out.push_str(bibkey::name_key(line).as_str()),
                })
            }
        },
        Command::Cluster {
            kind,
            column,
            delimiter,
            no_nearest,
            edit_ratio,
            max_edits,
            readings,
            explain,
            quiet,
            file,
            input,
        } => {
            let options = bibkey::cluster::ClusterOptions::new(kind.into())
                .nearest(!no_nearest)
                .edit_ratio(edit_ratio)
                .max_edits(max_edits)
                .readings(readings);
            if column == Some(0) {
                return Err(io::Error::new(io::ErrorKind::InvalidInput, "--column: columns are numbered from 1"));
            }
            let field = column.map(|c| (c, delimiter));
            cli::cluster::run(&file, options, field, explain, !quiet, input.lossy)
        }
        Command::Match { index, top, min_score, edit_ratio, readings, input } => {
            let options = bibkey::SearchOptions::default().limit(top).min_score(min_score).edit_ratio(edit_ratio);
            cli::matching::run(&index, options, readings, input.lossy)
        }
        Command::Marc { command } => cli::marc::run(command),
        Command::Naco { subfield_a, input } => {
            each_line(input.lossy, |line, out| bibkey::naco::normalize_into(line, subfield_a, out))
        }
    }
}
