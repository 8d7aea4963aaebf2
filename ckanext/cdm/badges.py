"""The badge of a dataset: the only place that decides it.

A badge is derived, never typed in. :func:`badge_for` is a pure function of
plain values (:class:`Facts`) and a day; :func:`facts_for` gathers those
values for many datasets at once, in a fixed number of SQL queries (one on
the opinions, one on the open reviews, one on the datasets), whatever their
number.

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

import calendar
import dataclasses
import datetime as dt
import functools
import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

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


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st → the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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


# Gathering the facts


@functools.cache
def _statements(fields: tuple[str, ...]) -> tuple[Any, Any, Any]:
    """The three queries of :func:`facts_for`, on the datasets of the
    parameter ``ids``, built once: building them (an alias of a table of 30
    columns, three selects) costs more than running them, on each
    ``package_show`` (docs/performance.md)."""
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.charter import Charter
    from ckanext.cdm.model.opinion import PUBLISHED, Opinion
    from ckanext.cdm.model.review import OPEN_STATES, Review

    ids = sa.bindparam("ids", expanding=True)
    successor = sa.orm.aliased(Opinion, name="cdm_successor")
    superseded = (
        sa.select(successor.id)
        .where(successor.supersedes_id == Opinion.id, successor.state == PUBLISHED)
        .exists()
    )
    opinions = (
        sa.select(
            Opinion.package_id,
            Opinion.number,
            Opinion.verdict,
            Opinion.published_at,
            Opinion.dataset_facts,
            Charter.number,
            Charter.status,
        )
        .join(Charter, Charter.id == Opinion.charter_id)
        .where(Opinion.package_id.in_(ids), Opinion.state == PUBLISHED, ~superseded)
        .order_by(Opinion.package_id, Opinion.published_at.desc(), Opinion.number.desc())
        .distinct(Opinion.package_id)
    )
    open_reviews = (
        sa.select(Review.package_id)
        .where(Review.package_id.in_(ids), Review.state.in_(OPEN_STATES))
        .distinct()
    )
    table = model.package_table
    columns = [table.c[name] for name in fields if name in table.c and name != "extras"]
    packages = sa.select(table.c.id, table.c.extras, *columns).where(table.c.id.in_(ids))
    return opinions, open_reviews, packages


def facts_for(package_ids: Iterable[str]) -> dict[str, Facts]:
    """The facts of each dataset of ``package_ids`` (a dataset unknown to the
    database gets empty facts), in three queries whatever their number."""
    from ckan import model

    from ckanext.cdm import config
    from ckanext.cdm.model.charter import SUPERSEDED

    ids = sorted(set(package_ids))
    if not ids:
        return {}
    session = model.Session
    fields = config.ethics_fields()
    opinions_query, reviews_query, packages_query = _statements(tuple(fields))
    opinions = session.execute(opinions_query, {"ids": ids}).all()
    open_reviews = set(session.execute(reviews_query, {"ids": ids}).scalars())
    current: dict[str, dict[str, Any]] = {}
    for row in session.execute(packages_query, {"ids": ids}).mappings():
        extras = row["extras"] or {}
        values = {name: extras.get(name, row.get(name)) for name in fields}
        current[row["id"]] = {k: v if v not in ("", None) else None for k, v in values.items()}
    facts = {i: Facts(open_review=i in open_reviews, current_facts=current.get(i, {})) for i in ids}
    for package_id, number, verdict, published_at, kept, charter, status in opinions:
        facts[package_id] = dataclasses.replace(
            facts[package_id],
            opinion_number=number,
            verdict=verdict,
            published_at=published_at,
            charter_version=charter,
            charter_superseded=status == SUPERSEDED,
            dataset_facts=dict(kept or {}),
        )
    return facts


def badges_for(package_ids: Iterable[str], today: dt.date | None = None) -> dict[str, Badge]:
    """The badge of each dataset of ``package_ids``, in three queries."""
    from ckanext.cdm.model import base

    day = today or base.today()
    return {i: badge_for(f, day) for i, f in facts_for(package_ids).items()}


def badge_of(package_id: str, today: dt.date | None = None) -> Badge:
    return badges_for([package_id], today)[package_id]


# What the catalogue shows: package_show, the index, package_search


def summary(badge: Badge) -> dict[str, Any]:
    """The public ``cdm`` summary of a dataset (public values only)."""
    opinion = None
    if badge.opinion_number is not None:
        opinion = {
            "number": badge.opinion_number,
            "date": badge.opinion_date.isoformat() if badge.opinion_date else None,
            "url": _opinion_url(badge.opinion_number),
        }
    return localized(
        {
            "badge": badge.code,
            "stale_because": badge.stale_because,
            "opinion": opinion,
            "charter_version": badge.charter_version,
            "reexamination": badge.reexamination,
        }
    )


def localized(
    cdm: dict[str, Any], memo: dict[tuple[Any, ...], str] | None = None
) -> dict[str, Any]:
    """``cdm`` with its ``label`` and ``explanation`` in the request's
    language (the summary stored in the search index was written in the
    language of whoever indexed it).

    ``memo`` keeps the translations and dates already looked up: the results
    of one search share it, so that each is translated once per search, not
    once per result (docs/performance.md)."""
    from ckanext.cdm import labels

    memo = {} if memo is None else memo

    def once(key: tuple[Any, ...], compute: Any) -> str:
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    opinion = cdm.get("opinion") or {}
    number, day = opinion.get("number"), opinion.get("date")
    code = cdm.get("badge") or NOT_REVIEWED
    stale = cdm.get("stale_because")
    template = once(
        ("explanation", code, stale, bool(number)),
        lambda: labels.badge_explanation_template(code, stale, bool(number)),
    )
    explanation = template.format(
        number=number or "",
        date=once(("date", day), lambda: _date(day)) or "",
        version=cdm.get("charter_version") or "",
    )
    if cdm.get("reexamination"):
        explanation = "{} {}".format(
            explanation, once(("reexamination",), labels.reexamination_note)
        )
    return {
        **cdm,
        "label": once(("label", code), lambda: labels.badge_label(code)),
        "explanation": explanation,
    }


def _date(value: str | None) -> str | None:
    """The date in the words of the request's language (ISO outside a request)."""
    import flask

    from ckanext.cdm.helpers import cdm_datetime

    if not value or not flask.has_app_context():
        return value
    return cdm_datetime(value)


