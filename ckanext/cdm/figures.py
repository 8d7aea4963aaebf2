"""The figures of the annual report: what the committee did in a year.

Every figure is a SQL aggregate (``count(*) FILTER``, ``GROUP BY``,
``percentile_cont``, ``jsonb_each``): a fixed number of queries, whatever the
number of reviews and opinions; no Python loop over their rows. The
definitions are in docs/report.md; keep both in step.

Two scopes:

- ``public``: only what the public may read: reviews and published opinions
  whose stored permission labels contain ``public`` (a public dataset), and
  the public datasets of the catalogue for the badges. A private dataset's
  review or opinion is never counted, but for one number: how many opinions
  of the year are on a non-public dataset (``opinions.non_public``), as the
  register lists them by their number and date.
- ``committee``: the same figures counting every dataset, private ones
  included (numbers only: no dataset is ever named in the figures).

The year runs from 1 January 00:00 to 31 December 24:00 in the portal's time
zone (``ckan.display_timezone``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.cdm import badges
from ckanext.cdm.model import base
from ckanext.cdm.model.base import utcnow

PUBLIC = "public"
COMMITTEE = "committee"
SCOPES = (PUBLIC, COMMITTEE)
STATUSES = ("compliant", "partially_compliant", "non_compliant", "not_applicable")
VERDICTS = ("favorable", "favorable_with_reservations", "unfavorable")
PUBLIC_LABEL = "public"
# The order in which the figures are listed (pages, CSV): a published
# report's snapshot is JSONB, which keeps no key order.
REVIEW_MEASURES = (
    "received",
    "self_referrals",
    "closed",
    "closed_with_opinion",
    "withdrawn",
    "in_progress",
)
DELAY_MEASURES = ("opinions", "median_days", "p90_days")
SESSION_MEASURES = ("held", "average_attendance", "average_proxies")
STALE_REASONS = ("total", "age", "charter", "fields")


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``year`` and of the next one, in the portal's time zone."""
    from ckan.lib.helpers import get_display_timezone

    zone = get_display_timezone()

    def start_of(y: int) -> dt.datetime:
        naive = dt.datetime(y, 1, 1)
        localize = getattr(zone, "localize", None)  # pytz
        return localize(naive) if localize else naive.replace(tzinfo=zone)

    return start_of(year), start_of(year + 1)


def _rows(sql: str, **params: Any) -> list[sa.RowMapping]:
    return list(model.Session.execute(sa.text(sql), params).mappings())


def _where(scope: str, alias: str) -> str:
    """The SQL condition of ``scope`` on the stored labels of ``alias``."""
    if scope == PUBLIC:
        return f"'{PUBLIC_LABEL}' = ANY({alias}.permission_labels)"
    return "TRUE"


