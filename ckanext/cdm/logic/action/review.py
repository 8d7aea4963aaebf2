"""Actions of the ethics review workflow: submit, triage, ask for changes, withdraw."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import activities, authz, figures, index, notifications
from ckanext.cdm.labels import name_key
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import adopted_charter, commit, package_or_404, validate
from ckanext.cdm.logic.auth.review import review_found
from ckanext.cdm.model import audit
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.opinion import Opinion
from ckanext.cdm.model.review import IN_REVIEW, OPEN_STATES, Conflict, Review
from ckanext.cdm.model.self_assessment import SelfAssessment, unanswered_principles
from ckanext.cdm.model.session import CommitteeSession

MAX_PAGE = 100


def _review(data_dict: DataDict, context: Context | None = None) -> Review:
    """The review named by ``id``, or the current review of the dataset
    ``dataset`` (the one the auth function found, when it looked it up)."""
    found, review = review_found(context, data_dict) if context is not None else (False, None)
    if not found:
        review = Review.find(data_dict.get("id"), data_dict.get("dataset"))
    if review is None:
        raise tk.ObjectNotFound(tk._("Review not found"))
    return review


def _locked(id_: str) -> Review:
    """The review, its row locked for the transition (``SELECT … FOR UPDATE``)."""
    review = Review.for_update(id_)
    if review is None:
        raise tk.ObjectNotFound(tk._("Review not found"))
    return review


def _people(reviews: list[Review]) -> dict[str, model.User]:
    """The rapporteurs and submitters of ``reviews``, in one query."""
    ids = {r.rapporteur_id for r in reviews if r.rapporteur_id} | {
        r.last_submitted_by for r in reviews
    }
    if not ids:
        return {}
    users = model.Session.execute(sa.select(model.User).where(model.User.id.in_(ids))).scalars()
    return {user.id: user for user in users}


def review_summary(
    review: Review, people: dict[str, model.User], private: bool = True
) -> dict[str, Any]:
    """A review as listed: its fields, its rapporteur and its submitter. Login
    names and user ids are ``private``: for the committee, the stewards and
    sysadmins; the others read full names."""
    data = review.as_dict()
    rapporteur = people.get(review.rapporteur_id) if review.rapporteur_id else None
    submitter = people.get(review.last_submitted_by)
    data["rapporteur"] = (
        {"id": rapporteur.id, "name": rapporteur.name, "fullname": rapporteur.fullname}
        if rapporteur
        else None
    )
    data["submitted_by_name"] = (submitter.fullname or submitter.name) if submitter else None
    if not private:
        for key in ("rapporteur_id", "submitted_by", "last_submitted_by"):
            data[key] = None
        data["submitters"] = []
        if rapporteur:
            data["rapporteur"] = {"fullname": rapporteur.fullname or rapporteur.name}
    return data


def _display_names(history: list[dict[str, Any]]) -> None:
    """Add each actor's full name to the history (one query)."""
    names = {e["actor"] for e in history if e["actor"]}
    users = (
        model.Session.execute(sa.select(model.User).where(model.User.name.in_(names))).scalars()
        if names
        else []
    )
    full = {u.name: u.fullname or u.name for u in users}
    for event in history:
        event["actor_display_name"] = full.get(event["actor"], event["actor"])


# what each transition needs: the auth function that decides who may do it
_TRANSITION_AUTH = {
    "assign": "cdm_review_assign",
    "request_changes": "cdm_review_request_changes",
    "resubmit": "cdm_review_submit",
    "withdraw": "cdm_review_withdraw",
}


def allowed_actions(review: Review, context: Context) -> list[str]:
    """What the user may do on the review now: the transitions the state
    machine allows and the auth functions grant, and declaring a conflict."""
    user = context.get("user")
    allowed = [
        name
        for name, auth in _TRANSITION_AUTH.items()
        if review.allows(name)
        and authz.passes(auth, user, {"id": review.package_id if name == "resubmit" else review.id})
    ]
    if review.awaits_self_assessment and authz.passes(
        "cdm_review_submit", user, {"id": review.package_id}
    ):
        allowed.append("submit_self_assessment")
    allowed.extend(_opinion_actions(review, user))
    if review.is_open and _may_declare_conflict(review.package_id, user):
        allowed.append("declare_conflict")
    return allowed


