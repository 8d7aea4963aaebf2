"""The badges' public pages: what each badge means (/cdm/badges) and the
embeddable badge of a dataset (/cdm/badge/<id or name>.svg and .json)."""

from __future__ import annotations

from typing import Any

import flask
import flask_babel
from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import badge_display, labels
from ckanext.cdm.badge_display import localized
from ckanext.cdm.views._base import action

cdm_badge = Blueprint("cdm_badge", __name__)

MAX_AGE = 300
MAX_REF = 100  # the longest dataset name (CKAN's PACKAGE_NAME_MAX_LENGTH); ids are 36
LANGUAGES = ("fr", "en")


class _BadgeResponse(flask.Response):
    """CKAN's ``after_request`` writes its own Cache-Control on every response
    (``ckan.cache_expires``); an embedded badge keeps its five minutes.

    Never ``public`` with a cookie: a request that logs the user in again
    from the remember-me cookie gets a new session cookie with the badge,
    and a shared cache must not keep it and hand it to others."""

    cache_control_value = f"public, max-age={MAX_AGE}"

    def get_wsgi_headers(self, environ: Any) -> Any:
        headers = super().get_wsgi_headers(environ)
        value = self.cache_control_value
        if "Set-Cookie" in headers:
            value = value.replace("public", "private")
        headers["Cache-Control"] = value
        return headers


@cdm_badge.route("/cdm/badges")
def badges() -> Any:
    codes = [
        {
            "code": code,
            "label": labels.badge_label(code),
            "icon": badge_display.ICONS[code],
            "explanation": badge_display.meaning(code),
            "how_earned": badge_display.how_earned(code),
        }
        for code in labels.BADGE_CODES
    ]
    return tk.render("cdm/badge/index.html", {"codes": codes})


def _dataset(ref: str) -> dict[str, Any]:
    """The dataset as the user may see it: a private dataset is not found for
    those who may not see it, as on its page. A reference no dataset can
    have (a NUL byte, which PostgreSQL refuses, or longer than a name or an
    id may be) is not found without a query."""
    if "\x00" in ref or len(ref) > MAX_REF:
        tk.abort(404, tk._("Dataset not found"))
    try:
        return action("package_show", {"id": ref})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        tk.abort(404, tk._("Dataset not found"))
        raise  # unreachable: abort raises


def _language() -> str:
    lang = tk.request.args.get("lang")
    return lang if lang in LANGUAGES else (tk.h.lang() or "fr")


def _cached(body: str, mimetype: str, private: bool) -> Any:
    response = _BadgeResponse(body, mimetype=mimetype)
    if private:
        response.cache_control_value = f"private, max-age={MAX_AGE}"
    response.set_etag(badge_display.etag(body).strip('"'))
    return response.make_conditional(tk.request)


@cdm_badge.route("/cdm/badge/<ref>.svg")
def svg_badge(ref: str) -> Any:
    pkg = _dataset(ref)
    lang = _language()
    with flask_babel.force_locale(lang):
        body = badge_display.svg(badge_display.cdm_of(pkg) or {}, lang)
    return _cached(body, "image/svg+xml", bool(pkg.get("private")))


@cdm_badge.route("/cdm/badge/<ref>.json")
def json_badge(ref: str) -> Any:
    pkg = _dataset(ref)
    with flask_babel.force_locale(_language()):
        body = badge_display.json_body(localized(badge_display.cdm_of(pkg) or {}))
    return _cached(body, "application/json", bool(pkg.get("private")))
