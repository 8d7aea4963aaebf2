# ruff: noqa: F811  (the opinion fixtures are imported from test_views_opinion)
"""The dataset page (issue 18, point 5): the committee's word at the top of the
main column, in the page's language, and « Info additionnelle » without the
rows of the fields left empty."""

from __future__ import annotations

from ckan.tests import factories

from tests.helpers import auth_headers, page
from tests.test_views_opinion import draft, held_session, in_review, published  # noqa: F401


def _text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _notice(soup):
    """The notice, which must come in the main column right under the title."""
    main = soup.find(class_="primary")
    notice = main.find(class_="cdm-dataset-notice")
    assert notice is not None
    assert notice.find_previous(["h1", "p"]).name == "h1"  # nothing between the title and it
    return notice


def test_the_notice_gives_the_badge_the_sentence_and_the_opinion(app, dataset, published):
    number = published["number"]
    notice = _notice(page(app.get(f"/dataset/{dataset['name']}")))
    assert _text(notice) == (
        "Committee opinion: Compliant with reservations The committee found the dataset"
        f" compliant with the charter, with reservations (opinion {number} of"
        f" {_date(published)}). Read opinion {number}"
    )
    assert notice.find("a")["href"] == f"/cdm/opinions/{number}"


def test_the_notice_speaks_the_pages_language(app, dataset, published):
    number = published["number"]
    notice = _notice(page(app.get(f"/fr/dataset/{dataset['name']}")))
    text = _text(notice)
    assert text.startswith("Avis du comité : Conforme avec réserves")
    assert f"Lire l’avis {number}" in text or f"Lire l'avis {number}" in text
    assert notice.find("a")["href"] == f"/fr/cdm/opinions/{number}"


def test_a_dataset_never_reviewed_says_so_at_the_top(app, dataset):
    notice = _notice(page(app.get(f"/dataset/{dataset['name']}")))
    assert _text(notice) == (
        "Committee opinion: Not reviewed by the committee"
        " The committee has not examined the dataset. What the badges mean"
    )
    assert notice.find("a")["href"] == "/cdm/badges"


def _additional_info(soup) -> dict[str, str]:
    section = soup.find("section", class_="additional-info")
    if section is None:
        return {}
    table = section.table
    return {row.th.get_text(strip=True): _text(row.td) for row in table.tbody.find_all("tr")}


def test_additional_info_leaves_out_the_fields_left_empty(app, personas, charter):
    pkg = factories.Dataset(owner_org=personas.organization["id"], title="Horaires des bus")
    soup = page(app.get(f"/fr/dataset/{pkg['name']}"))
    # no heading over an empty table
    assert soup.find("section", class_="additional-info") is None
    assert "Base légale" not in soup.get_text()
    # its steward sees the state of the dataset there
    soup = page(app.get(f"/fr/dataset/{pkg['name']}", headers=auth_headers(personas.steward)))
    rows = _additional_info(soup)
    assert list(rows) == ["État"] or list(rows) == ["State"], rows


def test_additional_info_shows_the_fields_filled_in(app, personas, charter):
    pkg = factories.Dataset(
        owner_org=personas.organization["id"],
        personal_data="personal",
        legal_basis="public_task",
        retention_period="13 mois",
    )
    rows = _additional_info(page(app.get(f"/fr/dataset/{pkg['name']}")))
    assert rows["Données personnelles"] == "Données personnelles"
    assert rows["Base légale (RGPD)"] == "Mission d’intérêt public (art. 6.1.e RGPD)"
    assert rows["Durée de conservation"] == "13 mois"
    assert "Usage algorithmique" not in rows


def _date(opinion: dict) -> str:
    """The opinion's date as the page writes it in English (« March 3, 2026 »)."""
    import datetime as dt

    day = dt.datetime.fromisoformat(opinion["published_at"]).date()
    return f"{day:%B} {day.day}, {day.year}"
