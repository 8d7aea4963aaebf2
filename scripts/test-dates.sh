#!/usr/bin/env bash
# make test-dates: the quick suite (or the tests named as arguments) under
# several dates, with Debian's libfaketime, so that no test depends on the day
# it runs (docs/development.md, « Tests and the calendar »).
#
#   bash scripts/test-dates.sh                          # the quick suite, four dates
#   bash scripts/test-dates.sh tests/test_clock.py      # these tests only
#   CDM_TEST_DATES='2030-12-31 23:59:30' bash scripts/test-dates.sh tests/logic
#
# Default dates, from the current year Y (UTC): Y-12-31 23:50, Y-12-31 23:58:30
# (the quick suite takes a few minutes: the year turns during that run),
# Y+1-01-01 00:10, 29 February of the next leap year, and Y+1-08-15 12:00 (a
# month with an accent in French, « août »).
#
# The clock is moved by a relative offset (FAKETIME="+N" seconds), not by a
# start date: every process of the run (pytest, the CLI and the portal the
# tests start, Chromium) sees the same time, and it ticks. A start date
# ("@Y-12-31 23:50") would start each child process again at 23:50.
# Monotonic clocks are left alone (timeouts, Playwright). What is not faked:
# the servers, PostgreSQL, Solr and Redis, which were started outside; the
# code takes "now" from Python's clock only (ckanext/cdm/model/base.py).
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_install faketime
LIB="$(dpkg -L libfaketime | grep -m1 '/libfaketime\.so\.1$')" \
  || die "libfaketime.so.1 not found (dpkg -L libfaketime)"

year="$(date -u +%Y)"
leap=$((year + 1))
until [ $((leap % 4)) -eq 0 ] && { [ $((leap % 100)) -ne 0 ] || [ $((leap % 400)) -eq 0 ]; }; do
  leap=$((leap + 1))
done
DEFAULT_DATES="$year-12-31 23:50:00
$year-12-31 23:58:30
$((year + 1))-01-01 00:10:00
$leap-02-29 12:00:00
$((year + 1))-08-15 12:00:00"
DATES="${CDM_TEST_DATES:-$DEFAULT_DATES}"

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=(tests -m "not browser and not junk and not demo")
fi

cd "$ROOT"
failed=()
while IFS= read -r when; do
  [ -n "$when" ] || continue
  target="$(date -u -d "$when UTC" +%s)" || die "not a date: $when"
  offset=$((target - $(date -u +%s)))
  fake=(env "LD_PRELOAD=$LIB${LD_PRELOAD:+:$LD_PRELOAD}" "FAKETIME=$(printf '%+d' "$offset")"
    FAKETIME_DONT_FAKE_MONOTONIC=1)
  seen="$("${fake[@]}" "$PY" -c 'import datetime as d; print(d.datetime.now(d.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"))')"
  log "tests on $when UTC (the faked clock says $seen): ${targets[*]}"
  # shellcheck disable=SC2086 # PYTEST_ARGS: words for pytest
  if "${fake[@]}" "$VENV/bin/pytest" --ckan-ini=test.ini "${targets[@]}" ${PYTEST_ARGS:-}; then
    log "passed on $when"
  else
    warn "FAILED on $when"
    failed+=("$when")
  fi
done <<<"$DATES"

if [ ${#failed[@]} -gt 0 ]; then
  die "the tests failed on: $(printf '%s; ' "${failed[@]}")"
fi
log "the tests passed on every date"
