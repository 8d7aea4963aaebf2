"""Publishing holds under parallel requests: numbers are never taken twice,
a draft is published once (the pattern of test_concurrency.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.cdm.model import AuditEvent
from ckanext.cdm.model.opinion import Opinion
from tests.logic.opinions import draft, held_session, in_review, numbered_by_year, publish
from tests.logic.test_concurrency import race

ROUNDS = 4


def _published_numbers() -> list[str]:
    model.Session.expire_all()
    query = sa.select(Opinion.number).where(Opinion.state == "published").order_by(Opinion.number)
    return list(model.Session.execute(query).scalars())


def _expected_numbers() -> list[str]:
    """001, 002… in each year of publication (the year may turn during the
    test: ``make test-dates``), in the order of the numbers."""
    model.Session.expire_all()
    query = sa.select(Opinion.published_at).where(Opinion.state == "published")
    opinions = [{"published_at": at.isoformat()} for at in model.Session.execute(query).scalars()]
    return sorted(numbered_by_year(opinions))


@pytest.mark.committing  # threads, each with its own session
def test_two_publications_at_once_get_consecutive_numbers(app, personas, charter):
    for round_ in range(ROUNDS):
        # two reviews, two sessions: no row lock is shared, only the number
        ready = []
        for _ in range(2):
            _, review = in_review(personas, charter)
            session_id = held_session([review["id"]], [personas.president, personas.member])
            ready.append((draft(personas, charter, review), session_id))
        outcomes = race(app, *(lambda d=d, s=s: publish(personas, d, s) for d, s in ready))
        assert outcomes == ["ok", "ok"], outcomes
        numbers = _published_numbers()
        assert len(numbers) == 2 * round_ + 2
        assert numbers == _expected_numbers()


@pytest.mark.committing  # threads, each with its own session
def test_one_draft_published_twice_at_once_is_published_once(app, personas, charter):
    for _ in range(ROUNDS):
        _, review = in_review(personas, charter)
        opinion = draft(personas, charter, review)
        session_id = held_session([review["id"]], [personas.president, personas.member])
        once = lambda o=opinion, s=session_id: publish(personas, o, s)  # noqa: E731
        outcomes = race(app, once, once)
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        model.Session.expire_all()
        events = model.Session.execute(
            sa.select(AuditEvent.action).where(AuditEvent.object_id == opinion["id"])
        ).scalars()
        assert sorted(events) == ["draft", "publish"]
    assert len(_published_numbers()) == ROUNDS


@pytest.mark.committing  # threads, each with its own session
def test_two_drafts_of_one_review_at_once_give_one(app, personas, charter):
    _, review = in_review(personas, charter)
    outcomes = race(
        app,
        lambda: draft(personas, charter, review),
        lambda: draft(personas, charter, review, user=personas.president),
    )
    assert sorted(outcomes) == ["ok", "refused"], outcomes
