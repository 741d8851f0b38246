//! Writes the facility directory (`rates/facilities/directory.csv`) from HIFLD's Prison
//! Boundaries CSV, applying the mapping of `callcap::directory` (kind, operator, status) to
//! every row. See `rates/facilities/README.md`.
//!
//! ```text
//! cargo run --example build_directory --features directory -- \
//!     ../shared/data/hifld/prison_boundaries.csv rates/facilities/directory.csv --edition 2026-12-01
//! ```
//!
//! A row it cannot read is an error naming the line, the column and what would be valid; the
//! file is written only when every row is read, and once the library's reader reads it back.
//! (The conversion is `callcap::directory::directory_from_hifld`; a test holds the committed
//! file to it.)

use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("build_directory: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<String, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (source, out, edition) = match args.as_slice() {
        [s, o, flag, e] if flag == "--edition" => (s, o, e),
        _ => return Err("usage: build_directory SOURCE.csv OUT.csv --edition YYYY-MM-DD".into()),
    };
    let bytes = std::fs::read(source).map_err(|e| format!("{source}: cannot read: {e}"))?;
    let text = std::str::from_utf8(&bytes).map_err(|e| format!("{source}: not UTF-8: {e}"))?;
    let written = callcap::directory::directory_from_hifld(source, text, edition)?;
    std::fs::write(out, &written).map_err(|e| format!("{out}: cannot write: {e}"))?;
    Ok(format!(
        "wrote {out}: {} facilities, {} bytes, edition {edition}",
        written.lines().count().saturating_sub(2),
        written.len()
    ))
}
