"""The cost of refreshing the indexed badges on the benchmark's catalogue
(docs/performance.md, « Badges: the 304 and the refresh »):

- ``ckan cdm badges refresh --all``;
- the incremental refresh with nothing to do (the nightly run);
- the background job of a charter adoption: a version 9.0 adopted (the
  datasets of the opinions given under 2.0 now outdated), the job's refresh;
  then the adoption undone (version 9.0 deleted, 2.0 adopted again) and the
  index mended by an incremental run.

For each: the time, the SQL statements, the Solr requests. The database and
the index are left as they were.

    python bench/badges_refresh.py bench/bench.ini
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from catalogue import open_app, site_context


def _refresh() -> Any:
    from ckanext.cdm import badge_index

    if hasattr(badge_index, "refresh"):  # before issue 19
        return badge_index.refresh
    from ckanext.cdm.badge_refresh import refresh

    return refresh


class Counters:
    def __init__(self) -> None:
        import pysolr
        import sqlalchemy as sa
        from ckan import model

        self.sql = self.solr = 0
        sa.event.listen(model.meta.engine, "before_cursor_execute", self._statement)
        real = pysolr.Solr._send_request

        def send(solr: Any, *args: Any, **kwargs: Any) -> Any:
            self.solr += 1
            return real(solr, *args, **kwargs)

        pysolr.Solr._send_request = send

    def _statement(self, *args: Any) -> None:
        self.sql += 1

    def measure(self, name: str, work: Any) -> Any:
        self.sql = self.solr = 0
        start = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - start
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"{name:<34} {seconds:7.1f} s  {result}  SQL {self.sql:>6}  Solr {self.solr:>5}"
            f"  (load {load})",
            flush=True,
        )
        return result


def adopt_a_new_version() -> None:
    from ckan.plugins import toolkit as tk

    from ckanext.cdm.data import read_charter

    data = {**read_charter(draft_note=False), "number": "9.0"}
    created = tk.get_action("cdm_charter_create")(site_context(), data)
    tk.get_action("cdm_charter_adopt")(
        site_context(), {"id": created["id"], "decision_reference": "BENCH-9.0"}
    )
    tk.get_action("job_clear")(site_context(), {})  # its job: measured below, in this process


def undo_the_adoption() -> None:
    import sqlalchemy as sa
    from ckan import model

    session = model.Session
    session.execute(sa.text("DELETE FROM cdm_charter WHERE number = '9.0'"))
    session.execute(
        sa.text(
            "UPDATE cdm_charter SET status = 'adopted', superseded_on = NULL WHERE number = '2.0'"
        )
    )
    session.commit()


def main(ini: str) -> int:
    open_app(ini)
    refresh = _refresh()
    counters = Counters()
    total = counters.measure("badges refresh --all", lambda: refresh(everything=True))
    counters.measure("badges refresh (nothing to do)", refresh)
    adopt_a_new_version()
    counters.measure("charter adopted: the job's refresh", refresh)
    undo_the_adoption()
    counters.measure("adoption undone: incremental run", refresh)
    print(f"{total[0]} active datasets")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
