//! Reading TOML files without serde: typed accessors over the parsed document
//! ([`crate::toml_parse`]).
//!
//! The loaders (tariffs, demand files, the rate book) walk the parsed tables with these
//! accessors. Reading is strict: every table lists the keys it accepts and an unknown key is an
//! error naming it and the valid ones; decimals and dates must be quoted strings; whole numbers
//! are bounded. Every error is a [`crate::Error`] at the byte offset of the offending key or
//! value, so it names the file, line, column and key.

use crate::error::{Error, Result};
use crate::toml_parse::{self, Document, Item, Node, TableId};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A closed vocabulary read from a word in quotes (`service = "audio"`).
pub(crate) trait Word: Copy + 'static {
    /// Every value, in the order messages list them.
    fn all() -> &'static [Self];
    /// The word used in files.
    fn word(self) -> &'static str;
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`": the valid words, as messages list them.
pub(crate) fn expected_words<'w>(words: impl IntoIterator<Item = &'w str>) -> String {
    let words: Vec<String> = words.into_iter().map(|w| format!("`{w}`")).collect();
    match words.len() {
        0 => "no keys".into(),
        1 => words[0].clone(),
        2 => format!("{} or {}", words[0], words[1]),
        _ => format!("one of {}", words.join(", ")),
    }
}

/// A parsed file: its name, its text and the document.
pub(crate) struct Doc<'t> {
    file: &'t str,
    text: &'t str,
    doc: Document<'t>,
}

impl<'t> Doc<'t> {
    /// Parses `text` (read from `file`); a syntax error names its line and key.
    pub(crate) fn parse(file: &'t str, text: &'t str) -> Result<Doc<'t>> {
        let doc = toml_parse::parse(text).map_err(|e| Error::syntax(file, text, &e))?;
        Ok(Doc { file, text, doc })
    }

    /// The top-level table.
    pub(crate) fn root(&self) -> Table<'_> {
        Table {
            cx: Cx {
                file: self.file,
                text: self.text,
                doc: &self.doc,
            },
            t: self.doc.root(),
            at: 0,
        }
    }
}

#[derive(Clone, Copy)]
struct Cx<'a> {
    file: &'a str,
    text: &'a str,
    doc: &'a Document<'a>,
}

impl Cx<'_> {
    fn err(&self, at: usize, message: impl Into<String>) -> Error {
        Error::at(self.file, self.text, at, message)
    }
}

/// A table (`[facility]`, one `[[rate]]`, an inline table), with the offset of its header.
#[derive(Clone, Copy)]
pub(crate) struct Table<'a> {
    cx: Cx<'a>,
    t: TableId,
    /// The offset of its header (or of the key or value that holds it).
    pub at: usize,
}

/// One value, with the offset it is at.
#[derive(Clone, Copy)]
pub(crate) struct Field<'a> {
    cx: Cx<'a>,
    node: &'a Node<'a>,
    /// The offset of the value.
    pub at: usize,
}

impl<'a> Table<'a> {
    /// An error at this table's header.
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        self.cx.err(self.at, message)
    }

    /// Refuses any key not in `valid`, naming it and the valid keys.
    pub(crate) fn keys(&self, valid: &[&str]) -> Result<()> {
        for e in self.cx.doc.entries(self.t) {
            let k: &str = &e.key;
            if !valid.contains(&k) {
                return Err(self.cx.err(
                    e.key_span.start,
                    format!(
                        "unknown field `{k}`, expected {}",
                        expected_words(valid.iter().copied())
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The value of `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<Field<'a>> {
        let doc = self.cx.doc;
        let entry = doc.get(self.t, key)?;
        Some(Field {
            cx: self.cx,
            node: &entry.node,
            at: doc.offset(&entry.node),
        })
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

    /// Every entry of this table as (key, value), for maps keyed by an id (`[sources.ID]`).
    pub(crate) fn entries(&self) -> Vec<(&'a str, Field<'a>)> {
        let doc = self.cx.doc;
        doc.entries(self.t)
            .iter()
            .map(|e| {
                let field = Field {
                    cx: self.cx,
                    node: &e.node,
                    at: doc.offset(&e.node),
                };
                (e.key.as_ref(), field)
            })
            .collect()
    }

    /// A table of tables keyed by the day they take effect (`[periods.2021-10-26]`), each
    /// read by `read`. An impossible date is an error naming the key.
    pub(crate) fn dated<T>(
        &self,
        mut read: impl FnMut(Table<'a>) -> Result<T>,
    ) -> Result<BTreeMap<NaiveDate, T>> {
        let doc = self.cx.doc;
        let mut out = BTreeMap::new();
        for e in doc.entries(self.t) {
            let at = e.key_span.start;
            let date = crate::dated::parse_date(&e.key).map_err(|m| self.cx.err(at, m))?;
            let field = Field {
                cx: self.cx,
                node: &e.node,
                at: doc.offset(&e.node),
            };
            let value = read(field.table()?)?;
            if out.insert(date, value).is_some() {
                return Err(self.cx.err(at, format!("the date {date} is given twice")));
            }
        }
        Ok(out)
    }
}

