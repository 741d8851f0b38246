#!/usr/bin/env bash
# Build the callcap WebAssembly package for the page and for Node tests.
#
#   scripts/build-wasm.sh [--route auto|rustup|debian] [--no-node] [--no-opt] [--test]
#                         [--fallback] [--pinned]
#
# Output: web/pkg/      (wasm-bindgen --target web: what index.html imports; also the npm
#                        package `callcap-wasm`: package.json, README.md, the .d.ts types;
#                        `npm pack web/pkg` makes its tarball)
#         web/pkg-node/ (wasm-bindgen --target nodejs: for tests under Node; skip with --no-node)
# --test: also runs the binding's wasm-bindgen tests (web/wasm/tests/node.rs) under Node with
#         the wasm-bindgen-test-runner installed beside the CLI, on the same route.
# --fallback: also builds the stable fallback (no unstable rustc flags; std from source only on
#         the Debian route, which has no prebuilt std) and prints its gzip size beside the
#         shipped module's; not shipped. scripts/test-web.sh (CI) passes it.
# --pinned: stop when the compiler is not the pinned one (PIN_RUSTUP / PIN_DEBIAN below)
#         instead of warning and building anyway (also CALLCAP_WASM_PINNED=1).
#
# Routes (auto takes the first that applies; force one with --route or CALLCAP_WASM_ROUTE):
#   rustup  the rustup toolchain has the wasm32-unknown-unknown std and the rust-src component,
#           or `rustup target add` / `rustup component add rust-src` can fetch them (any machine
#           with internet). std is rebuilt from rust-src for size (-Zbuild-std).
#   debian  Debian's rustc-web / cargo-web / rust-web-src / lld (installed with apt-get when
#           missing and we are root): std is built from source with -Zbuild-std, linked by
#           wasm-ld, into target/wasm-debian*. For machines whose only reachable registries are
#           crates.io and Debian's.
#   rustup  with its prebuilt std, when neither of the above can be had: the page works, but its
#           module is larger (measured +11.4 KB gzip: web/README.md, "The compiler and the
#           stable fallback"); the summary says so.
# With std from source the page's module is built with size flags (-Cpanic=immediate-abort,
# -Zfmt-debug=none, -Zlocation-detail=none, std's optimize_for_size feature; unstable, allowed
# by RUSTC_BOOTSTRAP=1 like -Zbuild-std). The wasm-bindgen tests build without them.
# RUSTC_BOOTSTRAP: see README, Decisions.
#
# The compiler is pinned (PIN_RUSTUP, PIN_DEBIAN below: the one place): the size flags are
# unstable and change between releases. On the rustup route the pinned toolchain is used when it
# is installed and RUSTUP_TOOLCHAIN does not name another. On another version the script warns
# and builds anyway: if the compiler refuses a size flag, the module is built without the size
# flags (larger: the stable fallback's size, which --fallback prints); if it accepts them, the
# module may differ in size from the measured one. The transfer budget test
# (web/e2e/budgets.spec.ts) is the judge; --pinned makes the mismatch an error instead.
#
# The wasm-bindgen CLI is installed into .tools/ (gitignored) at exactly the version of the
# wasm-bindgen crate in Cargo.lock; a CLI of any other version refuses the module or, worse,
# writes glue that does not match it.
#
# wasm-bindgen drops the module's name and producers sections. wasm-opt -O1 then runs when
# web/node_modules has npm's `binaryen` (`npm install --prefix web binaryen`; Debian's binaryen
# is too old for what current rustc emits); without it the module is about 1 KB larger.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CRATE=callcap-wasm
LIB=callcap_wasm              # the crate's library name: the .wasm file's and the JS files' stem
PAGE=callcap_page             # the page's module's stem: the full module split in two (section 5b)
SHEETS=callcap_sheets         # the CSV module's stem (the crate with only `sheets`)
XLSX=callcap_xlsx             # the XLSX module's stem (the crate with only `xlsx`)
TARGET=wasm32-unknown-unknown
TOOLS="$ROOT/.tools"
PKG_WEB="$ROOT/web/pkg"
PKG_NODE="$ROOT/web/pkg-node"
PKG_PAGE="$ROOT/web/pkg-page"
SPLIT="$ROOT/web/wasm/split.json"   # what the page's first part holds (section 6)
PKG_SHEETS="$ROOT/web/pkg-sheets"
DEBIAN_PKGS=(rustc-web cargo-web rust-web-src lld)
# size: the compilers the unstable size flags were measured with; change only after measuring.
# (See the header; the one place to change them; web/README.md, Budgets.)
PIN_RUSTUP=1.95.0                  # rustup route: the toolchain's `rustc --version`
PIN_DEBIAN=1.96.0+dfsg1-1~deb12u2  # Debian route: the rustc-web package's version

