//! Reading TOML files strictly: typed accessors over the `toml` crate's span-keeping document
//! ([`toml::de::DeTable`]), without serde.
//!
//! The loaders (tariffs, demand files, the rate book) walk the parsed tables with these
//! accessors. Reading is strict: every table lists the keys it accepts and an unknown key is an
//! error naming it and the valid ones; decimals and dates must be quoted strings; whole numbers
//! are bounded. Every error is a [`crate::Error`] located at the offending key or value: the
//! file, line and column come from the parser's spans, and the key path (`[[rate]] per_minute`)
//! from the tables the reader walked to get there, never from scanning the text again.
//!
//! Why not serde derive: the `toml` crate's serde deserializers, monomorphised for each raw
//! type, cost the page about 80 KB gzip (measured, `../shared/reference/audit-2026-12.md`
//! §1.3); the document type alone costs about 15 KB, and keeps every span for messages.
//!
//! Syntax errors are the `toml` crate's, made plainer where the reader knows more (the first
//! line of a duplicated key, the table a cut-off value was in): see [`syntax`].

use crate::error::{line_column, quoted, shorten, Error, ErrorKind, Location, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

pub(crate) use crate::vocab::{expected_words, Word};

/// A parsed file: its name, its text and the document.
pub(crate) struct Doc<'t> {
    file: &'t str,
    text: &'t str,
    root: DeTable<'t>,
}

impl<'t> Doc<'t> {
    /// Parses `text` (read from `file`); a syntax error names its line and key.
    pub(crate) fn parse(file: &'t str, text: &'t str) -> Result<Doc<'t>> {
        match DeTable::parse(text) {
            Ok(root) => Ok(Doc {
                file,
                text,
                root: root.into_inner(),
            }),
            Err(e) => Err(syntax(file, text, &e)),
        }
    }

    /// The top-level table.
    pub(crate) fn root(&self) -> Table<'_> {
        Table {
            cx: Cx {
                file: self.file,
                text: self.text,
            },
            t: &self.root,
            at: 0,
            path: Path::default(),
        }
    }
}

#[derive(Clone, Copy)]
struct Cx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Cx<'_> {
    fn err(&self, at: usize, key: Option<String>, message: impl Into<String>) -> Error {
        let (line, column) = line_column(self.text, at);
        Error::located(
            ErrorKind::Invalid,
            self.file,
            line,
            Some(column),
            key,
            message,
        )
    }
}

/// Tables deeper than this show only their first keys in messages (no file callcap reads
/// nests deeper than three).
const PATH_DEPTH: usize = 4;

/// The keys that lead from the root to a table, as messages name it: `[facility]`,
/// `[[rate]]`, `[periods.2021-10-26]`.
#[derive(Clone, Copy, Default)]
struct Path<'a> {
    keys: [&'a str; PATH_DEPTH],
    len: usize,
    /// The table is one entry of a list (`[[rate]]`, `rate = [{ ... }]`).
    element: bool,
    /// Deeper than [`PATH_DEPTH`]: messages show the first keys and `…`.
    cut: bool,
}

impl<'a> Path<'a> {
    fn child(mut self, key: &'a str, element: bool) -> Path<'a> {
        match self.keys.get_mut(self.len) {
            Some(slot) => {
                *slot = key;
                self.len += 1;
            }
            None => self.cut = true,
        }
        self.element = element;
        self
    }

    /// The table's header, or `None` for the top level.
    fn header(&self) -> Option<String> {
        let keys = self.keys.get(..self.len).filter(|k| !k.is_empty())?;
        let mut dotted = shorten(&keys.join("."));
        if self.cut {
            dotted.push_str(".…");
        }
        Some(if self.element {
            format!("[[{dotted}]]")
        } else {
            format!("[{dotted}]")
        })
    }

    /// A key of the table, with the table: `[[rate]] per_minute`, or `top` at the top level.
    fn key(&self, key: &str) -> String {
        match self.header() {
            Some(h) => format!("{h} {}", shorten(key)),
            None => shorten(key),
        }
    }
}

/// A table (`[facility]`, one `[[rate]]`, an inline table), with the offset of its header.
#[derive(Clone, Copy)]
pub(crate) struct Table<'a> {
    cx: Cx<'a>,
    t: &'a DeTable<'a>,
    /// The offset of its header (or of the key or value that holds it).
    pub at: usize,
    path: Path<'a>,
}

