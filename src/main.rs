//! The `bibkey` command-line tool: a thin, line-oriented shell over the library.
//!
//! Every subcommand that reads records (lines, TSV, CSV or JSON Lines, from FILE arguments or stdin) writes one
//! output line per record, in order, and streams: memory stays bounded however large the input is (src/cli/).

use std::io::{self, Write};
use std::process::ExitCode;

use bibkey::{Error, Scheme, Ties};
use clap::{Parser, Subcommand, ValueEnum};

mod cli;

use cli::input::{usage, InputArgs};

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
    /// Romanize (or, with --reverse, de-romanize) each line (or --column) of the input.
    Romanize {
        /// Scheme id or alias (see `bibkey schemes`).
        #[arg(long, short, default_value = "ru-alalc")]
        scheme: String,
        /// Use a table file instead of a built-in scheme.
        #[arg(long, conflicts_with = "scheme")]
        table: Option<String>,
        /// Latin → Cyrillic (ru-alalc, ru-iso9, ru-scholarly).
        #[arg(long)]
        reverse: bool,
        /// How to write the ALA-LC ties (romanizing only) [default: combining].
        #[arg(long, value_enum)]
        ties: Option<TieArg>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// List the built-in schemes with their standards and aliases.
    Schemes,
    /// Write the matching key of each line (or --column) of the input (empty for a text without letters).
    Key {
        /// What each line is: plain text, a title (articles, ISBD punctuation, volumes), or a personal name.
        #[arg(long, value_enum, default_value_t = Kind::Text)]
        kind: Kind,
        /// With --kind name: a given-names table extending the built-in one (format: tables/given-names.tsv).
        #[arg(long)]
        given_names: Option<String>,
        /// With --kind text: after the key, the keys of the line read as German, Polish, Czech, French and
        /// Spanish spell Russian (those that differ), separated by tabs (a `readings` column, ` ; `-separated,
        /// with --column; an array with --json). Two lines may be the same text when they share one of these keys.
        #[arg(long)]
        readings: bool,
        /// The language of the input's Cyrillic (ru uk be bg sr mk, or MARC codes: ukr, bel, bul, srp, mac…), when
        /// known: read as that language spells it (Ukrainian г is h). Without it, each text is read in the language
        /// its letters decide (ї є ґ ў ђ ћ ј љ њ џ ѓ ќ ѕ), otherwise as Russian.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<bibkey::Lang>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Group records into clusters of the same title, name or text: key collisions first, then nearest neighbours.
    ///
    /// Prints every input line, in order, after its cluster id (the number of the record that started the
    /// cluster; a header row is not a record) and a tab; with --column or --json, each record followed by its
    /// cluster (and how, with --explain). Streams: memory grows with the number of distinct keys only.
    Cluster {
        /// What the field is.
        #[arg(long, value_enum, default_value_t = Kind::Text)]
        kind: Kind,
        /// Key collisions only: no nearest-neighbour merges.
        #[arg(long)]
        no_nearest: bool,
        /// Edits allowed per byte of key for nearest-neighbour merges, from 0 to 1 [default: 0.1].
        #[arg(long, value_parser = fraction, allow_negative_numbers = true)]
        edit_ratio: Option<f64>,
        /// Most edits allowed for a nearest-neighbour merge, at most 32 (the search's cost grows with the cube
        /// of this budget) [default: 3].
        #[arg(long, value_parser = clap::value_parser!(u16).range(0..=cli::cluster::MAX_EDITS as i64))]
        max_edits: Option<u16>,
        /// Also join lines through their readings: German, Polish, Czech, French and Spanish spellings read back
        /// (see `bibkey key --readings`). More joins, a few of them wrong (ACCURACY.md, "Readings").
        #[arg(long)]
        readings: bool,
        /// Also print how each line joined its cluster (new, key, reading, near N, empty; skipped for a line
        /// --lossy let through unread).
        #[arg(long)]
        explain: bool,
        /// Never show a progress line on stderr.
        #[arg(long)]
        quiet: bool,
        /// With --kind citation: cluster citations of the same place (work and pages), not only the same work.
        #[arg(long)]
        place: bool,
        /// The language of the input's Cyrillic (ru uk be bg sr mk, or MARC codes: ukr, bel, bul, srp, mac…), when
        /// known: read as that language spells it (Ukrainian г is h). Without it, each text is read in the language
        /// its letters decide (ї є ґ ў ђ ћ ј љ њ џ ѓ ќ ѕ), otherwise as Russian.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<bibkey::Lang>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Find the records of an index file that best match each query of the input.
    ///
    /// The index file has one record per row: id, title, names (names separated by ` ; `; the names column may
    /// be absent; further columns are ignored). Each query is title, names in the same way (--column and
    /// --names-column choose other columns; with --json, the fields `title` and `names`, a string or an array).
    /// For each candidate, best first, one row: query (its number, from 1), rank, id, score, how the title and
    /// name matched. Candidates with equal scores come in the order of the index file. A query without
    /// candidates gets one row with only its number.
    Match {
        /// The records to match against.
        #[arg(long)]
        index: String,
        /// The index file's field delimiter: TAB (the default) reads TSV, any other CSV.
        #[arg(long, value_name = "CHAR", default_value_t = '\t')]
        index_delimiter: char,
        /// The index file's first row is a header (then columns named id, title and names are used, if present).
        #[arg(long)]
        index_header: bool,
        /// The queries' names column (a number, or a name with --header; with --json, a field) [default: 2].
        #[arg(long)]
        names_column: Option<String>,
        /// Candidates per query.
        #[arg(long, default_value_t = 5)]
        top: usize,
        /// Drop candidates scoring less (0 to 1).
        #[arg(long, default_value_t = 0.0, value_parser = fraction, allow_negative_numbers = true)]
        min_score: f64,
        /// Edits allowed per byte of title key, from 0 to 1.
        #[arg(long, default_value_t = 0.2, value_parser = fraction, allow_negative_numbers = true)]
        edit_ratio: f64,
        /// Also search each query as German, Polish, Czech, French and Spanish spell Russian, read back (see
        /// `bibkey key --readings`); a candidate found that way says `as read-de` (…) after how it matched.
        #[arg(long)]
        readings: bool,
        /// The language of the index's and the queries' Cyrillic (ru uk be bg sr mk, or MARC codes: ukr, bel, bul, srp, mac…), when
        /// known: read as that language spells it (Ukrainian г is h). Without it, each text is read in the language
        /// its letters decide (ї є ґ ў ђ ћ ј љ њ џ ѓ ќ ѕ), otherwise as Russian.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<bibkey::Lang>,
        /// Each input line is a footnote or reference-list entry (an empty line ends a footnote stream): its work
        /// is looked up by title, container and authors; Ibid., op. cit. and short forms are resolved against
        /// the lines before first. The query number is the line number; a record naming another volume than
        /// the citation is never a candidate.
        #[arg(long)]
        citations: bool,
        #[command(flatten)]
        input: InputArgs,
    },
    /// MARC 21 records: check romanized fields against their 880s, or write key rows.
    Marc {
        #[command(subcommand)]
        command: cli::marc::MarcCommand,
    },
    /// Parse each line as a citation (footnote or reference-list entry) and print its fields as one JSON object
    /// per line, with byte spans, the kind, how `Ibid.` and short forms were resolved, and the work and place
    /// keys. The lines are one footnote stream; an empty line starts another.
    Cite {
        /// Input file, or - for stdin.
        #[arg(default_value = "-")]
        file: String,
        /// Replace invalid UTF-8 with U+FFFD instead of stopping with an error.
        #[arg(long)]
        lossy: bool,
    },
    /// NACO-normalize each line (or --column) of the input (PCC Authority File Comparison Rules).
    Naco {
        /// Keep the first comma, as for subfield $a of a heading.
        #[arg(long)]
        subfield_a: bool,
        #[command(flatten)]
        input: InputArgs,
    },
}

/// A language code or name (`uk`, `ukr`, `Ukrainian`).
fn parse_lang(s: &str) -> Result<bibkey::Lang, String> {
    s.parse::<bibkey::Lang>().map_err(|e| e.to_string())
}

/// A number from 0 to 1 (not NaN).
fn fraction(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|e| format!("{e}"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{s} is not a number from 0 to 1"))
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Kind {
    /// The transliteration-aware key of the whole line.
    Text,
    /// `title_key`: leading articles, ISBD punctuation and volume designations handled.
    Title,
    /// `name_key`: surname key plus the key of the first given-name initial.
    Name,
    /// `corporate_key`: a corporate body or meeting (hierarchy, abbreviations, meeting number and year).
    Corporate,
    /// A whole citation: the work key of `bibkey::cite` (author, title; volume, issue and year of serials).
    Citation,
}

impl From<Kind> for bibkey::KeyKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Text => bibkey::KeyKind::Text,
            Kind::Title => bibkey::KeyKind::Title,
            Kind::Name => bibkey::KeyKind::Name,
            Kind::Corporate => bibkey::KeyKind::Corporate,
            // Citations are keyed by `bibkey::cite`, not by a KeyKind (see `run`).
            Kind::Citation => bibkey::KeyKind::Text,
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

fn run(cli: Cli) -> io::Result<()> {
    match cli.command {
        Command::Schemes => {
            let out = io::stdout();
            let mut out = out.lock();
            for s in bibkey::builtins() {
                write!(out, "{:<16} {} — {}", s.id(), s.name(), s.standard())?;
                if !s.aliases().is_empty() {
                    write!(out, " (also: {})", s.aliases().join(", "))?;
                }
                writeln!(out)?;
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
                return Err(usage(format!(
                    "scheme {} is not reversible; reversible: ru-alalc, ru-iso9, ru-scholarly",
                    s.id()
                )));
            }
            if reverse && ties.is_some() {
                return Err(usage("--ties is for romanizing: --reverse reads either tie style"));
            }
            let ties = match ties {
                None | Some(TieArg::Combining) => Ties::Combining,
                Some(TieArg::Marc8) => Ties::Marc8Halves,
            };
            let name = if reverse { "cyrillic" } else { "romanized" };
            cli::lines::run(&input, &[name], |line, out| {
                if reverse {
                    // Checked above: the scheme is reversible, so this cannot fail.
                    if let Ok(r) = s.reverse(line) {
                        out.text.push_str(&r);
                    }
                } else {
                    s.romanize_into(line, ties, &mut out.text);
                }
            })
        }
        Command::Key { kind, given_names, readings, lang, input } => {
            if readings && kind != Kind::Text {
                return Err(usage("--readings works with --kind text only"));
            }
            if given_names.is_some() && kind != Kind::Name {
                return Err(usage("--given-names works with --kind name only"));
            }
            if lang.is_some() && (kind == Kind::Citation || given_names.is_some()) {
                return Err(usage("--lang works with --kind text, title, name or corporate, without --given-names"));
            }
            if let Some(lang) = lang {
                let kind = bibkey::KeyKind::from(kind);
                return if readings {
                    cli::lines::run(&input, &["key", "readings"], |line, out| {
                        let mut keys = kind.readings_as(line, lang).into_iter();
                        if let Some(k) = keys.next() {
                            out.text.push_str(k.as_str());
                        }
                        out.list.extend(keys.map(|k| k.as_str().to_string()));
                    })
                } else if kind == bibkey::KeyKind::Text {
                    cli::lines::run(&input, &["key"], |line, out| bibkey::key::key_as_into(line, lang, &mut out.text))
                } else {
                    cli::lines::run(&input, &["key"], |line, out| out.text.push_str(kind.key_as(line, lang).as_str()))
                };
            }
            match kind {
                Kind::Text if readings => cli::lines::run(&input, &["key", "readings"], |line, out| {
                    let mut keys = bibkey::key::readings(line).into_iter();
                    if let Some(k) = keys.next() {
                        out.text.push_str(k.as_str());
                    }
                    out.list.extend(keys.map(|k| k.as_str().to_string()));
                }),
                Kind::Text => cli::lines::run(&input, &["key"], |line, out| bibkey::key_into(line, &mut out.text)),
                Kind::Title => {
                    cli::lines::run(&input, &["key"], |line, out| out.text.push_str(bibkey::title_key(line).as_str()))
                }
                Kind::Corporate => cli::lines::run(&input, &["key"], |line, out| {
                    out.text.push_str(bibkey::corporate_key(line).as_str())
                }),
                Kind::Citation => cli::lines::run(&input, &["key"], |line, out| {
                    out.text.push_str(bibkey::cite::parse(line).work_key().as_str())
                }),
                Kind::Name => {
                    let names = match given_names {
                        Some(path) => Some(bibkey::name::load_given_names_from_path(&path).map_err(to_io)?),
                        None => None,
                    };
                    cli::lines::run(&input, &["key"], |line, out| match &names {
                        Some(t) => out.text.push_str(bibkey::name::parse_name_with(line, t).key_with(t).as_str()),
                        None => out.text.push_str(bibkey::name_key(line).as_str()),
                    })
                }
            }
        }
        Command::Cluster { kind, no_nearest, edit_ratio, max_edits, readings, explain, quiet, place, lang, input } => {
            if lang.is_some() && kind == Kind::Citation {
                return Err(usage("--lang does not apply to --kind citation"));
            }
            if place && kind != Kind::Citation {
                return Err(usage("--place works with --kind citation only"));
            }
            if kind == Kind::Citation {
                // A footnote stream is read whole, line by line: one file, no columns.
                let [file] = &input.files[..] else {
                    return Err(usage("--kind citation reads one file (or - for stdin)"));
                };
                if input.column.is_some() || input.json || input.header || input.delimiter.is_some() {
                    return Err(usage(
                        "--kind citation reads whole lines: no --column, --json, --header or --delimiter",
                    ));
                }
                return cli::cite::cluster(file, place, explain, input.lossy);
            }
            if no_nearest && (edit_ratio.is_some() || max_edits.is_some()) {
                return Err(usage(
                    "--edit-ratio and --max-edits set the nearest-neighbour step: not with --no-nearest",
                ));
            }
            let defaults = bibkey::cluster::ClusterOptions::default();
            let options = bibkey::cluster::ClusterOptions::new(kind.into())
                .nearest(!no_nearest)
                .edit_ratio(edit_ratio.unwrap_or(defaults.edit_ratio))
                .max_edits(max_edits.map_or(defaults.max_edits, usize::from))
                .readings(readings)
                .lang(lang);
            cli::cluster::run(&input, options, explain, !quiet)
        }
        Command::Match {
            index,
            index_delimiter,
            index_header,
            names_column,
            top,
            min_score,
            edit_ratio,
            readings,
            lang,
            citations,
            input,
        } => {
            if lang.is_some() && readings {
                return Err(usage("--readings searches the query as written and read back: not with --lang yet"));
            }
            let options = bibkey::SearchOptions::default().limit(top).min_score(min_score).edit_ratio(edit_ratio);
            let index =
                cli::matching::IndexFile { path: index, delimiter: index_delimiter, header: index_header, lang };
            if citations {
                if lang.is_some() {
                    return Err(usage("--lang does not go with --citations yet"));
                }
                if names_column.is_some() {
                    return Err(usage("--names-column does not go with --citations"));
                }
                return cli::cite::match_citations(&index, &input, options, readings);
            }
            cli::matching::run(&index, &input, names_column.as_deref(), options, readings)
        }
        Command::Marc { command } => cli::marc::run(command),
        Command::Cite { file, lossy } => cli::cite::run(&file, lossy),
        Command::Naco { subfield_a, input } => cli::lines::run(&input, &["naco"], |line, out| {
            bibkey::naco::normalize_into(line, subfield_a, &mut out.text)
        }),
    }
}