route=${CALLCAP_WASM_ROUTE:-auto}
want_node=1
want_opt=1
want_test=0
want_fallback=0
require_pin=${CALLCAP_WASM_PINNED:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --route) route=${2:?--route needs auto, rustup or debian}; shift 2 ;;
    --route=*) route=${1#--route=}; shift ;;
    --no-node) want_node=0; shift ;;
    --no-opt) want_opt=0; shift ;;
    --test) want_test=1; shift ;;
    --fallback) want_fallback=1; shift ;;
    --pinned) require_pin=1; shift ;;
    -h|--help) awk 'NR > 1 { if (!/^#/) exit; sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "build-wasm: unknown argument \`$1\` (try --help)" >&2; exit 2 ;;
  esac
done
case "$route" in auto|rustup|debian) ;; *) echo "build-wasm: unknown route \`$route\`" >&2; exit 2 ;; esac

say() { printf 'build-wasm: %s\n' "$*" >&2; }
die() { printf 'build-wasm: error: %s\n' "$*" >&2; exit 1; }
SUMMARY=()
note() { SUMMARY+=("$*"); say "$*"; }
now() { date +%s; }
T0=$(now)

cd "$ROOT"

# The binding crate must be a workspace member, or Cargo.lock (and so the wasm-bindgen version)
# would not describe it.
if ! grep -Eq '^[[:space:]]*members[[:space:]]*=.*"web/wasm"' Cargo.toml; then
  die "web/wasm is not a workspace member yet. Add to the root Cargo.toml:
    [workspace]
    members = [\".\", \"web/wasm\"]"
fi

# --- 1. the route --------------------------------------------------------------------------
rustc_version() { rustc --version 2>/dev/null | awk '{print $2}'; }

# The pinned rustup toolchain, when it is installed and not the default (and RUSTUP_TOOLCHAIN
# does not already choose one).
if [ -z "${RUSTUP_TOOLCHAIN:-}" ] && command -v rustup >/dev/null &&
   [ "$(rustc_version)" != "$PIN_RUSTUP" ] &&
   rustup toolchain list 2>/dev/null | grep -q "^$PIN_RUSTUP-"; then
  note "rustup: using the pinned toolchain $PIN_RUSTUP (plain rustc here is $(rustc_version))"
  export RUSTUP_TOOLCHAIN=$PIN_RUSTUP
fi

rustup_has_target() {
  command -v rustc >/dev/null || return 1
  local sysroot
  sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/$TARGET/lib" ] && return 0
  command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$TARGET"
}

rustup_has_src() {   # the rust-src component: std's sources, for -Zbuild-std
  local sysroot
  sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/src/rust/library/std" ]
}

# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"   # as_root

debian_missing() {
  local p missing=()
  for p in "${DEBIAN_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[*]}"
}

# debian_ready: Debian's packages are installed, or installed now; 1 (with the reason in
# $debian_why) when they cannot be.
debian_why=""
debian_ready() {
  command -v dpkg-query >/dev/null || { debian_why="this is not a Debian system"; return 1; }
  local missing
  missing=$(debian_missing)
  if [ -n "$missing" ]; then
    say "Debian packages missing: $missing"
    as_root true 2>/dev/null || { debian_why="missing Debian packages: $missing (install as root: apt-get install -y $missing)"; return 1; }
    # Update first: bookworm's main archive has rustc-web 1.85, bookworm-security a newer one.
    as_root apt-get update -qq >&2 || say "apt-get update failed; trying the package lists we have"
    # shellcheck disable=SC2086 # word splitting wanted: a list of package names
    as_root apt-get install -y --no-install-recommends $missing >&2 ||
      { debian_why="apt-get could not install: $missing"; return 1; }
    note "installed Debian packages: $missing"
  fi
  [ -d /usr/lib/rustlib/src/rust/library ] || { debian_why="rust-web-src is installed but /usr/lib/rustlib/src/rust/library is not there"; return 1; }
  command -v wasm-ld >/dev/null || { debian_why="lld is installed but wasm-ld is not on PATH"; return 1; }
}

# size: the routes are preferred in this order because only std from source takes the size flags.
# The page's size budget needs std compiled for size from its sources (see "size" below):
# the rustup route does that when its toolchain has the rust-src component; Debian's route
# always does. Auto prefers, in order: rustup with rust-src, Debian's packages, rustup's
# prebuilt std (works; the module is larger).
std_from_source=0
if [ "$route" = auto ]; then
  have_target=0
  if rustup_has_target; then
    have_target=1
  elif command -v rustup >/dev/null && say "trying: rustup target add $TARGET" &&
       timeout 300 rustup target add "$TARGET" >&2 && rustup_has_target; then
    have_target=1
    note "installed: the $TARGET std (rustup target add $TARGET)"
  fi
  if [ "$have_target" = 1 ] && { rustup_has_src || { command -v rustup >/dev/null &&
       say "trying: rustup component add rust-src" &&
       timeout 300 rustup component add rust-src >&2 && rustup_has_src; }; }; then
    route=rustup
    std_from_source=1
    note "route: rustup, with std rebuilt for size from its rust-src component"
  elif debian_ready; then
    route=debian
    [ "$have_target" = 1 ] && say "rustup has the $TARGET std but not rust-src, which the size build needs; using Debian's packages"
    note "route: debian"
  elif [ "$have_target" = 1 ]; then
    route=rustup
    note "route: rustup with its prebuilt std. NOTE: without std's sources (rustup component add rust-src) there are no size flags: the module is larger (measured with rustup 1.95: +11.4 KB gzip -9; web/README.md, "The compiler and the stable fallback") ($debian_why)"
  else
    die "no route to WebAssembly: rustup cannot provide the $TARGET std, and $debian_why
  on a machine with internet: rustup target add $TARGET && rustup component add rust-src"
  fi
else
  note "route: $route (forced)"
  if [ "$route" = rustup ]; then
    rustup_has_target || die "the rustup toolchain has no $TARGET std; run: rustup target add $TARGET"
    if rustup_has_src; then std_from_source=1; else
      note "rustup has no rust-src: std is the prebuilt one, and the module is larger (rustup component add rust-src)"
    fi
  else
    debian_ready || die "$debian_why"
  fi
fi
if [ "$route" = debian ]; then
  std_from_source=1
  note "debian toolchain: $(/usr/bin/rustc --version); std built from /usr/lib/rustlib/src/rust"
fi

# The pin: only the size build (std from source, unstable flags) depends on the version.
if [ "$route" = debian ]; then
  compiler="rustc-web $(dpkg-query -W -f='${Version}' rustc-web 2>/dev/null)"
  pin="rustc-web $PIN_DEBIAN"
  get_pin="apt-get install rustc-web=$PIN_DEBIAN cargo-web=$PIN_DEBIAN rust-web-src=$PIN_DEBIAN (if the archive still has it; else measure on the new one and move PIN_DEBIAN)"
else
  compiler="rustc $(rustc_version)"
  pin="rustc $PIN_RUSTUP"
  get_pin="rustup toolchain install $PIN_RUSTUP --target $TARGET --component rust-src"
fi
if [ "$std_from_source" = 0 ]; then
  note "compiler: $compiler (no size flags on this route, so the pin ($pin) does not apply)"
elif [ "$compiler" = "$pin" ]; then
  note "compiler: $compiler, the pinned version"
else
  mismatch="compiler: $compiler is not the pinned $pin (PIN_RUSTUP / PIN_DEBIAN in scripts/build-wasm.sh). The size flags are unstable: if this compiler refuses one, the module is built without them (larger: the stable fallback); if it accepts them, the module's size may differ from the measured one. web/e2e/budgets.spec.ts judges the page. The pinned compiler: $get_pin"
  [ "$require_pin" = 1 ] && die "$mismatch (--pinned: stopping)"
  note "WARNING: $mismatch"
fi

# --- 2. build ------------------------------------------------------------------------------
# size: opt-level z, fat LTO, one codegen unit: 53 KB gzip smaller than cargo's release defaults.
# Size matters more than speed for a page: optimise for size, whole-program LTO, one codegen
# unit. Set here (not in a [profile]) so the core's own release profile is untouched for the CLI.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}
export CARGO_PROFILE_RELEASE_LTO=${CARGO_PROFILE_RELEASE_LTO:-true}
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}
export CARGO_PROFILE_RELEASE_PANIC=${CARGO_PROFILE_RELEASE_PANIC:-abort}

