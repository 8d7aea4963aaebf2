"""The plugin loads inside a real CKAN and shows in the API."""

from __future__ import annotations

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
    assert result["ckan_version"] == "2.12.0"


def test_config_options_are_declared_with_defaults(ckan_config):
    assert ckan_config["ckanext.cdm.seats.research"] == 7
    assert ckan_config["ckanext.cdm.seats.civil_society"] == 8
    assert ckan_config["ckanext.cdm.seats.business"] == 6
    assert ckan_config["ckanext.cdm.seats.local_authorities"] == 5


def test_translation_domain_is_registered():
    plugin = p.get_plugin("cdm")
    assert plugin.i18n_domain() == "ckanext-cdm"
    assert {"fr", "en"} <= set(plugin.i18n_locales())
