"""The badge rules (badges.badge_for: pure, no database) and the gathering
of their facts (badge_facts.facts_for: real PostgreSQL, a fixed number of queries)."""

from __future__ import annotations

import datetime as dt

import pytest

from ckanext.cdm import badge_facts, badges, dates
from ckanext.cdm.badges import Facts, badge_for

TODAY = dt.date(2026, 6, 15)
PUBLISHED = dt.datetime(2025, 6, 15, 10, 0, tzinfo=dt.timezone.utc)
KEPT = {"personal_data": "no", "purpose": "Mesurer l'affluence"}


def opinion(verdict: str = "favorable", **facts) -> Facts:
    values = {
        "opinion_number": "2025-004",
        "verdict": verdict,
        "published_at": PUBLISHED,
        "charter_version": "1.0",
        "dataset_facts": dict(KEPT),
        "current_facts": dict(KEPT),
        **facts,
    }
    return Facts(**values)


@pytest.mark.parametrize(
    ("verdict", "code"),
    [
        ("favorable", "compliant"),
        ("favorable_with_reservations", "compliant_with_reservations"),
        ("unfavorable", "non_compliant"),
    ],
)
def test_each_verdict_gives_its_badge(verdict, code):
    badge = badge_for(opinion(verdict), TODAY, 36)
    assert badge.code == code
    assert (badge.stale_because, badge.reexamination) == (None, False)
    assert badge.opinion_number == "2025-004"
    assert badge.opinion_date == dt.date(2025, 6, 15)
    assert badge.charter_version == "1.0"
    assert badge.verdict == verdict


def test_no_opinion_and_no_review_is_not_reviewed():
    assert badge_for(Facts(), TODAY, 36) == badges.Badge("not_reviewed")


def test_no_opinion_and_an_open_review_is_under_review():
    assert badge_for(Facts(open_review=True), TODAY, 36) == badges.Badge("under_review")


def test_a_valid_opinion_and_an_open_review_keep_the_badge_with_a_reexamination():
    badge = badge_for(opinion("unfavorable", open_review=True), TODAY, 36)
    assert badge.code == "non_compliant"
    assert badge.reexamination is True


def test_an_opinion_goes_stale_with_age():
    facts = opinion(published_at=dt.datetime(2023, 6, 15, 9, tzinfo=dt.timezone.utc))
    # valid until the day before its anniversary
    assert badge_for(facts, dt.date(2026, 6, 14), 36).code == "compliant"
    badge = badge_for(facts, dt.date(2026, 6, 15), 36)
    assert (badge.code, badge.stale_because) == ("outdated", "age")
    assert (badge.opinion_number, badge.verdict) == ("2025-004", "favorable")
    # a shorter validity makes last year's opinion stale too
    assert badge_for(opinion(), TODAY, 12).stale_because == "age"
    assert badge_for(opinion(), TODAY, 13).code == "compliant"


def test_the_validity_defaults_to_the_configured_months(ckan_config, monkeypatch):
    facts = opinion(published_at=dt.datetime(2024, 1, 10, tzinfo=dt.timezone.utc))
    assert badge_for(facts, TODAY).code == "compliant"  # default 36 months
    monkeypatch.setitem(ckan_config, "ckanext.cdm.opinion_validity_months", 24)
    assert badge_for(facts, TODAY).stale_because == "age"


def test_an_opinion_goes_stale_when_its_charter_is_superseded():
    badge = badge_for(opinion(charter_superseded=True), TODAY, 36)
    assert (badge.code, badge.stale_because) == ("outdated", "charter")


def test_an_opinion_goes_stale_when_an_ethics_field_changed():
    changed = opinion(current_facts={**KEPT, "personal_data": "yes"})
    badge = badge_for(changed, TODAY, 36)
    assert (badge.code, badge.stale_because) == ("outdated", "fields")
    assert badges.changed_fields(changed) == ["personal_data"]
    emptied = opinion(current_facts={**KEPT, "purpose": None})
    assert badge_for(emptied, TODAY, 36).stale_because == "fields"


def test_a_field_the_opinion_did_not_record_is_no_change():
    later = opinion(current_facts={**KEPT, "retention_period": "5 ans"})
    assert badge_for(later, TODAY, 36).code == "compliant"


