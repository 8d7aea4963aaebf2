"""The pages the benchmark measures: one table, read by bench/queries.py (SQL
statements per request) and bench/timing.py (times, with and without cdm).

Each row: the name printed, the path requested (as an anonymous visitor, in
the portal's default language), and the ``ckan.datasets_per_page`` the
in-process count sets (the search page's size; the servers keep CKAN's 20).
To measure another page, add a row here: both scripts pick it up. The
data-uses issue adds its pages here (a data-use page, the uses search).
"""

from __future__ import annotations

from typing import NamedTuple


class Endpoint(NamedTuple):
    name: str
    path: str
    per_page: int = 20


# datasets of bench/catalogue.py: bench-00000 has a published opinion (every
# fourth dataset is examined), bench-00002 was never reviewed (nor will be)
WITH_OPINION = "bench-00000"
NEVER_REVIEWED = "bench-00002"

ENDPOINTS = [
    Endpoint("/dataset page (20 results)", "/dataset/"),
    Endpoint("search, page 3", "/dataset/?q=transport&page=3"),
    Endpoint("dataset page, with an opinion", f"/dataset/{WITH_OPINION}"),
    Endpoint("dataset page, never reviewed", f"/dataset/{NEVER_REVIEWED}"),
    Endpoint("organization page", "/organization/bench-org-1"),
    Endpoint("package_search rows=100", "/api/3/action/package_search?rows=100"),
    Endpoint("package_show (with an opinion)", f"/api/3/action/package_show?id={WITH_OPINION}"),
]

# counted only (bench/queries.py): the same searches with fewer or more
# results, to check that the statements do not grow with the results
GROWTH = [
    (
        Endpoint("/dataset page (20 results)", "/dataset/"),
        Endpoint("/dataset page (100 results)", "/dataset/", per_page=100),
    ),
    (
        Endpoint("package_search rows=20", "/api/3/action/package_search?rows=20"),
        Endpoint("package_search rows=100", "/api/3/action/package_search?rows=100"),
    ),
]
