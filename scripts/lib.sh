# shellcheck shell=bash
# Shared by the scripts in scripts/ (sourced, not run). The caller defines `die MESSAGE`.

# as_root COMMAND...: runs a command as root (directly, or with passwordless sudo), or fails.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1
  fi
}

# need_node: Node.js 18 or newer and npm are on PATH, or the caller's `die` says what to install.
need_node() {
  command -v node >/dev/null || die "Node.js 18 or newer is needed (apt-get install nodejs npm, or https://nodejs.org)"
  command -v npm >/dev/null || die "npm is needed (it comes with Node.js; on Debian: apt-get install npm)"
  [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || die "Node.js $(node --version) is too old; 18 or newer is needed"
}

# measure COMMAND...: runs COMMAND once under GNU time at nice $NICE (default 10), its output
# dropped (exit 0 or 1 is a result), and prints its wall seconds, CPU seconds (user + system)
# and peak RSS in KB: `wall_s cpu_s rss_kb`. For the benchmark scripts (audit-scale.sh,
# audit-peers.sh).
measure() {
  local log; log=$(mktemp)
  local start end
  start=$(date +%s%N)
  nice -n "${NICE:-10}" /usr/bin/time -v -o "$log" "$@" > /dev/null 2>&1 || [ $? -le 1 ]
  end=$(date +%s%N)
  local user sys rss
  user=$(awk -F': ' '/User time/ {print $2}' "$log")
  sys=$(awk -F': ' '/System time/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$log")
  rm -f "$log"
  awk -v w="$(( (end - start) / 1000000 ))" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "%.3f %.3f %d\n", w / 1000, u + s, r }'
}

# best COMMAND...: `measure` run ${REPEAT:-1} times; prints the least wall time, the least CPU
# time and the largest peak RSS of those runs (each least on its own: the two may come from
# different runs). This machine's timings vary by 10-20% from run to run, so the benchmark
# scripts' figures are each the best of REPEAT runs, both tools measured alike.
best() {
  local i line out=""
  for ((i = 0; i < ${REPEAT:-1}; i++)); do
    line=$(measure "$@")
    out+="$line"$'\n'
  done
  printf '%s' "$out" | awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 < c { c = $2 } $3 > r { r = $3 }
    END { printf "%.3f %.3f %d\n", w, c, r }'
}
