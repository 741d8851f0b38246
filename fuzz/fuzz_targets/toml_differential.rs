//! Any bytes as TOML text: the core's parser (`callcap::toml_parse`) never panics, and it
//! accepts exactly what `toml_edit` 0.22 accepts, with the same tree (keys in the same order,
//! the same values, the same offsets of keys, values and tables). A refusal has a message and
//! an offset inside the text.

#![no_main]

use callcap::toml_parse::{self, Document, Item, Node, TableId};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, PartialEq)]
enum Tree {
    Str(String),
    Int(i64),
    Float(String),
    Bool(bool),
    Datetime(String),
    List(Vec<(usize, Tree)>),
    Inline(Vec<Kv>),
    Table(Vec<Kv>),
    Tables(Vec<(usize, Vec<Kv>)>),
}

#[derive(Debug, PartialEq)]
struct Kv {
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
                .map(|e| (e.span().map_or(usize::MAX, |s| s.start), theirs_value(text, e)))
                .collect(),
        ),
        Value::InlineTable(t) => Tree::Inline(
            t.iter()
                .map(|(k, e)| {
                    let key_at = t.key(k).and_then(|k| k.span()).map_or(usize::MAX, |s| s.start);
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

fn theirs_table(text: &str, t: &toml_edit::Table) -> Vec<Kv> {
    t.iter()
        .map(|(k, item)| {
            let key_at = t.key(k).and_then(|k| k.span()).map_or(usize::MAX, |s| s.start);
            let value = match item {
                toml_edit::Item::Value(v) => theirs_value(text, v),
                toml_edit::Item::Table(t) => Tree::Table(theirs_table(text, t)),
                toml_edit::Item::ArrayOfTables(a) => Tree::Tables(
                    a.iter()
                        .map(|t| (t.span().map_or(usize::MAX, |s| s.start), theirs_table(text, t)))
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
    let source = || text.get(node.span.start..node.span.end).unwrap_or("?").to_string();
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

fn ours_table(text: &str, doc: &Document, t: TableId) -> Vec<Kv> {
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

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = toml_parse::parse(text);
    let theirs = toml_edit::ImDocument::parse(text);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            let a = ours_table(text, &a, a.root());
            let b = theirs_table(text, b.as_table());
            assert!(a == b, "different trees for {text:?}\nours: {a:?}\ntoml_edit: {b:?}");
        }
        (Err(e), Err(_)) => {
            assert!(!e.message.trim().is_empty(), "an empty message for {text:?}");
            assert!(e.offset <= text.len(), "offset past the end: {e:?}");
        }
        (Ok(_), Err(e)) => panic!("we accept what toml_edit refuses: {text:?}\ntoml_edit: {e}"),
        (Err(e), Ok(_)) => panic!("we refuse what toml_edit accepts: {text:?}\nours: {e:?}"),
    }
});
