"""The benchmark's catalogue: 2,000 datasets, opinions on a quarter of them.

Usage: python bench/catalogue.py check|build bench/bench.ini

``check`` exits 0 when the catalogue is already built and complete (the
marker written at the end of ``build``, as many active datasets in the
database as in the search index); ``build`` fills an empty database.

The datasets are created through ``package_create`` with the index deferred
(``defer_commit``), spread over several organizations. The committee's work
is a benchmark fixture, so it is written in bulk through the extension's
models, as real rows that the badge rules read (``badge_facts.facts_for``): two
charter versions (the first superseded), a closed session, reviews and
published opinions with mixed verdicts, some stale (by age, by a superseded
charter, by a changed ethics field), corrections, re-examinations and open
reviews, so that every badge code is represented. The datasets' permission
labels are then stored as the extension stores them, and the whole catalogue
is indexed once at the end, with the plugin, so that ``cdm_badge`` is in Solr.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from typing import Any

# bump when the recipe below changes: a catalogue built by another recipe is rebuilt
RECIPE = "1"
DATASETS = int(os.environ.get("CDM_BENCH_DATASETS", "2000"))
ORGANIZATIONS = 8
BATCH = 100
MARKER = "cdm_bench_catalogue"

TAGS = ["transport", "santé", "environnement", "budget", "éducation", "culture", "voirie", "eau"]
FORMATS = ["CSV", "JSON", "GeoJSON", "XLSX"]
PERSONAL = ["none", "anonymised", "pseudonymised", "personal"]
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

    for number, day in (("1.0", "2023-03-01"), ("2.0", "2025-01-15")):
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


def dataset_dict(n: int, org_id: str) -> dict[str, Any]:
    personal = PERSONAL[n % len(PERSONAL)]
    algorithmic = n % 7 == 0
    data = {
        "name": f"bench-{n:05d}",
        "title": f"Jeu de données {n} : {TAGS[n % len(TAGS)]} de la Métropole",
        "notes": f"Données de démonstration n° {n} pour le banc d’essai de ckanext-cdm. " * 3,
        "owner_org": org_id,
        "license_id": "odc-odbl",
        "tags": [{"name": TAGS[(n + k) % len(TAGS)]} for k in range(3)],
        "personal_data": personal,
        "purpose": f"Finalité du jeu {n} : éclairer les politiques publiques.",
        "algorithmic_use": "yes" if algorithmic else "no",
        "data_controller": "Métropole, direction de la donnée",
        "retention_period": "13 mois",
        "resources": [
            {"name": f"Fichier {k}", "url": f"http://example.org/{n}/{k}", "format": f}
            for k, f in enumerate(FORMATS[: 1 + n % 3])
        ],
    }
    if personal in ("pseudonymised", "personal"):
        data["legal_basis"] = "public_task"
    if algorithmic:
        data["algorithm_description"] = "Un modèle de prévision de fréquentation."
    return data


def create_datasets(org_ids: list[str]) -> list[str]:
    from ckan import model
    from ckan.plugins import toolkit as tk

    ids = []
    started = time.monotonic()
    for n in range(DATASETS):
        context = {**site_context(), "defer_commit": True, "return_id_only": True}
        ids.append(
            tk.get_action("package_create")(context, dataset_dict(n, org_ids[n % len(org_ids)]))
        )
        if (n + 1) % BATCH == 0 or n + 1 == DATASETS:
            model.repo.commit()
            rate = (n + 1) / (time.monotonic() - started)
            print(f"\r[bench] datasets: {n + 1}/{DATASETS} ({rate:.0f}/s)", end="", flush=True)
    print()
    return ids


class Committee:
    """Writes reviews and opinions as the workflow leaves them."""

    def __init__(self, old_charter: Any, charter: Any, session_id: str, user_id: str) -> None:
        self.old_charter, self.charter = old_charter, charter
        self.session_id, self.user_id = session_id, user_id
        self.sequences: dict[int, int] = {}
        self.now = dt.datetime.now(dt.timezone.utc)

    def review(self, package: Any, state: str, charter: Any, at: dt.datetime) -> Any:
        from ckan import model

        from ckanext.cdm.model.review import OPEN_STATES, Review

        review = Review(
            package_id=package.id,
            organization_id=package.owner_org,
            dataset_name=package.name,
            dataset_title=package.title,
            charter_id=charter.id,
            state=state,
            self_assessment={},
            submitted_by=self.user_id,
            last_submitted_by=self.user_id,
            submitters=[self.user_id],
            submitted_at=at,
            last_submitted_at=at,
            closed_at=None if state in OPEN_STATES else at,
        )
        model.Session.add(review)
        model.Session.flush()
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
        from ckan import model

        from ckanext.cdm.model.opinion import PUBLISHED, Opinion, format_number

        sequence = self.sequences[at.year] = self.sequences.get(at.year, 0) + 1
        opinion = Opinion(
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
                    p.code: {"status": "compliant", "comment": "Principe respecté."}
                    for p in self.charter.principles
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
        model.Session.add(opinion)
        model.Session.flush()
        return opinion

    def examine(self, package: Any, scenario: str, n: int) -> None:
        """The reviews and opinions of one dataset for ``scenario``."""
        from ckanext.cdm.model.opinion import ethics_facts
        from ckanext.cdm.model.review import IN_REVIEW, OPINION_ISSUED, SUBMITTED

        # fresh opinions spread over the last two years, stale ones 40 months old
        at = self.now - dt.timedelta(days=1 + (n * 7) % 700)
        if scenario in ("stale_age", "stale_reopened"):
            at = self.now - dt.timedelta(days=40 * 31)
        charter = self.old_charter if scenario == "stale_charter" else self.charter
        if scenario == "stale_charter":
            at = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
        facts = ethics_facts(package)
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
            self.review(package, IN_REVIEW if n % 2 else SUBMITTED, self.charter, self.now)


def examine_datasets(ids: list[str], old_charter: Any, charter: Any) -> int:
    """Opinions on a quarter of the datasets, and open reviews on a few others."""
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
    examined = []
    for n, package_id in enumerate(ids):
        package = model.Package.get(package_id)
        if n % 4 == 0:
            committee.examine(package, SCENARIOS[(n // 4) % len(SCENARIOS)], n)
        elif n % 50 == 1:  # a few open reviews with no opinion yet
            committee.review(package, SUBMITTED, charter, committee.now)
        else:
            continue
        examined.append(package)
    # the datasets' permission labels on their reviews, opinions and activities,
    # as the extension stores them
    for package in examined:
        index.store_labels(package)
    model.repo.commit()
    return len(examined)


def build() -> int:
    from ckan import model
    from ckan.lib import search

    started = time.monotonic()
    old_charter, charter = create_charters()
    org_ids = create_organizations()
    ids = create_datasets(org_ids)
    examined = examine_datasets(ids, old_charter, charter)
    log(f"committee: {examined} datasets examined ({time.monotonic() - started:.0f}s so far)")
    indexed = time.monotonic()
    search.rebuild(package_ids=ids, defer_commit=True, quiet=True)
    search.commit()
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
    return check() if argv[1] == "check" else build()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