/// A place in a file that a later check may need to name (a `[[rate]]` that overlaps
/// another): the table's offset and path, kept without formatting anything.
#[derive(Clone, Copy)]
pub(crate) struct Spot<'a> {
    cx: Cx<'a>,
    /// The byte offset.
    pub at: usize,
    path: Path<'a>,
}

impl Spot<'_> {
    /// An error at this place, naming its table.
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        self.cx.err(self.at, self.path.header(), message)
    }

    /// This place, kept past the document (for checks made after reading, across files).
    pub(crate) fn location(&self) -> Location {
        self.err(String::new()).location().clone()
    }
}

/// One value, with the offset it is at and the key that holds it.
#[derive(Clone, Copy)]
pub(crate) struct Field<'a> {
    cx: Cx<'a>,
    v: &'a Spanned<DeValue<'a>>,
    /// The offset of the value.
    pub at: usize,
    /// The table holding the key.
    path: Path<'a>,
    key: &'a str,
}

/// The entries of a table in the order the file gives them (the document keeps them sorted).
fn in_file_order<'a>(
    t: &'a DeTable<'a>,
) -> Vec<(&'a Spanned<DeString<'a>>, &'a Spanned<DeValue<'a>>)> {
    let mut entries: Vec<_> = t.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

use toml::de::DeString;

impl<'a> Table<'a> {
    /// An error at this table's header.
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        self.spot().err(message)
    }

    /// Where this table is, to name it in a later message.
    pub(crate) fn spot(&self) -> Spot<'a> {
        Spot {
            cx: self.cx,
            at: self.at,
            path: self.path,
        }
    }

    fn field(&self, key: &'a Spanned<DeString<'a>>, v: &'a Spanned<DeValue<'a>>) -> Field<'a> {
        Field {
            cx: self.cx,
            v,
            at: v.span().start,
            path: self.path,
            key: key.get_ref(),
        }
    }

    /// Refuses any key not in `valid`, naming the first in the file and the valid keys.
    pub(crate) fn keys(&self, valid: &[&str]) -> Result<()> {
        let unknown = self
            .t
            .keys()
            .filter(|k| !valid.contains(&k.get_ref().as_ref()))
            .min_by_key(|k| k.span().start);
        match unknown {
            None => Ok(()),
            Some(k) => Err(self.cx.err(
                k.span().start,
                Some(self.path.key(k.get_ref())),
                format!(
                    "unknown field `{}`, expected {}",
                    k.get_ref(),
                    expected_words(valid.iter().copied())
                ),
            )),
        }
    }

    /// The value of `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<Field<'a>> {
        let (k, v) = self.t.get_key_value(key)?;
        Some(self.field(k, v))
    }

    /// The value of a required key.
    pub(crate) fn need(&self, key: &str) -> Result<Field<'a>> {
        self.get(key)
            .ok_or_else(|| self.err(format!("missing field `{key}`")))
    }

    /// A required key read by `read` (e.g. `Field::amount`).
    pub(crate) fn req<T>(&self, key: &str, read: impl FnOnce(Field<'a>) -> Result<T>) -> Result<T> {
        read(self.need(key)?)
    }

    /// An optional key read by `read`.
    pub(crate) fn opt<T>(
        &self,
        key: &str,
        read: impl FnOnce(Field<'a>) -> Result<T>,
    ) -> Result<Option<T>> {
        self.get(key).map(read).transpose()
    }

    /// An optional list of tables (`[[rate]]`): empty when the key is absent.
    pub(crate) fn tables(&self, key: &str) -> Result<Vec<Table<'a>>> {
        self.get(key).map_or(Ok(Vec::new()), |f| f.tables())
    }

    /// Every entry of this table as (key, value) in file order, for maps keyed by an id
    /// (`[sources.ID]`).
    pub(crate) fn entries(&self) -> Vec<(&'a str, Field<'a>)> {
        in_file_order(self.t)
            .into_iter()
            .map(|(k, v)| (k.get_ref().as_ref(), self.field(k, v)))
            .collect()
    }

    /// A table of tables keyed by the day they take effect (`[periods.2021-10-26]`), each
    /// read by `read`. An impossible date is an error naming the key. (A date given twice is
    /// a duplicate key, refused by the parser.)
    pub(crate) fn dated<T>(
        &self,
        mut read: impl FnMut(Table<'a>) -> Result<T>,
    ) -> Result<BTreeMap<NaiveDate, T>> {
        let mut out = BTreeMap::new();
        for (k, v) in in_file_order(self.t) {
            let at = k.span().start;
            let field = self.field(k, v);
            let date = crate::dated::parse_date(k.get_ref())
                .map_err(|m| self.cx.err(at, field.table_header(), m))?;
            let value = read(field.table()?)?;
            if out.insert(date, value).is_some() {
                return Err(self.cx.err(
                    at,
                    field.table_header(),
                    format!("the date {date} is given twice"),
                ));
            }
        }
        Ok(out)
    }
}

impl<'a> Field<'a> {
    /// An error at this value.
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        self.cx.err(self.at, Some(self.path.key(self.key)), message)
    }

    /// The header of the table this key holds (`[periods.2021-10-26]`).
    fn table_header(&self) -> Option<String> {
        self.path.child(self.key, false).header()
    }

    fn value(&self) -> &'a DeValue<'a> {
        self.v.get_ref()
    }

    /// The value as written in the file (for messages).
    fn source(&self) -> &'a str {
        self.cx.text.get(self.v.span()).unwrap_or("").trim()
    }

    /// What the value is, for a message: `floating point `0.1``, `a list`.
    fn found(&self) -> String {
        match self.value() {
            DeValue::String(s) => format!("string {}", quoted(s)),
            DeValue::Integer(_) => format!("integer `{}`", self.source()),
            DeValue::Float(_) => format!("floating point `{}`", self.source()),
            DeValue::Boolean(_) => format!("boolean `{}`", self.source()),
            DeValue::Datetime(_) => format!("bare TOML date `{}`", self.source()),
            DeValue::Array(_) => "list".into(),
            DeValue::Table(_) => "table".into(),
        }
    }

    /// The text, if the value is text in quotes.
    fn text(&self) -> Option<&'a str> {
        match self.value() {
            DeValue::String(s) => Some(s.as_ref()),
            _ => None,
        }
    }

    fn wrong(&self, expected: &str) -> Error {
        self.err(format!(
            "invalid type: {}, expected {expected}",
            self.found()
        ))
    }

    /// Text in quotes.
    pub(crate) fn string(self) -> Result<String> {
        self.str().map(str::to_string)
    }

    fn str(&self) -> Result<&'a str> {
        self.text().ok_or_else(|| self.wrong("text in quotes"))
    }

    /// A decimal amount in quotes, read by [`crate::money::parse_amount`].
    pub(crate) fn amount(self) -> Result<Decimal> {
        let text = self
            .text()
            .ok_or_else(|| self.wrong("a decimal amount in quotes, like \"0.21\""))?;
        crate::money::parse_amount(text).map_err(|m| self.err(m))
    }

    /// A percentage from 0 to 100, in quotes.
    pub(crate) fn percent(self) -> Result<Decimal> {
        let p = self.amount()?;
        if p > Decimal::ONE_HUNDRED {
            return Err(self.err(format!("`{p}` is over 100; a percentage is from 0 to 100")));
        }
        Ok(p)
    }

    /// A date in quotes, read by [`crate::dated::parse_date`].
    pub(crate) fn date(self) -> Result<NaiveDate> {
        match self.value() {
            DeValue::String(s) => crate::dated::parse_date(s).map_err(|m| self.err(m)),
            DeValue::Datetime(_) => Err(self.err(format!(
                "`{}` is a bare TOML date; write it in quotes, like \"2026-04-06\"",
                self.source()
            ))),
            _ => Err(self.wrong("a date in quotes, like \"2026-04-06\"")),
        }
    }

    /// A whole number without quotes.
    pub(crate) fn int(self) -> Result<i64> {
        match self.value() {
            DeValue::Integer(n) => {
                let digits = match n.as_str() {
                    d if d.contains('_') => std::borrow::Cow::Owned(d.replace('_', "")),
                    d => std::borrow::Cow::Borrowed(d),
                };
                i64::from_str_radix(&digits, n.radix()).map_err(|_| {
                    self.err(format!(
                        "`{}` is too large for a whole number (the largest is {})",
                        self.source(),
                        i64::MAX
                    ))
                })
            }
            DeValue::Float(_) => Err(self.err(format!(
                "`{}` is not a whole number; write a whole number, like 640",
                self.source()
            ))),
            DeValue::String(s) => Err(self.err(format!(
                "{} is in quotes; write a whole number without quotes, like 640",
                quoted(s)
            ))),
            _ => Err(self.wrong("a whole number")),
        }
    }

    /// A whole number from `min` to `max`; `what` names it in the message.
    pub(crate) fn bounded(self, what: &str, min: u32, max: u32) -> Result<u32> {
        let n = self.int()?;
        u32::try_from(n)
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                self.err(format!(
                    "{what} `{n}` must be a whole number from {min} to {max}"
                ))
            })
    }

    /// `true` or `false`.
    pub(crate) fn bool(self) -> Result<bool> {
        match self.value() {
            DeValue::Boolean(b) => Ok(*b),
            _ => Err(self.wrong("true or false")),
        }
    }

    /// One word of a vocabulary, in quotes.
    pub(crate) fn word<T: Word>(self) -> Result<T> {
        let text = self.text().ok_or_else(|| {
            self.wrong(&format!(
                "{} in quotes",
                expected_words(T::all().iter().map(|w| w.word()))
            ))
        })?;
        crate::vocab::parse_word(text).map_err(|m| self.err(m))
    }

    fn list(&self) -> Result<impl Iterator<Item = Field<'a>> + 'a> {
        let DeValue::Array(array) = self.value() else {
            return Err(self.wrong("a list, like [\"a\", \"b\"]"));
        };
        let (cx, path, key) = (self.cx, self.path, self.key);
        Ok(array.iter().map(move |v| Field {
            cx,
            v,
            at: v.span().start,
            path,
            key,
        }))
    }

    /// A list, each item read by `read` (errors point at the item).
    pub(crate) fn each<T>(self, read: impl FnMut(Field<'a>) -> Result<T>) -> Result<Vec<T>> {
        self.list()?.map(read).collect()
    }

    /// The key this value is held by (for messages about the value as a whole).
    pub(crate) fn key(&self) -> &'a str {
        self.key
    }

    /// A list of vocabulary words (`services = ["audio"]`).
    pub(crate) fn words<T: Word>(self) -> Result<Vec<T>> {
        self.list()?.map(Field::word).collect()
    }

    /// A list of texts (`tiers = ["prison"]`).
    pub(crate) fn strings(self) -> Result<Vec<String>> {
        self.list()?.map(Field::string).collect()
    }

    /// A table (`[facility]`, or an inline `{ ... }`).
    pub(crate) fn table(self) -> Result<Table<'a>> {
        match self.value() {
            DeValue::Table(t) => Ok(Table {
                cx: self.cx,
                t,
                at: self.at,
                path: self.path.child(self.key, false),
            }),
            _ => Err(self.wrong("a table")),
        }
    }

    /// A list of tables (`[[rate]]`, or `key = [{ ... }]`).
    pub(crate) fn tables(self) -> Result<Vec<Table<'a>>> {
        let DeValue::Array(array) = self.value() else {
            return Err(self.cx.err(
                self.at,
                self.table_header(),
                "expected a list: write each entry as a [[table]] with double brackets, or key = [ ... ]",
            ));
        };
        let path = self.path.child(self.key, true);
        array
            .iter()
            .map(|v| match v.get_ref() {
                DeValue::Table(t) => Ok(Table {
                    cx: self.cx,
                    t,
                    at: v.span().start,
                    path,
                }),
                _ => Err(self.cx.err(
                    v.span().start,
                    Some(self.path.key(self.key)),
                    "expected a table: write each entry as a [[table]] with double brackets, or { key = ... }",
                )),
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Syntax errors.

/// A syntax error from the `toml` crate as callcap reports it: located by the crate's span,
/// its key path found in the document the crate recovers around the error, and its message
/// made plainer where callcap knows more than the crate's text says (see [`plain_message`]).
fn syntax(file: &str, text: &str, e: &toml::de::Error) -> Error {
    let message = e.message().trim();
    let mut span = e
        .span()
        .or_else(|| first_failing_line(text, message))
        .unwrap_or(text.len()..text.len());
    if message.starts_with("carriage return") && span.start > 0 {
        // The crate points just past a bare CR; point at the CR itself.
        let cr = text
            .get(..span.start)
            .map_or(0, |t| t.trim_end_matches('\r').len());
        span = cr..cr;
    }
    let at = span.start.min(text.len());
    let (recovered, _) = DeTable::parse_recoverable(text);
    let place = place_of(text, recovered.get_ref(), Path::default(), at);
    // What the file says before the error parses as far as it goes: a key given twice is
    // there as first given.
    let (before, _) = DeTable::parse_recoverable(text.get(..at).unwrap_or(text));
    let earlier = place_of(text, before.get_ref(), Path::default(), at);
    let (at, key, message) = plain_message(text, span, message, &place, &earlier);
    let (line, column) = line_column(text, at);
    Error::located(ErrorKind::Syntax, file, line, Some(column), key, message)
}

/// For an error the crate gives no span (too deep a nesting), the first line at which a
/// prefix of the file fails the same way, found by parsing prefixes (a binary search, only
/// ever run on a file that did not parse).
fn first_failing_line(text: &str, message: &str) -> Option<std::ops::Range<usize>> {
    let ends: Vec<usize> = text
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain([text.len()])
        .collect();
    let fails = |k: usize| {
        let prefix = text.get(..ends[k]).unwrap_or(text);
        DeTable::parse(prefix).is_err_and(|e| e.message().trim() == message)
    };
    let (mut lo, mut hi) = (0, ends.len().checked_sub(1)?);
    if !fails(hi) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fails(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let start = if lo == 0 { 0 } else { ends[lo - 1] };
    Some(start..start)
}

/// Where to point, the key to name and the message to give for a syntax error: the crate's
/// message, plainer where callcap knows more. `place` is the error's place in the document
/// recovered around it, `earlier` in the text before it. Returns `(offset, key, message)`.
fn plain_message(
    text: &str,
    span: std::ops::Range<usize>,
    message: &str,
    place: &Place<'_>,
    earlier: &Place<'_>,
) -> (usize, Option<String>, String) {
    let at = span.start.min(text.len());
    let mut key = place
        .key
        .map(|k| place.path().key(k))
        .or_else(|| place.path().header());
    let line_start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = text.get(line_start..at).unwrap_or("").trim();
    let here = text.get(at..).and_then(|t| t.chars().next());
    let first = text.trim_start().chars().next();

    if message.starts_with("duplicate key") {
        // The recovered document holds the key as first given, in this table or one around
        // it (a `[table]` header given twice is a key of the table above).
        let name = text
            .get(span)
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        for (path, table) in earlier.chain.iter().rev() {
            let Some((first, value)) = table.get_key_value(name) else {
                continue;
            };
            let line = line_column(text, first.span().start).0;
            let header = path.child(name, false).header().unwrap_or_default();
            if matches!(value.get_ref(), DeValue::Table(_))
                && text.get(value.span()).is_some_and(|s| s.starts_with('['))
            {
                return (
                    at,
                    Some(header.clone()),
                    format!(
                        "the table {header} is defined twice (first at line {line}); put all its keys under one {header} header"
                    ),
                );
            }
            return (
                at,
                Some(path.key(name)),
                format!(
                    "the key `{name}` is given twice (first at line {line}); give each key once"
                ),
            );
        }
        return (at, key, format!("{message}; give each key once"));
    }
    if let (Some('<' | '{'), true) = (
        first,
        line_start == 0 || text.get(..line_start).is_some_and(|t| t.trim().is_empty()),
    ) {
        let what = if first == Some('<') { "HTML" } else { "JSON" };
        return (
            text.len() - text.trim_start().len(),
            None,
            format!(
                "this looks like {what}, not TOML; callcap reads tariffs written in TOML, like the examples in rates/examples/ ({message})"
            ),
        );
    }
    if let Some(c) = here.filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        let code = u32::from(c);
        return (
            at,
            key,
            if message.contains("comment") {
                format!("a control character (U+{code:04X}) is not allowed in a comment; delete it")
            } else {
                format!(
                    "a control character (U+{code:04X}) is not allowed in text; write it as \\u{code:04X}"
                )
            },
        );
    }
    if message.starts_with("carriage return") {
        return (
            at,
            key,
            "lines end in a bare carriage return (CR); save the file with LF or CRLF line ends"
                .into(),
        );
    }
    if message.starts_with("recursion limit") || message.starts_with("cannot recurse") {
        let line = text
            .get(line_start..)
            .and_then(|t| t.lines().next())
            .unwrap_or("")
            .trim();
        if at == line_start && line.starts_with('[') {
            // A header too deep to parse: name it as written.
            key = Some(shorten(line));
        }
        return (
            at,
            key,
            "lists, inline tables or dotted keys are nested too deeply here; no callcap file needs more than a few levels".into(),
        );
    }
    if message.starts_with("unclosed table") && before.starts_with('[') {
        key = Some(shorten(before));
        return (
            at,
            key,
            format!(
                "expected `]` to close the table header `{}`, found the end of the line",
                shorten(before)
            ),
        );
    }
    if at >= text.trim_end().len() {
        if let Some(name) = before
            .strip_suffix('=')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            return (
                at,
                key,
                format!(
                    "the value of `{}` is missing: write a value after `=`, like \"text in quotes\", 640 or true; the file may be cut off",
                    shorten(name)
                ),
            );
        }
        return (
            at,
            key,
            format!("the file ends in the middle of a value or table ({message}); it may be cut off: check its end"),
        );
    }
    if message.is_empty() {
        // The crate always says what is wrong; this is a guard, never an empty message.
        return (at, key, "this file is not valid TOML at this point".into());
    }
    (at, key, message.to_string())
}

/// Where an offset is in a (recovered) document: the tables around it from the top level in
/// (with their paths), and the key of the innermost table the offset is on, if it is on one
/// (in the key or its value, or on the key's line).
struct Place<'t> {
    chain: Vec<(Path<'t>, &'t DeTable<'t>)>,
    key: Option<&'t str>,
}

impl<'t> Place<'t> {
    fn path(&self) -> Path<'t> {
        self.chain.last().map(|(p, _)| *p).unwrap_or_default()
    }
}

