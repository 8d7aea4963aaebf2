"""The WSGI module that `make demo` serves with gunicorn builds a working portal."""

from __future__ import annotations

import logging

import pytest
from werkzeug.test import Client

from ckanext.cdm import wsgi

# building an app (re)loads the plugins and binds the session to a new engine
pytestmark = pytest.mark.committing


def test_importing_the_module_builds_no_app():
    assert wsgi._application is None


def test_without_a_configuration_file_it_says_what_to_set(monkeypatch):
    monkeypatch.delenv("CKAN_INI", raising=False)
    with pytest.raises(RuntimeError, match="CKAN_INI"):
        wsgi.make_application()


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_the_application_of_ckan_ini_serves_the_portal(ckan_config, monkeypatch):
    monkeypatch.setenv("CKAN_INI", ckan_config["__file__"])
    server_log = logging.getLogger("cdm.test.server")  # a logger of the WSGI server
    monkeypatch.setattr(wsgi, "_application", None)
    try:
        application = wsgi.application
        assert wsgi.application is application  # one app per process
    finally:
        wsgi._application = None
    assert not server_log.disabled  # the ini's logging config left it alone

    client = Client(application)
    home = client.get("/")
    assert home.status_code == 200
    assert "Valmont Métropole" in home.get_data(as_text=True)
    charter = client.get("/cdm/charter")
    assert charter.status_code == 200
    status = client.get("/api/3/action/status_show").json["result"]
    assert "cdm" in status["extensions"]


def test_the_app_is_made_with_its_registries_built(app):
    """CKAN fills its action and auth registries on first use, one entry at a
    time: threads serving a worker's first requests side by side could find
    them half built (a 500). Making the app builds them."""
    from ckan import authz, logic
    from ckan.config.middleware import make_app
    from ckan.plugins import toolkit as tk

    logic.clear_actions_cache()
    authz.clear_auth_functions_cache()
    make_app(tk.config)
    assert "cdm_conflict_declare" in logic._actions
    assert "cdm_conflict_declare" in authz._AuthFunctions._functions
