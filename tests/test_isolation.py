"""The suite's isolation holds (tests/isolation.py): what one test writes, in
the database or in the search index, the next test does not see, in whatever
order they run. Each of the two writers first checks that the other left
nothing, then writes the same things."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import helpers

from tests import isolation

NAME = "ecrit-par-un-autre-test"


def _nothing_left_by_the_other_writer(personas) -> None:
    assert model.Package.get(NAME) is None
    assert model.Session.query(model.Package).filter_by(title=NAME).count() == 0
    found = helpers.call_action("package_search", q=f"name:{NAME}", include_private=True)
    assert found["count"] == 0
    members = helpers.call_action("cdm_member_list", context={"user": personas.sysadmin})
    assert NAME not in repr(members)


def _write(personas) -> None:
    helpers.call_action(
        "package_create",
        context={"user": personas.steward},
        name=NAME,
        title=NAME,
        owner_org=personas.organization["id"],
    )
    helpers.call_action(
        "cdm_member_create",
        context={"user": personas.sysadmin},
        user=personas.registered,
        college="research",
        role="member",
        affiliation=NAME,
        mandate_start="2026-01-01",
        mandate_end="2099-12-31",
    )
    assert model.Package.get(NAME) is not None
    assert helpers.call_action("package_search", q=f"name:{NAME}")["count"] == 1


def test_a_first_writer_sees_nothing_of_the_second(personas):
    _nothing_left_by_the_other_writer(personas)
    _write(personas)


def test_a_second_writer_sees_nothing_of_the_first(personas):
    _nothing_left_by_the_other_writer(personas)
    _write(personas)


@pytest.mark.committing
def test_a_committing_writer_sees_nothing_of_the_others(personas):
    assert isolation.STATE.connection is None  # no test transaction: real commits
    _nothing_left_by_the_other_writer(personas)
    _write(personas)


def test_a_transactional_test_runs_in_a_transaction_of_its_own(personas):
    assert model.Session.get_bind() is isolation.STATE.connection
    assert isolation.STATE.connection.in_transaction()


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Paris")
def test_a_configured_test_gets_plugins_and_an_app_of_its_own(app):
    assert app.flask_app.config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Paris"


def test_the_next_test_gets_the_app_of_test_ini_back(app):
    """After a test with a ``ckan_config`` mark, its configuration is in neither
    the config nor the app (it once stayed in the shared app's Babel time zone)."""
    from ckan.common import config

    assert config.get("ckan.display_timezone") == "UTC"
    assert app.flask_app.config["BABEL_DEFAULT_TIMEZONE"] == "UTC"
