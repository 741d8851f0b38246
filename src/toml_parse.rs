//! A small TOML 1.0.0 parser (<https://toml.io/en/v1.0.0>) for the loaders.
//!
//! It reads a whole document into flat storage: every table (the root, `[headers]`, implicit
//! and dotted tables, inline tables) is one entry of [`Document`]'s table list, every array
//! (`[1, 2]` or the tables of a `[[header]]`) one entry of its array list, and values refer to
//! them by index. Tables keep their keys in file order; a lookup scans a small table and
//! binary-searches a sorted index in a large one, so parsing stays near-linear in the input.
//!
//! What it keeps: strings unescaped (borrowed from the text when they hold no escape), integers
//! as `i64`, booleans; floating point numbers and dates only as validated text (callers read
//! their source through [`Node::span`]); the byte span of every key and value and the header of
//! every table, so that errors can name a line and column. Errors are plain English: what is
//! wrong, where (a byte offset), and what would be valid.
//!
//! The rules about defining tables (a table defined twice, dotted keys and headers, extending
//! inline tables and arrays), the nesting limits and the order of keys follow `toml_edit` 0.22,
//! which the tests compare it with (`tests/toml_differential.rs`,
//! `fuzz/fuzz_targets/toml_differential.rs`): both accept the same documents and give the same
//! tree. Where `toml_edit` reads the spec in its own way, this parser does the same: a float
//! that rounds to positive infinity (`1e400`) is refused, one that rounds to negative infinity
//! is not; a dotted key may add tables under the last table of an array of tables
//! (`[[x.y]]`, `[x]`, `y.z.w = 1`); a `[header]` that defines a table first made implicitly
//! (`[a.b]` then `[a]`) moves it after its parent's other keys.

use std::borrow::Cow;

/// Arrays and inline tables nest at most this deep, less one (as in `toml_edit`); a key has
/// fewer parts than this.
const MAX_DEPTH: usize = 80;

/// Tables with at most this many keys are searched by a scan, larger ones by a sorted index.
const SMALL_TABLE: usize = 16;

/// A byte range of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A table of a [`Document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableId(usize);

/// An array of a [`Document`] (a list of values, or the tables of an array of tables).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayId(usize);

/// What a key holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item<'t> {
    /// Text, unescaped.
    String(Cow<'t, str>),
    /// A whole number.
    Integer(i64),
    /// A floating point number (its text is the node's span).
    Float,
    /// `true` or `false`.
    Boolean(bool),
    /// An offset or local date-time, a local date or a local time (its text is the span).
    Datetime,
    /// A list in brackets, `[1, 2]`.
    Array(ArrayId),
    /// An inline table, `{ a = 1 }`.
    InlineTable(TableId),
    /// A table made by a `[header]`, or implicitly by a header or a dotted key.
    Table(TableId),
    /// The tables of an array of tables (`[[header]]`).
    ArrayOfTables(ArrayId),
}

/// A value with its span: the value's text, the `[header]` of a table element of an array of
/// tables, or the key that made a table (see [`Document::offset`] for where errors point).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node<'t> {
    /// The value.
    pub item: Item<'t>,
    /// Its text in the document.
    pub span: Span,
}

/// One key of a table and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'t> {
    /// The key, unescaped.
    pub key: Cow<'t, str>,
    /// The key's text (with its quotes).
    pub key_span: Span,
    /// Its value.
    pub node: Node<'t>,
}

/// A table: its entries in file order, and how it was made.
#[derive(Debug, Default)]
struct Table<'t> {
    entries: Vec<Entry<'t>>,
    /// Indexes of `entries[..indexed]`, sorted by key (empty while the table is small).
    sorted: Vec<usize>,
    indexed: usize,
    /// The `[header]` that defined it.
    header: Option<Span>,
    /// Made by a header or dotted key above it, not (yet) by its own header.
    implicit: bool,
    /// Made by a dotted key (`a.b = 1` makes `a`).
    dotted: bool,
}

impl<'t> Table<'t> {
    fn key(&self, i: usize) -> &str {
        self.entries.get(i).map_or("", |e| &e.key)
    }

    fn find(&self, key: &str) -> Option<usize> {
        if let Ok(p) = self.sorted.binary_search_by(|&i| self.key(i).cmp(key)) {
            return self.sorted.get(p).copied();
        }
        let tail = self.entries.get(self.indexed..).unwrap_or_default();
        tail.iter()
            .position(|e| e.key == key)
            .map(|p| p + self.indexed)
    }

    fn push(&mut self, entry: Entry<'t>) {
        self.entries.push(entry);
        let tail = self.entries.len() - self.indexed;
        if tail > SMALL_TABLE && tail.saturating_mul(tail) > self.indexed {
            self.index_tail();
        }
    }

    /// Merges the entries added since the last merge into the sorted index.
    fn index_tail(&mut self) {
        let mut tail: Vec<usize> = (self.indexed..self.entries.len()).collect();
        tail.sort_unstable_by(|&a, &b| self.key(a).cmp(self.key(b)));
        let mut merged = Vec::with_capacity(self.sorted.len() + tail.len());
        let (mut a, mut b) = (0, 0);
        while let (Some(&x), Some(&y)) = (self.sorted.get(a), tail.get(b)) {
            if self.key(x) <= self.key(y) {
                merged.push(x);
                a += 1;
            } else {
                merged.push(y);
                b += 1;
            }
        }
        merged.extend_from_slice(self.sorted.get(a..).unwrap_or_default());
        merged.extend_from_slice(tail.get(b..).unwrap_or_default());
        self.sorted = merged;
        self.indexed = self.entries.len();
    }

    /// Removes entry `i`, keeping the order of the others.
    fn remove(&mut self, i: usize) -> Option<Entry<'t>> {
        if i >= self.entries.len() {
            return None;
        }
        let entry = self.entries.remove(i);
        if i < self.indexed {
            self.sorted.retain(|&j| j != i);
            for j in &mut self.sorted {
                if *j > i {
                    *j -= 1;
                }
            }
            self.indexed -= 1;
        }
        Some(entry)
    }
}

/// A parsed document.
#[derive(Debug)]
pub struct Document<'t> {
    tables: Vec<Table<'t>>,
    arrays: Vec<Vec<Node<'t>>>,
}

impl<'t> Document<'t> {
    /// The top-level table.
    pub fn root(&self) -> TableId {
        TableId(0)
    }

    /// A table's entries, in file order.
    pub fn entries(&self, table: TableId) -> &[Entry<'t>] {
        self.tables.get(table.0).map_or(&[], |t| &t.entries)
    }

