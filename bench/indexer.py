"""Index the benchmark's catalogue: CKAN's own documents, sent in batches,
by several processes.

Usage: python bench/indexer.py bench/bench.ini WORKER WORKERS

Each dataset is indexed as ``ckan search-index rebuild`` indexes it
(``logic.index_update_package``: ``package_show`` without the cache, both
schemas, the plugins' ``after_dataset_show`` and ``before_dataset_index``
hooks, so the badge ``cdm_badge``, and the permission labels), with the
plugin loaded. Only the sending differs: instead of one request to Solr per
dataset, the documents CKAN builds are sent BATCH at a time, without a commit
(the caller commits once at the end), and the datasets and badges of a batch
are read together beforehand (``badge_facts.badges_for``, what ``badge_of``
computes for one dataset). Worker WORKER of WORKERS (from 0)
indexes the active datasets whose rank, by name, is WORKER modulo WORKERS;
several workers run at once (``CDM_BENCH_INDEX_WORKERS``, default 2).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

BATCH = 250


class Batched:
    """Stands for the Solr connection of CKAN's indexer: keeps the documents,
    sends them BATCH at a time, never commits."""

    def __init__(self) -> None:
        from ckan.lib.search.common import make_connection

        self.connection = make_connection()
        self.documents: list[dict[str, Any]] = []

    def add(self, docs: list[dict[str, Any]], commit: bool = False) -> None:
        self.documents.extend(docs)
        if len(self.documents) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.documents:
            self.connection.add(docs=self.documents, commit=False)
            self.documents = []


def index(ini: str, worker: int, workers: int) -> int:
    import sqlalchemy as sa
    from ckan import logic, model
    from ckan.lib.search import index as search_index

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from catalogue import open_app

    from ckanext.cdm import badge_facts

    open_app(ini)
    batched = Batched()
    search_index.make_connection = lambda *args, **kwargs: batched
    ids = model.Session.execute(
        sa.select(model.package_table.c.id)
        .where(model.package_table.c.state == "active")
        .order_by(model.package_table.c.name)
    ).scalars()
    mine = [package_id for rank, package_id in enumerate(ids) if rank % workers == worker]
    badges: dict[str, Any] = {}
    one_badge = badge_facts.badge_of

    def badge_of(package_id: str, today: Any = None) -> Any:
        if today is None and package_id in badges:
            return badges[package_id]
        return one_badge(package_id, today)

    badge_facts.badge_of = badge_of
    started = time.monotonic()
    for first in range(0, len(mine), BATCH):
        batch = mine[first : first + BATCH]
        # read together what each dataset's indexing reads: the datasets (kept
        # in the session, whose identity map answers Package.get) and their
        # badges (badges_for, which badge_of calls for one dataset)
        packages = model.Session.query(model.Package).filter(model.Package.id.in_(batch)).all()
        badges = badge_facts.badges_for(batch)
        for package_id in batch:
            logic.index_update_package({"ignore_auth": True}, package_id, defer_commit=True)
        del packages
        model.Session.remove()  # keeps the session small
        if worker == 0:
            done = (first + len(batch)) * workers
            rate = done / (time.monotonic() - started)
            print(f"\r[bench] index: about {done} datasets ({rate:.0f}/s)", end="", flush=True)
    batched.flush()
    model.Session.remove()
    if worker == 0:
        print()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__.splitlines()[3], file=sys.stderr)
        sys.exit(2)
    sys.exit(index(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
