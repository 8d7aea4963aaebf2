#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the browser test suite (tests/browser):
# installs the packages `chromium` and `chromium-driver` when missing. No
# browser is ever downloaded by a test tool (no `playwright install`): the
# suite launches /usr/bin/chromium. Set CDM_CHROMIUM=/path/to/chromium to use
# another build, in which case this script does nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ -n "${CDM_CHROMIUM:-}" ]; then
  [ -x "$CDM_CHROMIUM" ] || die "CDM_CHROMIUM=$CDM_CHROMIUM is not an executable"
  log "Chromium: using CDM_CHROMIUM=$CDM_CHROMIUM"
  exit 0
fi
apt_install chromium chromium-driver
log "Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'installed')"
