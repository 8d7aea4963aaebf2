"""Rules that count or change state hold under parallel requests.

Each test starts its requests in threads, each with its own database session
(CKAN's scoped session is per thread), released together by a barrier, and
checks after every round that the database obeys the rules and that the audit
trail tells the same story.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm import registries
from ckanext.cdm.model import AuditEvent, Member, Review
from ckanext.cdm.model.review import OPEN_STATES
from tests import isolation
from tests.conftest import MANDATE, submit_dataset

ROUNDS = 8


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def race(app, *calls: Callable[[], object]) -> list[str]:
    """Run ``calls`` at once, one thread and one database session each;
    return "ok", "refused" or the unexpected error of each, in order."""
    assert isolation.STATE.connection is None, (
        "a race needs real commits: mark the test `committing` (tests/isolation.py)"
    )
    barrier = threading.Barrier(len(calls))
    outcomes = [""] * len(calls)
    registries.build()  # as making the app does: a test may have cleared them

    def run(index: int, function: Callable[[], object]) -> None:
        with app.flask_app.test_request_context():
            try:
                barrier.wait()
                function()
                outcomes[index] = "ok"
            except tk.ValidationError:
                outcomes[index] = "refused"
            except Exception as error:  # reported by the caller's assertion
                outcomes[index] = repr(error)
            finally:
                model.Session.remove()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def trail(review_id: str) -> list[AuditEvent]:
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == "review", AuditEvent.object_id == review_id)
        .order_by(AuditEvent.created)
    )
    return list(model.Session.execute(query).scalars())


@pytest.mark.committing  # threads, each with its own session
def test_assign_and_withdraw_at_once_leave_a_consistent_review(app, personas, charter):
    for _ in range(ROUNDS):
        _, review = submit_dataset(personas.steward, personas.organization, charter)
        outcomes = race(
            app,
            lambda r=review: call(
                "cdm_review_assign", personas.president, id=r["id"], rapporteur=personas.member
            ),
            lambda r=review: call("cdm_review_withdraw", personas.steward, id=r["id"]),
        )
        assert set(outcomes) <= {"ok", "refused"}, outcomes
        assert outcomes[1] == "ok"  # withdrawing is possible from any open state
        model.Session.expire_all()
        row = Review.get(review["id"])
        assert row.state == "withdrawn"
        assert row.closed_at is not None
        events = trail(review["id"])
        # every step starts where the previous one ended, and the last is the state
        assert [e.from_state for e in events[1:]] == [e.to_state for e in events[:-1]]
        assert events[-1].to_state == row.state
        expected = (
            ["submit", "assign", "withdraw"] if outcomes[0] == "ok" else ["submit", "withdraw"]
        )
        assert [e.action for e in events] == expected


@pytest.mark.committing  # threads, each with its own session
def test_two_committee_members_triage_the_same_review_at_once(app, personas, charter):
    for _ in range(ROUNDS):
        _, review = submit_dataset(personas.steward, personas.organization, charter)
        outcomes = race(
            app,
            lambda r=review: call(
                "cdm_review_request_changes", personas.member, id=r["id"], message="Précisez."
            ),
            lambda r=review: call(
                "cdm_review_request_changes", personas.president, id=r["id"], message="Pourquoi ?"
            ),
        )
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        model.Session.expire_all()
        events = trail(review["id"])
        assert [e.action for e in events] == ["submit", "request_changes"]
        assert Review.get(review["id"]).state == "changes_requested"


@pytest.fixture
def sysadmin(clean_db):
    return factories.Sysadmin()["name"]


def _seat(sysadmin: str, user: str, college: str, role: str = "member", **dates):
    data = {"user": user, "college": college, "role": role, **(dates or MANDATE)}
    return lambda: helpers.call_action("cdm_member_create", context={"user": sysadmin}, **data)


def _seats_held(college: str | None = None, role: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(Member).where(Member.state == "active")
    if college:
        query = query.where(Member.college == college)
    if role:
        query = query.where(Member.role == role)
    return model.Session.execute(query).scalar()


@pytest.mark.committing  # threads, each with its own session
def test_parallel_appointments_never_exceed_the_seats_of_a_college(app, sysadmin):
    seats = tk.config["ckanext.cdm.seats.business"]  # 6 by default
    for _ in range(seats - 2):
        _seat(sysadmin, factories.User()["name"], "business")()
    users = [factories.User()["name"] for _ in range(5)]
    outcomes = race(app, *(_seat(sysadmin, user, "business") for user in users))
    assert sorted(outcomes) == ["ok", "ok", "refused", "refused", "refused"], outcomes
    model.Session.expire_all()
    assert _seats_held("business") == seats


@pytest.mark.committing  # threads, each with its own session
def test_two_presidents_appointed_at_once_give_one(app, sysadmin):
    for _ in range(ROUNDS // 2):
        model.Session.execute(sa.delete(Member))
        model.Session.commit()
        users = [factories.User()["name"] for _ in range(3)]
        outcomes = race(
            app, *(_seat(sysadmin, user, "civil_society", "president") for user in users)
        )
        assert sorted(outcomes) == ["ok", "refused", "refused"], outcomes
        model.Session.expire_all()
        assert _seats_held(role="president") == 1


@pytest.mark.committing  # threads, each with its own session
def test_one_user_given_three_seats_at_once_holds_one(app, sysadmin):
    user = factories.User()["name"]
    outcomes = race(
        app,
        _seat(sysadmin, user, "research"),
        _seat(sysadmin, user, "business"),
        _seat(sysadmin, user, "civil_society"),
    )
    assert sorted(outcomes) == ["ok", "refused", "refused"], outcomes
    model.Session.expire_all()
    assert _seats_held() == 1


def test_the_database_refuses_a_second_seat_for_the_same_period(sysadmin):
    """The rule holds even for a write that skips the actions' checks."""
    user = model.User.get(factories.User()["name"])
    _seat(sysadmin, user.name, "research")()
    model.Session.add(
        Member(
            user_id=user.id,
            college="business",
            role="member",
            mandate_start=dt.date(2027, 1, 1),
            state="active",
        )
    )
    with pytest.raises(sa.exc.IntegrityError, match="cdm_member_one_seat_per_user"):
        model.Session.flush()
    model.Session.rollback()