impl<'a> Field<'a> {
    /// An error at this value.
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        self.cx.err(self.at, message)
    }

    fn item(&self) -> &'a Item<'a> {
        &self.node.item
    }

    /// The value as written in the file (for messages).
    fn source(&self) -> &'a str {
        let span = self.node.span;
        self.cx.text.get(span.start..span.end).unwrap_or("").trim()
    }

    /// What the value is, for a message: `floating point `0.1``, `a list`.
    fn found(&self) -> String {
        match self.item() {
            Item::String(s) => format!("string {}", crate::error::quoted(s)),
            Item::Integer(_) => format!("integer `{}`", self.source()),
            Item::Float => format!("floating point `{}`", self.source()),
            Item::Boolean(_) => format!("boolean `{}`", self.source()),
            Item::Datetime => format!("bare TOML date `{}`", self.source()),
            Item::Array(_) | Item::ArrayOfTables(_) => "list".into(),
            Item::InlineTable(_) | Item::Table(_) => "table".into(),
        }
    }

    /// The text, if the value is text in quotes.
    fn text(&self) -> Option<&'a str> {
        match self.item() {
            Item::String(s) => Some(s.as_ref()),
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
        match self.item() {
            Item::String(s) => crate::dated::parse_date(s).map_err(|m| self.err(m)),
            Item::Datetime => Err(self.err(format!(
                "`{}` is a bare TOML date; write it in quotes, like \"2026-04-06\"",
                self.source()
            ))),
            _ => Err(self.wrong("a date in quotes, like \"2026-04-06\"")),
        }
    }

    /// A whole number without quotes.
    pub(crate) fn int(self) -> Result<i64> {
        match self.item() {
            Item::Integer(n) => Ok(*n),
            Item::Float => Err(self.err(format!(
                "`{}` is not a whole number; write a whole number, like 640",
                self.source()
            ))),
            Item::String(s) => Err(self.err(format!(
                "{} is in quotes; write a whole number without quotes, like 640",
                crate::error::quoted(s)
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
        match self.item() {
            Item::Boolean(b) => Ok(*b),
            _ => Err(self.wrong("true or false")),
        }
    }

    /// One word of a vocabulary, in quotes.
    pub(crate) fn word<T: Word>(self) -> Result<T> {
        let words = || expected_words(T::all().iter().map(|w| w.word()));
        let text = self
            .text()
            .ok_or_else(|| self.wrong(&format!("{} in quotes", words())))?;
        T::all()
            .iter()
            .copied()
            .find(|w| w.word() == text)
            .ok_or_else(|| self.err(format!("unknown variant `{text}`, expected {}", words())))
    }

    fn list(&self) -> Result<impl Iterator<Item = Field<'a>> + 'a> {
        let cx = self.cx;
        let Item::Array(array) = self.item() else {
            return Err(self.wrong("a list, like [\"a\", \"b\"]"));
        };
        Ok(cx.doc.array(*array).iter().map(move |node| Field {
            cx,
            node,
            at: node.span.start,
        }))
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
        match self.item() {
            Item::Table(t) | Item::InlineTable(t) => Ok(Table {
                cx: self.cx,
                t: *t,
                at: self.at,
            }),
            _ => Err(self.wrong("a table")),
        }
    }

    /// A list of tables (`[[rate]]`, or `key = [{ ... }]`).
    pub(crate) fn tables(self) -> Result<Vec<Table<'a>>> {
        let cx = self.cx;
        match self.item() {
            Item::ArrayOfTables(a) => Ok(cx
                .doc
                .array(*a)
                .iter()
                .filter_map(|node| match node.item {
                    Item::Table(t) => Some(Table {
                        cx,
                        t,
                        at: cx.doc.offset(node),
                    }),
                    _ => None,
                })
                .collect()),
            Item::Array(a) => cx
                .doc
                .array(*a)
                .iter()
                .map(|node| {
                    let at = node.span.start;
                    match node.item {
                        Item::InlineTable(t) => Ok(Table { cx, t, at }),
                        _ => Err(cx.err(
                            at,
                            "expected a table: write each entry as a [[table]] with double brackets, or { key = ... }",
                        )),
                    }
                })
                .collect(),
            _ => Err(self.err(
                "expected a list: write each entry as a [[table]] with double brackets, or key = [ ... ]",
            )),
        }
    }
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
        assert!(read("[periods]\n2021-10-26 = 1\n2021-10-26 = 2\n", dated).is_err());
        let e = read("[periods.2021-02-30]\nx = 1\n", dated).unwrap_err();
        assert!(
            e.starts_with("t.toml:1:10: [periods.2021-02-30]: `2021-02-30` is not a real date"),
            "{e}"
        );
        let e = read(
            "[periods.\"2021-10-26\"]\nx = 1\n[periods.\" 2021-10-26\"]\nx = 2\n",
            dated,
        )
        .unwrap_err();
        assert!(e.contains("given twice"), "{e}");
        let ok = read(
            "[periods.2021-10-26]\nx = 1\n[periods.2020-01-01]\nx = 2\n",
            dated,
        )
        .unwrap();
        assert_eq!(ok.values().copied().collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn unknown_keys_are_named_with_the_valid_ones() {
        let e = read("[t]\na = 1\nb = 2\n", |t| {
            t.req("t", |f| f.table()?.keys(&["a", "c", "d"]))
        })
        .unwrap_err();
        assert_eq!(
            e,
            "t.toml:3:1: [t] b: unknown field `b`, expected one of `a`, `c`, `d`"
        );
        let e = read("[t]\n", |t| t.req("t", |f| f.table()?.req("a", Field::int))).unwrap_err();
        assert_eq!(e, "t.toml:1:1: [t]: missing field `a`");
    }

    #[test]
    fn words_whole_numbers_and_lists() {
        use crate::call::Service;
        let e = read("s = \"radio\"", |t| t.req("s", Field::word::<Service>)).unwrap_err();
        assert!(
            e.ends_with("unknown variant `radio`, expected `audio` or `video`"),
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
        let e = read("[r]\na = 1\n", |t| t.tables("r").map(|v| v.len())).unwrap_err();
        assert!(e.contains("[r]: expected a list"), "{e}");
        let n = read("r = [{ a = 1 }, { a = 2 }]", |t| {
            t.tables("r").map(|v| v.len())
        });
        assert_eq!(n, Ok(2));
        let e = read("b = \"yes\"", |t| t.req("b", Field::bool)).unwrap_err();
        assert!(e.contains("expected true or false"), "{e}");
    }
}
