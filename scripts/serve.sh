#!/usr/bin/env bash
# Builds the browser calculator (the core compiled to WebAssembly, and the page) and serves it
# on 127.0.0.1, printing the URL. The README's run command.
#
#   scripts/serve.sh [--port N] [--no-build] [--build-only] [--keep-wasm]
#     --build-only  build, write the static site to dist/ (at the repository's root) and stop:
#                   copy dist/ to any static host, at any path (every URL in it is relative)
#     --keep-wasm   use the wasm package already in web/pkg (scripts/build-wasm.sh) as it is
#
# Needs: Rust (cargo), Node.js 18 or newer with npm, and the registries (crates.io, npm) on the
# first run. scripts/build-wasm.sh finds the wasm route (rustup's wasm32 target and rust-src,
# or Debian's rustc-web) and says what it installs. Stop the server with Ctrl-C.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${PORT:-8080}
build=1
build_only=0
wasm=1
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --port=*) port=${1#--port=}; shift ;;
    --no-build) build=0; shift ;;
    --build-only) build_only=1; shift ;;
    --keep-wasm) wasm=0; shift ;;
    -h|--help) awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
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
  if [ "$wasm" = 1 ]; then
    "$ROOT/scripts/build-wasm.sh" --no-node
  else
    [ -f pkg/callcap_wasm_bg.wasm ] || die "--keep-wasm: web/pkg has no module; run scripts/build-wasm.sh"
    say "using the wasm package in web/pkg as it is (--keep-wasm)"
  fi
  say "building the page: tsc --noEmit && vite build"
  npx tsc --noEmit >&2
  npx vite build --logLevel warn >&2
fi
[ -f dist/index.html ] || die "web/dist is not built; run scripts/serve.sh without --no-build"
if [ "$build_only" = 1 ]; then
  # The static site: the page's build as it is (web/dist), at the repository's root.
  rm -rf "$ROOT/dist"
  cp -R dist "$ROOT/dist"
  say "the static site is in dist/ ($(find "$ROOT/dist" -type f | wc -l) files, $(du -sk "$ROOT/dist" | cut -f1) KB):"
  say "  copy it to any static host, at its root or under any path (every URL in it is relative);"
  say "  the host should serve .wasm as application/wasm. Try it: node web/tools/serve.mjs dist --base /some/path/"
  exit 0
fi
say "the page is in web/dist; it needs no server beyond static files"
exec node tools/serve.mjs dist --host 127.0.0.1 --port "$port"
