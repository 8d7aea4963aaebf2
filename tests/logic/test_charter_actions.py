"""The charter lifecycle through the action API: draft → adopted → superseded."""

from __future__ import annotations

import copy

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import helpers

from ckanext.cdm.data import read_charter


def call(action: str, user: str, **data):
    """Call an action as ``user``, auth checks included."""
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


@pytest.fixture
def draft(personas):
    return call("cdm_charter_create", personas.president, **read_charter())


def test_shipped_charter_has_nine_principles_with_guiding_questions(draft):
    codes = [p["code"] for p in draft["principles"]]
    assert codes == [
        "purpose",
        "privacy",
        "transparency",
        "sovereignty",
        "security",
        "sobriety",
        "fairness",
        "openness",
        "participation",
    ]
    for principle in draft["principles"]:
        assert 2 <= len(principle["questions"]) <= 4
        for field in ("title", "description"):
            assert principle[field]["fr"]
            assert principle[field]["en"]
    assert draft["status"] == "draft"


def test_adopting_a_draft_records_date_and_decision(draft, personas):
    adopted = call(
        "cdm_charter_adopt",
        personas.president,
        id=draft["id"],
        adopted_on="2024-06-20",
        decision_reference="Séance du 20 juin 2024",
    )
    assert adopted["status"] == "adopted"
    assert adopted["adopted_on"] == "2024-06-20"
    assert adopted["decision_reference"] == "Séance du 20 juin 2024"
    assert call("cdm_charter_show", "")["number"] == draft["number"]


def test_adopting_a_new_version_supersedes_the_previous_one(draft, personas):
    call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A1")
    call("cdm_charter_create", personas.president, number="1.1", copy_from="1.0")
    call("cdm_charter_adopt", personas.president, id="1.1", decision_reference="A2")

    versions = {c["number"]: c["status"] for c in call("cdm_charter_list", personas.president)}
    assert versions == {"1.0": "superseded", "1.1": "adopted"}
    assert call("cdm_charter_show", "", id="1.0")["superseded_on"] is not None


def test_adopted_version_can_no_longer_be_edited(draft, personas):
    call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A1")
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_charter_update", personas.president, id="1.0", title={"fr": "X", "en": "X"})
    assert "status" in error.value.error_dict
    assert "no longer a draft (Adopted)" in error.value.error_dict["status"][0]
    assert call("cdm_charter_show", "", id="1.0")["title"]["fr"] == draft["title"]["fr"]


def test_adopted_version_cannot_be_adopted_again(draft, personas):
    call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A1")
    with pytest.raises(tk.ValidationError, match="status"):
        call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A2")


def test_copy_of_a_version_is_an_editable_draft_with_the_same_principles(draft, personas):
    call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A1")
    copy_ = call("cdm_charter_create", personas.president, number="1.1", copy_from="1.0")
    assert copy_["status"] == "draft"
    assert copy_["based_on_id"] == draft["id"]
    assert [p["code"] for p in copy_["principles"]] == [p["code"] for p in draft["principles"]]

    principles = copy.deepcopy(copy_["principles"])[:3]
    updated = call("cdm_charter_update", personas.president, id="1.1", principles=principles)
    assert len(updated["principles"]) == 3
    assert len(call("cdm_charter_show", "", id="1.0")["principles"]) == 9


def test_only_one_version_is_adopted_even_when_the_database_is_asked_directly(draft, personas):
    from ckan import model
    from sqlalchemy.exc import IntegrityError

    from ckanext.cdm.model import Charter

    call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A1")
    other = call("cdm_charter_create", personas.president, number="2.0", copy_from="1.0")
    Charter.get(other["id"]).status = "adopted"
    with pytest.raises(IntegrityError):
        model.Session.flush()
    model.Session.rollback()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"number": "un"}, "number"),
        ({"title": {"fr": "Charte"}}, "title"),
        ({"title": "pas un objet"}, "title"),
        (
            {
                "principles": [
                    {
                        "code": "Bad Code",
                        "title": {"fr": "a", "en": "a"},
                        "description": {"fr": "a", "en": "a"},
                        "questions": [{"code": "q_1", "fr": "a", "en": "a"}],
                    }
                ]
            },
            "principles",
        ),
        (
            {
                "principles": [
                    {
                        "code": "purpose",
                        "title": {"fr": "a", "en": "a"},
                        "description": {"fr": "a", "en": "a"},
                        "questions": [],
                    }
                ]
            },
            "principles",
        ),
    ],
)
def test_bad_input_is_a_validation_error_naming_the_field(personas, change, field):
    data = {**read_charter(), **change}
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_charter_create", personas.president, **data)
    assert field in error.value.error_dict
    assert call("cdm_charter_list", personas.president) == []


def test_duplicate_principle_codes_are_refused(personas):
    data = read_charter()
    data["principles"][1]["code"] = "purpose"
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_charter_create", personas.president, **data)
    # the message stands next to the repeated code, the second principle's
    assert "unique: purpose" in error.value.error_dict["principles"][1]["code"][0]
    assert error.value.error_dict["principles"][0] == {}


def test_a_version_number_is_unique(draft, personas):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_charter_create", personas.president, number="1.0", copy_from="1.0")
    assert "number" in error.value.error_dict


def test_adoption_needs_the_reference_of_the_deciding_act(draft, personas):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_charter_adopt", personas.president, id="1.0")
    assert "decision_reference" in error.value.error_dict


def test_every_change_is_in_the_audit_trail(draft, personas):
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model import AuditEvent

    call("cdm_charter_adopt", personas.president, id="1.0", decision_reference="A1")
    events = (
        model.Session.execute(
            sa.select(AuditEvent)
            .where(AuditEvent.object_id == draft["id"])
            .order_by(AuditEvent.created)
        )
        .scalars()
        .all()
    )
    assert [(e.action, e.actor_name) for e in events] == [
        ("create", personas.president),
        ("adopt", personas.president),
    ]
    assert events[1].to_state == "adopted"


def test_anonymous_sees_no_draft_in_the_list(draft, personas):
    assert call("cdm_charter_list", "") == []
    assert [c["number"] for c in call("cdm_charter_list", personas.member)] == ["1.0"]


def test_unknown_version_is_not_found(personas):
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_charter_show", "", id="9.9")


def test_a_draft_cannot_lose_all_its_principles(draft, personas):
    with pytest.raises(tk.ValidationError) as error:
        call(
            "cdm_charter_update",
            personas.president,
            id="1.0",
            principles=[],
            title={"fr": "Nouveau", "en": "New"},
        )
    assert "at least one principle" in error.value.error_dict["principles"][0]
    assert call("cdm_charter_show", personas.president, id="1.0")["title"] == draft["title"]
