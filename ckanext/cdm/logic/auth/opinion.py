"""Who may draft, publish, correct and read the committee's opinions.

- drafts (``cdm_opinion_create``, ``cdm_opinion_update``): the review's
  rapporteur or the president, neither with a conflict of interest on the
  dataset, and sysadmins;
- ``cdm_opinion_publish``, ``cdm_opinion_correct``: the
  president without a conflict of interest, and sysadmins;
- reading: drafts to the committee members in office and sysadmins;
  published opinions to whoever the stored permission labels allow.
"""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz, index
from ckanext.cdm.logic.auth._base import allow, id_in, not_conflicted, president
from ckanext.cdm.model.opinion import Opinion
from ckanext.cdm.model.review import Review


def may_draft(user: str | None, review: Review) -> bool:
    """The review's rapporteur or the president, not conflicted, or a sysadmin."""
    if authz.is_sysadmin(user):
        return True
    seat = authz.seat_in_office(user)
    if seat is None:
        return False
    if seat.user_id != review.rapporteur_id and not authz.is_president(user):
        return False
    return not_conflicted(seat.user_id, review.package_id)


def _opinion(data_dict: DataDict) -> Opinion | None:
    ref = id_in(data_dict, "id")
    return Opinion.find(ref) if ref else None


def cdm_opinion_create(context: Context, data_dict: DataDict) -> AuthResult:
    review_id = id_in(data_dict, "review")
    review = Review.get(review_id) if review_id else None
    if review is None:
        # no review to judge by: only those who may draft some opinion go on
        # to the action, which names the missing review
        user = context.get("user")
        return allow(
            authz.is_sysadmin(user) or authz.is_committee(user),
            tk._("Only the rapporteur or the president can draft an opinion"),
        )
    return allow(
        may_draft(context.get("user"), review),
        tk._("Only the rapporteur or the president can draft an opinion"),
    )


def cdm_opinion_update(context: Context, data_dict: DataDict) -> AuthResult:
    opinion = _opinion(data_dict)
    review = Review.get(opinion.review_id) if opinion else None
    if review is None:
        return {"success": True}  # the action answers 404
    return allow(
        may_draft(context.get("user"), review),
        tk._("Only the rapporteur or the president can change a draft opinion"),
    )


def cdm_opinion_publish(context: Context, data_dict: DataDict) -> AuthResult:
    opinion = _opinion(data_dict)
    return allow(
        president(context.get("user"), opinion.package_id if opinion else None),
        tk._("Only the president can publish an opinion"),
    )


def cdm_opinion_correct(context: Context, data_dict: DataDict) -> AuthResult:
    opinion = _opinion(data_dict)
    return allow(
        president(context.get("user"), opinion.package_id if opinion else None),
        tk._("Only the president can correct an opinion"),
    )


def can_read(user: str | None, opinion: Opinion) -> bool:
    """Drafts: the committee and sysadmins; published opinions: by the
    dataset's labels stored on the opinion (as ``cdm_opinion_list`` filters)."""
    if opinion.state != "published":
        return authz.can_see_drafts(user)
    labels = index.labels_of_user(user)
    return labels is None or bool(set(labels) & set(opinion.permission_labels))


@tk.auth_allow_anonymous_access
def cdm_opinion_show(context: Context, data_dict: DataDict) -> AuthResult:
    opinion = _opinion(data_dict)
    if opinion is None:
        return {"success": True}  # the action answers 404
    return allow(
        can_read(context.get("user"), opinion), tk._("You are not allowed to see this opinion")
    )


@tk.auth_allow_anonymous_access
def cdm_opinion_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}  # the action lists only what the user may see
