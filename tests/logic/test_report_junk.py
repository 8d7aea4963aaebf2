"""No 500 on junk sent to the report actions by the president: test_junk.py
fuzzes every action as anonymous and as a sysadmin, who may neither write nor
publish the report, so the validation of those two is fuzzed here."""

from __future__ import annotations

from tests.helpers import auth_headers
from tests.logic.test_junk import _fuzz, world  # noqa: F401


def test_report_actions_answer_the_president_s_junk_without_a_500(
    app,
    caplog,
    personas,
    world,  # noqa: F811
):
    headers = auth_headers(personas.president)
    for action in ("cdm_report_update", "cdm_report_publish", "cdm_report_show"):
        _fuzz(app, caplog, action, world, headers, "president")