def _days(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def review_figures(scope: str, start: dt.datetime, end: dt.datetime) -> dict[str, int]:
    (row,) = _rows(
        f"""
        SELECT
          count(*) FILTER (WHERE r.submitted_at >= :start) AS received,
          count(*) FILTER (WHERE r.submitted_at >= :start AND r.self_referral) AS self_referrals,
          count(*) FILTER (WHERE r.closed_at IS NULL OR r.closed_at >= :end) AS in_progress,
          count(*) FILTER (WHERE r.closed_at >= :start AND r.closed_at < :end) AS closed,
          count(*) FILTER (WHERE r.closed_at >= :start AND r.closed_at < :end
                           AND r.state = 'opinion_issued') AS closed_with_opinion,
          count(*) FILTER (WHERE r.closed_at >= :start AND r.closed_at < :end
                           AND r.state = 'withdrawn') AS withdrawn
        FROM cdm_review r
        WHERE r.submitted_at < :end AND {_where(scope, "r")}
        """,
        start=start,
        end=end,
    )
    return {key: int(value) for key, value in row.items()}


def _opinions_in_year(scope: str) -> str:
    return (
        "o.state = 'published' AND o.published_at >= :start AND o.published_at < :end "
        f"AND {_where(scope, 'o')}"
    )


def opinion_figures(scope: str, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    verdicts = ",\n".join(f"count(*) FILTER (WHERE o.verdict = '{v}') AS {v}" for v in VERDICTS)
    (row,) = _rows(
        f"""
        SELECT count(*) AS published,
               count(*) FILTER (WHERE o.supersedes_id IS NOT NULL) AS corrections,
               {verdicts}
        FROM cdm_opinion o WHERE {_opinions_in_year(scope)}
        """,
        start=start,
        end=end,
    )
    (hidden,) = _rows(
        f"""
        SELECT count(*) AS non_public FROM cdm_opinion o
        WHERE {_opinions_in_year(COMMITTEE)} AND NOT {_where(PUBLIC, "o")}
        """,
        start=start,
        end=end,
    )
    return {
        "published": int(row["published"]),
        "corrections": int(row["corrections"]),
        "by_verdict": {v: int(row[v]) for v in VERDICTS},
        # on a non-public dataset (in the committee's scope: of which)
        "non_public": int(hidden["non_public"]),
    }


def principle_figures(scope: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """How often each principle was found compliant, partly, not, or not
    applicable, in the opinions published in the year (their ``assessments``
    field, ``{code: {"status": …}}``), in the order of the latest charter
    version that has the principle."""
    statuses = ",\n".join(
        f"count(*) FILTER (WHERE a.value ->> 'status' = '{s}') AS {s}" for s in STATUSES
    )
    counted = _rows(
        f"""
        SELECT a.key AS code, {statuses}
        FROM cdm_opinion o
        CROSS JOIN LATERAL jsonb_each(
            CASE WHEN jsonb_typeof(o.data -> 'assessments') = 'object'
                 THEN o.data -> 'assessments' ELSE '{{}}'::jsonb END) AS a
        WHERE {_opinions_in_year(scope)} AND jsonb_typeof(a.value) = 'object'
        GROUP BY a.key
        """,
        start=start,
        end=end,
    )
    titles = {
        row["code"]: row
        for row in _rows(
            """
            SELECT DISTINCT ON (p.code) p.code, p.title, p.position
            FROM cdm_principle p JOIN cdm_charter c ON c.id = p.charter_id
            WHERE c.status <> 'draft'
            ORDER BY p.code, c.created DESC
            """
        )
    }
    result = [
        {
            "code": row["code"],
            "title": dict(titles[row["code"]]["title"]) if row["code"] in titles else {},
            **{s: int(row[s]) for s in STATUSES},
        }
        for row in counted
    ]
    order = {code: row["position"] for code, row in titles.items()}
    return sorted(result, key=lambda p: (order.get(p["code"], 10**6), p["code"]))


def organization_figures(scope: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Reviews received and opinions published in the year, by organization
    (of the dataset when the review was opened, or the opinion published)."""
    verdicts = ", ".join(f"count(*) FILTER (WHERE o.verdict = '{v}') AS {v}" for v in VERDICTS)
    rows = _rows(
        f"""
        WITH r AS (
            SELECT r.organization_id, count(*) AS reviews_received
            FROM cdm_review r
            WHERE r.submitted_at >= :start AND r.submitted_at < :end AND {_where(scope, "r")}
            GROUP BY r.organization_id),
        o AS (
            SELECT o.organization_id, count(*) AS opinions, {verdicts}
            FROM cdm_opinion o WHERE {_opinions_in_year(scope)}
            GROUP BY o.organization_id)
        SELECT organization_id, g.name, g.title,
               coalesce(r.reviews_received, 0) AS reviews_received,
               coalesce(o.opinions, 0) AS opinions,
               {", ".join(f"coalesce(o.{v}, 0) AS {v}" for v in VERDICTS)}
        FROM r FULL JOIN o USING (organization_id)
        LEFT JOIN "group" g ON g.id = organization_id
        ORDER BY lower(coalesce(g.title, g.name, '')), organization_id
        """,
        start=start,
        end=end,
    )
    return [
        {
            "id": row["organization_id"],
            "name": row["name"],
            "title": row["title"] or row["name"],
            "reviews_received": int(row["reviews_received"]),
            "opinions": int(row["opinions"]),
            "by_verdict": {v: int(row[v]) for v in VERDICTS},
        }
        for row in rows
    ]


def delay_figures(scope: str, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Days from the review's first submission to the publication of its
    (first) opinion, for the opinions published in the year (corrections
    excluded: they answer no submission)."""
    (row,) = _rows(
        f"""
        WITH d AS (
            SELECT extract(epoch FROM o.published_at - r.submitted_at) / 86400.0 AS days
            FROM cdm_opinion o JOIN cdm_review r ON r.id = o.review_id
            WHERE {_opinions_in_year(scope)} AND o.supersedes_id IS NULL)
        SELECT count(*) AS opinions,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median_days,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90_days
        FROM d
        """,
        start=start,
        end=end,
    )
    return {
        "opinions": int(row["opinions"]),
        "median_days": _days(row["median_days"]),
        "p90_days": _days(row["p90_days"]),
    }


def recent_median_delay(days: int = 365) -> float | None:
    """The median of ``delay_figures`` over the last ``days`` days (public
    scope), in days; None when no opinion was published in them. What a
    steward is told to expect after submitting."""
    end = utcnow()
    return delay_figures(PUBLIC, end - dt.timedelta(days=days), end)["median_days"]


def session_figures(start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Sessions held in the year (those whose date has come: written
    procedures included) and the average number of members present and of
    proxies. Sessions are public: both scopes count the same."""
    (row,) = _rows(
        """
        WITH s AS (
            SELECT s.id,
                   (SELECT count(*) FROM cdm_session_attendance a
                    WHERE a.session_id = s.id) AS present,
                   (SELECT count(*) FROM cdm_session_proxy p
                    WHERE p.session_id = s.id) AS proxies
            FROM cdm_session s
            WHERE s.starts_at >= :start AND s.starts_at < :end AND s.starts_at <= :now)
        SELECT count(*) AS held, avg(present) AS attendance, avg(proxies) AS proxies FROM s
        """,
        start=start,
        end=end,
        now=utcnow(),
    )
    return {
        "held": int(row["held"]),
        "average_attendance": _days(row["attendance"]),
        "average_proxies": _days(row["proxies"]),
    }


def _datasets(scope: str) -> str:
    private = " AND NOT p.private" if scope == PUBLIC else ""
    return f"p.state = 'active' AND p.type = 'dataset'{private}"


def badge_figures(scope: str, year: int, end: dt.datetime) -> dict[str, Any]:
    """The badges of the catalogue's datasets at the end of the year (today,
    for the current year), by code, and those whose opinion went stale, by
    reason. The rules are ``badges.badge_for``'s, and only there: SQL groups
    the datasets by the facts the rules read, and the rules run once per
    group (not once per dataset).

    For the current year these are the badges the catalogue shows today. For
    a past year they are rebuilt as of 31 December from what the tables keep:
    the opinions and corrections published by then, the reviews open then,
    the charter versions superseded by then, the opinion's age then. What is
    not kept cannot be rebuilt: whether an ethics field of a dataset had
    changed by that day (no staleness ``fields``: ``fields_checked`` is
    false), nor whether a dataset was private or deleted then (today's state
    counts)."""
    today = base.today()
    as_of = min(dt.date(year, 12, 31), today)
    fields_checked = as_of == today
    codes: Counter[str] = Counter()
    stale: Counter[str] = Counter()
    for group in _badge_groups(scope, end, as_of, fields_checked):
        facts = badges.Facts(
            opinion_number=group["number"],
            verdict=group["verdict"],
            published_at=group["published_at"],
            charter_superseded=bool(group["superseded"]),
            dataset_facts=dict(group["kept"] or {}),
            current_facts=dict(group["current"] or {}),
            open_review=bool(group["open_review"]),
        )
        badge = badges.badge_for(facts, as_of)
        codes[badge.code] += int(group["datasets"])
        if badge.stale_because:
            stale[badge.stale_because] += int(group["datasets"])
    return {
        "as_of": as_of.isoformat(),
        "datasets": sum(codes.values()),
        "by_code": {code: codes[code] for code in badges.CODES},
        "stale": {
            "total": sum(stale.values()),
            **{
                why: stale[why]
                for why in (badges.STALE_AGE, badges.STALE_CHARTER, badges.STALE_FIELDS)
            },
        },
        "fields_checked": fields_checked,
    }


def _current_facts_sql() -> tuple[str, dict[str, str]]:
    """The dataset's ethics fields today as a JSON object, as
    ``badge_facts.facts_for`` reads them (the extra, else the column; an empty
    text is no value)."""
    from ckanext.cdm import config

    columns = set(model.package_table.c.keys()) - {"extras"}
    pairs, params = [], {}
    for n, name in enumerate(config.ethics_fields()):
        column = f'p."{name}"::text' if name in columns else "NULL"
        params[f"field_{n}"] = name
        pairs.append(
            f"CAST(:field_{n} AS text), "
            f"nullif(CASE WHEN p.extras ? :field_{n} THEN p.extras ->> :field_{n} "
            f"ELSE {column} END, '')"
        )
    return (f"jsonb_build_object({', '.join(pairs)})" if pairs else "'{}'::jsonb"), params


def _badge_groups(
    scope: str, end: dt.datetime, as_of: dt.date, with_fields: bool
) -> list[sa.RowMapping]:
    """The catalogue's datasets at ``end`` grouped by what their badge depends
    on at ``as_of``: the verdict and the day of their current opinion (the
    latest published that no correction published by then supersedes),
    whether its charter version was superseded, whether a review was open,
    and (``with_fields``) the ethics fields kept with the opinion and today's."""
    current_sql, params = _current_facts_sql() if with_fields else ("NULL::jsonb", {})
    kept_sql = "c.dataset_facts" if with_fields else "NULL::jsonb"
    return _rows(
        f"""
        WITH ds AS (
            SELECT p.id, {current_sql} AS current FROM package p
            WHERE {_datasets(scope)} AND p.metadata_created < :end),
        cur AS (
            SELECT DISTINCT ON (o.package_id) o.package_id, o.number, o.verdict,
                   date_trunc('day', o.published_at) AS published_at, o.dataset_facts,
                   (c.superseded_on IS NOT NULL AND c.superseded_on <= :as_of) AS superseded
            FROM cdm_opinion o
            JOIN ds ON ds.id = o.package_id
            JOIN cdm_charter c ON c.id = o.charter_id
            WHERE o.state = 'published' AND o.published_at < :end
              AND NOT EXISTS (
                  SELECT 1 FROM cdm_opinion s
                  WHERE s.supersedes_id = o.id AND s.state = 'published'
                    AND s.published_at < :end)
            ORDER BY o.package_id, o.published_at DESC, o.number DESC),
        open AS (
            SELECT DISTINCT r.package_id FROM cdm_review r JOIN ds ON ds.id = r.package_id
            WHERE r.submitted_at < :end AND (r.closed_at IS NULL OR r.closed_at >= :end))
        SELECT min(c.number) AS number, c.verdict, c.published_at,
               coalesce(c.superseded, FALSE) AS superseded,
               open.package_id IS NOT NULL AS open_review,
               {kept_sql} AS kept,
               CASE WHEN c.number IS NULL THEN NULL ELSE {
            "ds.current" if with_fields else "NULL::jsonb"
        } END AS current,
               count(*) AS datasets
        FROM ds
        LEFT JOIN cur c ON c.package_id = ds.id
        LEFT JOIN open ON open.package_id = ds.id
        GROUP BY c.number IS NULL, c.verdict, c.published_at, 4, 5, 6, 7
        """,
        end=end,
        as_of=as_of,
        **params,
    )


def figures_for(year: int, scope: str = PUBLIC) -> dict[str, Any]:
    """Every figure of ``year`` in ``scope`` (``public`` or ``committee``)."""
    start, end = year_bounds(year)
    return {
        "year": year,
        "scope": scope,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "computed_at": utcnow().isoformat(),
        "reviews": review_figures(scope, start, end),
        "opinions": opinion_figures(scope, start, end),
        "principles": principle_figures(scope, start, end),
        "organizations": organization_figures(scope, start, end),
        "delays": delay_figures(scope, start, end),
        "sessions": session_figures(start, end),
        "badges": badge_figures(scope, year, end),
    }
