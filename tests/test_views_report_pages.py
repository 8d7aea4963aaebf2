"""The pages of the annual report: the years, a year's text, tables and
charts, the committee's draft and publication forms. Figures are those of
tests/logic/report_data.py (known answers, docs/report.md)."""

from __future__ import annotations

import csv
import io

import pytest
from ckan.tests import helpers

from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from ckanext.cdm.model.report import SECTIONS
from tests.helpers import auth_headers, page, visible_text
from tests.logic import report_data
from tests.logic.report_data import YEAR

URL = f"/cdm/report/{YEAR}"
NBSP = "\u00a0"


@pytest.fixture
def world(personas, charter, clean_index):
    return report_data.build(personas, charter)


def _write(user: str, **text: str) -> None:
    helpers.call_action("cdm_report_update", context={"user": user}, year=YEAR, **text)


def _table(soup, caption: str) -> dict[str, str]:
    """A figures table as {row heading: value}, found by its caption."""
    table = next(t for t in soup.find_all("table") if caption in t.caption.get_text())
    return {
        row.th.get_text(" ", strip=True): row.td.get_text(strip=True)
        for row in table.find_all("tr")
        if row.th and row.td
    }


def test_a_published_report_shows_its_text_tables_and_charts(app, world, personas):
    _write(
        personas.member,
        introduction="## Bilan\n\nUne année **dense**.",
        recommendations="Publier les rapports d’analyse d’impact.",
    )
    helpers.call_action("cdm_report_publish", context={"user": personas.president}, year=YEAR)
    soup = page(app.get(URL))
    text = visible_text(soup)
    assert soup.find("h1").get_text() == f"Annual evaluation report {YEAR}"
    assert "Published on" in text
    assert "later changes of the data do not alter them" in text
    intro = soup.find("section", attrs={"aria-labelledby": "section-introduction"})
    assert intro.find("h2").get_text() == "Introduction"
    assert intro.find("h3").get_text() == "Bilan"  # the text's heading under the section's
    assert intro.find("strong").get_text() == "dense"
    assert "Notable cases" not in text  # an empty section is left out
    assert "Publier les rapports d’analyse d’impact." in text

    opinions = _table(soup, f"Opinions published in {YEAR}")
    assert opinions == {
        "Favourable": "1",
        "Favourable with reservations": "2",
        "Unfavourable": "1",
        "Total": "4",
        "of which corrections of an earlier opinion": "1",
    }
    # the snapshot is JSONB (no key order): the page keeps the figures' order
    table = next(t for t in soup.find_all("table") if "Opinions published" in t.caption.get_text())
    assert [th.get_text() for th in table.find_all("th", scope="row")] == list(opinions)
    assert list(opinions)[:3] == ["Favourable", "Favourable with reservations", "Unfavourable"]
    badges = _table(soup, "Datasets by badge on")
    assert list(badges) == [
        "Compliant with the charter",
        "Compliant with reservations",
        "Not compliant with the charter",
        "Opinion to be renewed",
        "Under review by the committee",
        "Not reviewed by the committee",
        "Total",
    ]
    reviews = _table(soup, "Requests for an opinion")
    assert reviews["Reviews received in the year"] == "4"
    assert reviews["of which self-referrals by the committee"] == "1"
    delays = _table(soup, "Time to an opinion")
    assert delays["Median days from submission to opinion"] == "30"
    assert delays["Days within which nine opinions in ten were published"] == "46"
    # a count among days: the column says « Figure », each row its unit
    header = soup.find("h3", string="Time to an opinion").find_next("table").find("thead")
    assert [th.get_text() for th in header.find_all("th")] == ["Measure", "Figure"]

    chart = soup.find("figure", id="chart-verdicts")
    svg = chart.find("svg")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "chart-verdicts-title chart-verdicts-desc"
    assert svg.find("title").get_text() == f"Opinions published in {YEAR}, by verdict"
    assert svg.find("desc").get_text() == (
        "Favourable: 1; Favourable with reservations: 2; Unfavourable: 1."
    )
    assert [t.get_text() for t in svg.find_all("text")] == [
        "Favourable",
        "1",
        "Favourable with reservations",
        "2",
        "Unfavourable",
        "1",
    ]
    widths = [float(r["width"]) for r in svg.find_all("rect")]
    assert widths[1] == max(widths) == 2 * widths[0] == 2 * widths[2]
    principles = soup.find("figure", id="chart-principles").find("desc").get_text()
    assert world.p1 not in principles  # an identifier: the title names it
    assert principles.startswith("Purpose and public interest: Compliant: 2; ")
    assert "Compliant: 2" in principles
    assert soup.find("figure", id="chart-badges") is not None
    # what the public may not do
    assert soup.find("a", string="Edit the draft report") is None
    assert soup.find("a", string="Publish the report…") is None
    assert soup.find("a", string="See the committee’s figures") is None
    assert soup.find("button", attrs={"data-module": "cdm-print"}) is not None
    toc = soup.find("nav", attrs={"aria-labelledby": "toc-heading"})
    assert [(a.get_text(), a["href"]) for a in toc.find_all("a")] == [
        ("Introduction", "#section-introduction"),
        ("Recommendations", "#section-recommendations"),
        ("The figures of the year", "#figures-heading"),
        ("Download the figures", "#downloads-heading"),
        ("The reports of other years", "/cdm/report"),
    ]