def test_a_stale_opinion_and_an_open_review_are_under_review():
    badge = badge_for(opinion(charter_superseded=True, open_review=True), TODAY, 36)
    assert (badge.code, badge.stale_because, badge.reexamination) == (
        "under_review",
        "charter",
        False,
    )
    assert badge.opinion_number == "2025-004"


def test_months_are_calendar_months():
    assert dates.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert dates.add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)
    assert dates.add_months(dt.date(2026, 11, 30), 14) == dt.date(2028, 1, 30)


# facts_for, on the real database


def _count_queries(function):
    from tests.helpers import sql_statements

    with sql_statements() as statements:
        result = function()
    return result, len(statements)


def test_facts_and_badges_of_datasets_in_each_state(personas, charter):
    from ckan.tests import factories

    from tests.conftest import submit_dataset
    from tests.logic.opinions import published

    pkg, _, first = published(personas, charter, title="Capteurs")
    reviewed, _ = submit_dataset(personas.steward, personas.organization, charter)
    plain = factories.Dataset(owner_org=personas.organization["id"])
    facts = badge_facts.facts_for([pkg["id"], reviewed["id"], plain["id"], "nowhere"])
    assert facts[pkg["id"]].opinion_number == first["number"]
    assert facts[pkg["id"]].charter_version == "1.0"
    assert facts[pkg["id"]].open_review is False
    assert facts[reviewed["id"]] == Facts(
        open_review=True, current_facts=facts[reviewed["id"]].current_facts
    )
    assert facts["nowhere"] == Facts()
    found = badge_facts.badges_for([pkg["id"], reviewed["id"], plain["id"]])
    assert {k: b.code for k, b in found.items()} == {
        pkg["id"]: "compliant",
        reviewed["id"]: "under_review",
        plain["id"]: "not_reviewed",
    }


def test_a_superseded_opinion_never_counts_its_successor_does(personas, charter):
    from tests.logic.opinions import call, held_session, publish, published

    pkg, review, old = published(personas, charter)
    correction = call(
        "cdm_opinion_correct",
        personas.president,
        id=old["number"],
        reason="Erreur de verdict.",
        verdict="favorable_with_reservations",
        reservations="Anonymiser les capteurs.",
    )
    # a draft correction does not count yet
    assert badge_facts.badge_of(pkg["id"]).opinion_number == old["number"]
    session_id = held_session([review["id"]], [personas.president, personas.member])
    new = publish(personas, correction, session_id)
    badge = badge_facts.badge_of(pkg["id"])
    assert (badge.code, badge.opinion_number) == ("compliant_with_reservations", new["number"])


def test_a_changed_ethics_field_makes_the_badge_outdated(personas, charter):
    from ckan.tests import helpers

    from tests.logic.opinions import published

    pkg, _, _ = published(personas, charter)
    assert badge_facts.badge_of(pkg["id"]).code == "compliant"
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=pkg["id"], purpose="Autre finalité"
    )
    badge = badge_facts.badge_of(pkg["id"])
    assert (badge.code, badge.stale_because) == ("outdated", "fields")


def test_a_superseded_charter_makes_the_badge_outdated(personas, charter):
    from ckan.tests import helpers

    from tests.logic.opinions import published

    pkg, _, _ = published(personas, charter)
    president = {"user": personas.president}
    helpers.call_action("cdm_charter_create", context=president, **_next_charter())
    helpers.call_action("cdm_charter_adopt", context=president, id="2.0", decision_reference="S2")
    badge = badge_facts.badge_of(pkg["id"])
    assert (badge.code, badge.stale_because) == ("outdated", "charter")


def _next_charter() -> dict:
    from ckanext.cdm.data import read_charter

    return {**read_charter(), "number": "2.0"}


def test_the_facts_of_many_datasets_cost_the_same_queries_as_one(personas, charter):
    from tests.conftest import submit_dataset
    from tests.logic.opinions import published

    pkg, _, _ = published(personas, charter)
    _, one = _count_queries(lambda: badge_facts.facts_for([pkg["id"]]))
    ids = [pkg["id"]]
    for _ in range(2):
        ids.append(published(personas, charter)[0]["id"])
        ids.append(submit_dataset(personas.steward, personas.organization, charter)[0]["id"])
    facts, many = _count_queries(lambda: badge_facts.facts_for(ids))
    assert len(facts) == 5
    assert many == one == 3
