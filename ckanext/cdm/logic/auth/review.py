"""Who may take part in the review workflow.

Stewards (those who may update the dataset) submit, answer and withdraw; the
committee members in office without a conflict of interest triage; reviews
are seen by whoever may see the dataset, and by the committee.
"""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz, index
from ckanext.cdm.logic.auth._base import allow, dataset_id, id_in, steward
from ckanext.cdm.model.review import Review


def _review(data_dict: DataDict) -> Review | None:
    review_id = id_in(data_dict, "id")
    return Review.get(review_id) if review_id else None


def cdm_review_submit(context: Context, data_dict: DataDict) -> AuthResult:
    return steward(context, dataset_id(data_dict))


def cdm_review_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    """The stewards withdraw their request; a self-referral is the committee's
    own: only the president (or a sysadmin) withdraws it."""
    review = _review(data_dict)
    if review is None:
        return {"success": True}  # the action answers 404
    if review.self_referral:
        user = context.get("user")
        return allow(
            authz.is_sysadmin(user) or authz.is_president(user),
            tk._("Only the president can withdraw a self-referral of the committee"),
        )
    return steward(context, review.package_id)


def current_review(context: Context, data_dict: DataDict) -> Review | None:
    """The review that ``id`` or ``dataset`` names, looked up once per call:
    left in the context for the action (as CKAN's auth functions leave
    ``context["package"]``), which reads it back with :func:`review_found`."""
    key = (id_in(data_dict, "id"), id_in(data_dict, "dataset"))
    review = Review.find(*key)
    context["cdm_review"] = (key, review)  # type: ignore[typeddict-unknown-key]
    return review


def review_found(context: Context, data_dict: DataDict) -> tuple[bool, Review | None]:
    """(found, review): what :func:`current_review` left for these ids."""
    left = context.pop("cdm_review", None)  # type: ignore[typeddict-item]
    key = (id_in(data_dict, "id"), id_in(data_dict, "dataset"))
    if left is not None and left[0] == key:
        return True, left[1]
    return False, None


@tk.auth_allow_anonymous_access
def cdm_review_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the dataset, by its permission labels: those stored on
    the review, as ``cdm_review_list`` filters them (show and list agree)."""
    review = current_review(context, data_dict)
    if review is None:
        if not id_in(data_dict, "dataset"):
            return {"success": True}  # the action answers 404
        return allow(
            authz.can_read_dataset(context.get("user"), dataset_id(data_dict)),
            tk._("You are not allowed to see the reviews of this dataset"),
        )
    labels = index.labels_of_user(context.get("user"))
    return allow(
        labels is None or bool(set(labels) & set(review.permission_labels)),
        tk._("You are not allowed to see the reviews of this dataset"),
    )


@tk.auth_allow_anonymous_access
def cdm_review_state_show(context: Context, data_dict: DataDict) -> AuthResult:
    """As ``cdm_review_show`` of the dataset."""
    return cdm_review_show(context, {"dataset": id_in(data_dict, "dataset")})


@tk.auth_allow_anonymous_access
def cdm_dataset_ethics_show(context: Context, data_dict: DataDict) -> AuthResult:
    """As ``cdm_review_show`` of the dataset: whoever may see it (by its
    current review's labels when it has one)."""
    return cdm_review_show(context, {"dataset": id_in(data_dict, "id")})


@tk.auth_allow_anonymous_access
def cdm_review_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}  # the action lists only what the user may see


def _triage(context: Context, data_dict: DataDict) -> AuthResult:
    review = _review(data_dict)
    package = model.Package.get(review.package_id) if review else None
    return allow(
        authz.can_triage(context.get("user"), package),
        tk._("Only committee members without a conflict of interest can triage this review"),
    )


def cdm_review_assign(context: Context, data_dict: DataDict) -> AuthResult:
    return _triage(context, data_dict)


def cdm_review_request_changes(context: Context, data_dict: DataDict) -> AuthResult:
    return _triage(context, data_dict)
