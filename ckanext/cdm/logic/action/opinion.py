"""Actions on the committee's opinions: draft, publish, correct, read.

The fields of an opinion (verdict, summary, assessments, recommendations,
reservations, deliberation notes, and whatever a portal adds to its copy of
the opinion schema) are validated by the navl schema that scheming builds
from the YAML (``opinion_schema.navl_schema()``), with the review's charter
version in ``context["cdm_charter"]``. A draft may leave principles
unassessed (``context["cdm_draft"]``); a publication may not.

Drafts and the fields marked ``cdm_confidential`` are for the committee
members in office and sysadmins only: :func:`opinion_dict` removes them for
everyone else, in every output of these actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict
from sqlalchemy.dialects.postgresql import JSONPATH

from ckanext.cdm import activities, authz, index, notifications, opinion_schema
from ckanext.cdm.logic import publishing
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import checked, commit, validate
from ckanext.cdm.model.charter import Charter
from ckanext.cdm.model.member import PRESIDENT, Member
from ckanext.cdm.model.opinion import DRAFT, PUBLISHED, Opinion
from ckanext.cdm.model.review import IN_REVIEW, Review
from ckanext.cdm.model.session import CommitteeSession

MAX_PAGE = 100
# filters on what a reader may not see of an opinion on a dataset hidden from
# them: with one of them, such an opinion is left out, not listed as withheld
# (its number in the results would tell its verdict, organization or words)
HIDDEN_FILTERS = ("q", "principle", "assessment", "dataset", "review", "organization", "verdict")


# Reading


def _found(ref: str) -> Opinion:
    opinion = Opinion.find(ref)
    if opinion is None:
        raise tk.ObjectNotFound(tk._("Opinion not found"))
    return opinion


def _link(opinion: Opinion | None) -> dict[str, Any] | None:
    return {"id": opinion.id, "number": opinion.number} if opinion else None


def _correction_draft(opinion: Opinion) -> Opinion | None:
    query = sa.select(Opinion).where(Opinion.supersedes_id == opinion.id, Opinion.state == DRAFT)
    return model.Session.execute(query).scalars().first()


def _people(
    user_ids: list[str], private: bool, known: dict[str, model.User] | None = None
) -> list[dict[str, Any]]:
    users = [known.get(i) if known is not None else model.User.get(i) for i in user_ids]
    return [
        {"id": u.id, "name": u.name, "fullname": u.fullname or u.name}
        if private
        else {"fullname": u.fullname or u.name}
        for u in users
        if u is not None
    ]


def _session_summary(session_id: str | None) -> dict[str, Any] | None:
    session = CommitteeSession.get(session_id) if session_id else None
    if session is None:
        return None
    return {
        "id": session.id,
        "starts_at": session.starts_at.isoformat(),
        "place": session.place,
        "written_procedure": session.written_procedure,
        "title": session.title,
        # who was there: the vote sentence of the opinion's page says it
        "quorum": session.quorum(),
    }


def _signatory(opinion: Opinion) -> dict[str, Any] | None:
    """The president who signs a published opinion: the seat of president
    held on the day of its publication (public, as the committee's page)."""
    if opinion.published_at is None:
        return None
    seat = next(
        (s for s in Member.in_office_on(opinion.published_at.date()) if s.role == PRESIDENT),
        None,
    )
    if seat is None:
        return None
    return {
        "fullname": seat.user.fullname or seat.user.name,
        "form_of_address": seat.form_of_address,
    }


def _charter_summary(charter_id: str) -> dict[str, Any] | None:
    charter = Charter.get(charter_id)
    return {"id": charter.id, "number": charter.number} if charter else None


class _Neighbours:
    """What a page of opinions links to, read in two queries for the whole
    page: the opinions they correct, their published corrections, and the
    members recused."""

    def __init__(self, opinions: list[Opinion]) -> None:
        ids = {o.id for o in opinions}
        corrected = {o.supersedes_id for o in opinions if o.supersedes_id}
        related = (
            model.Session.execute(
                sa.select(Opinion).where(
                    sa.or_(
                        Opinion.id.in_(corrected),
                        sa.and_(Opinion.supersedes_id.in_(ids), Opinion.state == PUBLISHED),
                    )
                )
            )
            .scalars()
            .all()
            if ids
            else []
        )
        self.by_id = {o.id: o for o in [*opinions, *related]}
        self.successors = {
            o.supersedes_id: o for o in related if o.supersedes_id in ids and o.is_published
        }
        user_ids = {u for o in opinions for u in o.recused}
        users = (
            model.Session.execute(sa.select(model.User).where(model.User.id.in_(user_ids)))
            .scalars()
            .all()
            if user_ids
            else []
        )
        self.users = {u.id: u for u in users}


def opinion_summary(
    opinion: Opinion, committee: bool, neighbours: _Neighbours | None = None
) -> dict[str, Any]:
    """An opinion as listed: its columns and fields, confidential ones for the
    committee only. ``neighbours``: what a list read for all its rows at once."""
    known = neighbours or _Neighbours([opinion])
    data = opinion.as_dict()
    if not committee:
        data = opinion_schema.public(data)
    data["recused"] = _people(opinion.recused, private=committee, known=known.users)
    data["supersedes"] = _link(known.by_id.get(opinion.supersedes_id or ""))
    data["superseded_by"] = _link(known.successors.get(opinion.id))
    return data


def withheld_summary(opinion: Opinion) -> dict[str, Any]:
    """A published opinion on a dataset the reader may not see, as the
    register lists it: its number and its date, nothing else (no title,
    organization, verdict or text), so that a gap in the numbers is
    explained without telling what the opinion is about."""
    return {
        "number": opinion.number,
        "year": opinion.year,
        "state": PUBLISHED,
        "published_at": opinion.published_at.isoformat() if opinion.published_at else None,
        "withheld": True,
    }


def allowed_actions(opinion: Opinion, context: Context) -> list[str]:
    """What the user may do with the opinion now."""
    user = context.get("user")
    ref = {"id": opinion.id}
    if opinion.state == DRAFT:
        names = ("update", "publish")
    elif opinion.successor() is None and _correction_draft(opinion) is None:
        names = ("correct",)
    else:
        names = ()
    return [name for name in names if authz.passes(f"cdm_opinion_{name}", user, ref)]


def opinion_dict(opinion: Opinion, context: Context) -> dict[str, Any]:
    """An opinion as ``cdm_opinion_show`` gives it to the user."""
    committee = authz.can_see_drafts(context.get("user"))
    data = opinion_summary(opinion, committee)
    package = model.Package.get(opinion.package_id)
    data["dataset_exists"] = package is not None and package.state == "active"
    data["session"] = _session_summary(opinion.session_id)
    data["signatory"] = _signatory(opinion)
    data["charter"] = _charter_summary(opinion.charter_id)
    data["allowed_actions"] = allowed_actions(opinion, context)
    if committee:
        data["correction_draft"] = _link(_correction_draft(opinion))
    return data


@tk.side_effect_free
def cdm_opinion_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An opinion, by its id or its number (``2026-007``): its fields, the vote,
    the session, the charter version and the correction chain
    (``supersedes``, ``superseded_by``). Drafts and confidential fields are
    shown to the committee members in office and sysadmins only.

    :param id: id or number of the opinion
    """
    tk.check_access("cdm_opinion_show", context, data_dict)
    data = validate(data_dict, cdm_schema.opinion_ref_schema(), context)
    return opinion_dict(_found(data["id"]), context)


def _like(words: str) -> str:
    """``words`` as an ``ILIKE`` pattern matching them anywhere, their own
    ``%``, ``_`` and ``\\`` taken literally."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _searched(query: sa.Select, words: str | None) -> sa.Select:
    """Opinions whose dataset title, number or summary contain ``words``: each
    ``ILIKE`` is answered by a trigram index on the same expression
    (migration ``0013_register_indexes``)."""
    if not words:
        return query
    pattern = _like(words)
    return query.where(
        sa.or_(*(text.ilike(pattern, escape="\\") for text in Opinion.searched_texts()))
    )


def _assessed(query: sa.Select, principle: str | None, status: str | None) -> sa.Select:
    """Opinions that assessed ``principle`` (with ``status``), or gave
    ``status`` to some principle: JSONB queries on ``data->'assessments'``."""
    assessments = Opinion.data["assessments"]
    if principle and status:
        return query.where(Opinion.data.contains({"assessments": {principle: {"status": status}}}))
    if principle:
        return query.where(assessments.has_key(principle))
    if status:
        return query.where(
            sa.func.jsonb_path_exists(
                Opinion.data,
                sa.cast("$.assessments.*.status ? (@ == $status)", JSONPATH),
                sa.func.jsonb_build_object("status", status),
            )
        )
    return query


@dataclass
class Listed:
    """What ``cdm_opinion_list`` lists, before its order and its page: the
    query (filters and visibility), whether the opinions the reader may not
    see are listed as withheld rows, the reader's labels (``None``: all)."""

    data: dict[str, Any]
    query: sa.Select
    withheld: bool
    labels: list[str] | None
    committee: bool


def listed_query(context: Context, data_dict: DataDict) -> Listed:
    """The access check, the validation and the query of ``cdm_opinion_list``
    (shared with the register's exports, ``logic/opinion_export.py``)."""
    tk.check_access("cdm_opinion_list", context, data_dict)
    data = validate(data_dict, cdm_schema.opinion_list_schema(), context)
    user = context.get("user")
    committee = authz.can_see_drafts(user)
    query = sa.select(Opinion)
    state = data.get("state") or PUBLISHED
    if not committee or state == PUBLISHED:
        query = query.where(Opinion.state == PUBLISHED)
    elif state == DRAFT:
        query = query.where(Opinion.state == DRAFT)
    if data.get("dataset"):
        package = model.Package.get(data["dataset"])
        ref = package.id if package else data["dataset"]
        query = query.where(sa.or_(Opinion.package_id == ref, Opinion.dataset_name == ref))
    if data.get("review"):
        query = query.where(Opinion.review_id == data["review"])
    if data.get("organization"):
        group = model.Group.get(data["organization"])
        query = query.where(
            Opinion.organization_id == (group.id if group else data["organization"])
        )
    if data.get("verdict"):
        query = query.where(Opinion.verdict == data["verdict"])
    if data.get("year"):
        query = query.where(Opinion.year == data["year"])
    if data.get("number"):
        query = query.where(Opinion.number == data["number"])
    query = _searched(query, data.get("q"))
    query = _assessed(query, data.get("principle"), data.get("assessment"))
    labels = index.labels_of_user(user)
    withheld = (
        data.get("withheld")
        and labels is not None
        and (not committee or state == PUBLISHED)
        and not any(data.get(key) for key in HIDDEN_FILTERS)
    )
    if not withheld:
        query = Opinion.visible_to(query, labels)
    return Listed(data, query, bool(withheld), labels, committee)


@tk.side_effect_free
def cdm_opinion_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Opinions the user may see, newest first: published ones on datasets the
    user can see (by their stored permission labels); drafts too for the
    committee and sysadmins when asked (``state``).

    :param dataset: id or name of a dataset (optional)
    :param review: id of a review (optional)
    :param organization: id or name of an organization (optional)
    :param state: ``published`` (default), ``draft`` or ``all`` (drafts: committee only)
    :param verdict: ``favorable``, ``favorable_with_reservations`` or ``unfavorable`` (optional)
    :param year: the year of publication (optional)
    :param number: the number of an opinion (optional)
    :param withheld: also list, as ``{"number", "year", "state",
        "published_at", "withheld": true}`` and nothing else, the published
        opinions on datasets the user may not see (default false); only
        when no filter but ``year``, ``number`` and ``state=published`` is
        given (the others read what such an opinion hides)
    :param q: words searched for in the dataset's title, the opinion's number
        and its summary, case ignored (optional, at most 200 characters)
    :param principle: the code of a principle: opinions that assessed it
        (optional; with ``assessment``, that assessed it so)
    :param assessment: ``compliant``, ``partially_compliant``,
        ``non_compliant`` or ``not_applicable``: opinions that gave this
        status to ``principle`` (to any principle without it) (optional)
    :param limit: page size (default 20, at most 100)
    :param offset: where the page starts (default 0)
    :returns: ``{"count": n, "results": [...]}``; a superseded opinion is
        listed too, its ``superseded_by`` naming its correction;
        ``dataset_exists`` says whether its dataset is still in the catalogue;
        ``withheld`` is false (true on the rows of ``withheld``)
    """
    listed = listed_query(context, data_dict)
    query, withheld, labels, data = listed.query, listed.withheld, listed.labels, listed.data
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = (
        model.Session.execute(
            query.order_by(*Opinion.register_order())
            .limit(min(data.get("limit", 20), MAX_PAGE))
            .offset(data.get("offset", 0))
        )
        .scalars()
        .all()
    )
    seen = [o for o in rows if not withheld or set(o.permission_labels) & set(labels or [])]
    existing = _active_packages([o.package_id for o in seen])
    neighbours = _Neighbours(seen)
    results = []
    for opinion in rows:
        if opinion not in seen:
            results.append(withheld_summary(opinion))
            continue
        summary = opinion_summary(opinion, listed.committee, neighbours)
        summary["dataset_exists"] = opinion.package_id in existing
        summary["withheld"] = False
        results.append(summary)
    return {"count": count, "results": results}


def _active_packages(package_ids: list[str]) -> set[str]:
    """Which of the datasets are still in the catalogue (one query)."""
    if not package_ids:
        return set()
    query = sa.select(model.Package.id).where(
        model.Package.id.in_(set(package_ids)), model.Package.state == "active"
    )
    return set(model.Session.execute(query).scalars())


# Drafting


def _charter_of(review: Review) -> Charter | None:
    return Charter.get(review.charter_id)


def validate_fields(
    values: dict[str, Any], review: Review, context: Context, draft: bool
) -> tuple[str | None, dict[str, Any]]:
    """The opinion's fields validated by the opinion schema: (verdict, the
    other fields), or a ``ValidationError`` naming the fields."""
    schema = {**opinion_schema.navl_schema(), "__extras": [tk.get_validator("ignore")]}
    inner = {**context, "cdm_charter": _charter_of(review), "cdm_draft": draft}
    names = opinion_schema.field_names()
    data, errors = tk.navl_validate({k: values[k] for k in names if k in values}, schema, inner)
    errors = {key: value for key, value in errors.items() if value}
    if errors:
        model.Session.rollback()
        raise tk.ValidationError(errors)
    fields = {k: data[k] for k in names if k in data and k != "verdict" and data[k] is not None}
    return data.get("verdict"), fields


def given_fields(data_dict: DataDict) -> dict[str, Any]:
    """The schema's fields present in the request."""
    return {k: data_dict[k] for k in opinion_schema.field_names() if k in data_dict}


