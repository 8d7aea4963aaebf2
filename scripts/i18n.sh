#!/usr/bin/env bash
# Translation catalogues of the `ckanext-cdm` domain: extract the messages,
# update the French and English catalogues, compile them.
# Usage: bash scripts/i18n.sh [extract|compile]   (default: both)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DOMAIN=ckanext-cdm
I18N="$ROOT/ckanext/cdm/i18n"
POT="$I18N/$DOMAIN.pot"
PYBABEL="$VENV/bin/pybabel"
cd "$ROOT"

extract() {
  log "i18n: extracting messages into $POT"
  "$PYBABEL" -q extract -F babel.cfg -k _ -k N_ -k ungettext -k ngettext:1,2 \
    --add-comments=TRANSLATORS: --sort-by-file --no-wrap --omit-header -o "$POT" ckanext/cdm
  for lang in fr en; do
    if [ -f "$I18N/$lang/LC_MESSAGES/$DOMAIN.po" ]; then
      "$PYBABEL" -q update -D "$DOMAIN" -i "$POT" -d "$I18N" -l "$lang" --no-wrap --ignore-obsolete
    else
      "$PYBABEL" -q init -D "$DOMAIN" -i "$POT" -d "$I18N" -l "$lang" --no-wrap
    fi
  done
}

compile() {
  log "i18n: compiling the catalogues"
  "$PYBABEL" compile -D "$DOMAIN" -d "$I18N" --statistics
}

case "${1:-all}" in
  extract) extract ;;
  compile) compile ;;
  all) extract; compile ;;
  *) die "usage: i18n.sh [extract|compile]" ;;
esac
