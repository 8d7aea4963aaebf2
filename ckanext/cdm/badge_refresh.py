"""The refresh of the indexed badges (``ckan cdm badges refresh``, nightly,
and the job queued when a charter version is adopted), in batches.

An opinion goes stale by age with no event to tell, and the adoption of a
charter version makes the opinions of the superseded one stale at once: the
refresh recomputes every active dataset's badge and rewrites the index of
those whose indexed summary (code *and* reason: the whole ``cdm`` summary,
compared through ``cdm_badge_key``, ``badge_index.summary_key``) is no longer
right, or of every one with ``--all``.

Per batch of :data:`BATCH` datasets: the badges in three queries
(``badge_facts.badges_for``), the indexed keys in one Solr query, the datasets
in one query, their stored documents in one Solr query, then one Solr update
for the batch; one commit at the end. A dataset whose stored document is
current (its ``metadata_modified`` is the database's: the rule by which
``package_show`` itself answers from the index) is reindexed from the dicts
that document keeps, with its new badge, through CKAN's own indexer
(``index_package``, so the document is the one CKAN would build); any other
goes through CKAN's full reindex, its badge computed ahead
(docs/performance.md, « Badges: the 304 and the refresh »).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator
from typing import Any

from ckan.plugins import toolkit as tk

from ckanext.cdm import badge_facts, badge_index
from ckanext.cdm.badges import Badge

log = logging.getLogger(__name__)

BATCH = 500


def _site() -> str:
    return f"+site_id:{tk.config['ckan.site_id']}"


def _terms(field: str, values: list[str]) -> str:
    # keys are hexadecimal; an id with a comma (CKAN ids are free text) is
    # simply not found, and its dataset reindexed the full way
    return f"{{!terms f={field}}}{','.join(values)}"


def up_to_date(badges: dict[str, Badge]) -> set[str]:
    """The datasets of ``badges`` whose indexed summary is the one of their
    badge: one Solr query."""
    from ckan.lib.search.common import make_connection

    keys = {badge_index.badge_key(i, b): i for i, b in badges.items()}
    if not keys:
        return set()
    query = {
        "q": "*:*",
        "fq": [_site(), _terms(badge_index.KEY_FIELD, list(keys))],
        "fl": "id",
        "rows": len(keys),
    }
    return {doc["id"] for doc in make_connection().search(**query).docs}


class _BatchedConnection:
    """What ``index_package`` asks ``make_connection()`` for while a batch is
    reindexed: its documents are kept, and sent to Solr in one update by
    :meth:`send`; anything else goes to a real connection."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.docs: list[dict[str, Any]] = []

    def add(self, docs: list[dict[str, Any]], commit: bool = False, **_: Any) -> None:
        self.docs.extend(docs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def send(self) -> None:
        if self.docs:
            self.real.add(docs=self.docs, commit=False)
            self.docs = []


@contextlib.contextmanager
def _batched_updates() -> Iterator[_BatchedConnection]:
    """CKAN's indexer sends one update per dataset; inside, its updates are
    gathered and sent once. For the command and the job (one process, one
    thread); restored on the way out, exception or not."""
    import flask
    from ckan.lib.search import index as ckan_index
    from ckan.lib.search.common import make_connection

    connection = _BatchedConnection(make_connection())
    if flask.has_request_context():
        # a web worker's threads share the module: never swap CKAN's function
        # there; each document goes as CKAN sends it
        connection.add = connection.real.add  # type: ignore[method-assign]
        yield connection
        return
    original = ckan_index.make_connection
    ckan_index.make_connection = lambda *args, **kwargs: connection
    try:
        yield connection
    finally:
        ckan_index.make_connection = original


def _stored(ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored documents of ``ids`` (their dicts and ``metadata_modified``)."""
    from ckan.lib.search.common import make_connection

    query = {
        "q": "*:*",
        "fq": [_site(), _terms("id", ids)],
        "fl": "id,metadata_modified,data_dict,validated_data_dict",
        "rows": len(ids),
    }
    # dates as Solr writes them, compared as package_show compares them
    found = make_connection(decode_dates=False).search(**query).docs
    return {doc["id"]: doc for doc in found}


def _from_stored(doc: dict[str, Any], badge: Badge) -> dict[str, Any] | None:
    """The dicts CKAN indexed, from the stored document, with the new badge
    (as ``after_dataset_show`` puts it): None if they are not there."""
    if "data_dict" not in doc or "validated_data_dict" not in doc:
        return None
    default = json.loads(doc["data_dict"])
    custom = json.loads(doc["validated_data_dict"])
    badge_index.add_to_dataset(custom, badge)
    if "cdm_badge" in default:  # one dict for both schemas: it had the badge too
        badge_index.add_to_dataset(default, badge)
    return dict(default, with_custom_schema=custom)


def reindex(badges: dict[str, Badge]) -> None:
    """Reindex the datasets of ``badges`` with those badges, in one Solr
    update, not committed."""
    import sqlalchemy as sa
    from ckan import logic, model
    from ckan.lib.search import index_for

    ids = sorted(badges)
    # kept here: CKAN's indexer gets each dataset again (its labels), from the
    # session's identity map instead of a query
    packages = {
        p.id: p
        for p in model.Session.scalars(sa.select(model.Package).where(model.Package.id.in_(ids)))
    }
    stored = _stored(ids)
    indexer = index_for(model.Package)
    with _batched_updates() as connection, badge_index.computed_ahead(badges):
        for package_id in ids:
            package, doc = packages.get(package_id), stored.get(package_id)
            dicts = None
            if package is not None and doc is not None:
                current = package.metadata_modified.isoformat()[:22]
                if str(doc.get("metadata_modified", ""))[:22] == current:
                    dicts = _from_stored(doc, badges[package_id])
            if dicts is not None:
                indexer.index_package(dicts, defer_commit=True)
            else:
                logic.index_update_package({"ignore_auth": True}, package_id, True)
        connection.send()


def refresh(everything: bool = False, today: dt.date | None = None) -> tuple[int, int]:
    """Recompute the badge of every active dataset (as on ``today``) and
    reindex those whose indexed summary is no longer right (every one with
    ``everything``). Returns (datasets, reindexed)."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.lib import search

    ids = list(
        model.Session.scalars(
            sa.select(model.package_table.c.id)
            .where(model.package_table.c.state == "active")
            .order_by(model.package_table.c.id)
        )
    )
    reindexed = 0
    for start in range(0, len(ids), BATCH):
        badges = badge_facts.badges_for(ids[start : start + BATCH], today)
        if not everything:
            current = up_to_date(badges)
            badges = {i: b for i, b in badges.items() if i not in current}
        if badges:
            reindex(badges)
            reindexed += len(badges)
    if reindexed:
        search.commit()
    return len(ids), reindexed


def refresh_job() -> None:
    """The background job queued when a charter version is adopted: every
    opinion given under the superseded version is now out of date."""
    checked, reindexed = refresh()
    log.info("cdm badges: %s datasets checked, %s reindexed", checked, reindexed)
