#!/usr/bin/env bash
# Installs the peers (benches/peers/requirements.txt, pinned, from PyPI) into
# target/peers-venv, once; prints the venv's python. Reinstalls when the requirements change.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV=$ROOT/target/peers-venv
REQ=$ROOT/benches/peers/requirements.txt
command -v python3 >/dev/null || { echo "the peers need Python 3.11 or newer (python3)" >&2; exit 1; }
if ! cmp -s "$REQ" "$VENV/.requirements" 2>/dev/null; then
  python3 -m venv "$VENV" >&2 || { echo "python3 -m venv failed (on Debian: apt-get install python3-venv)" >&2; exit 1; }
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ" >&2
  cp "$REQ" "$VENV/.requirements"
fi
echo "$VENV/bin/python"