def _stored(opinion: Opinion) -> dict[str, Any]:
    return {"verdict": opinion.verdict, **opinion.data}


def cdm_opinion_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Draft the committee's opinion on a review in examination (one first
    opinion per review). Every field of the opinion schema is accepted, those
    a portal adds to its copy too; principles may stay unassessed in a draft.

    :param review: id of the review (``in_review``)
    :param verdict: ``favorable``, ``favorable_with_reservations`` or ``unfavorable``
    :param summary: the opinion in a few paragraphs (markdown)
    :param assessments: ``{principle_code: {"status": "compliant|partially_compliant|
        non_compliant|not_applicable", "comment": "…"}}``
    :param recommendations: markdown (optional)
    :param reservations: markdown, required with ``favorable_with_reservations``
    :param deliberation_notes: confidential notes, for the committee only (optional)
    """
    tk.check_access("cdm_opinion_create", context, data_dict)
    data = validate(data_dict, cdm_schema.opinion_create_schema(), context)
    review = Review.get(data["review"])
    if review is None:
        raise tk.ObjectNotFound(tk._("Review not found"))
    if review.state != IN_REVIEW:
        raise tk.ValidationError(
            {"review": [tk._("An opinion is drafted on a review in examination.")]}
        )
    verdict, fields = validate_fields(given_fields(data_dict), review, context, draft=True)
    user = context.get("user")
    opinion = Opinion.draft(review, user, authz.user_id(user), verdict, fields)
    commit(context)
    return opinion_dict(opinion, context)


def _locked_draft(ref: str) -> Opinion:
    opinion = Opinion.for_update(_found(ref).id)
    if opinion is None:
        raise tk.ObjectNotFound(tk._("Opinion not found"))
    return opinion


def cdm_opinion_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft opinion (a published one never changes: correct it).
    Fields not given are kept; the fields of the opinion schema are accepted
    as in ``cdm_opinion_create``.

    :param id: id of the draft opinion
    :param verdict: as in ``cdm_opinion_create`` (optional)
    :param summary: (optional)
    :param assessments: (optional)
    :param recommendations: (optional)
    :param reservations: (optional)
    :param deliberation_notes: (optional)
    :param reason: the reason of a correction (optional; corrections only)
    :param version: the version the form was drawn from (the opinion's
        ``version``; optional): refused if the draft was saved since
        (docs/api.md, « Edits that do not overwrite each other »)
    """
    tk.check_access("cdm_opinion_update", context, data_dict)
    data = validate(data_dict, cdm_schema.opinion_update_schema(), context)
    opinion = _locked_draft(data["id"])
    if opinion.is_published:
        refusal = opinion.published_refusal()
        model.Session.rollback()
        raise refusal
    checked(opinion, data.get("version"))
    review = Review.get(opinion.review_id)
    values = {**_stored(opinion), **given_fields(data_dict)}
    verdict, fields = validate_fields(values, review, context, draft=True)
    reason = None
    if opinion.supersedes_id and data_dict.get("reason") is not None:
        reason = validate(
            {"id": opinion.id, "reason": data_dict["reason"]},
            cdm_schema.opinion_correct_schema(),
            context,
        )["reason"]
    opinion.update_draft(context.get("user"), verdict, fields, reason)
    commit(context)
    return opinion_dict(opinion, context)


def cdm_opinion_correct(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Draft a correction of a published opinion: a new draft, its fields
    prefilled from the old opinion where not given, that supersedes the old
    one once published (with ``cdm_opinion_publish``, by the same rules).
    Both stay public.

    :param id: id or number of the published opinion
    :param reason: why it is corrected (required)
    :param verdict: as in ``cdm_opinion_create`` (optional)
    :param summary: (optional)
    :param assessments: (optional)
    :param recommendations: (optional)
    :param reservations: (optional)
    :param deliberation_notes: (optional)
    """
    tk.check_access("cdm_opinion_correct", context, data_dict)
    data = validate(data_dict, cdm_schema.opinion_correct_schema(), context)
    old = _found(data["id"])
    if old.state != PUBLISHED:
        raise tk.ValidationError(
            {"id": [tk._("Only a published opinion is corrected; change the draft instead.")]}
        )
    successor = old.successor()
    if successor is not None:
        raise tk.ValidationError(
            {
                "id": [
                    tk._("This opinion is superseded by {number}: correct that one.").format(
                        number=successor.number
                    )
                ]
            }
        )
    review = Review.get(old.review_id)
    values = {**_stored(old), **given_fields(data_dict)}
    verdict, fields = validate_fields(values, review, context, draft=True)
    user = context.get("user")
    opinion = Opinion.draft(
        review, user, authz.user_id(user), verdict, fields, supersedes=old, reason=data["reason"]
    )
    commit(context)
    return opinion_dict(opinion, context)


# Publishing


def cdm_opinion_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a draft opinion adopted in a session: it gets its permanent
    number (``2026-007``), the review is issued its opinion (or, for a
    correction, the old opinion is superseded), and the stewards and the
    committee are told. The rules (docs/opinions.md) each fail with a
    ``ValidationError`` named after the rule: ``session``, ``quorum``,
    ``recused``, ``votes``, ``votes_proxies``, ``votes_for``.

    :param id: id of the draft opinion
    :param session: id of the session that adopted it
    :param votes_for: votes for
    :param votes_against: votes against
    :param votes_abstain: abstentions
    :param votes_not_voting: members not voting (*ne se prononce pas*)
    :param votes_proxies: how many of the votes were cast by proxy (default:
        the session's proxies)
    :param recused: ids or names of the members recused for a conflict of interest
    """
    tk.check_access("cdm_opinion_publish", context, data_dict)
    data = validate(data_dict, cdm_schema.opinion_publish_schema(), context)
    found = _found(data["id"])
    try:
        opinion = _publish(found, data, context)
    except tk.ValidationError:
        model.Session.rollback()  # releases the row locks
        raise
    commit(context)
    index.reindex(opinion.package_id)
    notifications.opinion_published(opinion)
    return opinion_dict(opinion, context)


def _publish(found: Opinion, data: dict[str, Any], context: Context) -> Opinion:
    """Check the rules and publish, under the review's, the session's and the
    opinion's row locks (in that order)."""
    review = Review.for_update(found.review_id)
    session = CommitteeSession.for_update(data["session"])
    if session is None:
        raise tk.ValidationError({"session": [tk._("Unknown session.")]})
    opinion = Opinion.for_update(found.id)
    if opinion is None or opinion.state != DRAFT:
        raise tk.ValidationError({"id": [tk._("This opinion is already published.")]})
    if opinion.supersedes_id is None and not review.allows("issue_opinion"):
        raise tk.ValidationError(
            {"state": [tk._("An opinion is published on a review in examination.")]}
        )
    # the stored fields, with the full schema: every principle assessed
    validate_fields(_stored(opinion), review, context, draft=False)
    package = model.Package.get(review.package_id)
    vote = publishing.Vote.from_data(data, session)
    publishing.check(review, session, vote, package)
    user = context.get("user")
    opinion.publish(
        user, authz.user_id(user), session.id, vote.counts(), vote.recused, review, package
    )
    if package is not None:
        index.store_labels(package)
    activities.record_opinion(opinion, user)
    return opinion
