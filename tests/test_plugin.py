"""The plugin loads inside a real CKAN and shows in the API."""

from __future__ import annotations

import ckan
import pytest
from ckan import plugins as p


def test_plugin_is_loaded_beside_activity_and_scheming():
    assert p.plugin_loaded("cdm")
    assert p.plugin_loaded("activity")
    assert p.plugin_loaded("scheming_datasets")


@pytest.mark.usefixtures("clean_db")
def test_status_show_lists_the_plugin(app):
    result = app.get("/api/3/action/status_show").json["result"]
    assert "cdm" in result["extensions"]
    # the installed CKAN's version, on the 2.12 line (any patch release)
    assert result["ckan_version"] == ckan.__version__
    assert ckan.__version__.split(".")[:2] == ["2", "12"]


def test_config_options_are_declared_with_defaults(ckan_config):
    assert ckan_config["ckanext.cdm.seats.research"] == 7
    assert ckan_config["ckanext.cdm.seats.civil_society"] == 8
    assert ckan_config["ckanext.cdm.seats.business"] == 6
    assert ckan_config["ckanext.cdm.seats.local_authorities"] == 5


def test_translation_domain_is_registered():
    plugin = p.get_plugin("cdm")
    assert plugin.i18n_domain() == "ckanext-cdm"
    assert {"fr", "en"} <= set(plugin.i18n_locales())


def test_every_default_view_has_its_plugin_loaded(ckan_config):
    """A default view without its plugin floods the log with
    "Plugin for view … could not be found" on every resource."""
    from ckan.lib import datapreview

    for view_type in ckan_config["ckan.views.default_views"]:
        assert datapreview.get_view_plugin(view_type), view_type


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_creating_a_resource_logs_no_missing_view_plugin():
    import logging

    from ckan.tests import factories

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("ckan.lib.datapreview")
    disabled = logger.disabled  # test.ini's logging config disables it
    logger.disabled = False
    logger.addHandler(handler)
    try:
        factories.Dataset(
            owner_org=factories.Organization()["id"],
            resources=[{"format": "PNG", "url": "http://example.org/photo.png"}],
        )
    finally:
        logger.removeHandler(handler)
        logger.disabled = disabled
    assert [r.getMessage() for r in records] == []
