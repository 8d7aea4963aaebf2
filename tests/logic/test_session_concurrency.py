"""The proxy cap holds under parallel requests: the session's row lock
serialises them, and the second request sees the first one's proxy."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories, helpers

from ckanext.cdm.model import AuditEvent, Proxy
from tests.conftest import seat
from tests.logic.test_concurrency import ROUNDS, call, race


@pytest.mark.committing  # threads, each with its own session
def test_two_proxies_to_the_same_holder_at_once_with_a_cap_of_one(app, personas):
    extra = factories.User()["name"]
    seat(personas.sysadmin, extra, "business")
    president = personas.president
    holder = model.User.get(president).id
    for _ in range(ROUNDS):
        session = helpers.call_action(
            "cdm_session_create",
            context={"user": president},
            starts_at="2026-03-12T18:00",
            place="Salle 1",
        )
        call("cdm_session_update", president, id=session["id"], attendance=[president])
        outcomes = race(
            app,
            *(
                lambda giver=giver, s=session: call(
                    "cdm_session_update",
                    president,
                    id=s["id"],
                    add_proxy={"giver": giver, "holder": president},
                )
                for giver in (personas.member, extra)
            ),
        )
        assert sorted(outcomes) == ["ok", "refused"], outcomes
        model.Session.expire_all()
        proxies = model.Session.execute(
            sa.select(Proxy).where(Proxy.session_id == session["id"])
        ).scalars()
        assert [p.holder_id for p in proxies] == [holder]
        events = model.Session.execute(
            sa.select(AuditEvent.action).where(
                AuditEvent.object_id == session["id"], AuditEvent.action == "proxies"
            )
        ).scalars()
        assert list(events) == ["proxies"]
