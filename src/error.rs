//! The crate's one error type.
//!
//! Following the `regex`/`aho-corasick` pattern, [`Error`] is a small public type whose variants stay private, so
//! new failure modes can be added without breaking users. It always says *where* (a table's origin and line, a CLI
//! input line) and *why*.

use std::sync::Arc;

/// An error from parsing a table, looking up a scheme, or reading input.
///
/// An error from reading a file keeps the [`std::io::Error`] as its [`source`](std::error::Error::source).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ErrorKind::Io { err, .. } => Some(&*err.0),
            _ => None,
        }
    }
}

/// An I/O error, shared so that [`Error`] stays `Clone`, and compared by kind and message so that it stays `Eq`.
#[derive(Clone, Debug)]
pub(crate) struct IoError(Arc<std::io::Error>);

impl PartialEq for IoError {
    fn eq(&self, other: &IoError) -> bool {
        self.0.kind() == other.0.kind() && self.0.to_string() == other.0.to_string()
    }
}

impl Eq for IoError {}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ErrorKind {
    /// A table (built-in or user-supplied) is malformed.
    #[error("{origin}:{line}: {reason}")]
    Table { origin: String, line: usize, reason: String },
    /// No scheme has this id or alias.
    #[error("unknown scheme {id:?}; valid ids: {}", known.join(", "))]
    UnknownScheme { id: String, known: Vec<String> },
    /// `reverse` was asked of a scheme that is not one-to-one.
    #[error("scheme {id} is not reversible (its table is not one-to-one)")]
    NotReversible { id: String },
    /// Reading a file failed.
    #[error("{path}: {}", err.0)]
    Io { path: String, err: IoError },
    /// A line of input could not be used (invalid UTF-8, too long, malformed field…).
    #[error("line {line}: {reason}")]
    Input { line: u64, reason: String },
    /// No language has this code.
    #[error("unknown language {code:?}; valid codes: ru rus uk ukr be bel bg bul sr srp mk mac mkd")]
    UnknownLang { code: String },
    /// A Cyrillic letter that neither a scheme nor its fallback has a rule for.
    #[error("scheme {id} has no rule for the Cyrillic letter {letter:?} (U+{:04X}) at byte {offset}, {}", *letter as u32,
        fallback.as_ref().map_or("and no @fallback table".to_string(), |f| format!("nor has its @fallback {f}")))]
    Unmapped { id: String, letter: char, offset: usize, fallback: Option<String> },
    /// An index is full.
    #[error("{reason}")]
    Capacity { reason: String },
    /// A stored key has a character no key holds.
    #[error("not a key: {found:?} (U+{:04X}) at byte {offset} is not in the key alphabet (a-z, 0-9, lower-case letters of scripts the key keeps)", *found as u32)]
    InvalidKey { found: char, offset: usize },
}

impl Error {
    pub(crate) fn table(origin: &str, line: usize, reason: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Table { origin: origin.to_string(), line, reason: reason.into() } }
    }

    pub(crate) fn unknown_scheme(id: &str, known: Vec<String>) -> Error {
        Error { kind: ErrorKind::UnknownScheme { id: id.to_string(), known } }
    }

    pub(crate) fn unknown_lang(code: &str) -> Error {
        Error { kind: ErrorKind::UnknownLang { code: code.to_string() } }
    }

    pub(crate) fn capacity(reason: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Capacity { reason: reason.into() } }
    }

    pub(crate) fn unmapped(id: &str, letter: char, offset: usize, fallback: Option<&str>) -> Error {
        Error {
            kind: ErrorKind::Unmapped { id: id.to_string(), letter, offset, fallback: fallback.map(str::to_string) },
        }
    }

    pub(crate) fn invalid_key(found: char, offset: usize) -> Error {
        Error { kind: ErrorKind::InvalidKey { found, offset } }
    }

    pub(crate) fn not_reversible(id: &str) -> Error {
        Error { kind: ErrorKind::NotReversible { id: id.to_string() } }
    }

    pub(crate) fn io(path: &str, err: std::io::Error) -> Error {
        Error { kind: ErrorKind::Io { path: path.to_string(), err: IoError(Arc::new(err)) } }
    }

    /// An error about line `line` (1-based) of some input, for tools that read line by line.
    // Hidden: only the `bibkey` command-line tool (a crate of its own) makes these; library users get input errors
    // from the functions that read input. Public so that the tool can report them through the one error type.
    #[doc(hidden)]
    pub fn input(line: u64, reason: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Input { line, reason: reason.into() } }
    }

    /// The 1-based line the error is about, when it is about a line of a table or of input.
    pub fn line(&self) -> Option<u64> {
        match &self.kind {
            ErrorKind::Table { line, .. } => Some(*line as u64),
            ErrorKind::Input { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The file or origin name of a table error (`tables/ru-alalc.tbl`, or what the caller passed to
    /// [`Scheme::parse`](crate::Scheme::parse)).
    pub fn origin(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::Table { origin, .. } => Some(origin),
            ErrorKind::Io { path, .. } => Some(path),
            _ => None,
        }
    }

    /// For an unknown scheme id: the ids that do exist.
    pub fn known_schemes(&self) -> Option<&[String]> {
        match &self.kind {
            ErrorKind::UnknownScheme { known, .. } => Some(known),
            _ => None,
        }
    }

    /// For a letter no rule romanizes ([`Scheme::try_romanize`](crate::Scheme::try_romanize)): the letter and its
    /// byte offset in the text.
    pub fn unmapped_letter(&self) -> Option<(char, usize)> {
        match &self.kind {
            ErrorKind::Unmapped { letter, offset, .. } => Some((*letter, *offset)),
            _ => None,
        }
    }

    /// For a string that is not a key ([`Key::from_stored`](crate::Key::from_stored)): the first character outside
    /// the key alphabet and its byte offset in the string.
    pub fn invalid_key_char(&self) -> Option<(char, usize)> {
        match &self.kind {
            ErrorKind::InvalidKey { found, offset } => Some((*found, *offset)),
            _ => None,
        }
    }

    /// True if this error comes from a malformed table.
    pub fn is_table_error(&self) -> bool {
        matches!(self.kind, ErrorKind::Table { .. })
    }
}
