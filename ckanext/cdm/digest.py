"""The daily digest: the e-mails held for the committee members who chose it
(``model/digest.py``), sent in one e-mail per member by ``ckan cdm
notifications digest`` (through ``cdm_notification_digest_send``), run from
cron once a day.

Each member's items are read under a row lock (``FOR UPDATE SKIP LOCKED``),
sent, then deleted in the same transaction: a second run, even one started
at the same time, finds nothing to send again. All the digests of a run go
over one SMTP connection.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.cdm import mailer, notifications, user_extras
from ckanext.cdm.model.digest import DigestItem
from ckanext.cdm.model.member import Member

log = logging.getLogger(__name__)


def pending_users() -> list[str]:
    """The ids of the users with e-mails waiting for their digest."""
    query = sa.select(DigestItem.user_id).distinct().order_by(DigestItem.user_id)
    return list(model.Session.execute(query).scalars())


def _items_of(user_id: str) -> list[DigestItem]:
    """``user_id``'s waiting items, locked (those another run holds are skipped)."""
    query = (
        sa.select(DigestItem)
        .where(DigestItem.user_id == user_id)
        .order_by(DigestItem.created, DigestItem.id)
        .with_for_update(skip_locked=True)
    )
    return list(model.Session.execute(query).scalars())


def compose(user: model.User, items: list[DigestItem]) -> tuple[str, str]:
    """The digest's subject and body, in ``user``'s language: each e-mail of
    the day as it was written, under its subject."""
    with notifications.in_language(user_extras.language(user)):
        subject = notifications.tagged(tk._("Your daily digest"))
        intro = tk._(
            "The data committee's notifications since your last digest: {count}.\n"
            "Your e-mail preferences: {url}\n"
        ).format(count=len(items), url=notifications.link("cdm_user.preferences", id=user.name))
    parts = [intro]
    for item in items:
        parts.append(f"{'=' * 8}\n{item.subject}\n\n{item.body.rstrip()}\n")
    return subject, "\n".join(parts)


def _still_reachable(user: model.User | None) -> bool:
    """An active account with an e-mail address, of a member still in office
    (the digest is the committee's: a former member's items are dropped)."""
    if user is None or not user.email or user.state != "active":
        return False
    return Member.in_office_for(user.id) is not None


def send_digests() -> dict[str, int]:
    """Send every waiting digest; how many ``recipients`` and ``items``.

    A user whose account is no longer active or has no e-mail address, or
    who no longer holds a seat in office, loses their items. A server
    refusing one digest keeps its items for the next run; a connection that
    fails stops the run (the items not sent wait)."""
    users = pending_users()
    sent = {"recipients": 0, "items": 0}
    if not users:
        return sent
    if not tk.config.get("smtp.server"):
        log.warning("cdm: smtp.server is not set, the digests wait")
        return sent
    with mailer.connection() as smtp:
        for user_id in users:
            items = _items_of(user_id)
            user = model.User.get(user_id)
            if items and _still_reachable(user):
                subject, body = compose(user, items)
                mail = mailer.Mail(user.fullname or user.name, user.email, subject, body)
                if not mailer.send(smtp, mail):
                    model.Session.rollback()
                    continue
                sent["recipients"] += 1
                sent["items"] += len(items)
            for item in items:
                model.Session.delete(item)
            model.repo.commit()
    return sent
