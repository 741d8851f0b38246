//! The core's modules depend on each other one way only, from the data up to the reports:
//! errors → dates and vocabularies → money, calls, facilities → the TOML reader and the facility
//! directory → the pack → tariffs → the rate book and spreadsheets → costs → checks → estimates,
//! demand and audits →
//! comparisons and sizing → reports → the command line. A module may use only modules of lower layers; this test reads the
//! sources (comments and unit tests left out) and fails on an arrow that points up or sideways.

#[path = "support/files.rs"]
mod support;
use std::path::Path;

/// Each module and its layer (0 is the bottom).
const LAYERS: &[(&str, u32)] = &[
    ("error", 0),
    ("dated", 1),
    ("vocab", 1),
    ("money", 2),
    ("call", 2),
    ("facility", 2),
    ("toml_reader", 3),
    ("directory", 3),
    ("pack", 4),
    ("tariff", 5),
    ("ratebook", 6),
    // spreadsheets into tariffs: beside the rate book, above the tariffs it builds
    ("sheet", 6),
    ("cost", 7),
    ("check", 8),
    ("estimate", 9),
    ("audit", 9),
    ("demand", 9),
    ("compare", 10),
    ("sizing", 10),
    ("report", 11),
    ("cli", 12),
];

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The code of a file: no comments, no `#[cfg(test)] mod tests`.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names with `crate::NAME` (and `super::super::NAME` is not used).
fn uses(code: &str) -> Vec<String> {
    let mut out: Vec<String> = code
        .match_indices("crate::")
        .map(|(i, m)| {
            code[i + m.len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect()
        })
        .filter(|m: &String| !m.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_arrow_between_modules_points_down() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let paths = support::with_extension(&src, "rs");
    let mut wrong = Vec::new();
    let mut seen = 0;
    for path in paths {
        let rel = path.strip_prefix(&src).expect("under src/");
        let module = rel
            .iter()
            .next()
            .and_then(|c| c.to_str())
            .map(|c| c.trim_end_matches(".rs").to_string())
            .expect("a module");
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(own) = layer(&module) else {
            panic!(
                "src/{}: module `{module}` has no layer in tests/layers.rs",
                rel.display()
            );
        };
        seen += 1;
        let text = std::fs::read_to_string(&path).expect("read");
        for used in uses(&code(&text)) {
            if used == module {
                continue;
            }
            match layer(&used) {
                Some(l) if l < own => {}
                _ => wrong.push(format!("src/{} ({module}) uses {used}", rel.display())),
            }
        }
    }
    assert!(seen >= LAYERS.len(), "every module was read");
    assert!(
        wrong.is_empty(),
        "arrows that point up or sideways:\n{}",
        wrong.join("\n")
    );
}
