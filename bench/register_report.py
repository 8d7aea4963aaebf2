"""The register and the report at scale: time and SQL statements of the pages
that read every opinion or every dataset (docs/performance.md, « The register
and the report at scale »).

Usage: python bench/register_report.py bench/bench.ini

In-process, as ``bench/queries.py``: CKAN's WSGI app answers werkzeug's test
client as an anonymous visitor; a ``before_cursor_execute`` listener counts
the statements of each request. Each request is made once to warm up, then
CDM_BENCH_REPEAT times (default 7): the median and the 90th percentile (ms)
and the statements of the last one are printed. The report's figures are
timed twice: ``cold`` with their cache emptied before each request (the
figures computed), ``warm`` as an anonymous visitor finds them. Prints the
load average: the machine's other jobs slow every figure.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

REPEAT = int(os.environ.get("CDM_BENCH_REPEAT", "7"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[4], file=sys.stderr)
        return 2
    import sqlalchemy as sa
    from ckan import model
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from werkzeug.test import Client

    from ckanext.cdm.model import base

    try:
        from ckanext.cdm import figures_cache

        forget = figures_cache.forget
    except ImportError:  # before the cache

        def forget() -> None:
            pass

    app = make_app(load_config(os.path.abspath(argv[1])))
    client = Client(app)
    statements: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    sa.event.listen(model.meta.engine, "before_cursor_execute", listen)
    with app.app_context() if hasattr(app, "app_context") else _nothing():
        count = model.Session.execute(
            sa.text("SELECT count(*) FROM cdm_opinion WHERE state = 'published'")
        ).scalar()
        model.Session.remove()
    last = max(1, -(-count // 20))
    year = base.today().year
    requests = [
        ("register, first page", "/cdm/opinions", None),
        (f"register, last page ({last})", f"/cdm/opinions?page={last}", None),
        ("register, words (« transport »)", "/cdm/opinions?q=transport", None),
        ("register, CSV", "/cdm/opinions.csv", None),
        (f"report {year}, cold", f"/cdm/report/{year}", forget),
        (f"report {year}, warm", f"/cdm/report/{year}", None),
    ]
    print(f"\n{count} published opinions; load average {os.getloadavg()}")
    print(f"{'request':<36}{'median ms':>10}{'p90 ms':>8}{'statements':>12}{'bytes':>10}")
    for name, url, before in requests:
        client.get(url)
        times = []
        for _ in range(REPEAT):
            if before:
                before()
            statements.clear()
            start = time.perf_counter()
            response = client.get(url)
            body = response.get_data()
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
        print(
            f"{name:<36}{statistics.median(times):>10.1f}{p90:>8.1f}"
            f"{len(statements):>12}{len(body):>10}"
        )
    print(f"load average {os.getloadavg()}")
    return 0


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: Any) -> None:
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv))
