#!/usr/bin/env bash
# Apache Solr 9 for CKAN's search index: `bash scripts/solr.sh start|stop|status`.
# No Docker, no tarball: the jars come from Maven Central (solr/pom.xml) and
# solr/CdmSolr.java runs Solr embedded in Jetty on 127.0.0.1:8983, with two
# cores: `ckan` (demo.ini) and `ckan_test` (test.ini). Each core's schema.xml
# is copied from the installed ckan package, so it always matches CKAN.
# Does nothing when CKAN_SOLR_URL points at the user's own Solr.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SOLR_PORT="${CDM_SOLR_PORT:-8983}"
SOLR_CORES=(ckan ckan_test)
SOLR_DIR="$RUN_DIR/solr"
LIB_DIR="$SOLR_DIR/lib"              # jars from Maven Central
LIB_MARKER="$LIB_DIR/.complete"      # written after a successful copy
HOME_DIR="$SOLR_DIR/home"            # solr.xml + one folder per core
PIDFILE="$SOLR_DIR/solr.pid"
LOGFILE="$RUN_DIR/log/solr.log"
MAVEN_LOG="$RUN_DIR/log/solr-maven.log"
POM="$ROOT/solr/pom.xml"
DEP_PLUGIN_VERSION=3.8.1             # maven-dependency-plugin, as pinned in the pom
BASE_URL="http://127.0.0.1:$SOLR_PORT/solr"
START_TIMEOUT=120

need_curl() { command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates; }

# A core is up only when it answers a real query: Solr logs a core that
# failed to load and goes on serving, so an open port proves nothing.
core_ready() { curl -fsS --max-time 5 "$BASE_URL/$1/select?q=*:*&rows=0" >/dev/null 2>&1; }
all_ready() {
  local core
  for core in "${SOLR_CORES[@]}"; do core_ready "$core" || return 1; done
}
port_in_use() {  # anything at all accepting HTTP connections on the port
  curl -sS --max-time 3 -o /dev/null "http://127.0.0.1:$SOLR_PORT/" >/dev/null 2>&1
}
our_pid() {  # pid of the Solr this project started, if it still runs
  local pid
  [ -f "$PIDFILE" ] || return 1
  pid="$(cat "$PIDFILE")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null \
    && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'CdmSolr.java' && echo "$pid"
}

find_java() {  # sets JAVA to a Java 17+ binary, installing one if needed
  local major
  JAVA="$(command -v java || true)"
  if [ -n "$JAVA" ]; then
    major="$("$JAVA" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')"
    [ "${major:-0}" -ge 17 ] && return 0
    warn "Solr: $JAVA is Java ${major:-?}; Solr 9 needs Java 17+"
  fi
  apt_install openjdk-17-jre-headless
  JAVA="$(ls /usr/lib/jvm/java-17-openjdk-*/bin/java 2>/dev/null | head -1 || true)"
  [ -x "$JAVA" ] || die "Solr: no Java 17 found after installing openjdk-17-jre-headless"
}

fetch_jars() {
  local stamp tmp
  stamp="$(sha256sum "$POM" | cut -d' ' -f1)"
  if [ -f "$LIB_MARKER" ] && [ "$(cat "$LIB_MARKER")" = "$stamp" ]; then
    log "Solr: jars already in $LIB_DIR ($(ls "$LIB_DIR" | wc -l) files)"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  log "Solr: fetching the Solr jars from Maven Central (once, or after solr/pom.xml changes; ~85 MB) ..."
  tmp="$SOLR_DIR/lib.partial"
  rm -rf "$tmp"
  # -q: Maven prints errors only; they are shown here and kept in the log.
  # The plugin is named in full so that an unreachable Maven Central shows
  # as the transfer error itself (keep the version in step with the pom).
  if ! mvn -B -q -Dstyle.color=never -f "$POM" \
       "org.apache.maven.plugins:maven-dependency-plugin:$DEP_PLUGIN_VERSION:copy-dependencies" \
       -DoutputDirectory="$tmp" \
       2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' | tee "$MAVEN_LOG"; then
    rm -rf "$tmp"
    die "Solr: could not fetch the jars from Maven Central (Maven's errors above, also in $MAVEN_LOG)"
  fi
  ls "$tmp"/solr-test-framework-*.jar >/dev/null 2>&1 \
    || die "Solr: Maven finished but solr-test-framework is not in $tmp (see $MAVEN_LOG)"
  echo "$stamp" > "$tmp/.complete"
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  log "Solr: $(ls "$LIB_DIR" | wc -l) jars in $LIB_DIR"
}

