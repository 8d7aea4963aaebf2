"""The badges' public pages: what each badge means (/cdm/badges) and the
embeddable badge of a dataset (/cdm/badge/<id or name>.svg and .json), whose
ETag is computed from what the badge depends on before the badge is built
(docs/performance.md)."""

from __future__ import annotations

import functools
import hashlib
import pathlib
from typing import Any

import flask
import flask_babel
from ckan.plugins import toolkit as tk
from flask import Blueprint

from ckanext.cdm import badge_display, labels
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


def _validator(ref: str) -> dict[str, Any]:
    """What the dataset's badge depends on (``cdm_badge_validator``), as the
    user may see it: a private dataset is not found for those who may not see
    it, as on its page. A reference no dataset can have (a NUL byte, which
    PostgreSQL refuses, or longer than a name or an id may be) is not found
    without a query."""
    if "\x00" in ref or len(ref) > MAX_REF:
        tk.abort(404, tk._("Dataset not found"))
    try:
        return action("cdm_badge_validator", {"id": ref})
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        tk.abort(404, tk._("Dataset not found"))
        raise  # unreachable: abort raises


def _language() -> str:
    lang = tk.request.args.get("lang")
    return lang if lang in LANGUAGES else (tk.h.lang() or "fr")


@functools.cache
def _code_version() -> str:
    """The code and the translations a badge is built with: a new release
    (or new catalogues) changes every ETag."""
    import ckanext.cdm

    root = pathlib.Path(ckanext.cdm.__file__).parent
    sources = ["badges.py", "badge_display.py", "labels.py", "dates.py", "views/badge.py"]
    paths = [root / name for name in sources] + sorted(root.glob("i18n/*/LC_MESSAGES/*.mo"))
    digest = hashlib.sha256()
    for path in paths:
        if path.is_file():  # a deployment without sources still answers
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _etag(seen: dict[str, Any], kind: str, lang: str) -> str:
    """The badge's ETag, from what it depends on (the dataset's badge facts,
    its privacy, the format, the language, the code), not from its body: a
    revalidation is answered before anything is built."""
    parts = [
        _code_version(),
        kind,
        lang,
        str(seen["private"]),
        seen["fingerprint"],
        tk.config.get("ckan.site_url") or "",
        tk.config.get("ckan.root_path") or "",
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _response(body: str, mimetype: str, seen: dict[str, Any], etag: str) -> Any:
    response = _BadgeResponse(body, mimetype=mimetype)
    if seen["private"]:
        response.cache_control_value = f"private, max-age={MAX_AGE}"
    response.set_etag(etag)
    return response.make_conditional(tk.request)


def _badge(ref: str, kind: str) -> Any:
    """The badge of the dataset ``ref`` as SVG or JSON. A revalidation whose
    ETag still matches is a 304 with no badge computed and nothing rendered;
    otherwise the badge is computed from the database (``cdm_badge_show``),
    read after the ETag's facts, so that a body is never older than its ETag."""
    mimetype = "image/svg+xml" if kind == "svg" else "application/json"
    seen = _validator(ref)
    lang = _language()
    etag = _etag(seen, kind, lang)
    unchanged = _response("", mimetype, seen, etag)
    if unchanged.status_code == 304:
        return unchanged
    with flask_babel.force_locale(lang):
        try:
            shown = action("cdm_badge_show", {"id": seen["id"]})
        except (tk.ObjectNotFound, tk.NotAuthorized):
            # made private or deleted since its facts were read: as above
            tk.abort(404, tk._("Dataset not found"))
        cdm = {key: value for key, value in shown.items() if key != "cdm_badge"}
        body = badge_display.svg(cdm, lang) if kind == "svg" else badge_display.json_body(cdm)
    return _response(body, mimetype, seen, etag)


@cdm_badge.route("/cdm/badge/<ref>.svg")
def svg_badge(ref: str) -> Any:
    return _badge(ref, "svg")


@cdm_badge.route("/cdm/badge/<ref>.json")
def json_badge(ref: str) -> Any:
    return _badge(ref, "json")
