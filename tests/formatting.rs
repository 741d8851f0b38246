// size: this lint exists because the page is built with -Zfmt-debug=none (see src/error.rs, quoted).
//! The library's messages never use Debug formatting (`{:?}`).
//!
//! The page's WebAssembly module is built with `-Zfmt-debug=none` (scripts/build-wasm.sh), under
//! which `{:?}` prints nothing: a message like `{value:?} is in quotes` would lose its value in
//! the browser and nowhere else. Messages quote with `callcap::error::quoted`. This test reads
//! the library's sources (the command line, `src/cli/` and `src/main.rs`, is not in the
//! browser build) and refuses `{:?}` outside unit tests.

use std::path::Path;

fn library_sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "cli") {
                library_sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "main.rs")
        {
            out.push(path);
        }
    }
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
    let mut files = Vec::new();
    library_sources(&root.join("src"), &mut files);
    library_sources(&root.join("web/wasm/src"), &mut files);
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
