"""Every page of the extension, checked with axe-core in Chromium against
WCAG 2.1 A and AA, as the person who reaches it.

A serious or critical violation fails the test, unless it comes from CKAN
core's templates and is listed in ``CORE_VIOLATIONS`` (and in
docs/accessibility.md, with the page and the rule). Anything not listed is
taken to be ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 2.1 A rules that axe marks experimental, hence leaves out of a run by tags
EXPERIMENTAL_WCAG_RULES = ["label-content-name-mismatch"]  # 2.5.3 Label in Name
FAILING_IMPACTS = ("serious", "critical")
DOC = Path(__file__).resolve().parents[2] / "docs" / "accessibility.md"


@dataclass(frozen=True)
class CoreViolation:
    """A violation from CKAN core's templates or scripts that we do not fix."""

    rule: str  # axe's rule id
    html: str  # a regular expression over the node's HTML, as axe gives it
    pages: str  # a regular expression over the path of the pages it is allowed on
    origin: str  # where it comes from, as docs/accessibility.md says


CORE_VIOLATIONS = (
    CoreViolation(
        rule="aria-input-field-name",
        html=r'^<span class="select2-selection ',
        pages=r"^/dataset/(new|edit/)",
        origin="ckan/public/base/javascript/modules/autocomplete.js",
    ),
)

# (who, path): {name} is replaced by the name of the suite's dataset of that key,
# {opinion_name} by the number of the opinion published on it, {organization}
# by the name of the suite's organization.
PAGES = [
    ("anonymous", "/"),
    ("anonymous", "/cdm/charter"),
    ("anonymous", "/cdm/charter/1.0"),
    ("anonymous", "/cdm/committee"),
    ("anonymous", "/cdm/badges"),
    ("anonymous", "/en/cdm/badges"),
    ("anonymous", "/cdm/opinions"),
    ("anonymous", "/cdm/opinions?verdict=unfavorable"),
    ("anonymous", "/cdm/opinions?q=zzzz"),
    ("anonymous", "/dataset/"),
    ("anonymous", "/dataset/?cdm_badge=compliant"),
    ("anonymous", "/en/dataset/?cdm_badge=compliant_with_reservations"),
    ("anonymous", "/dataset/{compliant}"),
    ("anonymous", "/dataset/{reserved}"),
    ("anonymous", "/cdm/opinions/{opinion_reserved}"),
    ("anonymous", "/organization/{organization}?cdm_badge=non_compliant"),
    ("anonymous", "/dataset/?page=2"),
    ("anonymous", "/dataset/{submitted}"),
    ("anonymous", "/dataset/{submitted}/ethics"),
    ("sysadmin", "/cdm/committee/manage"),
    ("sysadmin", "/cdm/charter/new"),
    ("sysadmin", "/cdm/charter/2.0"),
    ("sysadmin", "/cdm/charter/2.0/edit"),
    ("president", "/cdm/dashboard"),
    ("president", "/cdm/opinions"),
    ("president", "/dataset/{submitted}/ethics"),
    ("rapporteur", "/cdm/dashboard"),
    ("steward", "/dashboard/datasets"),
    ("steward", "/dashboard/ethics"),
    ("steward", "/dataset/{fresh}/ethics"),
    ("steward", "/dataset/{changes}/ethics"),
    ("steward", "/dataset/{changes}/ethics/self-assessment"),
    ("steward", "/dataset/new"),
    ("steward", "/dataset/edit/{fresh}"),
    ("president", "/dataset/{fresh}/ethics"),
    ("president", "/dataset/{fresh}/ethics/self-referral"),
    ("rapporteur", "/dataset/{opinion}/ethics"),
    ("rapporteur", "/en/dataset/{opinion}/ethics/opinion/new"),
    ("anonymous", "/en/cdm/charter"),
    ("anonymous", "/cdm/events"),
    ("anonymous", "/cdm/charter/1.0/print"),
    ("president", "/cdm/events/new"),
    ("steward", "/en/dataset/{changes}/ethics/self-assessment"),
    ("anonymous", "/cdm/report"),
    ("anonymous", "/cdm/report/{this_year}"),
    ("anonymous", "/en/cdm/report/{this_year}"),
    ("rapporteur", "/cdm/report/{this_year}?scope=committee"),
    ("president", "/cdm/report/{last_year}/edit"),
    ("rapporteur", "/user/nav-rapporteur/cdm-preferences"),
    ("steward", "/en/user/nav-steward/cdm-preferences"),
]


def _allowed(violation: dict, node: dict, path: str) -> bool:
    return any(
        known.rule == violation["id"]
        and re.search(known.html, node["html"])
        and re.search(known.pages, path)
        for known in CORE_VIOLATIONS
    )


