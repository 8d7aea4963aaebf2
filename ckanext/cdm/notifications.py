"""E-mails of the review workflow, sent by background jobs over one SMTP
connection per notification (``mailer.py``).

Who is told what (see docs/notifications.md), and the kind of each e-mail
(``user_extras.KINDS``, which a user may choose to receive or not):

- submission and resubmission → the committee members in office without a
  conflict of interest on the dataset (``submissions``);
- assignment → the rapporteur (``submissions``, always sent);
- resubmission of a review that keeps its rapporteur → the rapporteur only
  (``changes``, always sent);
- a rapporteur who steps down (conflict of interest) → the president
  (``submissions``, always sent);
- request for changes → the steward who submitted the latest round
  (``changes``, always sent);
- self-referral opened by the president → the dataset's stewards (editors
  and admins of its organization) (``changes``);
- a steward's self-assessment attached to a self-referral → the rapporteur,
  else the president (``changes``, always sent);
- opinion published → the dataset's stewards and the committee members in
  office (number, verdict, link: never a confidential field) (``opinions``,
  always sent to the stewards who submitted the review).
- a session convened → the members in office on its day (date, place, agenda)
  (``agenda``).

"Always sent": an e-mail to someone about a review in which they act
themselves (the steward who submitted it, its rapporteur, the president
asked to act) is sent whatever their preferences, at once. The others are
sent only to the users who receive their kind, and to a committee member
who chose the daily digest they are kept for it (``digest.py``).

Each e-mail is written in its recipient's language (their choice, kept in
their ``plugin_extras``, or the site's default language): a notification
gives :func:`notify` a function that composes the subject and the body with
``tk._`` and :func:`link`; that function runs in the recipient's language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager

import flask
import flask_babel
import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.cdm import authz, config, mailer, user_extras
from ckanext.cdm.model.digest import DigestItem
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.opinion import Opinion
from ckanext.cdm.model.review import Review
from ckanext.cdm.model.session import CommitteeSession

log = logging.getLogger(__name__)
Compose = Callable[[], tuple[str, str]]  # () -> (subject, body), in the recipient's language


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Translate (``tk._``) and build links (:func:`link`) in ``language``.

    Translations need a Flask application context. Outside a web request
    (a CLI command that pushed none, a test calling an action), borrow the
    request context CKAN itself falls back on to build URLs there
    (``ckan.lib.helpers._get_auto_flask_context``, used by ``url_for``).
    """
    borrowed = None
    if not flask.has_app_context():
        from ckan.lib.helpers import _get_auto_flask_context

        borrowed = _get_auto_flask_context()
        if borrowed is not None:
            borrowed.push()
    try:
        with flask_babel.force_locale(language):
            yield
    finally:
        if borrowed is not None:
            borrowed.pop()


def tagged(subject: str) -> str:
    """« [Comité métropolitain de la donnée] <subject> »: the committee's name
    (``config.committee_name``) in the language being written, in front of
    the subject of every e-mail sent."""
    return f"[{config.committee_name()}] {subject}"


def link(endpoint: str, **values: str) -> str:
    """The absolute address of a page (on ``ckan.site_url``), in the language
    of the e-mail being written: ``/en/…`` for English on a French site."""
    language = str(flask_babel.get_locale() or "")
    default = tk.config.get("ckan.locale_default") or "en"
    locale = "default" if language in ("", default) else language
    return tk.url_for(endpoint, _external=True, locale=locale, **values)


def _reachable(user: model.User | None) -> bool:
    return user is not None and bool(user.email) and user.state == "active"


def _takes_digest(user: model.User) -> bool:
    """Whether ``user``'s e-mails wait for their daily digest: they chose it
    and still hold a seat in office (a former member gets them one by one)."""
    return user_extras.takes_digest(user) and Member.in_office_for(user.id) is not None


def notify(
    kind: str,
    recipients: Iterable[tuple[model.User | None, Compose]],
    always: Collection[str] = (),
) -> None:
    """One notification: each recipient's e-mail, composed in their language.

    Nobody is written to when notifications are off, nor a missing account,
    one not active or without an e-mail address. A recipient whose id is in
    ``always`` gets it at once whatever their preferences; the others only
    if they receive ``kind``, and in their digest if they chose it. The
    e-mails sent at once go in one background job (one SMTP connection).
    """
    if not config.notifications_enabled():
        return
    mails: list[tuple[str, str, str, str]] = []
    held = 0
    for user, compose in recipients:
        if not _reachable(user):
            continue
        assert user is not None
        forced = user.id in always
        if not forced and kind not in user_extras.notification_kinds(user):
            continue
        with in_language(user_extras.language(user)):
            subject, body = compose()
            tagged_subject = tagged(subject)
        if not forced and _takes_digest(user):
            model.Session.add(DigestItem(user_id=user.id, kind=kind, subject=subject, body=body))
            held += 1
        else:
            name = user.fullname or user.name
            mails.append(tuple(mailer.Mail(name, user.email, tagged_subject, body)))
    if held:
        model.repo.commit()
    if mails:
        tk.enqueue_job(
            mailer.send_emails,
            [mails],
            title=f"cdm e-mails: {kind}, {len(mails)} recipients",
        )


