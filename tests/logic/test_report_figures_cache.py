"""This year's report figures are cached (ckanext/cdm/figures_cache.py): a
second view computes nothing, and every event that changes what they count
changes the figures shown at once (docs/performance.md, « The register and
the report at scale »). On a fixed day of a fixed year (the model's clock),
whatever the day of the run."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from ckanext.cdm.model import base
from ckanext.cdm.model.session import CommitteeSession
from tests.conftest import submit_dataset
from tests.helpers import sql_statements
from tests.logic.opinions import call, draft, held_session, in_review, publish

MOMENT = dt.datetime(2031, 6, 15, 10, 0, tzinfo=dt.timezone.utc)
YEAR = MOMENT.year
# what only the figures' queries read (figures.py)
FIGURES_SQL = ("FROM package p", "FROM cdm_opinion o", "FROM cdm_review r", "FROM cdm_session s")


@pytest.fixture(autouse=True)
def clock():
    with base.clock_at(MOMENT):
        yield


def figures(user: str = "", scope: str = "public") -> dict:
    return call("cdm_report_show", user, year=YEAR, scope=scope)["figures"]


def session_at(starts_at: dt.datetime, reviews=(), present=()) -> CommitteeSession:
    return CommitteeSession.get(held_session(list(reviews), list(present), starts_at=starts_at))


def test_a_second_view_computes_no_figure(personas, charter):
    submit_dataset(personas.steward, personas.organization, charter)
    first = figures()
    with sql_statements() as statements:
        second = figures()
    assert second == first
    assert not [s for s in statements if any(marker in s for marker in FIGURES_SQL)]
    assert first["reviews"]["received"] == 1


def test_the_committee_figures_are_cached_apart_from_the_public_ones(personas, charter):
    submit_dataset(personas.steward, personas.organization, charter, private=True)
    for _ in range(2):
        assert figures()["reviews"]["received"] == 0
        assert figures(personas.president, "committee")["reviews"]["received"] == 1


def test_each_event_they_count_changes_the_figures(personas, charter):
    def changed(read, event) -> tuple:
        before = read(figures())
        assert read(figures()) == before  # cached
        event()
        return before, read(figures())

    def datasets(f):
        return f["badges"]["datasets"]

    pkg, org = {}, personas.organization["id"]
    admin = {"user": factories.Sysadmin()["name"]}
    before, after = changed(datasets, lambda: pkg.update(factories.Dataset(owner_org=org)))
    assert after == before + 1  # a dataset created
    before, after = changed(
        datasets,
        lambda: helpers.call_action("package_patch", context=admin, id=pkg["id"], private=True),
    )
    assert after == before - 1  # made private (out of the public figures)
    other = factories.Dataset(owner_org=org)
    before, after = changed(
        datasets, lambda: helpers.call_action("package_delete", context=admin, id=other["id"])
    )
    assert after == before - 1  # deleted

    reviews = {}

    def submitted():
        reviews["dataset"], reviews["review"] = in_review(personas, charter)

    before, after = changed(lambda f: f["reviews"]["received"], submitted)
    assert after == before + 1  # a review submitted
    _, withdrawn = submit_dataset(personas.steward, personas.organization, charter)
    before, after = changed(
        lambda f: f["reviews"]["withdrawn"],
        lambda: call("cdm_review_withdraw", personas.steward, id=withdrawn["id"]),
    )
    assert after == before + 1  # a review's transition

    held = {}

    def a_session_held():
        present = [personas.president, personas.member]
        held["id"] = session_at(
            base.utcnow() - dt.timedelta(days=1), [reviews["review"]["id"]], present
        ).id

    before, after = changed(lambda f: f["sessions"]["held"], a_session_held)
    assert after == before + 1  # a session held

    opinion = {}

    def published():
        created = draft(personas, charter, reviews["review"])
        opinion.update(publish(personas, created, held["id"]))

    before, after = changed(lambda f: f["opinions"]["published"], published)
    assert after == before + 1  # an opinion published

    def corrected():
        correction = call(
            "cdm_opinion_correct", personas.president, id=opinion["id"], reason="Erratum."
        )
        publish(personas, correction, held["id"])

    before, after = changed(lambda f: f["opinions"]["corrections"], corrected)
    assert after == before + 1  # a correction published

    def renamed():
        helpers.call_action(
            "organization_patch",
            context=admin,
            id=personas.organization["id"],
            title="Direction renommée",
        )

    before, after = changed(lambda f: [o["title"] for o in f["organizations"]], renamed)
    assert "Direction renommée" in after
    assert "Direction renommée" not in before

    def adopted():
        president = {"user": personas.president}
        helpers.call_action("cdm_charter_create", context=president, number="1.1", copy_from="1.0")
        helpers.call_action(
            "cdm_charter_adopt", context=president, id="1.1", decision_reference="Séance 2"
        )

    before, after = changed(lambda f: f["badges"]["stale"]["charter"], adopted)
    assert after == before + 1  # the charter of the opinion superseded


def test_a_session_counts_once_its_hour_has_come(personas, charter):
    session_at(base.utcnow() + dt.timedelta(hours=1))
    assert figures()["sessions"]["held"] == 0
    assert figures()["sessions"]["held"] == 0
    with base.clock_at(MOMENT + dt.timedelta(hours=2)):
        assert figures()["sessions"]["held"] == 1


def test_the_badges_of_a_new_day_are_computed_again(personas, charter):
    figures()
    with base.clock_at(MOMENT + dt.timedelta(days=1)), sql_statements() as statements:
        assert figures()["badges"]["as_of"] == "2031-06-16"
    assert [s for s in statements if "FROM package p" in s]


def test_a_write_in_sql_through_the_session_changes_the_figures_too(personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    before = figures()["badges"]["datasets"]
    model.Session.execute(
        sa.text("UPDATE package SET private = true WHERE id = :id"), {"id": pkg["id"]}
    )
    model.Session.commit()
    assert figures()["badges"]["datasets"] == before - 1


def test_a_write_rolled_back_leaves_the_figures_cached(personas, charter):
    factories.Dataset(owner_org=personas.organization["id"])
    figures()
    model.Session.execute(sa.text("UPDATE package SET private = true"))
    model.Session.rollback()
    with sql_statements() as statements:
        figures()
    assert not [s for s in statements if any(marker in s for marker in FIGURES_SQL)]
