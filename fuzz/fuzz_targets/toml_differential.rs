//! Any bytes as TOML text: the core's parser (`callcap::toml_parse`) never panics, and it
//! accepts exactly what `toml_edit` 0.22 accepts, with the same tree (keys in the same order,
//! the same values, the same offsets of keys, values and tables). A refusal has a message and
//! an offset inside the text.

#![no_main]

use callcap::toml_parse;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/toml_tree.rs"]
mod toml_tree;
use toml_tree::{ours_table, theirs_table};

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