# size: std from source with unstable flags: 11 KB gzip smaller than the stable fallback.
# When std is built from source, the page's module is built with
#   -Cpanic=immediate-abort  a panic traps at once: no panic messages, no formatting machinery
#                            (the core returns errors for bad input and is fuzzed for panics;
#                            under panic=abort a panic killed the module anyway)
#   -Zfmt-debug=none         `{:?}` prints nothing (the core's messages use Display only)
#   -Zlocation-detail=none   no file:line strings for panics
# These are unstable flags, allowed on a stable compiler by RUSTC_BOOTSTRAP=1 (as -Zbuild-std
# already is). The wasm-bindgen tests (--test) build without them, so a failing test says why.
#   optimize_for_size        std's own feature: smaller algorithms (sorting, formatting)
SIZE_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
SIZE_STD_FEATURES=-Zbuild-std-features=optimize_for_size

# wasm_cargo SUBCOMMAND DIR ARGS...: cargo for the wasm target on the chosen route, into the
# target directory DIR; std from source when the route has it.
build_std=()
[ "$std_from_source" = 1 ] && build_std=("-Zbuild-std=std,panic_abort")
if [ "$route" = rustup ]; then
  wasm_cargo() {
    local sub=$1 dir=$2; shift 2
    # RUSTC_BOOTSTRAP only for what needs it (-Zbuild-std, the size flags); `stable=1` builds
    # with neither (the stable fallback).
    local boot=(env RUSTC_BOOTSTRAP=1) shown="RUSTC_BOOTSTRAP=1 " std=("${build_std[@]}")
    if [ "${stable:-0}" = 1 ]; then boot=(env -u RUSTC_BOOTSTRAP); shown=""; std=(); fi
    say "running: ${RUSTFLAGS_SHOWN:-}${shown}cargo $sub --release --target $TARGET -p $CRATE ${std[*]} --target-dir ${dir#"$ROOT"/} $*"
    "${boot[@]}" cargo "$sub" --release --target "$TARGET" -p "$CRATE" "${std[@]}" \
      --target-dir "$dir" "$@" >&2
  }
  plain_dir=${CARGO_TARGET_DIR:-$ROOT/target}
  size_dir=$ROOT/target/wasm-size
  stable_dir=$ROOT/target/wasm-stable   # the stable fallback, with rustup's prebuilt std
