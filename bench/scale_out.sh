#!/usr/bin/env bash
# make bench-scale-out: the portal as a production that outgrew one machine
# would run it, on this machine, then the checks of bench/scale_out.py
# (docs/scaling.md). Steps:
#   1. SolrCloud: CDM_SCALE_SOLR_NODES (default 2) Solr 9 nodes in cloud mode
#      from the jars scripts/solr.sh uses (solr/pom.xml), the first with
#      the embedded ZooKeeper (Solr's port + 1000), CKAN's configset uploaded
#      (adapted for SolrCloud, see make_configset), a collection of two shards;
#   2. a database of its own (cdm_scale, dropped and created afresh), migrated,
#      and a small benchmark catalogue (bench/catalogue.py, 200 datasets);
#   3. two gunicorn nodes (ports 5141 and 5142, 2 workers x 4 threads each,
#      separate processes, nothing shared but the services), one rq worker,
#      an SMTP sink, all on the same database, collection and Redis database;
#   4. the checks (bench/scale_out.py): badges across the shards, and the
#      races with one request to each node at once.
# Everything it started is stopped at the end (trap), whatever happened; the
# project's own PostgreSQL, Redis and Solr are only used, never stopped.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"

SOLR_PORT="${CDM_SCALE_SOLR_PORT:-8993}"
SOLR_NODES="${CDM_SCALE_SOLR_NODES:-2}"
ZK_HOST="127.0.0.1:$((SOLR_PORT + 1000))"   # Solr's embedded ZooKeeper: its port + 1000
NODE_PORT="${CDM_SCALE_PORT:-5141}"
NODES=("http://127.0.0.1:$NODE_PORT" "http://127.0.0.1:$((NODE_PORT + 1))")
DATABASE="${CDM_SCALE_DATABASE:-cdm_scale}"
COLLECTION="${CDM_SCALE_COLLECTION:-ckan_scale}"
SMTP_PORT="${CDM_SCALE_SMTP_PORT:-8036}"
DATASETS="${CDM_SCALE_DATASETS:-200}"
INI=bench/scale-out.ini
CKAN="$VENV/bin/ckan"
DIR="$RUN_DIR/scale-out"
SOLR_DIR="$DIR/solr"
LIB_DIR="$SOLR_DIR/lib"
SOLR_URL="http://127.0.0.1:$SOLR_PORT/solr"
[ -x "$CKAN" ] || die "CKAN is missing from $VENV: run 'make venv'"
[[ "$SOLR_NODES" =~ ^[12]$ ]] || die "CDM_SCALE_SOLR_NODES must be 1 or 2 (got '$SOLR_NODES')"

# CKAN's schema.xml and the project's solrconfig.xml, with the two changes
# SolrCloud needs: an update log (replicas and recovery replay it) and a
# _version_ field that holds longs (CKAN's schema declares it a string; the
# update log writes a long version into every document).
# `bash bench/scale_out.sh configset DIR` writes it into DIR and stops there.
make_configset() {  # DIR
  local conf="$1" schema
  schema="$("$PY" -c "import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), 'config', 'solr', 'schema.xml'))")"
  rm -rf "$conf" && mkdir -p "$conf"
  sed 's#<field name="_version_" type="string" indexed="true" stored="true"/>#<field name="_version_" type="plong" indexed="false" stored="false" docValues="true"/>#' \
    "$schema" > "$conf/schema.xml"
  grep -q '<field name="_version_" type="plong"' "$conf/schema.xml" \
    || die "Solr: CKAN's schema ($schema) no longer declares _version_ as this script expects"
  sed 's#<updateHandler class="solr.DirectUpdateHandler2">#&\n    <updateLog><str name="dir">${solr.ulog.dir:}</str></updateLog>#' \
    solr/solrconfig.xml > "$conf/solrconfig.xml"
  grep -q '<updateLog>' "$conf/solrconfig.xml" || die "Solr: could not add the update log to solr/solrconfig.xml"
  touch "$conf/synonyms.txt" "$conf/protwords.txt"
}

if [ "${1:-}" = configset ]; then
  make_configset "${2:?usage: bash bench/scale_out.sh configset DIR}"
  exit 0
fi

# What the nodes, the worker and the catalogue builder read (over the ini).
export CKAN_INI="$ROOT/$INI"
if [ -n "${CKAN_SQLALCHEMY_URL:-}" ]; then
  export CKAN_SQLALCHEMY_URL="${CKAN_SQLALCHEMY_URL%/*}/$DATABASE"
else
  export CKAN_SQLALCHEMY_URL="postgresql://cdm:cdm@127.0.0.1:5432/$DATABASE"