def serious_violations(page: Page, path: str) -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations of the page that are not
    CKAN core's known ones, one line per node."""
    # after a click, the new page's DOM may be there before its stylesheets:
    # axe would judge colours and underlines the page does not have
    page.wait_for_load_state("load")
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "rules": {rule: {"enabled": True} for rule in EXPERIMENTAL_WCAG_RULES},
            "resultTypes": ["violations"],
        },
    )
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            if not _allowed(violation, node, path):
                summary = " ".join(node.get("failureSummary", "").split())
                found.append(
                    f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
                    f"    at {node['target']}: {node['html'][:200]}\n"
                    f"    {summary[:300]}"
                )
    return found


@pytest.mark.parametrize(("persona", "path"), PAGES, ids=[f"{p}:{u}" for p, u in PAGES])
def test_page_has_no_serious_accessibility_violation(visit, portal, persona, path):
    path = _path(portal, path)
    page = visit(persona)
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status} to {persona}"
    violations = serious_violations(page, path)
    assert not violations, f"{path} as {persona}:\n" + "\n".join(violations)


def _path(portal, path: str) -> str:
    names = {key: pkg["name"] for key, pkg in portal.datasets.items()}
    numbers = {f"opinion_{key}": number for key, number in portal.extra["opinions"].items()}
    organization = portal.datasets["compliant"]["organization"]["name"]
    this_year = clock.today().year
    return path.format(
        organization=organization, this_year=this_year, last_year=this_year - 1, **names, **numbers
    )


def test_badge_embed_snippet_has_no_serious_violation(visit, portal):
    """The embed code, once shown, on the page of a dataset with an opinion."""
    path = f"/dataset/{portal.datasets['compliant']['name']}"
    page = visit("anonymous")
    page.goto(path)
    page.get_by_text("Intégrer ce badge").click()
    expect(page.get_by_label("HTML")).to_be_visible()
    violations = serious_violations(page, path)
    assert not violations, "\n".join(violations)


def test_self_assessment_with_errors_has_no_serious_violation(visit, portal):
    path = f"/dataset/{portal.datasets['fresh']['name']}/ethics/self-assessment"
    page = visit("steward")
    page.goto(path)
    page.get_by_role("button", name="Enregistrer et soumettre au Comité").click()
    # CKAN's flash message today, an error summary (role alert) once it is one
    expect(page.locator(".flash-messages .alert-danger, [role=alert]").first).to_be_visible()
    violations = serious_violations(page, path)
    assert not violations, "\n".join(violations)


def test_a_serious_violation_in_a_cdm_page_fails_the_check(visit):
    """The check is not blind: an image without a text alternative, put into the
    charter page's content, is reported."""
    page = visit("anonymous")
    page.goto("/cdm/charter")
    assert serious_violations(page, "/cdm/charter") == []
    page.get_by_role("heading", level=1).evaluate(
        "h1 => h1.insertAdjacentHTML('afterend', '<img src=\"/base/images/ckan-logo.png\">')"
    )
    violations = serious_violations(page, "/cdm/charter")
    assert len(violations) == 1
    assert violations[0].startswith("image-alt (critical)")


def test_core_violations_are_documented():
    doc = DOC.read_text()
    for known in CORE_VIOLATIONS:
        assert f"`{known.rule}`" in doc, f"docs/accessibility.md does not list {known.rule}"
        assert known.origin in doc, f"docs/accessibility.md does not name {known.origin}"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/dataset/", r"^Conforme à la Charte \d+ jeux? de données correspondants?$"),
        ("/en/dataset/", r"^Compliant with the charter \d+ matching datasets?$"),
        ("/dataset/?cdm_badge=compliant", r"^Conforme à la Charte \d+ .*filtre actif"),
    ],
)
def test_facet_links_are_named_by_what_they_show(visit, portal, path, name):
    """Issue 18, point 13: each facet link's name starts with its visible
    text, in the page's language (CKAN named them "Search datasets by …")."""
    page = visit("anonymous")
    page.goto(path)
    expect(page.get_by_role("link", name=re.compile(name))).to_have_count(1)
    links = page.locator(".nav-facet a").all()
    assert len(links) >= 3  # the badge's, the organizations', the formats'…
    for link in links:
        shown = " ".join(link.locator(".item-label, .item-count").all_inner_texts())
        expect(link).to_have_accessible_name(re.compile("^" + re.escape(" ".join(shown.split()))))
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "rule", "values": ["label-content-name-mismatch"]},
            "resultTypes": ["violations"],
        },
    )
    assert results.response["violations"] == []
