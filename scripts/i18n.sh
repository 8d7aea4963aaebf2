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
  "$PYBABEL" -q extract -F babel.cfg -k _ -k N_ -k ungettext:1,2 -k ngettext:1,2 \
    --add-comments=TRANSLATORS: --sort-by-file --no-wrap --omit-header -o "$POT" ckanext/cdm
  for lang in fr en; do
    if [ -f "$I18N/$lang/LC_MESSAGES/$DOMAIN.po" ]; then
      "$PYBABEL" -q update -D "$DOMAIN" -i "$POT" -d "$I18N" -l "$lang" --no-wrap --ignore-obsolete
    else
      "$PYBABEL" -q init -D "$DOMAIN" -i "$POT" -d "$I18N" -l "$lang" --no-wrap
    fi
  done
  # The msgids are English: the English catalogue repeats them, so that it is
  # complete and an English page never falls back to another language.
  "$PY" - "$I18N/en/LC_MESSAGES/$DOMAIN.po" <<'PYTHON'
import sys, polib
po = polib.pofile(sys.argv[1], wrapwidth=0)
for entry in po:
    if not entry.msgid_plural:
        entry.msgstr = entry.msgid
    else:
        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
po.save()
PYTHON
  "$PY" - "$I18N/fr/LC_MESSAGES/$DOMAIN.po" <<'PYTHON'
import sys, polib
po = polib.pofile(sys.argv[1])
todo = [e.msgid for e in po if not e.translated() or "fuzzy" in e.flags]
for msgid in todo:
    print(f"  to translate (fr): {msgid!r}")
PYTHON
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