fi
export CKAN_SOLR_URL="$SOLR_URL/$COLLECTION"
export CKAN_REDIS_URL="${CDM_SCALE_REDIS_URL:-redis://127.0.0.1:6379/6}"
export CKAN_SMTP_SERVER="127.0.0.1:$SMTP_PORT"
export CKAN_SITE_URL="${NODES[0]}"   # the address a load balancer would have: the same on both nodes

# Every process started here, stopped in reverse order on exit.
PIDS=()
NAMES=()
started() { PIDS+=("$1"); NAMES+=("$2"); }
stop_all() {
  local i pid t
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid="${PIDS[$i]}"
    kill -0 "$pid" 2>/dev/null || continue
    log "stopping ${NAMES[$i]} (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((t = 0; t < 60; t++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && { warn "${NAMES[$i]} ignored SIGTERM for 30 s, killing it"; kill -KILL "$pid" 2>/dev/null || true; }
  done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM

port_busy() { ( exec 3<>"/dev/tcp/127.0.0.1/$1" ) 2>/dev/null; }
for port in "$SOLR_PORT" $((SOLR_PORT + 1000)) $((SOLR_PORT + 1)) "$NODE_PORT" $((NODE_PORT + 1)) "$SMTP_PORT"; do
  port_busy "$port" && die "port $port is busy (CDM_SCALE_SOLR_PORT, CDM_SCALE_PORT, CDM_SCALE_SMTP_PORT choose others)"
done
log "Scale-out run, $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. SolrCloud

find_java() {
  JAVA="$(command -v java || true)"
  [ -n "$JAVA" ] && "$JAVA" -version 2>&1 | head -1 | grep -Eq '"(1[7-9]|[2-9][0-9])' \
    || die "Solr 9 needs Java 17+: 'bash scripts/solr.sh start' installs it"
}

fetch_jars() {  # the jars of scripts/solr.sh (solr/pom.xml), from Maven's local cache once fetched
  local stamp
  stamp="$(sha256sum solr/pom.xml | cut -d' ' -f1)"
  [ -f "$LIB_DIR/.complete" ] && [ "$(cat "$LIB_DIR/.complete")" = "$stamp" ] && return 0
  command -v mvn >/dev/null 2>&1 || die "Maven is missing: 'bash scripts/solr.sh start' installs it"
  log "Solr: fetching the jars of solr/pom.xml into $LIB_DIR"
  rm -rf "$LIB_DIR"
  mvn -B -q -Dstyle.color=never -f solr/pom.xml \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DoutputDirectory="$LIB_DIR" >"$DIR/maven.log" 2>&1 \
    || { tail -20 "$DIR/maven.log"; die "Maven could not fetch the Solr jars (see $DIR/maven.log)"; }
  echo "$stamp" > "$LIB_DIR/.complete"
}

live_nodes() {
  curl -fsS --max-time 5 "$SOLR_URL/admin/collections?action=CLUSTERSTATUS&wt=json" 2>/dev/null \
    | "$PY" -c 'import json, sys; print(len(json.load(sys.stdin)["cluster"]["live_nodes"]))' 2>/dev/null
}

start_solr_node() {  # NUMBER PORT ZOOKEEPER-PROPERTY
  local home="$SOLR_DIR/node$1" pid
  mkdir -p "$home"
  cat > "$home/solr.xml" <<XML
<solr>
  <str name="allowPaths">\${solr.allowPaths:}</str>
  <solrcloud>
    <str name="host">127.0.0.1</str>
    <int name="hostPort">\${hostPort:$2}</int>
    <str name="hostContext">\${hostContext:solr}</str>
    <int name="zkClientTimeout">30000</int>
    <bool name="genericCoreNodeNames">true</bool>
  </solrcloud>
</solr>
XML
  # read by the embedded ZooKeeper: no admin server (it would take :8080)
  printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nadmin.enableServer=false\n' > "$home/zoo.cfg"
  ( cd "$SOLR_DIR" && exec "$JAVA" -Xms64m -Xmx512m -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true "$3" -Dsolr.log.dir="$SOLR_DIR" -Dsolr.install.dir="$SOLR_DIR" \
      -cp "$LIB_DIR/*" "$ROOT/solr/CdmSolr.java" "$home" "$2" >"$SOLR_DIR/node$1.log" 2>&1 </dev/null ) &
  pid=$!
  started "$pid" "Solr node $1 (:$2)"
}

wait_live() {  # COUNT: until the cluster has COUNT live nodes
  local t0=$SECONDS
  until [ "$(live_nodes)" = "$1" ]; do
    [ $((SECONDS - t0)) -lt 180 ] || { tail -20 "$SOLR_DIR"/node*.log; die "SolrCloud: not $1 live node(s) after 180 s"; }
    sleep 1
  done
}

find_java
fetch_jars
rm -rf "$SOLR_DIR"/node* "$SOLR_DIR/configset"
make_configset "$SOLR_DIR/configset"
log "Solr: node 1 on :$SOLR_PORT with its embedded ZooKeeper on $ZK_HOST"
start_solr_node 1 "$SOLR_PORT" -DzkRun
wait_live 1
if [ "$SOLR_NODES" = 2 ]; then
  log "Solr: node 2 on :$((SOLR_PORT + 1)), joining $ZK_HOST"
  start_solr_node 2 $((SOLR_PORT + 1)) -DzkHost="$ZK_HOST"
  wait_live 2
fi
log "Solr: uploading the configset $COLLECTION to ZooKeeper"
( cd "$SOLR_DIR" && "$JAVA" -Dsolr.install.dir="$SOLR_DIR" -cp "$LIB_DIR/*" org.apache.solr.cli.SolrCLI \
    zk upconfig -n "$COLLECTION" -d "$SOLR_DIR/configset" -z "$ZK_HOST" ) >"$DIR/upconfig.log" 2>&1 \
  || { tail -20 "$DIR/upconfig.log"; die "Solr: could not upload the configset"; }
log "Solr: collection $COLLECTION, 2 shards, 1 replica each, on $SOLR_NODES node(s)"
curl -fsS --max-time 120 "$SOLR_URL/admin/collections?action=CREATE&name=$COLLECTION&collection.configName=$COLLECTION&numShards=2&replicationFactor=1&wt=json" \
  >"$DIR/create.log" || { cat "$DIR/create.log"; die "Solr: could not create the collection"; }
wait_for "the collection" 60 curl -fsS --max-time 5 "$CKAN_SOLR_URL/select?q=*:*&rows=0" \
  || die "Solr: the collection $COLLECTION does not answer"
"$PY" - "$SOLR_URL" "$COLLECTION" <<'PY'
import json, sys, urllib.request
url, name = sys.argv[1:]
status = json.load(urllib.request.urlopen(f"{url}/admin/collections?action=CLUSTERSTATUS&wt=json"))
for shard, info in sorted(status["cluster"]["collections"][name]["shards"].items()):
    for replica in info["replicas"].values():
        print(f"[cdm] Solr: {shard} ({info['range']}) on {replica['node_name']}: {replica['core']}")
PY

# 2. Database and catalogue

host="$(sed -E 's#^[^:]+://([^@]*@)?([^:/]*).*#\2#' <<<"$CKAN_SQLALCHEMY_URL")"
owner="$(sed -E 's#^[^:]+://([^:@]*).*#\1#' <<<"$CKAN_SQLALCHEMY_URL")"
case "$host" in
  127.0.0.1|localhost) ;;
  *) die "the database $DATABASE is on $host: this script recreates it, so only on this machine" ;;
