//! Regenerates `rates/bundled.pack`: the bundled rate book (`rates/*.toml`), read, validated
//! and packed, so that the library and the page unpack it instead of reading the TOML.
//!
//! ```text
//! cargo run --example pack_rates --features pack-writer
//! ```
//!
//! Run it after any change to `rates/*.toml` or to the rate book's types, and commit the pack
//! with the change: the test `bundled_pack_is_current` fails until then, and the WebAssembly
//! build refuses to compile.

use std::process::ExitCode;

fn main() -> ExitCode {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rates/bundled.pack");
    let pack = match callcap::RateBook::bundled_pack_from_toml() {
        Ok(pack) => pack,
        Err(e) => {
            eprintln!("pack_rates: the rate book does not load: {e}");
            return ExitCode::from(2);
        }
    };
    let old = std::fs::read(path).unwrap_or_default();
    if old == pack {
        println!("rates/bundled.pack is current ({} bytes)", pack.len());
        return ExitCode::SUCCESS;
    }
    if let Err(e) = std::fs::write(path, &pack) {
        eprintln!("pack_rates: cannot write {path}: {e}");
        return ExitCode::FAILURE;
    }
    println!(
        "wrote rates/bundled.pack ({} bytes, was {}); rebuild to use it",
        pack.len(),
        old.len()
    );
    ExitCode::SUCCESS
}
