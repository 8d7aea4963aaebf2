"""Public CKAN activities of the review workflow.

Three events are public: a dataset submitted for an ethics review, a review
withdrawn, and an opinion published (its number and verdict, never a
confidential field nor a draft). Committee-internal events stay in the audit
trail.

The activities carry the dataset's permission labels, and their types end in
``package``: ckanext-activity filters by permission labels only the types
that end so (``_filter_activities_by_permission_labels``) and shows every
other type to everyone. So the activities of a private dataset are seen, in
every stream, only by those who can see the dataset.

ckanext-activity computes the labels once, when it records an activity. When
a dataset's labels change (made private or public, moved to another
organization, a review opened or closed), :func:`relabel` gives all its past
activities, ours and CKAN's, the dataset's labels of now; it is called by
``index.store_labels``, the one place that stores a dataset's labels.
"""

from __future__ import annotations

import sqlalchemy as sa
from ckan import model
from ckan import plugins as p
from ckan.lib.plugins import get_permission_labels
from ckan.plugins import toolkit as tk

from ckanext.cdm.model.base import utcnow
from ckanext.cdm.model.opinion import Opinion
from ckanext.cdm.model.review import Review

SUBMITTED = "cdm review submitted package"
WITHDRAWN = "cdm review withdrawn package"
OPINION_PUBLISHED = "cdm opinion published package"
ACTIVITY_TYPES = (SUBMITTED, WITHDRAWN, OPINION_PUBLISHED)


# The actions after which a dataset's permission labels may have changed.
def register_activity_types() -> None:
    """Make the activity plugin accept our types (no public API for it in 2.12)."""
    if not p.plugin_loaded("activity"):
        return
    from ckanext.activity.logic.validators import object_id_validators

    for activity_type in ACTIVITY_TYPES:
        object_id_validators.setdefault(activity_type, "package_id_exists")


def record(review: Review, activity_type: str, user_name: str) -> None:
    """Add the activity in the caller's transaction."""
    _create(review.package_id, activity_type, user_name, {"id": review.id, "state": review.state})


def record_opinion(opinion: Opinion, user_name: str | None) -> None:
    """The public activity of a published opinion: its number, verdict and
    the opinion it corrects; nothing confidential."""
    supersedes = Opinion.get(opinion.supersedes_id) if opinion.supersedes_id else None
    _create(
        opinion.package_id,
        OPINION_PUBLISHED,
        user_name,
        {"id": opinion.review_id, "state": "opinion_issued"},
        opinion={
            "id": opinion.id,
            "number": opinion.number,
            "verdict": opinion.verdict,
            "supersedes": supersedes.number if supersedes else None,
        },
    )


def _create(
    package_id: str, activity_type: str, user_name: str | None, review: dict, **more: dict
) -> None:
    if not p.plugin_loaded("activity"):
        return
    package = model.Package.get(package_id)
    user = model.User.get(user_name) if user_name else None
    if package is None or user is None:
        return
    tk.get_action("activity_create")(
        {"ignore_auth": True, "defer_commit": True, "user": user.name},
        {
            "user_id": user.id,
            "object_id": package.id,
            "activity_type": activity_type,
            "data": {
                "package": {
                    "id": package.id,
                    "name": package.name,
                    "title": package.title,
                    "type": package.type,
                },
                "review": review,
                **more,
            },
            "permission_labels": get_permission_labels().get_dataset_labels(package),
        },
    )
    _stamp(package.id, activity_type)


def _stamp(package_id: str, activity_type: str) -> None:
    """Date the activity just recorded (pending in the session) by the model's
    clock, as the audit trail: the same moment, unless ``clock_at`` set the
    clock to the past (the demo's past year). ckanext-activity keeps naive
    UTC times."""
    from ckanext.activity.model import Activity

    for pending in model.Session.new:
        if (
            isinstance(pending, Activity)
            and pending.object_id == package_id
            and pending.activity_type == activity_type
        ):
            pending.timestamp = utcnow().replace(tzinfo=None)


def relabel(package: model.Package, labels: list[str]) -> None:
    """Give every activity of ``package`` the dataset's current permission
    ``labels``, in the caller's transaction (see ``index.store_labels``)."""
    if not p.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    model.Session.execute(
        sa.update(Activity).where(Activity.object_id == package.id).values(permission_labels=labels)
    )
