"""One-line texts: one rule (``validators.one_line``), used by every one-line
field of every action schema, read by walking them all."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.cdm.logic import schema as schemas

ONE_LINE = {"cdm_string", "cdm_required_line", "cdm_query", "cdm_translated_line"}
MULTI_LINE = {
    "cdm_long_text",
    "cdm_required_text",
    "cdm_report_text",
    "cdm_translated_text",
    "cdm_optional_translated_text",
}
# the fields that hold paragraphs: everything else that is text is one line
PARAGRAPHS = {
    "reason",
    "message",
    "minutes",
    "description",
    "summary",
    "preamble",
    "introduction",
    "notable_cases",
    "recommendations",
}
BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"]


def fields(schema: dict, prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    for key, value in schema.items():
        if isinstance(value, dict):
            yield from fields(value, f"{prefix}{key}.")
        elif isinstance(value, list):
            yield prefix + key, [getattr(v, "__name__", "") for v in value]


def every_text_field() -> list[tuple[str, str, set[str]]]:
    found = []
    for name, function in inspect.getmembers(schemas, inspect.isfunction):
        if name.endswith("_schema"):
            for key, validators in fields(function()):
                texts = set(validators) & (ONE_LINE | MULTI_LINE)
                if texts:
                    found.append((name, key, texts))
    return found


def test_every_text_field_is_either_one_line_or_paragraphs():
    walked = every_text_field()
    assert ("session_create_schema", "title", {"cdm_string"}) in walked  # the walk reads them
    assert len(walked) > 30
    for name, key, texts in walked:
        field = key.rsplit(".", 1)[-1]
        expected = MULTI_LINE if field in PARAGRAPHS else ONE_LINE
        assert texts <= expected, f"{name}: {key} is validated by {texts}, expected {expected}"


@pytest.mark.parametrize("validator", sorted(ONE_LINE))
@pytest.mark.parametrize("line_break", BREAKS)
def test_every_one_line_validator_refuses_a_line_break(validator, line_break):
    text = f"Séance{line_break}ordinaire"
    value = {"fr": text, "en": "Session"} if validator == "cdm_translated_line" else text
    _, errors = tk.navl_validate({"field": value}, {"field": [tk.get_validator(validator)]})
    assert errors["field"], errors
    assert "single line" in errors["field"][0]
    _, errors = tk.navl_validate(
        {"field": "Séance\tordinaire"}, {"field": [tk.get_validator(validator)]}
    )
    assert validator == "cdm_translated_line" or not errors  # a tab is no line break


@pytest.mark.parametrize("validator", sorted(ONE_LINE))
@pytest.mark.parametrize("invisible", ["\u202e", "\u202d", "\u2066", "\u200b"])
def test_every_one_line_validator_refuses_invisible_reordering(validator, invisible):
    """A right-to-left override would make « Séance » read otherwise in the
    agenda, the register and the calendar feed."""
    text = f"Séance{invisible}ordinaire"
    value = {"fr": text, "en": "Session"} if validator == "cdm_translated_line" else text
    _, errors = tk.navl_validate({"field": value}, {"field": [tk.get_validator(validator)]})
    assert errors["field"], errors
    assert "Invisible characters" in errors["field"][0]


@pytest.mark.parametrize("field", ["title", "place"])
def test_a_session_title_or_place_on_two_lines_is_refused_naming_it(personas, field):
    data = {"starts_at": "2030-03-04T18:00", "place": "Salle 1", field: "Séance\r\nordinaire"}
    with pytest.raises(tk.ValidationError) as error:
        helpers.call_action("cdm_session_create", context={"user": personas.president}, **data)
    assert list(error.value.error_dict) == [field]
    assert error.value.error_dict[field] == ["Expected a single line."]