build_home() {
  local schema core conf
  [ -x "$PY" ] || die "Solr: no Python at $PY: install the project's virtualenv first (CKAN's schema.xml comes from it)"
  schema="$("$PY" -c "import ckan, os; print(os.path.join(os.path.dirname(ckan.__file__), 'config', 'solr', 'schema.xml'))")" \
    || die "Solr: ckan is not installed in $VENV"
  [ -f "$schema" ] || die "Solr: CKAN's schema is missing: $schema"
  log "Solr: Solr home $HOME_DIR, cores ${SOLR_CORES[*]}, schema from $schema"
  mkdir -p "$HOME_DIR"
  echo '<solr/>' > "$HOME_DIR/solr.xml"   # all defaults: standalone, cores found by core.properties
  for core in "${SOLR_CORES[@]}"; do
    conf="$HOME_DIR/$core/conf"
    mkdir -p "$conf"
    printf 'name=%s\n' "$core" > "$HOME_DIR/$core/core.properties"
    cp "$ROOT/solr/solrconfig.xml" "$conf/solrconfig.xml"
    cp "$schema" "$conf/schema.xml"     # every time: keeps it in step with the installed CKAN
    # The schema's analyzers read these two; empty lists are fine.
    touch "$conf/synonyms.txt" "$conf/protwords.txt"
  done
}

