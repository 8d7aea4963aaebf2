# ruff: noqa: F811  (the opinion fixtures are imported from test_views_opinion)
"""The embeddable badge's revalidation (issue 19, point 3): its ETag is
computed from what the badge depends on, before the badge is built, so that a
304 neither applies the badge rules nor renders anything; every change of the
badge (a new opinion, a charter superseded, an ethics field changed, the age of
the opinion, the dataset made private) changes the ETag."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from ckanext.cdm import badge_display, badge_facts, badges
from ckanext.cdm.data import read_charter
from tests.helpers import auth_headers, sql_statements
from tests.logic.opinions import call
from tests.test_views_opinion import (  # noqa: F401
    VOTE,
    draft,
    held_session,
    in_review,
    published,
)


@pytest.fixture
def spies(monkeypatch) -> list[str]:
    """The names of the badge rules and renderers called (the functions run as usual)."""
    calls: list[str] = []

    def spy(owner, name):
        real = getattr(owner, name)

        def recorded(*args, **kwargs):
            calls.append(args[0] if name == "get_action" else name)
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    spy(badge_facts, "badge_for")
    spy(badges, "badge_for")
    spy(badge_display, "summary")
    spy(badge_display, "svg")
    spy(badge_display, "json_body")
    spy(tk, "get_action")  # recorded as the action's name
    return calls


@pytest.mark.parametrize("suffix", ["svg", "json"])
def test_a_revalidation_is_answered_without_building_the_badge(
    app, dataset, published, spies, suffix
):
    url = f"/cdm/badge/{dataset['name']}.{suffix}"
    first = app.get(url)
    assert {"badge_for", "summary"} <= set(spies)
    spies.clear()
    with sql_statements() as statements:
        again = app.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.get_data() == b""
    # no rule applied, no summary, nothing rendered, no package_show (Solr)
    assert spies == ["cdm_badge_validator"]
    # the dataset and its badge facts (one statement) and
    # what CKAN reads on every request (system_info)
    assert len(statements) <= 2, statements
    assert not [s for s in statements if "FROM resource" in s or "FROM package_extra" in s]


def test_the_etag_follows_the_language_and_the_format(app, dataset):
    svg = app.get(f"/cdm/badge/{dataset['name']}.svg?lang=en").headers["ETag"]
    assert app.get(f"/cdm/badge/{dataset['name']}.svg?lang=en").headers["ETag"] == svg
    assert app.get(f"/cdm/badge/{dataset['name']}.svg?lang=fr").headers["ETag"] != svg
    assert app.get(f"/cdm/badge/{dataset['name']}.json?lang=en").headers["ETag"] != svg


def _revalidated(app, url: str, etag: str, headers: dict | None = None):
    return app.get(url, headers={**(headers or {}), "If-None-Match": etag})


def test_a_published_opinion_changes_the_etag(app, personas, dataset, draft, held_session):
    url = f"/cdm/badge/{dataset['name']}.svg"
    before = app.get(url).headers["ETag"]
    assert _revalidated(app, url, before).status_code == 304
    helpers.call_action(
        "cdm_opinion_publish",
        context={"user": personas.president},
        id=draft["id"],
        session=held_session["id"],
        **VOTE,
    )
    response = _revalidated(app, url, before)
    assert response.status_code == 200
    assert ">Compliant with reservations</text>" in response.get_data(as_text=True)


def test_a_superseded_charter_changes_the_etag_at_once(app, personas, dataset, published):
    """The badge goes stale by charter before the adoption's job has reindexed."""
    url = f"/cdm/badge/{dataset['name']}.json"
    before = app.get(url).headers["ETag"]
    president = {"user": personas.president}
    helpers.call_action(
        "cdm_charter_create", context=president, **{**read_charter(), "number": "9.0"}
    )
    helpers.call_action("cdm_charter_adopt", context=president, id="9.0", decision_reference="S")
    response = _revalidated(app, url, before)
    assert response.status_code == 200
    assert response.json["badge"] == "outdated"
    assert response.json["stale_because"] == "charter"


def test_an_ethics_field_change_changes_the_etag(app, personas, dataset, published):
    url = f"/cdm/badge/{dataset['name']}.json"
    before = app.get(url).headers["ETag"]
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=dataset["id"], purpose="Autre"
    )
    response = _revalidated(app, url, before)
    assert response.status_code == 200
    assert response.json["stale_because"] == "fields"