    /// The entry for `key` in a table.
    pub fn get(&self, table: TableId, key: &str) -> Option<&Entry<'t>> {
        let t = self.tables.get(table.0)?;
        t.entries.get(t.find(key)?)
    }

    /// The values of an array, or the tables of an array of tables.
    pub fn array(&self, array: ArrayId) -> &[Node<'t>] {
        self.arrays.get(array.0).map_or(&[], Vec::as_slice)
    }

    /// The span of a table's `[header]`, if a header defined it.
    pub fn header(&self, table: TableId) -> Option<Span> {
        self.tables.get(table.0).and_then(|t| t.header)
    }

    /// Where a node is, for messages: a value's first byte; a table's `[header]`, or the key
    /// that made it; an array of tables' first `[[header]]`.
    pub fn offset(&self, node: &Node<'t>) -> usize {
        match node.item {
            Item::Table(t) => self.header(t).map_or(node.span.start, |h| h.start),
            Item::ArrayOfTables(a) => self
                .array(a)
                .first()
                .map_or(node.span.start, |n| self.offset(n)),
            _ => node.span.start,
        }
    }
}

/// A syntax error: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The byte offset of the offending text.
    pub offset: usize,
    /// What is wrong and what would be valid, in plain English.
    pub message: String,
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses a TOML document.
pub fn parse(text: &str) -> Result<Document<'_>> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        doc: Document {
            tables: vec![Table::default()],
            arrays: Vec::new(),
        },
        current: 0,
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.document()?;
    Ok(p.doc)
}

/// One part of a dotted key.
struct KeyPart<'t> {
    name: Cow<'t, str>,
    span: Span,
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// How many arrays and inline tables enclose the value being read.
    depth: usize,
    doc: Document<'t>,
    /// The table that key/value lines go to.
    current: usize,
}

/// How a character is named in a message.
fn describe(c: Option<char>) -> String {
    match c {
        None => "the end of the file".into(),
        Some('\n' | '\r') => "the end of the line".into(),
        Some(c) if c.is_control() => format!("a control character (U+{:04X})", c as u32),
        Some(c) => format!("`{c}`"),
    }
}

/// A key as messages show it: bare when it can be written bare, else in quotes.
fn show_key(key: &str) -> String {
    if !key.is_empty() && key.bytes().all(is_bare) {
        key.to_string()
    } else {
        crate::error::quoted(key)
    }
}

fn show_path(parts: &[KeyPart]) -> String {
    let names: Vec<String> = parts.iter().map(|p| show_key(&p.name)).collect();
    names.join(".")
}

fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Characters allowed in comments and literal strings: tab, printable ASCII, non-ASCII.
fn is_plain(b: u8) -> bool {
    b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80
}

fn is_control(b: u8) -> bool {
    b < 0x20 && b != b'\t' || b == 0x7f
}

/// What a key holds, in words, for the messages about the table rules.
fn kind_of(item: &Item) -> &'static str {
    match item {
        Item::String(_) => "text",
        Item::Integer(_) => "a whole number",
        Item::Float => "a floating point number",
        Item::Boolean(_) => "true or false",
        Item::Datetime => "a date",
        Item::Array(_) => "a list in [ ]",
        Item::InlineTable(_) => "an inline table in { }",
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "a list of [[tables]]",
    }
}

