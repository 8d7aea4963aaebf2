"""Requests refused before CKAN reads them.

CKAN 2.12's action API parses a JSON body with Python's recursive parser: a
body nesting arrays or objects about 1,000 levels deep raises a
``RecursionError`` that CKAN answers with a 500 (and ~500 levels still reach
the action). :func:`refuse_deep_json` answers any API request whose JSON
(the body, or the one form key CKAN reads as JSON) nests deeper than
``logic.text.JSON_DEPTH_MAX`` with a 400 in the action API's envelope, before
CKAN parses it.
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from flask import Flask, Response, jsonify, request

from ckanext.cdm.logic.text import JSON_DEPTH_MAX, nests_too_deep


def install(app: Flask) -> None:
    app.before_request(refuse_deep_json)


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
