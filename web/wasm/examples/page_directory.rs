//! Writes the facility directory in the page's compact form (`src/directory.rs`) to stdout:
//! `cargo run -p callcap-wasm --example page_directory > web/pkg-page/directory.txt`
//! (`scripts/build-wasm.sh` does it).
fn main() {
    print!(
        "{}",
        callcap_wasm::directory::write(&callcap_wasm::directory::from_repository())
    );
}
