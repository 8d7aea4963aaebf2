"""Actions of committee sessions: convene, prepare (agenda, attendance,
proxies), write the minutes, close; show and list for everyone.

Changes run under the session's row lock (``CommitteeSession.for_update``):
two requests on one session are serialised, so the proxy cap and the rules of
attendance hold under concurrency. What a reader sees is filtered here: ids
and login names for the committee and sysadmins only, the minutes of a
session still convened for them only, agenda items by the stored permission
labels of each review.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz, index, notifications
from ckanext.cdm.labels import name_key
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import checked, commit, validate
from ckanext.cdm.logic.action.review import review_summary
from ckanext.cdm.model.base import utcnow
from ckanext.cdm.model.opinion import PUBLISHED, Opinion
from ckanext.cdm.model.review import Review
from ckanext.cdm.model.session import AgendaItem, CommitteeSession, quorum_of

MAX_PAGE = 100
DETAILS = ("starts_at", "place", "written_procedure", "title")


def _locked(id_: str) -> CommitteeSession:
    session = CommitteeSession.for_update(id_)
    if session is None:
        raise tk.ObjectNotFound(tk._("Session not found"))
    return session


def _agenda_reviews(ids: list[str], user: str | None) -> list[Review]:
    """The reviews of an agenda, in the order given: each one exists and the
    user may see it (by its stored labels, as ``cdm_review_list``)."""
    if not ids:
        return []
    query = Review.visible_to(
        sa.select(Review).where(Review.id.in_(ids)), index.labels_of_user(user)
    )
    found = {review.id: review for review in model.Session.execute(query).scalars()}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise tk.ValidationError(
            {"agenda": [tk._("Unknown review: {ids}.").format(ids=", ".join(unknown))]}
        )
    return [found[i] for i in ids]


def _user_ids(refs: list[str], field: str) -> list[str]:
    """The user ids of ``refs`` (ids or login names); an unknown one is an
    error on ``field``."""
    ids, unknown = [], []
    for ref in refs:
        user = model.User.get(ref)
        if user is None or user.state == "deleted":
            unknown.append(ref)
        else:
            ids.append(user.id)
    if unknown:
        raise tk.ValidationError(
            {field: [tk._("Unknown user: {names}.").format(names=", ".join(unknown))]}
        )
    return ids


def _pair(proxy: dict[str, str], field: str) -> tuple[str, str]:
    giver, holder = _user_ids([proxy["giver"], proxy["holder"]], field)
    return giver, holder


# What a reader sees


def _people(ids: set[str]) -> dict[str, model.User]:
    if not ids:
        return {}
    users = model.Session.execute(sa.select(model.User).where(model.User.id.in_(ids))).scalars()
    return {user.id: user for user in users}


def _person(user_id: str, people: dict[str, model.User], private: bool) -> dict[str, Any]:
    """A member as a reader sees them: full name for all, id and login name
    for the committee and sysadmins."""
    user = people.get(user_id)
    fullname = (user.fullname or user.name) if user else ""
    if not private:
        return {"fullname": fullname}
    return {"id": user_id, "name": user.name if user else None, "fullname": fullname}


def allowed_actions(session: CommitteeSession, context: Context) -> list[str]:
    """What the user may do on the session now."""
    if not authz.passes("cdm_session_update", context.get("user"), {"id": session.id}):
        return []
    return ["minutes"] if session.is_closed else ["update", "minutes", "close"]


def _summary(session: CommitteeSession, private: bool) -> dict[str, Any]:
    minutes_visible = session.is_closed or private
    return {
        "id": session.id,
        "starts_at": session.starts_at.astimezone(dt.timezone.utc).isoformat(),
        "place": session.place,
        "written_procedure": session.written_procedure,
        "title": session.title,
        "state": session.state,
        "held": session.has_been_held(),
        "minutes": session.minutes if minutes_visible else None,
        "closed_at": session.closed_at.isoformat() if session.closed_at else None,
        "version": session.version,
    }


def session_dict(session: CommitteeSession, context: Context) -> dict[str, Any]:
    user = context.get("user")
    private = authz.can_see_drafts(user)
    labels = index.labels_of_user(user)
    present = session.attendee_ids()
    pairs = session.proxy_pairs()
    seats = session.members_in_office()
    people = _people(set(present) | {u for pair in pairs for u in pair})
    data = _summary(session, private)

    agenda_query = Review.visible_to(
        sa.select(Review)
        .join(AgendaItem, AgendaItem.review_id == Review.id)
        .where(AgendaItem.session_id == session.id)
        .order_by(AgendaItem.position),
        labels,
    )
    reviews = list(model.Session.execute(agenda_query).scalars())
    rapporteurs = {r.rapporteur_id for r in reviews if r.rapporteur_id}
    review_people = _people(rapporteurs | {r.last_submitted_by for r in reviews})
    opinions_query = Opinion.visible_to(
        sa.select(Opinion)
        .where(Opinion.session_id == session.id, Opinion.state == PUBLISHED)
        .order_by(Opinion.number),
        labels,
    )
    data.update(
        agenda=[review_summary(r, review_people, private) for r in reviews],
        attendance=sorted(
            (_person(u, people, private) for u in present), key=lambda p: name_key(p["fullname"])
        ),
        proxies=[
            {"giver": _person(g, people, private), "holder": _person(h, people, private)}
            for g, h in pairs
        ],
        quorum=session.quorum(),
        opinions=[
            {
                "id": o.id,
                "number": o.number,
                "verdict": o.verdict,
                "dataset_name": o.dataset_name,
                "dataset_title": o.dataset_title,
                "published_at": o.published_at.isoformat() if o.published_at else None,
            }
            for o in model.Session.execute(opinions_query).scalars()
        ],
        allowed_actions=allowed_actions(session, context),
    )
    if "update" in data["allowed_actions"]:
        # the quorum for each number of members present, with the proxies
        # recorded: what the attendance form shows while it is ticked
        proxies = len(pairs)
        data["quorum_previews"] = [
            quorum_of(len(seats), present, proxies) for present in range(len(seats) + 1)
        ]
    if private:
        data["members_in_office"] = sorted(
            (
                {"id": s.user_id, "name": s.user.name, "fullname": s.user.fullname or s.user.name}
                for s in seats
            ),
            key=lambda p: name_key(p["fullname"]),
        )
    return data


# Actions


def cdm_session_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Convene a session of the committee; every member in office on its day
    is e-mailed the date, the place and the agenda.

    :param starts_at: day and time, ``YYYY-MM-DDTHH:MM`` in the portal's time
        zone (``ckan.display_timezone``)
    :param place: where the committee meets (required unless ``written_procedure``)
    :param written_procedure: ``true`` for a session held in writing (default false)
    :param title: a title (optional)
    :param agenda: ids of reviews submitted or in review (optional)
    """
    tk.check_access("cdm_session_create", context, data_dict)
    data = validate(data_dict, cdm_schema.session_create_schema(), context)
    user = context.get("user")
    reviews = _agenda_reviews(data.get("agenda", []), user)
    session = CommitteeSession.convene(
        user,
        data["starts_at"],
        data.get("place"),
        data["written_procedure"],
        data.get("title"),
        authz.user_id(user),
    )
    session.set_agenda(user, reviews)
    commit(context)
    if not session.has_been_held():  # a session recorded afterwards convenes nobody
        notifications.session_convened(session)
    return session_dict(session, context)