else
  wasm_cargo() {
    local sub=$1 dir=$2; shift 2
    say "running: ${RUSTFLAGS_SHOWN:-}RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld /usr/bin/cargo $sub --release --target $TARGET -p $CRATE ${build_std[*]} --target-dir ${dir#"$ROOT"/} $*"
    # RUSTUP_TOOLCHAIN and friends are cleared so no rustup shim sneaks back in under this build.
    env -u RUSTUP_TOOLCHAIN -u RUSTC_WRAPPER -u RUSTDOC \
      RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
      /usr/bin/cargo "$sub" --release --target "$TARGET" -p "$CRATE" \
        "${build_std[@]}" --target-dir "$dir" "$@" >&2
  }
  plain_dir=$ROOT/target/wasm-debian
  size_dir=$ROOT/target/wasm-debian-size
  stable_dir=$plain_dir                 # the stable fallback: std from source, no size flags
fi

t=$(now)
built=0
if [ "$std_from_source" = 1 ]; then
  if RUSTFLAGS_SHOWN="CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=\"$SIZE_RUSTFLAGS\" " \
     CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$SIZE_RUSTFLAGS" wasm_cargo build "$size_dir" "$SIZE_STD_FEATURES"; then
    wasm_in="$size_dir/$TARGET/release/$LIB.wasm"
    built=1
    note "built for size (std from source, $SIZE_STD_FEATURES; $SIZE_RUSTFLAGS): ${wasm_in#"$ROOT"/} in $(( $(now) - t )) s"
  else
    note "the size flags were refused by this compiler ($compiler; pinned: $pin); building without them: the module is larger"
  fi
fi
if [ "$built" = 0 ]; then
  wasm_cargo build "$plain_dir"
  wasm_in="$plain_dir/$TARGET/release/$LIB.wasm"
  note "built: ${wasm_in#"$ROOT"/} in $(( $(now) - t )) s"
fi
[ -f "$wasm_in" ] || die "the build did not produce $wasm_in"

cp "$wasm_in" "$wasm_in.full"
build_variant() {   # the binding with other features, into the same target directory
  if [ "$built" = 1 ]; then
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$SIZE_RUSTFLAGS" wasm_cargo build "$size_dir" "$SIZE_STD_FEATURES" --no-default-features "$@"
  else
    wasm_cargo build "$plain_dir" --no-default-features "$@"
  fi
}
# size: the spreadsheet readers (web/pkg-sheets): only `readSheet` and the core's sheets code, no
# rate book; `callcap_sheets` reads CSV (fetched when a CSV is first opened), `callcap_xlsx`
# XLSX with the core's XLSX reader (fetched when an XLSX is first opened; 94 KB gzip).
sheets_in="${wasm_in%/*}/$SHEETS.wasm"
xlsx_in="${wasm_in%/*}/$XLSX.wasm"
t=$(now)
build_variant --features sheets
cp "$wasm_in" "$sheets_in"
build_variant --features xlsx
cp "$wasm_in" "$xlsx_in"
note "built the spreadsheet modules (--no-default-features --features sheets, xlsx): in $(( $(now) - t )) s"
cp "$wasm_in.full" "$wasm_in" && rm "$wasm_in.full"

