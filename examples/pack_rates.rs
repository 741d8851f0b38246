//! Regenerates `rates/bundled.pack`: the bundled rate book (`rates/*.toml`), read, validated
//! and packed, so that the library and the page unpack it instead of reading the TOML; and
//! `rates/bundled-page.pack`, the page's copy, without the state rules' notes.
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
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rates/");
    let packs = [
        ("bundled.pack", callcap::RateBook::bundled_pack_from_toml()),
        // The page's: the same book without the state rules' notes (src/ratebook/load.rs).
        (
            "bundled-page.pack",
            callcap::RateBook::bundled_page_pack_from_toml(),
        ),
    ];
    for (name, pack) in packs {
        let pack = match pack {
            Ok(pack) => pack,
            Err(e) => {
                eprintln!("pack_rates: the rate book does not load: {e}");
                return ExitCode::from(2);
            }
        };
        let path = format!("{dir}{name}");
        let old = std::fs::read(&path).unwrap_or_default();
        if old == pack {
            println!("rates/{name} is current ({} bytes)", pack.len());
            continue;
        }
        if let Err(e) = std::fs::write(&path, &pack) {
            eprintln!("pack_rates: cannot write {path}: {e}");
            return ExitCode::FAILURE;
        }
        println!(
            "wrote rates/{name} ({} bytes, was {}); rebuild to use it",
            pack.len(),
            old.len()
        );
    }
    ExitCode::SUCCESS
}
