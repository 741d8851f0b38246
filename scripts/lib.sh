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
