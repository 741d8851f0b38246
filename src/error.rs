//! The one error type: bad input, named by file, line, column and key.
//!
//! A compliance finding is not an error (see [`mod@crate::check`]); errors are for input that cannot
//! be read at all. Every error says where it is and, where it can, what would be valid.

use std::fmt;

/// What kind of bad input an [`Error`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not valid TOML (or CSV): it could not be parsed at all.
    Syntax,
    /// The text parsed, but a key or value is not what callcap accepts (an unknown key, a
    /// wrong type, an amount out of range, rates that contradict each other).
    Invalid,
    /// The inputs are valid one by one, but what they multiply to is too large to compute
    /// exactly.
    TooLarge,
    /// A file or directory could not be read or written.
    Io,
    /// A command-line argument or form field is missing or not valid.
    Usage,
}

/// Where bad input is: the file, line, column and key, each when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file (path or label) the input came from; `None` for arguments and calculations.
    pub file: Option<String>,
    /// 1-based line of the offending key or value.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// The key with its table (`[[rate]] per_minute`), or the argument (`--state`).
    pub key: Option<String>,
}

/// Bad input: a file that cannot be read, parsed or validated, an argument that is not valid,
/// or amounts too large to compute. Its [`kind`](Error::kind) says which, its
/// [`location`](Error::location) where, and its [`message`](Error::message) what is wrong and
/// what would be valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    location: Location,
    message: String,
}

/// Result with callcap's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error about a whole file (no position): its contents are not valid.
    #[cold]
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, Some(file.into()), None, message)
    }

    /// A file or directory that could not be read or written.
    #[cold]
    pub fn io(file: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Io, Some(file.into()), None, message)
    }

    /// A command-line argument or form field (`--state`, `calls_per_month`) that is not valid.
    #[cold]
    pub fn usage(argument: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, None, Some(argument.into()), message)
    }

    /// Amounts too large to compute exactly (callers name the file with [`Error::in_file`]).
    #[cold]
    pub fn too_large(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::TooLarge, None, None, message)
    }

    fn new(
        kind: ErrorKind,
        file: Option<String>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            location: Location {
                file,
                key,
                ..Location::default()
            },
            message: message.into(),
        }
    }

    /// An error at a line (and column) of a file, with the key the reader found there.
    #[cold]
    pub(crate) fn located(
        kind: ErrorKind,
        file: &str,
        line: usize,
        column: Option<usize>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            kind,
            location: Location {
                file: Some(file.to_string()),
                line: Some(line),
                column,
                key,
            },
            message: message.into(),
        }
    }

    /// An error at a place the reader kept ([`crate::toml_reader`]), for checks made after
    /// reading.
    #[cold]
    pub(crate) fn at_location(location: Location, message: impl Into<String>) -> Self {
        Error {
            kind: ErrorKind::Invalid,
            location,
            message: message.into(),
        }
    }

    /// What kind of bad input this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where it is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The file it is in, if it is in a file.
    pub fn file_name(&self) -> Option<&str> {
        self.location.file.as_deref()
    }

    /// Its 1-based line, when known.
    pub fn line(&self) -> Option<usize> {
        self.location.line
    }

    /// Its 1-based column, when known.
    pub fn column(&self) -> Option<usize> {
        self.location.column
    }

    /// The key (with its table) or argument, when known.
    pub fn key(&self) -> Option<&str> {
        self.location.key.as_deref()
    }

    /// What is wrong and what would be valid, lowercase, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The same error, naming its key or argument differently (the command line names a
    /// plan's `minutes_per_call` by its flag, `--minutes`).
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.location.key = Some(key.into());
        self
    }

    /// The same error, said of `file` when it had no file (a calculation on a file's
    /// amounts).
    pub fn in_file(mut self, file: &str) -> Self {
        if self.location.file.is_none() && self.location.key.is_none() {
            self.location.file = Some(file.to_string());
        }
        self
    }
}

