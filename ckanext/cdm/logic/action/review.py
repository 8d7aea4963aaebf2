"""Actions of the ethics review workflow: submit, triage, ask for changes, withdraw."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict
from sqlalchemy.exc import IntegrityError

from ckanext.cdm import activities, authz, notifications
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import adopted_charter, commit, package_or_404, validate
from ckanext.cdm.model import audit
from ckanext.cdm.model.base import utcnow
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.review import OPEN_STATES, Conflict, Review
from ckanext.cdm.model.self_assessment import SelfAssessment, unanswered_principles

MAX_PAGE = 100


def _review(data_dict: DataDict) -> Review:
    """The review named by ``id``, or the current review of the dataset ``dataset``."""
    review = None
    if data_dict.get("id"):
        review = Review.get(data_dict["id"])
    elif data_dict.get("dataset"):
        package = model.Package.get(data_dict["dataset"])
        if package is not None:
            review = Review.open_for(package.id) or Review.latest_for(package.id)
    if review is None:
        raise tk.ObjectNotFound(tk._("Review not found"))
    return review


def _people(reviews: list[Review]) -> dict[str, model.User]:
    """The rapporteurs and submitters of ``reviews``, in one query."""
    ids = {r.rapporteur_id for r in reviews if r.rapporteur_id} | {r.submitted_by for r in reviews}
    if not ids:
        return {}
    users = model.Session.execute(sa.select(model.User).where(model.User.id.in_(ids))).scalars()
    return {user.id: user for user in users}


def review_summary(review: Review, people: dict[str, model.User]) -> dict[str, Any]:
    """A review as listed: its fields, its rapporteur and its submitter."""
    data = review.as_dict()
    rapporteur = people.get(review.rapporteur_id) if review.rapporteur_id else None
    submitter = people.get(review.submitted_by)
    data["rapporteur"] = (
        {"id": rapporteur.id, "name": rapporteur.name, "fullname": rapporteur.fullname}
        if rapporteur
        else None
    )
    data["submitted_by_name"] = (submitter.fullname or submitter.name) if submitter else None
    return data


def review_dict(review: Review, user_name: str | None) -> dict[str, Any]:
    """A review with its history; committee-only details for the committee."""
    data = review_summary(review, _people([review]))
    committee = authz.can_see_drafts(user_name)
    history = [e.as_dict() for e in audit.trail("review", review.id)]
    if not (committee or authz.can_edit_dataset(user_name, review.package_id)):
        # the public sees the steps; the exchanges stay between steward and committee
        history = [{**e, "message": None, "data": {}} for e in history]
    data["history"] = history
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
    return [
        {"id": seat.user_id, "name": seat.user.name, "fullname": seat.user.fullname or ""}
        for seat in Member.seats()
        if seat.in_office() and seat.user_id not in conflicted
    ]


# Workflow


def cdm_review_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a dataset for an ethics review, or resubmit it after a request for changes.

    The saved self-assessment must answer every guiding question of the
    adopted charter.

    :param id: id or name of the dataset
    :param message: a note for the committee (optional)
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
    current = Review.open_for(package.id)
    if current is not None and current.state != "changes_requested":
        raise tk.ValidationError({"id": [tk._("This dataset already has an open review.")]})
    if current is not None:
        before, after = current.transition("resubmit")
        current.self_assessment = answers
        current.charter_id = charter.id  # the answers are to the charter now adopted
        current.last_submitted_at = utcnow()
        review, action = current, "resubmit"
    else:
        review = Review(
            package_id=package.id,
            organization_id=package.owner_org,
            dataset_name=package.name,
            dataset_title=package.title or package.name,
            charter_id=charter.id,
            self_assessment=answers,
            submitted_by=authz.user_id(user) or user,
        )
        model.Session.add(review)
        before, after, action = None, review.state or "submitted", "submit"
        try:
            model.Session.flush()
        except IntegrityError:
            model.Session.rollback()
            raise tk.ValidationError(
                {"id": [tk._("This dataset already has an open review.")]}
            ) from None
    audit.record(
        "review",
        review.id,
        action,
        user,
        from_state=before,
        to_state=after,
        message=data.get("message"),
        data={"dataset": package.name},
    )
    activities.record(review, activities.SUBMITTED, user)
    commit(context)
    notifications.review_submitted(review, resubmitted=action == "resubmit")
    return review_dict(review, user)


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
    return review_dict(_review(data), context.get("user"))


@tk.side_effect_free
def cdm_review_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reviews, newest first, that the user may see (without their history:
    ``cdm_review_show`` gives it).

    :param state: filter on a state (optional); ``open`` for every open state
    :param dataset: id or name of a dataset (optional)
    :param organization: id or name of an organization (optional)
    :param rapporteur: id or name of a rapporteur (optional)
    :param submitted_by: id or name of the submitting steward (optional)
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
    for field, column in (
        ("rapporteur", Review.rapporteur_id),
        ("submitted_by", Review.submitted_by),
    ):
        if data.get(field):
            person = model.User.get(data[field])
            query = query.where(column == (person.id if person else data[field]))
    query = _visible_to(query, context.get("user"))
    count = model.Session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar()
    rows = model.Session.execute(
        query.order_by(Review.last_submitted_at.desc())
        .limit(min(data.get("limit", 20), MAX_PAGE))
        .offset(data.get("offset", 0))
    ).scalars()
    reviews = list(rows)
    people = _people(reviews)
    return {"count": count, "results": [review_summary(r, people) for r in reviews]}


def _visible_to(query: sa.Select, user_name: str | None) -> sa.Select:
    """Reviews of public datasets for all; of private ones for their organization's
    members; all for the committee and sysadmins. In one query, no row-by-row check."""
    if authz.can_see_drafts(user_name):
        return query
    package = model.Package.__table__
    visible = sa.select(package.c.id).where(
        package.c.state == "active", package.c.private.is_(False)
    )
    user_id = authz.user_id(user_name)
    if user_id:
        member = model.Member.__table__
        own_orgs = sa.select(member.c.group_id).where(
            member.c.table_name == "user",
            member.c.table_id == user_id,
            member.c.state == "active",
        )
        visible = sa.select(package.c.id).where(
            package.c.state == "active",
            sa.or_(package.c.private.is_(False), package.c.owner_org.in_(own_orgs)),
        )
    return query.where(Review.package_id.in_(visible))


def cdm_review_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Take a submitted review into examination and name its rapporteur (or change him/her).

    :param id: id of the review
    :param rapporteur: id or name of a committee member in office without a
        conflict of interest on the dataset
    :param message: a note (optional)
    """
    tk.check_access("cdm_review_assign", context, data_dict)
    data = validate(data_dict, cdm_schema.review_assign_schema(), context)
    review = _review({"id": data["id"]})
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
    before, after = review.transition("assign")
    review.rapporteur_id = rapporteur.id
    audit.record(
        "review",
        review.id,
        "assign",
        context.get("user"),
        from_state=before,
        to_state=after,
        message=data.get("message"),
        data={"rapporteur": rapporteur.name},
    )
    commit(context)
    notifications.rapporteur_assigned(review)
    return review_dict(review, context.get("user"))


