"""`ckan cdm demo` loads the fictional catalogue through the API, once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import factories, helpers

from ckanext.cdm import badges, user_extras
from ckanext.cdm.demo import history
from ckanext.cdm.demo.loader import load_demo, read_catalogue
from ckanext.cdm.demo.meetings import read_meetings
from ckanext.cdm.demo.reports import read_reports

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
    _assert_the_past_year(sysadmin)
    _assert_the_annual_reports(sysadmin)
    counts = _counts()

    second = load_demo()
    assert second.created == {}
    assert helpers.call_action("package_search", rows=0)["count"] == search["count"]
    assert len(helpers.call_action("cdm_member_list")) == 26
    assert _counts() == counts


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


def _counts() -> dict[str, int]:
    """Rows of the committee's tables and CKAN's activities: a second run adds none."""
    tables = ("cdm_review", "cdm_opinion", "cdm_session", "cdm_annual_report", "cdm_audit_event")
    counts = {
        table: model.Session.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
        for table in (*tables, "activity")
    }
    return counts


def _assert_the_past_year(sysadmin: str) -> None:
    """The past year was played under the model's clock: the catalogue existed
    before it; its reviews, sessions and opinions are dated in it and all
    closed; today's badges are still those of this year's opinions."""
    past = history.past_year()
    created = helpers.call_action("package_show", id="defibrillateurs")["metadata_created"]
    assert created.startswith(f"{past - 1}-")
    entries = history.read_history()["reviews"]
    for entry in entries:
        listing = helpers.call_action(
            "cdm_review_list", context={"user": sysadmin}, dataset=entry["dataset"], limit=100
        )
        [review] = [r for r in listing["results"] if r["submitted_at"].startswith(f"{past}-")]
        assert review["state"] in ("opinion_issued", "withdrawn")
    sessions = helpers.call_action("cdm_session_list", context={"user": sysadmin}, limit=100)
    held = [s for s in sessions["results"] if s["starts_at"].startswith(f"{past}-")]
    assert len(held) == 3
    assert all(s["state"] == "closed" and s["minutes"] for s in held)
    opinions = helpers.call_action(
        "cdm_opinion_list", context={"user": sysadmin}, year=past, limit=100
    )["results"]
    assert sorted(o["number"] for o in opinions) == [f"{past}-{n:03}" for n in range(1, 8)]
    # this year's numbers are this year's own, from 001 on
    this_year = helpers.call_action(
        "cdm_opinion_list", context={"user": sysadmin}, year=past + 1, limit=100
    )["results"]
    assert sorted(o["number"] for o in this_year)[0] == f"{past + 1}-001"
    # today's badges: this year's opinion where there is one, else not reviewed
    for entry in entries:
        shown = helpers.call_action(
            "package_show", context={"user": sysadmin}, id=entry["dataset"]
        )["cdm"]
        if shown["badge"] == badges.NOT_REVIEWED:
            assert "opinion" not in entry
        else:
            assert shown["opinion"]["number"].startswith(f"{past + 1}-")


def _assert_the_annual_reports(sysadmin: str) -> None:
    """The past year's report is published with its frozen figures, of every
    kind; the committee's figures count the private dataset's opinion, the
    public ones do not; this year's report is a draft the public cannot see."""
    past = history.past_year()
    president = "helene-castagne"
    public = helpers.call_action("cdm_report_show", context={"user": ""}, year=past)
    assert public["frozen"] is True
    text, figures = public["report"], public["figures"]
    assert text["state"] == "published"
    assert dt.date.fromisoformat(text["published_at"][:10]).year == past + 1
    assert all(
        text[section].strip() for section in ("introduction", "notable_cases", "recommendations")
    )
    assert f"{past}-002" in text["notable_cases"]  # the unfavorable opinion, by number
    assert "\u00a0:" in text["introduction"]  # French typography
    assert " :" not in text["introduction"]
    assert "{" not in text["notable_cases"]  # every placeholder filled in
    assert all(figures["opinions"]["by_verdict"][v] > 0 for v in figures["opinions"]["by_verdict"])
    assert figures["opinions"]["corrections"] == 1
    assert figures["reviews"]["self_referrals"] == 1
    assert figures["reviews"]["withdrawn"] == 1
    assert figures["reviews"]["in_progress"] == 1  # withdrawn early this year
    assert figures["sessions"]["held"] >= 2
    delays = figures["delays"]
    assert delays["median_days"] is not None
    assert delays["median_days"] < delays["p90_days"]
    statuses = {
        status
        for principle in figures["principles"]
        for status in ("compliant", "partially_compliant", "non_compliant", "not_applicable")
        if principle[status]
    }
    assert statuses == {"compliant", "partially_compliant", "non_compliant", "not_applicable"}
    by_code = figures["badges"]["by_code"]
    assert figures["badges"]["as_of"] == f"{past}-12-31"
    assert sum(by_code.values()) == figures["badges"]["datasets"] > 0
    for code in ("compliant", "compliant_with_reservations", "non_compliant", "under_review"):
        assert by_code[code] >= 1, code

    committee = helpers.call_action(
        "cdm_report_show", context={"user": president}, year=past, scope="committee"
    )["figures"]
    assert committee["opinions"]["published"] == figures["opinions"]["published"] + 1
    assert committee["delays"]["opinions"] == delays["opinions"] + 1
    assert committee["badges"]["datasets"] > figures["badges"]["datasets"]

    current = helpers.call_action("cdm_report_show", context={"user": president}, year=past + 1)
    assert current["report"]["state"] == "draft"
    assert current["report"]["introduction"]
    assert f"{past + 1}-0" in current["report"]["notable_cases"]
    assert not current["report"]["recommendations"]  # in progress
    assert "publish" not in current["allowed_actions"]  # the year is not over
    anonymous = helpers.call_action("cdm_report_show", context={"user": ""}, year=past + 1)
    assert anonymous["report"] is None
    listed = helpers.call_action("cdm_report_list", context={"user": ""})
    assert [(r["year"], r["state"]) for r in listed] == [(past, "published")]
    assert set(read_reports()) == {"past", "current"}


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
    text += str(history.read_history()) + str(read_reports())
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


