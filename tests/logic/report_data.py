"""A constructed year (2025) whose every figure is known: reviews, opinions,
corrections, sessions and datasets, with their dates, written straight into
the tables (the actions stamp today's date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

from ckanext.cdm.model import Attendance, Charter, CommitteeSession, Opinion, Proxy, Review

YEAR = 2025
COMMITTEE_LABEL = "cdm-committee"


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=12, tzinfo=dt.timezone.utc)


@dataclass
class World:
    charter_id: str
    p1: str
    p2: str
    datasets: dict[str, dict] = field(default_factory=dict)
    reviews: dict[str, Review] = field(default_factory=dict)
    sequence: int = 0
    session_id: str = ""


def _dataset(world: World, key: str, organization: dict, private: bool = False, old=True) -> dict:
    pkg = factories.Dataset(owner_org=organization["id"], private=private, title=f"Jeu {key}")
    if old:
        model.Session.execute(
            sa.text("UPDATE package SET metadata_created = :day WHERE id = :id"),
            {"day": at("2025-01-01"), "id": pkg["id"]},
        )
    labels = [f"member-{organization['id']}", COMMITTEE_LABEL]
    pkg["labels"] = labels if private else ["public", *labels]
    world.datasets[key] = pkg
    return pkg


def _review(world: World, key: str, dataset: str, submitted: str, state: str, closed=None, **kw):
    pkg = world.datasets[dataset]
    review = Review(
        package_id=pkg["id"],
        organization_id=pkg["owner_org"],
        dataset_name=pkg["name"],
        dataset_title=pkg["title"],
        charter_id=world.charter_id,
        state=state,
        self_assessment={},
        submitted_by="steward",
        last_submitted_by="steward",
        submitters=["steward"],
        permission_labels=pkg["labels"],
        submitted_at=at(submitted),
        last_submitted_at=at(submitted),
        closed_at=at(closed) if closed else None,
        **kw,
    )
    model.Session.add(review)
    model.Session.flush()
    world.reviews[key] = review
    return review


def _opinion(world, review: str, day: str, verdict: str, p1: str, p2: str, session_id: str, **kw):
    rev = world.reviews[review]
    published = at(day)
    world.sequence += 1
    opinion = Opinion(
        review_id=rev.id,
        package_id=rev.package_id,
        organization_id=rev.organization_id,
        dataset_name=rev.dataset_name,
        dataset_title=rev.dataset_title,
        charter_id=kw.pop("charter_id", world.charter_id),
        state="published",
        verdict=verdict,
        data={
            "summary": "Vu.",
            "assessments": {world.p1: {"status": p1}, world.p2: {"status": p2}},
        },
        number=f"{published.year}-{world.sequence:03d}",
        year=published.year,
        sequence=world.sequence,
        session_id=session_id,
        permission_labels=list(rev.permission_labels),
        published_at=published,
        created=published,
        modified=published,
        **kw,
    )
    model.Session.add(opinion)
    model.Session.flush()
    return opinion


def _session(day: str, present: int, proxies: int) -> str:
    session = CommitteeSession(starts_at=at(day), place="Salle du conseil", state="closed")
    model.Session.add(session)
    model.Session.flush()
    for n in range(present):
        model.Session.add(Attendance(session_id=session.id, user_id=f"present-{n}"))
    for n in range(proxies):
        model.Session.add(
            Proxy(session_id=session.id, giver_id=f"absent-{n}", holder_id=f"present-{n}")
        )
    return session.id


def build(personas, charter: dict) -> World:
    """The year 2025 of docs/report.md's worked example (tests assert every figure)."""
    principles = [p["code"] for p in charter["principles"]]
    world = World(charter_id=Charter.get(charter["number"]).id, p1=principles[0], p2=principles[1])
    old_charter = Charter(
        number="0.9",
        title={"fr": "Ancienne", "en": "Old"},
        status="superseded",
        adopted_on=dt.date(2024, 1, 1),
        superseded_on=dt.date(2025, 10, 1),
    )
    model.Session.add(old_charter)
    a, b = personas.organization, personas.other_organization
    for key, org, private in [
        ("d1", a, False),
        ("d2", a, False),
        ("d3", b, False),
        ("d4", b, False),
        ("d5", a, True),
        ("d6", b, True),
        ("d7", a, False),
        ("d8", a, False),
        ("d9", b, False),
    ]:
        _dataset(world, key, org, private)
    _dataset(world, "d10", a, old=False)  # created in 2026: not in the 2025 catalogue
    s1 = world.session_id = _session("2025-02-05", present=3, proxies=1)
    _session("2025-06-01", present=2, proxies=0)
    _session("2024-12-15", present=9, proxies=4)

    _review(world, "r1", "d1", "2025-01-10", "opinion_issued", "2025-02-09")
    _review(world, "r2", "d2", "2025-03-01", "opinion_issued", "2025-03-11")
    _review(world, "r3", "d3", "2025-11-01", "in_review", self_referral=True)
    _review(world, "r4", "d4", "2025-04-01", "withdrawn", "2025-04-15")
    _review(world, "r5", "d5", "2025-05-01", "opinion_issued", "2025-07-01")
    _review(world, "r6", "d6", "2025-09-01", "submitted")
    _review(world, "r7", "d7", "2024-12-01", "opinion_issued", "2025-01-20")
    _review(world, "r8a", "d8", "2022-04-01", "opinion_issued", "2022-06-01")
    _review(world, "r8", "d8", "2026-01-05", "submitted")

    _opinion(world, "r1", "2025-02-09", "favorable", "compliant", "partially_compliant", s1)
    o2 = _opinion(world, "r2", "2025-03-11", "unfavorable", "non_compliant", "not_applicable", s1)
    _opinion(
        world,
        "r2",
        "2025-06-01",
        "favorable_with_reservations",
        "partially_compliant",
        "compliant",
        s1,
        supersedes_id=o2.id,
        correction_reason="Erreur matérielle.",
    )
    _opinion(world, "r5", "2025-07-01", "favorable", "compliant", "compliant", s1)
    _opinion(
        world,
        "r7",
        "2025-01-20",
        "favorable_with_reservations",
        "compliant",
        "compliant",
        s1,
        charter_id=old_charter.id,
    )
    _opinion(world, "r8a", "2022-06-01", "favorable", "compliant", "compliant", s1)
    model.Session.commit()
    return world
