"""The committee's work at the catalogue's scale: what grows with the number
of datasets and opinions (make bench-scale, docs/performance.md).

Usage: python bench/scale.py bench/bench.ini

On the benchmark's catalogue (bench/catalogue.py: 2,000 datasets, or
CDM_BENCH_DATASETS), times and prints:

- ``ckan cdm badges refresh``, incremental then ``--all`` (the command, as
  cron runs it: a process of its own, its start included);
- the register ``/cdm/opinions``, first and last page; the CSV export
  ``/cdm/opinions.csv`` (time, bytes, SQL statements); this year's report
  page ``/cdm/report/<year>`` (its figures), a first and a second view: each
  page requested in-process (werkzeug's test client on CKAN's app, as an
  anonymous visitor) with its SQL statements counted, as bench/queries.py;
- a charter adoption's background reindex: a version 3.0 adopted through
  ``cdm_charter_adopt``, which enqueues ``badge_index.refresh_job``; an rq
  worker (``ckan jobs worker --burst``) runs it; printed: the job's own time
  (rq's start and end), its status (it may exceed rq's timeout) and the
  worker's time. The catalogue is then put back as
  it was (version 2.0 adopted again, 3.0 removed) and ``badges refresh``
  mends the index (timed too), so that the catalogue can be reused.

CDM_BENCH_SCALE_ALL=0 leaves out ``badges refresh --all`` (a full reindex)
and CDM_BENCH_SCALE_CHARTER=0 the charter adoption. Exits 0: it measures,
it has no bar.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CKAN = str(Path(sys.executable).parent / "ckan")
NUMBER = "3.0"  # the version adopted, then removed


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def row(what: str, seconds: float, detail: str = "") -> None:
    print(f"{what:<46}{seconds:>9.2f} s   {detail}", flush=True)


def command(ini: str, *args: str) -> tuple[float, str]:
    """Seconds to run ``ckan -c ini args``, and the last line it printed."""
    started = time.perf_counter()
    done = subprocess.run(
        [CKAN, "-c", ini, *args], check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    lines = done.stdout.strip().splitlines()
    return time.perf_counter() - started, lines[-1] if lines else ""


class Pages:
    """CKAN's app in this process; requests counted as bench/queries.py does."""

    def __init__(self, ini: str) -> None:
        import sqlalchemy as sa
        from ckan import model
        from ckan.cli import load_config
        from ckan.config.middleware import make_app
        from werkzeug.test import Client

        self.app = make_app(load_config(os.path.abspath(ini)))
        self.client = Client(self.app)
        self.statements = 0

        def listen(*args: Any) -> None:
            self.statements += 1

        sa.event.listen(model.meta.engine, "before_cursor_execute", listen)

    def get(self, path: str) -> tuple[float, int, int]:
        """(seconds, bytes, SQL statements) of one request for ``path``."""
        self.statements = 0
        started = time.perf_counter()
        response = self.client.get(path)
        body = response.get_data()
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return seconds, len(body), self.statements

    def json(self, path: str) -> Any:
        return self.client.get(path).get_json()["result"]


def pages(ini: str) -> None:
    from ckanext.cdm import config
    from ckanext.cdm.model import base

    site = Pages(ini)
    size = config.page_size()
    count = site.json("/api/3/action/cdm_opinion_list?limit=1&withheld=true")["count"]
    last = max(1, math.ceil(count / size))
    year = base.today().year
    for what, path, repeat in (
        (f"/cdm/opinions, page 1 ({count} opinions)", "/cdm/opinions", 5),
        (f"/cdm/opinions, last page ({last})", f"/cdm/opinions?page={last}", 5),
        ("/cdm/opinions.csv", "/cdm/opinions.csv", 3),
    ):
        first, size_bytes, statements = site.get(path)
        later = [site.get(path)[0] for _ in range(repeat - 1)]
        row(
            what,
            statistics.median([first, *later]),
            f"{statements} SQL statements, {size_bytes:,} bytes, first {first:.2f} s "
            f"(median of {repeat})",
        )
    for view in ("first", "second"):
        seconds, size_bytes, statements = site.get(f"/cdm/report/{year}")
        row(f"/cdm/report/{year}, {view} view", seconds, f"{statements} SQL statements")


def put_back() -> None:
    """The catalogue's charters as bench/catalogue.py leaves them: 2.0 in
    force, no 3.0 (its rows deleted; the audit events of its adoption kept)."""
    import sqlalchemy as sa
    from ckan import model

    session = model.Session
    ids = {"number": NUMBER}
    where = "charter_id IN (SELECT id FROM cdm_charter WHERE number = :number)"
    session.execute(sa.text(f"DELETE FROM cdm_principle WHERE {where}"), ids)
    session.execute(sa.text("DELETE FROM cdm_charter WHERE number = :number"), ids)
    session.execute(
        sa.text(
            "UPDATE cdm_charter SET status = 'adopted', superseded_on = NULL WHERE number = '2.0'"
        )
    )
    model.repo.commit()


def charter(ini: str) -> None:
    """Adopt a version 3.0, time the job it enqueues, then put 2.0 back."""
    from catalogue import open_app, site_context  # bench/, the script's folder
    from ckan.lib import jobs
    from ckan.plugins import toolkit as tk
    from rq.job import Job

    from ckanext.cdm.data import read_charter

    open_app(ini)
    put_back()  # after a run interrupted
    queue = jobs.get_queue()
    before = set(queue.job_ids)
    data = read_charter(draft_note=False)
    data["number"] = NUMBER
    created = tk.get_action("cdm_charter_create")(site_context(), data)
    tk.get_action("cdm_charter_adopt")(
        site_context(), {"id": created["id"], "decision_reference": "BENCH-SCALE"}
    )
    queued = [i for i in queue.job_ids if i not in before]
    worker, _ = command(ini, "jobs", "worker", "--burst")
    for job_id in queued:
        job = Job.fetch(job_id, connection=queue.connection)
        status = str(getattr(job.get_status(), "value", job.get_status()))
        ended = job.ended_at or job.last_heartbeat
        if status != "finished":
            # e.g. rq's timeout (ckan.jobs.timeout, 180 s by default): the
            # index is left half mended; the refresh below mends it
            error = (job.exc_info or "").strip().splitlines()[-1:] or [""]
            status = f"{status}: {error[0]}"
        row(
            "charter adopted: the background reindex",
            (ended - job.started_at).total_seconds() if ended and job.started_at else 0,
            f"the job's own time ({status}); the burst worker took {worker:.1f} s",
        )
    put_back()
    seconds, said = command(ini, "cdm", "badges", "refresh")
    row("charter 2.0 back: badges refresh", seconds, said)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[3], file=sys.stderr)
        return 2
    ini = argv[1]
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    log(f"load average at the start: {load}")
    seconds, said = command(ini, "cdm", "badges", "refresh")
    row("ckan cdm badges refresh", seconds, said)
    if os.environ.get("CDM_BENCH_SCALE_ALL", "1") != "0":
        seconds, said = command(ini, "cdm", "badges", "refresh", "--all")
        row("ckan cdm badges refresh --all", seconds, said)
    subprocess.run([sys.executable, __file__, "--pages", ini], check=True)
    if os.environ.get("CDM_BENCH_SCALE_CHARTER", "1") != "0":
        subprocess.run([sys.executable, __file__, "--charter", ini], check=True)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    log(f"load average at the end: {load}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("--pages", "--charter"):
        (pages if sys.argv[1] == "--pages" else charter)(sys.argv[2])
        sys.exit(0)
    sys.exit(main(sys.argv))
