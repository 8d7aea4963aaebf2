"""Small helpers for the page tests."""

from __future__ import annotations

from ckan.tests import factories


def auth_headers(user_name: str) -> dict[str, str]:
    """Headers logging ``user_name`` in on any page (API token)."""
    if not user_name:
        return {}
    return {"Authorization": factories.APIToken(user=user_name)["token"]}
