"""The embeddable badge of a dataset with an opinion, on the benchmark's
catalogue (docs/performance.md, « Badges: the 304 and the refresh »): a first
request (200) and a revalidation with its ETag (304), each repeated, in
process (Flask's test client, no HTTP server): median time, median CPU time
of this process (without PostgreSQL's and Solr's work: less sensitive to a
busy machine), SQL statements and Solr requests per request.

    python bench/badge_svg.py bench/bench.ini [rounds]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from badges_refresh import Counters
from catalogue import open_app


def _reviewed_dataset() -> str:
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.opinion import PUBLISHED, Opinion

    return model.Session.scalars(
        sa.select(model.Package.name)
        .join(Opinion, Opinion.package_id == model.Package.id)
        .where(Opinion.state == PUBLISHED, model.Package.private.is_(False))
        .order_by(model.Package.name)
        .limit(1)
    ).one()


def _run(client: Any, url: str, headers: dict[str, str], counters: Counters, rounds: int) -> str:
    client.get(url, headers=headers)  # warm
    times, cpu = [], []
    counters.sql = counters.solr = 0
    for _ in range(rounds):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return (
        f"{response.status_code}  median {1000 * statistics.median(times):6.2f} ms"
        f" (CPU of this process {1000 * statistics.median(cpu):5.2f} ms)"
        f"  SQL {counters.sql / rounds:4.1f}  Solr {counters.solr / rounds:3.1f} per request"
    )


def main(ini: str, rounds: int) -> int:
    app = open_app(ini)
    counters = Counters()
    url = f"/cdm/badge/{_reviewed_dataset()}.svg"
    client = app._wsgi_app.test_client()
    etag = client.get(url).headers["ETag"]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{url}, {rounds} requests each (load {load})")
    print("first request     ", _run(client, url, {}, counters, rounds))
    print("revalidation (304)", _run(client, url, {"If-None-Match": etag}, counters, rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 200))
