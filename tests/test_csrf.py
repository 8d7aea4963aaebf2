"""CSRF protection holds for requests authenticated by the session cookie.

CKAN 2.12.0 exempts from CSRF protection, for the life of the process, every
view once requested without a session (anonymously or with an API token):
after that, a logged-in user's cookie POST without a token was accepted.
``ckanext.cdm.csrf`` checks the token of every unsafe cookie-session request,
whatever was exempted before (docs/security.md).
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.common import config
from ckan.config.middleware import flask_app
from ckan.tests import helpers

from ckanext.cdm import csrf
from tests.conftest import complete_answers
from tests.helpers import auth_headers

NEW_DRAFT = {"number": "2.0", "copy_from": "1.0"}


@pytest.fixture(autouse=True)
def no_exemption_yet(monkeypatch):
    """CKAN's CSRFProtect is one object for the whole process, so the views
    exempted by earlier tests stay exempted; start each test from none."""
    monkeypatch.setattr(flask_app.csrf, "_exempt_views", set())


@pytest.fixture
def csrf_enabled(ckan_config) -> None:
    assert ckan_config["WTF_CSRF_ENABLED"] is True


def cookie_client(app, user_name: str):
    """A browser: a test client logged in by the session cookie only (as
    flask-login's test client does, on the site's domain)."""
    client = app.test_client()
    with client.session_transaction(base_url=config["ckan.site_url"]) as session:
        session["_user_id"] = model.User.get(user_name).get_id()
        session["_fresh"] = True
    return client


def csrf_token(client, url: str) -> str:
    body = client.get(url).get_data(as_text=True)
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


def visit_anonymously(app, url: str) -> None:
    """What any visitor, crawler or API client does: makes CKAN exempt the view."""
    app.test_client().get(url)


def form_answers(charter: dict) -> dict:
    """The self-assessment form, every question answered."""
    data = {}
    for code, answer in complete_answers(charter).items():
        data[f"answer-{code}-status"] = answer["status"]
        data[f"answer-{code}-justification"] = answer["justification"]
    return data


def charters(president: str) -> set[str]:
    """The numbers of the charter's versions, drafts included."""
    listed = helpers.call_action("cdm_charter_list", context={"user": president})
    return {c["number"] for c in listed}


# Our views


@pytest.mark.usefixtures("csrf_enabled")
def test_cookie_post_without_token_is_refused_even_after_an_anonymous_visit(app, personas, charter):
    browser = cookie_client(app, personas.president)

    refused = browser.post("/cdm/charter/new", data=NEW_DRAFT)
    assert refused.status_code == 400
    assert "CSRF" in refused.get_data(as_text=True)

    visit_anonymously(app, "/cdm/charter/new")

    assert browser.post("/cdm/charter/new", data=NEW_DRAFT).status_code == 400
    assert "2.0" not in charters(personas.president)


@pytest.mark.usefixtures("csrf_enabled")
def test_cookie_post_without_token_is_refused_after_an_api_token_visit(app, personas, charter):
    browser = cookie_client(app, personas.president)
    app.test_client().get("/cdm/charter/new", headers=auth_headers(personas.president))

    assert browser.post("/cdm/charter/new", data=NEW_DRAFT).status_code == 400
    assert "2.0" not in charters(personas.president)


@pytest.mark.usefixtures("csrf_enabled")
def test_cookie_post_with_the_form_token_is_accepted(app, personas, charter):
    browser = cookie_client(app, personas.president)
    visit_anonymously(app, "/cdm/charter/new")
    token = csrf_token(browser, "/cdm/charter/new")

    response = browser.post(
        "/cdm/charter/new", data={**NEW_DRAFT, "_csrf_token": token}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Draft 2.0 created." in response.get_data(as_text=True)
    assert "2.0" in charters(personas.president)


@pytest.mark.usefixtures("csrf_enabled")
def test_self_assessment_form_refuses_a_cookie_post_without_token(app, personas, charter, dataset):
    url = f"/dataset/{dataset['name']}/ethics/self-assessment"
    browser = cookie_client(app, personas.steward)
    visit_anonymously(app, url)

    response = browser.post(url, data={**form_answers(charter), "submit": "1"})
    assert response.status_code == 400
    review = helpers.call_action("cdm_review_list", context={"user": personas.steward})
    assert review["count"] == 0


# The action API


@pytest.mark.usefixtures("csrf_enabled")
def test_cookie_post_to_the_action_api_without_token_is_refused(app, personas, dataset):
    browser = cookie_client(app, personas.member)
    # Any anonymous call exempts the one view behind every action.
    visit_anonymously(app, "/api/3/action/status_show")

    response = browser.post(
        "/api/3/action/cdm_conflict_declare", json={"id": dataset["id"], "reason": "Forgé"}
    )
    assert response.status_code == 400
    assert not conflicts(dataset)


@pytest.mark.usefixtures("csrf_enabled")
def test_cookie_post_to_the_action_api_with_the_header_token_is_accepted(app, personas, dataset):
    browser = cookie_client(app, personas.member)
    token = csrf_token(browser, f"/dataset/{dataset['name']}/ethics")

    response = browser.post(
        "/api/3/action/cdm_conflict_declare",
        json={"id": dataset["id"], "reason": "Ancien employeur"},
        headers={"X-CSRFToken": token},
    )
    assert response.json["success"] is True
    assert conflicts(dataset) == {personas.member}


@pytest.mark.usefixtures("csrf_enabled")
def test_api_token_requests_need_no_csrf_token(app, personas, dataset):
    response = app.test_client().post(
        "/api/3/action/cdm_conflict_declare",
        json={"id": dataset["id"], "reason": "Ancien employeur"},
        headers=auth_headers(personas.member),
    )
    assert response.json["success"] is True
    assert conflicts(dataset) == {personas.member}


def conflicts(dataset: dict) -> set[str]:
    """The names of the members who declared a conflict on ``dataset``."""
    model.Session.remove()
    rows = model.Session.execute(
        sa.text(
            'SELECT u.name FROM cdm_conflict c JOIN "user" u ON u.id = c.user_id'
            " WHERE c.package_id = :id"
        ),
        {"id": dataset["id"]},
    )
    return set(rows.scalars())


# CKAN's own views


@pytest.mark.usefixtures("csrf_enabled")
def test_core_dataset_form_refuses_a_cookie_post_without_token(app, personas, clean_index):
    browser = cookie_client(app, personas.steward)
    new = {
        "name": "forged-dataset",
        "title": "Forged",
        "owner_org": personas.organization["id"],
        "save": "",
    }
    assert browser.post("/dataset/new", data=new).status_code == 400

    visit_anonymously(app, "/dataset/new")

    assert browser.post("/dataset/new", data=new).status_code == 400
    assert model.Package.get("forged-dataset") is None


@pytest.mark.usefixtures("csrf_enabled")
def test_anonymous_posts_keep_ckans_rules(app, personas):
    # Without a session there is no user to forge a request for: CKAN's
    # exemption of anonymous requests is unchanged.
    response = app.test_client().post("/api/3/action/status_show", json={})
    assert response.status_code == 200


# How the check is installed


def test_the_check_runs_after_ckans_exemption_and_flask_wtfs_check(app):
    hooks = [hook.__name__ for hook in app.flask_app.before_request_funcs[None]]
    ours = hooks.index("protect_session_requests")
    assert ours > hooks.index("ckan_before_request")
    assert ours > hooks.index("csrf_protect")


def test_a_wrapped_app_stops_the_start_up_rather_than_run_unprotected():
    with pytest.raises(RuntimeError, match="list cdm before"):
        csrf.install(object())
