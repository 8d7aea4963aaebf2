#!/usr/bin/env bash
# Serve the portal on http://127.0.0.1:5000 (foreground; Ctrl-C stops it) as
# production would: gunicorn, several worker processes with threads each,
# serving ckanext.cdm.wsgi (CKAN's make_app over the ini), with a background
# jobs worker and a local SMTP sink beside it. Every log line goes to stdout.
# Usage: bash scripts/serve.sh demo.ini
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
INI="${1:-demo.ini}"
CKAN="$VENV/bin/ckan"
HOST="${CDM_HOST:-127.0.0.1}"
PORT="${CDM_PORT:-5000}"
WORKERS="${CDM_WORKERS:-2}"
THREADS="${CDM_THREADS:-4}"
# Links (e-mails, redirects) name the address actually served, unless the
# caller set CKAN_SITE_URL (which overrides the ini's ckan.site_url) itself.
export CKAN_SITE_URL="${CKAN_SITE_URL:-http://$HOST:$PORT}"
export CKAN_INI="$ROOT/$INI"

[[ "$WORKERS" =~ ^[1-9][0-9]*$ ]] || die "CDM_WORKERS must be a positive number (got '$WORKERS')"
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || die "CDM_THREADS must be a positive number (got '$THREADS')"
[ -x "$VENV/bin/gunicorn" ] || die "gunicorn is missing from $VENV: run 'make venv'"
if ( exec 3<>"/dev/tcp/$HOST/$PORT" ) 2>/dev/null; then
  die "port $PORT is busy: is the portal already running? (CDM_PORT=5001 make demo serves elsewhere)"
fi

# A local SMTP sink for the demo's e-mails (smtp.server = 127.0.0.1:8025):
# every message the portal sends is written to .run/log/mail.log.
PYTHONUNBUFFERED=1 "$PY" -m aiosmtpd -n -l 127.0.0.1:8025 >"$RUN_DIR/log/mail.log" 2>&1 &
mail_sink=$!
"$CKAN" -c "$CKAN_INI" jobs worker >"$RUN_DIR/log/worker.log" 2>&1 &
worker=$!
trap 'kill $worker $mail_sink 2>/dev/null || true' EXIT INT TERM

log "Portal: $CKAN_SITE_URL  (French by default, English at ${CKAN_SITE_URL%/}/en/)"
log "gunicorn: $WORKERS worker processes x $THREADS threads (CDM_WORKERS, CDM_THREADS), serving $INI"
log "Background jobs worker running (log: $RUN_DIR/log/worker.log); e-mails land in $RUN_DIR/log/mail.log."
log "Ctrl-C stops the portal; 'make stop' stops the services."
# --access-logfile -: one line per request on stdout; the error log (gunicorn's
# own messages and CKAN's loggers, configured by the ini) is joined to it.
# No --preload: each worker builds its own app, with its own database pool.
"$VENV/bin/gunicorn" \
  --bind "$HOST:$PORT" \
  --workers "$WORKERS" --threads "$THREADS" \
  --timeout 120 --graceful-timeout 10 \
  --access-logfile - --error-logfile - \
  --name cdm-portal --no-control-socket \
  "ckanext.cdm.wsgi:make_application()" 2>&1