const DAYS_IN_MONTH: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// `2^1024 - 2^970`: decimal numbers from this one up round to infinity as an IEEE double.
const F64_OVERFLOW: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.bytes
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(s))
    }

    fn slice(&self, start: usize, end: usize) -> &'t str {
        self.text.get(start..end).unwrap_or_default()
    }

    fn char_at(&self, at: usize) -> Option<char> {
        self.text.get(at..).and_then(|s| s.chars().next())
    }

    fn err<T>(&self, at: usize, message: impl Into<String>) -> Result<T> {
        Err(ParseError {
            offset: at,
            message: message.into(),
        })
    }

    /// "found `x`" for the character at `at`.
    fn found(&self, at: usize) -> String {
        describe(self.char_at(at))
    }

    /// The 1-based line of an offset, for "first at line N".
    fn line_of(&self, at: usize) -> usize {
        1 + self
            .bytes
            .get(..at)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// A line end (LF or CRLF) at the position; a bare CR is an error.
    fn newline(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b'\n') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b'\r') if self.peek_at(1) == Some(b'\n') => {
                self.pos += 2;
                Ok(true)
            }
            Some(b'\r') => self.err(
                self.pos,
                "a carriage return (CR) must be followed by a line feed; save the file with LF or CRLF line ends",
            ),
            _ => Ok(false),
        }
    }

    /// A comment from its `#` up to (not including) the line end.
    fn comment(&mut self) -> Result<()> {
        self.pos += 1;
        while let Some(b) = self.peek() {
            if is_plain(b) {
                self.pos += 1;
            } else if b == b'\n' || b == b'\r' {
                break;
            } else {
                return self.err(
                    self.pos,
                    format!(
                        "{} is not allowed in a comment; delete it",
                        self.found(self.pos)
                    ),
                );
            }
        }
        Ok(())
    }

    /// The rest of a line after a header or value: spaces, a comment, the line end or the end
    /// of the file. `after` names what came before, for the message.
    fn line_end(&mut self, after: impl FnOnce() -> String) -> Result<()> {
        self.skip_ws();
        if self.peek() == Some(b'#') {
            self.comment()?;
        }
        if self.peek().is_none() || self.newline()? {
            return Ok(());
        }
        self.err(
            self.pos,
            format!(
                "expected the end of the line after {}, found {}",
                after(),
                self.found(self.pos)
            ),
        )
    }

    /// Spaces, line ends and comments (inside arrays).
    fn skip_ws_comments_newlines(&mut self) -> Result<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'#') => {
                    self.comment()?;
                    if !self.newline()? {
                        // A comment at the end of the file: the array is not closed.
                        return Ok(());
                    }
                }
                Some(b'\n' | b'\r') => {
                    self.newline()?;
                }
                _ => return Ok(()),
            }
        }
    }

    fn document(&mut self) -> Result<()> {
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Ok(()),
                Some(b'#') => {
                    self.comment()?;
                    self.newline()?;
                }
                Some(b'\n' | b'\r') => {
                    self.newline()?;
                }
                Some(b'[') => self.header()?,
                Some(_) => self.keyval_line()?,
            }
        }
    }

    /// A dotted key: parts separated by `.`, with spaces around them. `context` says what the
    /// key is for when the first part is missing.
    fn key(&mut self, context: &str) -> Result<Vec<KeyPart<'t>>> {
        let start = self.pos;
        let mut parts = Vec::new();
        loop {
            self.skip_ws();
            let at = self.pos;
            let name = match self.peek() {
                Some(b'"') => self.basic_string()?,
                Some(b'\'') => Cow::Borrowed(self.literal_string()?),
                Some(b) if is_bare(b) => {
                    while self.peek().is_some_and(is_bare) {
                        self.pos += 1;
                    }
                    Cow::Borrowed(self.slice(at, self.pos))
                }
                _ if parts.is_empty() => {
                    return self.err(at, format!("{context}, found {}", self.found(at)));
                }
                _ => {
                    return self.err(
                        at,
                        format!(
                            "expected a key after `{}.`, found {}",
                            show_path(&parts),
                            self.found(at)
                        ),
                    );
                }
            };
            parts.push(KeyPart {
                name,
                span: Span {
                    start: at,
                    end: self.pos,
                },
            });
            self.skip_ws();
            if self.peek() != Some(b'.') {
                break;
            }
            self.pos += 1;
        }
        if parts.len() >= MAX_DEPTH {
            return self.err(
                start,
                format!(
                    "tables are nested too deeply: this key has {} dotted parts; at most {} are allowed",
                    parts.len(),
                    MAX_DEPTH - 1
                ),
            );
        }
        Ok(parts)
    }

    /// `[table]` or `[[array of tables]]`, and the rest of its line.
    fn header(&mut self) -> Result<()> {
        let start = self.pos;
        let array = self.starts_with(b"[[");
        let (open, close) = if array { ("[[", "]]") } else { ("[", "]") };
        self.pos += open.len();
        let path = self.key(&format!(
            "expected a table name after `{open}`, like {open}facility{close}"
        ))?;
        if !self.starts_with(close.as_bytes()) {
            return self.err(
                self.pos,
                format!(
                    "expected `{close}` to close the table header `{open}{}`, found {}",
                    show_path(&path),
                    self.found(self.pos)
                ),
            );
        }
        self.pos += close.len();
        let span = Span {
            start,
            end: self.pos,
        };
        self.line_end(|| format!("the table header `{open}{}{close}`", show_path(&path)))?;
        if array {
            self.start_array_table(path, span)
        } else {
            self.start_table(path, span)
        }
    }

    /// `key = value` and the rest of its line.
    fn keyval_line(&mut self) -> Result<()> {
        let start = self.pos;
        let (path, node) = self.keyval(
            "expected a key, a [table] header or a # comment",
            "a line looks like `key = value`",
        )?;
        self.line_end(|| format!("the value of `{}`", show_path(&path)))?;
        self.insert(self.current, path, node, start, false)
    }

    /// A key, `=` and a value (without the rest of the line); `context` says what was expected
    /// if there is no key, `hint` what a valid line looks like.
    fn keyval(&mut self, context: &str, hint: &str) -> Result<(Vec<KeyPart<'t>>, Node<'t>)> {
        let path = self.key(context)?;
        if self.peek() != Some(b'=') {
            return self.err(
                self.pos,
                format!(
                    "expected `=` after the key `{}`, found {}; {hint}",
                    show_path(&path),
                    self.found(self.pos)
                ),
            );
        }
        self.pos += 1;
        self.skip_ws();
        let node = self.value(&path)?;
        Ok((path, node))
    }

    /// Descends from table `t` along `path`, making implicit tables; `dotted` for dotted keys
    /// (which may not reach into a table defined by a header), else a header.
    fn descend(&mut self, mut t: usize, path: &[KeyPart<'t>], dotted: bool) -> Result<usize> {
        for (i, part) in path.iter().enumerate() {
            let table = self.doc.tables.get(t);
            let found = table.and_then(|tb| tb.entries.get(tb.find(&part.name)?));
            let Some(entry) = found else {
                let id = self.new_table(true, dotted, None);
                self.push_entry(t, part, Item::Table(TableId(id)), part.span);
                t = id;
                continue;
            };
            let first = entry.key_span.start;
            t = match entry.node.item {
                Item::Table(TableId(c)) => {
                    let explicit = self.doc.tables.get(c).is_some_and(|c| !c.implicit);
                    if dotted && explicit {
                        return self.err(
                            part.span.start,
                            format!(
                                "the table `{}` is already defined by a [header] (line {}); dotted keys cannot add to it: write the key under that header",
                                show_path(&path[..=i]),
                                self.line_of(self.doc.offset(&entry.node))
                            ),
                        );
                    }
                    c
                }
                Item::ArrayOfTables(ArrayId(a)) => {
                    match self.doc.arrays.get(a).and_then(|v| v.last()) {
                        Some(Node {
                            item: Item::Table(TableId(last)),
                            ..
                        }) => *last,
                        _ => return self.err(part.span.start, "an empty list of tables"),
                    }
                }
                ref other => {
                    return self.err(
                        part.span.start,
                        format!(
                        "`{}` is already {} (line {}), so it cannot hold other keys{}",
                        show_path(&path[..=i]),
                        kind_of(other),
                        self.line_of(first),
                        match other {
                            Item::InlineTable(_) =>
                                "; an inline table is complete: write all its keys inside its { }",
                            Item::Array(_) =>
                                "; a list in [ ] is complete: write all its elements inside it",
                            _ => "",
                        }
                    ),
                    )
                }
            };
        }
        Ok(t)
    }

    fn new_table(&mut self, implicit: bool, dotted: bool, header: Option<Span>) -> usize {
        self.doc.tables.push(Table {
            implicit,
            dotted,
            header,
            ..Table::default()
        });
        self.doc.tables.len() - 1
    }

    fn push_entry(&mut self, t: usize, part: &KeyPart<'t>, item: Item<'t>, span: Span) {
        if let Some(table) = self.doc.tables.get_mut(t) {
            table.push(Entry {
                key: part.name.clone(),
                key_span: part.span,
                node: Node { item, span },
            });
        }
    }

    /// Puts a key/value into table `t` (the current table, or an inline table).
    fn insert(
        &mut self,
        t: usize,
        mut path: Vec<KeyPart<'t>>,
        node: Node<'t>,
        at: usize,
        inline: bool,
    ) -> Result<()> {
        let Some(leaf) = path.pop() else {
            return Ok(());
        };
        let t = if inline {
            self.descend_inline(t, &path)?
        } else {
            self.descend(t, &path, true)?
        };
        let Some(table) = self.doc.tables.get(t) else {
            return Ok(());
        };
        if !path.is_empty() && !table.dotted {
            path.push(leaf);
            return self.err(
                at,
                format!(
                    "the table `{}` is defined by a [header] (line {}); dotted keys cannot add to it: write `{}` under a [{}] header",
                    show_path(&path[..path.len() - 1]),
                    self.line_of(table.header.map_or(at, |h| h.start)),
                    path.last().map_or(String::new(), |p| show_key(&p.name)),
                    show_path(&path[..path.len() - 1])
                ),
            );
        }
        if let Some(i) = table.find(&leaf.name) {
            let first = table.entries.get(i).map_or(at, |e| e.key_span.start);
            path.push(leaf);
            return self.err(
                at,
                format!(
                    "the key `{}` is given twice (first at line {}); give each key once",
                    show_path(&path),
                    self.line_of(first)
                ),
            );
        }
        if let Some(table) = self.doc.tables.get_mut(t) {
            table.push(Entry {
                key: leaf.name,
                key_span: leaf.span,
                node,
            });
        }
        Ok(())
    }

    /// Descends dotted keys inside an inline table.
    fn descend_inline(&mut self, mut t: usize, path: &[KeyPart<'t>]) -> Result<usize> {
        for (i, part) in path.iter().enumerate() {
            let table = self.doc.tables.get(t);
            let found = table.and_then(|tb| tb.entries.get(tb.find(&part.name)?));
            let Some(entry) = found else {
                let id = self.new_table(true, true, None);
                self.push_entry(t, part, Item::InlineTable(TableId(id)), part.span);
                t = id;
                continue;
            };
            t = match entry.node.item {
                Item::InlineTable(TableId(c))
                    if self.doc.tables.get(c).is_some_and(|c| c.implicit) =>
                {
                    c
                }
                ref other => {
                    return self.err(
                        part.span.start,
                        format!(
                            "`{}` is already {}, so it cannot hold other keys",
                            show_path(&path[..=i]),
                            kind_of(other)
                        ),
                    )
                }
            };
        }
        Ok(t)
    }

    fn start_table(&mut self, mut path: Vec<KeyPart<'t>>, span: Span) -> Result<()> {
        let Some(leaf) = path.pop() else {
            return Ok(());
        };
        let parent = self.descend(0, &path, false)?;
        let mut reuse = None;
        if let Some(table) = self.doc.tables.get(parent) {
            if let Some(i) = table.find(&leaf.name) {
                let entry = table.entries.get(i);
                match entry.map(|e| &e.node.item) {
                    Some(Item::Table(TableId(c)))
                        if self
                            .doc
                            .tables
                            .get(*c)
                            .is_some_and(|c| c.implicit && !c.dotted) =>
                    {
                        reuse = Some((i, *c));
                    }
                    other => {
                        let first = entry.map_or(span.start, |e| self.doc.offset(&e.node));
                        path.push(leaf);
                        let name = show_path(&path);
                        let message = match other {
                            Some(Item::Table(_)) => format!(
                                "the table [{name}] is defined twice (first at line {}); put all its keys under one [{name}] header",
                                self.line_of(first)
                            ),
                            Some(Item::ArrayOfTables(_)) => format!(
                                "`{name}` is a list of tables ([[{name}]] at line {}); write [[{name}]] to add an entry",
                                self.line_of(first)
                            ),
                            Some(other) => format!(
                                "`{name}` is already {} (line {}); it cannot also be a [table]",
                                kind_of(other),
                                self.line_of(first)
                            ),
                            None => format!("the table [{name}] is defined twice"),
                        };
                        return self.err(span.start, message);
                    }
                }
            }
        }
        let id = match reuse {
            Some((i, c)) => {
                if let Some(table) = self.doc.tables.get_mut(parent) {
                    table.remove(i);
                }
                if let Some(table) = self.doc.tables.get_mut(c) {
                    table.implicit = false;
                    table.header = Some(span);
                }
                c
            }
            None => self.new_table(false, false, Some(span)),
        };
        self.push_entry(parent, &leaf, Item::Table(TableId(id)), leaf.span);
        self.current = id;
        Ok(())
    }

    fn start_array_table(&mut self, mut path: Vec<KeyPart<'t>>, span: Span) -> Result<()> {
        let Some(leaf) = path.pop() else {
            return Ok(());
        };
        let parent = self.descend(0, &path, false)?;
        let existing = self.doc.tables.get(parent).and_then(|table| {
            let entry = table.entries.get(table.find(&leaf.name)?)?;
            Some((entry.node.item.clone(), self.doc.offset(&entry.node)))
        });
        let array = match existing {
            None => {
                self.doc.arrays.push(Vec::new());
                let a = self.doc.arrays.len() - 1;
                self.push_entry(parent, &leaf, Item::ArrayOfTables(ArrayId(a)), leaf.span);
                a
            }
            Some((Item::ArrayOfTables(ArrayId(a)), _)) => a,
            Some((other, first)) => {
                path.push(leaf);
                let name = show_path(&path);
                return self.err(
                    span.start,
                    format!(
                        "`{name}` is already {} (line {}); [[{name}]] needs a list of tables",
                        kind_of(&other),
                        self.line_of(first)
                    ),
                );
            }
        };
        let id = self.new_table(false, false, Some(span));
        if let Some(tables) = self.doc.arrays.get_mut(array) {
            tables.push(Node {
                item: Item::Table(TableId(id)),
                span,
            });
        }
        self.current = id;
        Ok(())
    }

    /// A value; `key` names its key for messages.
    fn value(&mut self, key: &[KeyPart<'t>]) -> Result<Node<'t>> {
        let start = self.pos;
        let item = match self.peek() {
            Some(b'"') if self.starts_with(b"\"\"\"") => Item::String(self.ml_basic_string()?),
            Some(b'"') => Item::String(self.basic_string()?),
            Some(b'\'') if self.starts_with(b"'''") => Item::String(self.ml_literal_string()?),
            Some(b'\'') => Item::String(Cow::Borrowed(self.literal_string()?)),
            Some(b'[') => Item::Array(self.array()?),
            Some(b'{') => Item::InlineTable(self.inline_table()?),
            Some(b't') if self.starts_with(b"true") => {
                self.pos += 4;
                Item::Boolean(true)
            }
            Some(b'f') if self.starts_with(b"false") => {
                self.pos += 5;
                Item::Boolean(false)
            }
            Some(b'+' | b'-' | b'0'..=b'9' | b'i' | b'n' | b'_' | b'.') => self.number_or_date()?,
            None | Some(b'\n' | b'\r' | b'#' | b',' | b']' | b'}') => {
                let end = if self.peek().is_none() {
                    "; the file may be cut off"
                } else {
                    ""
                };
                if key.is_empty() {
                    return self.err(
                        start,
                        format!(
                            "expected a value in the list, found {}{end}",
                            self.found(start)
                        ),
                    );
                }
                return self.err(
                    start,
                    format!(
                        "the value of `{}` is missing: write a value after `=`, like \"text in quotes\", 640 or true{end}",
                        show_path(key)
                    ),
                );
            }
            Some(_) => return self.bad_word(start),
        };
        Ok(Node {
            item,
            span: Span {
                start,
                end: self.pos,
            },
        })
    }

    /// A value that is not TOML: most often text without quotes.
    fn bad_word<T>(&self, start: usize) -> Result<T> {
        let rest = self.text.get(start..).unwrap_or_default();
        let word: String = rest
            .chars()
            .take_while(|c| !matches!(c, '\n' | '\r' | '#' | ',' | ']' | '}') && !c.is_control())
            .take(40)
            .collect();
        let word = word.trim_end();
        if word.is_empty() {
            return self.err(
                start,
                format!(
                    "{} is not a value; write text in quotes, a number, true or false",
                    self.found(start)
                ),
            );
        }
        self.err(
            start,
            format!("`{word}` is not a valid value; write text in quotes, like \"{word}\""),
        )
    }

    fn enter(&mut self, at: usize) -> Result<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return self.err(
                at,
                format!(
                    "lists or inline tables are nested too deeply; at most {} levels are allowed",
                    MAX_DEPTH - 1
                ),
            );
        }
        Ok(())
    }

    fn array(&mut self) -> Result<ArrayId> {
        let start = self.pos;
        self.enter(start)?;
        self.pos += 1;
        let mut values = Vec::new();
        loop {
            self.skip_ws_comments_newlines()?;
            if self.peek() == Some(b']') {
                self.pos += 1;
                break;
            }
            if self.peek().is_none() {
                return self.err(
                    self.pos,
                    "the list is not closed: expected `]` before the end of the file",
                );
            }
            values.push(self.value(&[])?);
            self.skip_ws_comments_newlines()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                None => {
                    return self.err(
                        self.pos,
                        "the list is not closed: expected `]` before the end of the file",
                    )
                }
                Some(_) => {
                    return self.err(
                        self.pos,
                        format!(
                            "expected `,` or `]` after an element of the list, found {}",
                            self.found(self.pos)
                        ),
                    )
                }
            }
        }
        self.depth -= 1;
        self.doc.arrays.push(values);
        Ok(ArrayId(self.doc.arrays.len() - 1))
    }

    fn inline_table(&mut self) -> Result<TableId> {
        let start = self.pos;
        self.enter(start)?;
        self.pos += 1;
        let id = self.new_table(false, false, None);
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(TableId(id));
        }
        loop {
            let at = self.pos;
            if self.peek() == Some(b'}') {
                return self.err(
                    at,
                    "a trailing comma is not allowed in an inline table; remove the `,` before `}`",
                );
            }
            let (path, node) = self.keyval(
                "expected a key in the inline table",
                "an inline table looks like { key = value, other = value }",
            )?;
            self.skip_ws();
            let key = show_path(&path);
            self.insert(id, path, node, at, true)?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    let line = if matches!(self.peek(), None | Some(b'\n' | b'\r')) {
                        "; an inline table must be on one line"
                    } else {
                        ""
                    };
                    return self.err(
                        self.pos,
                        format!(
                            "expected `,` or `}}` after the value of `{key}` in the inline table, found {}{line}",
                            self.found(self.pos)
                        ),
                    );
                }
            }
        }
        self.depth -= 1;
        Ok(TableId(id))
    }

    /// An escape after `\` in a basic string; `out` receives the character.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let at = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'b') => '\u{8}',
            Some(b't') => '\t',
            Some(b'n') => '\n',
            Some(b'f') => '\u{c}',
            Some(b'r') => '\r',
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(u @ (b'u' | b'U')) => {
                let len = if u == b'u' { 4 } else { 8 };
                let digits = self
                    .bytes
                    .get(self.pos + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take(len)
                    .take_while(|b| b.is_ascii_hexdigit())
                    .count();
                let hex = self.slice(self.pos + 1, self.pos + 1 + digits);
                if digits < len {
                    let example = if len == 4 { "\\u00E9" } else { "\\U0001F600" };
                    return self.err(
                        at,
                        format!(
                            "`\\{}{hex}` needs {len} hexadecimal digits, like {example}",
                            u as char
                        ),
                    );
                }
                let code = u32::from_str_radix(hex, 16).unwrap_or(u32::MAX);
                let Some(c) = char::from_u32(code) else {
                    return self.err(
                        at,
                        format!(
                            "`\\{}{hex}` is not a Unicode character (U+{code:X} is {}); write a character from U+0000 to U+D7FF or U+E000 to U+10FFFF",
                            u as char,
                            if (0xD800..0xE000).contains(&code) { "a surrogate" } else { "too large" }
                        ),
                    );
                };
                self.pos += digits;
                c
            }
            _ => {
                return self.err(
                    at,
                    format!(
                        "`\\` followed by {} is not a valid escape in text in quotes; write \\\\ for a backslash, or one of \\b \\t \\n \\f \\r \\\" \\uXXXX \\UXXXXXXXX",
                        self.found(self.pos)
                    ),
                )
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn control_in_text<T>(&self, at: usize) -> Result<T> {
        let code = self.bytes.get(at).copied().unwrap_or(0);
        self.err(
            at,
            format!(
                "a control character (U+{code:04X}) is not allowed in text; write it as \\u{code:04X}"
            ),
        )
    }

    /// `"text"` (the position is on the opening quote).
    fn basic_string(&mut self) -> Result<Cow<'t, str>> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let tail = self.slice(run, self.pos);
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(self.slice(run, self.pos));
                    self.escape(s)?;
                    run = self.pos;
                }
                None | Some(b'\n' | b'\r') => {
                    return self.err(
                        self.pos,
                        "text in quotes is not closed before the end of the line; close it with `\"` (for text on several lines, use `\"\"\"`)",
                    )
                }
                Some(b) if is_control(b) => return self.control_in_text(self.pos),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `'text'`.
    fn literal_string(&mut self) -> Result<&'t str> {
        self.pos += 1;
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b == b'\'' {
                self.pos += 1;
                return Ok(self.slice(start, self.pos - 1));
            }
            if b == b'\n' || b == b'\r' {
                break;
            }
            if !is_plain(b) {
                return self.err(
                    self.pos,
                    format!(
                        "a control character (U+{b:04X}) is not allowed in text; in double quotes it can be written as \\u{b:04X}"
                    ),
                );
            }
            self.pos += 1;
        }
        self.err(
            self.pos,
            "text in single quotes is not closed before the end of the line; close it with `'` (for text on several lines, use `'''`)",
        )
    }

    /// How many of `quote` follow; at most 5 are taken at the end of a multi-line string.
    fn count(&self, quote: u8) -> usize {
        self.bytes
            .get(self.pos..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == quote)
            .count()
    }

    /// `"""text"""`.
    fn ml_basic_string(&mut self) -> Result<Cow<'t, str>> {
        let open = self.pos;
        self.pos += 3;
        self.newline()?;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.peek() {
                Some(b'"') => {
                    let n = self.count(b'"');
                    if n >= 3 {
                        let quotes = (n - 3).min(2);
                        out.push_str(self.slice(run, self.pos + quotes));
                        self.pos += quotes + 3;
                        return Ok(Cow::Owned(out));
                    }
                    self.pos += n;
                }
                Some(b'\\') => {
                    out.push_str(self.slice(run, self.pos));
                    let mut ahead = self.pos + 1;
                    while let Some(b' ' | b'\t') = self.bytes.get(ahead) {
                        ahead += 1;
                    }
                    let at_line_end = match self.bytes.get(ahead) {
                        Some(b'\n') => true,
                        Some(b'\r') => self.bytes.get(ahead + 1) == Some(&b'\n'),
                        _ => false,
                    };
                    if at_line_end {
                        self.pos = ahead;
                        loop {
                            self.skip_ws();
                            if !self.newline()? {
                                break;
                            }
                        }
                    } else {
                        self.escape(&mut out)?;
                    }
                    run = self.pos;
                }
                Some(b'\r') => {
                    out.push_str(self.slice(run, self.pos));
                    self.newline()?;
                    out.push('\n');
                    run = self.pos;
                }
                None => {
                    return self.err(
                        open,
                        "text in triple quotes (`\"\"\"`) is not closed before the end of the file; close it with `\"\"\"`",
                    )
                }
                Some(b) if b != b'\n' && is_control(b) => return self.control_in_text(self.pos),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// `'''text'''`.
    fn ml_literal_string(&mut self) -> Result<Cow<'t, str>> {
        let open = self.pos;
        self.pos += 3;
        self.newline()?;
        let start = self.pos;
        let mut crlf = false;
        loop {
            match self.peek() {
                Some(b'\'') => {
                    let n = self.count(b'\'');
                    if n >= 3 {
                        let quotes = (n - 3).min(2);
                        let body = self.slice(start, self.pos + quotes);
                        self.pos += quotes + 3;
                        return Ok(if crlf {
                            Cow::Owned(body.replace("\r\n", "\n"))
                        } else {
                            Cow::Borrowed(body)
                        });
                    }
                    self.pos += n;
                }
                Some(b'\r') => {
                    self.newline()?;
                    crlf = true;
                }
                Some(b'\n') => self.pos += 1,
                None => {
                    return self.err(
                        open,
                        "text in triple single quotes (`'''`) is not closed before the end of the file; close it with `'''`",
                    )
                }
                Some(b) if !is_plain(b) => {
                    return self.err(
                        self.pos,
                        format!(
                            "a control character (U+{b:04X}) is not allowed in text; in double quotes it can be written as \\u{b:04X}"
                        ),
                    )
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Digits, with single underscores between them, of `radix`; returns how many digits.
    fn digits(&mut self, radix: u32, what: &str) -> Result<usize> {
        let mut count = 0;
        loop {
            match self.peek() {
                Some(b) if (b as char).is_digit(radix) => {
                    self.pos += 1;
                    count += 1;
                }
                Some(b'_') if count > 0 => {
                    let next = self.peek_at(1);
                    if !next.is_some_and(|b| (b as char).is_digit(radix)) {
                        return self.err(
                            self.pos,
                            format!("an underscore in {what} must be between two digits"),
                        );
                    }
                    self.pos += 1;
                }
                _ => return Ok(count),
            }
        }
    }

    /// Two digits from `min` to `max`: a part of a date or time.
    fn two_digits(&mut self, start: usize, min: u32, max: u32, what: &str) -> Result<u32> {
        let tens = self.peek().filter(u8::is_ascii_digit);
        let ones = self.peek_at(1).filter(u8::is_ascii_digit);
        let (Some(tens), Some(ones)) = (tens, ones) else {
            return self.err(
                self.pos,
                format!(
                    "expected two digits for the {what} in `{}`, found {}",
                    self.date_text(start),
                    self.found(self.pos)
                ),
            );
        };
        let n = u32::from(tens - b'0') * 10 + u32::from(ones - b'0');
        if n < min || n > max {
            return self.err(
                self.pos,
                format!(
                    "`{}` is not a valid date or time: the {what} must be from {min:02} to {max:02}",
                    self.date_text(start)
                ),
            );
        }
        self.pos += 2;
        Ok(n)
    }

    /// The date-like text at `start`, for messages.
    fn date_text(&self, start: usize) -> &'t str {
        let rest = self.bytes.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'.' | b'+'))
            .count();
        self.slice(start, start + len)
    }

    fn expect_byte(&mut self, start: usize, byte: u8, what: &str) -> Result<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            return Ok(());
        }
        self.err(
            self.pos,
            format!(
                "`{}` is not a valid date or time: expected `{}` {what}, found {}",
                self.date_text(start),
                byte as char,
                self.found(self.pos)
            ),
        )
    }

    /// `HH:MM:SS[.fraction]` (the hour is known to be two digits followed by `:`).
    fn time(&mut self, start: usize) -> Result<()> {
        self.two_digits(start, 0, 23, "hour")?;
        self.expect_byte(start, b':', "after the hour")?;
        self.two_digits(start, 0, 59, "minute")?;
        self.expect_byte(start, b':', "after the minutes")?;
        self.two_digits(start, 0, 60, "second")?;
        if self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        Ok(())
    }

    fn date_time(&mut self, start: usize) -> Result<Item<'t>> {
        let year = self
            .slice(start, start + 4)
            .bytes()
            .fold(0, |y, d| y * 10 + u32::from(d - b'0'));
        self.pos += 5;
        let month = self.two_digits(start, 1, 12, "month")?;
        self.expect_byte(start, b'-', "after the month")?;
        let day_at = self.pos;
        let day = self.two_digits(start, 1, 31, "day")?;
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            2 if leap => 29,
            m => (m as usize)
                .checked_sub(1)
                .and_then(|i| DAYS_IN_MONTH.get(i))
                .copied()
                .unwrap_or(31),
        };
        if day > days {
            return self.err(
                day_at,
                format!(
                    "`{}` is not a real date: that month has {days} days in {year:04}",
                    self.date_text(start)
                ),
            );
        }
        let delim = matches!(self.peek(), Some(b'T' | b't' | b' '));
        let hour = self.peek_at(1).is_some_and(|b| b.is_ascii_digit())
            && self.peek_at(2).is_some_and(|b| b.is_ascii_digit())
            && self.peek_at(3) == Some(b':');
        if delim && hour {
            self.pos += 1;
            self.time(start)?;
            match self.peek() {
                Some(b'Z' | b'z') => self.pos += 1,
                Some(b'+' | b'-') => {
                    self.pos += 1;
                    self.two_digits(start, 0, 23, "hour of the time zone offset")?;
                    self.expect_byte(start, b':', "in the time zone offset")?;
                    self.two_digits(start, 0, 59, "minutes of the time zone offset")?;
                }
                _ => {}
            }
        }
        Ok(Item::Datetime)
    }

    fn number_or_date(&mut self) -> Result<Item<'t>> {
        let start = self.pos;
        let bytes = self.bytes;
        let b = |i: usize| bytes.get(start + i).copied().unwrap_or(0);
        if (0..4).all(|i| b(i).is_ascii_digit()) && b(4) == b'-' {
            return self.date_time(start);
        }
        if b(0).is_ascii_digit() && b(1).is_ascii_digit() && b(2) == b':' {
            self.time(start)?;
            return Ok(Item::Datetime);
        }
        let signed = matches!(b(0), b'+' | b'-');
        if signed {
            self.pos += 1;
        }
        for special in [b"inf", b"nan"] {
            if self.starts_with(special) {
                self.pos += 3;
                return Ok(Item::Float);
            }
        }
        if !signed && b(0) == b'0' && matches!(b(1), b'x' | b'o' | b'b') {
            return self.prefixed_integer(start);
        }
        let int_start = self.pos;
        let int_digits = self.digits(10, "a number")?;
        if int_digits == 0 {
            return self.bad_word(start);
        }
        let int_end = self.pos;
        if b(int_start - start) == b'0' && int_digits > 1 {
            return self.err(
                start,
                format!(
                    "`{}`: a number may not start with 0; write it without leading zeros",
                    self.slice(start, int_end)
                ),
            );
        }
        let mut float = false;
        let mut frac = (int_end, int_end);
        if self.peek() == Some(b'.') {
            self.pos += 1;
            let at = self.pos;
            if self.digits(10, "a number")? == 0 {
                return self.err(
                    at,
                    format!(
                        "expected a digit after the decimal point in `{}`, like 0.5",
                        self.slice(start, at)
                    ),
                );
            }
            frac = (at, self.pos);
            float = true;
        }
        let mut exponent: i64 = 0;
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            let negative = match self.peek() {
                Some(b'-') => {
                    self.pos += 1;
                    true
                }
                Some(b'+') => {
                    self.pos += 1;
                    false
                }
                _ => false,
            };
            let at = self.pos;
            if self.digits(10, "a number")? == 0 {
                return self.err(
                    at,
                    format!(
                        "expected digits after the exponent `e` in `{}`, like 1e6",
                        self.slice(start, at)
                    ),
                );
            }
            exponent = self
                .slice(at, self.pos)
                .bytes()
                .filter(u8::is_ascii_digit)
                .fold(0i64, |e, d| {
                    e.saturating_mul(10).saturating_add(i64::from(d - b'0'))
                });
            if negative {
                exponent = -exponent;
            }
            float = true;
        }
        let text = self.slice(start, self.pos);
        if float {
            if b(0) != b'-' && self.float_overflows(int_start, int_end, frac, exponent) {
                return self.err(
                    start,
                    format!("`{text}` is too large for a floating point number"),
                );
            }
            return Ok(Item::Float);
        }
        let mut value: i64 = 0;
        for d in text.bytes().filter(u8::is_ascii_digit) {
            let d = i64::from(d - b'0');
            value = match value.checked_mul(10).and_then(|v| {
                if b(0) == b'-' {
                    v.checked_sub(d)
                } else {
                    v.checked_add(d)
                }
            }) {
                Some(v) => v,
                None if b(0) == b'-' => {
                    return self.err(
                        start,
                        format!(
                            "`{text}` is too small for a whole number (the smallest is {})",
                            i64::MIN
                        ),
                    )
                }
                None => {
                    return self.err(
                        start,
                        format!(
                            "`{text}` is too large for a whole number (the largest is {})",
                            i64::MAX
                        ),
                    )
                }
            };
        }
        Ok(Item::Integer(value))
    }

    /// Whether a float without a minus sign rounds to infinity as an IEEE double (toml_edit
    /// refuses those). `int` is the integer part, `frac` the fraction's digits.
    fn float_overflows(
        &self,
        int_start: usize,
        int_end: usize,
        frac: (usize, usize),
        exponent: i64,
    ) -> bool {
        let int = self.slice(int_start, int_end).bytes();
        let frac = self.slice(frac.0, frac.1).bytes();
        let int_len = self
            .slice(int_start, int_end)
            .bytes()
            .filter(u8::is_ascii_digit)
            .count();
        let digits: Vec<u8> = int.chain(frac).filter(u8::is_ascii_digit).collect();
        let Some(first) = digits.iter().position(|&d| d != b'0') else {
            return false;
        };
        // The value is 0.D × 10^magnitude with D = digits[first..] and D's first digit nonzero.
        let magnitude = exponent.saturating_add(int_len as i64 - first as i64);
        let limit = F64_OVERFLOW.len() as i64;
        if magnitude != limit {
            return magnitude > limit;
        }
        let significant = digits.get(first..).unwrap_or_default();
        let end = significant
            .iter()
            .rposition(|&d| d != b'0')
            .map_or(0, |p| p + 1);
        significant.get(..end).unwrap_or_default() >= F64_OVERFLOW.as_bytes()
    }

    fn prefixed_integer(&mut self, start: usize) -> Result<Item<'t>> {
        let (radix, name) = match self.peek_at(1) {
            Some(b'x') => (16, "a hexadecimal number"),
            Some(b'o') => (8, "an octal number"),
            _ => (2, "a binary number"),
        };
        self.pos += 2;
        let at = self.pos;
        if self.digits(radix, name)? == 0 {
            return self.err(
                at,
                format!(
                    "expected a digit of {name} after `{}`, found {}",
                    self.slice(start, at),
                    self.found(at)
                ),
            );
        }
        let text = self.slice(start, self.pos);
        let mut value: i64 = 0;
        for d in self
            .slice(at, self.pos)
            .chars()
            .filter_map(|c| c.to_digit(radix))
        {
            value = match value
                .checked_mul(i64::from(radix))
                .and_then(|v| v.checked_add(i64::from(d)))
            {
                Some(v) => v,
                None => {
                    return self.err(
                        start,
                        format!(
                            "`{text}` is too large for a whole number (the largest is {})",
                            i64::MAX
                        ),
                    )
                }
            };
        }
        Ok(Item::Integer(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::line_column;

    /// The line, column and message of the error for `text`.
    fn error(text: &str) -> (usize, usize, String) {
        let e = parse(text).expect_err(text);
        let (line, column) = line_column(text, e.offset);
        (line, column, e.message)
    }

    #[test]
    fn common_mistakes_are_named_where_they_are() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            (
                "rate 0.21",
                (1, 6),
                "expected `=` after the key `rate`, found `0`",
            ),
            (
                "[facility]\nkind = \"jail\"\n\n[facility]\n",
                (4, 1),
                "the table [facility] is defined twice (first at line 1)",
            ),
            (
                "name = \"County\nkind = 1",
                (1, 15),
                "text in quotes is not closed before the end of the line",
            ),
            (
                "name = \"a\u{7}b\"",
                (1, 10),
                "a control character (U+0007) is not allowed in text; write it as \\u0007",
            ),
            (
                "[[rate]]\nper_minute = \"0.1\"\nper_minute = \"0.2\"",
                (3, 1),
                "the key `per_minute` is given twice (first at line 2)",
            ),
            (
                "kind = jail",
                (1, 8),
                "`jail` is not a valid value; write text in quotes, like \"jail\"",
            ),
            ("n = 0640", (1, 5), "may not start with 0"),
            (
                "n = 1_",
                (1, 6),
                "an underscore in a number must be between two digits",
            ),
            (
                "n = 9223372036854775808",
                (1, 5),
                "too large for a whole number",
            ),
            (
                "n = -9223372036854775809",
                (1, 5),
                "too small for a whole number",
            ),
            ("d = 2025-02-29", (1, 13), "`2025-02-29` is not a real date"),
            ("d = 2025-13-01", (1, 10), "the month must be from 01 to 12"),
            (
                "d = 2025-01-01T25:00:00",
                (1, 16),
                "the hour must be from 00 to 23",
            ),
            ("a = [1, 2\n", (2, 1), "the list is not closed"),
            ("a = [1 2]", (1, 8), "expected `,` or `]`"),
            (
                "a = [1,,2]",
                (1, 8),
                "expected a value in the list, found `,`",
            ),
            ("a = { b = 1, }", (1, 14), "a trailing comma is not allowed"),
            (
                "a = { b = 1\nc = 2",
                (1, 12),
                "an inline table must be on one line",
            ),
            (
                "a = \"\\q\"",
                (1, 6),
                "`\\` followed by `q` is not a valid escape",
            ),
            ("a = \"\\uD800\"", (1, 6), "U+D800 is a surrogate"),
            ("a = \"\\u12\"", (1, 6), "needs 4 hexadecimal digits"),
            ("[a]\n[[a]]", (2, 1), "`a` is already a table (line 1)"),
            ("[[a]]\n[a]", (2, 1), "write [[a]] to add an entry"),
            (
                "a = 1\n[a.b]",
                (2, 2),
                "`a` is already a whole number (line 1)",
            ),
            (
                "a = { b = 1 }\na.c = 2",
                (2, 1),
                "an inline table is complete",
            ),
            (
                "# bell \u{7}",
                (1, 8),
                "a control character (U+0007) is not allowed in a comment",
            ),
            (
                "a = 1 2",
                (1, 7),
                "expected the end of the line after the value of `a`, found `2`",
            ),
            ("a = ", (1, 5), "the value of `a` is missing"),
            ("a =", (1, 4), "the file may be cut off"),
            (
                "[facility",
                (1, 10),
                "expected `]` to close the table header `[facility`",
            ),
            ("[a] x", (1, 5), "after the table header `[a]`"),
            (
                "<html>",
                (1, 1),
                "expected a key, a [table] header or a # comment, found `<`",
            ),
            ("a.b = 1\n[a]", (2, 1), "the table [a] is defined twice"),
            (
                "[a.b]\n[a]\nb.c = 1",
                (3, 1),
                "is already defined by a [header] (line 1)",
            ),
            ("a = 1\rb = 2", (1, 6), "carriage return"),
            (
                "s = \"\"\"abc",
                (1, 5),
                "not closed before the end of the file",
            ),
            ("f = 1e400", (1, 5), "too large for a floating point number"),
            ("f = 1.", (1, 7), "expected a digit after the decimal point"),
            (
                "h = 0x",
                (1, 7),
                "expected a digit of a hexadecimal number after `0x`",
            ),
        ];
        for &(text, at, want) in cases {
            let (line, column, message) = error(text);
            assert!(
                message.contains(want),
                "{text:?}: {message:?} lacks {want:?}"
            );
            assert_eq!((line, column), at, "{text:?}: {message}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("a = {}", "[".repeat(100_000));
        assert!(error(&deep).2.contains("nested too deeply"));
        let deep = format!("a = {}", "{ a = ".repeat(100_000));
        assert!(error(&deep).2.contains("nested too deeply"));
        let ok = format!("a = {}{}", "[".repeat(79), "]".repeat(79));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn tables_keep_file_order_spans_and_values() {
        let text =
            "top = 1\n[a.b]\nx = 'lit'\n[c]\n[a]\ny = \"\\u00e9\"\n[[r]]\nz = [1, 2]\n[[r]]\n";
        let doc = parse(text).unwrap();
        let root = doc.root();
        let keys: Vec<&str> = doc.entries(root).iter().map(|e| &*e.key).collect();
        // [a] defined after [c] moves `a` after `c`, as in toml_edit.
        assert_eq!(keys, ["top", "c", "a", "r"]);
        let a = doc.get(root, "a").unwrap();
        assert_eq!(doc.offset(&a.node), text.find("[a]\n").unwrap());
        let Item::Table(a) = a.node.item else {
            panic!()
        };
        let b = doc.get(a, "b").unwrap();
        assert_eq!(doc.offset(&b.node), text.find("[a.b]").unwrap());
        assert_eq!(doc.get(a, "y").unwrap().node.item, Item::String("é".into()));
        let Item::Table(b) = b.node.item else {
            panic!()
        };
        let x = doc.get(b, "x").unwrap();
        assert!(matches!(x.node.item, Item::String(Cow::Borrowed("lit"))));
        assert_eq!(x.key_span.start, text.find("x =").unwrap());
        let r = doc.get(root, "r").unwrap();
        let Item::ArrayOfTables(r) = r.node.item else {
            panic!()
        };
        let offsets: Vec<usize> = doc.array(r).iter().map(|n| doc.offset(n)).collect();
        assert_eq!(
            offsets,
            [text.find("[[r]]").unwrap(), text.rfind("[[r]]").unwrap()]
        );
    }

    #[test]
    fn floats_and_dates_are_kept_as_text() {
        let text = "f = 6.02e23\nd = 1979-05-27T07:32:00Z\nn = -0x1";
        assert!(parse(text).is_err());
        let text = "f = 6.02e23\nd = 1979-05-27T07:32:00Z\nh = 0xff";
        let doc = parse(text).unwrap();
        let f = &doc.get(doc.root(), "f").unwrap().node;
        assert_eq!(
            (&f.item, &text[f.span.start..f.span.end]),
            (&Item::Float, "6.02e23")
        );
        let d = &doc.get(doc.root(), "d").unwrap().node;
        assert_eq!(&text[d.span.start..d.span.end], "1979-05-27T07:32:00Z");
        assert_eq!(
            doc.get(doc.root(), "h").unwrap().node.item,
            Item::Integer(255)
        );
    }
}
