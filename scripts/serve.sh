#!/usr/bin/env bash
# Serve the portal on http://127.0.0.1:5000 (foreground; Ctrl-C stops it) with a
# background-jobs worker beside it. Usage: bash scripts/serve.sh demo.ini
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
INI="${1:-demo.ini}"
CKAN="$VENV/bin/ckan"
HOST="${CDM_HOST:-127.0.0.1}"
PORT="${CDM_PORT:-5000}"

if ( exec 3<>"/dev/tcp/$HOST/$PORT" ) 2>/dev/null; then
  die "port $PORT is busy: is the portal already running? (CDM_PORT=5001 make demo serves elsewhere)"
fi

# A local SMTP sink for the demo's e-mails (smtp.server = 127.0.0.1:8025):
# every message the portal sends is written to .run/log/mail.log.
PYTHONUNBUFFERED=1 "$PY" -m aiosmtpd -n -l 127.0.0.1:8025 >"$RUN_DIR/log/mail.log" 2>&1 &
mail_sink=$!
"$CKAN" -c "$ROOT/$INI" jobs worker >"$RUN_DIR/log/worker.log" 2>&1 &
worker=$!
trap 'kill $worker $mail_sink 2>/dev/null || true' EXIT INT TERM

log "Portal: http://$HOST:$PORT  (French by default, English at http://$HOST:$PORT/en/)"
log "Background jobs worker running (log: $RUN_DIR/log/worker.log); e-mails land in $RUN_DIR/log/mail.log."
log "Ctrl-C stops the portal; 'make stop' stops the services."
"$CKAN" -c "$ROOT/$INI" run --host "$HOST" --port "$PORT" --disable-reloader
