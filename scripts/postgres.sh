#!/usr/bin/env bash
# PostgreSQL for the demo and the tests: `bash scripts/postgres.sh start|stop|status`.
# Uses Debian's cluster; creates the role `cdm` and the databases cdm_demo and
# cdm_test. Does nothing when CKAN_SQLALCHEMY_URL points at the user's own server.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_ROLE=cdm
PG_PASSWORD=cdm
PG_DATABASES=(cdm_demo cdm_test)

psql_admin() { as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt "$@"; }

cluster() {  # prints "version name status" of the first Debian cluster
  pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1, $2, $4}'
}

ready() { as_root runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p 5432; }

start() {
  if [ -n "${CKAN_SQLALCHEMY_URL:-}" ]; then
    log "PostgreSQL: using CKAN_SQLALCHEMY_URL, nothing to install or start"
    return 0
  fi
  if ready 2>/dev/null; then
    log "PostgreSQL: already running on 127.0.0.1:5432"
  else
    apt_install postgresql
    read -r version name status <<<"$(cluster)"
    if [ -z "${version:-}" ]; then
      version=$(ls /usr/lib/postgresql | sort -V | tail -1)
      log "PostgreSQL: creating cluster $version/main"
      as_root pg_createcluster "$version" main >/dev/null
      name=main status=down
    fi
    if [ "$status" != online ]; then
      log "PostgreSQL: starting cluster $version/$name"
      as_root pg_ctlcluster "$version" "$name" start
      echo "$version $name" > "$RUN_DIR/started/postgres.cluster"
      mark_started postgres
    fi
    wait_for "PostgreSQL" 30 ready || die "PostgreSQL did not answer on 127.0.0.1:5432"
    log "PostgreSQL: ready on 127.0.0.1:5432"
  fi
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_ROLE'")" != 1 ]; then
    log "PostgreSQL: creating role $PG_ROLE"
    psql_admin -c "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  for db in "${PG_DATABASES[@]}"; do
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
      log "PostgreSQL: creating database $db"
      psql_admin -c "CREATE DATABASE $db OWNER $PG_ROLE ENCODING 'UTF8' TEMPLATE template0"
    fi
  done
}

stop() {
  if was_started postgres; then
    read -r version name <"$RUN_DIR/started/postgres.cluster"
    log "PostgreSQL: stopping cluster $version/$name (started by the project)"
    as_root pg_ctlcluster "$version" "$name" stop || true
    forget_started postgres
    rm -f "$RUN_DIR/started/postgres.cluster"
  else
    log "PostgreSQL: not started by the project, left as it is"
  fi
}

status() {
  local line
  if [ -n "${CKAN_SQLALCHEMY_URL:-}" ]; then  # the database CKAN will use, not the local default
    if line="$(url_status postgres "$CKAN_SQLALCHEMY_URL")"; then
      log "PostgreSQL: up, CKAN_SQLALCHEMY_URL $line"
    else
      log "PostgreSQL: down, CKAN_SQLALCHEMY_URL $line"; return 1
    fi
  elif ready 2>/dev/null; then
    log "PostgreSQL: up on 127.0.0.1:5432"
  else
    log "PostgreSQL: down (nothing answers on 127.0.0.1:5432)"; return 1
  fi
}

"${1:-start}"
