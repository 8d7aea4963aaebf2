"""Public CKAN activities of the review workflow.

Only two events are public: a dataset submitted for an ethics review, and a
review withdrawn. Committee-internal events stay in the audit trail.

The activities carry the dataset's permission labels, and their types end in
``package``: ckanext-activity filters by permission labels only the types
that end so (``_filter_activities_by_permission_labels``) and shows every
other type to everyone. So the activities of a private dataset are seen, in
every stream, only by those who can see the dataset.

ckanext-activity computes the labels once, when it records an activity. When
a dataset's visibility changes (made private or public, moved to another
organization, collaborators added or removed), :func:`relabel` gives all its
past activities, ours and CKAN's, the dataset's labels of now.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import model, types
from ckan import plugins as p
from ckan.lib.plugins import get_permission_labels
from ckan.plugins import toolkit as tk

from ckanext.cdm.model.review import Review

SUBMITTED = "cdm review submitted package"
WITHDRAWN = "cdm review withdrawn package"
ACTIVITY_TYPES = (SUBMITTED, WITHDRAWN)

# The actions after which a dataset's permission labels may have changed.
VISIBILITY_ACTIONS = (
    "package_update",
    "package_owner_org_update",
    "bulk_update_private",
    "bulk_update_public",
    "package_collaborator_create",
    "package_collaborator_delete",
)


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


def get_signal_subscriptions() -> types.SignalMapping:
    """Relabel a dataset's activities after the actions that change its visibility."""
    return {
        tk.signals.action_succeeded: [
            {"sender": action, "receiver": _visibility_changed} for action in VISIBILITY_ACTIONS
        ]
    }


def relabel(package: model.Package) -> None:
    """Give every activity of ``package`` the dataset's current permission
    labels, in the caller's transaction."""
    if not p.plugin_loaded("activity"):
        return
    from ckanext.activity.model import Activity

    labels = get_permission_labels().get_dataset_labels(package)
    model.Session.execute(
        sa.update(Activity).where(Activity.object_id == package.id).values(permission_labels=labels)
    )


def _visibility_changed(sender: str, **kwargs: Any) -> None:
    data_dict = kwargs.get("data_dict") or {}
    if sender.startswith("bulk_"):
        refs = data_dict.get("datasets")
    else:
        refs = [data_dict.get("id") or data_dict.get("name")]
    packages = [model.Package.get(ref) for ref in refs or [] if isinstance(ref, str)]
    for package in packages:
        if package is not None:
            relabel(package)
    if not (kwargs.get("context") or {}).get("defer_commit"):
        model.Session.commit()