def test_seat_caps_count_seats_held_at_the_same_time(sysadmin):
    """Two short mandates one after the other take one seat, not two."""
    seats = tk.config["ckanext.cdm.seats.local_authorities"]
    early = {"mandate_start": "2026-01-01", "mandate_end": "2026-06-30"}
    late = {"mandate_start": "2026-07-01", "mandate_end": "2026-12-31"}
    for _ in range(seats - 1):
        _seat(sysadmin, factories.User()["name"], "local_authorities", **MANDATE)()
    _seat(sysadmin, factories.User()["name"], "local_authorities", **early)()
    _seat(sysadmin, factories.User()["name"], "local_authorities", **late)()
    with pytest.raises(tk.ValidationError) as error:
        _seat(sysadmin, factories.User()["name"], "local_authorities", **late)()
    assert "college" in error.value.error_dict


def test_open_states_are_what_the_unique_index_covers():
    assert set(OPEN_STATES) == {"submitted", "in_review", "changes_requested"}


@pytest.mark.committing  # threads, each with its own session
def test_assignment_and_conflict_declared_at_once_never_leave_a_conflicted_rapporteur(
    app, personas, charter
):
    for _ in range(ROUNDS):
        pkg, review = submit_dataset(personas.steward, personas.organization, charter)
        outcomes = race(
            app,
            lambda r=review: call(
                "cdm_review_assign", personas.president, id=r["id"], rapporteur=personas.member
            ),
            lambda p=pkg: call("cdm_conflict_declare", personas.member, id=p["id"]),
        )
        assert set(outcomes) <= {"ok", "refused"}, outcomes
        assert outcomes[1] == "ok"
        model.Session.expire_all()
        row = Review.get(review["id"])
        member_id = model.User.get(personas.member).id
        assert row.rapporteur_id != member_id
        actions = [e.action for e in trail(review["id"])]
        if outcomes[0] == "ok":  # assigned first, then stepped down
            assert actions == ["submit", "assign", "unassign"]
            assert row.state == "submitted"


@pytest.mark.committing  # threads, each with its own session
def test_a_conflict_declared_twice_at_once_is_recorded_once(app, personas, dataset):
    from ckanext.cdm.model import Conflict

    outcomes = race(
        app, *(lambda: call("cdm_conflict_declare", personas.member, id=dataset["id"]),) * 4
    )
    assert outcomes == ["ok"] * 4
    model.Session.expire_all()
    assert len(Conflict.for_package(dataset["id"])) == 1
