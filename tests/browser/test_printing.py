"""Printed documents, as Chromium saves them as PDF (headless Chromium's
``page.pdf``, which applies the print stylesheet): a published opinion and
the annual report, their text read back with ``pypdf``. Numbered pages
(« Page 1 sur 3 »), the vote in a sentence with its session, the president's
signature, no raw address but the opinion's permanent one, a table of
contents for the report."""

from __future__ import annotations

import io
import re
import unicodedata

from playwright.sync_api import Page, expect
from pypdf import PdfReader

PAGE_NUMBER = re.compile(r"Page (\d+) sur (\d+)")


def printed(page: Page) -> list[str]:
    """The text of each page of the page printed to A4 PDF."""
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    page.emulate_media(media="screen")
    # NFKC: the ligatures the PDF keeps (« ﬀ ») read as their letters
    return [
        unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def numbered(pages: list[str]) -> None:
    """Every page says « Page n sur N », in order."""
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} sur {total}" in text, (number, text[-200:])


def addresses(pages: list[str]) -> list[str]:
    """Every raw address printed, and what a line holds of one cut short."""
    lines = [line for text in pages for line in text.splitlines() if "http" in line]
    return [address for line in lines for address in re.findall(r"\S*http\S*", line)]


def test_a_printed_opinion_is_a_council_document(visit, portal):
    number = portal.extra["opinions"]["reserved"]
    page = visit("anonymous")
    page.goto(f"/cdm/opinions/{number}")
    expect(page.get_by_role("heading", name=f"Avis {number}", level=1)).to_be_visible()
    pages = printed(page)
    numbered(pages)
    text = " ".join(" ".join(pages).split())
    assert (
        "Avis adopté par 2 voix pour, 0 contre et 0 abstention ; 0 membre ne se prononce "
        "pas ; 2 présents ou représentés sur 2 membres en fonction, quorum atteint "
        "(2 requis)."
    ) in text
    assert "En séance du 10 février 2026 à 18:00, Salle du conseil." in text
    assert "Pour le Comité, le Président, Lucien Berger" in text
    # no raw link but the permanent address, given once, whole
    permanent = portal(f"/cdm/opinions/{number}")
    assert addresses(pages) == [permanent]
    # no half-empty first page: the assessments of the principles start on it
    assert "Appréciation des principes" in pages[0] or "Conforme" in pages[0], pages[0]


def test_the_printed_report_has_a_table_of_contents_and_numbered_pages(visit, portal):
    page = visit("anonymous")
    page.goto("/cdm/report")
    page.get_by_role("link", name=re.compile(r"^Chiffres provisoires de \d{4}$")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport annuel d’évaluation")
    pages = printed(page)
    numbered(pages)
    assert "Sommaire" in pages[0]
    assert "Les chiffres de l’année" in pages[0]
    assert addresses(pages) == []
    # the last page is no orphan line
    last = [line for line in pages[-1].splitlines() if line.strip()]
    assert len(last) > 3, last
