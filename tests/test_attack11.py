"""Attack on issue 11 (the annual report, citizen meetings, the charter as
data): what a shared cache may keep, and the command's errors."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests.helpers import auth_headers
from tests.logic import report_data
from tests.logic.report_data import YEAR

URL = f"/cdm/report/{YEAR}"


@pytest.fixture
def world(personas, charter, clean_index):
    return report_data.build(personas, charter)


def _private(response) -> bool:
    control = response.headers["Cache-Control"]
    return "private" in control and "public" not in control


@pytest.mark.parametrize(
    "path",
    [f"{URL}.json", f"{URL}.json?scope=committee", f"{URL}.csv?scope=committee", f"{URL}.csv"],
)
def test_a_report_download_for_a_signed_in_reader_is_never_stored_by_a_shared_cache(
    app, world, personas, path
):
    # the committee's download holds its figures (private datasets counted)
    # and the draft's text: a ``public`` answer to a request with an API
    # token (no cookie, so ``Vary: Cookie`` does not separate it) may be
    # served by a proxy to anyone asking the same address
    helpers.call_action(
        "cdm_report_update",
        context={"user": personas.member},
        year=YEAR,
        introduction="Brouillon confidentiel du comité.",
    )
    response = app.get(path, headers=auth_headers(personas.member))
    if path.endswith(f"{URL}.json"):
        assert "Brouillon confidentiel du comité." in response.get_data(as_text=True)
    assert _private(response)
    if "committee" not in path:
        anonymous = app.get(path)
        assert "Brouillon confidentiel" not in anonymous.get_data(as_text=True)
        assert "private" not in anonymous.headers["Cache-Control"]


def test_a_draft_charter_json_is_never_stored_by_a_shared_cache(app, personas, charter):
    helpers.call_action(
        "cdm_charter_create", context={"user": personas.president}, number="1.1", copy_from="1.0"
    )
    app.get("/cdm/charter/1.1.json", status=403)
    draft = app.get("/cdm/charter/1.1.json", headers=auth_headers(personas.member))
    assert '"status": "draft"' in draft.get_data(as_text=True)
    assert _private(draft)
    adopted = app.get("/cdm/charter/1.0.json")
    assert "private" not in adopted.headers["Cache-Control"]


def test_the_report_command_says_when_it_cannot_write_its_file(cli, ckan_config, tmp_path):
    from ckan.cli.cli import ckan as ckan_command

    target = tmp_path / "missing-folder" / "rapport.json"
    result = cli.invoke(
        ckan_command, ["cdm", "report", "--year", str(YEAR), "--output", str(target)]
    )
    assert result.exit_code != 0
    assert not isinstance(result.exception, OSError)  # no traceback
    assert "Cannot write" in result.output
    assert str(target) in result.output


def test_an_api_answer_to_a_token_is_never_public(app, personas):
    """CKAN answers a token's request ``public`` (with ``Vary: Cookie`` only): a
    shared cache could keep a member's view of a confidential note for others."""
    response = app.get("/api/3/action/cdm_member_list", headers=auth_headers(personas.president))
    assert response.status_code == 200
    control = response.headers["Cache-Control"]
    assert "public" not in control
    assert "private" in control
    anonymous = app.get("/api/3/action/cdm_charter_list")
    assert "private" not in anonymous.headers.get("Cache-Control", "")
