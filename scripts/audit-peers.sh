#!/usr/bin/env bash
# `callcap audit` against its peers, on the same files: DuckDB SQL, Polars and pandas
# (benches/peers/audit.py, installed by benches/peers/venv.sh), each joined against the terms
# `callcap audit-terms` exports. Each command runs once untimed (page cache), then REPEAT times
# under /usr/bin/time -v; prints the least wall and CPU (user + sys) time and the largest peak
# RSS of those runs, each peer's CPU over callcap's (on a thread per core, its default; also
# shown on one), measured in the same run, and checks every peer's totals against callcap's
# to the cent (benches/peers/compare.py; a difference fails the script).
#
# Usage: scripts/audit-peers.sh [ROWS...]      (default: 1000000)
# Environment: SEED (default 1), NICE (default 10), PEERS (default "duckdb polars pandas"),
# REPEAT (default 1: runs of each command measured, the best kept; scripts/lib.sh `best`).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SEED=${SEED:-1}
NICE=${NICE:-10}
PEERS=${PEERS:-duckdb polars pandas}
if [ $# -gt 0 ]; then COUNTS=("$@"); else COUNTS=(1000000); fi
[ -x /usr/bin/time ] || { echo "audit-peers.sh needs GNU time at /usr/bin/time" >&2; exit 1; }
cargo build --release --quiet --bin callcap --example generate_calls
PY=$(benches/peers/venv.sh)

# measure COMMAND...: scripts/lib.sh.
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

printf '| rows | tool | wall | CPU (user+sys) | peak RSS | CPU / callcap | totals |\n'
printf '|---:|---|---:|---:|---:|---:|---|\n'
for n in "${COUNTS[@]}"; do
  dir=target/audit/$n-s$SEED
  [ -f "$dir/calls.csv" ] || target/release/examples/generate_calls --rows "$n" --seed "$SEED" --out "$dir"
  target/release/callcap audit-terms --facilities "$dir/facilities.csv" > "$dir/terms.csv"
  audit=(target/release/callcap audit "$dir/calls.csv" --facilities "$dir/facilities.csv" --format csv)
  "${audit[@]}" > "$dir/callcap.csv" || [ $? -eq 1 ]
  # callcap as it runs by default (a thread per core), then on one thread.
  read -r cw cc cr < <(best "${audit[@]}")
  read -r ow oc or < <(best "${audit[@]}" --jobs 1)
  awk -v n="$n" -v w="$cw" -v c="$cc" -v r="$cr" -v t="$(nproc)" \
    'BEGIN { printf "| %d | callcap (%d threads) | %.2f s | %.2f s | %.0f MB | 1.0× | |\n", n, t, w, c, r / 1024 }'
  awk -v n="$n" -v w="$ow" -v c="$oc" -v r="$or" -v base="$cc" \
    'BEGIN { printf "| %d | callcap (1 thread) | %.2f s | %.2f s | %.0f MB | %.1f× | |\n", n, w, c, r / 1024, c / base }'
  for peer in $PEERS; do
    run=("$PY" benches/peers/audit.py "$peer" "$dir/calls.csv" "$dir/terms.csv" "$dir/$peer.csv")
    "${run[@]}"
    agree=$("$PY" benches/peers/compare.py "$dir/callcap.csv" "$dir/$peer.csv" | cut -d: -f1)
    read -r pw pc pr < <(best "${run[@]}")
    awk -v n="$n" -v p="$peer" -v w="$pw" -v c="$pc" -v r="$pr" -v base="$cc" -v a="$agree" \
      'BEGIN { printf "| %d | %s | %.2f s | %.2f s | %.0f MB | %.1f× | %s |\n", n, p, w, c, r / 1024, c / base, a }'
  done
done
echo "callcap: ${audit[*]}; peers: $PY benches/peers/audit.py PEER CALLS TERMS OUT" >&2
