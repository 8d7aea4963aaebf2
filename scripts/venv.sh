#!/usr/bin/env bash
# The project's virtual environment (.venv): CKAN 2.12.0, ckanext-scheming
# 3.1.0, this extension (editable) and the development tools. Reinstalls only
# when pyproject.toml changed since the last install.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STAMP="$VENV/.cdm-installed"

# Build dependencies of CKAN's requirements (psycopg2 is built from source,
# python-magic loads libmagic).
apt_install libpq-dev libmagic1 gcc

if [ ! -x "$PY" ]; then
  PYTHON="${PYTHON:-}"
  if [ -z "$PYTHON" ]; then
    for candidate in python3.11 python3.12 python3.10 python3; do
      if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
        PYTHON=$candidate; break
      fi
    done
  fi
  [ -n "$PYTHON" ] || die "Python >= 3.10 is needed (set PYTHON=/path/to/python3.11)"
  log "Python: creating virtual environment $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV" || die "could not create the virtual environment (on Debian: apt-get install python3-venv)"
fi

if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ] || [ "$ROOT/setup.py" -nt "$STAMP" ]; then
  log "Python: installing CKAN 2.12.0, ckanext-scheming 3.1.0 and ckanext-cdm (a few minutes the first time)"
  "$PY" -m pip install -q --upgrade pip setuptools wheel >"$RUN_DIR/log/pip.log" 2>&1 \
    || { tail -20 "$RUN_DIR/log/pip.log"; die "pip could not upgrade itself (see $RUN_DIR/log/pip.log)"; }
  "$PY" -m pip install -q -e "$ROOT[dev]" >>"$RUN_DIR/log/pip.log" 2>&1 \
    || { tail -20 "$RUN_DIR/log/pip.log"; die "pip install failed (see $RUN_DIR/log/pip.log)"; }
  touch "$STAMP"
else
  log "Python: virtual environment up to date ($VENV)"
fi
