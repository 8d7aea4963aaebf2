"""`ckan cdm report --year --format json|csv|html`: the same figures in the
three formats, the published snapshot by default."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

from tests.logic import report_data
from tests.logic.report_data import YEAR


@pytest.fixture
def run(cli, ckan_config):
    def invoke(*args: str):
        return cli.invoke(ckan_command, ["cdm", "report", *args])

    return invoke


@pytest.fixture
def published(personas, charter, clean_index):
    report_data.build(personas, charter)
    context = {"user": personas.president}
    helpers.call_action(
        "cdm_report_update",
        context=context,
        year=YEAR,
        introduction="Une année **riche**.",
        recommendations="Publier plus.",
    )
    helpers.call_action("cdm_report_publish", context=context, year=YEAR)


def test_json_csv_and_html_agree(run, published):
    as_json = run("--year", str(YEAR), "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.output)
    assert data["frozen"] is True
    assert data["report"]["introduction"] == "Une année **riche**."
    assert data["figures"]["opinions"]["published"] == 4
    assert "allowed_actions" not in data

    as_csv = run("--year", str(YEAR), "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    assert as_csv.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(as_csv.output.lstrip("\ufeff"))))
    values = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    assert values[("opinions", "", "published")] == "4"
    assert values[("reviews", "", "received")] == "4"
    assert values[("delays", "", "median_days")] == "30.0"
    assert values[("badges", "outdated", "datasets")] == "2"
    assert {r["year"] for r in rows} == {str(YEAR)}

    as_html = run("--year", str(YEAR), "--format", "html")
    assert as_html.exit_code == 0, as_html.output
    soup = BeautifulSoup(as_html.output, "html.parser")
    assert as_html.output.startswith("<!DOCTYPE html>")
    assert str(YEAR) in soup.title.get_text()
    assert soup.find("strong").get_text() == "riche"  # the markdown, rendered
    delays = soup.find("section", attrs={"aria-labelledby": "figures-delays"})
    row = next(tr for tr in delays.find_all("tr") if "Median days" in tr.get_text())
    assert row.td.get_text() == "30"
    chart = soup.find("figure", id="chart-verdicts").find("svg")
    assert chart.find("desc").get_text().startswith("Favourable: 1;")
    assert not soup.find_all("script")
    assert not soup.find_all("link")


def test_committee_scope_counts_private_datasets(run, published):
    result = run("--year", str(YEAR), "--scope", "committee")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["frozen"] is False
    assert data["figures"]["opinions"]["published"] == 5


def test_output_file(run, published, tmp_path):
    target = tmp_path / "rapport.csv"
    result = run("--year", str(YEAR), "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("\ufeffyear,scope,section")


@pytest.mark.usefixtures("clean_db")
def test_a_bad_year_is_an_error_naming_year(run):
    result = run("--year", "1850")
    assert result.exit_code != 0
    assert "year:" in result.output
