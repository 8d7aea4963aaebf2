"""The links of a facet list: the same addresses as CKAN's ``add_url_param``
and ``remove_url_param`` give, the page's own address built once per facet
instead of once per item (a search page lists some fifty facet items, and
each ``add_url_param`` reads the request and builds a route again:
docs/performance.md)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from ckan.plugins import toolkit as tk

from ckanext.cdm.request_memo import request_memo


def facet_links(
    name: str,
    items: list[dict[str, Any]],
    extras: dict[str, Any] | None = None,
    alternative_url: str | None = None,
) -> list[str]:
    """For each facet item, the address that applies its filter (or, for an
    active item, removes it): what CKAN's facet list computes item by item."""
    h = tk.h
    base = None
    memo = request_memo("cdm_facet_links")
    key = ("facet-base", repr(extras), alternative_url)
    links = []
    for item in items:
        if item.get("active"):
            links.append(
                h.remove_url_param(
                    name, item["name"], extras=extras, alternative_url=alternative_url
                )
            )
            continue
        if base is None:
            # the current parameters but the page, as add_url_param keeps
            # them: the same for every facet of the page
            base = memo.get(key)
            if base is None:
                base = memo[key] = h.add_url_param(extras=extras, alternative_url=alternative_url)
        separator = "&" if "?" in base else "?"
        links.append(base + separator + urlencode([(name, item["name"])]))
    return links
