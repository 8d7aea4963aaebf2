"""E-mails of the review workflow: queued on the real Redis, run by a real
worker, delivered over SMTP to a local sink (aiosmtpd)."""

from __future__ import annotations

import email
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from ckan.lib import jobs
from ckan.tests import helpers


class Sink:
    """An SMTP server on 127.0.0.1 keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp_sink(ckan_config):
    host, port = ckan_config["smtp.server"].split(":")
    sink = Sink()
    controller = Controller(sink, hostname=host, port=int(port))
    controller.start()
    yield sink
    controller.stop()


def run_jobs() -> None:
    jobs.Worker().work(burst=True)


def subject(message: email.message.Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def email_of(user: str, sysadmin: str) -> str:
    return helpers.call_action("user_show", context={"user": sysadmin}, id=user)["email"]


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_the_whole_path_sends_each_email_to_the_right_people(personas, dataset, smtp_sink):
    steward = {"user": personas.steward}
    committee = {"user": personas.president}
    review = helpers.call_action("cdm_review_submit", context=steward, id=dataset["id"])
    run_jobs()
    president, member, conflicted = (
        email_of(u, personas.sysadmin)
        for u in (personas.president, personas.member, personas.conflicted_member)
    )
    assert [subject(m) for m in smtp_sink.to(president)] == [
        "[Data committee] New review request: Capteurs d'affluence"
    ]
    assert smtp_sink.to(member)
    assert smtp_sink.to(conflicted) == []  # a member of the dataset's organization
    assert (
        "/dataset/" + dataset["name"] + "/ethics"
        in smtp_sink.to(member)[0].get_payload(decode=True).decode()
    )

    smtp_sink.messages.clear()
    helpers.call_action(
        "cdm_review_request_changes",
        context=committee,
        id=review["id"],
        message="Précisez la durée de conservation.",
    )
    run_jobs()
    steward_email = email_of(personas.steward, personas.sysadmin)
    [asked] = smtp_sink.messages
    assert steward_email in asked["To"]
    assert "Précisez la durée de conservation." in asked.get_payload(decode=True).decode()

    smtp_sink.messages.clear()
    helpers.call_action("cdm_review_submit", context=steward, id=dataset["id"])
    run_jobs()
    assert [subject(m) for m in smtp_sink.to(president)] == [
        "[Data committee] Dataset resubmitted: Capteurs d'affluence"
    ]

    smtp_sink.messages.clear()
    helpers.call_action(
        "cdm_review_assign", context=committee, id=review["id"], rapporteur=personas.member
    )
    run_jobs()
    [assigned] = smtp_sink.messages
    assert member in assigned["To"]
    assert "rapporteur" in subject(assigned)


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
@pytest.mark.ckan_config("ckanext.cdm.notifications.enabled", False)
def test_notifications_can_be_switched_off(personas, dataset, smtp_sink):
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    assert jobs.get_queue().count == 0
    run_jobs()
    assert smtp_sink.messages == []
