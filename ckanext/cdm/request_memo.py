"""What a request computes once: a dict kept on Flask's ``g`` for the
request (an empty one, kept nowhere, outside an application context). A
small module below the helpers and the badge's display that use it."""

from __future__ import annotations

from typing import Any


def request_memo(name: str) -> dict[Any, Any]:
    """The request's memo called ``name``."""
    import flask

    try:
        store = flask.g._get_current_object()
    except RuntimeError:  # no application context
        return {}
    memo = getattr(store, name, None)
    if memo is None:
        memo = {}
        setattr(store, name, memo)
    return memo
