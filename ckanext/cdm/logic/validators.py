"""Validators of ckanext-cdm (registered by name through the validators blanket)."""

from __future__ import annotations

import json
import re
from typing import Any

from ckan.plugins import toolkit as tk

from ckanext.cdm.model.charter import Charter

LANGUAGES = ("fr", "en")
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
_NUMBER = re.compile(r"^\d+(\.\d+){0,2}$")


def cdm_translated_text(value: Any) -> dict[str, str]:
    """A text in French and English: ``{"fr": "…", "en": "…"}`` (or its JSON)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid(tk._('Expected an object {"fr": "…", "en": "…"}.')) from None
    if not isinstance(value, dict):
        raise tk.Invalid(tk._('Expected an object {"fr": "…", "en": "…"}.'))
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise tk.Invalid(tk._("Missing text in: {languages}.").format(languages=", ".join(missing)))
    return {lang: str(value[lang]).strip() for lang in LANGUAGES}


def cdm_optional_translated_text(value: Any) -> dict[str, str]:
    """Like ``cdm_translated_text`` but every language may be empty."""
    if value in (None, "", {}):
        return dict.fromkeys(LANGUAGES, "")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid(tk._('Expected an object {"fr": "…", "en": "…"}.')) from None
    if not isinstance(value, dict):
        raise tk.Invalid(tk._('Expected an object {"fr": "…", "en": "…"}.'))
    return {lang: str(value.get(lang) or "").strip() for lang in LANGUAGES}


def cdm_code(value: Any) -> str:
    """A stable identifier: lowercase letters, digits and underscores."""
    if not isinstance(value, str) or not _CODE.match(value):
        raise tk.Invalid(
            tk._("Use 2 to 50 lowercase letters, digits or underscores, starting with a letter.")
        )
    return value


def cdm_charter_number(value: Any) -> str:
    """A version number such as ``1.0`` or ``1.1``."""
    value = str(value).strip()
    if not _NUMBER.match(value):
        raise tk.Invalid(tk._("A version number looks like 1.0 or 2.1."))
    return value


def cdm_charter_exists(value: Any) -> str:
    """The id or number of an existing charter version; returns its id."""
    charter = Charter.get(str(value))
    if charter is None:
        raise tk.Invalid(tk._("No charter version {value}.").format(value=value))
    return charter.id


def cdm_questions(value: Any) -> list[dict[str, str]]:
    """Guiding questions: ``[{"code": …, "fr": …, "en": …}, …]``, codes unique."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise tk.Invalid(tk._("Expected a list of questions.")) from None
    if not isinstance(value, list) or not value:
        raise tk.Invalid(tk._("A principle needs at least one guiding question."))
    questions, codes = [], set()
    for index, question in enumerate(value, start=1):
        if not isinstance(question, dict):
            raise tk.Invalid(tk._("Question {n} is not an object.").format(n=index))
        code = str(question.get("code") or "").strip()
        try:
            cdm_code(code)
        except tk.Invalid:
            raise tk.Invalid(tk._("Question {n} has no valid code.").format(n=index)) from None
        if code in codes:
            raise tk.Invalid(tk._("Question code {code} is repeated.").format(code=code))
        codes.add(code)
        try:
            text = cdm_translated_text({lang: question.get(lang) for lang in LANGUAGES})
        except tk.Invalid as error:
            raise tk.Invalid(f"{code}: {error.error}") from None
        questions.append({"code": code, **text})
    return questions


def _required_when(key, data, errors, other_field: str, values: tuple[str, ...], message: str):
    value = data.get(key)
    missing = value is None or value is tk.missing or str(value).strip() == ""
    if missing and data.get((other_field,)) in values:
        errors[key].append(message)
        raise tk.StopOnError
    if missing:
        data.pop(key, None)
        raise tk.StopOnError


def cdm_required_with_personal_data(key, data, errors, context):
    """The GDPR legal basis is required for personal or pseudonymised data."""
    _required_when(
        key,
        data,
        errors,
        "personal_data",
        ("personal", "pseudonymised"),
        tk._("A legal basis is required for personal or pseudonymised data."),
    )


def cdm_required_with_algorithmic_use(key, data, errors, context):
    """The description of the algorithm is required when the data feeds one."""
    _required_when(
        key,
        data,
        errors,
        "algorithmic_use",
        ("yes",),
        tk._("Describe the algorithm that uses the data."),
    )
