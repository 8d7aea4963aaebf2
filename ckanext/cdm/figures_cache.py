"""The annual report's live figures, cached in Redis (CKAN's
``ckan.lib.redis.connect_to_redis()``: every worker and node of the portal
shares them) until something they count changes.

Computing a year's figures (``figures.py``) reads every active dataset of
the catalogue and runs the badge rules once per group of datasets: too
dear for every view of ``/cdm/report``. The cache keeps them per **year and
scope**: ``public`` (the same for every reader, anonymous or not) and
``committee`` (the same for every member in office and sysadmin; only
``cdm_report_show`` hands them out, after its access check). A published
report's public figures are frozen in its row and never computed.

What invalidates them (docs/performance.md, « The register and the report at
scale »):

- **a change to a table they count**, committed: the datasets (``package``,
  ``package_extra``: created, updated, deleted, made private, an ethics
  field), the organizations (``group``: their names), the reviews (submitted,
  every transition, their labels), the opinions (published, corrected, their
  labels), the charter and its principles (adopted, superseded), the
  sessions, their attendance and proxies. A session listener
  (:func:`watch`) notes every ORM write to one of these tables (an object
  flushed, a bulk ``UPDATE``/``DELETE``, a textual ``INSERT``/``UPDATE``/
  ``DELETE``/``TRUNCATE`` through the session) and, once the transaction is
  committed, raises a **generation** number that every key carries: no key
  is deleted, the old ones expire. Whatever action made the change (an
  ``IPackageController`` hook, a review transition, a CLI command), it is seen.
- **time**, which the figures read too: the badges' « today » (an opinion
  goes stale with age) and the sessions held (those whose date has come).
  Each entry keeps the moment it stops being true (the next midnight UTC, or
  the start of the next session if sooner) and is recomputed after it.
- **the year**: the key names it; the page of a new year asks for a new key.
- ``ckanext.cdm.report.figures_cache_seconds``: an entry's longest life, for
  writes made outside the portal (SQL by hand, another application); ``0``
  switches the cache off.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

import sqlalchemy as sa
from ckan.lib.redis import connect_to_redis
from ckan.plugins import toolkit as tk
from redis.exceptions import RedisError
from sqlalchemy.orm import Session

from ckanext.cdm import figures
from ckanext.cdm.model import base

log = logging.getLogger(__name__)

# the tables the figures count (figures.py)
COUNTED = frozenset(
    {
        "package",
        "package_extra",
        "group",
        "cdm_review",
        "cdm_opinion",
        "cdm_charter",
        "cdm_principle",
        "cdm_session",
        "cdm_session_attendance",
        "cdm_session_proxy",
    }
)
_CHANGED = "cdm_figures_changed"  # in session.info: a counted table was written
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?(\w+)"?', re.I
)


def max_age() -> int:
    return tk.config["ckanext.cdm.report.figures_cache_seconds"]


def _prefix() -> str:
    return f"ckanext-cdm:{tk.config['ckan.site_id']}:figures"


def _generation(redis: Any) -> str:
    return (redis.get(f"{_prefix()}:generation") or b"0").decode()


def forget() -> None:
    """Every cached figure out of date: the generation raised."""
    try:
        connect_to_redis().incr(f"{_prefix()}:generation")
    except RedisError:
        log.exception("The report's figures could not be marked out of date")


def next_change(now: dt.datetime) -> dt.datetime:
    """When figures computed at ``now`` stop being true without a write: the
    next midnight UTC (the badges' today), or the start of the next session
    (one more session held), if sooner."""
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), dt.timezone.utc)
    from ckan import model

    upcoming = model.Session.execute(
        sa.text("SELECT min(starts_at) FROM cdm_session WHERE starts_at > :now"), {"now": now}
    ).scalar()
    return min(tomorrow, upcoming) if upcoming else tomorrow


def figures_for(year: int, scope: str) -> dict[str, Any]:
    """``figures.figures_for(year, scope)``, from the cache when it is still true."""
    seconds = max_age()
    if seconds <= 0:
        return figures.figures_for(year, scope)
    now = base.utcnow()
    try:
        redis = connect_to_redis()
        key = f"{_prefix()}:{_generation(redis)}:{year}:{scope}"
        cached = redis.get(key)
    except RedisError:
        log.exception("The report's figures cache could not be read")
        return figures.figures_for(year, scope)
    if cached:
        entry = json.loads(cached)
        if now < dt.datetime.fromisoformat(entry["until"]):
            return entry["figures"]
    computed = figures.figures_for(year, scope)
    until = next_change(now)
    entry = {"until": until.isoformat(), "figures": computed}
    try:
        redis.set(key, json.dumps(entry), ex=seconds)
    except RedisError:
        log.exception("The report's figures cache could not be written")
    return computed


# Invalidation


def _tables(statement: Any) -> set[str]:
    table = getattr(statement, "table", None)
    if table is not None:
        return {getattr(table, "name", "")}
    match = _WRITE.match(str(statement)) if isinstance(statement, sa.TextClause) else None
    return {match.group(1).lower()} if match else set()


def _counted(obj: Any) -> bool:
    return any(table.name in COUNTED for table in sa.inspect(obj).mapper.tables)


def _flushed(session: Session, flush_context: Any) -> None:
    written = [*session.new, *session.deleted]
    written += [obj for obj in session.dirty if session.is_modified(obj)]
    if any(_counted(obj) for obj in written):
        session.info[_CHANGED] = True


def _executed(state: Any) -> None:
    if state.is_select:
        return
    if _tables(state.statement) & COUNTED:
        state.session.info[_CHANGED] = True


def _committed(session: Session) -> None:
    """After the commit (never before: a view computing in between would
    cache what it could not see yet). A write rolled back keeps its note
    until the next commit: one invalidation too many, never one too few."""
    if session.info.pop(_CHANGED, False):
        forget()


LISTENERS = (
    ("after_flush", _flushed),
    ("do_orm_execute", _executed),
    ("after_commit", _committed),
)


def watch() -> None:
    """Listen to every session's writes (once per process)."""
    for name, listener in LISTENERS:
        if not sa.event.contains(Session, name, listener):
            sa.event.listen(Session, name, listener)
