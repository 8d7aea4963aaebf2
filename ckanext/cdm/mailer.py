"""E-mails sent in batches, each batch over one SMTP connection.

CKAN's mailer (``ckan.lib.mailer.mail_recipient``) opens a connection, logs
in and quits for every message: a submission told to 26 members meant 26
connections. This sender reads the same ``smtp.*`` options and writes the
same messages (plain text, base64, ``From`` the site's title and
``smtp.mail_from``, ``Reply-to`` ``smtp.reply_to``), but sends a whole batch
over one connection.
"""

from __future__ import annotations

import email.policy
import logging
import smtplib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from email import utils
from email.message import EmailMessage
from typing import NamedTuple

import ckan
from ckan.plugins import toolkit as tk

log = logging.getLogger(__name__)


class Mail(NamedTuple):
    """One plain-text e-mail to one person (picklable: a job's argument)."""

    name: str
    email: str
    subject: str
    body: str


# Headers folded at 998 characters (RFC 5322's limit) rather than 78: the
# standard library's folding of a long subject splits it between two
# encoded-words at a space and drops the space (« “Capteurs d'affluence” »
# read as « “Capteursd'affluence” » by mail clients; CKAN's mailer too).
POLICY = email.policy.default.clone(max_line_length=998)


def message(mail: Mail) -> EmailMessage:
    """The message CKAN's mailer would write for ``mail`` (headers folded
    at 998 characters, see ``POLICY``)."""
    msg = EmailMessage(policy=POLICY)
    msg.set_content(mail.body, cte="base64")
    msg["Subject"] = mail.subject
    sender = tk.config.get("ckan.site_title") or ""
    msg["From"] = utils.formataddr((sender, tk.config.get("smtp.mail_from") or ""))
    msg["To"] = utils.formataddr((mail.name, mail.email))
    msg["Date"] = utils.formatdate(time.time())
    if not tk.config.get("ckan.hide_version"):
        msg["X-Mailer"] = f"CKAN {ckan.__version__}"
    if tk.config.get("smtp.reply_to"):
        msg["Reply-to"] = tk.config["smtp.reply_to"]
    return msg


def _host_and_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":") if ":" in server else (server, "", "")
    return host, int(port) if port.isdigit() else 25


@contextmanager
def connection() -> Iterator[smtplib.SMTP]:
    """One SMTP connection to ``smtp.server``, with STARTTLS (``smtp.starttls``)
    and a login (``smtp.user``, ``smtp.password``) as CKAN's mailer does."""
    host, port = _host_and_port(tk.config.get("smtp.server") or "")
    smtp = smtplib.SMTP(host, port, timeout=60)
    try:
        smtp.ehlo()
        if tk.config.get("smtp.starttls"):
            if not smtp.has_extn("STARTTLS"):
                raise smtplib.SMTPNotSupportedError("SMTP server does not support STARTTLS")
            smtp.starttls()
            smtp.ehlo()
        if tk.config.get("smtp.user"):
            smtp.login(tk.config["smtp.user"], tk.config.get("smtp.password") or "")
        yield smtp
    finally:
        try:
            smtp.quit()
        except smtplib.SMTPException:
            smtp.close()


def send(smtp: smtplib.SMTP, mail: Mail) -> bool:
    """Send ``mail`` over ``smtp``; False (and logged) if the server refuses
    this message alone (its recipient, its data): the batch goes on."""
    try:
        sender = tk.config.get("smtp.mail_from") or ""
        smtp.sendmail(sender, [mail.email], message(mail).as_string())
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, smtplib.SMTPSenderRefused):
        log.exception("cdm: e-mail to %s refused", mail.email)
        return False
    log.info("cdm: e-mail sent to %s", mail.email)
    return True


def send_all(mails: Iterable[Mail]) -> int:
    """Send ``mails`` over one connection; how many the server accepted. No
    ``smtp.server``: nothing is sent (as CKAN's mailer)."""
    mails = [Mail(*mail) for mail in mails]
    if not mails:
        return 0
    if not tk.config.get("smtp.server"):
        log.warning("cdm: smtp.server is not set, %d e-mails not sent", len(mails))
        return 0
    with connection() as smtp:
        return sum(send(smtp, mail) for mail in mails)


def send_emails(mails: list[Mail]) -> None:
    """Background job: the e-mails of one notification, over one connection.
    A connection that fails fails the job (in the worker's log)."""
    send_all(mails)
