"""The model's clock (``model.base.clock_at``): what the demo loader uses to
play the committee's past year, and what the models stamp their rows with."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from ckanext.cdm.model import base
from ckanext.cdm.model.audit import AuditEvent
from tests.conftest import complete_answers

UTC = dt.timezone.utc
SPRING = dt.datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def test_the_clock_is_the_real_time_unless_set():
    before = dt.datetime.now(UTC)
    assert before <= base.utcnow() <= dt.datetime.now(UTC)
    assert base.today() == dt.datetime.now(UTC).date()


def test_the_clock_runs_from_the_moment_it_is_set_to():
    with base.clock_at(SPRING):
        first = base.utcnow()
        second = base.utcnow()
        assert SPRING <= first <= second < SPRING + dt.timedelta(seconds=5)
        assert base.today() == dt.date(2025, 3, 3)
    assert base.utcnow().year >= 2026


def test_a_moment_in_another_zone_is_the_same_instant():
    paris = dt.timezone(dt.timedelta(hours=1))
    with base.clock_at(dt.datetime(2025, 1, 1, 0, 30, tzinfo=paris)):
        assert base.utcnow().tzinfo == UTC
        assert base.today() == dt.date(2024, 12, 31)


def test_clocks_nest_and_each_is_restored_on_the_way_out():
    autumn = dt.datetime(2025, 10, 16, 14, tzinfo=UTC)
    with base.clock_at(SPRING):
        with base.clock_at(autumn):
            assert base.today() == autumn.date()
        assert base.today() == SPRING.date()
    assert base.today() == dt.datetime.now(UTC).date()


def test_the_clock_is_restored_after_an_exception():
    with pytest.raises(RuntimeError), base.clock_at(SPRING):
        raise RuntimeError("boom")
    assert base.today() == dt.datetime.now(UTC).date()


@pytest.mark.committing  # threads, each with its own session
def test_the_clock_belongs_to_its_context_another_thread_keeps_the_real_time():
    seen: dict[str, dt.date] = {}
    inside = threading.Event()
    done = threading.Event()

    def other() -> None:
        inside.wait(5)
        seen["other"] = base.today()
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with base.clock_at(SPRING):
        inside.set()
        done.wait(5)
        seen["mine"] = base.today()
    thread.join(5)
    assert seen == {"mine": SPRING.date(), "other": dt.datetime.now(UTC).date()}


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"), base.clock_at(dt.datetime(2025, 3, 3, 9, 30)):
        pass


def _call(action: str, actor: str, **data):
    return helpers.call_action(action, context={"user": actor, "ignore_auth": False}, **data)


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_what_the_workflow_writes_is_stamped_by_the_clock():
    """A review submitted, examined and given its opinion in a past year: its
    dates, its audit trail, its public activity, the session and the
    opinion's number are of that year; the next opinion published today is
    numbered in today's year."""
    sysadmin = factories.Sysadmin()["name"]
    steward, member, president = (factories.User()["name"] for _ in range(3))
    organization = factories.Organization(users=[{"name": steward, "capacity": "editor"}])
    mandate = {"mandate_start": "2024-09-02", "mandate_end": "2030-09-01"}
    for user, college, role in (
        (president, "civil_society", "president"),
        (member, "research", "member"),
    ):
        _call("cdm_member_create", sysadmin, user=user, college=college, role=role, **mandate)
    from ckanext.cdm.data import read_charter

    helpers.call_action("cdm_charter_create", context={"user": president}, **read_charter())
    charter = _call(
        "cdm_charter_adopt", president, id="1.0", adopted_on="2024-11-05", decision_reference="S1"
    )
    dataset = factories.Dataset(owner_org=organization["id"])

    with base.clock_at(SPRING):
        _call(
            "cdm_self_assessment_save", steward, id=dataset["id"], answers=complete_answers(charter)
        )
        review = _call("cdm_review_submit", steward, id=dataset["id"])
    with base.clock_at(dt.datetime(2025, 3, 10, 11, tzinfo=UTC)):
        _call("cdm_review_assign", president, id=review["id"], rapporteur=member)
        opinion = _call(
            "cdm_opinion_create",
            member,
            review=review["id"],
            verdict="favorable",
            summary="Le jeu de données respecte la Charte.",
            assessments={
                p["code"]: {"status": "compliant", "comment": "Vu."} for p in charter["principles"]
            },
        )
        session = _call(
            "cdm_session_create",
            president,
            starts_at="2025-04-10T14:00",
            place="Salle du conseil",
            agenda=[review["id"]],
        )
    with base.clock_at(dt.datetime(2025, 4, 10, 15, tzinfo=UTC)):
        _call("cdm_session_update", president, id=session["id"], attendance=[president, member])
        opinion = _call(
            "cdm_opinion_publish",
            president,
            id=opinion["id"],
            session=session["id"],
            votes_for=2,
            votes_against=0,
            votes_abstain=0,
            votes_not_voting=0,
        )
        _call("cdm_session_update", president, id=session["id"], close=True)

    assert opinion["number"] == "2025-001"
    assert opinion["published_at"].startswith("2025-04-10")
    review = _call("cdm_review_show", president, id=review["id"])
    assert review["submitted_at"].startswith("2025-03-03")
    assert review["closed_at"].startswith("2025-04-10")
    assert review["state"] == "opinion_issued"
    trail = model.Session.execute(
        sa.select(AuditEvent.created).where(AuditEvent.object_id == review["id"])
    ).scalars()
    assert {moment.date() for moment in trail} == {
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 10),
        dt.date(2025, 4, 10),
    }
    session = _call("cdm_session_show", president, id=session["id"])
    assert session["state"] == "closed"
    activities = helpers.call_action("package_activity_list", id=dataset["id"])
    ours = [a for a in activities if a["activity_type"].startswith("cdm ")]
    assert sorted(a["timestamp"][:10] for a in ours) == ["2025-03-03", "2025-04-10"]

    # today: a correction is numbered in today's year, from 001
    correction = _call(
        "cdm_opinion_correct", president, id=opinion["id"], reason="Erreur matérielle."
    )
    session = _call(
        "cdm_session_create",
        president,
        starts_at=f"{dt.datetime.now(UTC) - dt.timedelta(hours=3):%Y-%m-%dT%H:%M}",
        place="Salle du conseil",
        agenda=[review["id"]],
    )
    _call("cdm_session_update", president, id=session["id"], attendance=[president, member])
    corrected = _call(
        "cdm_opinion_publish",
        president,
        id=correction["id"],
        session=session["id"],
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
        votes_not_voting=0,
    )
    assert corrected["number"] == f"{dt.date.today().year}-001"
