"""The translation catalogues: complete, consistent and compiled."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

I18N = Path(__file__).parents[1] / "ckanext" / "cdm" / "i18n"
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\(\w+\)s|%s")


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(I18N / lang / "LC_MESSAGES" / "ckanext-cdm.po"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_catalogue_is_complete(lang):
    po = catalogue(lang)
    assert len(po) > 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_catalogues_cover_every_message_of_the_template():
    pot = {e.msgid for e in polib.pofile(str(I18N / "ckanext-cdm.pot"))}
    for lang in ("fr", "en"):
        assert {e.msgid for e in catalogue(lang) if not e.obsolete} == pot


def _translations(entry) -> list[str]:
    """Every translated text of an entry: its msgstr, or each of its plural forms."""
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_translations_keep_every_placeholder(lang):
    for entry in catalogue(lang):
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in _translations(entry):
            assert sorted(PLACEHOLDER.findall(text)) == expected, entry.msgid


def _compiled_key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, tuple(_translations(entry)))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_compiled_catalogue_matches_its_source(lang):
    mo = polib.mofile(str(I18N / lang / "LC_MESSAGES" / "ckanext-cdm.mo"))
    compiled = {_compiled_key(e) for e in mo if e.msgid}
    source = {_compiled_key(e) for e in catalogue(lang) if e.translated()}
    assert compiled == source, "run `make i18n` to recompile the catalogues"


def test_french_pages_use_the_french_catalogue(app, clean_db):
    body = app.get("/fr/cdm/committee").body
    assert "Enseignement supérieur – Recherche" in body
    assert "Collectivités territoriales" in body


def test_english_pages_use_the_english_texts(app, clean_db):
    body = app.get("/en/cdm/committee").body
    assert "Higher education and research" in body
