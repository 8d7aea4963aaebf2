"""Conflicts of interest declared by committee members."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict
from sqlalchemy.exc import IntegrityError

from ckanext.cdm import authz, notifications
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import commit, package_or_404, validate
from ckanext.cdm.model import audit
from ckanext.cdm.model.review import Conflict, Review


def cdm_conflict_declare(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A committee member declares a conflict of interest on a dataset.

    A member who was the rapporteur of its open review steps down: the review
    goes back to triage and the president is told.

    :param id: id or name of the dataset
    :param reason: why (optional, visible to the committee only)
    """
    tk.check_access("cdm_conflict_declare", context, data_dict)
    data = validate(data_dict, cdm_schema.conflict_declare_schema(), context)
    package = package_or_404(data["id"])
    user = context.get("user")
    user_id = authz.user_id(user)
    # the open review's row lock serialises this with cdm_review_assign, which
    # checks conflicts under the same lock: a member is never both
    review = Review.open_for(package.id, lock=True)
    stepped_down: list[Review] = []
    if not Conflict.declared(user_id, package.id):
        try:
            with model.Session.begin_nested():
                model.Session.add(
                    Conflict(user_id=user_id, package_id=package.id, reason=data.get("reason"))
                )
                model.Session.flush()
        except IntegrityError:  # declared at the same moment by a parallel request
            model.Session.rollback()
            return {
                "package_id": package.id,
                "user_id": user_id,
                "declared": True,
                "unassigned_reviews": [],
            }
        audit.record("conflict", package.id, "declare", user, message=data.get("reason"))
        if review is not None and review.rapporteur_id == user_id:
            review.unassign(user, tk._("The rapporteur declared a conflict of interest."))
            stepped_down.append(review)
        commit(context)
    for review in stepped_down:
        notifications.rapporteur_stepped_down(review, user)
    return {
        "package_id": package.id,
        "user_id": user_id,
        "declared": True,
        "unassigned_reviews": [r.id for r in stepped_down],
    }
