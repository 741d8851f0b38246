#!/usr/bin/env bash
# Bulk scale: `callcap check` over 1,000, 10,000 and 100,000 synthetic tariffs, against the floor
# (reading and parsing the same files with the toml crate into toml::Value, on every core).
#
# Usage: scripts/scale.sh [COUNT...]          (default: 1000 10000 100000)
# Environment: SEED (default 1), RUNS (timed runs per command, default 3; the median is shown),
#              DATE (default 2026-06-01), NICE (default 10), CALLGRIND (default 1: also count
#              instructions with valgrind --tool=callgrind on the 10k set, or the smallest if
#              there is none: a figure that does not depend on what else the machine is doing;
#              the floor's is counted twice, parsing into a table and, with --document, parsing
#              the document alone, as the check does; 0 to skip).
#
# Files are generated once per count and seed under target/scale/ by
# `cargo run --release --example generate_tariffs` and reused. Each command runs once untimed to
# warm the page cache, then RUNS times under /usr/bin/time -v (wall time from `date +%s%N`, peak
# RSS and CPU time from time -v). Prints a Markdown table, the time and the peak memory per set
# (the check's memory beyond the floor's, which holds the same list of paths, should not grow with
# the set: results are streamed, and workers never run more than a bounded window ahead of the
# writer, which a unit test in src/cli/bulk.rs proves), and the exact commands; docs/scale.md holds
# the figures measured on the project's machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

SEED=${SEED:-1}
RUNS=${RUNS:-3}
DATE=${DATE:-2026-06-01}
NICE=${NICE:-10}
CALLGRIND=${CALLGRIND:-1}
if [ $# -gt 0 ]; then COUNTS=("$@"); else COUNTS=(1000 10000 100000); fi

say() { printf '== %s\n' "$*" >&2; }

if [ ! -x /usr/bin/time ]; then
  echo "scale.sh needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2
  exit 1
fi

say "building (release): callcap, generate_tariffs, toml_floor"
cargo build --release --quiet --bin callcap --example generate_tariffs --example toml_floor
CALLCAP=target/release/callcap
FLOOR=target/release/examples/toml_floor
GEN=target/release/examples/generate_tariffs

label() {
  local n=$1
  if [ $((n % 1000)) -eq 0 ]; then echo "$((n / 1000))k"; else echo "$n"; fi
}

# measure CMD...: runs the command RUNS times; prints "wall_seconds peak_rss_kb cpu_seconds"
# (medians).
measure() {
  local out walls=() rsss=() cpus=()
  out=$(mktemp)
  "$@" >/dev/null 2>&1 || true # warm the page cache
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    /usr/bin/time -v -o "$out" nice -n "$NICE" "$@" >/dev/null 2>/dev/null || true
    end=$(date +%s%N)
    walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')")
    rsss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out")")
    cpus+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$out")")
  done
  rm -f "$out"
  median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
  echo "$(median "${walls[@]}") $(median "${rsss[@]}") $(median "${cpus[@]}")"
}

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
for n in "${COUNTS[@]}"; do
  dir="target/scale/$(label "$n")"
  stamp="$dir/.generated-seed-$SEED-count-$n"
  if [ ! -f "$stamp" ]; then
    say "generating $n files (seed $SEED) in $dir"
    rm -rf "$dir"
    "$GEN" --count "$n" --seed "$SEED" --out "$dir"
    touch "$stamp"
  fi
  say "timing $n files: callcap check"
  read -r cw cr cc < <(measure "$CALLCAP" check "$dir" --date "$DATE" --format csv)
  say "timing $n files: toml floor"
  read -r fw fr fc < <(measure "$FLOOR" "$dir")
  ROWS+=("$n $cw $cr $cc $fw $fr $fc")
done

# instructions CMD...: instructions executed (all threads), counted by callgrind.
instructions() {
  local log
  log=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >/dev/null 2>"$log" || true
  awk '/Collected/ { print $NF }' "$log"
  rm -f "$log"
}

