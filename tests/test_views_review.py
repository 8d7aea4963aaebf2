"""The review pages: the dataset's ethics tab, the self-assessment form, the
committee's dashboard and the steward's requests, for each role."""

from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers
from markupsafe import escape

from tests.conftest import complete_answers, submit_dataset
from tests.helpers import auth_headers


def form_answers(charter: dict, **overrides: dict) -> dict:
    """The self-assessment form, every question answered; ``overrides`` replace
    the answer of a question code (``fairness_2={"status": ""}``)."""
    data = {}
    for index, (code, answer) in enumerate(complete_answers(charter).items()):
        answer = {**answer, **overrides.get(code, {})}
        data[f"answers__{index}__code"] = code
        data[f"answers__{index}__status"] = answer["status"]
        data[f"answers__{index}__justification"] = answer["justification"]
    return data


def test_ethics_tab_is_on_the_dataset_page(app, dataset):
    body = app.get(f"/dataset/{dataset['name']}").body
    assert f"/dataset/{dataset['name']}/ethics" in body


def test_public_sees_the_state_and_the_history_but_no_buttons(app, submitted, dataset):
    body = app.get(f"/dataset/{dataset['name']}/ethics").body
    assert "submitted" in body
    assert "History of the review" in body
    assert "Withdraw the review" not in body
    assert "Take up the review" not in body


