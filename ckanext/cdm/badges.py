"""The badge rule: the only place that decides a dataset's badge.

A badge is derived, never typed in. :func:`badge_for` is a pure function of
plain values (:class:`Facts`) and a day: no database, no request. Its
neighbours do the rest: ``badge_facts.py`` gathers the facts in SQL,
``badge_display.py`` puts a badge in words, ``badge_index.py`` carries it
into ``package_show``, the search index and its facet, and refreshes the
index.

The rules (docs/badges.md):

- the latest published opinion that no published correction supersedes
  gives ``compliant``, ``compliant_with_reservations`` or ``non_compliant``
  (verdicts ``favorable``, ``favorable_with_reservations``, ``unfavorable``);
- that opinion is stale, and the badge ``outdated``, when it is older than
  ``ckanext.cdm.opinion_validity_months`` (``age``), its charter version has
  been superseded (``charter``), or an ethics-relevant field of the dataset
  changed since its publication (``fields``);
- with no valid opinion, an open review gives ``under_review``; a valid
  opinion and an open review keep the opinion's badge, with
  ``reexamination``;
- otherwise ``not_reviewed``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from ckanext.cdm.dates import add_months

COMPLIANT = "compliant"
WITH_RESERVATIONS = "compliant_with_reservations"
NON_COMPLIANT = "non_compliant"
OUTDATED = "outdated"
UNDER_REVIEW = "under_review"
NOT_REVIEWED = "not_reviewed"
CODES = (COMPLIANT, WITH_RESERVATIONS, NON_COMPLIANT, OUTDATED, UNDER_REVIEW, NOT_REVIEWED)

# verdict of the opinion → badge
VERDICT_BADGES = {
    "favorable": COMPLIANT,
    "favorable_with_reservations": WITH_RESERVATIONS,
    "unfavorable": NON_COMPLIANT,
}

# why an opinion has gone stale
STALE_AGE = "age"
STALE_CHARTER = "charter"
STALE_FIELDS = "fields"


@dataclasses.dataclass(frozen=True)
class Facts:
    """What a badge depends on, for one dataset: its current opinion (the
    latest published one that no published correction supersedes), if any,
    and whether a review is open."""

    opinion_number: str | None = None
    verdict: str | None = None
    published_at: dt.datetime | None = None
    charter_version: str | None = None
    charter_superseded: bool = False
    # the dataset's ethics fields when the opinion was published, and now
    dataset_facts: dict[str, Any] = dataclasses.field(default_factory=dict)
    current_facts: dict[str, Any] = dataclasses.field(default_factory=dict)
    open_review: bool = False


@dataclasses.dataclass(frozen=True)
class Badge:
    code: str
    stale_because: str | None = None
    reexamination: bool = False
    opinion_number: str | None = None
    opinion_date: dt.date | None = None
    charter_version: str | None = None
    # the verdict of the opinion the badge comes from (also when outdated)
    verdict: str | None = None


def changed_fields(facts: Facts) -> list[str]:
    """The ethics fields whose value differs from the one kept with the
    opinion. A field the opinion did not record (added to
    ``ckanext.cdm.ethics_fields`` after its publication) is not a change."""
    return sorted(
        name
        for name, value in facts.current_facts.items()
        if name in facts.dataset_facts and facts.dataset_facts[name] != value
    )


def stale_because(facts: Facts, today: dt.date, validity_months: int) -> str | None:
    """Why the opinion has gone stale (``age``, ``charter``, ``fields``), or None."""
    assert facts.published_at is not None
    if add_months(facts.published_at.date(), validity_months) <= today:
        return STALE_AGE
    if facts.charter_superseded:
        return STALE_CHARTER
    if changed_fields(facts):
        return STALE_FIELDS
    return None


def badge_for(facts: Facts, today: dt.date, validity_months: int | None = None) -> Badge:
    """The badge that ``facts`` earn on ``today``. ``validity_months``
    defaults to ``ckanext.cdm.opinion_validity_months``."""
    if facts.opinion_number is None or facts.published_at is None:
        return Badge(UNDER_REVIEW if facts.open_review else NOT_REVIEWED)
    if validity_months is None:
        from ckanext.cdm import config

        validity_months = config.opinion_validity_months()
    opinion = {
        "opinion_number": facts.opinion_number,
        "opinion_date": facts.published_at.date(),
        "charter_version": facts.charter_version,
        "verdict": facts.verdict,
    }
    why = stale_because(facts, today, validity_months)
    if why is not None:
        code = UNDER_REVIEW if facts.open_review else OUTDATED
        return Badge(code, stale_because=why, **opinion)
    code = VERDICT_BADGES.get(facts.verdict or "", NOT_REVIEWED)
    return Badge(code, reexamination=facts.open_review, **opinion)


def fingerprint(facts: Facts, today: dt.date, validity_months: int | None = None) -> str:
    """A short digest of what :func:`badge_for` reads: equal fingerprints give
    the same badge, so that a cache can be revalidated without applying the
    rules (the embeddable badge's ETag, docs/performance.md). The day enters
    only through whether the opinion is past its validity: the fingerprint
    changes on the day the badge does, not every day."""
    if validity_months is None:
        from ckanext.cdm import config

        validity_months = config.opinion_validity_months()
    expired = None
    if facts.published_at is not None:
        expired = add_months(facts.published_at.date(), validity_months) <= today
    data = json.dumps(
        [dataclasses.asdict(facts), expired], sort_keys=True, default=str, ensure_ascii=True
    )
    return hashlib.sha256(data.encode()).hexdigest()[:32]
