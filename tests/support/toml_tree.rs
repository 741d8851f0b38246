//! The trees the differential tests compare: a parsed document in a form both parsers can be
//! turned into, from the core's parser (`ours_*`) and from `toml_edit` (`theirs_*`). Shared by
//! `tests/toml_differential.rs` and the fuzz target `fuzz/fuzz_targets/toml_differential.rs`
//! (each includes this file with `#[path]`).

use callcap::toml_parse::{Document, Item, Node, TableId};

/// A parsed document in a form both parsers can be turned into.
#[derive(Debug, PartialEq)]
pub enum Tree {
    Str(String),
    Int(i64),
    /// A float or a date, as written.
    Float(String),
    Bool(bool),
    Datetime(String),
    /// A list: each element with its offset.
    List(Vec<(usize, Tree)>),
    Inline(Vec<Kv>),
    Table(Vec<Kv>),
    /// An array of tables: each table with its offset.
    Tables(Vec<(usize, Vec<Kv>)>),
}

/// A key, the offset of the key, the offset of its value (where errors point), the value.
#[derive(Debug, PartialEq)]
pub struct Kv {
    key: String,
    key_at: usize,
    at: usize,
    value: Tree,
}

fn span_text(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.and_then(|s| text.get(s)).unwrap_or("?").to_string()
}

fn theirs_value(text: &str, v: &toml_edit::Value) -> Tree {
    use toml_edit::Value;
    match v {
        Value::String(s) => Tree::Str(s.value().clone()),
        Value::Integer(i) => Tree::Int(*i.value()),
        Value::Float(_) => Tree::Float(span_text(text, v.span())),
        Value::Boolean(b) => Tree::Bool(*b.value()),
        Value::Datetime(_) => Tree::Datetime(span_text(text, v.span())),
        Value::Array(a) => Tree::List(
            a.iter()
                .map(|e| {
                    (
                        e.span().map_or(usize::MAX, |s| s.start),
                        theirs_value(text, e),
                    )
                })
                .collect(),
        ),
        Value::InlineTable(t) => Tree::Inline(
            t.iter()
                .map(|(k, e)| {
                    let key_at = t
                        .key(k)
                        .and_then(|k| k.span())
                        .map_or(usize::MAX, |s| s.start);
                    Kv {
                        key: k.to_string(),
                        key_at,
                        at: e.span().map_or(key_at, |s| s.start),
                        value: theirs_value(text, e),
                    }
                })
                .collect(),
        ),
    }
}

pub fn theirs_table(text: &str, t: &toml_edit::Table) -> Vec<Kv> {
    t.iter()
        .map(|(k, item)| {
            let key_at = t
                .key(k)
                .and_then(|k| k.span())
                .map_or(usize::MAX, |s| s.start);
            let value = match item {
                toml_edit::Item::Value(v) => theirs_value(text, v),
                toml_edit::Item::Table(t) => Tree::Table(theirs_table(text, t)),
                toml_edit::Item::ArrayOfTables(a) => Tree::Tables(
                    a.iter()
                        .map(|t| {
                            (
                                t.span().map_or(usize::MAX, |s| s.start),
                                theirs_table(text, t),
                            )
                        })
                        .collect(),
                ),
                toml_edit::Item::None => Tree::Str("<none>".into()),
            };
            Kv {
                key: k.to_string(),
                key_at,
                at: item.span().map_or(key_at, |s| s.start),
                value,
            }
        })
        .collect()
}

fn ours_node(text: &str, doc: &Document, node: &Node) -> Tree {
    let source = || {
        text.get(node.span.start..node.span.end)
            .unwrap_or("?")
            .to_string()
    };
    match &node.item {
        Item::String(s) => Tree::Str(s.to_string()),
        Item::Integer(i) => Tree::Int(*i),
        Item::Float => Tree::Float(source()),
        Item::Boolean(b) => Tree::Bool(*b),
        Item::Datetime => Tree::Datetime(source()),
        Item::Array(a) => Tree::List(
            doc.array(*a)
                .iter()
                .map(|n| (doc.offset(n), ours_node(text, doc, n)))
                .collect(),
        ),
        Item::InlineTable(t) => Tree::Inline(ours_table(text, doc, *t)),
        Item::Table(t) => Tree::Table(ours_table(text, doc, *t)),
        Item::ArrayOfTables(a) => Tree::Tables(
            doc.array(*a)
                .iter()
                .map(|n| match n.item {
                    Item::Table(t) => (doc.offset(n), ours_table(text, doc, t)),
                    _ => (usize::MAX, Vec::new()),
                })
                .collect(),
        ),
    }
}

pub fn ours_table(text: &str, doc: &Document, t: TableId) -> Vec<Kv> {
    doc.entries(t)
        .iter()
        .map(|e| Kv {
            key: e.key.to_string(),
            key_at: e.key_span.start,
            at: doc.offset(&e.node),
            value: ours_node(text, doc, &e.node),
        })
        .collect()
}
