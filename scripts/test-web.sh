#!/usr/bin/env bash
# The browser calculator's tests, on a fresh machine too:
#   1. installs what is missing: Debian's Chromium (as root), the page's npm packages (npm ci);
#   2. builds the wasm binding (scripts/build-wasm.sh) and runs its wasm-bindgen tests under Node;
#   3. builds the page as the README's `scripts/run.sh --build-only` does (type check, vite,
#      the static site in dist/);
#   4. vitest: unit tests, Node tests of the binding against the CLI, the npm package;
#   5. runs the end-to-end tests in headless Chromium against the page on 127.0.0.1
#      (Playwright): each section's figures against the CLI's, bad input, languages, the share
#      link, offline, no request to another origin, dist/ under a sub-path, accessibility, and
#      the budgets.
# Exits non-zero on any failure.
#
#   scripts/test-web.sh [--screenshots] [--no-e2e]
#     --screenshots  also write web/screenshots/*.png (each section at 360 and 1280 px)
#     --no-e2e       stop after the unit tests (no browser needed)
# Environment: CHROMIUM (default /usr/bin/chromium), CALLCAP_BIN (default: target/debug/callcap,
# built here), CALLCAP_WASM_ROUTE (see scripts/build-wasm.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
screenshots=0
e2e=1
while [ $# -gt 0 ]; do
  case "$1" in
    --screenshots) screenshots=1; shift ;;
    --no-e2e) e2e=0; shift ;;
    -h|--help) awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "test-web: unknown argument \`$1\` (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '== test-web: %s\n' "$*" >&2; }
die() { printf 'test-web: error: %s\n' "$*" >&2; exit 1; }
now() { date +%s; }
T0=$(now)
TIMES=()
step() { TIMES+=("$(printf '%-44s %4d s' "$1" "$(( $(now) - $2 ))")"); }
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"   # as_root, need_node

# --- what the tests need ---------------------------------------------------------------------
command -v cargo >/dev/null || die "Rust (cargo) is needed: https://rustup.rs"
need_node

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ "$e2e" = 1 ] && [ ! -x "$CHROMIUM" ]; then
  say "no Chromium at $CHROMIUM: installing Debian's chromium"
  if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
    as_root apt-get update -qq >&2 || say "apt-get update failed; trying the package lists we have"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >&2 ||
      die "apt-get could not install chromium"
  else
    die "the browser tests need Chromium at $CHROMIUM, and this script cannot install it (not root, no sudo, or no apt-get).
  Install it as root:  apt-get install -y chromium
  or point CHROMIUM at a Chromium/Chrome binary, or run with --no-e2e."
  fi
fi
export CHROMIUM

cd "$ROOT/web"
t=$(now)
stamp=node_modules/.callcap-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  say "npm ci (web/package-lock.json)"
  npm ci --no-audit --no-fund >&2
  cp package-lock.json "$stamp"
fi
step "npm ci" "$t"

# --- the binding -----------------------------------------------------------------------------
t=$(now)
say "build the wasm binding, run its wasm-bindgen tests under Node, build the stable fallback"
wasm_log=$(mktemp)
trap 'rm -f "$wasm_log"' EXIT
# --fallback: the module without the unstable size flags, built only to print its size beside
# the shipped one's (about 40 s more on 2 cores from a clean target/, 3-7 s when built before).
nice -n 10 "$ROOT/scripts/build-wasm.sh" --test --fallback | tee "$wasm_log"
step "build-wasm.sh --test --fallback" "$t"

t=$(now)
if [ -z "${CALLCAP_BIN:-}" ]; then
  say "build the CLI the tests compare against: cargo build --bin callcap"
  (cd "$ROOT" && nice -n 10 cargo build --quiet --bin callcap)
  export CALLCAP_BIN="$ROOT/target/debug/callcap"
fi
step "cargo build --bin callcap" "$t"

# --- the page ----------------------------------------------------------------------------------
t=$(now)
say "the page and the static site: scripts/run.sh --build-only --keep-wasm (tsc, vite build, dist/)"
"$ROOT/scripts/run.sh" --build-only --keep-wasm
step "run.sh --build-only (tsc, vite, dist/)" "$t"

t=$(now)
say "vitest: unit tests, the binding against the CLI, the generated types, the npm package"
npx vitest run
step "vitest" "$t"

# --- the browser -----------------------------------------------------------------------------
if [ "$e2e" = 1 ]; then
  t=$(now)
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  export CALLCAP_E2E_PORT=$port
  say "playwright: end-to-end tests in $("$CHROMIUM" --version 2>/dev/null || echo Chromium) on 127.0.0.1:$port"
  if [ "$screenshots" = 1 ]; then export SCREENSHOTS=1; fi
  # A failed test (a budget over, say) still prints the summary and the budgets below.
  e2e_failed=0
  npx playwright test || e2e_failed=1
  step "playwright (end to end, budgets)" "$t"
fi

# --- report ----------------------------------------------------------------------------------
echo "== test-web summary =="
printf '  %s\n' "${TIMES[@]}"
echo "  wasm module sizes (scripts/build-wasm.sh):"
for what in "the whole module" "the page's module" "the page's spreadsheet module" "stable fallback"; do
  grep -E "^  $what" "$wasm_log" | sed 's/^/  /' || true
done
if [ "$e2e" = 1 ] && [ -f test-results/budgets.json ]; then
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const b = require(process.argv[1]);
    const t = b.transfer || {}, f = b.first_result_ms || {}, r = (b.recompute_ms || {}).estimate_wasm_call || {};
    const kb = (n) => (n / 1000).toFixed(1) + " KB";
    console.log("  budgets (measured in this run; web/README.md explains them):");
    if (t.html_js_css_wasm) console.log(`    transfer, gzip (HTML+JS+CSS+wasm): ${kb(t.html_js_css_wasm)} (budget ${kb(t.budget)}${t.html_js_css_wasm > t.budget ? ", OVER" : ""}); wasm ${kb(t.bytes_by_type.wasm || 0)}; offline cache ${kb(t.offline_cache_gzip)}`);
    if (f.cold_median !== undefined) console.log(`    first result: ${f.cold_median} ms median of cold loads, fastest ${f.cold_fastest} ms (budget ${f.budget} ms, judged on the ${f.judged_on}; load average ${f.load_average} on ${f.cores} cores), warm ${f.warm_median} ms`);
    if (r.median !== undefined) console.log(`    recompute (estimate, wasm call): median ${r.median} ms, p95 ${r.p95} ms over ${r.runs} input changes (budget ${b.recompute_ms.budget} ms)`);
    const w = b.first_result_throttled_ms || {}, o = b.on_demand || {};
    if (w.median !== undefined) console.log(`    first result on a weak phone (${w.conditions}): ${w.median} ms median of ${w.runs.length} (budget ${w.budget} ms)`);
    if (o.largest) console.log(`    on demand: ${o.parts} parts, largest ${o.largest[0] ? `${o.largest[0].file} ${kb(o.largest[0].gzip)}` : "none"} (budget ${kb(o.budget_each)} each)`);
  ' "$ROOT/web/test-results/budgets.json"
fi
echo "  total: $(( $(now) - T0 )) s"
[ "${e2e_failed:-0}" = 0 ] || die "some end-to-end tests failed (above)"
say "all web tests passed"
