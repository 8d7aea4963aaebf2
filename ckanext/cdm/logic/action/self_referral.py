"""Self-referral (*auto-saisine*): the president opens a review on the
committee's own initiative, without a steward's submission.

The review starts ``submitted`` with no self-assessment; the dataset's
stewards are told and may answer: ``cdm_review_submit`` then attaches their
saved self-assessment to the review without changing its state
(``Review.attach_self_assessment``).
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz, index, notifications
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import adopted_charter, commit, package_or_404, validate
from ckanext.cdm.logic.action.review import review_dict
from ckanext.cdm.model.review import Review


def cdm_review_open(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Open a review of a dataset on the committee's own initiative (the
    president, or a sysadmin). The dataset's stewards are e-mailed and may
    answer with their self-assessment (``cdm_review_submit``).

    :param dataset: id or name of the dataset (without an open review)
    :param message: a note to the stewards (optional)
    """
    tk.check_access("cdm_review_open", context, data_dict)
    data = validate(data_dict, cdm_schema.review_open_schema(), context)
    package = package_or_404(data["dataset"])
    charter = adopted_charter()
    user = context.get("user")
    opener = authz.user_id(user) or user
    try:
        review = Review.open(
            package, charter.id, {}, opener, user, data.get("message"), self_referral=True
        )
    except tk.ValidationError as error:
        raise tk.ValidationError({"dataset": error.error_dict.get("id", [])}) from None
    index.store_labels(package)
    commit(context)
    index.reindex(package.id)
    notifications.self_referral_opened(review, data.get("message"))
    return review_dict(review, context)
