//! WebAssembly binding of `callcap` for the browser calculator.
//!
//! Thin by design: each exported function converts its arguments in, calls the core and
//! converts the result out; all logic lives in the `callcap` crate. For now it exports only
//! [`version`], which proves the build route (`scripts/build-wasm.sh`) end to end.
#![deny(missing_docs)]

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of this binding crate, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
