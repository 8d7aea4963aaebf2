"""Where a page's time goes, with the cdm plugin: a profile per page.

Usage: python bench/profile.py bench/bench.ini [PATH ...]

Loads CKAN's WSGI app for the configuration in this process and answers
requests through werkzeug's test client as an anonymous visitor. Each page
is asked once (warm-up), then ``CDM_PROFILE_REPEAT`` times (default 20)
under pyinstrument's sampling profiler; the profile of those requests is
written to ``.run/profile/<page>.txt`` (and ``.html``): the templates and
helpers of ckanext-cdm show by their paths beside CKAN's. Without paths, the
benchmark's HTML pages. The profiles of docs/performance.md come from here.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/dataset/bench-00000",  # with an opinion
    "/dataset/bench-00002",  # never reviewed
    "/dataset/",
    "/dataset/?q=transport&page=3",
    "/organization/bench-org-1",
]

REPEAT = int(os.environ.get("CDM_PROFILE_REPEAT", "20"))


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    from ckan.cli import load_config
    from ckan.config.middleware import make_app
    from pyinstrument import Profiler
    from werkzeug.test import Client

    app = make_app(load_config(os.path.abspath(argv[1])))
    client = Client(app)
    paths = argv[2:] or PAGES
    out = ROOT / ".run" / "profile"
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'page':<40}{'ms/request (profiled)':>24}")
    for path in paths:
        client.get(path)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(REPEAT):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        profiler.stop()
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        (out / f"{name}.txt").write_text(profiler.output_text(unicode=True, show_all=False))
        (out / f"{name}.html").write_text(profiler.output_html())
        total = profiler.last_session.duration
        print(f"{path:<40}{total / REPEAT * 1000:>24.1f}")
    print(f"profiles: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
