"""CKAN's own pages render with the plugin loaded."""

from __future__ import annotations

import pytest
from ckan.tests import factories


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_dataset_page_lists_datasets(app):
    factories.Dataset(title="Qualité de l'air horaire", owner_org=factories.Organization()["id"])

    response = app.get("/dataset/")

    assert response.status_code == 200
    assert (
        "Qualité de l&#39;air horaire" in response.body
        or "Qualité de l'air horaire" in response.body
    )
