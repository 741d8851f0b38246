#!/usr/bin/env bash
# Build the callcap WebAssembly package for the page and for Node tests.
#
#   scripts/build-wasm.sh [--route auto|rustup|debian] [--no-node] [--no-opt] [--test]
#
# Output: web/pkg/      (wasm-bindgen --target web: what index.html imports)
#         web/pkg-node/ (wasm-bindgen --target nodejs: for tests under Node; skip with --no-node)
# --test: also runs the binding's wasm-bindgen tests (web/wasm/tests/node.rs) under Node with
#         the wasm-bindgen-test-runner installed beside the CLI, on the same route.
#
# Routes (first that applies; force one with --route or CALLCAP_WASM_ROUTE):
#   rustup  the rustup toolchain has the wasm32-unknown-unknown std, or `rustup target add`
#           can fetch it (any machine with internet). Plain `cargo build --target ...`.
#   debian  Debian's rustc-web / cargo-web / rust-web-src / lld: std is built from source with
#           -Zbuild-std (allowed by RUSTC_BOOTSTRAP=1), linked by wasm-ld, into target/wasm-debian.
#           For machines whose only reachable registries are crates.io and Debian's.
#
# The wasm-bindgen CLI is installed into .tools/ (gitignored) at exactly the version of the
# wasm-bindgen crate in Cargo.lock; a CLI of any other version refuses the module or, worse,
# writes glue that does not match it.
#
# wasm-opt -Oz runs when web/node_modules has npm's `binaryen` (`npm install --prefix web
# binaryen`); Debian's binaryen is too old for what current rustc emits.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CRATE=callcap-wasm
LIB=callcap_wasm              # the crate's library name: the .wasm file's and the JS files' stem
TARGET=wasm32-unknown-unknown
TOOLS="$ROOT/.tools"
PKG_WEB="$ROOT/web/pkg"
PKG_NODE="$ROOT/web/pkg-node"
DEBIAN_PKGS=(rustc-web cargo-web rust-web-src lld)

route=${CALLCAP_WASM_ROUTE:-auto}
want_node=1
want_opt=1
want_test=0
while [ $# -gt 0 ]; do
  case "$1" in
    --route) route=${2:?--route needs auto, rustup or debian}; shift 2 ;;
    --route=*) route=${1#--route=}; shift ;;
    --no-node) want_node=0; shift ;;
    --no-opt) want_opt=0; shift ;;
    --test) want_test=1; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
rustup_has_target() {
  command -v rustc >/dev/null || return 1
  local sysroot
  sysroot=$(rustc --print sysroot 2>/dev/null) || return 1
  [ -d "$sysroot/lib/rustlib/$TARGET/lib" ] && return 0
  command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx "$TARGET"
}

as_root() {   # run a command as root, or fail if we cannot
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

debian_missing() {
  local p missing=()
  for p in "${DEBIAN_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[*]}"
}

if [ "$route" = auto ]; then
  if rustup_has_target; then
    route=rustup
    note "route: rustup (its toolchain already has the $TARGET std)"
  elif command -v rustup >/dev/null && say "trying: rustup target add $TARGET" &&
       timeout 300 rustup target add "$TARGET" >&2 && rustup_has_target; then
    route=rustup
    note "route: rustup; installed: the $TARGET std (rustup target add $TARGET)"
  else
    say "rustup cannot provide the $TARGET std here; falling back to Debian's packages"
    route=debian
  fi
else
  note "route: $route (forced)"
  if [ "$route" = rustup ] && ! rustup_has_target; then
    die "the rustup toolchain has no $TARGET std; run: rustup target add $TARGET"
  fi
fi

if [ "$route" = debian ]; then
  command -v dpkg-query >/dev/null || die "no rustup $TARGET std and no Debian packaging; run: rustup target add $TARGET"
  missing=$(debian_missing)
  if [ -n "$missing" ]; then
    say "Debian packages missing: $missing"
    # shellcheck disable=SC2086 # word splitting wanted: a list of package names
    if as_root true 2>/dev/null; then
      # Update first: bookworm's main archive has rustc-web 1.85, bookworm-security a newer one.
      as_root apt-get update -qq >&2 || say "apt-get update failed; trying the package lists we have"
      as_root apt-get install -y --no-install-recommends $missing >&2 ||
        die "apt-get could not install: $missing"
      note "installed Debian packages: $missing"
    else
      die "missing Debian packages: $missing
  install them as root:  apt-get install -y $missing
  (or give this machine the rustup std:  rustup target add $TARGET)"
    fi
  fi
  note "debian toolchain: $(/usr/bin/rustc --version); std built from /usr/lib/rustlib/src/rust"
  [ -d /usr/lib/rustlib/src/rust/library ] || die "rust-web-src is installed but /usr/lib/rustlib/src/rust/library is not there"
  command -v wasm-ld >/dev/null || die "lld is installed but wasm-ld is not on PATH"
fi

# --- 2. build ------------------------------------------------------------------------------
# Size matters more than speed for a page: optimise for size, whole-program LTO, one codegen
# unit. Set here (not in a [profile]) so the core's own release profile is untouched for the CLI.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}
export CARGO_PROFILE_RELEASE_LTO=${CARGO_PROFILE_RELEASE_LTO:-true}
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}
export CARGO_PROFILE_RELEASE_PANIC=${CARGO_PROFILE_RELEASE_PANIC:-abort}

