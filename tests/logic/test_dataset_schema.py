"""The ethics fields of the shipped dataset schema and their rules."""

from __future__ import annotations

import uuid

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers


@pytest.fixture
def organization(clean_db, clean_index):
    return factories.Organization()


def create(organization: dict, **fields) -> dict:
    sysadmin = factories.Sysadmin()
    return helpers.call_action(
        "package_create",
        context={"user": sysadmin["name"]},
        name=f"jeu-{uuid.uuid4().hex[:10]}",
        owner_org=organization["id"],
        **fields,
    )


def test_ethics_fields_are_stored_and_shown(organization):
    dataset = create(
        organization,
        personal_data="pseudonymised",
        legal_basis="public_task",
        purpose="Mesurer l'usage du service.",
        algorithmic_use="yes",
        algorithm_description="Prévision de la demande.",
        data_controller="Valmont Métropole",
        sensitive_categories=["location", "minors"],
        retention_period="13 mois",
    )
    shown = helpers.call_action("package_show", id=dataset["id"])
    assert shown["personal_data"] == "pseudonymised"
    assert shown["legal_basis"] == "public_task"
    assert shown["sensitive_categories"] == ["minors", "location"]  # in the schema's order
    assert shown["retention_period"] == "13 mois"


def test_personal_data_need_a_legal_basis(organization):
    with pytest.raises(tk.ValidationError) as error:
        create(organization, personal_data="personal")
    assert "legal basis" in error.value.error_dict["legal_basis"][0]


def test_an_algorithm_must_be_described(organization):
    with pytest.raises(tk.ValidationError) as error:
        create(organization, personal_data="none", algorithmic_use="yes")
    assert "algorithm_description" in error.value.error_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("personal_data", "secret"),
        ("algorithmic_use", "perhaps"),
        ("sensitive_categories", ["astrology"]),
    ],
)
def test_unknown_choices_are_refused_naming_the_field(organization, field, value):
    with pytest.raises(tk.ValidationError) as error:
        create(organization, **{field: value})
    assert field in error.value.error_dict


def test_anonymised_data_and_datasets_without_ethics_facts_are_accepted(organization):
    assert create(organization, personal_data="anonymised")["personal_data"] == "anonymised"
    plain = create(organization)
    assert not plain.get("personal_data")
    assert not plain.get("legal_basis")
