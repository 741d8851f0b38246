#!/usr/bin/env bash
# The README's run command: builds the command-line tool (target/release/callcap, and says so)
# and the browser calculator (the core compiled to WebAssembly, and the page), and serves the
# page on 127.0.0.1 (scripts/serve.sh; --port N to change the port).
#   scripts/run.sh --build-only   build only, writing the static site to dist/ (any static host,
#                                 any sub-path; see web/README.md, "A static site")
# For the command-line tool on the bundled examples instead: scripts/run.sh --cli
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if ! command -v cargo >/dev/null 2>&1; then
  echo "callcap needs Rust (cargo). Install it with rustup: https://rustup.rs" >&2
  exit 1
fi
case " $* " in *" -h "*|*" --help "*) exec ./scripts/serve.sh --help ;; esac
echo "run: building the command-line tool: cargo build --release --bin callcap" >&2
cargo build --release --quiet --bin callcap
BIN=target/release/callcap
echo "run: the command-line tool is $ROOT/$BIN (try \`$BIN --help\`; or install it on your PATH with \`cargo install --path .\`)" >&2
if [ "${1:-}" != --cli ]; then
  exec ./scripts/serve.sh "$@"
fi
echo "\$ callcap caps --facility jail --adp 75 --format table"
"$BIN" caps --facility jail --adp 75 --format table
echo
echo "\$ callcap check rates/examples/ --format table"
"$BIN" check rates/examples/ --format table || true   # exit 1: some examples violate, on purpose
