"""A field added to a portal's copy of the opinion schema flows to the API
with no code: accepted, validated by the validators its YAML names, stored,
returned (and kept from outsiders when marked confidential)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from ckan.plugins import toolkit as tk

from tests.logic.opinions import call, draft, held_session, in_review, publish

SHIPPED = Path(__file__).parents[2] / "ckanext" / "cdm" / "schemas" / "opinion.yaml"
COPY = Path(tempfile.gettempdir()) / "cdm-test-opinion-schema-with-follow-up.yaml"
ADDED = [
    {
        "field_name": "follow_up",
        "label": {"fr": "Suivi demandé", "en": "Follow-up requested"},
        "required": True,
        "validators": "scheming_required scheming_choices",
        "choices": [
            {"value": "six_months", "label": {"fr": "À six mois", "en": "In six months"}},
            {"value": "none", "label": {"fr": "Aucun", "en": "None"}},
        ],
    },
    {
        "field_name": "vote_remarks",
        "label": {"fr": "Remarques sur le vote", "en": "Remarks on the vote"},
        "validators": "ignore_missing cdm_long_text",
        "cdm_confidential": True,
    },
]


@pytest.fixture
def schema_copy():
    schema = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    schema["opinion_fields"].extend(ADDED)
    COPY.write_text(yaml.safe_dump(schema, allow_unicode=True), encoding="utf-8")
    yield COPY
    COPY.unlink(missing_ok=True)


@pytest.mark.ckan_config("ckanext.cdm.opinion_schema", str(COPY))
def test_a_field_added_to_the_schema_is_accepted_validated_and_returned(
    schema_copy, personas, charter, clean_index
):
    _, review = in_review(personas, charter)
    with pytest.raises(tk.ValidationError) as error:
        draft(personas, charter, review)
    assert "follow_up" in error.value.error_dict  # required by the copy
    with pytest.raises(tk.ValidationError) as error:
        draft(personas, charter, review, follow_up="someday")
    assert "follow_up" in error.value.error_dict  # not one of its choices
    with pytest.raises(tk.ValidationError) as error:
        draft(personas, charter, review, follow_up="none", vote_remarks=["not", "text"])
    assert "vote_remarks" in error.value.error_dict
    opinion = draft(
        personas, charter, review, follow_up="six_months", vote_remarks="Unanimité moins une."
    )
    assert opinion["follow_up"] == "six_months"
    updated = call("cdm_opinion_update", personas.member, id=opinion["id"], follow_up="none")
    assert updated["follow_up"] == "none"
    assert updated["vote_remarks"] == "Unanimité moins une."
    session_id = held_session([review["id"]], [personas.president, personas.member])
    published = publish(personas, opinion, session_id)
    public = call("cdm_opinion_show", "", id=published["number"])
    assert public["follow_up"] == "none"
    assert "vote_remarks" not in public  # confidential in the copy
    assert call("cdm_opinion_list", "")["results"][0]["follow_up"] == "none"
    assert call("cdm_opinion_show", personas.member, id=published["number"])["vote_remarks"] == (
        "Unanimité moins une."
    )


def test_a_schema_whose_field_takes_a_reserved_name_is_refused(tmp_path):
    from ckanext.cdm.opinion_schema import _read

    schema = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    schema["opinion_fields"].append({"field_name": "number", "validators": "ignore_missing"})
    path = tmp_path / "opinion.yaml"
    path.write_text(yaml.safe_dump(schema, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="reserved names: number"):
        _read(str(path))