# wasm_cargo SUBCOMMAND ARGS...: cargo for the wasm target on the chosen route.
if [ "$route" = rustup ]; then
  target_dir=${CARGO_TARGET_DIR:-$ROOT/target}
  wasm_cargo() {
    local sub=$1; shift
    say "running: cargo $sub --release --target $TARGET -p $CRATE $*"
    cargo "$sub" --release --target "$TARGET" -p "$CRATE" --target-dir "$target_dir" "$@" >&2
  }
else
  target_dir=$ROOT/target/wasm-debian
  wasm_cargo() {
    local sub=$1; shift
    say "running: RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld /usr/bin/cargo $sub --release --target $TARGET -p $CRATE -Zbuild-std=std,panic_abort --target-dir target/wasm-debian $*"
    # RUSTUP_TOOLCHAIN and friends are cleared so no rustup shim sneaks back in under this build.
    env -u RUSTUP_TOOLCHAIN -u RUSTC_WRAPPER -u RUSTDOC \
      RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
      /usr/bin/cargo "$sub" --release --target "$TARGET" -p "$CRATE" \
        -Zbuild-std=std,panic_abort --target-dir "$target_dir" "$@" >&2
  }
fi

t=$(now)
wasm_cargo build
wasm_in="$target_dir/$TARGET/release/$LIB.wasm"
[ -f "$wasm_in" ] || die "the build did not produce $wasm_in"
note "built: ${wasm_in#"$ROOT"/} in $(( $(now) - t )) s"

# --- 3. the wasm-bindgen CLI, at Cargo.lock's version ---------------------------------------
versions=$(awk '
  /^\[\[package\]\]/ { name = "" }
  /^name = /         { name = $3 }
  /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3 }' Cargo.lock | sort -u)
[ -n "$versions" ] || die "Cargo.lock has no wasm-bindgen package"
[ "$(printf '%s\n' "$versions" | wc -l)" -eq 1 ] ||
  die "Cargo.lock has several wasm-bindgen versions ($(echo $versions)); unify them first"
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
rm -rf "$PKG_WEB" "$PKG_NODE"
"$bindgen" --target web --out-dir "$PKG_WEB" --out-name "$LIB" "$wasm_in"
if [ "$want_node" = 1 ]; then
  "$bindgen" --target nodejs --out-dir "$PKG_NODE" --out-name "$LIB" "$wasm_in"
  # CommonJS glue inside web/, whose package.json says "type": "module": say what it is.
  printf '{ "type": "commonjs" }\n' > "$PKG_NODE/package.json"
fi

# --- 5. wasm-opt -----------------------------------------------------------------------------
wasm_opt="$ROOT/web/node_modules/binaryen/bin/wasm-opt"
if [ "$want_opt" = 0 ]; then
  note "wasm-opt: skipped (--no-opt)"
elif [ -e "$wasm_opt" ] && command -v node >/dev/null; then
  # The features current rustc enables by default for wasm32-unknown-unknown.
  features=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
            --enable-sign-ext --enable-reference-types --enable-multivalue)
  f="$PKG_WEB/${LIB}_bg.wasm"
  before=$(stat -c %s "$f")
  node "$wasm_opt" -Oz "${features[@]}" "$f" -o "$f.opt"
  # Both targets get the same module; optimise once and copy it when they are identical.
  g="$PKG_NODE/${LIB}_bg.wasm"
  if [ -f "$g" ] && cmp -s "$f" "$g"; then
    cp "$f.opt" "$g"
  elif [ -f "$g" ]; then
    node "$wasm_opt" -Oz "${features[@]}" "$g" -o "$g.opt" && mv "$g.opt" "$g"
  fi
  mv "$f.opt" "$f"
  note "wasm-opt -Oz: ${f#"$ROOT"/} $before -> $(stat -c %s "$f") bytes"
else
  note "wasm-opt: skipped (web/node_modules has no binaryen; npm install --prefix web binaryen)"
fi

# --- 6. wasm-bindgen tests under Node (--test) ------------------------------------------------
if [ "$want_test" = 1 ]; then
  runner="$(dirname "$bindgen")/wasm-bindgen-test-runner"
  [ -x "$runner" ] || die "no wasm-bindgen-test-runner beside $bindgen (cargo install wasm-bindgen-cli --version $wb_version installs both)"
  command -v node >/dev/null || die "the wasm-bindgen tests run under Node, and node is not on PATH"
  t=$(now)
  # With std built from source (debian route), the test harness must abort on panic like the
  # std it links, or cargo builds a second std and the two clash (-Zpanic-abort-tests).
  abort_tests=()
  [ "$route" = debian ] && abort_tests=(-Zpanic-abort-tests)
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$runner" wasm_cargo test --test node "${abort_tests[@]}"
  note "wasm-bindgen tests: passed under Node ($(node --version)) in $(( $(now) - t )) s"
fi

# --- 7. check and report --------------------------------------------------------------------
if [ "$want_node" = 1 ] && command -v node >/dev/null; then
  v=$(node -e 'console.log(require(process.argv[1]).version())' "$PKG_NODE/$LIB.js")
  note "node check: require('web/pkg-node/$LIB.js').version() = $v"
fi

echo "== build-wasm summary =="
printf '  %s\n' "${SUMMARY[@]}"
echo "  wasm-bindgen: $wb_version ($bindgen)"
echo "  output (raw bytes / gzip -9 bytes):"
for f in "$PKG_WEB"/* "$PKG_NODE"/*; do
  [ -f "$f" ] || continue
  printf '    %-40s %9d %9d\n' "${f#"$ROOT"/}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
done
echo "  total time: $(( $(now) - T0 )) s"