def test_the_opinion_past_its_validity_changes_the_etag(app, dataset, published):
    url = f"/cdm/badge/{dataset['name']}.json"
    before = app.get(url).headers["ETag"]
    with helpers.changed_config("ckanext.cdm.opinion_validity_months", 0):
        response = _revalidated(app, url, before)
    assert response.status_code == 200
    assert response.json["stale_because"] == "age"


def test_making_the_dataset_private_changes_the_etag_and_hides_it(app, personas, dataset):
    url = f"/cdm/badge/{dataset['name']}.svg"
    steward = auth_headers(personas.steward)
    before = app.get(url, headers=steward).headers["ETag"]
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=dataset["id"], private=True
    )
    # those who may not see it get a 404, even with the ETag they kept
    assert _revalidated(app, url, before).status_code == 404
    response = _revalidated(app, url, before, steward)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert _revalidated(app, url, response.headers["ETag"], steward).status_code == 304


def test_a_review_withdrawn_and_reopened_gives_the_etag_back(app, personas, dataset):
    """The ETag is the badge's, not a version counter: the same badge, the same ETag."""
    url = f"/cdm/badge/{dataset['name']}.svg"
    before = app.get(url).headers["ETag"]
    review = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )
    assert _revalidated(app, url, before).status_code == 200
    helpers.call_action("cdm_review_withdraw", context={"user": personas.steward}, id=review["id"])
    assert _revalidated(app, url, before).status_code == 304


def test_the_validator_is_refused_like_the_dataset(personas, charter):
    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    for user in (personas.anonymous, personas.registered):
        with pytest.raises(tk.NotAuthorized):
            call("cdm_badge_validator", user, id=private["id"])
    by_id = call("cdm_badge_validator", personas.steward, id=private["id"])
    by_name = call("cdm_badge_validator", personas.steward, id=private["name"])
    assert by_id == by_name
    assert by_id["private"] is True
    with pytest.raises(tk.ObjectNotFound):
        call("cdm_badge_validator", personas.steward, id="no-such-dataset")


def test_the_facts_of_one_dataset_are_those_of_facts_for_in_one_statement(
    personas, charter, dataset, published
):
    from tests.conftest import submit_dataset

    reviewed, _ = submit_dataset(personas.steward, personas.organization, charter)
    plain = factories.Dataset(owner_org=personas.organization["id"], private=True)
    helpers.call_action(
        "package_patch", context={"user": personas.steward}, id=dataset["id"], purpose="Autre"
    )
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    ids = [dataset["id"], reviewed["id"], plain["id"]]
    expected = badge_facts.facts_for(ids)
    assert expected[dataset["id"]].opinion_number == published["number"]
    assert expected[dataset["id"]].open_review is True
    for pkg in (dataset, reviewed, plain):
        for ref in (pkg["id"], pkg["name"]):
            with sql_statements() as statements:
                package, facts = badge_facts.facts_of(ref)
            assert len(statements) == 1
            assert package.id == pkg["id"]
            assert facts == expected[pkg["id"]]
    assert badge_facts.facts_of("no-such-dataset") == (None, None)


def test_a_dataset_made_private_while_its_badge_is_built_is_not_found(
    app, personas, dataset, monkeypatch
):
    """Made private between the ETag's facts and the badge (another request,
    on a threaded server): a 404, as for any dataset the reader may not see."""
    from ckanext.cdm.views import badge as view

    read_facts = view._validator

    def then_made_private(ref):
        seen = read_facts(ref)
        helpers.call_action(
            "package_patch", context={"user": personas.steward}, id=dataset["id"], private=True
        )
        return seen

    monkeypatch.setattr(view, "_validator", then_made_private)
    response = app.get(f"/cdm/badge/{dataset['name']}.svg")
    assert response.status_code == 404


def test_a_context_reused_from_another_dataset_is_not_trusted(personas, charter):
    """A context that already holds a public dataset (``context["package"]``,
    left by ``package_show``) does not answer for a private one."""
    public = factories.Dataset(owner_org=personas.organization["id"])
    private = factories.Dataset(owner_org=personas.organization["id"], private=True)
    context = {"user": personas.anonymous, "ignore_auth": False}
    helpers.call_action("package_show", context=context, id=public["id"])
    assert context["package"].id == public["id"]
    for auth in ("cdm_badge_show", "cdm_badge_validator"):
        with pytest.raises(tk.NotAuthorized):
            tk.check_access(auth, dict(context), {"id": private["id"]})
