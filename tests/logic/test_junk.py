"""No 500 on bad input: every registered ``cdm_`` action, fed generated junk
through the HTTP action API, as anonymous and as a sysadmin.

The list of actions is read from CKAN's action registry and the keys each
action knows from its docstring (``:param name:``), so an action added later
is fuzzed without editing this file. Hypothesis runs derandomized (the same
examples on every run) and with a bounded number of examples per action.
"""

from __future__ import annotations

import inspect
import logging
import re
from typing import Any

import pytest
from ckan import logic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import submit_dataset
from tests.helpers import auth_headers

EXAMPLES_PER_ACTION = 30
ERROR_STATUSES = {400, 403, 404, 409}
# Keys every action may be sent, whatever its docstring says.
COMMON_KEYS = ("id", "dataset", "user", "number", "state", "limit", "offset", "answers")
NASTY_STRINGS = [
    "",
    " ",
    "\t\n",
    "\x00",
    "abc\x00def",
    "\ud800",
    "a\udfffb",
    "x" * 100_000,
    "9" * 5_000,
    "2026-01-01" + "0" * 1_000,
    "99999-01-01",
    "2026-02-30",
    "2026-01-01T00:00:00",
    "01/02/2026",
    "0",
    "-1",
    str(2**63),
    "2**63",
    "1e309",
    "NaN",
    "oui",
    "non",
    "' OR 1=1 --",
    '"; DROP TABLE cdm_review; --',
    "%",
    "_",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "null",
    "[]",
    "{}",
    '{"fr": 1, "en": [2]}',
    "[" * 2_000 + "]" * 2_000,  # a JSON text too deep for Python's parser
    '{"fr": ' * 1_000 + '"x"' + "}" * 1_000,
]
# Bodies nesting too deep for CKAN's parser (~1,000 levels: a RecursionError,
# was a 500), just past the limit, and the same inside a string or a form key.
DEEP = 1_000


def deep_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def cdm_actions() -> list[str]:
    """Every registered action whose name starts with ``cdm_``."""
    logic.get_action("cdm_charter_list")  # fills the registry
    return sorted(name for name in logic._actions if name.startswith("cdm_"))


def documented_keys(action: str) -> list[str]:
    """The parameters named in the action's docstring (``:param a, b:`` too)."""
    doc = inspect.getdoc(inspect.unwrap(logic.get_action(action))) or ""
    keys: set[str] = set()
    for names in re.findall(r":param ([\w, ]+):", doc):
        keys.update(name.strip() for name in names.split(",") if name.strip())
    return sorted(keys | set(COMMON_KEYS))