def _opinion_actions(review: Review, user: str | None) -> list[str]:
    """``draft_opinion`` (a review in examination without an opinion yet) and
    ``self_referral`` (a closed review and no open one on the dataset)."""
    allowed = []
    if (
        review.state == IN_REVIEW
        and Opinion.first_for(review.id) is None
        and authz.passes("cdm_opinion_create", user, {"review": review.id})
    ):
        allowed.append("draft_opinion")
    if _may_refer(review.package_id, user):
        allowed.append("self_referral")
    return allowed


def _may_refer(package_id: str, user: str | None) -> bool:
    """Self-referral: no review of the dataset is open, and the user may open one."""
    return Review.open_for(package_id) is None and authz.passes(
        "cdm_review_open", user, {"dataset": package_id}
    )


def _may_declare_conflict(package_id: str, user: str | None) -> bool:
    """A committee member who has not declared a conflict on the dataset yet."""
    user_id = authz.user_id(user)
    return bool(
        user_id
        and authz.passes("cdm_conflict_declare", user, {"id": package_id})
        and not Conflict.declared(user_id, package_id)
    )


def dataset_allowed_actions(
    package_id: str, review: dict[str, Any] | None, context: Context
) -> list[str]:
    """What the user may do on the dataset's ethics review now: what its
    current ``review`` (as ``review_dict`` gives it) allows; ``submit`` a new
    review when none is open; before the first review, the self-referral
    and declaring a conflict of interest."""
    user = context.get("user")
    allowed = list(review["allowed_actions"]) if review else []
    if (review is None or review["state"] not in OPEN_STATES) and authz.passes(
        "cdm_review_submit", user, {"id": package_id}
    ):
        allowed.append("submit")
    if review is None:
        if _may_refer(package_id, user):
            allowed.append("self_referral")
        if _may_declare_conflict(package_id, user):
            allowed.append("declare_conflict")
    return allowed


def review_dict(review: Review, context: Context) -> dict[str, Any]:
    """A review with its history and what the user may do; committee-only
    details for the committee."""
    user_name = context.get("user")
    committee = authz.can_see_drafts(user_name)
    private = committee or authz.can_edit_dataset(user_name, review.package_id)
    data = review_summary(review, _people([review]), private)
    history = [e.as_dict() for e in audit.trail("review", review.id)]
    _display_names(history)
    if not private:
        # the public sees the steps and who took them; the exchanges stay
        # between steward and committee, and login names are not shown
        history = [{**e, "actor": None, "message": None, "data": {}} for e in history]
    data["history"] = history
    data["allowed_actions"] = allowed_actions(review, context)
    if committee:
        data["conflicts"] = [
            {"user_id": c.user_id, "reason": c.reason}
            for c in Conflict.for_package(review.package_id)
        ]
        data["eligible_rapporteurs"] = _eligible_rapporteurs(review)
    return data


def _eligible_rapporteurs(review: Review) -> list[dict[str, str]]:
    """Members in office with no conflict of interest on the dataset."""
    package = model.Package.get(review.package_id)
    conflicted = authz.conflicted_user_ids(package) if package else set()
    eligible = [
        {"id": seat.user_id, "name": seat.user.name, "fullname": seat.user.fullname or ""}
        for seat in Member.seats()
        if seat.in_office() and seat.user_id not in conflicted
    ]
    return sorted(eligible, key=lambda p: name_key(p["fullname"] or p["name"]))


# Workflow


