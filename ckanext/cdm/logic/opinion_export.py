"""The register's exports (CSV, CSV for Excel, JSON) read in one statement,
streamed: the opinions ``cdm_opinion_list`` lists (the same access check,
filters, visibility and withheld rows), with what their rows show of their
neighbours (the numbers of the opinion they correct and of their published
correction, whether their dataset is still in the catalogue) joined in the
same ``SELECT``, read through a server-side cursor a batch at a time.

Whatever the number of opinions, an export sends the same statements: it is
never built in memory, nor re-counted and re-sorted page after page.

:func:`prepare` runs in the view, before its response is returned (a refused
filter is then a 400 page, not a broken download); :func:`rows` runs while
the response is sent, after CKAN removed the request's session: it reads in
a session of its own and removes it when done (or when the client leaves).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict
from sqlalchemy.orm import aliased

from ckanext.cdm import opinion_schema
from ckanext.cdm.logic.action.opinion import listed_query
from ckanext.cdm.model.opinion import PUBLISHED, Opinion

BATCH = 500  # rows fetched from the server-side cursor at a time


@dataclass
class Export:
    """The statement of an export and how to read its rows."""

    statement: sa.Select
    withheld: bool
    labels: list[str] | None
    summary_public: bool


def prepare(context: Context, data_dict: DataDict, limit: int) -> Export:
    """The export of ``cdm_opinion_list`` for ``data_dict`` (its filters,
    ``withheld``), at most ``limit`` rows in the register's order: the access
    check and the validation happen here."""
    listed = listed_query(context, data_dict)
    corrected = aliased(Opinion)
    correction = aliased(Opinion)
    statement = (
        listed.query.with_only_columns(
            Opinion.number,
            Opinion.published_at,
            Opinion.verdict,
            Opinion.dataset_title,
            Opinion.dataset_name,
            Opinion.package_id,
            Opinion.organization_id,
            Opinion.permission_labels,
            Opinion.summary_text().label("summary"),
            corrected.number.label("supersedes"),
            correction.number.label("superseded_by"),
            model.Package.id.is_not(None).label("dataset_exists"),
        )
        .outerjoin(corrected, corrected.id == Opinion.supersedes_id)
        .outerjoin(
            correction,
            sa.and_(correction.supersedes_id == Opinion.id, correction.state == PUBLISHED),
        )
        .outerjoin(
            model.Package,
            sa.and_(model.Package.id == Opinion.package_id, model.Package.state == "active"),
        )
        .order_by(*Opinion.register_order())
        .limit(limit)
        .execution_options(stream_results=True, yield_per=BATCH)
    )
    summary_public = listed.committee or "summary" not in opinion_schema.confidential_names()
    return Export(statement, listed.withheld, listed.labels, summary_public)


def _link(number: str | None) -> dict[str, Any] | None:
    return {"number": number} if number else None


def _result(row: sa.Row, export: Export) -> dict[str, Any]:
    """A row as ``cdm_opinion_list`` lists it (the keys the exports read)."""
    published_at = row.published_at.isoformat() if row.published_at else None
    if export.withheld and not set(row.permission_labels) & set(export.labels or []):
        return {"number": row.number, "published_at": published_at, "withheld": True}
    return {
        "number": row.number,
        "published_at": published_at,
        "verdict": row.verdict,
        "dataset_title": row.dataset_title,
        "dataset_name": row.dataset_name,
        "package_id": row.package_id,
        "dataset_exists": bool(row.dataset_exists),
        "organization_id": row.organization_id,
        "summary": row.summary if export.summary_public else None,
        "supersedes": _link(row.supersedes),
        "superseded_by": _link(row.superseded_by),
        "withheld": False,
    }


def rows(export: Export) -> Iterator[dict[str, Any]]:
    """The export's opinions, read a batch at a time in one statement."""
    try:
        for row in model.Session.execute(export.statement):
            yield _result(row, export)
    finally:
        model.Session.remove()