def junk(plausible: list[Any]) -> st.SearchStrategy:
    """Any JSON value, weighted towards the ones that broke things before."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from([0, 1, -1, 2**31, 2**63, 2**64, -(2**63) - 1]),
        st.floats(),
        st.text(max_size=20),
        st.sampled_from(NASTY_STRINGS),
        st.uuids().map(str),
        st.sampled_from(plausible),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8) | st.sampled_from(["fr", "en", "code"]), inner),
        max_leaves=6,
    )


def structured(key: str, value: st.SearchStrategy, world: dict) -> st.SearchStrategy:
    """For the keys holding objects, objects of the right shape with junk inside."""
    translated = st.fixed_dictionaries({}, optional={"fr": value, "en": value})
    if key in ("title", "preamble", "description"):
        return value | translated
    if key == "answers":
        answer = st.fixed_dictionaries(
            {},
            optional={
                "status": value | st.sampled_from(["yes", "partly", "no", "not_applicable", ""]),
                "justification": value,
            },
        )
        return value | st.dictionaries(
            st.sampled_from(world["question_codes"]) | st.text(max_size=5), answer | value
        )
    if key == "principles":
        question = st.fixed_dictionaries({}, optional={"code": value, "fr": value, "en": value})
        principle = st.fixed_dictionaries(
            {},
            optional={
                "code": value | st.sampled_from(["purpose", "privacy"]),
                "title": translated,
                "description": translated,
                "questions": value | st.lists(question, max_size=2),
            },
        )
        return value | st.lists(principle, max_size=3)
    return value


def payloads(action: str, world: dict) -> st.SearchStrategy:
    value = junk(world["plausible"])
    known = {key: structured(key, value, world) for key in documented_keys(action)}
    return st.tuples(
        st.fixed_dictionaries({}, optional=known),
        st.dictionaries(st.text(max_size=10), value, max_size=2),
    ).map(lambda parts: {**parts[1], **parts[0]})


@pytest.fixture
def world(personas, charter, clean_index) -> dict:
    """Real objects, so that junk is also sent next to valid ids."""
    dataset, review = submit_dataset(personas.steward, personas.organization, charter)
    from ckan.tests import helpers

    from tests.logic.opinions import published

    # a published opinion: its id, number, review and session go with the junk
    _, opinion_review, opinion = published(personas, charter)

    seats = helpers.call_action("cdm_member_list", context={"user": personas.sysadmin})
    meeting = helpers.call_action(
        "cdm_meeting_create",
        context={"user": personas.member},
        title="Atelier",
        starts_at="2099-03-12T18:00",
        ends_at="2099-03-12T20:00",
        place="Salle 1",
    )
    return {
        "question_codes": [q["code"] for p in charter["principles"] for q in p["questions"]],
        "plausible": [
            dataset["id"],
            dataset["name"],
            review["id"],
            opinion_review["id"],
            opinion["id"],
            opinion["number"],
            opinion["session_id"],
            "favorable",
            seats[0]["id"],
            meeting["id"],
            "2099-03-12T21:00",
            "https://example.org/inscription",
            charter["id"],
            "1.0",
            "1.1",
            personas.steward,
            personas.member,
            personas.organization["name"],
            "research",
            "president",
            "open",
            "2026-03-01",
            "true",
            "false",
            "Une raison.",
        ],
    }


def _check(app, caplog, action: str, payload: dict, headers: dict, who: str) -> None:
    caplog.clear()
    response = app.post(f"/api/3/action/{action}", json=payload, headers=headers)
    status = response.status_code
    if status == 500:  # the API logs the exception: show it
        logged = [
            logging.Formatter().formatException(r.exc_info) for r in caplog.records if r.exc_info
        ]
        pytest.fail(f"{action} as {who} gave a 500 on {payload!r:.500}\n{''.join(logged)[-4000:]}")
    if status != 200:
        assert status in ERROR_STATUSES, f"{action} as {who}: {status} on {payload!r:.500}"
        assert response.json["success"] is False


def _fuzz(app, caplog, action: str, world: dict, headers: dict, who: str) -> None:
    @settings(
        max_examples=EXAMPLES_PER_ACTION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payload=payloads(action, world))
    def probe(payload: dict) -> None:
        _check(app, caplog, action, payload, headers, who)

    probe()


@pytest.mark.parametrize("who", ["anonymous", "sysadmin"])
def test_no_action_answers_junk_with_a_500(app, caplog, personas, world, who):
    headers = auth_headers(personas.sysadmin) if who == "sysadmin" else {}
    actions = cdm_actions()
    assert "cdm_review_submit" in actions  # the registry was read
    assert "rapporteur" in documented_keys("cdm_review_assign")  # and the docstrings
    assert "title" in documented_keys("cdm_charter_update")  # ":param number, title, …:"
    for action in actions:
        _fuzz(app, caplog, action, world, headers, who)


@pytest.mark.parametrize("depth", [DEEP, 33, 5_000])
def test_a_body_nested_too_deep_is_a_400_for_every_action(app, personas, depth):
    """Refused before CKAN parses it, with the API's error envelope, for the
    actions of cdm and CKAN's own; a body nesting as deep as the limit is read."""
    headers = {**auth_headers(personas.sysadmin), "Content-Type": "application/json"}
    body = '{"id": ' + deep_list(depth) + "}"
    for action in [*cdm_actions(), "package_create", "package_search", "status_show"]:
        response = app.post(f"/api/3/action/{action}", data=body, headers=headers)
        assert response.status_code == 400, (action, response.status_code)
        assert response.json["success"] is False
        assert "32" in response.json["error"]["message"], response.json
    # CKAN reads a form whose one key is the JSON
    form = {'{"q": ' + deep_list(depth) + "}": "1"}
    sysadmin = auth_headers(personas.sysadmin)
    response = app.post("/api/3/action/package_search", data=form, headers=sysadmin)
    assert response.status_code == 400
    assert response.json["error"]["__type"] == "Bad request"
    # a form value is a text (no JSON), and a body as deep as the limit is read
    form = {"q": deep_list(depth)}
    response = app.post("/api/3/action/package_search", data=form, headers=sysadmin)
    assert response.status_code != 500
    shallow = '{"id": ' + deep_list(31) + "}"  # 32 levels with the object
    response = app.post("/api/3/action/cdm_review_show", data=shallow, headers=headers)
    assert response.status_code == 409  # the action's own validation: "id" is no text
    assert "id" in response.json["error"]


def test_a_deep_json_text_in_a_field_is_a_validation_error(app, personas):
    """A JSON text inside a string field (a translated title) is parsed by the
    validators: too deep is the field's error, not a RecursionError."""
    headers = auth_headers(personas.sysadmin)
    payload = {"number": "9.9", "title": '{"fr": ' * DEEP + '"x"' + "}" * DEEP}
    response = app.post("/api/3/action/cdm_charter_create", json=payload, headers=headers)
    assert response.status_code == 409
    assert response.json["error"]["__type"] == "Validation Error"
    assert "title" in response.json["error"]
