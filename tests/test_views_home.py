"""The portal's home page presents the portal, the charter and the committee
(issue 8, point 8), in both languages; the adopted demo charter is not a draft."""

from __future__ import annotations

from ckanext.cdm.data import read_charter
from tests.helpers import page, visible_text


def test_home_presents_the_charter_and_the_committee(app, charter):
    soup = page(app.get("/"))
    text = " ".join(soup.get_text(" ").split())
    assert "Welcome to CKAN" not in text
    assert "Metropolitan Data Charter" in soup.find(id="home-charter").get_text()
    principles = soup.find(class_="cdm-home-principles").find_all("li")
    assert len(principles) == len(charter["principles"])
    assert principles[0].get_text(strip=True) == charter["principles"][0]["title"]["en"]
    assert "3 members in office in four colleges." in text
    assert soup.find("a", href="/cdm/committee")
    assert len(soup.find_all("h1")) == 1


def test_home_speaks_french(app, charter):
    soup = page(app.get("/fr/"))
    assert "Charte métropolitaine de la donnée" in soup.find(id="home-charter").get_text()
    links = {a.get_text(strip=True): a["href"] for a in soup.select(".cdm-home-links a")}
    assert links == {
        "Découvrir le Comité": "/fr/cdm/committee",
        "Lire le registre des avis": "/fr/cdm/opinions",
        "Ce que signifient les badges": "/fr/cdm/badges",
        "Réunions publiques": "/fr/cdm/events",
        "Rapports annuels d’évaluation": "/fr/cdm/report",
    }
    first = soup.find(class_="cdm-home-principles").find("li").get_text(strip=True)
    assert first == charter["principles"][0]["title"]["fr"]
    assert "Comité métropolitain de la donnée" in visible_text(soup) or soup.find(
        id="home-committee"
    )


def test_home_without_a_charter_says_so(app, clean_db):
    soup = page(app.get("/"))
    assert (
        "has not adopted a charter yet"
        in soup.find(id="home-charter").find_parent("section").get_text()
    )


def test_the_shipped_draft_says_it_is_a_draft_the_adopted_demo_does_not():
    assert "default draft" in read_charter()["preamble"]["en"]
    assert "projet par défaut" in read_charter()["preamble"]["fr"]
    neutral = read_charter(draft_note=False)
    assert "default draft" not in neutral["preamble"]["en"]
    assert "projet par défaut" not in neutral["preamble"]["fr"]
    assert "draft_note" not in neutral


def test_page_size_is_declared_with_its_default():
    from ckanext.cdm import config

    assert config.page_size() == 20
