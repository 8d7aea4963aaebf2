"""A facet list's links (facet_links.py): the addresses CKAN's helpers give,
item by item, built with the page's own address computed once."""

from __future__ import annotations

import pytest
from ckan.lib import helpers as h

from ckanext.cdm.facet_links import facet_links

PAGES = [
    "/dataset/",
    "/dataset/?q=transport&page=3",
    "/dataset/?q=%C3%A9t%C3%A9+%26+hiver&tags=eau&tags=budget&sort=name+asc&page=2",
    "/organization/some-org?q=x&cdm_badge=compliant",
]
VALUES = ["compliant", "non compliant & more", "eau", "budget", "santé"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("name", ["tags", "cdm_badge"])
def test_the_links_are_those_of_ckans_helpers(app, url, name):
    from flask import request

    with app.flask_app.test_request_context(url):
        app.flask_app.preprocess_request()
        active = request.args.getlist(name)
        items = [{"name": v, "active": v in active} for v in VALUES]
        expected = [
            h.remove_url_param(name, i["name"])
            if i["active"]
            else h.add_url_param(new_params={name: i["name"]})
            for i in items
        ]
        assert facet_links(name, items) == expected
        alternative = "/group/other"
        assert facet_links(name, items, alternative_url=alternative) == [
            h.remove_url_param(name, i["name"], alternative_url=alternative)
            if i["active"]
            else h.add_url_param(new_params={name: i["name"]}, alternative_url=alternative)
            for i in items
        ]


def test_the_facet_page_links_each_item_once(app):
    """On the search page, each item of the badge facet is a link that adds
    its filter to the current search (the page itself is left out)."""
    from tests.helpers import page

    soup = page(app.get("/dataset/?q=transport&page=2"))
    links = [a["href"] for a in soup.select(".cdm-badge-facet a")]
    for href in links:
        assert href.startswith("/dataset/?q=transport&cdm_badge=")
        assert "page=" not in href