def send_always(kind: str, users: Iterable[model.User | None], compose: Compose) -> None:
    """The e-mail of ``users`` about their own part in a review: sent at once,
    whatever their preferences."""
    people = [user for user in users if user is not None]
    notify(kind, [(user, compose) for user in people], always={user.id for user in people})


def _ethics_link(review: Review) -> str:
    return link("cdm_review.dataset_ethics", id=review.dataset_name)


def _about(review: Review, texts: Callable[[], tuple[str, str]], **values: str) -> Compose:
    """The composer of an e-mail about ``review``: ``texts`` gives the subject
    and the body (``tk._``, so in the recipient's language), formatted with
    the dataset's title, the link to its ethics tab and ``values``."""

    def compose() -> tuple[str, str]:
        subject, body = texts()
        return (
            subject.format(title=review.dataset_title),
            body.format(title=review.dataset_title, url=_ethics_link(review), **values),
        )

    return compose


def _in_office(president_only: bool = False) -> list[Member]:
    return [
        seat
        for seat in Member.seats()
        if seat.in_office() and (seat.role == "president" or not president_only)
    ]


def session_convened(session: CommitteeSession) -> None:
    """Every member in office on the session's day is told its date, place and
    agenda (the items each one may see, by their stored labels)."""
    from ckanext.cdm import dates, index

    agenda = [item.review_id for item in session.agenda()]
    recipients = []
    for seat in session.members_in_office():
        query = Review.visible_to(
            sa.select(Review).where(Review.id.in_(agenda)), index.labels_of_user(seat.user.name)
        )
        visible = {r.id: r.dataset_title for r in model.Session.execute(query).scalars()}
        titles = [visible[i] for i in agenda if i in visible]

        def compose(titles: list[str] = titles) -> tuple[str, str]:
            when = dates.in_words(session.starts_at, with_hours=True)
            where = tk._("in writing") if session.written_procedure else session.place
            items = "\n".join(f"- {title}" for title in titles) or tk._("(no item yet)")
            body = tk._(
                "The Metropolitan Data Committee is convened on {date} ({place}).\n\n"
                "{title}Agenda:\n{agenda}\n\nThe session: {url}\n"
            ).format(
                date=when,
                place=where,
                title=f"{session.title}\n\n" if session.title else "",
                agenda=items,
                url=link("cdm_session.read", id=session.id),
            )
            return tk._("Session convened on {date}").format(date=when), body

        recipients.append((seat.user, compose))
    notify("agenda", recipients)


def review_submitted(review: Review, resubmitted: bool) -> None:
    package = model.Package.get(review.package_id)
    conflicted = authz.conflicted_user_ids(package) if package else set()
    compose = _about(
        review,
        lambda: (
            tk._("Dataset resubmitted: {title}")
            if resubmitted
            else tk._("New review request: {title}"),
            tk._(
                "The dataset “{title}” has been submitted for an ethics review.\n\n"
                "Read the request and its self-assessment: {url}\n"
            ),
        ),
    )
    notify(
        "submissions",
        [(seat.user, compose) for seat in _in_office() if seat.user_id not in conflicted],
    )


def rapporteur_assigned(review: Review) -> None:
    rapporteur = model.User.get(review.rapporteur_id) if review.rapporteur_id else None
    texts = lambda: (  # noqa: E731
        tk._("The report on “{title}” is entrusted to you"),
        tk._(
            "The committee has taken up the review of the dataset “{title}” and "
            "entrusted you with its report.\n\nThe file: {url}\n"
        ),
    )
    send_always("submissions", [rapporteur], _about(review, texts))


def back_to_rapporteur(review: Review) -> None:
    rapporteur = model.User.get(review.rapporteur_id) if review.rapporteur_id else None
    texts = lambda: (  # noqa: E731
        tk._("The steward answered: “{title}”"),
        tk._(
            "The steward of the dataset “{title}” has answered the committee's request "
            "and resubmitted it. You remain its rapporteur.\n\nThe file: {url}\n"
        ),
    )
    send_always("changes", [rapporteur], _about(review, texts))


