#!/usr/bin/env bash
# Initialise CKAN's database and apply every plugin migration (cdm, activity…).
# Usage: bash scripts/ckan-db.sh demo.ini|test.ini   (idempotent)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
INI="${1:?usage: ckan-db.sh CONFIG.ini}"
CKAN="$VENV/bin/ckan"
log "CKAN: initialising the database of $INI and applying pending migrations"
"$CKAN" -c "$ROOT/$INI" db init >"$RUN_DIR/log/db-init.log" 2>&1 \
  || { tail -20 "$RUN_DIR/log/db-init.log"; die "ckan db init failed"; }
"$CKAN" -c "$ROOT/$INI" db pending-migrations --apply >>"$RUN_DIR/log/db-init.log" 2>&1 \
  || { tail -20 "$RUN_DIR/log/db-init.log"; die "plugin migrations failed"; }
log "CKAN: database ready"
