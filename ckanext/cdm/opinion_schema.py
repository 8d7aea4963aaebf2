"""The opinion schema: the fields of an opinion, in ckanext-scheming's format.

The schema is read from ``ckanext.cdm.opinion_schema`` (default
``ckanext.cdm:schemas/opinion.yaml``): a portal copies the file and adds or
relabels fields. Everything about an opinion's fields follows it: the navl
schema that validates them (each field's ``validators``, built by scheming),
the form (scheming's form snippets), the API and the public page (scheming's
display snippets). A field marked ``cdm_confidential: true`` is shown only to
the committee.
"""

from __future__ import annotations

import os
from typing import Any

import yaml
from ckan.plugins import toolkit as tk

from ckanext.cdm import config

# fields the code relies on: a portal's copy must keep them
REQUIRED_FIELDS = ("verdict", "summary", "assessments", "reservations")

# keys an opinion's results and parameters already use: no field may take them
RESERVED_NAMES = (
    "id", "number", "state", "review", "review_id", "package_id", "organization_id",
    "dataset_name", "dataset_title", "dataset_exists", "charter", "charter_id", "data",
    "session", "session_id", "votes_for", "votes_against", "votes_abstain",
    "votes_not_voting", "votes_proxies", "recused", "supersedes", "supersedes_id",
    "superseded_by", "correction_reason", "correction_draft", "reason", "self_referral",
    "created", "modified", "published_at", "allowed_actions",
)  # fmt: skip

_cache: dict[str, dict[str, Any]] = {}


def _read(source: str) -> dict[str, Any]:
    from ckanext.scheming.plugins import _load_schema_module_path

    schema = None
    if ":" in source and not os.path.isabs(source):
        schema = _load_schema_module_path(source)
    elif os.path.exists(source):
        with open(source, encoding="utf-8") as stream:
            schema = yaml.safe_load(stream)
    if not schema or "opinion_fields" not in schema:
        raise tk.ObjectNotFound(f"cdm: no opinion schema with opinion_fields at {source}")
    names = [field["field_name"] for field in schema["opinion_fields"]]
    missing = [name for name in REQUIRED_FIELDS if name not in names]
    if missing:
        raise ValueError(f"cdm: the opinion schema {source} lacks {', '.join(missing)}")
    taken = [name for name in names if name in RESERVED_NAMES]
    if taken:
        raise ValueError(
            f"cdm: the opinion schema {source} uses reserved names: {', '.join(taken)}"
        )
    schema["opinion_fields"] = [_expand(field) for field in schema["opinion_fields"]]
    return schema


def _expand(field: dict[str, Any]) -> dict[str, Any]:
    """A field with its scheming ``preset`` applied, as scheming does."""
    from ckanext.scheming.plugins import _expand as expand

    return expand({}, field)


def schema() -> dict[str, Any]:
    """The opinion schema of the portal (read once per source)."""
    source = config.opinion_schema_source()
    if source not in _cache:
        _cache[source] = _read(source)
    return _cache[source]


def fields() -> list[dict[str, Any]]:
    return schema()["opinion_fields"]


def field_names() -> list[str]:
    return [field["field_name"] for field in fields()]


def confidential_names() -> list[str]:
    """The fields only the committee may read."""
    return [field["field_name"] for field in fields() if field.get("cdm_confidential")]


def choices(field_name: str) -> list[str]:
    field = next((f for f in fields() if f["field_name"] == field_name), {})
    return [choice["value"] for choice in field.get("choices", [])]


def navl_schema() -> dict[str, Any]:
    """The navl schema of the fields, built from each field's ``validators``
    by scheming (``scheming_required``, ``scheming_choices``… take the field)."""
    from ckanext.scheming.plugins import _field_validators

    whole = schema()
    return {field["field_name"]: _field_validators(field, whole, False) for field in fields()}


def public(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without the confidential fields."""
    hidden = set(confidential_names())
    return {key: value for key, value in data.items() if key not in hidden}


def choice_label(field_name: str, value: str, language: str) -> str:
    """The label of a choice of a field in ``language`` (the YAML's
    ``{fr: …, en: …}``, or a plain text), else the value itself."""
    field = next((f for f in fields() if f["field_name"] == field_name), {})
    for choice in field.get("choices", []):
        if choice["value"] == value:
            label = choice.get("label", value)
            if isinstance(label, dict):
                return label.get(language) or label.get("en") or next(iter(label.values()), value)
            return str(label)
    return value


def field_label(field_name: str, language: str) -> str:
    """The label of a field in ``language``, else its name."""
    field = next((f for f in fields() if f["field_name"] == field_name), {})
    label = field.get("label", field_name)
    if isinstance(label, dict):
        return label.get(language) or label.get("en") or next(iter(label.values()), field_name)
    return str(label)