def cdm_review_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a dataset for an ethics review, or resubmit it after a request for changes.

    The saved self-assessment must answer every guiding question of the
    adopted charter. A resubmitted review goes back to its rapporteur when
    he or she is still in office and without a conflict of interest, else to
    triage.

    :param id: id or name of the dataset
    :param message: a note for the committee (optional)

    Returns the review, with ``next_step``: what happens next, as the
    steward's confirmation says it: ``session`` (``id``, ``starts_at``), the
    convened session to come whose agenda holds the review, or null and
    ``median_days``, the committee's median delay from submission to opinion
    over the last twelve months (null when it published no opinion then).
    """
    tk.check_access("cdm_review_submit", context, data_dict)
    data = validate(data_dict, cdm_schema.review_submit_schema(), context)
    package = package_or_404(data["id"])
    charter = adopted_charter()
    saved = SelfAssessment.get(package.id)
    answers = saved.answers_for(charter) if saved else {}
    missing = unanswered_principles(answers, charter)
    if missing:
        raise tk.ValidationError(
            {
                "self_assessment": [
                    tk._(
                        "Answer every guiding question of these principles first: {codes}."
                    ).format(codes=", ".join(missing))
                ]
            }
        )
    user = context.get("user")
    submitter = authz.user_id(user) or user
    current = Review.open_for(package.id, lock=True)
    if current is not None and current.awaits_self_assessment:
        # the steward answers a self-referral: the answers join the review
        current.attach_self_assessment(user, submitter, answers, charter.id, data.get("message"))
        commit(context)
        notifications.self_assessment_attached(current)
        return {**review_dict(current, context), "next_step": _next_step(current)}
    if current is not None and not current.allows("resubmit"):
        raise tk.ValidationError({"id": [tk._("This dataset already has an open review.")]})
    if current is not None:
        current.resubmit(
            user,
            submitter,
            answers,
            charter.id,
            data.get("message"),
            keep_rapporteur=_may_stay_rapporteur(current, package),
        )
        review, resubmitted = current, True
    else:
        review = Review.open(package, charter.id, answers, submitter, user, data.get("message"))
        resubmitted = False
        index.store_labels(package)
    activities.record(review, activities.SUBMITTED, user)
    commit(context)
    if not resubmitted:
        index.reindex(package.id)
    if resubmitted and review.rapporteur_id:
        notifications.back_to_rapporteur(review)
    else:
        notifications.review_submitted(review, resubmitted=resubmitted)
    return {**review_dict(review, context), "next_step": _next_step(review)}


def _next_step(review: Review) -> dict[str, Any]:
    """What the steward is told after submitting: the convened session to come
    whose agenda holds the review, else the committee's median delay from
    submission to opinion over the last twelve months (None: no opinion)."""
    session = CommitteeSession.next_for(review.id)
    if session is not None:
        return {"session": {"id": session.id, "starts_at": session.starts_at.isoformat()}}
    return {"session": None, "median_days": figures.recent_median_delay()}


def _may_stay_rapporteur(review: Review, package: model.Package) -> bool:
    if review.rapporteur_id is None:
        return False
    seat = Member.in_office_for(review.rapporteur_id)
    return seat is not None and not authz.is_conflicted(seat.user_id, package)


@tk.side_effect_free
def cdm_review_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A review with its self-assessment and its history.

    :param id: id of the review, or
    :param dataset: id or name of a dataset: its open review, else its latest
    """
    tk.check_access("cdm_review_show", context, data_dict)
    data = validate(data_dict, cdm_schema.review_show_schema(), context)
    if not (data.get("id") or data.get("dataset")):
        raise tk.ValidationError({"id": [tk._("Give the id of a review or a dataset.")]})
    return review_dict(_review(data, context), context)


@tk.side_effect_free
def cdm_review_state_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The state of a dataset's current review (its open review, else its
    latest), without its history: what the dataset page's side bar shows, in
    one query.

    :param dataset: id or name of the dataset
    :returns: ``{"id": ..., "state": ...}``; not found before the first review
    """
    tk.check_access("cdm_review_state_show", context, data_dict)
    data = validate(data_dict, cdm_schema.review_state_show_schema(), context)
    review = _review({"dataset": data["dataset"]}, context)
    return {"id": review.id, "state": review.state}


@tk.side_effect_free
def cdm_dataset_ethics_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A dataset's ethics review as its page shows it: the current review,
    if any, and what the user may do now (the actions a page offers, with or
    without a review).

    :param id: id or name of the dataset
    :returns: ``{"review": ..., "allowed_actions": [...]}``: the review as
        ``cdm_review_show`` gives it (its open review, else its latest;
        ``null`` before the first), and the review's ``allowed_actions``
        with ``submit`` (no review is open), and before the first review
        ``self_referral`` and ``declare_conflict``; on a deleted dataset, the
        review's own actions only
    """
    tk.check_access("cdm_dataset_ethics_show", context, data_dict)
    data = validate(data_dict, cdm_schema.dataset_ethics_show_schema(), context)
    package = model.Package.get(data["id"])
    if package is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    current = Review.find(dataset=package.id)
    review = review_dict(current, context) if current else None
    if package.state == "deleted":
        # its reviews stay readable (the audit trail outlives the dataset);
        # nothing new starts on a deleted dataset
        allowed = list(review["allowed_actions"]) if review else []
    else:
        allowed = dataset_allowed_actions(package.id, review, context)
    return {"review": review, "allowed_actions": allowed}