# --- 3. the wasm-bindgen CLI, at Cargo.lock's version ---------------------------------------
versions=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = /         { name = $3 }
  /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3 }' Cargo.lock | sort -u)
[ -n "$versions" ] || die "Cargo.lock has no wasm-bindgen package"
[ "$(printf '%s\n' "$versions" | wc -l)" -eq 1 ] ||
  die "Cargo.lock has several wasm-bindgen versions ($(paste -sd' ' <<<"$versions")); unify them first"
wb_version=$versions

bindgen_version() { "$1" --version 2>/dev/null | awk '{print $2}'; }
bindgen=""
if [ -x "$TOOLS/bin/wasm-bindgen" ] && [ "$(bindgen_version "$TOOLS/bin/wasm-bindgen")" = "$wb_version" ]; then
  bindgen="$TOOLS/bin/wasm-bindgen"
  note "wasm-bindgen $wb_version: already in ${TOOLS#"$ROOT"/}/bin"
elif command -v wasm-bindgen >/dev/null && [ "$(bindgen_version wasm-bindgen)" = "$wb_version" ]; then
  bindgen=$(command -v wasm-bindgen)
  note "wasm-bindgen $wb_version: already on PATH at $bindgen"
else
  t=$(now)
  # No --locked: the registry mirror may lack the newest versions the CLI's own lockfile names.
  say "running: cargo install wasm-bindgen-cli --version $wb_version --root .tools"
  # The host cargo (rustup's, or Debian's on the debian route) builds the tool for this machine.
  host_cargo=cargo
  command -v cargo >/dev/null || host_cargo=/usr/bin/cargo
  env -u CARGO_PROFILE_RELEASE_OPT_LEVEL -u CARGO_PROFILE_RELEASE_LTO \
      -u CARGO_PROFILE_RELEASE_CODEGEN_UNITS -u CARGO_PROFILE_RELEASE_PANIC -u CARGO_TARGET_DIR \
    "$host_cargo" install wasm-bindgen-cli --version "$wb_version" --root "$TOOLS" >&2
  bindgen="$TOOLS/bin/wasm-bindgen"
  [ "$(bindgen_version "$bindgen")" = "$wb_version" ] || die "installed wasm-bindgen does not report $wb_version"
  note "installed: wasm-bindgen-cli $wb_version into ${TOOLS#"$ROOT"/}/ in $(( $(now) - t )) s"
fi

# --- 4. bindings -------------------------------------------------------------------------
rm -rf "$PKG_WEB" "$PKG_NODE" "$PKG_PAGE" "$PKG_SHEETS" "$ROOT/web/pkg-lite"
# size: no name or producers section (function names, 370 KB raw) even when wasm-opt is missing.
# A panic is a bare trap anyway. wasm-opt used to drop them; it no longer has to run for that.
strip=(--remove-name-section --remove-producers-section)
"$bindgen" --target web "${strip[@]}" --out-dir "$PKG_WEB" --out-name "$LIB" "$wasm_in"
# The page's module: the same module with its names, which the split (section 6) reads; it
# drops them.
"$bindgen" --target web --remove-producers-section --out-dir "$PKG_PAGE" --out-name "$PAGE" "$wasm_in"
"$bindgen" --target web "${strip[@]}" --out-dir "$PKG_SHEETS" --out-name "$SHEETS" "$sheets_in"
"$bindgen" --target web "${strip[@]}" --out-dir "$PKG_SHEETS" --out-name "$XLSX" "$xlsx_in"
# The facility directory in the page's compact form (web/wasm/src/directory.rs), fetched by the
# page when its finder is first used: written from the core's directory by a host build.
t=$(now)
host_cargo=cargo
command -v cargo >/dev/null || host_cargo=/usr/bin/cargo
env -u CARGO_TARGET_DIR "$host_cargo" run --quiet -p "$CRATE" --example page_directory > "$PKG_PAGE/directory.txt" ||
  die "could not write the page's facility directory (cargo run -p $CRATE --example page_directory)"
note "the page's facility directory: web/pkg-page/directory.txt, $(stat -c %s "$PKG_PAGE/directory.txt") bytes, $(gzip -9c "$PKG_PAGE/directory.txt" | wc -c) gzip -9, in $(( $(now) - t )) s"
if [ "$want_node" = 1 ]; then
  "$bindgen" --target nodejs "${strip[@]}" --out-dir "$PKG_NODE" --out-name "$LIB" "$wasm_in"
  # CommonJS glue inside web/, whose package.json says "type": "module": say what it is.
  printf '{ "type": "commonjs" }\n' > "$PKG_NODE/package.json"
