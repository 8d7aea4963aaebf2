"""The rules an opinion's publication must obey, one function each.

``cdm_opinion_publish`` calls :func:`check` with the review and the session
loaded under their row locks (``Review.for_update``,
``CommitteeSession.for_update``): attendance, proxies and the agenda cannot
change between the check and the publication. Each rule fails with a
``tk.ValidationError`` whose key names it (``session``, ``quorum``,
``votes``, ``votes_for``, ``recused``, ``votes_proxies``), so that the form
shows the message next to the right block and the API caller knows which
rule failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.cdm import authz
from ckanext.cdm.model.opinion import VOTE_KEYS
from ckanext.cdm.model.review import Review
from ckanext.cdm.model.session import CommitteeSession


@dataclass
class Vote:
    """The vote as typed: counts, proxies among them, the members recused."""

    votes_for: int
    votes_against: int
    votes_abstain: int
    votes_not_voting: int
    votes_proxies: int
    recused: list[str]

    @classmethod
    def from_data(cls, data: dict[str, Any], session: CommitteeSession) -> Vote:
        proxies = data.get("votes_proxies")
        return cls(
            **{key: data[key] for key in VOTE_KEYS},
            votes_proxies=len(session.proxies()) if proxies is None else proxies,
            recused=list(data.get("recused") or []),
        )

    @property
    def total(self) -> int:
        return sum(getattr(self, key) for key in VOTE_KEYS)

    def counts(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in (*VOTE_KEYS, "votes_proxies")}


def _refuse(rule: str, message: str) -> None:
    raise tk.ValidationError({rule: [message]})


def _names(user_ids: set[str] | list[str]) -> str:
    users = [model.User.get(i) for i in sorted(user_ids)]
    return ", ".join((u.fullname or u.name) if u else "?" for u in users)


def check_session(
    session: CommitteeSession, review: Review, now: dt.datetime | None = None
) -> None:
    """The review is on the session's agenda, and the session has been held."""
    if not session.has_on_agenda(review.id):
        _refuse("session", tk._("The review is not on the agenda of this session."))
    if not session.has_been_held(now):
        _refuse("session", tk._("This session has not been held yet."))


def check_quorum(session: CommitteeSession) -> None:
    quorum = session.quorum()
    if not quorum["reached"]:
        _refuse(
            "quorum",
            tk._(
                "The session did not reach its quorum: {represented} members present or "
                "represented, {needed} needed."
            ).format(**quorum),
        )


def check_recused(session: CommitteeSession, vote: Vote, package: model.Package | None) -> None:
    """Recused members are members in office on the session's day; none gave or
    holds a proxy; every member present with a conflict of interest on the
    dataset is recused."""
    in_office = {seat.user_id for seat in session.members_in_office()}
    outsiders = set(vote.recused) - in_office
    if outsiders:
        _refuse(
            "recused",
            tk._("Not a committee member on the day of the session: {names}.").format(
                names=_names(outsiders)
            ),
        )
    proxies = session.proxies()
    with_proxy = {p.giver_id for p in proxies} | {p.holder_id for p in proxies}
    conflicted = authz.conflicted_user_ids(package) if package is not None else set()
    voting_by_proxy = (set(vote.recused) | conflicted) & with_proxy
    if voting_by_proxy:
        _refuse(
            "recused",
            tk._(
                "A recused member can neither give nor hold a proxy: {names}. Change the "
                "session's proxies first."
            ).format(names=_names(voting_by_proxy)),
        )
    not_recused = (conflicted & set(session.attendee_ids())) - set(vote.recused)
    if not_recused:
        _refuse(
            "recused",
            tk._(
                "These members present have a conflict of interest on the dataset and must "
                "be recused: {names}."
            ).format(names=_names(not_recused)),
        )


def check_counts(session: CommitteeSession, vote: Vote) -> None:
    """The counts add up to the members present plus the proxies, less the
    recused members present; the proxies are the session's."""
    present = set(session.attendee_ids())
    proxies = len(session.proxies())
    expected = len(present) + proxies - len(present & set(vote.recused))
    if vote.total != expected:
        _refuse(
            "votes",
            tk.ungettext(
                "The votes add up to {total}, but {expected} members could vote ({present} "
                "present plus {proxies} proxy, less the recused members present).",
                "The votes add up to {total}, but {expected} members could vote ({present} "
                "present plus {proxies} proxies, less the recused members present).",
                proxies,
            ).format(total=vote.total, expected=expected, present=len(present), proxies=proxies),
        )
    if vote.votes_proxies != proxies:
        _refuse(
            "votes_proxies",
            tk.ungettext(
                "The session has {proxies} proxy, not {given}.",
                "The session has {proxies} proxies, not {given}.",
                proxies,
            ).format(proxies=proxies, given=vote.votes_proxies),
        )


def check_majority(vote: Vote) -> None:
    if vote.votes_for <= vote.votes_against:
        _refuse(
            "votes_for",
            tk._("An opinion is adopted when the votes for exceed the votes against."),
        )


def check(
    review: Review,
    session: CommitteeSession,
    vote: Vote,
    package: model.Package | None,
) -> None:
    """Every rule, in the order a secretary would check them."""
    check_session(session, review)
    check_quorum(session)
    check_recused(session, vote, package)
    check_counts(session, vote)
    check_majority(vote)