def cdm_review_request_changes(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Send a review back to the steward with the committee's questions.

    :param id: id of the review
    :param message: what the steward should change or answer (required)
    """
    tk.check_access("cdm_review_request_changes", context, data_dict)
    data = validate(data_dict, cdm_schema.review_request_changes_schema(), context)
    review = _review({"id": data["id"]})
    before, after = review.transition("request_changes")
    audit.record(
        "review",
        review.id,
        "request_changes",
        context.get("user"),
        from_state=before,
        to_state=after,
        message=data["message"],
    )
    commit(context)
    notifications.changes_requested(review, data["message"])
    return review_dict(review, context.get("user"))


def cdm_review_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Withdraw an open review (the steward's decision).

    :param id: id of the review
    :param message: why (optional)
    """
    tk.check_access("cdm_review_withdraw", context, data_dict)
    data = validate(data_dict, cdm_schema.review_withdraw_schema(), context)
    review = _review({"id": data["id"]})
    before, after = review.transition("withdraw")
    audit.record(
        "review",
        review.id,
        "withdraw",
        context.get("user"),
        from_state=before,
        to_state=after,
        message=data.get("message"),
    )
    activities.record(review, activities.WITHDRAWN, context.get("user"))
    commit(context)
    return review_dict(review, context.get("user"))
