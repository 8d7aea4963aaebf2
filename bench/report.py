"""Benchmark of the annual report's figures at scale.

Builds, inside one transaction that is rolled back at the end (the database
is left as it was), a year of 10,000 datasets, 10,000 reviews, about 8,000
published opinions with their assessments of 9 principles, 400 corrections
and 40 sessions, all with plain SQL (``generate_series``), then times
``cdm_report_show`` for that year (last year: the badges are rebuilt as of
31 December) in both scopes, and the figures of the current year (the
catalogue's live badges, ``badge_facts.badges_for``, over the 10,000 datasets).

Usage: ``python bench/report.py [path/to/ckan.ini]`` (default ``test.ini``,
with the database of ``CKAN_SQLALCHEMY_URL`` when set); ``make bench-report``.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time

N = 10_000
RUNS = 5
PRINCIPLES = 9


def build(session, year: int) -> None:
    import sqlalchemy as sa

    def run(sql: str, **params) -> None:
        session.execute(sa.text(sql), params)

    start = dt.datetime(year, 1, 1, 9, tzinfo=dt.timezone.utc)
    run(
        "INSERT INTO cdm_charter (id, number, title, preamble, status, adopted_on,"
        " superseded_on, created, modified)"
        ' VALUES (\'bench-charter\', \'bench-1\', \'{"fr": "Banc", "en": "Bench"}\','
        " '{}', 'superseded', :adopted, :superseded, now(), now())",
        adopted=dt.date(year - 2, 1, 1),
        superseded=dt.date(year + 1, 6, 1),  # after the year: its opinions were valid then
    )
    run(
        "INSERT INTO cdm_principle (id, charter_id, position, code, title, description, questions)"
        " SELECT 'bench-p' || i, 'bench-charter', i, 'bench_principle_' || i,"
        " jsonb_build_object('fr', 'Principe ' || i, 'en', 'Principle ' || i), '{}', '[]'"
        " FROM generate_series(1, :n) AS i",
        n=PRINCIPLES,
    )
    # datasets: 1 in 10 private, 20 organizations
    run(
        "INSERT INTO package (id, name, title, state, type, private, owner_org,"
        " metadata_created, metadata_modified, extras)"
        " SELECT 'bench-d' || i, 'bench-dataset-' || i, 'Bench ' || i, 'active', 'dataset',"
        " i % 10 = 0, 'bench-org-' || (i % 20), :created, :created, '{}'"
        " FROM generate_series(1, :n) AS i",
        n=N,
        created=dt.datetime(year - 1, 6, 1),
    )
    # reviews: 8 in 10 get an opinion, 1 in 10 withdrawn, 1 in 10 still open
    run(
        "INSERT INTO cdm_review (id, package_id, organization_id, dataset_name, dataset_title,"
        " charter_id, state, self_assessment, submitted_by, last_submitted_by, submitters,"
        " self_referral, permission_labels, submitted_at, last_submitted_at, closed_at, modified)"
        " SELECT 'bench-r' || i, 'bench-d' || i, 'bench-org-' || (i % 20),"
        " 'bench-dataset-' || i, 'Bench ' || i, 'bench-charter',"
        " CASE WHEN i % 10 < 8 THEN 'opinion_issued' WHEN i % 10 = 8 THEN 'withdrawn'"
        "      ELSE 'in_review' END,"
        " '{}', 'bench', 'bench', '{bench}', i % 25 = 0,"
        " CASE WHEN i % 10 = 0 THEN ARRAY['member-bench', 'cdm-committee']"
        "      ELSE ARRAY['public', 'cdm-committee'] END,"
        " :start + (i % 250) * interval '1 day', :start + (i % 250) * interval '1 day',"
        " CASE WHEN i % 10 < 9 THEN :start + (i % 250 + 1 + i % 97) * interval '1 day' END,"
        " now()"
        " FROM generate_series(1, :n) AS i",
        n=N,
        start=start,
    )
    run(
        "INSERT INTO cdm_session (id, starts_at, place, state, created, modified)"
        " SELECT 'bench-s' || i, :start + i * interval '8 days', 'Salle', 'closed', now(), now()"
        " FROM generate_series(1, 40) AS i",
        start=start,
    )
    run(
        "INSERT INTO cdm_session_attendance (session_id, user_id)"
        " SELECT 'bench-s' || s, 'bench-u' || u"
        " FROM generate_series(1, 40) AS s, generate_series(1, 14 + s % 6) AS u"
    )
    assessments = (
        "(SELECT jsonb_object_agg('bench_principle_' || p, jsonb_build_object('status',"
        " (ARRAY['compliant', 'partially_compliant', 'non_compliant', 'not_applicable'])"
        "[1 + (i + p) % 4], 'comment', 'Vu.'))"
        f" FROM generate_series(1, {PRINCIPLES}) AS p)"
    )
    run(
        "INSERT INTO cdm_opinion (id, review_id, package_id, organization_id, dataset_name,"
        " dataset_title, charter_id, state, verdict, data, number, year, sequence, session_id,"
        " permission_labels, created, modified, published_at)"
        " SELECT 'bench-o' || i, 'bench-r' || i, 'bench-d' || i, 'bench-org-' || (i % 20),"
        " 'bench-dataset-' || i, 'Bench ' || i, 'bench-charter', 'published',"
        " (ARRAY['favorable', 'favorable_with_reservations', 'unfavorable'])[1 + i % 3],"
        " jsonb_build_object('summary', 'Vu.', 'assessments', " + assessments + "),"
        " 'B' || :year || '-' || i, :year + 1000, i, 'bench-s' || (1 + i % 40),"
        " CASE WHEN i % 10 = 0 THEN ARRAY['member-bench', 'cdm-committee']"
        "      ELSE ARRAY['public', 'cdm-committee'] END,"
        " :start + (i % 250 + 1 + i % 97) * interval '1 day',"
        " :start + (i % 250 + 1 + i % 97) * interval '1 day',"
        " :start + (i % 250 + 1 + i % 97) * interval '1 day'"
        " FROM generate_series(1, :n) AS i WHERE i % 10 < 8",
        n=N,
        year=year,
        start=start,
    )
    # corrections of 400 opinions, a week after them
    run(
        "INSERT INTO cdm_opinion (id, review_id, package_id, organization_id, dataset_name,"
        " dataset_title, charter_id, state, verdict, data, number, year, sequence, session_id,"
        " permission_labels, created, modified, published_at, supersedes_id, correction_reason)"
        " SELECT 'bench-c' || o.sequence, o.review_id, o.package_id, o.organization_id,"
        " o.dataset_name, o.dataset_title, o.charter_id, 'published', 'favorable', o.data,"
        " 'C' || o.number, o.year, o.sequence + :n, o.session_id, o.permission_labels,"
        " o.published_at + interval '7 days', o.published_at + interval '7 days',"
        " o.published_at + interval '7 days', o.id, 'Erreur matérielle.'"
        " FROM cdm_opinion o WHERE o.id LIKE 'bench-o%' AND o.sequence % 20 = 1",
        n=N,
    )
    session.flush()


def timed(function, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), max(times)


def main(ini: str) -> None:
    import sqlalchemy as sa
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk

    from ckanext.cdm import figures, figures_cache

    app = make_app(load_config(ini))
    year = dt.date.today().year - 1
    with app._wsgi_app.test_request_context():
        session = model.Session
        try:
            began = time.perf_counter()
            build(session, year)
            counts = session.execute(
                sa.text(
                    "SELECT (SELECT count(*) FROM cdm_review WHERE id LIKE 'bench-%'),"
                    " (SELECT count(*) FROM cdm_opinion WHERE id LIKE 'bench-%')"
                )
            ).one()
            print(
                f"built {counts[0]} reviews and {counts[1]} opinions "
                f"({N} datasets) in {time.perf_counter() - began:.1f} s"
            )
            session.execute(sa.text("ANALYZE"))
            site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
            for scope in figures.SCOPES:
                context = {"user": site_user}

                def show(scope=scope, context=context):
                    figures_cache.forget()  # the figures computed, not read from the cache
                    return tk.get_action("cdm_report_show")(
                        dict(context), {"year": year, "scope": scope}
                    )

                result = show()
                median, worst = timed(show)
                print(
                    f"cdm_report_show year={year} scope={scope}: median {median * 1000:.0f} ms, "
                    f"max {worst * 1000:.0f} ms over {RUNS} runs "
                    f"({result['figures']['opinions']['published']} opinions counted)"
                )
            median, worst = timed(lambda: figures.figures_for(year + 1, figures.PUBLIC), 3)
            print(
                f"figures of the current year {year + 1} (live badges of {N} datasets): "
                f"median {median * 1000:.0f} ms, max {worst * 1000:.0f} ms over 3 runs"
            )
        finally:
            session.rollback()
            session.remove()
            figures_cache.forget()  # cached figures may count the rolled-back data


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "test.ini")