IR=""
if [ "$CALLGRIND" != 0 ] && command -v valgrind >/dev/null 2>&1; then
  n=${COUNTS[0]}
  for c in "${COUNTS[@]}"; do
    if [ "$c" = 10000 ]; then n=10000; fi
  done
  IR_SET="target/scale/$(label "$n")"
  dir=$IR_SET
  say "counting instructions on $n files (callgrind)"
  ci=$(instructions "$CALLCAP" check "$dir" --date "$DATE" --format csv)
  fi=$(instructions "$FLOOR" "$dir")
  di=$(instructions "$FLOOR" --document "$dir")
  IR="$n $ci $fi $di"
fi

cores=$(nproc)
echo
echo "callcap check vs the toml floor ($cores cores, seed $SEED, date $DATE, median of $RUNS runs, nice -n $NICE;"
echo "load average before the runs: $LOAD)"
echo
echo "| files | check wall (s) | check files/s | check CPU (s) | check peak RSS (MB) | floor wall (s) | floor files/s | floor CPU (s) | floor peak RSS (MB) | wall ratio | CPU ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do
  read -r n cw cr cc fw fr fc <<<"$row"
  awk -v n="$n" -v cw="$cw" -v cr="$cr" -v cc="$cc" -v fw="$fw" -v fr="$fr" -v fc="$fc" 'BEGIN {
    printf "| %d | %.3f | %.0f | %.2f | %.1f | %.3f | %.0f | %.2f | %.1f | %.2f× | %s |\n",
      n, cw, n / cw, cc, cr / 1024, fw, n / fw, fc, fr / 1024, cw / fw,
      (fc > 0 ? sprintf("%.2f×", cc / fc) : "—")
  }'
done
echo
echo "Linearity (wall time per 1,000 files, relative to the smallest set):"
first=""
for row in "${ROWS[@]}"; do
  read -r n cw cr cc fw fr fc <<<"$row"
  per=$(awk -v n="$n" -v w="$cw" 'BEGIN { printf "%.4f", w / n * 1000 }')
  fper=$(awk -v n="$n" -v w="$fw" 'BEGIN { printf "%.4f", w / n * 1000 }')
  if [ -z "$first" ]; then first=$per ffirst=$fper; fi
  awk -v n="$n" -v p="$per" -v f="$first" -v fp="$fper" -v ff="$ffirst" 'BEGIN {
    printf "  %7d files: check %.3f s per 1,000 (%.2f× the first), floor %.3f s per 1,000 (%.2f×)\n", n, p, p / f, fp, fp / ff
  }'
done
echo
echo "Peak memory (what the check holds beyond the floor, which holds the same list of paths; flat"
echo "when results are streamed and the workers' lead over the writer is bounded):"
for row in "${ROWS[@]}"; do
  read -r n cw cr cc fw fr fc <<<"$row"
  awk -v n="$n" -v c="$cr" -v f="$fr" 'BEGIN {
    printf "  %7d files: check %.1f MB, floor %.1f MB: %.1f MB beyond the floor\n", n, c / 1024, f / 1024, (c - f) / 1024
  }'
done
if [ -n "$IR" ]; then
  read -r n ci fi di <<<"$IR"
  echo
  awk -v n="$n" -v c="$ci" -v f="$fi" -v d="$di" 'BEGIN {
    printf "Instructions (callgrind, %d files, all threads): check %.0f per file, floor %.0f per file: %.2f×\n", n, c / n, f / n, c / f
    printf "  of which reading and parsing the document alone (toml_floor --document): %.0f per file;\n", d / n
    printf "  the check'"'"'s own work beyond it (strict reader, rules, checks, output): %.0f per file\n", (c - d) / n
  }'
fi
echo
echo "Commands (release build; COUNT is each of ${COUNTS[*]}):"
echo "  cargo run --release --example generate_tariffs -- --count COUNT --seed $SEED --out target/scale/<COUNT>"
echo "  /usr/bin/time -v nice -n $NICE $CALLCAP check target/scale/<COUNT> --date $DATE --format csv > /dev/null"
echo "  /usr/bin/time -v nice -n $NICE $FLOOR target/scale/<COUNT>"
if [ -n "$IR" ]; then
  echo "  valgrind --tool=callgrind $CALLCAP check $IR_SET --date $DATE --format csv > /dev/null   (and $FLOOR [--document] $IR_SET)"
fi