kill_pid() {  # SIGTERM (the launcher's hook closes the cores), then SIGKILL after 30 s
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  warn "Solr: pid $pid ignored SIGTERM for 30s, killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

wait_ready() {  # wait for every core, failing early if the JVM exits
  local pid="$1" t0=$SECONDS
  while ! all_ready; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      warn "Solr: the JVM exited during start-up; last lines of $LOGFILE:"
      tail -n 40 "$LOGFILE" >&2
      die "Solr did not start (see $LOGFILE)"
    fi
    if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
      warn "Solr: cores ${SOLR_CORES[*]} did not answer within ${START_TIMEOUT}s; last lines of $LOGFILE:"
      tail -n 40 "$LOGFILE" >&2
      kill_pid "$pid"   # ours, and useless: don't leave it behind
      rm -f "$PIDFILE"
      die "Solr did not become ready (see $LOGFILE)"
    fi
    sleep 0.5
  done
}

start() {
  if [ -n "${CKAN_SOLR_URL:-}" ]; then
    log "Solr: using CKAN_SOLR_URL ($CKAN_SOLR_URL), nothing to install or start"
    return 0
  fi
  need_curl
  mkdir -p "$SOLR_DIR"
  exec 9>"$SOLR_DIR/.lock"
  flock 9   # two concurrent starts: the second waits, then finds Solr running

  local pid t0=$SECONDS
  if all_ready; then
    if pid="$(our_pid)"; then
      log "Solr: already running (pid $pid) at $BASE_URL, cores ${SOLR_CORES[*]}"
    else
      log "Solr: a Solr already answers at $BASE_URL for cores ${SOLR_CORES[*]}: reusing it (not started by the project, so not stopped by it)"
    fi
    return 0
  fi
  if pid="$(our_pid)"; then
    log "Solr: pid $pid (started by the project) is still starting, waiting for it"
    wait_ready "$pid"
    log "Solr: ready at $BASE_URL"
    return 0
  fi
  if port_in_use; then
    die "Solr: 127.0.0.1:$SOLR_PORT is taken by something that does not serve the cores ${SOLR_CORES[*]}; stop it or set CKAN_SOLR_URL"
  fi
  forget_started solr; rm -f "$PIDFILE"   # stale state from a previous run

  find_java
  log "Solr: using $("$JAVA" -version 2>&1 | head -1) ($JAVA)"
  fetch_jars
  build_home

  log "Solr: starting on 127.0.0.1:$SOLR_PORT (heap 512 MB, log $LOGFILE)"
  printf '\n===== %s scripts/solr.sh start =====\n' "$(date -u +%FT%TZ)" >> "$LOGFILE"
  # Java 17 runs the single-file launcher straight from source. setsid +
  # nohup: Solr outlives this shell and the terminal. In a script (no job
  # control) setsid does not fork, so $! is the JVM's pid. 9>&-: the JVM must
  # not inherit (and so hold) the start lock.
  ( exec 9>&-; cd "$SOLR_DIR" && exec setsid nohup "$JAVA" -Xms64m -Xmx512m -XX:+ExitOnOutOfMemoryError \
      -Djava.awt.headless=true -Dsolr.log.dir="$RUN_DIR/log" -cp "$LIB_DIR/*" "$ROOT/solr/CdmSolr.java" "$HOME_DIR" "$SOLR_PORT" \
      >>"$LOGFILE" 2>&1 </dev/null ) &
  pid=$!
  echo "$pid" > "$PIDFILE"
  log "Solr: pid $pid, waiting up to ${START_TIMEOUT}s for cores ${SOLR_CORES[*]} to answer a query"
  wait_ready "$pid"
  mark_started solr
  log "Solr: ready at $BASE_URL (cores ${SOLR_CORES[*]}) in $((SECONDS - t0))s"
}

stop() {
  if ! was_started solr; then
    log "Solr: not started by the project, left as it is"
    return 0
  fi
  local pid
  if pid="$(our_pid)"; then
    log "Solr: stopping pid $pid (started by the project)"
    kill_pid "$pid"
    log "Solr: stopped"
  else
    log "Solr: was started by the project but no longer runs"
  fi
  rm -f "$PIDFILE"
  forget_started solr
}

status() {
  need_curl
  local core url docs pid rc=0
  if [ -n "${CKAN_SOLR_URL:-}" ]; then
    url="${CKAN_SOLR_URL%/}"
    if docs="$(curl -fsS --max-time 5 "$url/select?q=*:*&rows=0&wt=json" 2>/dev/null)"; then
      log "Solr: $url (CKAN_SOLR_URL) answers, $(grep -o '"numFound":[0-9]*' <<<"$docs" | cut -d: -f2) docs"
    else
      log "Solr: $url (CKAN_SOLR_URL) does not answer"; rc=1
    fi
    return $rc
  fi
  for core in "${SOLR_CORES[@]}"; do
    if docs="$(curl -fsS --max-time 5 "$BASE_URL/$core/select?q=*:*&rows=0&wt=json" 2>/dev/null)"; then
      log "Solr: core $core up at $BASE_URL/$core, $(grep -o '"numFound":[0-9]*' <<<"$docs" | cut -d: -f2) docs"
    else
      log "Solr: core $core down ($BASE_URL/$core does not answer a query)"; rc=1
    fi
  done
  if pid="$(our_pid)"; then
    log "Solr: pid $pid was started by the project"
  elif was_started solr; then
    log "Solr: was started by the project but its JVM no longer runs"
  fi
  return $rc
}

cmd="${1:-start}"
case "$cmd" in
  start|stop|status) "$cmd" ;;
  *) die "usage: bash scripts/solr.sh start|stop|status" ;;
esac
