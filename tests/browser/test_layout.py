"""The layout, measured in Chromium (issue 18, points 5 and 14): the
committee's notice at the top of a dataset page's main column; the register's
opinion numbers on one line at 1280 px; no sideways scrolling of the home page
at 320 px; one column on the session and meeting pages, never an empty side
bar; the side bar's words wrap between words, hyphenated in the page's
language, never cut anywhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_opinion_walk import accessible

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_the_dataset_page_says_the_committees_word_at_the_top_of_its_main_column(visit, portal):
    dataset = portal.datasets["reserved"]
    number = portal.extra["opinions"]["reserved"]
    page = visit("anonymous")
    page.set_viewport_size(WIDE)
    page.goto(f"/dataset/{dataset['name']}")
    notice = page.locator(".primary .cdm-dataset-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Conforme avec réserves")
    expect(notice).to_contain_text(f"avis {number}")
    expect(notice.get_by_role("link", name=f"Lire l’avis {number}")).to_have_attribute(
        "href", f"/cdm/opinions/{number}"
    )
    box, main = _box(page, ".primary .cdm-dataset-notice"), _box(page, ".primary")
    title = _box(page, ".primary h1")
    # in the main column, right under the title, seen without scrolling
    assert main["x"] <= box["x"]
    assert box["x"] + box["width"] <= main["x"] + main["width"]
    assert title["y"] + title["height"] <= box["y"] <= title["y"] + title["height"] + 40
    assert box["y"] + box["height"] <= WIDE["height"]
    # no empty rows under « Info additionnelle »
    empty = page.evaluate(
        """() => [...document.querySelectorAll('.additional-info tbody tr')]
            .filter(row => !row.querySelector('td').innerText.trim())
            .map(row => row.querySelector('th').innerText)"""
    )
    assert empty == []
    accessible(page)
    # at 320 px, the title and the notice come before the sidebar
    page.set_viewport_size({"width": 320, "height": 800})
    title, sidebar = _box(page, ".primary h1"), _box(page, "aside.secondary")
    assert title["y"] < sidebar["y"]
    assert _box(page, ".primary .cdm-dataset-notice")["y"] < sidebar["y"]


def test_the_registers_opinion_numbers_stay_on_one_line(visit, portal):
    page = visit("anonymous")
    page.set_viewport_size(WIDE)
    page.goto("/cdm/opinions")
    cells = page.locator(".cdm-register tbody th[scope=row]")
    expect(cells.first).to_be_visible()
    # the other columns as long as real titles and names make them
    page.evaluate(
        """() => document.querySelectorAll('.cdm-register tbody tr').forEach(row => {
            const [dataset, organization] = row.querySelectorAll('td');
            dataset.textContent = 'Stationnement résidentiel : abonnements, zones et tarifs'
                + ' des parkings relais et des parcs en ouvrage de la métropole';
            organization.textContent = 'Direction de la mobilité, des déplacements et de'
                + ' l’espace public métropolitain';
        })"""
    )
    heights = cells.evaluate_all(
        """cells => cells.map(cell => {
            const link = cell.querySelector('a') || cell;
            const line = parseFloat(getComputedStyle(link).lineHeight);
            return [cell.innerText, link.getBoundingClientRect().height, line];
        })"""
    )
    for text, height, line in heights:
        assert height <= line * 1.2, (text, height, line)


def test_the_home_page_does_not_scroll_sideways_at_320_px(visit, portal):
    page = visit("anonymous")
    page.set_viewport_size(NARROW)
    page.goto("/")
    expect(page.locator("footer").first).to_be_attached()
    # what sticks out, to name it when the page scrolls
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.body.clientWidth + 0.5)
            .map(e => e.tagName + '.' + e.className)"""
    )
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], (width, overflowing[:10])


def _one_column(page: Page) -> None:
    """No side bar (not even an empty one) and the main column as wide as the page's row."""
    assert page.locator("aside.secondary").count() == 0, page.url
    row, main = _box(page, ".main .row.wrapper"), _box(page, ".row.wrapper > .primary")
    assert main["width"] >= row["width"] - 30, (page.url, main, row)


@pytest.mark.parametrize("persona", ["president"])
def test_session_and_meeting_pages_have_one_column(visit, portal, persona):
    page = visit(persona)
    page.set_viewport_size(WIDE)
    for path in (
        "/cdm/sessions",
        f"/cdm/sessions/{portal.extra['opinion_session']}",
        "/cdm/sessions/new",
        "/cdm/events",
        "/cdm/events/new",
    ):
        page.goto(path)
        expect(page.locator("h1").first).to_be_visible()
        _one_column(page)
    page.goto("/cdm/events")
    link = page.locator(".primary").get_by_role(
        "link", name="Réunion publique du 2099-03-12", exact=True
    )
    page.goto(link.get_attribute("href"))
    expect(page.locator("h1").first).to_have_text("Réunion publique du 2099-03-12")
    _one_column(page)


def test_the_side_bar_hyphenates_words_instead_of_cutting_them(visit, portal):
    dataset = portal.datasets["reserved"]
    page = visit("anonymous")
    page.set_viewport_size(WIDE)
    page.goto(f"/dataset/{dataset['name']}")
    assert page.evaluate("document.documentElement.lang") == "fr"
    styles = page.locator("aside.secondary").evaluate(
        """aside => [aside, ...aside.querySelectorAll('*')]
            .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => {
                const style = getComputedStyle(e);
                return [e.tagName + '.' + e.className, style.wordBreak, style.hyphens,
                        style.overflowWrap];
            })"""
    )
    assert styles
    for element, word_break, hyphens, overflow_wrap in styles:
        assert word_break != "break-all", element
        assert hyphens == "auto", element
        assert overflow_wrap in ("break-word", "anywhere"), element