def _opinion_url(number: str) -> str:
    from ckan.plugins import toolkit as tk

    try:
        return tk.url_for("cdm_opinion.read", number=number)
    except RuntimeError:  # no application context
        return f"/cdm/opinions/{number}"


def add_to_dataset(
    pkg_dict: dict[str, Any], badge: Badge | None = None, from_index: bool = False
) -> None:
    """Put ``cdm_badge`` and ``cdm`` into a dataset dict (``after_dataset_show``).

    With ``from_index`` (``package_show`` answered from the search index, whose
    stored dict already carries them), the indexed badge is kept, only put in
    the reader's language: no query. The index is rewritten whenever a badge
    changes (opinion, review, dataset, charter adopted), and nightly for age
    by ``ckan cdm badges refresh``, so the page agrees with the search results.
    """
    if not pkg_dict.get("id"):
        return
    indexed = pkg_dict.get("cdm")
    if (
        from_index
        and badge is None
        and isinstance(indexed, dict)
        and pkg_dict.get("cdm_badge") in CODES
    ):
        pkg_dict["cdm"] = localized(indexed)
        return
    badge = badge or badge_of(pkg_dict["id"])
    pkg_dict["cdm_badge"] = badge.code
    pkg_dict["cdm"] = summary(badge)


def add_to_index(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``before_dataset_index``: the code as the ``cdm_badge`` field, read
    from the validated dict that ``after_dataset_show`` filled (stored in the
    index, so that ``package_search`` results carry ``cdm_badge`` and ``cdm``)."""
    import json

    stored = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    code = stored.get("cdm_badge") or badge_of(pkg_dict["id"]).code
    pkg_dict["cdm_badge"] = code
    return pkg_dict


def localize_results(search_results: dict[str, Any]) -> dict[str, Any]:
    """``after_dataset_search``: labels in the reader's language, no query,
    for each result and for the items of the ``cdm_badge`` facet; each
    sentence is translated once for the whole page."""
    from ckanext.cdm import labels

    memo: dict[tuple[Any, ...], str] = {}
    for result in search_results.get("results", []):
        if isinstance(result, dict) and isinstance(result.get("cdm"), dict):
            result["cdm"] = localized(result["cdm"], memo)
    facet = (search_results.get("search_facets") or {}).get(FACET)
    for item in (facet or {}).get("items", []):
        item["display_name"] = labels.badge_label(item.get("name", ""))
    return search_results


FACET = "cdm_badge"


def add_facet(facets_dict: dict[str, Any]) -> dict[str, Any]:
    """The facet « Avis du comité » (IFacets), after CKAN's own."""
    from ckan.plugins import toolkit as tk

    facets_dict[FACET] = tk._("Committee opinion")
    return facets_dict


# The nightly refresh (ckan cdm badges refresh)

BATCH = 500


def indexed_codes() -> dict[str, str]:
    """The badge code of each dataset of this site as the search index has it."""
    from ckan.lib.search.common import make_connection
    from ckan.plugins import toolkit as tk

    connection = make_connection()
    site = f"+site_id:{tk.config['ckan.site_id']}"
    codes: dict[str, str] = {}
    for code in CODES:
        query = {"q": "*:*", "fq": [site, f"+cdm_badge:{code}"], "fl": "id", "rows": 0}
        total = connection.search(**query).hits
        if total:
            found = connection.search(**{**query, "rows": total})
            codes.update((doc["id"], code) for doc in found.docs)
    return codes


def refresh(everything: bool = False, today: dt.date | None = None) -> tuple[int, int]:
    """Recompute the badge of every active dataset and reindex those whose
    indexed badge is no longer right (every one with ``everything``): an
    opinion goes stale by age with no event to tell. Returns (datasets,
    reindexed)."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.lib import search

    ids = list(
        model.Session.execute(
            sa.select(model.package_table.c.id).where(model.package_table.c.state == "active")
        ).scalars()
    )
    indexed = {} if everything else indexed_codes()
    stale: list[str] = []
    for start in range(0, len(ids), BATCH):
        for package_id, badge in badges_for(ids[start : start + BATCH], today).items():
            if everything or indexed.get(package_id) != badge.code:
                stale.append(package_id)
    if stale:
        search.rebuild(package_ids=stale, defer_commit=True, quiet=True)
        search.commit()
    return len(ids), len(stale)


def refresh_job() -> None:
    """The background job queued when a charter version is adopted: every
    opinion given under the superseded version is now out of date."""
    checked, reindexed = refresh()
    log.info("cdm badges: %s datasets checked, %s reindexed", checked, reindexed)
