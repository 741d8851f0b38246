#!/usr/bin/env bash
# DuckDB and callcap must agree to the cent: audits one generated file (default 100,000 calls,
# seed 7) with `callcap audit` and with the DuckDB SQL of benches/peers/audit.py (joined
# against `callcap audit-terms`), and compares the summary, facility-month and account totals
# (benches/peers/compare.py). Exits non-zero on any difference.
#
# Usage: benches/peers/agree.sh [ROWS]     Environment: PROFILE=debug|release (default debug:
# what `cargo test` built), PEERS="duckdb polars pandas" to check more than DuckDB.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
ROWS=${1:-100000}
PROFILE=${PROFILE:-debug}
PEERS=${PEERS:-duckdb}
flag=(); [ "$PROFILE" = release ] && flag=(--release)
cargo build --quiet "${flag[@]}" --bin callcap --example generate_calls
PY=$(benches/peers/venv.sh)
dir=target/audit/agree-$ROWS-s7
[ -f "$dir/calls.csv" ] || "target/$PROFILE/examples/generate_calls" --rows "$ROWS" --seed 7 --out "$dir"
"target/$PROFILE/callcap" audit-terms --facilities "$dir/facilities.csv" > "$dir/terms.csv"
"target/$PROFILE/callcap" audit "$dir/calls.csv" --facilities "$dir/facilities.csv" --format csv \
  > "$dir/callcap.csv" || [ $? -eq 1 ]
for peer in $PEERS; do
  "$PY" benches/peers/audit.py "$peer" "$dir/calls.csv" "$dir/terms.csv" "$dir/$peer.csv"
  printf '%s vs callcap, %s calls: ' "$peer" "$ROWS"
  "$PY" benches/peers/compare.py "$dir/callcap.csv" "$dir/$peer.csv"
done
