"""Helpers of the opinion tests: a review in examination, a session held
with the committee present, a draft, its publication."""

from __future__ import annotations

import datetime as dt

from ckan import model
from ckan.tests import helpers

from ckanext.cdm.model.session import AgendaItem, Attendance, CommitteeSession, Proxy
from tests.conftest import submit_dataset

SUMMARY = "Le jeu de données respecte la Charte."
NOTES = "Secret de délibéré : le rapporteur hésitait."


def call(action: str, user: str, **data):
    return helpers.call_action(action, context={"user": user, "ignore_auth": False}, **data)


def assessments(charter: dict, status: str = "compliant") -> dict:
    return {p["code"]: {"status": status, "comment": "Vu."} for p in charter["principles"]}


def in_review(personas, charter, **dataset) -> tuple[dict, dict]:
    """A dataset of the steward's organization, submitted, its rapporteur the member."""
    pkg, review = submit_dataset(personas.steward, personas.organization, charter, **dataset)
    review = call(
        "cdm_review_assign", personas.president, id=review["id"], rapporteur=personas.member
    )
    return pkg, review


def held_session(
    reviews: list[str],
    present: list[str],
    proxies: dict[str, str] | None = None,
    days_ago: int = 1,
    starts_at: dt.datetime | None = None,
) -> str:
    """A session held ``days_ago`` (or starting at ``starts_at``) with
    ``reviews`` on its agenda, the users ``present`` (names) and ``proxies``
    {giver: holder}; returns its id."""
    session = CommitteeSession(
        starts_at=starts_at or dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago),
        place="Salle du conseil",
    )
    model.Session.add(session)
    model.Session.flush()
    for position, review_id in enumerate(reviews):
        model.Session.add(AgendaItem(session_id=session.id, review_id=review_id, position=position))
    for name in present:
        model.Session.add(Attendance(session_id=session.id, user_id=model.User.get(name).id))
    for giver, holder in (proxies or {}).items():
        model.Session.add(
            Proxy(
                session_id=session.id,
                giver_id=model.User.get(giver).id,
                holder_id=model.User.get(holder).id,
            )
        )
    model.Session.commit()
    return session.id


def draft(personas, charter, review: dict, user: str | None = None, **fields) -> dict:
    values = {
        "verdict": "favorable",
        "summary": SUMMARY,
        "assessments": assessments(charter),
        "deliberation_notes": NOTES,
        **fields,
    }
    return call("cdm_opinion_create", user or personas.member, review=review["id"], **values)


def publish(personas, opinion: dict, session_id: str, user: str | None = None, **vote) -> dict:
    """Publish with the president and the member present, the conflicted
    member absent: two votes for by default."""
    counts = {
        "votes_for": 2,
        "votes_against": 0,
        "votes_abstain": 0,
        "votes_not_voting": 0,
        **vote,
    }
    return call(
        "cdm_opinion_publish",
        user or personas.president,
        id=opinion["id"],
        session=session_id,
        **counts,
    )


def published(personas, charter, **dataset) -> tuple[dict, dict, dict]:
    """A dataset, its review and its published opinion."""
    pkg, review = in_review(personas, charter, **dataset)
    opinion = draft(personas, charter, review)
    session_id = held_session([review["id"]], [personas.president, personas.member])
    return pkg, review, publish(personas, opinion, session_id)


def year_of(opinion: dict) -> int:
    """The year a published opinion is numbered in: that of its publication
    (the model's clock, UTC). Not the year the test started in: the year may
    turn during a run (``make test-dates``)."""
    return dt.datetime.fromisoformat(opinion["published_at"]).astimezone(dt.timezone.utc).year


def numbered_by_year(opinions: list[dict]) -> list[str]:
    """The numbers ``opinions``, published in this order, must carry: ``YYYY-NNN``,
    counted from 001 in each year of publication."""
    counts: dict[int, int] = {}
    numbers = []
    for opinion in opinions:
        year = year_of(opinion)
        counts[year] = counts.get(year, 0) + 1
        numbers.append(f"{year}-{counts[year]:03d}")
    return numbers
