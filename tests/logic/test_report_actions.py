"""The committee's annual report: drafts by the president and the members in
office, publication by the president alone, which freezes the text and the
figures (the database refuses to change a published report), one report per
year, published once even by two requests at once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import helpers
from sqlalchemy.exc import DBAPIError

from ckanext.cdm import figures
from ckanext.cdm.model import AnnualReport, AuditEvent
from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from tests.conftest import PERSONAS, is_authorized
from tests.logic import report_data
from tests.logic.report_data import YEAR
from tests.logic.test_concurrency import race

EVERYONE = dict.fromkeys(PERSONAS, True)
COMMITTEE_AND_SYSADMIN = {
    p: p in ("member", "conflicted_member", "president", "sysadmin") for p in PERSONAS
}
COMMITTEE = {p: p in ("member", "conflicted_member", "president") for p in PERSONAS}
PRESIDENT = {p: p == "president" for p in PERSONAS}

MATRIX = [
    ("cdm_report_show", {}, EVERYONE),
    ("cdm_report_show", {"scope": "committee"}, COMMITTEE_AND_SYSADMIN),
    ("cdm_report_list", {}, EVERYONE),
    ("cdm_report_update", {}, COMMITTEE),
    ("cdm_report_publish", {}, PRESIDENT),
]


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


@pytest.mark.parametrize(
    ("auth", "data", "expected"),
    MATRIX,
    ids=[f"{a}{'-' + '-'.join(d.values()) if d else ''}" for a, d, _ in MATRIX],
)
def test_report_auth_matrix(personas, auth, data, expected):
    outcome = {p: is_authorized(auth, personas.name(p), year=YEAR, **data) for p in PERSONAS}
    assert outcome == expected


def test_a_member_drafts_and_the_president_publishes(personas, charter):
    draft = call("cdm_report_update", personas.member, year=YEAR, introduction="# 2025\nUne année.")
    assert draft["report"]["state"] == "draft"
    assert draft["report"]["introduction"] == "# 2025\nUne année."
    assert draft["allowed_actions"] == ["update"]  # a member does not publish
    call("cdm_report_update", personas.president, year=YEAR, recommendations="Publier plus.")
    shown = call("cdm_report_show", personas.president, year=YEAR)
    assert shown["report"]["introduction"] == "# 2025\nUne année."  # kept
    assert shown["report"]["recommendations"] == "Publier plus."
    assert shown["allowed_actions"] == ["update", "publish"]
    # the public sees no draft
    assert call("cdm_report_show", "", year=YEAR)["report"] is None
    assert call("cdm_report_list", "") == []
    assert [r["state"] for r in call("cdm_report_list", personas.member)] == ["draft"]

    published = call("cdm_report_publish", personas.president, year=YEAR)
    assert published["report"]["state"] == "published"
    assert published["frozen"] is True
    assert published["allowed_actions"] == []
    public = call("cdm_report_show", "", year=YEAR)
    assert public["report"]["recommendations"] == "Publier plus."
    assert [r["year"] for r in call("cdm_report_list", "")] == [YEAR]
    actions = model.Session.execute(
        sa.select(AuditEvent.action)
        .where(AuditEvent.object_type == "annual_report")
        .order_by(AuditEvent.created)
    ).scalars()
    assert list(actions) == ["draft", "update", "update", "publish"]


def test_publication_freezes_the_text_and_the_figures(personas, charter, clean_index):
    report_data.build(personas, charter)
    call("cdm_report_update", personas.member, year=YEAR, introduction="Bilan.")
    call("cdm_report_publish", personas.president, year=YEAR)
    frozen = call("cdm_report_show", "", year=YEAR)["figures"]
    assert frozen["opinions"]["published"] == 4

    # later, the data changes: a review withdrawn, a dataset gone private
    model.Session.execute(
        sa.text(
            "UPDATE cdm_review SET state = 'withdrawn', closed_at = '2025-12-01' "
            "WHERE state = 'in_review'"
        )
    )
    model.Session.execute(
        sa.text("UPDATE cdm_opinion SET permission_labels = '{}' WHERE number LIKE '2025-%'")
    )
    model.Session.commit()
    assert call("cdm_report_show", "", year=YEAR)["figures"] == frozen
    live = figures.figures_for(YEAR, figures.PUBLIC)
    assert live["opinions"]["published"] == 0
    assert live["reviews"]["in_progress"] == 0
    assert frozen["reviews"]["in_progress"] == 1
    committee = call("cdm_report_show", personas.member, year=YEAR, scope="committee")
    assert committee["frozen"] is False
    assert committee["figures"]["reviews"]["in_progress"] == 1  # r6 only, now

    with pytest.raises(tk.ValidationError) as error:
        call("cdm_report_update", personas.president, year=YEAR, introduction="Autre.")
    assert "year" in error.value.error_dict
    with pytest.raises(tk.ValidationError):
        call("cdm_report_publish", personas.president, year=YEAR)
    assert call("cdm_report_show", "", year=YEAR)["report"]["introduction"] == "Bilan."


def test_the_database_refuses_to_change_or_delete_a_published_report(personas, charter):
    call("cdm_report_update", personas.member, year=YEAR, introduction="Bilan.")
    call("cdm_report_publish", personas.president, year=YEAR)
    for statement in (
        "UPDATE cdm_annual_report SET introduction = 'Falsifié'",
        "UPDATE cdm_annual_report SET figures = '{}'",
        "DELETE FROM cdm_annual_report",
    ):
        with pytest.raises(DBAPIError, match="cannot be changed"):
            model.Session.execute(sa.text(statement))
        model.Session.rollback()
    assert AnnualReport.for_year(YEAR).introduction == "Bilan."


def test_one_report_per_year_in_the_database(personas, charter):
    call("cdm_report_update", personas.member, year=YEAR, introduction="Bilan.")
    model.Session.add(AnnualReport(year=YEAR, state="draft"))
    with pytest.raises(sa.exc.IntegrityError, match="cdm_annual_report_one_per_year"):
        model.Session.flush()
    model.Session.rollback()


def test_publication_needs_a_draft_an_introduction_and_a_past_year(personas, charter):
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_report_publish", personas.president, year=YEAR)
    assert "year" in error.value.error_dict
    call("cdm_report_update", personas.member, year=YEAR, notable_cases="Un cas.")
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_report_publish", personas.president, year=YEAR)
    assert "introduction" in error.value.error_dict
    this_year = clock.today().year
    call("cdm_report_update", personas.member, year=this_year, introduction="En cours.")
    with pytest.raises(tk.ValidationError) as error:
        call("cdm_report_publish", personas.president, year=this_year)
    assert "year" in error.value.error_dict
    shown = call("cdm_report_show", personas.president, year=this_year)
    assert shown["allowed_actions"] == ["update"]


def test_sysadmin_reads_drafts_but_neither_writes_nor_publishes(personas, charter):
    call("cdm_report_update", personas.member, year=YEAR, introduction="Bilan.")
    shown = call("cdm_report_show", personas.sysadmin, year=YEAR)
    assert shown["report"]["introduction"] == "Bilan."
    assert shown["allowed_actions"] == []
    with pytest.raises(tk.NotAuthorized):
        call("cdm_report_publish", personas.sysadmin, year=YEAR)


@pytest.mark.committing  # threads, each with its own session
def test_two_publications_at_once_publish_once(app, personas, charter):
    for year in (2022, 2023, 2024):
        call("cdm_report_update", personas.member, year=year, introduction="Bilan.")
        once = lambda y=year: call("cdm_report_publish", personas.president, year=y)  # noqa: E731
        outcomes = race(app, once, once)
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        model.Session.expire_all()
        events = model.Session.execute(
            sa.select(AuditEvent.action).where(
                AuditEvent.object_id == AnnualReport.for_year(year).id
            )
        ).scalars()
        assert sorted(events) == ["draft", "publish", "update"]


@pytest.mark.committing  # threads, each with its own session
def test_two_first_drafts_at_once_give_one_report(app, personas, charter):
    outcomes = race(
        app,
        lambda: call("cdm_report_update", personas.member, year=2024, introduction="A"),
        lambda: call("cdm_report_update", personas.president, year=2024, notable_cases="B"),
    )
    assert outcomes == ["ok", "ok"], outcomes
    model.Session.expire_all()
    report = AnnualReport.for_year(2024)
    assert (report.introduction, report.notable_cases) == ("A", "B")


def test_texts_are_validated(personas, charter):
    for bad in (["liste"], {"fr": "x"}, "x" * 100_001, "a\x00b", 12):
        with pytest.raises(tk.ValidationError) as error:
            call("cdm_report_update", personas.member, year=YEAR, introduction=bad)
        assert "introduction" in error.value.error_dict
