"""E-mails of the review workflow: queued on the real Redis, run by a real
worker, delivered over SMTP to a local sink (aiosmtpd)."""

from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from ckan.lib import jobs
from ckan.tests import helpers


class Sink:
    """An SMTP server on 127.0.0.1 keeping what it receives, and counting the
    connections that delivered it (aiosmtpd gives each connection a session)."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.sessions: list[object] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        if not any(known is session for known in self.sessions):
            self.sessions.append(session)
        return "250 OK"

    @property
    def connections(self) -> int:
        return len(self.sessions)

    def clear(self) -> None:
        self.messages.clear()
        self.sessions.clear()

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if address in m["To"]]


@contextmanager
def sink_at(address: str) -> Iterator[Sink]:
    """A Sink listening at ``address`` (host:port) inside the block."""
    host, port = address.split(":")
    sink = Sink()
    controller = Controller(sink, hostname=host, port=int(port))
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def smtp_sink(ckan_config):
    with sink_at(ckan_config["smtp.server"]) as sink:
        yield sink


@contextmanager
def jobs_run_in_process() -> Iterator[None]:
    """What CKAN's clean_queues and with_test_worker fixtures do, for a
    module-scoped fixture: empty queues, jobs run by run_jobs() in this process."""
    import rq
    from ckan.tests.pytest_ckan.fixtures import _empty_queues

    _empty_queues()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rq.Worker, "main_work_horse", rq.SimpleWorker.main_work_horse)
        patch.setattr(rq.Worker, "execute_job", rq.SimpleWorker.execute_job)
        yield


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
        "[Metropolitan Data Committee] New review request: Capteurs d'affluence"
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
        "[Metropolitan Data Committee] Dataset resubmitted: Capteurs d'affluence"
    ]

    smtp_sink.messages.clear()
    helpers.call_action(
        "cdm_review_assign", context=committee, id=review["id"], rapporteur=personas.member
    )
    run_jobs()
    [assigned] = smtp_sink.messages
    assert member in assigned["To"]
    assert "is entrusted to you" in subject(assigned)


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
@pytest.mark.ckan_config("ckanext.cdm.notifications.enabled", False)
def test_notifications_can_be_switched_off(personas, dataset, smtp_sink):
    helpers.call_action("cdm_review_submit", context={"user": personas.steward}, id=dataset["id"])
    assert jobs.get_queue().count == 0
    run_jobs()
    assert smtp_sink.messages == []


def body_of(message: email.message.Message) -> str:
    return message.get_payload(decode=True).decode()


def choose_language(user: str, language: str) -> None:
    helpers.call_action("cdm_user_preferences_update", context={"user": user}, language=language)


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
def test_each_recipient_reads_the_email_in_their_language(personas, dataset, smtp_sink):
    """On an English site, a member who chose French gets a French e-mail
    whose link opens the French page; the president, who chose nothing,
    gets the site's English."""
    choose_language(personas.member, "fr")
    review = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )
    run_jobs()
    president, member = (
        email_of(u, personas.sysadmin) for u in (personas.president, personas.member)
    )
    ethics = f"/dataset/{dataset['name']}/ethics"

    [english] = smtp_sink.to(president)
    assert (
        subject(english) == "[Metropolitan Data Committee] New review request: Capteurs d'affluence"
    )
    assert "has been submitted for an ethics review" in body_of(english)
    assert f"http://test.ckan.net{ethics}\n" in body_of(english)

    [french] = smtp_sink.to(member)
    assert "[Comité métropolitain de la donnée] Nouvelle demande d’avis" in subject(french)
    assert "a été soumis à l’examen éthique" in body_of(french)
    assert f"http://test.ckan.net/fr{ethics}\n" in body_of(french)

    smtp_sink.messages.clear()
    helpers.call_action(
        "cdm_review_assign",
        context={"user": personas.president},
        id=review["id"],
        rapporteur=personas.member,
    )
    run_jobs()
    [assigned] = smtp_sink.to(member)
    assert "[Comité métropolitain de la donnée] Le rapport sur" in subject(assigned)


@pytest.mark.usefixtures("clean_queues", "with_test_worker")
@pytest.mark.ckan_config("ckan.locale_default", "fr")
def test_the_sites_language_is_the_default_and_english_can_be_chosen(personas, dataset, smtp_sink):
    choose_language(personas.steward, "en")
    review = helpers.call_action(
        "cdm_review_submit", context={"user": personas.steward}, id=dataset["id"]
    )
    run_jobs()
    [french] = smtp_sink.to(email_of(personas.president, personas.sysadmin))
    assert "Nouvelle demande d’avis" in subject(french)
    assert f"http://test.ckan.net/dataset/{dataset['name']}/ethics\n" in body_of(french)

    smtp_sink.messages.clear()
    helpers.call_action(
        "cdm_review_request_changes",
        context={"user": personas.president},
        id=review["id"],
        message="Précisez la durée de conservation.",
    )
    run_jobs()
    [english] = smtp_sink.messages
    assert (
        subject(english)
        == "[Metropolitan Data Committee] Changes requested on “Capteurs d'affluence”"
    )
    assert "Précisez la durée de conservation." in body_of(english)
    assert f"http://test.ckan.net/en/dataset/{dataset['name']}/ethics\n" in body_of(english)
