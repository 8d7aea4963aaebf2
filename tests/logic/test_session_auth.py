"""Auth matrix of the session actions: the president in office and sysadmins
run sessions; everyone reads them (the actions filter what each one sees)."""

from __future__ import annotations

import pytest
from ckan.tests import helpers

from tests.conftest import PERSONAS, is_authorized

PRESIDENT_AND_SYSADMIN = {p: p in ("president", "sysadmin") for p in PERSONAS}
EVERYONE = dict.fromkeys(PERSONAS, True)

MATRIX = [
    ("cdm_session_create", PRESIDENT_AND_SYSADMIN),
    ("cdm_session_update", PRESIDENT_AND_SYSADMIN),
    ("cdm_session_show", EVERYONE),
    ("cdm_session_list", EVERYONE),
]


@pytest.mark.parametrize(("auth", "expected"), MATRIX, ids=[a for a, _ in MATRIX])
def test_session_auth_matrix(personas, auth, expected):
    session = helpers.call_action(
        "cdm_session_create",
        context={"user": personas.president},
        starts_at="2026-03-12T18:00",
        place="Salle 1",
    )
    outcome = {p: is_authorized(auth, personas.name(p), id=session["id"]) for p in PERSONAS}
    assert outcome == expected


def test_a_president_whose_mandate_ended_no_longer_runs_sessions(personas):
    seat = next(
        s
        for s in helpers.call_action("cdm_member_list", context={"user": personas.sysadmin})
        if s["user_name"] == personas.president
    )
    helpers.call_action("cdm_member_delete", context={"user": personas.sysadmin}, id=seat["id"])
    assert not is_authorized("cdm_session_create", personas.president)
