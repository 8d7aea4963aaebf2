"""CSRF protection that holds for requests authenticated by the session cookie.

CKAN 2.12.0 (``ckan/config/middleware/flask_app.py``) sets
``g.login_via_auth_header`` for every request without a session (anonymous,
or authenticated by an API token) and then calls ``csrf.exempt()`` on the
requested view. Flask-WTF keeps that exemption in a set for the life of the
process, so after a single anonymous visit to a view, the cookie-authenticated
POSTs of every logged-in user to that view are no longer checked (and every
action of the API shares one view). See docs/security.md.

:func:`protect_session_requests` runs after CKAN's and Flask-WTF's own
``before_request`` hooks and checks the token of every unsafe request made
with a logged-in session that Flask-WTF let through without checking,
whatever was exempted before. Requests without a session or authenticated by
an API token header keep CKAN's rule: a forged cross-site request cannot
carry that header.
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import CKANApp
from flask import Flask, current_app


def install(app: CKANApp) -> CKANApp:
    """Register the check on CKAN's Flask app (from ``IMiddleware``).

    ``make_middleware`` runs after ``csrf.init_app``, so this hook runs after
    CKAN's ``ckan_before_request`` (which identifies the user and exempts the
    view) and after Flask-WTF's ``csrf_protect``. Fails at start-up rather
    than run unprotected if another plugin's middleware already wrapped the
    Flask app.
    """
    if not isinstance(app, Flask):
        raise RuntimeError(
            "ckanext-cdm protects CSRF on CKAN's Flask app, but received "
            f"{type(app).__name__}: list cdm before the plugins whose "
            "IMiddleware.make_middleware wraps the app in ckan.plugins."
        )
    app.before_request(protect_session_requests)
    return app


def protect_session_requests() -> None:
    """Check the CSRF token of an unsafe request from a logged-in session.

    Raises Flask-WTF's ``CSRFError`` (a 400) when the token is missing or wrong.
    """
    if not _checks_enabled() or tk.request.method not in current_app.config["WTF_CSRF_METHODS"]:
        return
    if tk.g.get("csrf_valid"):
        return  # Flask-WTF checked it already
    if tk.g.get("login_via_auth_header") or not tk.current_user.is_authenticated:
        return  # no session: anonymous, or an API token
    current_app.extensions["csrf"].protect()


def _checks_enabled() -> bool:
    config = current_app.config
    return bool(config.get("WTF_CSRF_ENABLED", True) and config.get("WTF_CSRF_CHECK_DEFAULT", True))
