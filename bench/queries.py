"""SQL statements per request, with and without ckanext-cdm, for every endpoint.

Usage: python bench/queries.py bench/bench.ini bench/bench-without-cdm.ini

Each configuration is loaded in a process of its own (CKAN's plugins are
global to a process): CKAN's WSGI app (``make_app``) answers requests made
in-process by werkzeug's test client, as an anonymous visitor, and a
SQLAlchemy ``before_cursor_execute`` listener on CKAN's engine counts the
statements sent to PostgreSQL during each request. Every request is made
once beforehand so that the caches filled by a first request (the app's,
CKAN's) are not counted. The endpoints are those of bench/endpoints.py
(``ENDPOINTS``, those timed), and the searches of its ``GROWTH`` pairs: with
the plugin, the page of 100 results must make no more statements than the
page of 20 (the ``/dataset`` page shows ``ckan.datasets_per_page`` results;
the API rows ask ``package_search`` for ``rows`` results); exits 1 otherwise.

With CDM_BENCH_SHOW_SQL=1, the statements of each request are printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from endpoints import ENDPOINTS, GROWTH, Endpoint  # bench/, the script's folder


def requests() -> list[Endpoint]:
    """Every endpoint of the table, then those of the growth checks not in it."""
    counted = list(ENDPOINTS)
    for pair in GROWTH:
        counted.extend(e for e in pair if e.name not in {c.name for c in counted})
    return counted


def results_in(response: Any) -> str:
    """How many datasets the page or the API answer lists ("-": none, a
    dataset's page)."""
    if response.mimetype == "application/json":
        result = response.get_json()["result"]
        return str(len(result["results"]) if "results" in result else 1)
    return str(response.get_data(as_text=True).count('class="dataset-item') or "-")


def count_queries(ini: str) -> dict[str, list[Any]]:
    """The SQL statements and the results of each request under ``ini``."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk
    from werkzeug.test import Client

    app = make_app(load_config(os.path.abspath(ini)))
    client = Client(app)
    statements: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(model.meta.engine, "before_cursor_execute", listen)
    counts = {}
    for name, url, per_page in requests():
        tk.config["ckan.datasets_per_page"] = per_page
        client.get(url)  # warm-up
        statements.clear()
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{ini}: {url} answered {response.status_code}")
        counts[name] = [len(statements), results_in(response)]
        if os.environ.get("CDM_BENCH_SHOW_SQL"):
            print(f"--- {ini} {name}: {len(statements)} statements", file=sys.stderr)
            for statement in statements:
                print("   ", " ".join(statement.split())[:200], file=sys.stderr)
    return counts


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--one":
        print(json.dumps(count_queries(argv[2])))
        return 0
    if len(argv) != 3:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    with_cdm, without_cdm = (
        json.loads(
            subprocess.run(
                [sys.executable, __file__, "--one", ini],
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout.splitlines()[-1]
        )
        for ini in argv[1:]
    )
    print()
    print("SQL statements per request (anonymous visitor, after one warm-up request)")
    print(f"{'request':<34}{'results':>8}{'without cdm':>13}{'with cdm':>10}")
    for name, _, _ in requests():
        results = with_cdm[name][1]
        print(f"{name:<34}{results:>8}{without_cdm[name][0]:>13}{with_cdm[name][0]:>10}")
    grows = [
        (small.name, large.name)
        for small, large in GROWTH
        if with_cdm[large.name][0] > with_cdm[small.name][0]
    ]
    for small, large in grows:
        print(f"FAIL: with cdm, {large} makes more queries than {small}")
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
