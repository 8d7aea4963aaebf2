"""Small helpers for the page tests."""

from __future__ import annotations

from bs4 import BeautifulSoup
from ckan.tests import factories


def auth_headers(user_name: str) -> dict[str, str]:
    """Headers logging ``user_name`` in on any page (API token)."""
    if not user_name:
        return {}
    return {"Authorization": factories.APIToken(user=user_name)["token"]}


def page(response) -> BeautifulSoup:
    """The HTML of a response, parsed: assert on what a person sees."""
    return BeautifulSoup(response.body, "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    """The text of the page's main content, as read (tags removed, spaces collapsed)."""
    main = soup.find(id="content") or soup
    return " ".join(main.get_text(" ").split())
