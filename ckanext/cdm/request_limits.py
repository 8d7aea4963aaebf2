"""Requests refused before CKAN reads them, and answers kept out of shared caches.

CKAN 2.12's action API parses a JSON body with Python's recursive parser: a
body nesting arrays or objects about 1,000 levels deep raises a
``RecursionError`` that CKAN answers with a 500 (and ~500 levels still reach
the action). :func:`refuse_deep_json` answers any API request whose JSON
(the body, or the one form key CKAN reads as JSON) nests deeper than
``logic.text.JSON_DEPTH_MAX`` with a 400 in the action API's envelope, before
CKAN parses it.

CKAN 2.12 answers a request authenticated by an API token
(``Authorization``) with ``Cache-Control: public`` and ``Vary: Cookie``: a
shared cache may then store an answer holding private data (a confidential
note, a member's e-mail) and serve it to others. :func:`private_to_token`
makes every such answer ``private`` (through CKAN's own ``__no_cache__``).
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from flask import Flask, Response, jsonify, request

from ckanext.cdm.logic.text import JSON_DEPTH_MAX, nests_too_deep


def install(app: Flask) -> None:
    app.before_request(refuse_deep_json)
    app.before_request(private_to_token)


def private_to_token() -> None:
    """A request carrying an API token gets a ``private`` answer: CKAN's
    ``set_cache_control_headers_for_response`` reads ``__no_cache__``."""
    if request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key"):
        request.environ["__no_cache__"] = True


def refuse_deep_json() -> Response | None:
    if request.method not in ("POST", "PUT") or not request.path.startswith("/api/"):
        return None
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        texts = list(request.form.keys())  # CKAN reads a lone key as the JSON
    else:
        texts = [request.get_data(cache=True)]
    if not any(nests_too_deep(text) for text in texts):
        return None
    message = tk._("The JSON of the request nests deeper than {limit} levels.").format(
        limit=JSON_DEPTH_MAX
    )
    response = jsonify(
        {
            "help": tk.url_for("api.action", logic_function="help_show", ver=3, _external=True),
            "success": False,
            "error": {"__type": "Bad request", "message": message},
        }
    )
    response.status_code = 400
    return response
