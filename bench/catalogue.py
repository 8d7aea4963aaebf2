"""The benchmark's catalogue: 2,000 datasets, opinions on a quarter of them.

Usage: python bench/catalogue.py check|build bench/bench.ini

``check`` exits 0 when the catalogue is already built and complete (the
marker written at the end of ``build``, as many active datasets in the
database as in the search index); ``build`` fills an empty database.

The datasets (CDM_BENCH_DATASETS, 2,000 by default) are written in bulk, as
the rows ``package_create`` writes with the extension's schema
(bench/rows.py), spread over several organizations. The committee's work is
a benchmark fixture, so it is written in bulk through the extension's
models, as real rows that the badge rules read (``badge_facts.facts_for``):
two charter versions (the first superseded), a closed session, reviews and
published opinions with mixed verdicts, some stale (by age, by a superseded
charter, by a changed ethics field), corrections, re-examinations and open
reviews, so that every badge code is represented, and earlier opinions going
back ten years. The datasets' permission labels are then stored as the
extension stores them, and the whole catalogue is indexed by CKAN's indexer
with the plugin (bench/indexer.py), so that ``cdm_badge`` is in Solr.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any

# bump when the recipe below changes: a catalogue built by another recipe is rebuilt
RECIPE = "2"
DATASETS = int(os.environ.get("CDM_BENCH_DATASETS", "2000"))
ORGANIZATIONS = 8
BATCH = 1000
MARKER = "cdm_bench_catalogue"

VERDICTS = ["favorable", "favorable_with_reservations", "unfavorable"]

# what happens to the n-th reviewed dataset (n % 20): a mix in which every
# badge appears
SCENARIOS = (
    ["compliant"] * 7
    + ["reservations"] * 3
    + ["unfavorable"] * 2
    + ["stale_age"] * 2
    + ["stale_charter", "stale_fields", "reexamination", "stale_reopened", "corrected"]
    + ["compliant"]
)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def marker_value() -> str:
    return f"{RECIPE}:{DATASETS}"


def open_app(ini: str) -> Any:
    """CKAN's app for ``ini``, with a request context pushed (as the CLI does)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(os.path.abspath(ini)))
    context = app._wsgi_app.test_request_context()
    context.push()
    return app


def check() -> int:
    import sqlalchemy as sa
    from ckan import model
    from ckan.lib.search import query_for

    marker = model.get_system_info(MARKER)
    if marker != marker_value():
        log(f"catalogue: marker {marker!r}, want {marker_value()!r}")
        return 1
    in_database = model.Session.execute(
        sa.select(sa.func.count()).where(model.package_table.c.state == "active")
    ).scalar_one()
    in_index = len(query_for(model.Package).get_all_entity_ids(max_results=DATASETS * 2))
    if in_database != DATASETS or in_index != DATASETS:
        log(f"catalogue: {in_database} datasets in the database, {in_index} indexed")
        return 1
    log(f"catalogue: reusing the {DATASETS} datasets already built; badges: {badge_counts()}")
    return 0


# Building


_site_user: list[str] = []