/// The size of file callcap reads (tariffs, bids, demand files are a few kilobytes).
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Decodes a file's bytes as text: refuses files over [`MAX_FILE_BYTES`], text that is not
/// UTF-8 (naming the line); drops a leading byte-order mark, so that positions are those an
/// editor shows. (Bare carriage-return line ends are refused by the TOML reader, which can
/// name the table they are in.)
pub fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::new(
            ErrorKind::TooLarge,
            Some(file.to_string()),
            None,
            format!(
                "the file is {} bytes; at most {MAX_FILE_BYTES} bytes are accepted",
                bytes.len()
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        Error::located(
            ErrorKind::Syntax,
            file,
            1 + valid.iter().filter(|&&b| b == b'\n').count(),
            None,
            None,
            format!(
                "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
                e.valid_up_to()
            ),
        )
    })?;
    Ok(text)
}

impl fmt::Display for Location {
    /// `file:line:column: key`, each part when known.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            f.write_str(&escaped(file))?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            sep = ": ";
        }
        if let Some(key) = &self.key {
            write!(f, "{sep}{}", escaped(key))?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location == Location::default() {
            return f.write_str(&escaped(&self.message));
        }
        write!(f, "{}: {}", self.location, escaped(&self.message))
    }
}

impl std::error::Error for Error {}

/// `text.trim()`, sooner when there is nothing to trim: a first and a last byte that are ASCII
/// and not white space begin and end characters that are not (every other white space is
/// beyond ASCII). The audit reads fields through it, each several times (perf: `str::trim`
/// was 5% of an audit of 10 million calls).
#[inline]
pub fn trim(text: &str) -> &str {
    let plain = |b: &u8| b.is_ascii() && !b.is_ascii_whitespace();
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(a), Some(z)) if plain(a) && plain(z) => text,
        _ => text.trim(),
    }
}

/// Text in double quotes, for messages that quote what a file holds: `"` and `\` escaped,
/// control characters written as escapes (`\n`, `\t`, `\u{7}`), as Rust's `{:?}` writes them;
/// every other character as it is.
///
// size: exists because the page's build uses -Zfmt-debug=none (part of 12.7 KB gzip, audit
// 2026-12 §1.3): `{:?}` prints nothing there. It goes when that flag goes.
/// Messages never use `{:?}` itself: the page's WebAssembly build is compiled with
/// `-Zfmt-debug=none`, which makes `{:?}` print nothing (tests/formatting.rs keeps it out of
/// the library's code). Unlike `{:?}`, it escapes only controls and the invisible characters
/// of [`is_invisible`], not every non-printing Unicode character (those tables cost the
/// browser build 3 KB).
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => push_escaped(&mut out, c),
        }
    }
    out.push('"');
    out
}

/// Text from an input file as output shows it, in tables and messages alike: as it is, but
/// every control character and invisible character written as an escape (`\n`, `\u{1b}`,
/// `\u{200f}`), so that a name or value holding a line break, a terminal escape sequence or
/// a right-to-left mark cannot print a line of its own ("compliant") or disguise itself.
pub fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_invisible(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if c.is_control() || is_invisible(c) => {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)))
        }
        c => out.push(c),
    }
}

