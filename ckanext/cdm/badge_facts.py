"""The facts a badge depends on, gathered from the database.

:func:`facts_for` reads, for many datasets at once, what :func:`badges.badge_for`
needs (the current opinion, its charter, the open review, the dataset's
ethics fields), in a fixed number of SQL queries (one on the opinions, one
on the open reviews, one on the datasets), whatever their number;
:func:`badges_for` and :func:`badge_of` apply the rule to them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from ckanext.cdm.badges import Badge, Facts, badge_for


@functools.cache
def _statements(fields: tuple[str, ...]) -> tuple[Any, Any, Any]:
    """The three queries of :func:`facts_for`, on the datasets of the
    parameter ``ids``, built once: building them (an alias of a table of 30
    columns, three selects) costs more than running them, on each
    ``package_show`` (docs/performance.md)."""
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.opinion import Opinion
    from ckanext.cdm.model.review import OPEN_STATES, Review

    ids = sa.bindparam("ids", expanding=True)
    opinions = (
        _published_opinions(Opinion.package_id)
        .where(Opinion.package_id.in_(ids))
        .order_by(Opinion.package_id, Opinion.published_at.desc(), Opinion.number.desc())
        .distinct(Opinion.package_id)
    )
    open_reviews = (
        sa.select(Review.package_id)
        .where(Review.package_id.in_(ids), Review.state.in_(OPEN_STATES))
        .distinct()
    )
    table = model.package_table
    columns = [table.c[name] for name in fields if name in table.c and name != "extras"]
    packages = sa.select(table.c.id, table.c.extras, *columns).where(table.c.id.in_(ids))
    return opinions, open_reviews, packages


def facts_for(package_ids: Iterable[str]) -> dict[str, Facts]:
    """The facts of each dataset of ``package_ids`` (a dataset unknown to the
    database gets empty facts), in three queries whatever their number."""
    from ckan import model

    from ckanext.cdm import config

    ids = sorted(set(package_ids))
    if not ids:
        return {}
    session = model.Session
    fields = config.ethics_fields()
    opinions_query, reviews_query, packages_query = _statements(tuple(fields))
    opinions = session.execute(opinions_query, {"ids": ids}).all()
    open_reviews = set(session.execute(reviews_query, {"ids": ids}).scalars())
    current: dict[str, dict[str, Any]] = {}
    for row in session.execute(packages_query, {"ids": ids}).mappings():
        current[row["id"]] = _current_facts(row, fields)
    facts = {i: Facts(open_review=i in open_reviews, current_facts=current.get(i, {})) for i in ids}
    for package_id, *opinion in opinions:
        facts[package_id] = _with_opinion(facts[package_id], *opinion)
    return facts


def _current_facts(row: Any, fields: list[str]) -> dict[str, Any]:
    """The dataset's ethics fields now, from its row (``extras`` and columns)."""
    extras = row["extras"] or {}
    values = {name: extras.get(name, row.get(name)) for name in fields}
    return {k: v if v not in ("", None) else None for k, v in values.items()}


def _with_opinion(
    facts: Facts,
    number: str,
    verdict: str,
    published_at: dt.datetime,
    kept: dict[str, Any] | None,
    charter: str,
    status: str,
) -> Facts:
    from ckanext.cdm.model.charter import SUPERSEDED

    return dataclasses.replace(
        facts,
        opinion_number=number,
        verdict=verdict,
        published_at=published_at,
        charter_version=charter,
        charter_superseded=status == SUPERSEDED,
        dataset_facts=dict(kept or {}),
    )


@functools.cache
def _one_statement(fields: tuple[str, ...]) -> Any:
    """:func:`facts_of`'s statement: the dataset of id or name ``ref`` (the
    entity), its ethics fields, whether a review is open and its current
    opinion (a lateral subquery: the same rule as :func:`_statements`)."""
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.opinion import Opinion
    from ckanext.cdm.model.review import OPEN_STATES, Review

    ref = sa.bindparam("ref")
    table = model.package_table
    opinion = (
        _published_opinions()
        .where(Opinion.package_id == table.c.id)
        .order_by(Opinion.published_at.desc(), Opinion.number.desc())
        .limit(1)
        .lateral("cdm_current")
    )
    open_review = (
        sa.select(Review.id)
        .where(Review.package_id == table.c.id, Review.state.in_(OPEN_STATES))
        .exists()
    )
    columns = [table.c[name] for name in fields if name in table.c and name != "extras"]
    return (
        sa.select(
            model.Package,
            open_review.label("cdm_open_review"),
            *[c.label(f"cdm_field_{c.name}") for c in columns],
            *opinion.c,
        )
        .select_from(table)
        .outerjoin(opinion, sa.true())
        .where(sa.or_(table.c.id == ref, table.c.name == ref))
        .order_by((table.c.id == ref).desc())
        .limit(1)
    )


def facts_of(ref: str) -> tuple[Any, Facts | None]:
    """The dataset of id or name ``ref`` (the id first, as ``Package.get``)
    and its facts, in one SQL statement: (None, None) if there is none. The
    same facts as :func:`facts_for` (tests/test_views_badge_revalidation.py
    compares them); for the embeddable badge's ETag."""
    from ckan import model

    from ckanext.cdm import config

    fields = config.ethics_fields()
    row = model.Session.execute(_one_statement(tuple(fields)), {"ref": ref}).first()
    if row is None:
        return None, None
    package = row[0]
    values = row._mapping
    data = {"extras": package.extras}
    data.update({name: values.get(f"cdm_field_{name}") for name in fields})
    facts = Facts(
        open_review=bool(values["cdm_open_review"]), current_facts=_current_facts(data, fields)
    )
    if values["number"] is not None:
        facts = _with_opinion(
            facts,
            values["number"],
            values["verdict"],
            values["published_at"],
            values["dataset_facts"],
            values["charter"],
            values["charter_status"],
        )
    return package, facts


def badges_for(package_ids: Iterable[str], today: dt.date | None = None) -> dict[str, Badge]:
    """The badge of each dataset of ``package_ids``, in three queries."""
    from ckanext.cdm.model import base

    day = today or base.today()
    return {i: badge_for(f, day) for i, f in facts_for(package_ids).items()}


def badge_of(package_id: str, today: dt.date | None = None) -> Badge:
    return badges_for([package_id], today)[package_id]


def _published_opinions(*first: Any) -> Any:
    """The published opinions that no correction superseded, with what a
    badge reads of them (``first`` columns, then the number, verdict, date,
    facts and charter of each: the arguments of :func:`_with_opinion`)."""
    import sqlalchemy as sa

    from ckanext.cdm.model.charter import Charter
    from ckanext.cdm.model.opinion import PUBLISHED, Opinion

    return (
        sa.select(
            *first,
            Opinion.number,
            Opinion.verdict,
            Opinion.published_at,
            Opinion.dataset_facts,
            Charter.number.label("charter"),
            Charter.status.label("charter_status"),
        )
        .join(Charter, Charter.id == Opinion.charter_id)
        .where(Opinion.state == PUBLISHED, ~_superseded())
    )


def _superseded() -> Any:
    """Whether an opinion has a published correction (``EXISTS``)."""
    import sqlalchemy as sa

    from ckanext.cdm.model.opinion import PUBLISHED, Opinion

    successor = sa.orm.aliased(Opinion, name="cdm_successor")
    return (
        sa.select(successor.id)
        .where(successor.supersedes_id == Opinion.id, successor.state == PUBLISHED)
        .exists()
    )
