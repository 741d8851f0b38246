// size: this lint exists because the page is built with -Zfmt-debug=none (see src/error.rs, quoted).
//! The library's messages never use Debug formatting (`{:?}`).
//!
//! The page's WebAssembly module is built with `-Zfmt-debug=none` (scripts/build-wasm.sh), under
//! which `{:?}` prints nothing: a message like `{value:?} is in quotes` would lose its value in
//! the browser and nowhere else. Messages quote with `callcap::error::quoted`. This test reads
//! the library's sources (the command line, `src/cli/` and `src/main.rs`, is not in the
//! browser build) and refuses `{:?}` outside unit tests.

#[path = "support/files.rs"]
mod support;
use std::path::Path;

/// The library's sources: every `.rs` file below `dir` but the command line's (`cli/`,
/// `main.rs`), which is not in the browser build.
fn library_sources(dir: &Path) -> Vec<std::path::PathBuf> {
    support::with_extension(dir, "rs")
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(dir).unwrap_or(p);
            !rel.starts_with("cli") && rel != Path::new("main.rs")
        })
        .collect()
}

/// Whether a line of Rust formats something with Debug: `{:?}`, `{x:?}`, `{:#?}`, `{x:>8?}`...
fn debug_format(line: &str) -> bool {
    line.match_indices('{').any(|(i, _)| {
        let rest = &line[i + 1..];
        let spec = rest.split('}').next().unwrap_or("");
        spec.len() < rest.len() && spec.contains(':') && spec.ends_with('?')
    })
}

#[test]
fn debug_format_spots_every_form() {
    for yes in ["{:?}", "x {v:?} y", "{:#?}", "{name:>8?}", "{0:?}"] {
        assert!(debug_format(yes), "{yes}");
    }
    for no in ["{}", "{v}", "{:>8}", "{{:?}}x", "what?", "{v} ok?"] {
        assert!(!debug_format(no) || no.starts_with("{{"), "{no}");
    }
}

#[test]
fn library_messages_do_not_use_debug_formatting() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = library_sources(&root.join("src"));
    files.extend(library_sources(&root.join("web/wasm/src")));
    assert!(files.len() > 10, "found the sources: {files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a source file");
        // Unit tests (the module at the bottom of a file) may use Debug freely.
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("//") && debug_format(line) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, trimmed));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Debug formatting prints nothing in the page's build; quote with callcap::error::quoted:\n{}",
        found.join("\n")
    );
}
