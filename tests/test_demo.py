"""`ckan cdm demo` loads the fictional catalogue through the API, once."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories, helpers

from ckanext.cdm import badges, user_extras
from ckanext.cdm.demo.loader import load_demo, read_catalogue
from ckanext.cdm.demo.meetings import read_meetings

DELIBERATION_NAMES = ("Rebsamen", "Hoareau", "Bayard", "Martin-Gendre", "Chevalier", "Hameau")


def _assert_every_badge_shows() -> None:
    """Every badge is on some public dataset, counted by the facet on the real
    Solr; a dataset whose ethics field changed after its opinion is outdated;
    one submitted again while its opinion stands keeps its badge and says
    that a re-examination is in progress."""
    search = helpers.call_action(
        "package_search",
        context={"user": ""},
        rows=0,
        **{"facet.field": '["cdm_badge"]', "facet.limit": -1},
    )
    counts = {item["name"]: item["count"] for item in search["search_facets"]["cdm_badge"]["items"]}
    assert set(counts) == set(badges.CODES), counts
    assert all(count >= 1 for count in counts.values())
    assert sum(counts.values()) == search["count"]

    outdated = helpers.call_action(
        "package_search", context={"user": ""}, fq="cdm_badge:outdated", rows=10
    )
    assert "autorisations-urbanisme" in [r["name"] for r in outdated["results"]]
    changed = helpers.call_action(
        "package_show", context={"user": ""}, id="autorisations-urbanisme"
    )
    assert changed["cdm"]["badge"] == "outdated"
    assert changed["cdm"]["stale_because"] == "fields"

    air = helpers.call_action("package_show", context={"user": ""}, id="qualite-air-stations")
    assert air["cdm_badge"] == "compliant"
    assert air["cdm"]["reexamination"] is True
    assert air["cdm"]["opinion"]["number"]


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.ckan_config("ckanext.cdm.demo", True)
def test_demo_loads_a_realistic_catalogue_and_is_idempotent():
    first = load_demo()
    assert first.created["organizations"] >= 6
    assert first.created["datasets"] >= 40

    search = helpers.call_action(
        "package_search", include_private=False, rows=0, **{"facet.field": '["organization"]'}
    )
    assert search["count"] >= 40
    assert len(search["search_facets"]["organization"]["items"]) >= 6

    seats = helpers.call_action("cdm_member_list")
    assert len(seats) == 26
    assert [s["role"] for s in seats].count("president") == 1
    by_college = {
        c: sum(s["college"] == c for s in seats)
        for c in ("research", "civil_society", "business", "local_authorities")
    }
    assert by_college == {"research": 7, "civil_society": 8, "business": 6, "local_authorities": 5}

    sysadmin = next(name for name, _, role in first.logins if role == "sysadmin")
    admin = model.User.by_name(sysadmin)
    assert admin.sysadmin
    assert user_extras.is_demo_account(admin)  # the demo's own: it may repair it later
    charters = helpers.call_action("cdm_charter_list", context={"user": sysadmin})
    versions = {c["number"]: c["status"] for c in charters}
    assert versions == {"1.0": "adopted", "1.1": "draft"}
    adopted = helpers.call_action("cdm_charter_show", id="1.0")["preamble"]
    assert "projet par défaut" not in adopted["fr"]
    assert "default draft" not in adopted["en"]

    _assert_sessions_and_opinions(sysadmin)
    _assert_every_badge_shows()
    _assert_citizen_meetings()

    second = load_demo()
    assert second.created == {}
    assert helpers.call_action("package_search", rows=0)["count"] == search["count"]
    assert len(helpers.call_action("cdm_member_list")) == 26


def _assert_sessions_and_opinions(sysadmin: str) -> None:
    """Two past sessions with minutes, one convened next month; a dozen
    published opinions of every verdict across organizations, one corrected,
    one on a private dataset, one self-referral; drafts in progress."""
    sessions = helpers.call_action("cdm_session_list", context={"user": sysadmin})["results"]
    closed = [s for s in sessions if s["state"] == "closed"]
    assert len(closed) >= 2
    assert all(s["minutes"] for s in closed)
    last = max(s["starts_at"] for s in closed)
    assert any(s["state"] == "convened" and s["starts_at"] > last for s in sessions)
    listing = helpers.call_action(
        "cdm_opinion_list", context={"user": sysadmin}, state="published", limit=100
    )
    published = listing["results"]
    assert len(published) >= 12
    assert {o["verdict"] for o in published} == {
        "favorable",
        "favorable_with_reservations",
        "unfavorable",
    }
    assert len({o["organization_id"] for o in published}) >= 5
    assert any(o["supersedes_id"] for o in published)
    assert any(o["self_referral"] for o in published)
    anonymous = helpers.call_action("cdm_opinion_list", context={"user": ""}, limit=100)
    assert anonymous["count"] < listing["count"]  # the private dataset's opinion is hidden
    # after its opinion: an ethics field changed, a new examination opened
    air = helpers.call_action(
        "cdm_review_list", context={"user": sysadmin}, dataset="qualite-air-stations"
    )
    assert [r["state"] for r in air["results"]] == ["submitted", "opinion_issued"]
    changed = helpers.call_action("package_show", id="autorisations-urbanisme")
    [facts] = [
        o["dataset_facts"] for o in published if o["dataset_name"] == "autorisations-urbanisme"
    ]
    assert changed["retention_period"] != facts["retention_period"]
    drafts = helpers.call_action(
        "cdm_opinion_list", context={"user": sysadmin}, state="draft", limit=100
    )
    assert drafts["count"] >= 2


def test_demo_stewards_cover_several_organizations():
    catalogue = read_catalogue()
    stewards = [u for u in catalogue["users"] if u.get("memberships")]
    assert any(len(u["memberships"]) >= 2 for u in stewards)
    assert len({m["organization"] for u in stewards for m in u["memberships"]}) >= 3


def _assert_citizen_meetings() -> None:
    """Two past citizen meetings with their summary, one to come."""
    past = helpers.call_action("cdm_meeting_list", upcoming=False)["results"]
    upcoming = helpers.call_action("cdm_meeting_list", upcoming=True)["results"]
    assert len(past) == 2
    assert all(m["summary"] for m in past)
    assert len(upcoming) == 1
    assert upcoming[0]["registration_url"].startswith("https://")


def test_demo_uses_fictional_names_only():
    text = str(read_catalogue()) + str(read_meetings())
    for name in DELIBERATION_NAMES:
        assert name.lower() not in text.lower()
    assert "dijon" not in text.lower()


@pytest.fixture
def run_demo(cli, ckan_config, tmp_path):
    """``ckan cdm demo`` with test.ini, or with test.ini saying it is a demo
    (the command reads its configuration file, not the test's config)."""

    def invoke(demo: bool = False):
        env = None
        if demo:
            ini = tmp_path / "demo-test.ini"
            ini.write_text(
                f"[app:main]\nuse = config:{ckan_config['__file__']}\nckanext.cdm.demo = true\n"
            )
            env = {"CKAN_INI": str(ini)}
        return cli.invoke(ckan_command, ["cdm", "demo"], env=env)

    return invoke


@pytest.mark.usefixtures("clean_db")
def test_demo_refuses_to_run_on_a_portal_that_is_not_a_demo(run_demo, ckan_config):
    assert ckan_config["ckanext.cdm.demo"] is False  # the default, and test.ini's
    result = run_demo()
    assert result.exit_code != 0
    assert "not a demo" in result.output
    assert "ckanext.cdm.demo = true" in result.output
    assert model.User.by_name("admin-cdm") is None
    assert helpers.call_action("organization_list") == []


@pytest.mark.usefixtures("clean_db")
def test_demo_never_changes_an_account_it_did_not_create(run_demo):
    """A real account that bears a demo user name is not made sysadmin, nor
    given the demo password, a role or a seat: the demo refuses, loading nothing."""
    factories.User(name="admin-cdm", password="Her-own-passw0rd!")
    factories.User(name="claire-aubertin")  # a committee member's name
    result = run_demo(demo=True)
    assert result.exit_code != 0
    assert "admin-cdm, claire-aubertin" in result.output
    assert "Nothing was loaded" in result.output

    account = model.User.by_name("admin-cdm")
    assert not account.sysadmin
    assert account.validate_password("Her-own-passw0rd!")
    assert not account.validate_password(helpers.config["ckanext.cdm.demo.password"])
    assert not user_extras.is_demo_account(account)
    assert helpers.call_action("organization_list") == []
    assert helpers.call_action("cdm_member_list") == []


@pytest.mark.usefixtures("clean_db")
def test_a_user_cannot_mark_their_own_account_as_the_demos():
    user = factories.User(name="admin-cdm")
    helpers.call_action(
        "user_patch",
        context={"user": user["name"], "ignore_auth": False},
        id=user["id"],
        plugin_extras={"cdm": {"demo_account": True}},
    )
    assert not user_extras.is_demo_account(model.User.by_name("admin-cdm"))