def test_the_history_dates_its_steps_in_the_past_year_never_after_now():
    past = history.past_year()
    assert past == dt.date.today().year - 1
    spring = history.moment("03-20T14:00")
    assert spring == dt.datetime(past, 3, 20, 14, tzinfo=dt.timezone.utc)  # test.ini: UTC
    assert history.moment("03-20").hour == 9
    assert history.moment("next 01-14T11:00").year == past + 1
    assert history.moment("next 12-31T23:00") < dt.datetime.now(dt.timezone.utc)
    with pytest.raises(ValueError, match="Not a moment"):
        history.moment("2025-03-20")


def test_the_history_votes_add_up_in_each_session():
    """Every vote of history.yaml adds up to the members present plus the
    proxies (the rule ``cdm_opinion_publish`` enforces); an opinion is drafted
    before its session, a correction before its session is convened (the
    agenda takes a review whose correction is pending)."""
    data = history.read_history()
    committee = len(read_catalogue()["committee"])
    sessions = {s["key"]: s for s in data["sessions"]}
    for entry in data["reviews"]:
        opinion = entry.get("opinion")
        if not opinion:
            continue
        correction = opinion.get("correction")
        for adopted, deadline in ((opinion, "starts_at"), (correction, "convened")):
            if adopted is None:
                continue
            session = sessions[adopted["session"]]
            expected = committee - len(session["absent"]) + len(session["proxies"])
            assert sum(adopted["votes"].values()) == expected, entry["dataset"]
            assert adopted["drafted"] < session[deadline], entry["dataset"]


@pytest.mark.usefixtures("clean_db")
def test_a_demo_whose_committee_was_seated_later_skips_the_past_year(personas, charter):
    """A demo loaded before it had a past year (its seats start this year): the
    past year is not played, and no report is written on a year not played."""
    from ckanext.cdm.demo import reports

    assert not history.committee_in_office(personas.president, dt.date(history.past_year(), 1, 1))
    assert history.committee_in_office(personas.president, dt.date.today())
    empty = {"datasets": [], "committee": []}
    assert history.play(empty, personas.president) == 0
    assert reports.play(empty, personas.president) == 0
    assert (
        helpers.call_action("cdm_session_list", context={"user": personas.president})["count"] == 0
    )
    assert helpers.call_action("cdm_report_list", context={"user": personas.president}) == []


def test_the_demo_meetings_follow_french_typography():
    """A non-breaking space before : ; ? ! and inside « », as on every page."""
    from pathlib import Path

    text = (Path(__file__).parents[1] / "ckanext/cdm/demo/meetings.yaml").read_text()
    texts = re.sub(r"https?://\S+|^\s*#.*$|^\s*[a-z_]+:", "", text, flags=re.M)
    assert not re.findall(r".{0,20} [:;?!»]|« .{0,20}", texts)