fn place_of<'t>(text: &str, root: &'t DeTable<'t>, path: Path<'t>, at: usize) -> Place<'t> {
    let mut place = Place {
        chain: vec![(path, root)],
        key: None,
    };
    let starts =
        |span: std::ops::Range<usize>, c: char| text.get(span).is_some_and(|s| s.starts_with(c));
    let is_header = |span| starts(span, '[');
    let is_inline = |span| starts(span, '{');
    let (mut t, mut path) = (root, path);
    loop {
        let Some((k, v)) = in_file_order(t)
            .into_iter()
            .rfind(|(k, _)| k.span().start <= at)
        else {
            return place;
        };
        let name: &'t str = k.get_ref();
        let (ks, vs) = (k.span(), v.span());
        let next = match v.get_ref() {
            DeValue::Table(child)
                if vs.contains(&at)
                    || is_header(vs.clone())
                    || (!is_inline(vs.clone()) && child_before(child, at)) =>
            {
                Some((child, path.child(name, false)))
            }
            DeValue::Array(items) => items
                .iter()
                .rfind(|i| i.span().start <= at && is_header(i.span()))
                .and_then(|i| match i.get_ref() {
                    DeValue::Table(child) => Some((child, path.child(name, true))),
                    _ => None,
                }),
            _ => None,
        };
        if let Some((child, child_path)) = next {
            place.chain.push((child_path, child));
            (t, path) = (child, child_path);
            continue;
        }
        let same_line = !text.get(ks.start..at).unwrap_or("\n").contains('\n');
        if vs.contains(&at) || vs.end == at || same_line {
            place.key = Some(name);
        }
        return place;
    }
}