def test_page_json_and_csv_agree(app, world, personas):
    soup = page(app.get(URL))
    data = app.get(f"{URL}.json").json["figures"]
    rows = list(csv.DictReader(io.StringIO(app.get(f"{URL}.csv").get_data(as_text=True)[1:])))
    values = {(r["section"], r["item"], r["measure"]): r["value"] for r in rows}
    opinions = _table(soup, f"Opinions published in {YEAR}")
    assert opinions["Total"] == str(data["opinions"]["published"])
    assert opinions["Total"] == values[("opinions", "", "published")]
    for verdict, label in [("favorable", "Favourable"), ("unfavorable", "Unfavourable")]:
        assert opinions[label] == str(data["opinions"]["by_verdict"][verdict])
        assert opinions[label] == values[("opinions_by_verdict", verdict, "opinions")]
    badges = _table(soup, "Datasets by badge on")
    assert badges["Total"] == str(data["badges"]["datasets"]) == values[("badges", "", "datasets")]
    sessions = _table(soup, "Sessions")
    assert sessions["Sessions held"] == str(data["sessions"]["held"])
    assert (
        sessions["Members present on average"]
        == "2.5"
        == values[("sessions", "", "average_attendance")]
    )


def test_the_draft_is_for_the_committee_and_only_the_president_publishes(app, world, personas):
    _write(personas.member, introduction="Texte en cours de rédaction.")
    public = visible_text(page(app.get(URL)))
    assert "The committee has not published its report" in public
    assert "Texte en cours de rédaction." not in public
    assert "Draft" not in public

    member = page(app.get(URL, headers=auth_headers(personas.member)))
    text = visible_text(member)
    assert "Draft report — not published: only the committee reads it." in text
    assert "Texte en cours de rédaction." in text
    assert member.find("a", string="Edit the draft report")["href"] == f"{URL}/edit"
    assert member.find("a", string="Publish the report…") is None

    president = page(app.get(URL, headers=auth_headers(personas.president)))
    assert president.find("a", string="Publish the report…")["href"] == f"{URL}/publish"
    steward = visible_text(page(app.get(URL, headers=auth_headers(personas.steward))))
    assert "Texte en cours de rédaction." not in steward


def test_a_draft_says_who_may_change_it_and_when_it_can_be_published(app, world, personas):
    this_year = clock.today().year
    helpers.call_action(
        "cdm_report_update",
        context={"user": personas.member},
        year=this_year,
        introduction="Une année en cours.",
    )
    url = f"/cdm/report/{this_year}"
    president = page(app.get(url, headers=auth_headers(personas.president)))
    assert president.find("a", string="Publish the report…") is None
    notice = president.find(class_="cdm-draft-not-yet").get_text()
    assert notice == f"The president can publish it once {this_year} is over."
    # a sysadmin reads the draft, is told why there is no button to change it
    sysadmin = page(app.get(url, headers=auth_headers(personas.sysadmin)))
    assert "Une année en cours." in visible_text(sysadmin)
    assert sysadmin.find("a", string="Edit the draft report") is None
    read_only = sysadmin.find(class_="cdm-draft-read-only").get_text()
    assert read_only.startswith("You may read this draft but not change it")
    assert sysadmin.find(class_="cdm-draft-not-yet") is None
    # last year's draft, for the president: the button, no waiting
    _write(personas.member, introduction="Texte.")
    last_year = page(app.get(URL, headers=auth_headers(personas.president)))
    assert last_year.find(class_="cdm-draft-not-yet") is None
    assert last_year.find("a", string="Publish the report…") is not None
    # the public, before the year is over: why there is no report yet
    public = visible_text(page(app.get(f"/fr{url}")))
    assert f"L’année {this_year} n’est pas terminée" in public
    assert "Une année en cours." not in public


