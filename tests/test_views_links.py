"""Every internal link of a page follows the page's language (issue 18, point 1).

The site speaks French by default (``ckan.locale_default = fr``, as in
production): an English page lives under ``/en/``, and each of its links must
stay there, or the reader lands in French, menus included. A crawl, with the
test client, of every page reachable from ``/en/`` (breadth first, bounded),
as an anonymous reader and as a committee member, over a small world: a
published opinion (its badge on the dataset page and in the results), a
review in examination, a held session, a public meeting, a published report."""

from __future__ import annotations

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from ckan.tests import helpers

from tests.helpers import auth_headers, page
from tests.logic.opinions import call, in_review, published

SITE = "http://test.ckan.net"  # test.ini's ckan.site_url
MAX_PAGES = 160
# not pages: files, feeds, the API, the badge images, signing out
SKIPPED_SUFFIXES = (".csv", ".json", ".atom", ".ics", ".svg", ".pdf", ".xml", ".rdf", ".jsonld")
SKIPPED_PARTS = ("/_logout", "/logout", "/download", "/api/", "/webassets/", "/base/")
PREVIOUS_YEAR = 2025


@pytest.fixture
def world(personas, charter, clean_index):
    dataset, _, opinion = published(personas, charter, title="Stationnement résidentiel")
    in_review(personas, charter, title="Bornes de recharge")
    call(
        "cdm_meeting_create",
        personas.president,
        title="Vos données, vos droits",
        starts_at="2099-03-12T18:00",
        ends_at="2099-03-12T20:00",
        place="Médiathèque des Tilleuls",
    )
    president = {"user": personas.president}
    helpers.call_action(
        "cdm_report_update", context=president, year=PREVIOUS_YEAR, introduction="Une année."
    )
    helpers.call_action("cdm_report_publish", context=president, year=PREVIOUS_YEAR)
    return dataset, opinion


def _internal_path(href: str) -> str | None:
    """The path (and query) of an internal link, None for another site, an
    anchor on the page, an e-mail address…"""
    href = urldefrag(href.strip())[0]
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(href)
    if (parts.scheme or parts.netloc) and f"{parts.scheme}://{parts.netloc}" != SITE:
        return None
    if not parts.path.startswith("/"):
        return None  # relative links: the extension and CKAN make none
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _skipped(path: str) -> bool:
    bare = path.split("?")[0]
    return bare.endswith(SKIPPED_SUFFIXES) or any(part in bare for part in SKIPPED_PARTS)


def _posted(tag) -> bool:
    return tag != "redirect" and tag.name == "form" and tag.get("method", "").lower() == "post"


def crawl(app, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Pages visited and the links that leave ``/en/`` (« on page → link »)."""
    seen_paths: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("/en/", "")])
    leaks: list[str] = []
    visited = 0
    while queue and visited < MAX_PAGES:
        url, origin = queue.popleft()
        response = app.get(url, headers=headers, follow_redirects=False)
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [("redirect", response.headers["Location"])]
            url = f"{url} (linked from {origin})"
        elif response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
            visited += 1
            soup = page(response)
            targets = [
                (tag, tag.get("href") or tag.get("action"))
                for tag in soup.select("a[href], form[action]")
            ]
        else:
            continue
        for tag, href in targets:
            path = _internal_path(href)
            if path is None:
                continue
            if _posted(tag):
                # a POST form is not followed, but its address still keeps the language
                if not (path == "/en" or path.startswith("/en/")):
                    leaks.append(f"{url} → form {path}")
                continue
            if not (path == "/en" or path.startswith("/en/")):
                leaks.append(f"{url} → {path}")
                continue
            bare = path.split("?")[0]
            # each page once, whatever its query (filters, sorting, pages)
            if bare not in seen_paths and not _skipped(path):
                seen_paths.add(bare)
                queue.append((path, url))
    return visited, sorted(set(leaks))


@pytest.mark.ckan_config("ckan.locale_default", "fr")
@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_no_internal_link_of_an_english_page_leaves_english(app, personas, world, persona):
    dataset, opinion = world
    headers = auth_headers(personas.name(persona))
    # the English dataset page itself: its badge sends the reader to the opinion in English
    soup = page(app.get(f"/en/dataset/{dataset['name']}", headers=headers))
    link = soup.find("a", string=f"Read opinion {opinion['number']}")
    assert link is not None
    assert link["href"] == f"/en/cdm/opinions/{opinion['number']}"
    visited, leaks = crawl(app, headers)
    assert visited > 50, visited  # the crawl reached the committee's pages
    assert leaks == [], "\n".join(leaks)


@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_the_api_summary_keeps_a_path_in_no_language(app, personas, world):
    """The summary that the API and the search index keep does not depend on
    the language of whoever asked or indexed: each page builds its own link."""
    dataset, opinion = world
    for prefix in ("/en", ""):
        response = app.get(f"{prefix}/api/3/action/package_show?id={dataset['name']}")
        summary = response.json["result"]["cdm"]
        assert summary["opinion"]["url"] == f"/cdm/opinions/{opinion['number']}"
