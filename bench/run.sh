#!/usr/bin/env bash
# make bench: the cost of ckanext-cdm on the catalogue's busiest pages
# (docs/performance.md). Steps:
#   1. a database (cdm_bench) and a Solr core (ckan_bench) of the benchmark's
#      own, created on the servers the project uses, then migrated;
#   2. the catalogue (bench/catalogue.py): 2,000 datasets (CDM_BENCH_DATASETS),
#      opinions on a quarter of them, written in bulk and indexed; reused
#      when already built and complete;
#   3. the SQL statements of each endpoint of bench/endpoints.py, with and
#      without the plugin (bench/queries.py);
#   4. the timings of the same endpoints, with and without the plugin, in
#      rounds (bench/timing.py).
# CDM_BENCH_MAX_RATIO (default 1.05) is the ratio above which it fails.
# "bash bench/run.sh scale" (make bench-scale) runs bench/scale.py instead of
# steps 3 and 4: the committee's work at the catalogue's scale.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

DATABASE="${CDM_BENCH_DATABASE:-cdm_bench}"
CORE="${CDM_BENCH_CORE:-ckan_bench}"
INI=bench/bench.ini
CKAN="$VENV/bin/ckan"
[ -x "$CKAN" ] || die "CKAN is missing from $VENV: run 'make venv'"

# The benchmark's database and core live on the servers CKAN is pointed at
# (CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL) or, without them, on the project's
# own; bench.ini names the latter.
if [ -n "${CKAN_SQLALCHEMY_URL:-}" ]; then
  export CKAN_SQLALCHEMY_URL="${CKAN_SQLALCHEMY_URL%/*}/$DATABASE"
else
  export CKAN_SQLALCHEMY_URL="postgresql://cdm:cdm@127.0.0.1:5432/$DATABASE"
fi
if [ -n "${CKAN_SOLR_URL:-}" ]; then
  export CKAN_SOLR_URL="${CKAN_SOLR_URL%/}"
  export CKAN_SOLR_URL="${CKAN_SOLR_URL%/*}/$CORE"
else
  export CKAN_SOLR_URL="http://127.0.0.1:${CDM_SOLR_PORT:-8983}/solr/$CORE"
fi

ensure_database() {
  if url_status postgres "$CKAN_SQLALCHEMY_URL" >/dev/null 2>&1; then return 0; fi
  local host
  host="$(sed -E 's#^[^:]+://([^@]*@)?([^:/]*).*#\2#' <<<"$CKAN_SQLALCHEMY_URL")"
  case "$host" in
    127.0.0.1|localhost) ;;
    *) die "database $DATABASE does not answer at $host: create it (owner: CKAN's role), or set CDM_BENCH_DATABASE" ;;
  esac
  local owner
  owner="$(sed -E 's#^[^:]+://([^:@]*).*#\1#' <<<"$CKAN_SQLALCHEMY_URL")"
  log "PostgreSQL: creating database $DATABASE (owner $owner)"
  as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt \
    -c "CREATE DATABASE $DATABASE OWNER $owner ENCODING 'UTF8' TEMPLATE template0" \
    || die "could not create database $DATABASE"
}

# A core like scripts/solr.sh builds them: the project's solrconfig.xml and the
# schema.xml of the installed CKAN, in a folder of the running Solr's home.
ensure_core() {
  local base="${CKAN_SOLR_URL%/*}" home schema conf
  if curl -fsS --max-time 5 "$CKAN_SOLR_URL/select?q=*:*&rows=0" >/dev/null 2>&1; then return 0; fi
  home="$(curl -fsS --max-time 10 "$base/admin/info/system?wt=json" \
    | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["solr_home"])')" \
    || die "Solr does not answer at $base"
  [ -d "$home" ] || die "Solr's home $home is not on this machine: create the core $CORE (CKAN's schema), or set CDM_BENCH_CORE"
  schema="$("$PY" -c "import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), 'config', 'solr', 'schema.xml'))")"
  conf="$home/$CORE/conf"
  log "Solr: creating core $CORE in $home"
  mkdir -p "$conf"
  cp "$ROOT/solr/solrconfig.xml" "$conf/solrconfig.xml"
  cp "$schema" "$conf/schema.xml"
  touch "$conf/synonyms.txt" "$conf/protwords.txt"
  curl -fsS --max-time 60 "$base/admin/cores?action=CREATE&name=$CORE&instanceDir=$CORE" >/dev/null \
    || die "Solr refused to create core $CORE"
}

ensure_database
ensure_core
log "Benchmark: database $DATABASE, Solr core $CKAN_SOLR_URL"
bash scripts/ckan-db.sh "$INI"
if ! "$PY" bench/catalogue.py check "$INI"; then
  log "Catalogue: building it afresh (a few minutes)"
  "$CKAN" -c "$INI" db clean --yes >/dev/null
  "$CKAN" -c "$INI" search-index clear >/dev/null
  bash scripts/ckan-db.sh "$INI"
  "$PY" bench/catalogue.py build "$INI"
fi
if [ "${1:-}" = scale ]; then  # make bench-scale
  exec "$PY" bench/scale.py "$INI"
fi
"$PY" bench/queries.py "$INI" bench/bench-without-cdm.ini
"$PY" bench/timing.py "$INI" bench/bench-without-cdm.ini
