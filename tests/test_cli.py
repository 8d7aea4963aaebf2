"""`ckan cdm …` commands, run through CKAN's own click entry point."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories, helpers


@pytest.fixture
def run(cli, ckan_config):
    def invoke(*args: str):
        result = cli.invoke(ckan_command, ["cdm", *args])
        return result

    return invoke


@pytest.mark.usefixtures("clean_db")
def test_charter_load_adopt_show(run):
    loaded = run("charter", "load")
    assert loaded.exit_code == 0, loaded.output
    assert "loaded as a draft with 9 principles" in loaded.output
    assert "already exists" in run("charter", "load").output

    adopted = run(
        "charter", "adopt", "1.0", "--reference", "Séance du 3 mars", "--date", "2026-03-03"
    )
    assert adopted.exit_code == 0, adopted.output
    shown = run("charter", "show")
    assert "1.0" in shown.output
    assert "adopted" in shown.output
    assert helpers.call_action("cdm_charter_show")["adopted_on"] == "2026-03-03"


@pytest.mark.usefixtures("clean_db")
def test_member_add_end_list_and_rules(run):
    president = factories.User(name="presidente-test")
    added = run(
        "member",
        "add",
        president["name"],
        "--college",
        "civil_society",
        "--role",
        "president",
        "--start",
        "2026-01-01",
    )
    assert added.exit_code == 0, added.output

    refused = run(
        "member",
        "add",
        factories.User()["name"],
        "--college",
        "local_authorities",
        "--role",
        "president",
    )
    assert refused.exit_code != 0
    assert "never come from the college of local authorities" in refused.output

    assert "presidente-test" in run("member", "list").output
    ended = run("member", "end", "presidente-test", "--reason", "Fin de mandat")
    assert ended.exit_code == 0, ended.output
    assert "presidente-test" not in run("member", "list").output
    assert "presidente-test" in run("member", "list", "--all").output


@pytest.mark.usefixtures("clean_db")
def test_charter_load_refuses_a_number_that_yaml_read_as_a_float(run, tmp_path):
    import yaml

    from ckanext.cdm.data import read_charter

    path = tmp_path / "charter.yaml"
    path.write_text(yaml.safe_dump({**read_charter(), "number": 1.1}), "utf-8")
    loaded = run("charter", "load", str(path))
    assert loaded.exit_code != 0
    assert "A version number looks like 1.0 or 2.1." in loaded.output