fi

# --- 5. wasm-opt -----------------------------------------------------------------------------
wasm_opt="$ROOT/web/node_modules/binaryen/bin/wasm-opt"
# The features current rustc enables by default for wasm32-unknown-unknown.
opt_features=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
              --enable-sign-ext --enable-reference-types --enable-multivalue)
can_optimize() { [ "$want_opt" = 1 ] && [ -e "$wasm_opt" ] && command -v node >/dev/null; }
# optimize FILE: wasm-opt in place.
# size: wasm-opt -O1, not -Oz: the smallest compressed (-Oz is 8 KB larger gzip, none 1 KB).
# Measured on this module after wasm-bindgen, names dropped, gzip -9: none 121,668 B, -O1
# 120,656, -Os 128,250, -Oz 128,799, -O3 129,043. -O2 and above make the code smaller raw but
# 7-8 KB larger compressed (web/README.md).
WASM_OPT_LEVEL=-O1
# optimize FILE [FLAG...]: the flags are wasm-opt's (-g keeps the names, for the split).
optimize() { node "$wasm_opt" "$WASM_OPT_LEVEL" "${opt_features[@]}" "${@:2}" "$1" -o "$1.opt" && mv "$1.opt" "$1"; }
if [ "$want_opt" = 0 ]; then
  note "wasm-opt: skipped (--no-opt)"
elif can_optimize; then
  f="$PKG_WEB/${LIB}_bg.wasm"
  g="$PKG_NODE/${LIB}_bg.wasm"
  before=$(stat -c %s "$f")
  # Both targets get the same module; optimise once and copy it when they are identical.
  if [ -f "$g" ] && cmp -s "$f" "$g"; then
    optimize "$f" && cp "$f" "$g"
  else
    optimize "$f"
    [ -f "$g" ] && optimize "$g"
  fi
  note "wasm-opt $WASM_OPT_LEVEL: ${f#"$ROOT"/} $before -> $(stat -c %s "$f") bytes"
  f="$PKG_PAGE/${PAGE}_bg.wasm"
  before=$(stat -c %s "$f")
  optimize "$f" -g
  note "wasm-opt $WASM_OPT_LEVEL -g: ${f#"$ROOT"/} $before -> $(stat -c %s "$f") bytes (with its names, for the split)"
  for f in "$PKG_SHEETS/${SHEETS}_bg.wasm" "$PKG_SHEETS/${XLSX}_bg.wasm"; do
    before=$(stat -c %s "$f")
    optimize "$f"
    note "wasm-opt $WASM_OPT_LEVEL: ${f#"$ROOT"/} $before -> $(stat -c %s "$f") bytes"
  done
else
  note "wasm-opt: skipped (web/node_modules has no binaryen; npm install --prefix web binaryen)"
fi

# --- 5b. the page's module, in two parts ------------------------------------------------------
# size: one module in two parts, so that no code is sent twice (web/README.md, "The split").
# The first part (web/pkg-page/callcap_page_bg.wasm) holds what the first result needs: every
# function reachable from the exports web/wasm/split.json names as the first load's (My calls
# at the legal maximum), from the glue's own exports, and from every function in the table (an
# indirect call can reach any of them), without entering the tariff reader (split.json's
# boundary). The rest (callcap_page_rest.wasm: the TOML reader, check, compare, the caps, the
# facility finder) is fetched when first used (web/src/core.ts, loadFull) and instantiated
# with the first part's exports: its memory, its table, its functions. Until then the rest's
# functions are placeholders in the table that throw, which the glue is given here.
# Binaryen's wasm-split does the cutting: Debian's `binaryen` package has it (npm's has not),
# installed as root when missing. Without it the page gets the whole module as its first part
# and an empty rest: it works, over its first-load budget, and the summary says so.
page_wasm="$PKG_PAGE/${PAGE}_bg.wasm"
rest_wasm="$PKG_PAGE/${PAGE}_rest.wasm"
split_ok=0
if ! command -v wasm-split >/dev/null; then
  say "no wasm-split: installing Debian's binaryen"
  if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends binaryen; } >&2 &&
      note "installed Debian packages: binaryen (for wasm-split)" || say "apt-get could not install binaryen"
  fi
