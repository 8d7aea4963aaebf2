"""E-mails of the review workflow, sent by background jobs through CKAN's mailer.

Who is told what (see docs/notifications.md):

- submission and resubmission → the committee members in office without a
  conflict of interest on the dataset;
- assignment → the rapporteur;
- resubmission of a review that keeps its rapporteur → the rapporteur only;
- a rapporteur who steps down (conflict of interest) → the president;
- request for changes → the steward who submitted the latest round.
"""

from __future__ import annotations

import logging

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.cdm import authz, config
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.review import Review

log = logging.getLogger(__name__)
Recipient = tuple[str, str]  # (display name, e-mail)


def send_email(name: str, email: str, subject: str, body: str) -> None:
    """Background job: one e-mail through CKAN's mailer (smtp.* options)."""
    from ckan.lib.mailer import mail_recipient

    mail_recipient(name, email, subject, body)


def _recipient(user: model.User | None) -> list[Recipient]:
    if user is None or not user.email or user.state != "active":
        return []
    return [(user.fullname or user.name, user.email)]


def _ethics_url(review: Review) -> str:
    return f"{tk.config['ckan.site_url'].rstrip('/')}/dataset/{review.dataset_name}/ethics"


def _send(recipients: list[Recipient], subject: str, body: str) -> None:
    if not config.notifications_enabled():
        return
    for name, email in recipients:
        tk.enqueue_job(send_email, [name, email, subject, body], title=f"cdm e-mail: {subject}")


def review_submitted(review: Review, resubmitted: bool) -> None:
    package = model.Package.get(review.package_id)
    conflicted = authz.conflicted_user_ids(package) if package else set()
    recipients: list[Recipient] = []
    for seat in Member.seats():
        if seat.in_office() and seat.user_id not in conflicted:
            recipients += _recipient(seat.user)
    if resubmitted:
        subject = tk._("[Data committee] Dataset resubmitted: {title}")
    else:
        subject = tk._("[Data committee] New review request: {title}")
    body = tk._(
        "The dataset “{title}” has been submitted for an ethics review.\n\n"
        "Read the request and its self-assessment: {url}\n"
    )
    _send(
        recipients,
        subject.format(title=review.dataset_title),
        body.format(title=review.dataset_title, url=_ethics_url(review)),
    )


def rapporteur_assigned(review: Review) -> None:
    rapporteur = model.User.get(review.rapporteur_id) if review.rapporteur_id else None
    subject = tk._("[Data committee] You are the rapporteur of “{title}”")
    body = tk._(
        "The committee has taken up the review of the dataset “{title}” and made "
        "you its rapporteur.\n\nThe file: {url}\n"
    )
    _send(
        _recipient(rapporteur),
        subject.format(title=review.dataset_title),
        body.format(title=review.dataset_title, url=_ethics_url(review)),
    )


def back_to_rapporteur(review: Review) -> None:
    rapporteur = model.User.get(review.rapporteur_id) if review.rapporteur_id else None
    subject = tk._("[Data committee] The steward answered: “{title}”")
    body = tk._(
        "The steward of the dataset “{title}” has answered the committee's request "
        "and resubmitted it. You remain its rapporteur.\n\nThe file: {url}\n"
    )
    _send(
        _recipient(rapporteur),
        subject.format(title=review.dataset_title),
        body.format(title=review.dataset_title, url=_ethics_url(review)),
    )


def rapporteur_stepped_down(review: Review, member_name: str | None) -> None:
    member = model.User.get(member_name) if member_name else None
    presidents = [s.user for s in Member.seats() if s.in_office() and s.role == "president"]
    subject = tk._("[Data committee] A rapporteur stepped down: “{title}”")
    body = tk._(
        "{member} declared a conflict of interest on the dataset “{title}” and is no "
        "longer its rapporteur. Name another rapporteur: {url}\n"
    )
    recipients = [r for user in presidents for r in _recipient(user)]
    name = (member.fullname or member.name) if member else ""
    _send(
        recipients,
        subject.format(title=review.dataset_title),
        body.format(member=name, title=review.dataset_title, url=_ethics_url(review)),
    )


def changes_requested(review: Review, message: str) -> None:
    steward = model.User.get(review.last_submitted_by)
    subject = tk._("[Data committee] Changes requested on “{title}”")
    body = tk._(
        "The committee asks for changes before examining the dataset “{title}”:\n\n"
        "{message}\n\nAnswer and resubmit: {url}\n"
    )
    _send(
        _recipient(steward),
        subject.format(title=review.dataset_title),
        body.format(title=review.dataset_title, message=message, url=_ethics_url(review)),
    )
