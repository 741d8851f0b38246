#!/usr/bin/env bash
# `callcap audit` at scale, against its floor: reading and parsing the same CSV with the csv
# crate (examples/csv_floor.rs), measured in the same run.
#
# Usage: scripts/audit-scale.sh [ROWS...]      (default: 1000000)
# Environment: SEED (default 1), NICE (default 10), STREAM=1: the calls are not stored but
# piped through a FIFO from generate_calls, once for each command measured (the same bytes as
# the file; for the 70-million-call run, ~4.8 GB, where the disk is short). The generator runs
# beside the command measured; only the command's own CPU is counted. The audit is measured
# twice: on one thread per core (its default) and on one (`--jobs 1`).
#
# Files come from `cargo run --release --example generate_calls -- --rows N --seed S --out
# target/audit/N` (generated once per count and seed, then reused). Each command runs once
# untimed to warm the page cache, then REPEAT times (default 1; STREAM=1: once) under
# /usr/bin/time -v. Prints the least wall and CPU time and the largest peak RSS of those runs
# (scripts/lib.sh `best`), and the ratios to the floor.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
SEED=${SEED:-1}
NICE=${NICE:-10}
if [ $# -gt 0 ]; then COUNTS=("$@"); else COUNTS=(1000000); fi
[ -x /usr/bin/time ] || { echo "audit-scale.sh needs GNU time at /usr/bin/time" >&2; exit 1; }
cargo build --release --quiet --bin callcap --example generate_calls --example csv_floor

# measure COMMAND...: scripts/lib.sh.
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

jobs=$(nproc)
printf '| rows | CSV size | audit, %s threads: wall / CPU | peak RSS | audit, 1 thread: wall / CPU | floor wall / CPU | floor RSS | ratio wall (%s threads) / CPU (1 thread) |\n' "$jobs" "$jobs"
printf '|---:|---:|---:|---:|---:|---:|---:|---:|\n'
# STREAM=1: starts the generator writing into the FIFO (it blocks until the command reads).
feed() {
  target/release/examples/generate_calls --rows "$n" --seed "$SEED" --out "$dir" &
  while [ ! -s "$dir/facilities.csv" ]; do sleep 0.1; done
  sleep 0.5
}
for n in "${COUNTS[@]}"; do
  audit_args() { audit=(target/release/callcap audit "$dir/calls.csv" --facilities "$dir/facilities.csv" --format json); }
  if [ "${STREAM:-0}" = 1 ]; then
    dir=target/audit/stream-$n-s$SEED
    mkdir -p "$dir"; rm -f "$dir/calls.csv" "$dir/facilities.csv"; mkfifo "$dir/calls.csv"
    audit_args; floor=(target/release/examples/csv_floor "$dir/calls.csv")
    feed; read -r fw fc fr < <(measure "${floor[@]}"); wait
    rm -f "$dir/facilities.csv"; feed; read -r aw ac ar < <(measure "${audit[@]}"); wait
    rm -f "$dir/facilities.csv"; feed; read -r ow oc _ < <(measure "${audit[@]}" --jobs 1); wait
    rm -rf "$dir"
    size="streamed"
  else
    dir=target/audit/$n-s$SEED
    if [ ! -f "$dir/calls.csv" ]; then
      target/release/examples/generate_calls --rows "$n" --seed "$SEED" --out "$dir"
    fi
    audit_args; floor=(target/release/examples/csv_floor "$dir/calls.csv")
    "${floor[@]}" > /dev/null; "${audit[@]}" > /dev/null 2>&1 || true
    read -r fw fc fr < <(best "${floor[@]}")
    read -r aw ac ar < <(best "${audit[@]}")
    read -r ow oc _ < <(best "${audit[@]}" --jobs 1)
    size=$(du -h "$dir/calls.csv" | cut -f1)
  fi
  awk -v n="$n" -v sz="$size" -v aw="$aw" -v ac="$ac" -v ar="$ar" -v ow="$ow" -v oc="$oc" \
      -v fw="$fw" -v fc="$fc" -v fr="$fr" \
    'BEGIN { printf "| %d | %s | %.2f s / %.2f s | %.1f MB | %.2f s / %.2f s | %.2f s / %.2f s | %.1f MB | %.1f× / %.1f× |\n",
             n, sz, aw, ac, ar / 1024, ow, oc, fw, fc, fr / 1024, aw / fw, oc / (fc > 0 ? fc : 0.01) }'
done
echo "commands: ${audit[*]}  vs  ${floor[*]}" >&2