def rapporteur_stepped_down(review: Review, member_name: str | None) -> None:
    member = model.User.get(member_name) if member_name else None
    texts = lambda: (  # noqa: E731
        tk._("A rapporteur stepped down: “{title}”"),
        tk._(
            "{member} declared a conflict of interest on the dataset “{title}” and is no "
            "longer its rapporteur. Name another rapporteur: {url}\n"
        ),
    )
    name = (member.fullname or member.name) if member else ""
    presidents = [seat.user for seat in _in_office(president_only=True)]
    send_always("submissions", presidents, _about(review, texts, member=name))


def changes_requested(review: Review, message: str) -> None:
    steward = model.User.get(review.last_submitted_by)
    texts = lambda: (  # noqa: E731
        tk._("Changes requested on “{title}”"),
        tk._(
            "The committee asks for changes on the dataset “{title}”:\n\n"
            "{message}\n\nAnswer and resubmit: {url}\n"
        ),
    )
    send_always("changes", [steward], _about(review, texts, message=message))


def stewards(package_id: str, review: Review | None = None) -> list[model.User]:
    """The dataset's stewards: the editors and admins of its organization (for
    a purged dataset, those who submitted the review)."""
    package = model.Package.get(package_id)
    if package is not None and package.owner_org:
        query = (
            model.Session.query(model.User)
            .join(model.Member, model.Member.table_id == model.User.id)
            .filter(
                model.Member.group_id == package.owner_org,
                model.Member.table_name == "user",
                model.Member.state == "active",
                model.Member.capacity.in_(("editor", "admin")),
            )
        )
        return list(query)
    ids = review.submitters if review is not None else []
    return [user for user in (model.User.get(i) for i in ids) if user is not None]


def self_referral_opened(review: Review, message: str | None) -> None:
    texts = lambda: (  # noqa: E731
        tk._("The committee examines “{title}”"),
        tk._(
            "The data committee has decided on its own initiative to examine the dataset "
            "“{title}”.\n\n{message}You may answer with the dataset's self-assessment: {url}\n"
        ),
    )
    compose = _about(review, texts, message=f"{message}\n\n" if message else "")
    notify("changes", [(user, compose) for user in stewards(review.package_id, review)])


def self_assessment_attached(review: Review) -> None:
    texts = lambda: (  # noqa: E731
        tk._("Self-assessment received: “{title}”"),
        tk._(
            "The steward of the dataset “{title}” answered the committee's self-referral "
            "with a self-assessment.\n\nThe file: {url}\n"
        ),
    )
    rapporteur = model.User.get(review.rapporteur_id) if review.rapporteur_id else None
    people = [rapporteur] if rapporteur else [seat.user for seat in _in_office(True)]
    send_always("changes", people, _about(review, texts))


def _opinion_link(opinion: Opinion) -> str:
    """The opinion's permanent page (``/cdm/opinions/<number>``)."""
    from werkzeug.routing import BuildError

    try:
        return link("cdm_opinion.read", number=opinion.number or "")
    except BuildError:  # the pages are not registered: the site's root
        return tk.config.get("ckan.site_url", "").rstrip("/") + f"/cdm/opinions/{opinion.number}"


def opinion_published(opinion: Opinion) -> None:
    """The stewards and the committee members in office learn the number and
    the verdict; nothing confidential is in the e-mail."""
    from ckanext.cdm import opinion_schema

    def compose() -> tuple[str, str]:
        language = str(flask_babel.get_locale() or "en")
        subject = tk._("Opinion {number} published: “{title}”")
        body = tk._(
            "The data committee has published its opinion {number} on the dataset "
            "“{title}”.\n\nVerdict: {verdict}\n\nRead the opinion: {url}\n"
        )
        if opinion.supersedes_id:
            body += tk._("It corrects an earlier opinion, which it supersedes.\n")
        values = {
            "number": opinion.number,
            "title": opinion.dataset_title,
            "verdict": opinion_schema.choice_label("verdict", opinion.verdict or "", language),
            "url": _opinion_link(opinion),
        }
        return subject.format(**values), body.format(**values)

    review = Review.get(opinion.review_id)
    people = {user.id: user for user in stewards(opinion.package_id, review)}
    # the stewards who submitted the review: about their own review, always
    own = set(people) & set(review.submitters if review is not None else ())
    people.update({seat.user_id: seat.user for seat in _in_office()})
    notify("opinions", [(user, compose) for user in people.values()], always=own)