esac
log "PostgreSQL: database $DATABASE afresh (owner $owner)"
as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt \
  -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" \
  -c "CREATE DATABASE $DATABASE OWNER $owner ENCODING 'UTF8' TEMPLATE template0" \
  || die "could not create database $DATABASE"
bash scripts/ckan-db.sh "$INI"
"$CKAN" -c "$INI" jobs clear >/dev/null
log "Catalogue: $DATASETS datasets (bench/catalogue.py), indexed into the collection"
CDM_BENCH_DATASETS="$DATASETS" "$PY" bench/catalogue.py build "$INI"

# 3. The nodes, the worker, the SMTP sink

MAIL_LOG="$DIR/mail.log"
PYTHONUNBUFFERED=1 "$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" >"$MAIL_LOG" 2>&1 &
started $! "SMTP sink (:$SMTP_PORT)"
"$CKAN" -c "$INI" jobs worker >"$DIR/worker.log" 2>&1 &
started $! "rq worker"
for i in 0 1; do
  port=$((NODE_PORT + i))
  "$VENV/bin/gunicorn" --bind "127.0.0.1:$port" --workers 2 --threads 4 --timeout 120 --graceful-timeout 10 \
    --name "cdm-scale-node-$((i + 1))" --no-control-socket \
    "ckanext.cdm.wsgi:make_application()" >"$DIR/node$((i + 1)).log" 2>&1 &
  started $! "gunicorn node $((i + 1)) (:$port)"
done
for node in "${NODES[@]}"; do
  wait_for "$node" 120 curl -fsS --max-time 5 "$node/api/3/action/status_show" \
    || die "gunicorn: $node did not answer within 120 s (see $DIR/node*.log)"
done
log "Nodes ${NODES[*]} (2 workers x 4 threads each), one rq worker, e-mails in $MAIL_LOG"

# 4. The checks

rc=0
"$PY" bench/scale_out.py "$INI" "${NODES[@]}" "$CKAN_SOLR_URL" "$MAIL_LOG" || rc=$?
log "Load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