def test_committee_figures_are_for_the_committee(app, world, personas):
    app.get(f"{URL}?scope=committee", status=403)
    app.get(f"{URL}?scope=committee", headers=auth_headers(personas.steward), status=403)
    member = page(app.get(f"{URL}?scope=committee", headers=auth_headers(personas.member)))
    assert "they count the reviews and opinions of private datasets" in visible_text(member)
    assert _table(member, f"Opinions published in {YEAR}")["Total"] == "5"
    assert member.find("a", string="See the public figures")["href"] == URL
    public = page(app.get(URL, headers=auth_headers(personas.member)))
    link = public.find("a", string="See the committee’s figures")
    assert link["href"] == f"{URL}?scope=committee"
    assert member.find("a", string="CSV (one figure a row)")["href"] == f"{URL}.csv?scope=committee"


def test_a_member_writes_the_draft_through_the_form(app, world, personas):
    headers = auth_headers(personas.member)
    soup = page(app.get(f"{URL}/edit", headers=headers))
    form = soup.find("form", id="cdm-form")
    assert form.find("input", attrs={"name": "_csrf_token"}) is not None
    labels = [label.get_text(" ", strip=True) for label in form.find_all("label")]
    assert labels == [
        "Introduction (markdown)",
        "Notable cases (markdown)",
        "Recommendations (markdown)",
    ]
    response = app.post(
        f"{URL}/edit",
        data={"introduction": "Une année.", "notable_cases": "", "recommendations": "Agir."},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL)
    report = helpers.call_action("cdm_report_show", context={"user": personas.member}, year=YEAR)
    assert report["report"]["introduction"] == "Une année."
    assert report["report"]["recommendations"] == "Agir."
    # a text too long is refused, named, and kept in the form
    soup = page(
        app.post(
            f"{URL}/edit",
            data={"introduction": "x" * 200_001, "recommendations": "Agir encore."},
            headers=headers,
        )
    )
    summary = soup.find(id="error-summary")
    assert summary.find("a")["href"] == "#field-introduction"
    assert summary.find("a").get_text().startswith("Introduction:")
    assert soup.find(id="field-recommendations").get_text() == "Agir encore."
    assert soup.find(id="field-introduction")["aria-invalid"] == "true"


