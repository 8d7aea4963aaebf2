"""SQL queries per request, with and without ckanext-cdm, for 20 and 100 results.

Usage: python bench/queries.py bench/bench.ini bench/bench-without-cdm.ini

Each configuration is loaded in a process of its own (CKAN's plugins are
global to a process): CKAN's WSGI app (``make_app``) answers requests made
in-process by werkzeug's test client, as an anonymous visitor, and a
SQLAlchemy ``before_cursor_execute`` listener on CKAN's engine counts the
statements sent to PostgreSQL during each request. Every request is made
once beforehand so that the caches filled by a first request (the app's,
CKAN's) are not counted. The ``/dataset`` page shows ``ckan.datasets_per_page``
results (20 by default, set to 100 for the second row); the API rows ask
``package_search`` for ``rows`` results.

With CDM_BENCH_SHOW_SQL=1, the statements of each request are printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

REQUESTS = [
    ("/dataset page, 20 results", "/dataset/", 20),
    ("/dataset page, 100 results", "/dataset/", 100),
    ("package_search rows=20", "/api/3/action/package_search?rows=20", 20),
    ("package_search rows=100", "/api/3/action/package_search?rows=100", 20),
    ("package_show (with an opinion)", "/api/3/action/package_show?id={dataset}", 20),
]
# a dataset of the catalogue with a published opinion (bench/catalogue.py)
DATASET = "bench-00000"


def results_in(response: Any) -> int:
    """How many datasets the page or the API answer shows."""
    if response.mimetype == "application/json":
        result = response.get_json()["result"]
        return len(result["results"]) if "results" in result else 1
    return response.get_data(as_text=True).count('class="dataset-item')


def count_queries(ini: str) -> dict[str, list[int]]:
    """The number of SQL statements of each request of REQUESTS under ``ini``."""
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
    for name, url, per_page in REQUESTS:
        tk.config["ckan.datasets_per_page"] = per_page
        url = url.format(dataset=DATASET)
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
    print("SQL queries per request (anonymous visitor, after one warm-up request)")
    print(f"{'request':<34}{'results':>8}{'without cdm':>13}{'with cdm':>10}")
    for name, _, _ in REQUESTS:
        results = with_cdm[name][1]
        print(f"{name:<34}{results:>8}{without_cdm[name][0]:>13}{with_cdm[name][0]:>10}")
    grows = [
        (small, large)
        for small, large in (
            ("/dataset page, 20 results", "/dataset page, 100 results"),
            ("package_search rows=20", "package_search rows=100"),
        )
        if with_cdm[large][0] > with_cdm[small][0]
    ]
    for small, large in grows:
        print(f"FAIL: with cdm, {large} makes more queries than {small}")
    return 1 if grows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
