//! The record-oriented subcommands (`cluster`, `match`) and their input handling.

pub mod cite;
pub mod cluster;
pub mod input;
pub mod lines;
pub mod marc;
pub mod matching;
pub mod output;

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, IsTerminal};
use std::time::{Duration, Instant};

/// An input error naming the line (and the file, for named files).
pub fn line_error(origin: &str, line: u64, reason: impl std::fmt::Display) -> io::Error {
    let reason = reason.to_string();
    let hint = if reason.starts_with("invalid UTF-8") || reason.contains(": invalid UTF-8") {
        "use --lossy to replace it"
    } else {
        "use --lossy to print such lines unread and go on"
    };
    let e = bibkey::Error::input(line, format!("{reason} ({hint})"));
    if origin == "-" || origin == "stdin" {
        io::Error::new(io::ErrorKind::InvalidData, e.to_string())
    } else {
        io::Error::new(io::ErrorKind::InvalidData, format!("{origin}: {e}"))
    }
}

/// Opens a file (or stdin for `-`), with its size when known.
pub fn open(path: &str) -> io::Result<(Box<dyn BufRead>, Option<u64>)> {
    if path == "-" {
        // 64 KiB rather than stdin's 8: whole lines are handled a buffer at a time (`LineReader::next_block`).
        return Ok((Box::new(BufReader::with_capacity(1 << 16, io::stdin().lock())), None));
    }
    let file = std::fs::File::open(path).map_err(|e| io::Error::new(e.kind(), format!("{path}: {e}")))?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((Box::new(BufReader::with_capacity(1 << 16, file)), size))
}

/// Strings kept one after another in one buffer, by index: one allocation for many short strings (a string each
/// made allocation a large share of loading an index file).
#[derive(Default)]
pub struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    pub fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }
}

/// Lines let through (or repaired) under --lossy, by file and reason; reported on stderr at the end.
#[derive(Default)]
pub struct Skipped(BTreeMap<(String, &'static str), (u64, u64)>);

impl Skipped {
    /// Counts line `line` of `origin` under `reason`, remembering the first such line.
    pub fn add(&mut self, origin: &str, reason: &'static str, line: u64) {
        let e = self.0.entry((origin.to_string(), reason)).or_insert((0, line));
        e.0 += 1;
    }

    pub fn report(&self) {
        for ((origin, reason), (count, first)) in &self.0 {
            let s = if *count == 1 { "" } else { "s" };
            eprintln!("bibkey: {origin}: {count} line{s} {reason} (first: line {first})");
        }
    }
}

/// A progress line on stderr, shown only when stderr is a terminal and the run has lasted a second.
pub struct Progress {
    enabled: bool,
    total: Option<u64>,
    start: Instant,
    last: Instant,
    shown: bool,
}

impl Progress {
    pub fn new(wanted: bool, total: Option<u64>) -> Progress {
        let now = Instant::now();
        Progress { enabled: wanted && io::stderr().is_terminal(), total, start: now, last: now, shown: false }
    }

    /// Called once per line; looks at the clock every 4,096 lines.
    pub fn tick(&mut self, lines: u64, bytes: u64, what: &str, count: usize) {
        if !self.enabled || lines % 4096 != 0 {
            return;
        }
        let now = Instant::now();
        if now - self.start < Duration::from_secs(1) || now - self.last < Duration::from_millis(250) {
            return;
        }
        self.last = now;
        self.shown = true;
        let secs = (now - self.start).as_secs_f64();
        let pct = match self.total {
            Some(t) if t > 0 => format!(" ({:.0} %)", 100.0 * bytes as f64 / t as f64),
            _ => String::new(),
        };
        eprint!(
            "\r{lines} lines, {:.1} MB{pct}, {count} {what}, {:.0} lines/s\x1b[K",
            bytes as f64 / 1e6,
            lines as f64 / secs
        );
    }

    pub fn finish(&mut self) {
        if self.shown {
            eprint!("\r\x1b[K");
        }
    }
}
