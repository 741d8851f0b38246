//! The one error type: bad input, named by file, line, column and key.
//!
//! A compliance finding is not an error (see [`crate::check`]); errors are for input that cannot
//! be read at all. Every error says where it is and, where it can, what would be valid.

use std::fmt;

/// Bad input: a file that cannot be read, parsed or validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The file (path or label) the input came from.
    pub file: String,
    /// 1-based line of the offending key or value, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The key (with its table, e.g. `[[rate]] per_minute`), when known.
    pub key: Option<String>,
    /// What is wrong and what would be valid, lowercase, without the location.
    pub message: String,
}

/// Result with callcap's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error about a whole file (no position).
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            file: file.into(),
            line: None,
            column: None,
            key: None,
            message: message.into(),
        }
    }

    /// An error at a byte offset of `source`, naming the key found there.
    pub fn at(
        file: impl Into<String>,
        source: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, column) = line_column(source, offset);
        Error {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            key: key_at(source, offset),
            message: message.into(),
        }
    }

    /// Converts a TOML syntax error, locating it in `source`.
    pub(crate) fn syntax(
        file: impl Into<String>,
        source: &str,
        err: &crate::toml_parse::ParseError,
    ) -> Self {
        let message = if err.message.trim().is_empty() {
            // The parser always says what is wrong; this is a guard, never an empty message.
            "this file is not valid TOML at this point".to_string()
        } else {
            err.message.clone()
        };
        Error::at(file, source, err.offset, message)
    }
}

/// The size of file callcap reads (tariffs, bids, demand files are a few kilobytes).
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// Decodes a file's bytes as text: refuses files over [`MAX_FILE_BYTES`], text that is not
/// UTF-8 (naming the line) and bare carriage-return line ends; drops a leading byte-order mark,
/// so that positions are those an editor shows.
pub fn decode<'b>(file: &str, bytes: &'b [u8]) -> Result<&'b str> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::file(
            file,
            format!(
                "the file is {} bytes; at most {MAX_FILE_BYTES} bytes are accepted",
                bytes.len()
            ),
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        Error {
            file: file.to_string(),
            line: Some(1 + valid.iter().filter(|&&b| b == b'\n').count()),
            column: None,
            key: None,
            message: format!(
                "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
                e.valid_up_to()
            ),
        }
    })?;
    if let Some(at) = text
        .match_indices('\r')
        .map(|(i, _)| i)
        .find(|&i| !text[i + 1..].starts_with('\n'))
    {
        let mut e = Error::at(
            file,
            text,
            at,
            "lines end in a bare carriage return (CR); save the file with LF or CRLF line ends",
        );
        e.key = key_at(&text[..at], at);
        return Err(e);
    }
    Ok(text)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(key) = &self.key {
            write!(f, ": {key}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Error {}

/// Text in double quotes, for messages that quote what a file holds: `"` and `\` escaped,
/// control characters written as escapes (`\n`, `\t`, `\u{7}`), as Rust's `{:?}` writes them;
/// every other character as it is.
///
/// Messages never use `{:?}` itself: the page's WebAssembly build is compiled with
/// `-Zfmt-debug=none`, which makes `{:?}` print nothing (tests/formatting.rs keeps it out of
/// the library's code). Unlike `{:?}`, this leaves invisible Unicode characters (zero-width
/// spaces, combining marks) unescaped: their tables cost the browser build 3 KB.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// The key at an offset, with its table: `[[rate]] per_minute`, `[facility] kind`, or the table
/// header itself when the offset is on one.
pub fn key_at(source: &str, offset: usize) -> Option<String> {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[line_start..line_end].trim();
    let table = source[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(header_of);
    if line.starts_with('[') {
        return Some(header_of(line));
    }
    let key = line
        .split_once('=')
        .map(|(k, _)| shorten(k.trim().trim_matches('"')))
        .filter(|k| !k.is_empty() && !k.starts_with('#'));
    match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t} {k}")),
        (None, Some(k)) => Some(k),
        (Some(t), None) => Some(t),
        (None, None) => None,
    }
}

fn header_of(line: &str) -> String {
    let end = line.rfind(']').map_or(line.len(), |i| i + 1);
    shorten(&line[..end])
}

/// A key as shown in a message: control characters dropped, at most 60 characters.
fn shorten(key: &str) -> String {
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
        // Unlike `{:?}`, invisible characters other than controls stay as they are.
        assert_eq!(quoted("a\u{200b}b"), "\"a\u{200b}b\"");
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
        assert_eq!((e.line, e.message.contains("not UTF-8")), (Some(2), true));
        let e = decode("f", b"a = 1\rb = 2").unwrap_err();
        assert!(e.message.contains("carriage return"), "{e}");
        assert!(decode("f", b"a = 1\r\nb = 2\r\n").is_ok());
        assert!(decode("f", &vec![b' '; MAX_FILE_BYTES + 1]).is_err());
    }

    #[test]
    fn names_key_with_its_table() {
        let src = "[facility]\nkind = \"x\"\n\n[[rate]]\nper_minute = 0.2\n";
        let off = src.find("0.2").unwrap();
        assert_eq!(key_at(src, off).as_deref(), Some("[[rate]] per_minute"));
        let off = src.find("\"x\"").unwrap();
        assert_eq!(key_at(src, off).as_deref(), Some("[facility] kind"));
        assert_eq!(key_at("top = 1", 3).as_deref(), Some("top"));
    }

    #[test]
    fn displays_location_then_message() {
        let src = "[facility]\nkind = \"castle\"\n";
        let e = Error::at(
            "t.toml",
            src,
            src.find("\"castle").unwrap(),
            "unknown variant",
        );
        assert_eq!(
            e.to_string(),
            "t.toml:2:8: [facility] kind: unknown variant"
        );
        assert_eq!(Error::file("x", "empty").to_string(), "x: empty");
    }
}