def test_steward_fills_in_and_submits_through_the_pages(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    headers = auth_headers(personas.steward)
    form = app.get(f"/dataset/{pkg['name']}/ethics/self-assessment", headers=headers)
    assert 'name="answers__0__status"' in form.body

    app.post(
        f"/dataset/{pkg['name']}/ethics/self-assessment",
        data={**form_answers(charter), "save": "1"},
        headers=headers,
    )
    saved = helpers.call_action("cdm_self_assessment_show", id=pkg["id"])
    assert saved["missing"] == []

    app.post(
        f"/dataset/{pkg['name']}/ethics/self-assessment",
        data={**form_answers(charter), "submit": "1", "message": "Pour avis"},
        headers=headers,
    )
    review = helpers.call_action(
        "cdm_review_show", context={"user": personas.steward}, dataset=pkg["id"]
    )
    assert review["state"] == "submitted"
    assert review["history"][0]["message"] == "Pour avis"


def test_incomplete_submission_from_the_form_names_the_principles(
    app, personas, charter, clean_index
):
    pkg = factories.Dataset(owner_org=personas.organization["id"])
    data = form_answers(charter, fairness_2={"status": ""})
    response = app.post(
        f"/dataset/{pkg['name']}/ethics/self-assessment",
        data={**data, "submit": "1"},
        headers=auth_headers(personas.steward),
    )
    assert "fairness" in response.body
    with pytest.raises(tk.ObjectNotFound):
        helpers.call_action("cdm_review_show", dataset=pkg["id"])


@pytest.mark.parametrize("persona", ["anonymous", "registered", "other_steward", "member"])
def test_only_stewards_reach_the_self_assessment_form(app, personas, dataset, persona):
    app.get(
        f"/dataset/{dataset['name']}/ethics/self-assessment",
        headers=auth_headers(personas.name(persona)),
        status=403,
    )


def test_committee_takes_up_the_review_from_the_tab(app, personas, submitted, dataset):
    headers = auth_headers(personas.president)
    body = app.get(f"/dataset/{dataset['name']}/ethics", headers=headers).body
    assert "Take up the review and name the rapporteur" in body
    assert f'value="{personas.conflicted_member}"' not in body  # conflict of interest
    app.post(
        f"/dataset/{dataset['name']}/ethics/assign",
        data={"review_id": submitted["id"], "rapporteur": personas.member},
        headers=headers,
    )
    assert helpers.call_action("cdm_review_show", id=submitted["id"])["state"] == "in_review"


def test_conflicted_member_sees_no_triage_buttons(app, personas, submitted, dataset):
    body = app.get(
        f"/dataset/{dataset['name']}/ethics", headers=auth_headers(personas.conflicted_member)
    ).body
    assert "Take up the review" not in body
    assert "Ask for changes" not in body


def test_request_for_changes_and_withdrawal_from_the_tab(app, personas, submitted, dataset):
    app.post(
        f"/dataset/{dataset['name']}/ethics/request-changes",
        data={"review_id": submitted["id"], "message": "Quelle durée de conservation ?"},
        headers=auth_headers(personas.member),
    )
    body = app.get(
        f"/dataset/{dataset['name']}/ethics/self-assessment", headers=auth_headers(personas.steward)
    ).body
    assert "Quelle durée de conservation ?" in body
    app.post(
        f"/dataset/{dataset['name']}/ethics/withdraw",
        data={"review_id": submitted["id"]},
        headers=auth_headers(personas.steward),
    )
    assert helpers.call_action("cdm_review_show", id=submitted["id"])["state"] == "withdrawn"


def test_forged_triage_by_a_steward_is_refused(app, personas, submitted, dataset):
    app.post(
        f"/dataset/{dataset['name']}/ethics/assign",
        data={"review_id": submitted["id"], "rapporteur": personas.member},
        headers=auth_headers(personas.steward),
        status=403,
    )


def test_private_dataset_tab_is_hidden_from_others(app, personas, charter, clean_index):
    pkg = factories.Dataset(owner_org=personas.organization["id"], private=True)
    for persona in ("anonymous", "other_steward"):
        app.get(
            f"/dataset/{pkg['name']}/ethics",
            headers=auth_headers(personas.name(persona)),
            status=404,
        )


def test_dashboard_lists_reviews_by_state_and_my_files(app, personas, submitted, dataset):
    helpers.call_action(
        "cdm_review_assign",
        context={"user": personas.president},
        id=submitted["id"],
        rapporteur=personas.member,
    )
    body = app.get("/cdm/dashboard", headers=auth_headers(personas.member)).body
    assert "My rapporteur files" in body
    assert escape(dataset["title"]) in body
    assert "in review" in body


@pytest.mark.parametrize("persona", ["anonymous", "registered", "steward"])
def test_dashboard_is_for_the_committee(app, personas, persona):
    app.get("/cdm/dashboard", headers=auth_headers(personas.name(persona)), status=403)


def test_bulk_triage_assigns_several_reviews(app, personas, submitted, charter):
    _, second = submit_dataset(personas.other_steward, personas.other_organization, charter)
    app.post(
        "/cdm/dashboard/triage",
        data={
            "review_id": [submitted["id"], second["id"]],
            "rapporteur": personas.member,
            "operation": "assign",
        },
        headers=auth_headers(personas.president),
    )
    states = {
        helpers.call_action("cdm_review_show", id=r["id"])["state"] for r in (submitted, second)
    }
    assert states == {"in_review"}


def test_steward_sees_my_requests_on_the_dashboard(app, personas, submitted, dataset):
    body = app.get("/dashboard/ethics", headers=auth_headers(personas.steward)).body
    assert escape(dataset["title"]) in body
    assert (
        "/dashboard/ethics"
        in app.get("/dashboard/datasets", headers=auth_headers(personas.steward)).body
    )


def test_committee_opens_the_tab_of_a_private_dataset_it_examines(
    app, personas, charter, clean_index
):
    pkg, _ = submit_dataset(
        personas.other_steward, personas.other_organization, charter, private=True
    )
    body = app.get(f"/dataset/{pkg['name']}/ethics", headers=auth_headers(personas.member)).body
    assert "Take up the review and name the rapporteur" in body
    app.get(f"/dataset/{pkg['name']}/ethics", headers=auth_headers(personas.registered), status=404)


def test_exchanges_between_committee_and_steward_are_not_public(app, personas, submitted, dataset):
    helpers.call_action(
        "cdm_review_request_changes",
        context={"user": personas.president},
        id=submitted["id"],
        message="Message réservé au responsable",
    )
    url = f"/dataset/{dataset['name']}/ethics"
    assert "Message réservé au responsable" not in app.get(url).body
    assert "waiting for changes" in app.get(url).body
    steward_page = app.get(url, headers=auth_headers(personas.steward)).body
    assert "Message réservé au responsable" in steward_page


def test_bulk_triage_goes_on_past_a_refused_review(app, personas, submitted, charter):
    _, second = submit_dataset(personas.other_steward, personas.other_organization, charter)
    # the conflicted member may not triage the first (their organization's) review
    app.post(
        "/cdm/dashboard/triage",
        data={
            "review_id": [submitted["id"], second["id"]],
            "rapporteur": personas.member,
            "operation": "assign",
        },
        headers=auth_headers(personas.conflicted_member),
    )
    assert helpers.call_action("cdm_review_show", id=submitted["id"])["state"] == "submitted"
    assert helpers.call_action("cdm_review_show", id=second["id"])["state"] == "in_review"


def test_activity_stream_shows_the_submission_in_words(app, personas, submitted, dataset):
    body = app.get(f"/dataset/activity/{dataset['name']}").body
    assert "for an ethics review" in body


def test_public_history_names_people_by_full_name_not_login(app, personas, dataset):
    helpers.call_action("user_patch", id=personas.steward, fullname="Camille Intendante")
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    page = app.get(f"/dataset/{dataset['name']}/ethics").body
    history = page[page.index("cdm-history") :]
    assert "Camille Intendante" in history
    assert personas.steward not in history
    shown = helpers.call_action("cdm_review_show", context={"user": ""}, dataset=dataset["id"])
    assert shown["history"][0]["actor"] is None
    assert shown["history"][0]["actor_display_name"] == "Camille Intendante"


# Issue 8: what a person sees on the committee's pages


def test_dashboard_filters_by_state_are_links_not_html_text(app, personas, submitted):
    from tests.helpers import page

    for lang in ("", "/fr"):
        soup = page(app.get(f"{lang}/cdm/dashboard", headers=auth_headers(personas.president)))
        sidebar = soup.find(id="reviews-by-state").find_parent("nav")
        assert "<a" not in sidebar.get_text()
        link = sidebar.find("a", href=f"{lang}/cdm/dashboard?state=submitted")
        assert link is not None
        assert link.get_text(strip=True).replace("\xa0", " ") in ("Submitted: 1", "Soumis : 1")


def test_rapporteur_lists_start_with_an_empty_choice(app, personas, submitted, dataset):
    from tests.helpers import page

    headers = auth_headers(personas.president)
    tab = page(app.get(f"/dataset/{dataset['name']}/ethics", headers=headers))
    first = tab.find(id="rapporteur").find("option")
    assert first["value"] == ""
    assert first.get_text() == "Choose a member"
    selected = tab.find(id="rapporteur").find_all("option", selected=True)
    assert [o["value"] for o in selected] in ([], [""])  # nobody is preselected
    board = page(app.get("/cdm/dashboard", headers=headers))
    first = board.find(id="bulk-rapporteur").find("option")
    assert first["value"] == ""
    assert first.get_text() == "Choose a member"


def test_assignment_message_names_the_rapporteur_and_the_dataset(app, personas, submitted, dataset):
    from tests.helpers import page, visible_text

    member = helpers.call_action("user_show", id=personas.member)
    response = app.post(
        f"/dataset/{dataset['name']}/ethics/assign",
        data={"review_id": submitted["id"], "rapporteur": personas.member},
        headers=auth_headers(personas.president),
    )
    text = visible_text(page(response))
    assert f"{member['fullname']} is now the rapporteur of “{dataset['title']}”." in text


@pytest.mark.ckan_config("ckanext.cdm.page_size", 1)
def test_dashboard_pages_with_ckan_pagination(app, personas, submitted, charter):
    from tests.helpers import page

    submit_dataset(personas.other_steward, personas.other_organization, charter, title="Second")
    headers = auth_headers(personas.president)
    soup = page(app.get("/cdm/dashboard?state=submitted", headers=headers))
    assert len(soup.find(class_="cdm-reviews", attrs=None).find_all("tr")) >= 1
    listed = soup.find_all("table")[1].find("tbody").find_all("tr")
    assert len(listed) == 1
    pager = soup.find(class_="pagination-wrapper")
    assert pager.find("a", href="/cdm/dashboard?page=2&state=submitted") or pager.find(
        "a", href="/cdm/dashboard?state=submitted&page=2"
    )
    second = page(app.get("/cdm/dashboard?state=submitted&page=2", headers=headers))
    assert len(second.find_all("table")[1].find("tbody").find_all("tr")) == 1


def test_french_pages_use_french_dates_plurals_and_typography(app, personas, submitted, dataset):
    import re

    from tests.helpers import page

    headers = auth_headers(personas.steward)
    soup = page(app.get(f"/fr/dataset/{dataset['name']}/ethics", headers=headers))
    date = soup.find(class_="cdm-history").find("tbody").find("td").get_text(strip=True)
    # « 1er janvier 2027 à 00:05 »: the first of a month is written 1er
    assert re.fullmatch(r"\d{1,2}(?:er)? [a-zéû]+ \d{4} à \d{2}:\d{2}", date), date
    assert "État de l’examen\xa0:" in soup.find(class_="cdm-review-state").get_text()
    mine = page(app.get("/fr/dashboard/ethics", headers=headers))
    waiting = mine.find("td", attrs={"data-label": "Délai d’attente"}).get_text(strip=True)
    assert waiting == "0\xa0jour"
    english = page(app.get("/dashboard/ethics", headers=headers))
    assert english.find("td", attrs={"data-label": "Waiting"}).get_text(strip=True) == "0 days"
    assert "(s)" not in english.get_text()


def test_review_tables_stack_on_narrow_screens(app, personas, submitted, dataset):
    from tests.helpers import page

    soup = page(app.get("/dashboard/ethics", headers=auth_headers(personas.steward)))
    table = soup.find("table", class_="cdm-table")
    headers = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    cells = table.find("tbody").find("tr").find_all("td")
    assert [td["data-label"] for td in cells] == headers


def test_dataset_page_shows_the_state_of_its_review(app, personas, submitted, dataset):
    from tests.helpers import page

    soup = page(app.get(f"/dataset/{dataset['name']}"))
    box = soup.find(class_="cdm-dataset-review")
    assert "State of the review: submitted" in " ".join(box.get_text().split())
    assert box.find("a", href=f"/dataset/{dataset['name']}/ethics")


def test_junk_page_numbers_are_a_400_not_a_500(app, personas, submitted):
    for url in ("/dashboard/ethics?page=999999999", "/cdm/dashboard?page=999999999"):
        app.get(url, headers=auth_headers(personas.president), status=400)


def test_bulk_triage_is_refused_to_those_outside_the_committee(app, personas, submitted):
    for persona in ("registered", "steward"):
        app.post(
            "/cdm/dashboard/triage",
            data={"review_id": submitted["id"], "operation": "assign", "rapporteur": ""},
            headers=auth_headers(personas.name(persona)),
            status=403,
        )


def test_bulk_triage_names_what_is_missing(app, personas, submitted):
    from tests.helpers import page, visible_text

    headers = auth_headers(personas.president)
    for operation, expected in (
        ("assign", "Choose the rapporteur."),
        ("request_changes", "Write the changes you ask of the steward."),
    ):
        response = app.post(
            "/cdm/dashboard/triage",
            data={"review_id": submitted["id"], "operation": operation, "rapporteur": ""},
            headers=headers,
            follow_redirects=True,
        )
        assert expected in visible_text(page(response))
    assert helpers.call_action("cdm_review_show", id=submitted["id"])["state"] == "submitted"


def _submit_buttons(soup) -> list[str]:
    return [
        " ".join(b.get_text().split())
        for b in soup.find_all("button", type="submit")
        if "ubmit to the committee" in b.get_text()
    ]


def test_after_a_self_referral_the_steward_sends_the_self_assessment_from_the_pages(
    app, personas, charter, dataset
):
    """The committee took the dataset up on its own initiative: the steward's
    tab and form offer to send the answers, and sending them joins the review
    (the steward may send new answers as long as the review is open)."""
    from tests.helpers import page

    review = helpers.call_action(
        "cdm_review_open", context={"user": personas.president}, dataset=dataset["id"]
    )
    headers = auth_headers(personas.steward)
    tab = page(app.get(f"/dataset/{dataset['name']}/ethics", headers=headers))
    assert _submit_buttons(tab) == ["Submit to the committee"]
    form = page(app.get(f"/dataset/{dataset['name']}/ethics/self-assessment", headers=headers))
    assert _submit_buttons(form) == ["Save and submit to the committee"]
    app.post(
        f"/dataset/{dataset['name']}/ethics/submit",
        data={"message": "Nos réponses."},
        headers=headers,
        status=200,
    )
    shown = helpers.call_action(
        "cdm_review_show", context={"user": personas.steward}, id=review["id"]
    )
    assert shown["self_assessment"] == complete_answers(charter)
    assert [e["action"] for e in shown["history"]] == ["self_referral", "attach_self_assessment"]
    assert shown["state"] == "submitted"  # answering moves no state


def test_the_ethics_tab_of_a_deleted_dataset_still_shows_its_review(
    app, personas, submitted, dataset
):
    """The review outlives the dataset (its audit trail is never lost); nothing
    new starts on a deleted dataset."""
    from tests.helpers import page, visible_text

    helpers.call_action("package_delete", context={"user": personas.sysadmin}, id=dataset["id"])
    for user in (personas.steward, personas.sysadmin):
        soup = page(app.get(f"/dataset/{dataset['name']}/ethics", headers=auth_headers(user)))
        assert "submitted" in visible_text(soup)
        assert _submit_buttons(soup) == []
        ethics = helpers.call_action(
            "cdm_dataset_ethics_show", context={"user": user}, id=dataset["id"]
        )
        assert ethics["review"]["id"] == submitted["id"]
        assert ethics["allowed_actions"] == ethics["review"]["allowed_actions"]
        assert not {"submit", "self_referral"} & set(ethics["allowed_actions"])
    app.get(
        f"/dataset/{dataset['name']}/ethics", headers=auth_headers(personas.registered), status=404
    )
