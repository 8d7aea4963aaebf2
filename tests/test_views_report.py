"""Downloads of the annual report's figures: JSON and CSV agree with
cdm_report_show; the committee's figures only for the committee."""

from __future__ import annotations

import csv
import io

from ckan.tests import helpers

from tests.helpers import auth_headers, page, visible_text
from tests.logic import report_data
from tests.logic.report_data import YEAR


def test_json_and_csv_downloads_agree(app, personas, charter, clean_index):
    report_data.build(personas, charter)
    helpers.call_action(
        "cdm_report_update", context={"user": personas.member}, year=YEAR, introduction="Projet."
    )
    as_json = app.get(f"/cdm/report/{YEAR}.json")
    assert as_json.status_code == 200
    data = as_json.json
    assert data["figures"]["opinions"]["published"] == 4
    assert data["report"] is None  # a draft is not for the public
    assert "allowed_actions" not in data
    assert "refused_actions" not in data

    as_csv = app.get(f"/cdm/report/{YEAR}.csv")
    assert as_csv.status_code == 200
    assert as_csv.headers["Content-Type"].startswith("text/csv")
    assert f"rapport-cdm-{YEAR}-public.csv" in as_csv.headers["Content-Disposition"]
    text = as_csv.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    values = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    assert values[("opinions", "", "published")] == "4"
    assert values[("reviews", "", "in_progress")] == str(data["figures"]["reviews"]["in_progress"])

    member = app.get(f"/cdm/report/{YEAR}.json", headers=auth_headers(personas.member))
    assert member.json["report"]["introduction"] == "Projet."


def test_committee_figures_only_for_the_committee(app, personas, charter, clean_index):
    report_data.build(personas, charter)
    url = f"/cdm/report/{YEAR}.json?scope=committee"
    assert app.get(url).status_code == 403
    assert app.get(url, headers=auth_headers(personas.steward)).status_code == 403
    member = app.get(url, headers=auth_headers(personas.member))
    assert member.status_code == 200
    assert member.json["figures"]["opinions"]["published"] == 5


def test_a_bad_year_or_scope_is_a_400(app, personas):
    assert app.get("/cdm/report/1999.json").status_code == 400
    assert app.get(f"/cdm/report/{YEAR}.csv?scope=tout").status_code == 400
    assert app.get("/cdm/report/abc.json").status_code == 404


def french(value: str) -> str:
    """A plain CSV's value as the Excel CSV writes it: a decimal comma, a
    date JJ/MM/AAAA."""
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"
    return value.replace(".", ",")


def test_the_csv_for_excel_has_semicolons_and_a_decimal_comma(app, personas, charter, clean_index):
    """« CSV pour Excel »: a spreadsheet set to French reads ``2,5`` as a
    number and splits cells on semicolons; the page links to it beside the CSV."""
    report_data.build(personas, charter)
    response = app.get(f"/cdm/report/{YEAR}-excel.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert f"rapport-cdm-{YEAR}-public-excel.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffyear;scope;section;item;measure;value\r\n")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    values = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    assert values[("sessions", "", "average_attendance")] == "2,5"
    assert values[("sessions", "", "average_proxies")] == "0,5"
    assert values[("delays", "", "median_days")] == "30,0"
    assert values[("opinions", "", "published")] == "4"
    assert values[("opinions", "", "non_public")] == "1"
    # the same figures as the CSV, the decimal mark and the dates' order aside
    plain = app.get(f"/cdm/report/{YEAR}.csv").get_data(as_text=True)
    plain_rows = list(csv.DictReader(io.StringIO(plain.lstrip("\ufeff"))))
    assert [french(r["value"]) for r in plain_rows] == [r["value"] for r in rows]
    assert f"31/12/{YEAR}" in [r["value"] for r in rows]

    soup = page(app.get(f"/fr/cdm/report/{YEAR}"))
    downloads = soup.find("section", class_="cdm-report-downloads")
    link = downloads.find("a", href=f"/fr/cdm/report/{YEAR}-excel.csv")
    assert link.get_text() == "CSV pour Excel (séparateur point-virgule, virgule décimale)"
    assert downloads.find("a", href=f"/fr/cdm/report/{YEAR}.csv")


def test_the_public_figures_say_how_many_opinions_are_on_a_non_public_dataset(
    app, personas, charter, clean_index
):
    report_data.build(personas, charter)
    text = visible_text(page(app.get(f"/fr/cdm/report/{YEAR}")))
    assert (
        f"En outre, 1 avis publié en {YEAR} porte sur un jeu de données non public : "
        "il n’est pas compté ci-dessus, et le registre n’en donne que le numéro et la date."
    ) in text
    committee = page(
        app.get(f"/cdm/report/{YEAR}?scope=committee", headers=auth_headers(personas.member))
    )
    assert "of which on a non-public dataset 1" in " ".join(visible_text(committee).split())
