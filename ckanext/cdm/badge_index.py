"""The badge in the catalogue: ``package_show``, the search index, the
results of ``package_search`` and the facet « Avis du comité » (the plugin's
``IPackageController`` and ``IFacets`` hooks call these). The refresh of the
indexed badges is ``badge_refresh.py``."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import logging
from collections.abc import Iterator
from typing import Any

from ckanext.cdm import badge_display, badge_facts, badges, labels
from ckanext.cdm.badges import Badge

log = logging.getLogger(__name__)

# The indexed field that keys the whole summary of a dataset's badge (its
# code and its reason, opinion and charter version), so that the refresh
# finds the indexed summaries that are no longer right in one Solr query
# (indexed through the ``*`` dynamic field, not stored).
KEY_FIELD = "cdm_badge_key"

# badges computed ahead, for many datasets at once, by the refresh that
# reindexes them: ``after_dataset_show`` takes them instead of querying
_AHEAD: contextvars.ContextVar[dict[str, Badge]] = contextvars.ContextVar("cdm_badges_ahead")


@contextlib.contextmanager
def computed_ahead(badges: dict[str, Badge]) -> Iterator[None]:
    """Inside, the datasets of ``badges`` are shown (and indexed) with those badges."""
    token = _AHEAD.set(badges)
    try:
        yield
    finally:
        _AHEAD.reset(token)


def summary_key(package_id: str, cdm: dict[str, Any]) -> str:
    """The key of the summary ``cdm`` of a dataset, as indexed (``KEY_FIELD``):
    everything of the summary that is not words (the label and the
    explanation follow from it, in the reader's language)."""
    opinion = cdm.get("opinion") or {}
    parts = [
        package_id,
        cdm.get("badge"),
        cdm.get("stale_because"),
        opinion.get("number"),
        opinion.get("date"),
        cdm.get("charter_version"),
        bool(cdm.get("reexamination")),
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:24]


def badge_key(package_id: str, badge: Badge) -> str:
    """The key of the summary that ``badge`` gives (:func:`summary_key`),
    without putting it in words."""
    cdm = {
        "badge": badge.code,
        "stale_because": badge.stale_because,
        "opinion": badge.opinion_number
        and {
            "number": badge.opinion_number,
            "date": badge.opinion_date.isoformat() if badge.opinion_date else None,
        },
        "charter_version": badge.charter_version,
        "reexamination": badge.reexamination,
    }
    return summary_key(package_id, cdm)


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
    badge = badge or _AHEAD.get({}).get(pkg_dict["id"]) or badge_facts.badge_of(pkg_dict["id"])
    pkg_dict["cdm_badge"] = badge.code
    pkg_dict["cdm"] = badge_display.summary(badge)


def add_to_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: the code as the ``cdm_badge`` field and the
    key of the summary as ``cdm_badge_key``, read from the validated dict that
    ``after_dataset_show`` filled (stored in the index, so that
    ``package_search`` results carry ``cdm_badge`` and ``cdm``)."""
    stored = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    if stored.get("cdm_badge") and isinstance(stored.get("cdm"), dict):
        pkg_dict["cdm_badge"] = stored["cdm_badge"]
        pkg_dict[KEY_FIELD] = summary_key(pkg_dict["id"], stored["cdm"])
    else:
        badge = _AHEAD.get({}).get(pkg_dict["id"]) or badge_facts.badge_of(pkg_dict["id"])
        pkg_dict["cdm_badge"] = badge.code
        pkg_dict[KEY_FIELD] = badge_key(pkg_dict["id"], badge)
    return pkg_dict


def localize_results(search_results: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_search``: labels in the reader's language, no query,
    for each result and for the items of the ``cdm_badge`` facet; each
    sentence is translated once for the whole page."""
    memo: dict[tuple[Any, ...], Any] = {}
    for result in [] if _a_page_searches() else search_results.get("results", []):
        cdm = result.get("cdm") if isinstance(result, dict) else None
        if isinstance(cdm, dict):
            # each result's own dict, decoded from the index for this search
            cdm["label"], cdm["explanation"] = badge_display.words(cdm, memo)
    facet = (search_results.get("search_facets") or {}).get(FACET)
    for item in (facet or {}).get("items", []):
        item["display_name"] = labels.badge_label(item.get("name", ""))
    return search_results


def _a_page_searches() -> bool:
    """Whether the search is a page's (not the API's, a command's or a job's):
    its templates put each badge in words as they show it (``h.cdm_badge``,
    ``h.cdm_search_badge``, through ``badge_display.present``), so the
    results' words are left as indexed (docs/performance.md)."""
    import flask

    return flask.has_request_context() and flask.request.blueprint not in (None, "api")


FACET = "cdm_badge"


def add_facet(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """The facet « Avis du comité » (IFacets), after CKAN's own."""
    facets_dict[FACET] = badge_display.committee_label()
    return facets_dict
