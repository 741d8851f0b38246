#!/usr/bin/env bash
# Builds callcap and runs it on the bundled examples: the rules in force today for a small jail,
# then a check of every example tariff and bid. (The browser calculator arrives with its own
# issue; until then this is the README's run command.)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if ! command -v cargo >/dev/null 2>&1; then
  echo "callcap needs Rust (cargo). Install it with rustup: https://rustup.rs" >&2
  exit 1
fi
cargo build --release --quiet
BIN=target/release/callcap
echo "\$ callcap caps --facility jail --adp 75 --format table"
"$BIN" caps --facility jail --adp 75 --format table
echo
echo "\$ callcap check rates/examples/ --format table"
"$BIN" check rates/examples/ --format table || true   # exit 1: some examples violate, on purpose