fi
# split_page: cuts $page_wasm in two (the rest into $rest_wasm); fails without touching them.
split_page() {
  local bin work
  bin=$(dirname "$(command -v wasm-split)")
  # Binaryen 108 reads what current rustc and wasm-opt write only with the features named
  # (with --all-features it writes encodings V8 refuses).
  local features=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
                  --enable-sign-ext --enable-reference-types --enable-multivalue)
  work=$(mktemp -d)
  if "$bin/wasm-opt" "${features[@]}" "$page_wasm" --print-call-graph -o /dev/null > "$work/calls.dot" &&
     "$bin/wasm-opt" "${features[@]}" "$page_wasm" --print-function-map -o /dev/null > "$work/functions.txt" &&
     node "$ROOT/web/tools/split.mjs" keep "$page_wasm" "$work/calls.dot" "$work/functions.txt" "$SPLIT" > "$work/keep.txt" &&
     "$bin/wasm-split" "${features[@]}" --keep-funcs "@$work/keep.txt" "$page_wasm" \
       -o1 "$work/first.wasm" -o2 "$work/rest.wasm" >&2 &&
     node "$ROOT/web/tools/split.mjs" tables "$page_wasm" "$work/first.wasm"; then
    mv "$work/first.wasm" "$page_wasm"
    mv "$work/rest.wasm" "$rest_wasm"
    rm -rf "$work"
  else
    rm -rf "$work"
    return 1
  fi
}
t=$(now)
if ! command -v wasm-split >/dev/null; then
  note "WARNING: no wasm-split (Debian: apt-get install binaryen): the page's first load is the whole module, over its budget (web/e2e/budgets.spec.ts), and its rest is empty"
elif split_page; then
  split_ok=1
  note "split with $(wasm-split --version 2>/dev/null | head -1): ${page_wasm#"$ROOT"/} (first load) and ${rest_wasm#"$ROOT"/} (on demand) in $(( $(now) - t )) s"
else
  note "WARNING: wasm-split failed (above): the page's first load is the whole module, over its budget (web/e2e/budgets.spec.ts), and its rest is empty"
fi
# Unsplit, the rest is an empty module: instantiating it with the first part's exports does nothing.
[ "$split_ok" = 1 ] || printf '\0asm\1\0\0\0' > "$rest_wasm"
for f in "$page_wasm" "$rest_wasm"; do
  if can_optimize; then optimize "$f" --strip-debug --strip-producers
  elif [ "$want_opt" = 1 ]; then note "WARNING: ${f#"$ROOT"/} keeps its names: no wasm-opt to drop them (npm install --prefix web binaryen)"
  fi
done
# The glue instantiates the first part; give it the placeholders the split left in the table.
node - "$PKG_PAGE/$PAGE.js" "./${PAGE}_bg.js" <<'JS' || die "could not give the page's glue its placeholders"
const fs = require("node:fs");
const [file, key] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");
const at = `${JSON.stringify(key)}: import0,`;
const parts = text.split(at);
if (parts.length !== 2) throw new Error(`${file}: expected \`${at}\` once in the imports (a new wasm-bindgen?), found it ${parts.length - 1} times`);
const placeholders = `placeholder: new Proxy({}, { get: () => () => { throw new Error("callcap: this function is in the part of the module loaded on demand, not loaded yet (web/src/core.ts, loadFull)"); } }),`;
fs.writeFileSync(file, parts.join(`${at}\n        // Added by scripts/build-wasm.sh: the functions of the part loaded on demand, until it is.\n        ${placeholders}`));
JS

# --- 6. the npm package -----------------------------------------------------------------------
# web/pkg is also the npm package `callcap-wasm` another site can install: its version is the
# binding crate's, its README (with the example web/test/package.test.ts runs) is
# web/wasm/npm/README.md.
crate_version=$(awk '/^\[/ { section = $0 } section == "[package]" && /^version *=/ { gsub(/"/, "", $3); print $3; exit }' web/wasm/Cargo.toml)
[ -n "$crate_version" ] || die "no version in web/wasm/Cargo.toml's [package]"
cp web/wasm/npm/README.md "$PKG_WEB/README.md"
cat > "$PKG_WEB/package.json" <<JSON
{
  "name": "callcap-wasm",
  "version": "$crate_version",
  "description": "What calls from U.S. prisons and jails cost and whether a tariff keeps to the FCC's caps: the callcap core as WebAssembly, with its rate book",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "$LIB.js",
  "module": "$LIB.js",
  "types": "$LIB.d.ts",
  "files": ["$LIB.js", "$LIB.d.ts", "${LIB}_bg.wasm", "${LIB}_bg.wasm.d.ts", "README.md"],
  "keywords": ["prison", "jail", "phone", "fcc", "tariff", "webassembly"]
}
JSON
note "npm package: web/pkg is callcap-wasm $crate_version (npm pack web/pkg)"

