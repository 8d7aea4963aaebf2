# ruff: noqa: F811  (the opinion fixtures are imported from test_views_opinion)
"""The forms of the session and of the publication (issue 18, point 7): a
refused vote marks its fields, the members recused are chosen among those
present, a proxy goes from an absent member to a present one, the triage
message is a text area, and the attendance form carries the quorum of each
count for its live line."""

from __future__ import annotations

import datetime as dt

from ckan.tests import helpers

from tests.helpers import auth_headers, page
from tests.test_views_opinion import VOTE, draft, held_session, in_review  # noqa: F401
from tests.test_views_session import convene, fullname


def _publish_page(app, personas, draft_id: str, data: dict | None = None):
    url = f"/cdm/opinions/draft/{draft_id}/publish"
    headers = auth_headers(personas.president)
    if data is None:
        return page(app.get(url, headers=headers))
    return page(app.post(url, data=data, headers=headers))


def test_a_refused_total_marks_every_count_and_the_summary_reaches_them(
    app, personas, draft, held_session
):
    soup = _publish_page(
        app, personas, draft["id"], {"session": held_session["id"], **VOTE, "votes_for": 5}
    )
    summary = soup.find(id="error-summary")
    assert summary.has_attr("autofocus")
    link = summary.find("a", href="#field-votes")
    assert link.get_text().startswith("Vote: The votes add up to 5")
    group = soup.find(id="field-votes")
    assert group["tabindex"] == "-1"  # following the link moves the focus to it
    for key in ("votes_for", "votes_against", "votes_abstain", "votes_not_voting"):
        field = soup.find(id=f"field-{key}")
        assert field["aria-invalid"] == "true", key
        assert "field-votes-error" in field["aria-describedby"].split(), key
    assert "add up to 5" in soup.find(id="field-votes-error").get_text()


def test_a_refused_recusal_marks_its_boxes(app, personas, draft, held_session):
    data = {"session": held_session["id"], **VOTE, "recused": "personne-inconnue"}
    soup = _publish_page(app, personas, draft["id"], data)
    group = soup.find(id="field-recused")
    assert group["tabindex"] == "-1"
    boxes = group.find_all("input", attrs={"name": "recused"})
    assert boxes
    for box in boxes:
        assert box["aria-invalid"] == "true"
        assert box["aria-describedby"] == "field-recused-error"


def test_the_members_recused_are_chosen_among_those_present(app, personas, draft, held_session):
    soup = _publish_page(app, personas, draft["id"])
    boxes = soup.find(id="field-recused").find_all("input", attrs={"name": "recused"})
    # the president and the member were present; the conflicted member was not
    assert sorted(b["value"] for b in boxes) == sorted([personas.president, personas.member])
    labels = [label.get_text() for label in soup.find(id="field-recused").find_all("label")]
    assert fullname(personas.conflicted_member) not in labels


def test_a_proxy_goes_from_an_absent_member_to_a_present_one(app, personas, submitted):
    headers = auth_headers(personas.president)
    session = convene(personas.president)
    url = f"/cdm/sessions/{session['id']}"

    def options(soup, select_id: str) -> list[str]:
        return [o["value"] for o in soup.find(id=select_id).find_all("option") if o["value"]]

    soup = page(app.get(url, headers=headers))
    assert options(soup, "field-proxy-holder") == []  # nobody present yet
    assert "Record the members present first" in soup.get_text()

    app.post(f"{url}/attendance", data={"attendance": [personas.president]}, headers=headers)
    soup = page(app.get(url, headers=headers))
    assert options(soup, "field-proxy-holder") == [personas.president]
    assert sorted(options(soup, "field-proxy-giver")) == sorted(
        [personas.member, personas.conflicted_member]
    )

    app.post(
        f"{url}/proxies",
        data={"giver": personas.member, "holder": personas.president},
        headers=headers,
    )
    soup = page(app.get(url, headers=headers))
    # a member who gave a proxy gives no second one
    assert options(soup, "field-proxy-giver") == [personas.conflicted_member]


def test_the_attendance_form_carries_the_quorum_of_each_count(app, personas):
    headers = auth_headers(personas.president)
    session = convene(personas.president)
    soup = page(app.get(f"/cdm/sessions/{session['id']}", headers=headers))
    form = soup.find(id="attendance").find_parent("form")
    assert form["data-module"] == "cdm-quorum"
    previews = {t["data-present"]: t for t in form.find_all("template")}
    # three members in office: 0 to 3 present, 2 needed
    assert sorted(previews) == ["0", "1", "2", "3"]
    assert previews["1"]["data-reached"] == "false"
    assert previews["2"]["data-reached"] == "true"
    text = " ".join(previews["2"].get_text(" ").split())
    assert "Quorum reached: 2 present or represented, 2 required" in text
    assert "not saved yet" in text

    shown = helpers.call_action("cdm_session_show", context={"user": ""}, id=session["id"])
    assert "quorum_previews" not in shown  # for those who change the session only


def test_the_triage_message_is_a_text_area(app, personas):
    soup = page(app.get("/cdm/dashboard", headers=auth_headers(personas.president)))
    message = soup.find(id="bulk-message")
    assert message.name == "textarea"
    assert (
        soup.find("label", attrs={"for": "bulk-message"})
        .get_text(strip=True)
        .startswith("Questions or changes")
    )


def test_a_member_present_with_a_declared_conflict_is_marked_and_ticked(
    app, personas, draft, held_session, in_review
):
    helpers.call_action(
        "cdm_conflict_declare",
        context={"user": personas.member},
        id=in_review["package_id"],
        reason="Je travaille pour le producteur.",
    )
    soup = _publish_page(app, personas, draft["id"])
    group = soup.find(id="field-recused")
    box = group.find("input", attrs={"value": personas.member})
    assert box.has_attr("checked")
    label = group.find("label", attrs={"for": box["id"]}).get_text(" ", strip=True)
    assert label.endswith("(declared a conflict of interest on this dataset)")
    president = group.find("input", attrs={"value": personas.president})
    assert not president.has_attr("checked")
    # refused for another reason, only the boxes concerned are marked
    data = {"session": held_session["id"], **VOTE, "recused": [personas.member, "inconnu"]}
    marked = _publish_page(app, personas, draft["id"], data).find(id="field-recused")
    assert marked.find("input", attrs={"value": personas.member})["aria-invalid"] == "true"
    assert not marked.find("input", attrs={"value": personas.president}).has_attr("aria-invalid")


def test_a_session_not_held_yet_is_named_not_offered(app, personas, draft, held_session, in_review):
    """The vote comes from a session held: one to come is said, not offered
    (it was offered, then refused on saving)."""
    from ckanext.cdm.model.base import today

    coming = helpers.call_action(
        "cdm_session_create",
        context={"user": personas.president},
        starts_at=f"{today() + dt.timedelta(days=20)}T18:00",
        place="Salle 2",
        agenda=[in_review["id"]],
    )
    soup = _publish_page(app, personas, draft["id"])
    offered = [o["value"] for o in soup.find(id="field-session").find_all("option") if o["value"]]
    assert offered == [held_session["id"]]
    assert coming["id"] not in offered
    note = soup.find("p", class_="cdm-notice").get_text(" ", strip=True)
    assert note.startswith("This review is on the agenda of the session of")
    assert "which has not been held yet" in note
    shown = helpers.call_action(
        "cdm_session_show", context={"user": personas.president}, id=coming["id"]
    )
    assert shown["held"] is False
