"""Data shipped with ckanext-cdm: the default draft of the charter."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def read_charter(path: str | Path | None = None) -> dict[str, Any]:
    """A charter as a ``cdm_charter_create`` data dict (default: the shipped draft)."""
    if path is None:
        text = resources.files("ckanext.cdm.data").joinpath("charter.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return yaml.safe_load(text)