def site_context() -> dict[str, Any]:
    """A new context of the site user, who may do anything."""
    from ckan.plugins import toolkit as tk

    if not _site_user:
        _site_user.append(tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"])
    return {"user": _site_user[0], "ignore_auth": True}


def create_charters() -> tuple[Any, Any]:
    """Version 1.0, superseded by 2.0 (adopted): (old, current)."""
    from ckan.plugins import toolkit as tk

    from ckanext.cdm.data import read_charter
    from ckanext.cdm.model.charter import Charter

    for number, day in (("1.0", "2016-03-01"), ("2.0", "2025-01-15")):
        data = read_charter(draft_note=False)
        data["number"] = number
        created = tk.get_action("cdm_charter_create")(site_context(), data)
        tk.get_action("cdm_charter_adopt")(
            site_context(),
            {"id": created["id"], "adopted_on": day, "decision_reference": f"BENCH-{number}"},
        )
    return Charter.get("1.0"), Charter.get("2.0")


def create_organizations() -> list[str]:
    from ckan.plugins import toolkit as tk

    ids = []
    for n in range(ORGANIZATIONS):
        org = tk.get_action("organization_create")(
            site_context(),
            {"name": f"bench-org-{n}", "title": f"Direction {n} de la Métropole"},
        )
        ids.append(org["id"])
    return ids


def create_datasets(org_ids: list[str]) -> list[str]:
    """The datasets' rows, written in bulk (bench/rows.py), BATCH at a time."""
    from ckan import model
    from rows import Writer

    user = model.User.by_name(site_context()["user"])
    writer = Writer(org_ids, user.id, DATASETS)
    writer.tags()
    ids: list[str] = []
    started = time.monotonic()
    for first in range(0, DATASETS, BATCH):
        ids.extend(writer.write(range(first, min(first + BATCH, DATASETS))))
        model.repo.commit()
        rate = len(ids) / (time.monotonic() - started)
        print(f"\r[bench] datasets: {len(ids)}/{DATASETS} ({rate:.0f}/s)", end="", flush=True)
    print()
    return ids


class Committee:
    """Writes reviews and opinions as the workflow leaves them (added to the
    session with their ids; flushed a batch at a time by the caller)."""

    def __init__(self, old_charter: Any, charter: Any, session_id: str, user_id: str) -> None:
        self.old_charter_id, self.charter_id = old_charter.id, charter.id
        self.charter_adopted = dt.datetime(2025, 1, 15, tzinfo=dt.timezone.utc)
        self.principles = [p.code for p in charter.principles]
        self.session_id, self.user_id = session_id, user_id
        self.sequences: dict[int, int] = {}
        self.now = dt.datetime.now(dt.timezone.utc)
        self.reviews: list[Any] = []
        self.opinions: list[Any] = []
        self.written = 0

    def flush(self) -> None:
        """Write the reviews, then the opinions (no ORM relationship orders them)."""
        from ckan import model

        for rows in (self.reviews, self.opinions):
            model.Session.add_all(rows)
            model.Session.flush()
        self.written += len(self.opinions)
        self.reviews, self.opinions = [], []

    def review(self, package: Any, state: str, charter_id: str, at: dt.datetime) -> Any:
        from ckanext.cdm.model.base import new_id
        from ckanext.cdm.model.review import OPEN_STATES, Review

        review = Review(
            id=new_id(),
            package_id=package.id,
            organization_id=package.owner_org,
            dataset_name=package.name,
            dataset_title=package.title,
            charter_id=charter_id,
            state=state,
            self_assessment={},
            submitted_by=self.user_id,
            last_submitted_by=self.user_id,
            submitters=[self.user_id],
            submitted_at=at,
            last_submitted_at=at,
            closed_at=None if state in OPEN_STATES else at,
            modified=at,
        )
        self.reviews.append(review)
        return review

    def opinion(
        self,
        review: Any,
        package: Any,
        verdict: str,
        at: dt.datetime,
        facts: dict[str, Any],
        supersedes: Any = None,
    ) -> Any:
        from ckanext.cdm.model.base import new_id
        from ckanext.cdm.model.opinion import PUBLISHED, Opinion, format_number

        sequence = self.sequences[at.year] = self.sequences.get(at.year, 0) + 1
        opinion = Opinion(
            id=new_id(),
            review_id=review.id,
            package_id=package.id,
            organization_id=package.owner_org,
            dataset_name=package.name,
            dataset_title=package.title,
            charter_id=review.charter_id,
            state=PUBLISHED,
            verdict=verdict,
            data={
                "summary": f"Avis du comité sur « {package.title} ».",
                "assessments": {
                    code: {"status": "compliant", "comment": "Principe respecté."}
                    for code in self.principles
                },
            },
            number=format_number(at.year, sequence),
            year=at.year,
            sequence=sequence,
            session_id=self.session_id,
            votes_for=15,
            votes_against=2,
            votes_abstain=1,
            votes_not_voting=0,
            votes_proxies=1,
            recused=[],
            supersedes_id=supersedes.id if supersedes else None,
            correction_reason="Erreur matérielle." if supersedes else None,
            dataset_facts=facts,
            created_by=self.user_id,
            created=at,
            modified=at,
            published_by=self.user_id,
            published_at=at,
        )
        self.opinions.append(opinion)
        return opinion

    def history(self, package: Any, n: int, facts: dict[str, Any]) -> None:
        """An earlier examination, 3½ to 10 years ago (a closed review and its
        opinion, older than the current one: the badge does not read it)."""
        from ckanext.cdm.model.review import OPINION_ISSUED

        oldest, newest = 3650, 42 * 31
        at = self.now - dt.timedelta(days=newest + (n * 37) % (oldest - newest))
        charter = self.old_charter_id if at < self.charter_adopted else self.charter_id
        review = self.review(package, OPINION_ISSUED, charter, at)
        self.opinion(review, package, VERDICTS[n % 3], at, facts)

    def examine(self, package: Any, scenario: str, n: int) -> None:
        """The reviews and opinions of one dataset for ``scenario``."""
        from ckanext.cdm.model.opinion import ethics_facts
        from ckanext.cdm.model.review import IN_REVIEW, OPINION_ISSUED, SUBMITTED

        facts = ethics_facts(package)
        if n % 8 == 4:
            self.history(package, n, facts)
        # fresh opinions spread over the last two years, stale ones 40 months old
        at = self.now - dt.timedelta(days=1 + (n * 7) % 700)
        if scenario in ("stale_age", "stale_reopened"):
            at = self.now - dt.timedelta(days=40 * 31)
        charter = self.old_charter_id if scenario == "stale_charter" else self.charter_id
        if scenario == "stale_charter":
            at = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
        if scenario == "stale_fields":
            facts = {**facts, "purpose": "Une finalité antérieure."}
        verdict = {"reservations": VERDICTS[1], "unfavorable": VERDICTS[2]}.get(
            scenario, VERDICTS[n % 3] if scenario.startswith("stale") else VERDICTS[0]
        )
        review = self.review(package, OPINION_ISSUED, charter, at)
        first = self.opinion(review, package, verdict, at, facts)
        if scenario == "corrected":
            later = at + dt.timedelta(days=1)
            self.opinion(review, package, VERDICTS[1], later, facts, supersedes=first)
        if scenario in ("reexamination", "stale_reopened"):
            self.review(package, IN_REVIEW if n % 2 else SUBMITTED, self.charter_id, self.now)


def examine_datasets(ids: list[str], old_charter: Any, charter: Any) -> tuple[int, int]:
    """Opinions on a quarter of the datasets (and, on half of those, an
    earlier one: ten years of opinions), open reviews on a few others; then
    the datasets' permission labels stored as the extension stores them.
    BATCH datasets at a time; (datasets examined, opinions)."""
    from ckan import model

    from ckanext.cdm import index
    from ckanext.cdm.model.review import SUBMITTED
    from ckanext.cdm.model.session import CLOSED, CommitteeSession

    user = model.User.by_name(site_context()["user"])
    held = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=30)
    session = CommitteeSession(
        starts_at=held, place="Salle du conseil", title="Séance du banc d’essai", state=CLOSED
    )
    session.closed_at = held
    model.Session.add(session)
    model.Session.flush()
    committee = Committee(old_charter, charter, session.id, user.id)
    examined = 0
    started = time.monotonic()
    for first in range(0, len(ids), BATCH):
        numbers = range(first, min(first + BATCH, len(ids)))
        wanted = [n for n in numbers if n % 4 == 0 or n % 50 == 1]
        packages = {
            p.id: p
            for p in model.Session.query(model.Package).filter(
                model.Package.id.in_([ids[n] for n in wanted])
            )
        }
        for n in wanted:
            package = packages[ids[n]]
            if n % 4 == 0:
                committee.examine(package, SCENARIOS[(n // 4) % len(SCENARIOS)], n)
            else:  # a few open reviews with no opinion yet
                committee.review(package, SUBMITTED, committee.charter_id, committee.now)
        committee.flush()
        model.repo.commit()
        model.Session.remove()
        # the labels on their reviews, opinions and activities, in a session
        # that holds only the datasets (each store_labels flushes it)
        for package in model.Session.query(model.Package).filter(
            model.Package.id.in_([ids[n] for n in wanted])
        ):
            index.store_labels(package)
        model.repo.commit()
        model.Session.remove()
        examined += len(wanted)
        rate = numbers.stop / (time.monotonic() - started)
        print(f"\r[bench] committee: {numbers.stop}/{len(ids)} ({rate:.0f}/s)", end="", flush=True)
    print()
    return examined, committee.written


def index_catalogue(ini: str) -> None:
    """Every dataset indexed by CKAN's indexer, with the plugin, in batches,
    by CDM_BENCH_INDEX_WORKERS processes (bench/indexer.py); one commit."""
    import subprocess

    from ckan.lib import search

    workers = int(os.environ.get("CDM_BENCH_INDEX_WORKERS", "2"))
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "indexer.py")
    running = [
        subprocess.Popen([sys.executable, script, ini, str(worker), str(workers)])
        for worker in range(workers)
    ]
    if any(process.wait() != 0 for process in running):
        raise SystemExit("bench: indexing failed")
    search.commit()


def build(ini: str) -> int:
    from ckan import model

    started = time.monotonic()
    old_charter, charter = create_charters()
    org_ids = create_organizations()
    ids = create_datasets(org_ids)
    log(f"datasets: {len(ids)} written in {time.monotonic() - started:.0f}s")
    examined, opinions = examine_datasets(ids, old_charter, charter)
    log(
        f"committee: {examined} datasets examined, {opinions} opinions "
        f"({time.monotonic() - started:.0f}s so far)"
    )
    indexed = time.monotonic()
    index_catalogue(ini)
    log(f"index: {len(ids)} datasets indexed in {time.monotonic() - indexed:.0f}s")
    model.set_system_info(MARKER, marker_value())
    log(f"catalogue built in {time.monotonic() - started:.0f}s; badges: {badge_counts()}")
    return 0


def badge_counts() -> dict[str, int]:
    from ckan.plugins import toolkit as tk

    result = tk.get_action("package_search")(
        {"ignore_auth": True}, {"rows": 0, "facet.field": '["cdm_badge"]', "facet.limit": -1}
    )
    return dict(sorted(result["facets"].get("cdm_badge", {}).items()))


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("check", "build"):
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    open_app(argv[2])
    return check() if argv[1] == "check" else build(argv[2])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
