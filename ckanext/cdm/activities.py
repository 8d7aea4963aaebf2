"""Public CKAN activities of the review workflow.

Only two events are public: a dataset submitted for an ethics review, and a
review withdrawn. Committee-internal events stay in the audit trail.

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

from ckanext.cdm.model.review import Review

SUBMITTED = "cdm review submitted package"
WITHDRAWN = "cdm review withdrawn package"
ACTIVITY_TYPES = (SUBMITTED, WITHDRAWN)


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
    if not p.plugin_loaded("activity"):
        return
    package = model.Package.get(review.package_id)
    user = model.User.get(user_name)
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
                "review": {"id": review.id, "state": review.state},
            },
            "permission_labels": get_permission_labels().get_dataset_labels(package),
        },
    )


def relabel(package: model.Package, labels: list[str]) -> None:
    """Give every activity of ``package`` the dataset's current permission
    ``labels``, in the caller's transaction (see ``index.store_labels``)."""
    if not p.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    model.Session.execute(
        sa.update(Activity).where(Activity.object_id == package.id).values(permission_labels=labels)
    )