/// Characters that show nothing, or reorder what follows, yet make two words differ: zero-width
/// spaces and joiners, direction marks and overrides, the soft hyphen, the word joiner and its
/// kin, the byte-order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// "; it contains an invisible character U+200F: type it again without it", for a message
/// about a value that holds one (empty when it holds none): the value looks right but is not.
pub fn invisible_note(text: &str) -> String {
    match text.chars().find(|&c| is_invisible(c)) {
        Some(c) => format!(
            "; it contains an invisible character U+{:04X}: type it again without it",
            u32::from(c)
        ),
        None => String::new(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// Line numbers for many offsets of one text, asked for in increasing order (as a parser
/// meets entries): each lookup counts newlines from the previous offset only.
pub struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    /// Counts lines of `text` from its start.
    pub fn new(text: &'t str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of a byte offset (offsets before the last one asked restart the count).
    pub fn line(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            *self = LineCounter {
                text: self.text,
                offset: 0,
                line: 1,
            };
        }
        self.line += self.text[self.offset..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.offset = offset;
        self.line
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A key as shown in a message: control characters dropped, at most 60 characters.
pub(crate) fn shorten(key: &str) -> String {
    const MAX: usize = 60;
    let clean: String = key.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() > MAX {
        format!("{}…", clean.chars().take(MAX).collect::<String>())
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_is_str_trim() {
        for t in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "0.21",
            "\u{a0}0.21",
            "0.21\u{a0}",
            "\u{3000}x",
            "x\u{2003}",
            "é",
            " é ",
            "\u{feff}a",
            "a\u{200b}",
            "\r\n",
        ] {
            assert_eq!(trim(t), t.trim(), "{t:?}");
        }
    }

    #[test]
    fn quoted_is_what_debug_gives_a_string() {
        for s in [
            "",
            "plain",
            "a\"b",
            "it's",
            "tab\there",
            "ü ñ € 中",
            "nul\0",
            "back\\slash",
            "\u{7}\r\n",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s}");
        }
        // Invisible characters are escaped too (as `{:?}` also does for these).
        assert_eq!(quoted("a\u{200b}b"), "\"a\\u{200b}b\"");
        assert_eq!(quoted("jail\u{200f}"), format!("{:?}", "jail\u{200f}"));
        assert_eq!(escaped("Vendor A\ncompliant"), "Vendor A\\ncompliant");
        assert_eq!(escaped("\u{1b}[32mOK"), "\\u{1b}[32mOK");
        assert_eq!(escaped("plain — ñ"), "plain — ñ");
        assert_eq!(
            invisible_note("jail\u{200f}"),
            "; it contains an invisible character U+200F: type it again without it"
        );
    }

    #[test]
    fn locates_lines_and_columns() {
        let src = "a = 1\nbb = 2\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 6), (2, 1));
        assert_eq!(line_column(src, 11), (2, 6));
        assert_eq!(line_column(src, 999), (3, 1));
    }

    #[test]
    fn the_line_counter_agrees_with_a_scan() {
        let src = "a = 1\n\nbb = 2\nc";
        let mut lines = LineCounter::new(src);
        for offset in (0..=src.len()).chain([3, 0, 12, 999]) {
            assert_eq!(
                lines.line(offset),
                line_column(src, offset).0,
                "offset {offset}"
            );
        }
    }

    #[test]
    fn decoding_refuses_bad_bytes_and_drops_a_bom() {
        assert_eq!(decode("f", b"\xEF\xBB\xBFa = 1").unwrap(), "a = 1");
        let e = decode("f", b"a = 1\nb = \"\xff\"").unwrap_err();
        assert_eq!(
            (e.line(), e.message().contains("not UTF-8")),
            (Some(2), true)
        );
        assert_eq!(e.kind(), ErrorKind::Syntax);
        assert!(decode("f", b"a = 1\r\nb = 2\r\n").is_ok());
        assert!(decode("f", &vec![b' '; MAX_FILE_BYTES + 1]).is_err());
    }

    #[test]
    fn displays_location_then_message() {
        let e = Error::located(
            ErrorKind::Invalid,
            "t.toml",
            2,
            Some(8),
            Some("[facility] kind".into()),
            "unknown facility kind",
        );
        assert_eq!(
            e.to_string(),
            "t.toml:2:8: [facility] kind: unknown facility kind"
        );
        assert_eq!(Error::file("x", "empty").to_string(), "x: empty");
        assert_eq!(
            Error::usage("--state", "unknown state").to_string(),
            "--state: unknown state"
        );
        let e = Error::too_large("too large to compute");
        assert_eq!(e.to_string(), "too large to compute");
        assert_eq!(
            e.clone().in_file("b.toml").to_string(),
            "b.toml: too large to compute"
        );
        assert_eq!(e.kind(), ErrorKind::TooLarge);
    }
}
