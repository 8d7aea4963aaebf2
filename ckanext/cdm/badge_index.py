"""The badge in the catalogue: ``package_show``, the search index, the
results of ``package_search`` and the facet « Avis du comité » (the plugin's
``IPackageController`` and ``IFacets`` hooks call these), and the refresh of
the indexed badges (``ckan cdm badges refresh``, and the job queued when a
charter version is adopted)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from ckan.plugins import toolkit as tk

from ckanext.cdm import badge_display, badge_facts, badges, labels
from ckanext.cdm.badges import Badge

log = logging.getLogger(__name__)


def add_to_dataset(
    pkg_dict: dict[str, Any], badge: Badge | None = None, from_index: bool = False
) -> None:
    """Put ``cdm_badge`` and ``cdm`` into a dataset dict (``after_dataset_show``).

    With ``from_index`` (``package_show`` answered from the search index, whose
    stored dict already carries them), the indexed badge is kept, only put in
    the reader's language: no query. The index is rewritten whenever a badge
    changes (opinion, review, dataset, charter adopted), and nightly for age
    by ``ckan cdm badges refresh``, so the page agrees with the search results.
    """
    if not pkg_dict.get("id"):
        return
    indexed = pkg_dict.get("cdm")
    if (
        from_index
        and badge is None
        and isinstance(indexed, dict)
        and pkg_dict.get("cdm_badge") in badges.CODES
    ):
        pkg_dict["cdm"] = badge_display.localized(indexed)
        return
    badge = badge or badge_facts.badge_of(pkg_dict["id"])
    pkg_dict["cdm_badge"] = badge.code
    pkg_dict["cdm"] = badge_display.summary(badge)


def add_to_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: the code as the ``cdm_badge`` field, read
    from the validated dict that ``after_dataset_show`` filled (stored in the
    index, so that ``package_search`` results carry ``cdm_badge`` and ``cdm``)."""
    import json

    stored = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    code = stored.get("cdm_badge") or badge_facts.badge_of(pkg_dict["id"]).code
    pkg_dict["cdm_badge"] = code
    return pkg_dict


def localize_results(search_results: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_search``: labels in the reader's language, no query,
    for each result and for the items of the ``cdm_badge`` facet; each
    sentence is translated once for the whole page."""
    memo: dict[tuple[Any, ...], str] = {}
    for result in search_results.get("results", []):
        if isinstance(result, dict) and isinstance(result.get("cdm"), dict):
            result["cdm"] = badge_display.localized(result["cdm"], memo)
    facet = (search_results.get("search_facets") or {}).get(FACET)
    for item in (facet or {}).get("items", []):
        item["display_name"] = labels.badge_label(item.get("name", ""))
    return search_results


FACET = "cdm_badge"


def add_facet(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """The facet « Avis du comité » (IFacets), after CKAN's own."""
    facets_dict[FACET] = badge_display.committee_label()
    return facets_dict


# The nightly refresh (ckan cdm badges refresh)

BATCH = 500


def indexed_codes() -> dict[str, str]:
    """The badge code of each dataset of this site as the search index has it."""
    from ckan.lib.search.common import make_connection

    connection = make_connection()
    site = f"+site_id:{tk.config['ckan.site_id']}"
    codes: dict[str, str] = {}
    for code in badges.CODES:
        query = {"q": "*:*", "fq": [site, f"+cdm_badge:{code}"], "fl": "id", "rows": 0}
        total = connection.search(**query).hits
        if total:
            found = connection.search(**{**query, "rows": total})
            codes.update((doc["id"], code) for doc in found.docs)
    return codes


def refresh(everything: bool = False, today: dt.date | None = None) -> tuple[int, int]:
    """Recompute the badge of every active dataset and reindex those whose
    indexed badge is no longer right (every one with ``everything``): an
    opinion goes stale by age with no event to tell. Returns (datasets,
    reindexed)."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.lib import search

    ids = list(
        model.Session.execute(
            sa.select(model.package_table.c.id).where(model.package_table.c.state == "active")
        ).scalars()
    )
    indexed = {} if everything else indexed_codes()
    stale: list[str] = []
    for start in range(0, len(ids), BATCH):
        for package_id, badge in badge_facts.badges_for(ids[start : start + BATCH], today).items():
            if everything or indexed.get(package_id) != badge.code:
                stale.append(package_id)
    if stale:
        search.rebuild(package_ids=stale, defer_commit=True, quiet=True)
        search.commit()
    return len(ids), len(stale)


def refresh_job() -> None:
    """The background job queued when a charter version is adopted: every
    opinion given under the superseded version is now out of date."""
    checked, reindexed = refresh()
    log.info("cdm badges: %s datasets checked, %s reindexed", checked, reindexed)
