# Shared helpers for the project's service scripts. Source it, don't run it.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${CDM_RUN_DIR:-$ROOT/.run}"      # everything the scripts create at run time
VENV="${CDM_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
mkdir -p "$RUN_DIR/log" "$RUN_DIR/started"

log()  { printf '\033[1;34m[cdm]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[cdm]\033[0m %s\n' "$*" >&2; }
die()  { printf '\033[1;31m[cdm] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Remember that the project itself started a service, so `make stop` stops
# that service and never one the user was already running.
mark_started()  { date -u +%FT%TZ > "$RUN_DIR/started/$1"; }
was_started()   { [ -f "$RUN_DIR/started/$1" ]; }
forget_started(){ rm -f "$RUN_DIR/started/$1"; }

# Run a command as root (directly, or through sudo when we are not root).
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  # Install Debian packages that are missing; one `apt-get update` per run.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -q >"$RUN_DIR/log/apt.log" 2>&1 || die "apt-get update failed (see $RUN_DIR/log/apt.log)"; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >>"$RUN_DIR/log/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed (see $RUN_DIR/log/apt.log)"
}

# wait_for DESCRIPTION SECONDS COMMAND...: poll until COMMAND succeeds.
wait_for() {
  local what="$1" secs="$2"; shift 2
  local i
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}

# url_status postgres|redis URL: prints one line on the service named by an
# override URL (its password hidden); fails when the service does not answer.
url_status() {
  if [ ! -x "$PY" ]; then
    printf '%s not checked: %s is missing (make venv)\n' "$(sed 's#://\([^:/@]*\):[^@]*@#://\1:***@#' <<<"$2")" "$PY"
    return 1
  fi
  "$PY" "$ROOT/scripts/service_status.py" "$1" "$2"
}