def test_who_may_open_the_forms(app, world, personas):
    app.get(f"{URL}/edit", status=403)
    app.get(f"{URL}/edit", headers=auth_headers(personas.steward), status=403)
    app.get(f"{URL}/edit", headers=auth_headers(personas.sysadmin), status=403)
    _write(personas.member, introduction="Texte.")
    app.get(f"{URL}/publish", headers=auth_headers(personas.member), status=403)
    this_year = clock.today().year
    helpers.call_action("cdm_report_update", context={"user": personas.member}, year=this_year)
    # a year not over cannot be published: the page does not offer it, and
    # sends whoever could publish it to the report, with the reason
    president = auth_headers(personas.president)
    response = app.get(
        f"/cdm/report/{this_year}/publish", headers=president, follow_redirects=False
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cdm/report/{this_year}")


def test_the_president_publishes_after_confirming(app, world, personas):
    _write(personas.member, introduction="Texte final.")
    headers = auth_headers(personas.president)
    soup = page(app.get(f"{URL}/publish", headers=headers))
    assert "Publication cannot be undone." in visible_text(soup)
    assert soup.find("button", string=f"Publish the report {YEAR}") is not None
    assert soup.find("form", id="cdm-form").find("input", attrs={"name": "_csrf_token"})
    response = app.post(f"{URL}/publish", data={}, headers=headers, follow_redirects=False)
    assert response.status_code == 302
    shown = visible_text(page(app.get(URL)))
    assert "Texte final." in shown
    assert "Published on" in shown
    again = app.get(f"{URL}/publish", headers=headers)  # once: the report, and why
    assert again.request.path == URL
    assert "is published: it cannot change." in visible_text(page(again))
    app.get(f"{URL}/edit", headers=auth_headers(personas.member), status=403)


def test_the_list_of_years(app, world, personas):
    _write(personas.member, introduction="Texte.")
    helpers.call_action(
        "cdm_report_update", context={"user": personas.member}, year=YEAR - 1, introduction="Ébe"
    )
    helpers.call_action("cdm_report_publish", context={"user": personas.president}, year=YEAR)
    soup = page(app.get("/cdm/report"))
    text = visible_text(soup)
    assert soup.find("h1").get_text() == "Annual evaluation reports"
    assert soup.find("a", string=f"Annual evaluation report {YEAR}")["href"] == URL
    assert f"Annual evaluation report {YEAR - 1}" not in text  # a draft
    this_year = clock.today().year
    provisional = soup.find("a", string=f"Provisional figures for {this_year}")
    assert provisional["href"] == f"/cdm/report/{this_year}"
    assert "Write the report" not in text
    member = visible_text(page(app.get("/cdm/report", headers=auth_headers(personas.member))))
    assert f"Annual evaluation report {YEAR - 1} Draft report" in member
    assert f"Write the report for {this_year}" in member


def test_french_page(app, world, personas):
    soup = page(app.get(f"/fr{URL}"))
    assert soup.find("h1").get_text() == f"Rapport annuel d’évaluation {YEAR}"
    desc = soup.find("figure", id="chart-verdicts").find("desc").get_text()
    assert desc == (
        f"Favorable{NBSP}: 1{NBSP}; Favorable avec réserves{NBSP}: 2{NBSP}; Défavorable{NBSP}: 1."
    )
    sessions = _table(soup, "Séances")
    assert sessions["Membres présents en moyenne"] == "2,5"
    definitions = soup.find("a", hreflang="en")
    assert definitions.get_text() == (
        "Comment chaque chiffre est défini (documentation du portail, en anglais)"
    )
    assert definitions["href"].endswith("docs/report.md#the-figures-defined")
    # the principles' table says what its four columns count
    table = soup.find("figure", id="chart-principles").find_next("table")
    caption = table.caption.get_text()
    columns = [th.get_text() for th in table.thead.find_all("th")][1:]
    assert columns == ["Conforme", "Partiellement conforme", "Non conforme", "Sans objet"]
    assert caption == (
        "Combien de fois chaque principe a été jugé conforme, partiellement conforme, "
        f"non conforme ou sans objet dans les avis de {YEAR}"
    )


def test_the_french_form_names_the_sections_as_the_page_does(app, world, personas):
    headers = auth_headers(personas.member)
    _write(personas.member, introduction="a", notable_cases="b", recommendations="c")
    read = page(app.get(f"/fr{URL}", headers=headers))
    headings = [read.find(id=f"section-{key}").get_text() for key in SECTIONS]
    assert headings == ["Introduction", "Cas marquants", "Recommandations"]
    form = page(app.get(f"/fr{URL}/edit", headers=headers)).find("form", id="cdm-form")
    labels = [label.get_text(" ", strip=True) for label in form.find_all("label")]
    assert labels[:3] == [f"{heading} (mise en forme simple)" for heading in headings]


def test_a_year_out_of_range_is_not_found(app, personas):
    app.get("/cdm/report/1999", status=404)
    app.get(f"/cdm/report/{clock.today().year + 1}", status=404)
    app.get("/cdm/report/1999/edit", headers=auth_headers(personas.member), status=404)


def test_an_empty_year_says_so(app, personas, charter):
    text = visible_text(page(app.get("/cdm/report/2024")))
    assert "No opinion was published this year." in text
    assert "No opinion assessed the principles this year." in text
    assert "Total 0" in text


def test_the_forms_refuse_a_cookie_post_without_its_token(app, world, personas):
    from ckanext.cdm.model.report import AnnualReport
    from tests.test_csrf import cookie_client, csrf_token

    member = cookie_client(app, personas.member)
    assert member.post(f"{URL}/edit", data={"introduction": "Forgé."}).status_code == 400
    assert AnnualReport.for_year(YEAR) is None
    token = csrf_token(member, f"{URL}/edit")
    data = {"introduction": "Vrai.", "_csrf_token": token}
    saved = member.post(f"{URL}/edit", data=data, follow_redirects=False)
    assert saved.status_code == 302
    president = cookie_client(app, personas.president)
    assert president.post(f"{URL}/publish", data={}).status_code == 400
    assert AnnualReport.for_year(YEAR).state == "draft"
