#!/usr/bin/env bash
# The README's run command: builds the browser calculator (the core compiled to WebAssembly, and
# the page) and serves it on 127.0.0.1 (scripts/serve.sh; --port N to change the port).
#   scripts/run.sh --build-only   build only, writing the static site to dist/ (any static host,
#                                 any sub-path; see web/README.md, "A static site")
# For the command-line tool on the bundled examples instead: scripts/run.sh --cli
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [ "${1:-}" != --cli ]; then
  exec ./scripts/serve.sh "$@"
fi
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
