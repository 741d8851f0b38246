#!/usr/bin/env bash
# The Python binding's tests (python/), on a fresh machine too:
#   1. a virtual environment in target/py-venv with python/requirements-dev.txt's pinned
#      packages (maturin, pytest, pyarrow, pandas, Polars, Dask distributed), made again when
#      that file changes;
#   2. the binding crate's formatting and clippy (-D warnings): it is outside the cargo
#      workspace, so `cargo fmt --all` and `cargo clippy --workspace` at the root skip it;
#   3. the CLI and the call generator (debug), which the tests compare with;
#   4. `maturin develop --release`: builds the extension and installs the package into the venv;
#   5. pytest: caps, check, estimate and audit against the CLI, pyarrow, Polars and pandas
#      input, bad input, and the audit on a local two-worker Dask cluster.
# Exits non-zero on any failure.
#
# Environment: PYTHON (default python3, 3.9 or newer, with its venv module).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '== %s\n' "$*" >&2; }
die() { echo "test-python: $*" >&2; exit 1; }

PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || die "Python 3.9 or newer is needed ($PYTHON not found; on Debian: apt-get install python3 python3-venv)"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' \
  || die "$("$PYTHON" --version) is too old; 3.9 or newer is needed"

VENV=$ROOT/target/py-venv
REQUIREMENTS=$ROOT/python/requirements-dev.txt
stamp=$(sha256sum "$REQUIREMENTS" | cut -c1-16)
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$stamp" ]; then
  say "virtual environment target/py-venv (python/requirements-dev.txt)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV" \
    || die "cannot make a virtual environment (on Debian: apt-get install python3-venv)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$stamp" > "$VENV/.requirements"
fi
export PATH="$VENV/bin:$PATH" VIRTUAL_ENV="$VENV" PYO3_PYTHON="$VENV/bin/python"
# The binding's own build directory, so that it does not rebuild the workspace's.
export CARGO_TARGET_DIR=$ROOT/target/python

say "python/: cargo fmt --check, cargo clippy -D warnings"
(cd python && cargo fmt -- --check && cargo clippy --release --all-targets -- -D warnings)

say "the CLI and the call generator, to compare with"
CARGO_TARGET_DIR=$ROOT/target cargo build --quiet --bin callcap --example generate_calls
export CALLCAP_BIN=$ROOT/target/debug/callcap
export CALLCAP_GENERATE_CALLS=$ROOT/target/debug/examples/generate_calls

say "maturin develop --release (the package, into target/py-venv)"
(cd python && maturin develop --release --quiet)

say "pytest python/tests"
(cd python && python -m pytest -q -p no:cacheprovider)
