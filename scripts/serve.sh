#!/usr/bin/env bash
# Builds the browser calculator (the core compiled to WebAssembly, and the page) and serves it
# on 127.0.0.1, printing the URL. The README's run command.
#
#   scripts/serve.sh [--port N] [--no-build]
#
# Needs: Rust (cargo), Node.js 18 or newer with npm, and the registries (crates.io, npm) on the
# first run. scripts/build-wasm.sh finds the wasm route (rustup's wasm32 target and rust-src,
# or Debian's rustc-web) and says what it installs. Stop the server with Ctrl-C.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${PORT:-8080}
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --port=*) port=${1#--port=}; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "serve: unknown argument \`$1\` (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf 'serve: %s\n' "$*" >&2; }
die() { printf 'serve: error: %s\n' "$*" >&2; exit 1; }

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
need_node

cd "$ROOT/web"
if [ "$build" = 1 ]; then
  # npm ci when package-lock.json changed since the last install (or nothing is installed).
  stamp=node_modules/.callcap-lock
  if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    say "installing the page's build tools: npm ci"
    npm ci --no-audit --no-fund >&2
    cp package-lock.json "$stamp"
  fi
  "$ROOT/scripts/build-wasm.sh" --no-node
  say "building the page: tsc --noEmit && vite build"
  npx tsc --noEmit >&2
  npx vite build --logLevel warn >&2
fi
[ -f dist/index.html ] || die "web/dist is not built; run scripts/serve.sh without --no-build"
say "the page is in web/dist; it needs no server beyond static files"
exec node tools/serve.mjs dist --host 127.0.0.1 --port "$port"