# --- 7. the stable fallback (--fallback) --------------------------------------------------------
# size: measures what the size flags save, so that the figure stays known; goes with them.
# What the page's module would be without the unstable size flags: built, bound and optimised
# like the shipped one, measured, thrown away. CI (scripts/test-web.sh) builds it so its size
# stays a known number beside the shipped one.
gz() { gzip -9c "$1" | wc -c; }
kb_delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f KB", (a - b) / 1000 }'; }
shipped_gz=$(gz "$PKG_WEB/${LIB}_bg.wasm")
fallback_line=""
if [ "$want_fallback" = 1 ]; then
  if [ "$route" = debian ]; then
    fallback_what="std from source at the same profile, no size flags or std features"
  else
    fallback_what="rustup's prebuilt std, no RUSTC_BOOTSTRAP"
  fi
  if [ "$built" = 0 ] && { [ "$route" = debian ] || [ "$std_from_source" = 0 ]; }; then
    fallback_line="stable fallback: the shipped module is it (built without the size flags)"
  else
    t=$(now)
    stable=1 wasm_cargo build "$stable_dir"
    fb_dir=$(mktemp -d)
    "$bindgen" --target web "${strip[@]}" --out-dir "$fb_dir" --out-name "$LIB" "$stable_dir/$TARGET/release/$LIB.wasm"
    if can_optimize; then optimize "$fb_dir/${LIB}_bg.wasm"; fi
    fallback_gz=$(gz "$fb_dir/${LIB}_bg.wasm")
    rm -rf "$fb_dir"
    fallback_secs=$(( $(now) - t ))
    fallback_line="stable fallback ($fallback_what): $fallback_gz bytes gzip -9, $(kb_delta "$fallback_gz" "$shipped_gz") vs the shipped module; built, bound and optimised in $fallback_secs s; not shipped"
  fi
  note "$fallback_line"
fi

# --- 8. wasm-bindgen tests under Node (--test) ------------------------------------------------
if [ "$want_test" = 1 ]; then
  runner="$(dirname "$bindgen")/wasm-bindgen-test-runner"
  [ -x "$runner" ] || die "no wasm-bindgen-test-runner beside $bindgen (cargo install wasm-bindgen-cli --version $wb_version installs both)"
  command -v node >/dev/null || die "the wasm-bindgen tests run under Node, and node is not on PATH"
  t=$(now)
  # The tests need no std built for size: on the rustup route they use its prebuilt std (no
  # std build); Debian's route has no prebuilt std, so there the test harness must abort on
  # panic like the std it links, or cargo builds a second std and the two clash
  # (-Zpanic-abort-tests).
  abort_tests=()
  if [ "$route" = debian ]; then
    abort_tests=(-Zpanic-abort-tests)
  else
    build_std=()
  fi
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$runner" wasm_cargo test "$plain_dir" --test node "${abort_tests[@]}"
  note "wasm-bindgen tests: passed under Node ($(node --version)) in $(( $(now) - t )) s"
fi

# --- 9. check and report --------------------------------------------------------------------
if [ "$want_node" = 1 ] && command -v node >/dev/null; then
  v=$(node -e 'console.log(require(process.argv[1]).version())' "$PKG_NODE/$LIB.js")
  note "node check: require('web/pkg-node/$LIB.js').version() = $v"
fi

echo "== build-wasm summary =="
printf '  %s\n' "${SUMMARY[@]}"
echo "  wasm-bindgen: $wb_version ($bindgen)"
echo "  the whole module: $shipped_gz bytes gzip -9 (${PKG_WEB#"$ROOT"/}/${LIB}_bg.wasm: the npm package and the Node tests)"
if [ "$split_ok" = 1 ]; then
  echo "  the page's module in two parts: first load $(gz "$page_wasm") bytes gzip -9 (${page_wasm#"$ROOT"/}), on demand $(gz "$rest_wasm") (${rest_wasm#"$ROOT"/}: when a tariff, bids, a check, the caps or the finder is first used)"
else
  echo "  the page's module: NOT split (wasm-split missing or failed, above): first load $(gz "$page_wasm") bytes gzip -9, over its budget"
fi
echo "  the page's spreadsheet module: CSV $(gz "$PKG_SHEETS/${SHEETS}_bg.wasm") bytes gzip -9 (${PKG_SHEETS#"$ROOT"/}/${SHEETS}_bg.wasm), XLSX $(gz "$PKG_SHEETS/${XLSX}_bg.wasm") (${XLSX}_bg.wasm), each loaded when such a file is first opened"
echo "  output (raw bytes / gzip -9 bytes):"
for f in "$PKG_WEB"/* "$PKG_PAGE"/* "$PKG_SHEETS"/* "$PKG_NODE"/*; do
  [ -f "$f" ] || continue
  printf '    %-40s %9d %9d\n' "${f#"$ROOT"/}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
echo "  total time: $(( $(now) - T0 )) s"