@tk.side_effect_free
def cdm_review_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reviews, newest first, that the user may see (without their history:
    ``cdm_review_show`` gives it).

    :param state: filter on a state (optional); ``open`` for every open state
    :param dataset: id or name of a dataset (optional)
    :param organization: id or name of an organization (optional)
    :param rapporteur: id or name of a rapporteur (optional)
    :param submitted_by: id or name of a steward who submitted one of its rounds (optional)
    :param limit: page size (default 20, at most 100)
    :param offset: where the page starts (default 0)
    :returns: ``{"count": n, "results": [...]}``
    """
    tk.check_access("cdm_review_list", context, data_dict)
    data = validate(data_dict, cdm_schema.review_list_schema(), context)
    query = sa.select(Review)
    state = data.get("state")
    if state == "open":
        query = query.where(Review.state.in_(OPEN_STATES))
    elif state:
        query = query.where(Review.state == state)
    if data.get("dataset"):
        package = model.Package.get(data["dataset"])
        query = query.where(Review.package_id == (package.id if package else data["dataset"]))
    if data.get("organization"):
        group = model.Group.get(data["organization"])
        query = query.where(Review.organization_id == (group.id if group else data["organization"]))
    if data.get("rapporteur"):
        person = model.User.get(data["rapporteur"])
        query = query.where(Review.rapporteur_id == (person.id if person else data["rapporteur"]))
    if data.get("submitted_by"):
        person = model.User.get(data["submitted_by"])
        submitter = person.id if person else data["submitted_by"]
        query = query.where(Review.submitters.any(submitter))
    query = Review.visible_to(query, index.labels_of_user(context.get("user")))
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = model.Session.execute(
        query.order_by(Review.last_submitted_at.desc())
        .limit(min(data.get("limit", 20), MAX_PAGE))
        .offset(data.get("offset", 0))
    ).scalars()
    reviews = list(rows)
    people = _people(reviews)
    user = context.get("user")
    # login names for the committee and for one's own requests (``submitted_by``)
    private = authz.can_see_drafts(user) or bool(
        data.get("submitted_by") and data["submitted_by"] in (user, authz.user_id(user))
    )
    return {"count": count, "results": [review_summary(r, people, private) for r in reviews]}


def cdm_review_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a submitted review into examination and name its rapporteur (or change him/her).

    :param id: id of the review
    :param rapporteur: id or name of a committee member in office without a
        conflict of interest on the dataset
    :param message: a note (optional)
    """
    tk.check_access("cdm_review_assign", context, data_dict)
    data = validate(data_dict, cdm_schema.review_assign_schema(), context)
    review = _locked(data["id"])
    rapporteur = model.User.get(data["rapporteur"])
    package = model.Package.get(review.package_id)
    seat = authz.seat_in_office(rapporteur.name) if rapporteur else None
    if seat is None:
        raise tk.ValidationError(
            {"rapporteur": [tk._("The rapporteur must be a committee member in office.")]}
        )
    if package is not None and authz.is_conflicted(seat.user_id, package):
        raise tk.ValidationError(
            {
                "rapporteur": [
                    tk._(
                        "This member has a conflict of interest on the dataset and cannot be its "
                        "rapporteur."
                    )
                ]
            }
        )
    review.assign(context.get("user"), rapporteur, data.get("message"))
    commit(context)
    notifications.rapporteur_assigned(review)
    return review_dict(review, context)


def cdm_review_request_changes(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Send a review back to the steward with the committee's questions.

    :param id: id of the review
    :param message: what the steward should change or answer (required)
    """
    tk.check_access("cdm_review_request_changes", context, data_dict)
    data = validate(data_dict, cdm_schema.review_request_changes_schema(), context)
    review = _locked(data["id"])
    review.request_changes(context.get("user"), data["message"])
    commit(context)
    notifications.changes_requested(review, data["message"])
    return review_dict(review, context)


def cdm_review_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Withdraw an open review (the steward's decision).

    :param id: id of the review
    :param message: why (optional)
    """
    tk.check_access("cdm_review_withdraw", context, data_dict)
    data = validate(data_dict, cdm_schema.review_withdraw_schema(), context)
    review = _locked(data["id"])
    review.withdraw(context.get("user"), data.get("message"))
    package = model.Package.get(review.package_id)
    if package is not None:
        index.store_labels(package)
    activities.record(review, activities.WITHDRAWN, context.get("user"))
    commit(context)
    index.reindex(review.package_id)
    return review_dict(review, context)