/// Whether a table made by dotted keys (`a.b = 1`) has a key at or before `at`: then the
/// offset is inside it.
fn child_before(t: &DeTable<'_>, at: usize) -> bool {
    t.keys().any(|k| k.span().start <= at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T>(text: &str, f: impl FnOnce(Table) -> Result<T>) -> Result<T, String> {
        let doc = Doc::parse("t.toml", text).map_err(|e| e.to_string())?;
        f(doc.root()).map_err(|e| e.to_string())
    }

    #[test]
    fn decimals_must_be_quoted() {
        let e = read("a = 0.21", |t| t.req("a", Field::amount)).unwrap_err();
        assert_eq!(
            e,
            "t.toml:1:5: a: invalid type: floating point `0.21`, expected a decimal amount in quotes, like \"0.21\""
        );
        let e = read("a = 3", |t| t.req("a", Field::amount)).unwrap_err();
        assert!(e.contains("integer `3`") && e.contains("in quotes"), "{e}");
        let d = read("a = \"0.21\"", |t| t.req("a", Field::amount)).unwrap();
        assert_eq!(d.to_string(), "0.21");
    }

    #[test]
    fn percentages_are_bounded() {
        assert!(read("p = \"100.5\"", |t| t.req("p", Field::percent)).is_err());
        assert_eq!(
            read("p = \"55\"", |t| t.req("p", Field::percent)).unwrap(),
            Decimal::from(55)
        );
    }

    #[test]
    fn dates_must_be_quoted_and_real() {
        let e = read("start = 2026-01-01", |t| t.req("start", Field::date)).unwrap_err();
        assert!(
            e.starts_with(
                "t.toml:1:9: start: `2026-01-01` is a bare TOML date; write it in quotes"
            ),
            "{e}"
        );
        let e = read("start = \"2025-02-29\"", |t| t.req("start", Field::date)).unwrap_err();
        assert!(e.contains("not a real date"), "{e}");
    }

    #[test]
    fn date_keys_reject_duplicates_and_impossible_dates() {
        let dated = |t: Table| t.req("periods", |f| f.table()?.dated(|t| t.req("x", Field::int)));
        let e = read("[periods]\n2021-10-26 = 1\n2021-10-26 = 2\n", dated).unwrap_err();
        assert!(e.contains("given twice (first at line 2)"), "{e}");
        let e = read("[periods.2021-02-30]\nx = 1\n", dated).unwrap_err();
        assert!(
            e.starts_with("t.toml:1:10: [periods.2021-02-30]: \"2021-02-30\" is not a real date"),
            "{e}"
        );
        let e = read(
            "[periods.\"2021-10-26\"]\nx = 1\n[periods.\" 2021-10-26\"]\nx = 2\n",
            dated,
        )
        .unwrap_err();
        assert!(
            e.contains("not a real date") || e.contains("given twice"),
            "{e}"
        );
        let ok = read(
            "[periods.2021-10-26]\nx = 1\n[periods.2020-01-01]\nx = 2\n",
            dated,
        )
        .unwrap();
        assert_eq!(ok.values().copied().collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn unknown_keys_are_named_with_the_valid_ones_first_in_the_file_first() {
        let e = read("[t]\na = 1\nz = 2\nb = 3\n", |t| {
            t.req("t", |f| f.table()?.keys(&["a", "c", "d"]))
        })
        .unwrap_err();
        assert_eq!(
            e,
            "t.toml:3:1: [t] z: unknown field `z`, expected one of `a`, `c`, `d`"
        );
        let e = read("[t]\n", |t| t.req("t", |f| f.table()?.req("a", Field::int))).unwrap_err();
        assert_eq!(e, "t.toml:1:1: [t]: missing field `a`");
    }

    #[test]
    fn the_key_path_comes_from_the_tables_walked_not_the_text() {
        // A multi-line string holding a line that looks like a table header: the key is
        // still the facility's (the old text scan named `[[fee]]`).
        let text = "[facility]\nname = \"\"\"\nA\n[[fee]]\n\"\"\"\nkind = \"jail\"\nn = 0.5\n";
        let e = read(text, |t| {
            t.req("facility", |f| f.table()?.req("n", Field::int))
        })
        .unwrap_err();
        assert!(e.starts_with("t.toml:7:5: [facility] n: "), "{e}");
        let text = "[[rate]]\nx = 1\n[[rate]]\nx = \"2\"\n";
        let e = read(text, |t| {
            t.tables("rate")?
                .into_iter()
                .try_for_each(|r| r.req("x", Field::int).map(drop))
        })
        .unwrap_err();
        assert!(e.starts_with("t.toml:4:5: [[rate]] x: "), "{e}");
        let e = read("a = { b = { c = true } }", |t| {
            t.req("a", |f| {
                f.table()?.req("b", |f| f.table()?.req("c", Field::int))
            })
        })
        .unwrap_err();
        assert!(e.starts_with("t.toml:1:17: [a.b] c: "), "{e}");
    }

    #[test]
    fn words_whole_numbers_and_lists() {
        use crate::call::Service;
        let e = read("s = \"radio\"", |t| t.req("s", Field::word::<Service>)).unwrap_err();
        assert!(
            e.ends_with("unknown service \"radio\", expected `audio` or `video`"),
            "{e}"
        );
        let got = read("s = [\"video\", \"audio\"]", |t| {
            t.req("s", Field::words::<Service>)
        });
        assert_eq!(got.unwrap(), [Service::Video, Service::Audio]);
        let e = read("n = 1.5", |t| t.req("n", Field::int)).unwrap_err();
        assert!(e.contains("`1.5` is not a whole number"), "{e}");
        let e = read("n = \"5\"", |t| t.req("n", Field::int)).unwrap_err();
        assert!(e.contains("\"5\" is in quotes"), "{e}");
        let e = read("n = 0", |t| t.req("n", |f| f.bounded("n", 1, 9))).unwrap_err();
        assert!(
            e.ends_with("n `0` must be a whole number from 1 to 9"),
            "{e}"
        );
        assert_eq!(read("n = 0x1F", |t| t.req("n", Field::int)), Ok(31));
        assert_eq!(read("n = 1_000", |t| t.req("n", Field::int)), Ok(1000));
        assert_eq!(read("n = -7", |t| t.req("n", Field::int)), Ok(-7));
        let e = read("n = 99999999999999999999", |t| t.req("n", Field::int)).unwrap_err();
        assert!(e.contains("too large for a whole number"), "{e}");
        let e = read("[r]\na = 1\n", |t| t.tables("r").map(|v| v.len())).unwrap_err();
        assert!(e.contains("[r]: expected a list"), "{e}");
        let n = read("r = [{ a = 1 }, { a = 2 }]", |t| {
            t.tables("r").map(|v| v.len())
        });
        assert_eq!(n, Ok(2));
        let e = read("b = \"yes\"", |t| t.req("b", Field::bool)).unwrap_err();
        assert!(e.contains("expected true or false"), "{e}");
    }

    #[test]
    fn syntax_errors_say_more_than_the_parser() {
        let e = read("[t]\na = 1\n\nb = 2\na = 3\n", |_| Ok(())).unwrap_err();
        assert!(
            e.contains("[t] a: the key `a` is given twice (first at line 2)"),
            "{e}"
        );
        let e = read("[t]\na = \"cut", |_| Ok(())).unwrap_err();
        assert!(e.contains("cut off"), "{e}");
        // TOML 1.1: newlines and a trailing comma in an inline table.
        let ok = read("p = {\n  name = \"x\",\n}\n", |t| {
            t.req("p", |f| f.table()?.req("name", Field::string))
        });
        assert_eq!(ok.as_deref(), Ok("x"));
    }
}
