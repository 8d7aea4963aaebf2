"""Data shipped with ckanext-cdm: the default draft of the charter."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def read_charter(path: str | Path | None = None, draft_note: bool = True) -> dict[str, Any]:
    """A charter as a ``cdm_charter_create`` data dict (default: the shipped draft).

    The file's ``draft_note`` ("this text is a default draft…") ends the preamble,
    unless ``draft_note`` is false: a version adopted as it is must not say it is a draft.
    """
    if path is None:
        text = resources.files("ckanext.cdm.data").joinpath("charter.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    charter = yaml.safe_load(text)
    note = charter.pop("draft_note", None) or {}
    if draft_note and note:
        preamble = charter.setdefault("preamble", {})
        for lang, sentence in note.items():
            preamble[lang] = f"{preamble.get(lang, '').rstrip()}\n\n{sentence}\n"
    return charter
