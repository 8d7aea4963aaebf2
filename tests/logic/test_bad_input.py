"""The bad input found by hand (issue 7), kept as plain regression tests next
to the fuzz test of ``test_junk.py``: each answers 400, 403, 404 or 409
naming the field, never 500."""

from __future__ import annotations

from ckan.tests import factories

from ckanext.cdm.data import read_charter
from tests.helpers import auth_headers


def _post(app, action: str, payload: dict, headers: dict | None = None):
    return app.post(f"/api/3/action/{action}", json=payload, headers=headers or {})


def test_include_ended_must_be_a_boolean(app, personas):
    response = _post(app, "cdm_member_list", {"include_ended": "oui"})
    assert response.status_code == 409
    assert "include_ended" in response.json["error"]
    assert _post(app, "cdm_member_list", {"include_ended": "true"}).status_code == 200


def test_committee_page_refuses_a_history_flag_it_cannot_read(app, personas):
    response = app.get("/cdm/committee?history=oui")
    assert response.status_code == 400
    assert "true or false" in response.get_data(as_text=True)
    assert app.get("/cdm/committee?history=1").status_code == 200
    assert app.get("/cdm/committee?history=").status_code == 200


def test_pages_answer_junk_in_the_url_with_a_404_or_a_400(app, personas):
    president, member = auth_headers(personas.president), auth_headers(personas.member)
    for number in ("%00", "%ED%A0%80", "0"):
        assert app.get(f"/cdm/charter/{number}", headers=president).status_code == 404
        assert app.get(f"/cdm/charter/{number}/edit", headers=president).status_code == 404
    for url in ("/dataset/%00/ethics", "/dataset/%00/ethics/self-assessment"):
        assert app.get(url, headers=auth_headers(personas.sysadmin)).status_code == 404
    for query in ("state=junk", "state=%00", "page=99999999"):
        assert app.get(f"/cdm/dashboard?{query}", headers=member).status_code == 400


def test_limit_and_offset_are_bounded(app, personas):
    response = _post(app, "cdm_review_list", {"offset": 2**63})
    assert response.status_code == 409
    assert "offset" in response.json["error"]
    response = _post(app, "cdm_review_list", {"limit": 101})
    assert "limit" in response.json["error"]


def test_nul_bytes_and_lone_surrogates_in_ids_are_refused(app, personas):
    headers = auth_headers(personas.sysadmin)
    for action in ("cdm_review_show", "cdm_charter_show", "cdm_review_withdraw"):
        for junk_id in ("abc\x00", "\ud800"):
            response = _post(app, action, {"id": junk_id}, headers)
            assert response.status_code == 409, (action, response.json)
            assert "id" in response.json["error"]


def test_a_list_as_dataset_id_never_reaches_the_database(app, personas):
    for headers in ({}, auth_headers(personas.steward)):
        for action in ("cdm_review_submit", "cdm_self_assessment_show", "cdm_review_show"):
            response = _post(app, action, {"id": ["a", "b"], "dataset": {"x": 1}}, headers)
            assert response.status_code in (403, 409), (action, response.json)


def test_a_list_is_not_silently_turned_into_a_string(app, personas):
    headers = auth_headers(personas.sysadmin)
    response = _post(app, "cdm_member_delete", {"id": ["x"], "reason": ["a", "b"]}, headers)
    assert response.status_code == 409
    assert set(response.json["error"]) >= {"id", "reason"}


def test_mandate_start_cannot_be_emptied(app, personas):
    headers = auth_headers(personas.sysadmin)
    seat = _post(app, "cdm_member_list", {}, headers).json["result"][0]
    response = _post(app, "cdm_member_update", {"id": seat["id"], "mandate_start": ""}, headers)
    assert response.status_code == 409
    assert "mandate_start" in response.json["error"]


def test_dates_are_iso_days_only(app, personas):
    headers = auth_headers(personas.sysadmin)
    user = factories.User()["name"]
    for date in ("2026-01-01T00:00:00", "01/02/2026", "9" * 5000, "2026-02-30"):
        data = {"user": user, "college": "research", "mandate_start": date}
        response = _post(app, "cdm_member_create", data, headers)
        assert response.status_code == 409, date
        assert "mandate_start" in response.json["error"]


def test_junk_charter_numbers_are_refused(app, personas):
    headers = auth_headers(personas.president)
    for number in ("0", str(2**63), "1", "1.0.0.0", "1000.0", 1.0, "v1.0"):
        response = _post(app, "cdm_charter_create", {**read_charter(), "number": number}, headers)
        assert response.status_code == 409, number
        assert "number" in response.json["error"]
