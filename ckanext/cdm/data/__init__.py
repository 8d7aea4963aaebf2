"""The charter as data: the default draft shipped with ckanext-cdm, and the
reusable document of any version (its JSON download), which ``ckan cdm
charter load`` reads back on another portal."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

# What a charter file carries into ``cdm_charter_create``; the rest of a
# downloaded version (status, dates, licence, source) describes it only.
CHARTER_KEYS = ("number", "title", "preamble", "principles")
PRINCIPLE_KEYS = ("code", "title", "description", "questions")
FORMAT = "ckanext-cdm/charter"


def _parse(text: str, name: str) -> dict[str, Any]:
    if name.endswith(".json") or text.lstrip().startswith("{"):
        return json.loads(text)
    return yaml.safe_load(text)


def read_charter(path: str | Path | None = None, draft_note: bool = True) -> dict[str, Any]:
    """A charter as a ``cdm_charter_create`` data dict (default: the shipped draft).

    ``path`` is a YAML file (as the shipped draft) or a JSON file (a version
    downloaded from ``/cdm/charter/<number>.json``, here or on another
    portal). The file's ``draft_note`` ("this text is a default draft…") ends
    the preamble, unless ``draft_note`` is false: a version adopted as it is
    must not say it is a draft.
    """
    if path is None:
        text = resources.files("ckanext.cdm.data").joinpath("charter.yaml").read_text("utf-8")
        charter = _parse(text, "charter.yaml")
    else:
        charter = _parse(Path(path).read_text("utf-8"), str(path))
    if not isinstance(charter, dict):
        raise ValueError("A charter file holds one object (number, title, preamble, principles).")
    note = charter.pop("draft_note", None) or {}
    charter = {key: charter[key] for key in CHARTER_KEYS if key in charter}
    if isinstance(charter.get("principles"), list):
        charter["principles"] = [
            {key: p[key] for key in PRINCIPLE_KEYS if key in p} if isinstance(p, dict) else p
            for p in charter["principles"]
        ]
    if draft_note and note:
        preamble = charter.setdefault("preamble", {})
        for lang, sentence in note.items():
            preamble[lang] = f"{preamble.get(lang, '').rstrip()}\n\n{sentence}\n"
    return charter


def charter_document(
    version: dict[str, Any], licence: dict[str, str], source: str
) -> dict[str, Any]:
    """A version of the charter (``cdm_charter_show``) as reusable data: its
    texts in every language, its status and dates, under ``licence``."""
    return {
        "format": FORMAT,
        "number": version["number"],
        "title": version["title"],
        "preamble": version["preamble"],
        "principles": [
            {key: principle[key] for key in PRINCIPLE_KEYS} for principle in version["principles"]
        ],
        "status": version["status"],
        "adopted_on": version["adopted_on"],
        "superseded_on": version["superseded_on"],
        "decision_reference": version["decision_reference"],
        "licence": licence,
        "source": source,
    }
