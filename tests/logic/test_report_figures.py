"""The figures of the annual report on a constructed year whose every figure
is known (tests/logic/report_data.py, docs/report.md): public figures never
count private datasets; the committee's count them without naming them."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers

from ckanext.cdm import figures
from ckanext.cdm.model import base as clock  # the model's clock: its today (UTC)
from tests.logic import report_data
from tests.logic.report_data import YEAR


@pytest.fixture
def world(personas, charter, clean_index):
    return report_data.build(personas, charter)


def show(user: str, **data) -> dict:
    data.setdefault("year", YEAR)
    return helpers.call_action(
        "cdm_report_show", context={"user": user, "ignore_auth": False}, **data
    )


def test_public_figures_of_the_year(world, personas):
    result = show("")
    assert result["frozen"] is False
    assert result["report"] is None
    fig = result["figures"]
    assert fig["reviews"] == {
        "received": 4,
        "self_referrals": 1,
        "in_progress": 1,
        "closed": 4,
        "closed_with_opinion": 3,
        "withdrawn": 1,
    }
    assert fig["opinions"] == {
        "published": 4,
        "corrections": 1,
        "by_verdict": {"favorable": 1, "favorable_with_reservations": 2, "unfavorable": 1},
        # the one opinion on a private dataset: a number only, as in the register
        "non_public": 1,
    }
    assert [
        (
            p["code"],
            p["compliant"],
            p["partially_compliant"],
            p["non_compliant"],
            p["not_applicable"],
        )
        for p in fig["principles"]
    ] == [(world.p1, 2, 1, 1, 0), (world.p2, 2, 1, 0, 1)]
    assert fig["principles"][0]["title"]["fr"]
    assert fig["delays"] == {"opinions": 3, "median_days": 30.0, "p90_days": 46.0}
    assert fig["sessions"] == {"held": 2, "average_attendance": 2.5, "average_proxies": 0.5}
    assert fig["badges"] == {
        "as_of": "2025-12-31",
        "datasets": 7,
        "by_code": {
            "compliant": 1,
            "compliant_with_reservations": 1,
            "non_compliant": 0,
            "outdated": 2,
            "under_review": 1,
            "not_reviewed": 2,
        },
        "stale": {"total": 2, "age": 1, "charter": 1, "fields": 0},
        "fields_checked": False,
    }


def test_public_figures_by_organization(world, personas):
    organizations = {o["name"]: o for o in show("")["figures"]["organizations"]}
    a, b = personas.organization["name"], personas.other_organization["name"]
    assert set(organizations) == {a, b}
    assert organizations[a]["reviews_received"] == 2
    assert organizations[a]["opinions"] == 4
    assert organizations[a]["by_verdict"] == {
        "favorable": 1,
        "favorable_with_reservations": 2,
        "unfavorable": 1,
    }
    assert organizations[b]["reviews_received"] == 2
    assert organizations[b]["opinions"] == 0


def test_committee_figures_count_private_datasets_without_naming_them(world, personas):
    fig = show(personas.member, scope="committee")["figures"]
    assert fig["scope"] == "committee"
    assert fig["reviews"] == {
        "received": 6,
        "self_referrals": 1,
        "in_progress": 2,
        "closed": 5,
        "closed_with_opinion": 4,
        "withdrawn": 1,
    }
    assert fig["opinions"]["published"] == 5
    assert fig["opinions"]["non_public"] == 1
    assert fig["opinions"]["by_verdict"]["favorable"] == 2
    assert fig["principles"][0]["compliant"] == 3
    assert fig["delays"] == {"opinions": 4, "median_days": 40.0, "p90_days": 57.7}
    assert fig["badges"]["datasets"] == 9
    assert fig["badges"]["by_code"]["compliant"] == 2
    assert fig["badges"]["by_code"]["under_review"] == 2
    organizations = {o["name"]: o for o in fig["organizations"]}
    assert organizations[personas.organization["name"]]["reviews_received"] == 3
    assert organizations[personas.other_organization["name"]]["reviews_received"] == 3
    text = json.dumps(fig, ensure_ascii=False)
    for key in ("d5", "d6"):
        private = world.datasets[key]
        assert private["id"] not in text
        assert private["name"] not in text
        assert private["title"] not in text


def test_public_figures_ignore_everything_about_a_private_dataset(world, personas):
    """Adding reviews and opinions on private datasets changes no public figure
    but the number of opinions on a non-public dataset."""
    before = show("")["figures"]
    world_private = report_data.World(world.charter_id, world.p1, world.p2)
    report_data._dataset(world_private, "p", personas.organization, private=True)
    report_data._review(world_private, "rp", "p", "2025-02-01", "opinion_issued", "2025-02-03")
    session_id = model.Session.execute(sa.text("SELECT id FROM cdm_session LIMIT 1")).scalar()
    world_private.sequence = 500
    report_data._opinion(
        world_private,
        "rp",
        "2025-02-03",
        "unfavorable",
        "non_compliant",
        "non_compliant",
        session_id,
    )
    model.Session.commit()
    after = show("")["figures"]
    for key in ("reviews", "principles", "organizations", "delays", "badges"):
        assert after[key] == before[key], key
    non_public = after["opinions"].pop("non_public")
    assert non_public == before["opinions"].pop("non_public") + 1
    assert after["opinions"] == before["opinions"]
    assert show(personas.member, scope="committee")["figures"]["opinions"]["published"] == 6


def test_current_year_badges_are_those_of_badges_py(world, personas):
    """For the current year, the grouped SQL gives exactly what
    ``badge_facts.badges_for`` gives dataset by dataset (the catalogue's badges),
    an ethics field changed since the opinion included."""
    from collections import Counter

    from ckanext.cdm import badge_facts, badges

    d9 = world.datasets["d9"]
    report_data._review(world, "r9", "d9", "2025-12-01", "opinion_issued", "2025-12-20")
    report_data._opinion(
        world,
        "r9",
        "2025-12-20",
        "favorable",
        "compliant",
        "compliant",
        world.session_id,
        dataset_facts={"personal_data": "no", "purpose": None},
    )
    model.Session.execute(
        sa.text("UPDATE package SET extras = :now WHERE id = :pkg"),
        {"now": json.dumps({"personal_data": "yes", "purpose": ""}), "pkg": d9["id"]},
    )
    model.Session.commit()
    public = [world.datasets[k]["id"] for k in world.datasets if k not in ("d5", "d6")]
    expected = Counter(b.code for b in badge_facts.badges_for(public).values())
    stale = Counter(b.stale_because for b in badge_facts.badges_for(public).values())
    fig = figures.figures_for(clock.today().year)["badges"]
    assert fig["as_of"] == clock.today().isoformat()
    assert fig["fields_checked"] is True
    assert fig["datasets"] == len(public) == 8  # d10, created this year, counts
    assert fig["by_code"] == {code: expected[code] for code in badges.CODES}
    assert fig["stale"]["fields"] == stale["fields"] == 1
    assert fig["stale"]["age"] == stale["age"]
    assert fig["stale"]["charter"] == stale["charter"]
    assert helpers.call_action("cdm_badge_show", id=d9["id"])["cdm_badge"] == "outdated"


def test_an_empty_year_has_zero_figures(personas, charter):
    fig = show("", year=2001)["figures"]
    assert fig["reviews"]["received"] == 0
    assert fig["opinions"]["published"] == 0
    assert fig["principles"] == []
    assert fig["organizations"] == []
    assert fig["delays"] == {"opinions": 0, "median_days": None, "p90_days": None}
    assert fig["sessions"] == {"held": 0, "average_attendance": None, "average_proxies": None}


@pytest.mark.parametrize("year", ["", "1999", "3000", "abc", 2025.5, [2025], "2025-01", None])
def test_year_is_validated(personas, year):
    data = {} if year is None else {"year": year}
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("cdm_report_show", context={"user": ""}, **data)
    assert "year" in error.value.error_dict


def test_next_year_is_refused(personas):
    with pytest.raises(helpers.logic.ValidationError) as error:
        show("", year=clock.today().year + 1)
    assert "year" in error.value.error_dict


def test_scope_is_validated(personas):
    with pytest.raises(helpers.logic.ValidationError) as error:
        show(personas.sysadmin, scope="everything")
    assert "scope" in error.value.error_dict
