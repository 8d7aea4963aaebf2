#!/usr/bin/env bash
# Redis for CKAN's cache and job queues: `bash scripts/redis.sh start|stop|status`.
# Runs Debian's redis-server as the project's own process on 127.0.0.1:6379.
# Does nothing when CKAN_REDIS_URL points at the user's own server.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_PORT=6379
PIDFILE="$RUN_DIR/redis/redis.pid"

ready() {  # a real PING over TCP, without needing redis-cli
  ( exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 \
      && read -r -t 2 reply <&3 && [[ "$reply" == +PONG* ]] ) 2>/dev/null
}

start() {
  if [ -n "${CKAN_REDIS_URL:-}" ]; then
    log "Redis: using CKAN_REDIS_URL, nothing to install or start"
    return 0
  fi
  if ready; then
    log "Redis: already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  apt_install redis-server
  mkdir -p "$RUN_DIR/redis"
  log "Redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$PIDFILE" --dir "$RUN_DIR/redis" --logfile "$RUN_DIR/log/redis.log" \
    --save "" --appendonly no
  wait_for "Redis" 20 ready || die "Redis did not answer (see $RUN_DIR/log/redis.log)"
  mark_started redis
  log "Redis: ready"
}

stop() {
  if was_started redis && [ -f "$PIDFILE" ]; then
    log "Redis: stopping (started by the project)"
    kill "$(cat "$PIDFILE")" 2>/dev/null || true
    wait_for "Redis stop" 10 bash -c "! kill -0 $(cat "$PIDFILE") 2>/dev/null" || true
    forget_started redis
  else
    log "Redis: not started by the project, left as it is"
  fi
}

status() {
  local line
  if [ -n "${CKAN_REDIS_URL:-}" ]; then  # the Redis CKAN will use, not the local default
    if line="$(url_status redis "$CKAN_REDIS_URL")"; then
      log "Redis: up, CKAN_REDIS_URL $line"
    else
      log "Redis: down, CKAN_REDIS_URL $line"; return 1
    fi
  elif ready; then
    log "Redis: up on 127.0.0.1:$REDIS_PORT"
  else
    log "Redis: down (nothing answers PING on 127.0.0.1:$REDIS_PORT)"; return 1
  fi
}

"${1:-start}"