def cdm_session_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a session: its details, agenda, attendance, proxies, minutes,
    or close it. Only the keys given change. A closed session refuses every
    change but its minutes.

    :param id: id of the session
    :param starts_at: day and time, ``YYYY-MM-DDTHH:MM`` (optional)
    :param place: the place (optional)
    :param written_procedure: true or false (optional)
    :param title: the title (optional)
    :param agenda: ids of reviews, the whole agenda in order; a review added
        must be submitted or in review (optional)
    :param attendance: ids or names of the members present, all of them
        (members in office on the session's day) (optional)
    :param proxies: every proxy, ``[{"giver": …, "holder": …}]``: the giver
        absent and in office, the holder present, at most
        ``ckanext.cdm.session.proxies_per_member`` per holder (optional)
    :param add_proxy: one more proxy ``{"giver": …, "holder": …}`` (optional)
    :param remove_proxy: id or name of a member whose proxy is withdrawn (optional)
    :param minutes: the minutes, in markdown (optional; public once the session is closed)
    :param close: true to close the session (optional)
    :param version: the version the form was drawn from (the session's
        ``version``; optional): refused if the session was changed since
        (docs/api.md, « Edits that do not overwrite each other »)
    """
    tk.check_access("cdm_session_update", context, data_dict)
    data = validate(data_dict, cdm_schema.session_update_schema(), context)
    user = context.get("user")
    session = _locked(data["id"])
    checked(session, data.get("version"))
    details = {key: data[key] for key in DETAILS if key in data}
    if "place" in details:
        details["place"] = details["place"].strip() or None
    if "title" in details:
        details["title"] = details["title"].strip() or None
    if details:
        session.change_details(user, **details)
    if "agenda" in data:
        session.set_agenda(user, _agenda_reviews(data["agenda"], user))
    present = _user_ids(data["attendance"], "attendance") if "attendance" in data else None
    pairs = [_pair(p, "proxies") for p in data["proxies"]] if "proxies" in data else None
    if present is not None or pairs is not None:
        session.set_presence(user, present, pairs)
    if "add_proxy" in data:
        session.add_proxy(user, *_pair(data["add_proxy"], "add_proxy"))
    if "remove_proxy" in data:
        [giver] = _user_ids([data["remove_proxy"]], "remove_proxy")
        session.remove_proxy(user, giver)
    if "minutes" in data:
        session.write_minutes(user, data["minutes"].strip())
    if data.get("close"):
        session.close(user, None)
    commit(context)
    return session_dict(session, context)


@tk.side_effect_free
def cdm_session_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A session: date, place, state, agenda (the reviews the user may see),
    attendance, proxies, live quorum, the opinions adopted in it, the minutes
    (public once the session is closed) and what the user may do. For those
    who may change it, ``quorum_previews``: the quorum for each number of
    members present (index 0 to the members in office), with the proxies
    recorded, so that a form shows it while the attendance is ticked.

    :param id: id of the session
    """
    tk.check_access("cdm_session_show", context, data_dict)
    data = validate(data_dict, cdm_schema.session_show_schema(), context)
    session = CommitteeSession.get(data["id"])
    if session is None:
        raise tk.ObjectNotFound(tk._("Session not found"))
    return session_dict(session, context)


@tk.side_effect_free
def cdm_session_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Sessions: the upcoming ones soonest first, else the latest first.

    :param state: ``convened`` or ``closed`` (optional)
    :param upcoming: true for the sessions to come, false for those begun or
        past (optional)
    :param limit: page size (default 20, at most 100)
    :param offset: where the page starts (default 0)
    :returns: ``{"count": n, "results": [...]}``
    """
    tk.check_access("cdm_session_list", context, data_dict)
    data = validate(data_dict, cdm_schema.session_list_schema(), context)
    query = sa.select(CommitteeSession)
    if data.get("state"):
        query = query.where(CommitteeSession.state == data["state"])
    order = CommitteeSession.starts_at.desc()
    if "upcoming" in data:
        now: dt.datetime = utcnow()
        if data["upcoming"]:
            query = query.where(CommitteeSession.starts_at >= now)
            order = CommitteeSession.starts_at.asc()
        else:
            query = query.where(CommitteeSession.starts_at < now)
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = model.Session.execute(
        query.order_by(order, CommitteeSession.id)
        .limit(min(data.get("limit", 20), MAX_PAGE))
        .offset(data.get("offset", 0))
    ).scalars()
    private = authz.can_see_drafts(context.get("user"))
    return {"count": count, "results": [_summary(s, private) for s in rows]}
