"""How a published opinion says what was voted and who signs it, in the
words of the page's language: the vote sentence (« Avis adopté par 13 voix
pour, 5 contre et 3 abstentions (dont 2 procurations) ; … ») and the
signature (« Pour le Comité, la Présidente, … »).

Both read what ``cdm_opinion_show`` returns: the counts of the vote, the
members recused, the session's quorum (``session.quorum``) and the president
who signs (``signatory``). A part the record does not hold is left out,
never made up.
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask_babel import pgettext


def _count(opinion: dict[str, Any], key: str) -> int | None:
    value = opinion.get(key)
    return int(value) if isinstance(value, int) else None


def _adopted(opinion: dict[str, Any]) -> str | None:
    counts = [_count(opinion, k) for k in ("votes_for", "votes_against", "votes_abstain")]
    if None in counts:
        return None
    votes_for, against, abstain = counts
    sentence = tk.ungettext(
        "Opinion adopted by {n} vote for", "Opinion adopted by {n} votes for", votes_for
    ).format(n=votes_for)
    sentence += tk._(", {against} against and {abstentions}").format(
        against=against,
        abstentions=tk.ungettext("{n} abstention", "{n} abstentions", abstain).format(n=abstain),
    )
    proxies = _count(opinion, "votes_proxies")
    if proxies:
        sentence += " " + tk.ungettext(
            "(of which {n} proxy)", "(of which {n} proxies)", proxies
        ).format(n=proxies)
    return sentence


def _not_voting(opinion: dict[str, Any]) -> str | None:
    count = _count(opinion, "votes_not_voting")
    if count is None:
        return None
    return tk.ungettext("{n} member did not vote", "{n} members did not vote", count).format(
        n=count
    )


def _quorum(opinion: dict[str, Any]) -> str | None:
    quorum = (opinion.get("session") or {}).get("quorum")
    if not quorum or not quorum.get("members_in_office"):
        return None
    text = tk.ungettext(
        "{represented} present or represented out of {n} member in office",
        "{represented} present or represented out of {n} members in office",
        quorum["members_in_office"],
    ).format(represented=quorum["represented"], n=quorum["members_in_office"])
    reached = tk._("quorum reached") if quorum["reached"] else tk._("quorum not reached")
    needed = tk._("({n} needed)").format(n=quorum["needed"])
    return tk._("{attendance}, {reached} {needed}").format(
        attendance=text, reached=reached, needed=needed
    )


def _recused(opinion: dict[str, Any]) -> str | None:
    count = len(opinion.get("recused") or [])
    if not count:
        return None
    return tk.ungettext("{n} member recused", "{n} members recused", count).format(n=count)


def vote_sentence(opinion: dict[str, Any]) -> str:
    """The vote in one sentence, its parts joined by semicolons; empty when
    the opinion has no vote (a draft)."""
    parts = [
        part
        for part in (_adopted(opinion), _not_voting(opinion), _quorum(opinion), _recused(opinion))
        if part
    ]
    if not parts:
        return ""
    return tk._("{parts}.").format(parts=tk._("; ").join(parts))


def signature(signatory: dict[str, Any] | None) -> str:
    """« Pour le Comité, la Présidente, <name> », in the holder's gender when
    the president's seat records a form of address; empty without a president."""
    if not signatory or not signatory.get("fullname"):
        return ""
    name = signatory["fullname"]
    address = signatory.get("form_of_address")
    if address == "madame":
        return pgettext("woman", "For the Committee, the President, {name}").format(name=name)
    if address == "monsieur":
        return pgettext("man", "For the Committee, the President, {name}").format(name=name)
    return tk._("For the Committee, the President, {name}").format(name=name)
