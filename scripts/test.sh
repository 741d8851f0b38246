#!/usr/bin/env bash
# Runs every test: formatting, lints, the Rust unit, integration, data-driven and CLI snapshot
# tests, then the browser calculator's tests (scripts/test-web.sh: the wasm binding's tests, the
# TypeScript unit tests, and end-to-end tests in Debian's Chromium, installing what is missing).
# Between them, the Python binding's tests (scripts/test-python.sh: a venv in target/py-venv,
# maturin, pytest, a local two-worker Dask cluster).
# The README's test command; .ci/run calls it on a clean checkout.
# CALLCAP_SKIP_PYTHON=1 skips the Python tests, CALLCAP_SKIP_WEB=1 the web tests (for a quick
# Rust-only run, set both). After the Rust tests, benches/peers/agree.sh checks DuckDB's audit of
# 100,000 generated calls against callcap's, to the cent (it installs DuckDB from PyPI into
# target/peers-venv; CALLCAP_SKIP_PEERS=1 skips it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '== %s\n' "$*" >&2; }

if ! command -v cargo >/dev/null 2>&1; then
  echo "callcap tests need Rust (cargo). Install it with rustup: https://rustup.rs" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    say "installing the $component component"
    rustup component add "$component" || {
      echo "missing the $component component and could not install it: run \`rustup component add $component\`" >&2
      exit 1
    }
  fi
done

say "cargo fmt --check"
cargo fmt --all -- --check
say "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --all-features -- -D warnings
say "cargo test"
CI=${CI:-1} cargo test --workspace
# The page's spreadsheet modules' tests (web/wasm/src/sheets.rs), CSV's and XLSX's.
CI=${CI:-1} cargo test -p callcap-wasm --features sheets --lib sheets
CI=${CI:-1} cargo test -p callcap-wasm --features xlsx --lib sheets
if [ "${CALLCAP_SKIP_PEERS:-0}" != 1 ]; then
  # About 40 s with the pip cache warm (a fresh venv; 10 s once target/peers-venv exists).
  say "DuckDB agrees with callcap audit to the cent (benches/peers/agree.sh, 100,000 calls)"
  ./benches/peers/agree.sh 100000
else
  say "peer agreement skipped (CALLCAP_SKIP_PEERS=1)"
fi
say "cargo doc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps -p callcap --document-private-items --quiet
say "cargo package (the crate builds from what it ships)"
# The tests, benches and test-only examples are not shipped: cargo's "ignoring ..." warnings
# about them are expected and left out of the log.
if ! package_log=$(cargo package -p callcap --allow-dirty 2>&1); then
  printf '%s\n' "$package_log" >&2
  echo "cargo package failed" >&2
  exit 1
fi
printf '%s\n' "$package_log" | grep -v '^warning: ignoring' | tail -n 3 >&2
if [ "${CALLCAP_SKIP_PYTHON:-0}" != 1 ]; then
  say "python tests (scripts/test-python.sh)"
  ./scripts/test-python.sh
else
  say "python tests skipped (CALLCAP_SKIP_PYTHON=1)"
fi
if [ "${CALLCAP_SKIP_WEB:-0}" != 1 ]; then
  say "web tests (scripts/test-web.sh)"
  ./scripts/test-web.sh
else
  say "web tests skipped (CALLCAP_SKIP_WEB=1)"
fi
say "all tests passed"
