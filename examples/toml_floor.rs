//! The floor for `callcap check`: read and parse the same files with the `toml` crate (into a
//! `toml::Table`), on every core, and nothing else. With `--document`, a stricter floor: parse
//! into the crate's span-keeping document only (`toml::de::DeTable`, what the core itself
//! parses into before its strict reader reads it), no values built.
//!
//! ```text
//! cargo run --release --example toml_floor -- target/scale/100k
//! cargo run --release --example toml_floor -- --document target/scale/100k
//! ```
//!
//! It takes files and directories like `callcap check` (every `.toml` file under a directory,
//! sorted), reads each file, parses it (into a `toml::Table`, or with `--document` a
//! `toml::de::DeTable`) on as many threads as there are cores, and prints how many files parsed. A bulk check cannot cost less than this: it must read and
//! parse every file too. `scripts/scale.sh` times both and reports the ratio.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let document = args.iter().any(|a| a == "--document");
    args.retain(|a| a != "--document");
    if args.is_empty() || args.iter().any(|a| a == "--help" || a == "-h") {
        eprintln!(
            "toml_floor [--document] FILE|DIR...: parse every .toml file with the toml crate into a toml::Table (or, with --document, its DeTable document only) on every core"
        );
        std::process::exit(if args.is_empty() { 2 } else { 0 });
    }
    let mut files = Vec::new();
    for a in &args {
        let p = PathBuf::from(a);
        if p.is_dir() {
            let mut found = Vec::new();
            walk(&p, &mut found).unwrap_or_else(|e| panic!("{a}: {e}"));
            found.sort();
            files.extend(found);
        } else {
            files.push(p);
        }
    }
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = AtomicUsize::new(0);
    let parsed = AtomicUsize::new(0);
    let failed = AtomicUsize::new(0);
    let keys = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let text = match std::fs::read_to_string(path) {
                    Ok(t) => t,
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                };
                let table = if document {
                    toml::de::DeTable::parse(text.as_str())
                        .map(|d| d.get_ref().len())
                        .map_err(|_| ())
                } else {
                    toml::from_str::<toml::Table>(&text)
                        .map(|t| t.len())
                        .map_err(|_| ())
                };
                match table {
                    Ok(n) => {
                        // Use the result, so that nothing can be optimized away.
                        keys.fetch_add(n, Ordering::Relaxed);
                        parsed.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    println!(
        "parsed {} files ({} failed, {} top-level keys) on {workers} threads",
        parsed.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed),
        keys.load(Ordering::Relaxed)
    );
}
