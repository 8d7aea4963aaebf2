"""Who sees which dataset: the committee's permission label.

CKAN decides who may read a dataset (``package_show``, ``package_search``,
every page) by comparing the dataset's permission labels with the user's. A
private dataset that the committee examines (an open review) or has an opinion
on (a published one, or a draft, even of a review since withdrawn) carries the
label ``cdm-committee`` (a public dataset needs no more than ``public``);
committee members in office carry it too. So they see exactly those private
datasets, by CKAN's own rules, and nothing else.

The labels of the other ``IPermissionLabels`` plugins of the portal (or CKAN's
defaults: public, creator, organization members, collaborators) are kept: this
plugin adds its label to theirs. Each review row stores its dataset's labels,
so that lists of reviews are filtered in SQL the same way.
"""

from __future__ import annotations

import logging
from typing import Any

from ckan import model
from ckan import plugins as p
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.plugins import toolkit as tk

from ckanext.cdm.model.member import Member
from ckanext.cdm.model.opinion import Opinion
from ckanext.cdm.model.review import Review

log = logging.getLogger(__name__)

COMMITTEE_LABEL = "cdm-committee"


def _next_plugin(current: Any) -> Any:
    """The labels plugin CKAN would use without ckanext-cdm."""
    for plugin in p.PluginImplementations(p.IPermissionLabels):
        if plugin is not current:
            return plugin
    return DefaultPermissionLabels()


def dataset_labels(plugin: Any, package: model.Package) -> list[str]:
    labels = list(_next_plugin(plugin).get_dataset_labels(package))
    if "public" in labels:
        # everyone may see it: the committee's label would add nothing, and
        # asking whether the committee follows it would cost each package_show
        # a query (it is added when the dataset becomes private)
        return labels
    if package.state == "active" and (
        Review.committee_follows(package.id) or Opinion.exists_for(package.id)
    ):
        labels.append(COMMITTEE_LABEL)
    return labels


def user_labels(plugin: Any, user: model.User | None) -> list[str]:
    labels = list(_next_plugin(plugin).get_user_dataset_labels(user))
    if user is not None and not user.is_anonymous and Member.in_office_for(user.id):
        labels.append(COMMITTEE_LABEL)
    return labels


def labels_of_user(user_name: str | None) -> list[str] | None:
    """The labels that filter lists for ``user_name``; ``None`` for sysadmins,
    who see everything (as in ``package_search``)."""
    from ckan import authz
    from ckan.lib.plugins import get_permission_labels

    user = model.User.get(user_name) if user_name else None
    if user is not None and authz.is_sysadmin(user.name):
        return None
    return get_permission_labels().get_user_dataset_labels(user)


def store_labels(package: model.Package) -> None:
    """Store the dataset's current labels where visibility is stored with the
    row: on its reviews and opinions, and on its activities (ours and CKAN's), which CKAN
    labels only once, when it records them. In the caller's transaction."""
    from ckan.lib.plugins import get_permission_labels

    from ckanext.cdm import activities

    model.Session.flush()  # CKAN's session does not autoflush: labels read the reviews
    labels = get_permission_labels().get_dataset_labels(package)
    Review.set_permission_labels(package.id, labels)
    if package.state == "active":
        # opinions are public records: a deleted (or later purged) dataset's
        # opinions keep the labels they had while it was in the catalogue
        Opinion.set_permission_labels(package.id, labels)
    activities.relabel(package, labels)


# actions that change a dataset's labels without a dataset hook that sees the
# change: package_owner_org_update has none, package_delete calls
# after_dataset_delete before it marks the dataset deleted
_LABEL_ACTIONS = ("package_owner_org_update", "package_delete")


def get_signal_subscriptions() -> Any:
    return {
        tk.signals.action_succeeded: [
            {"sender": action, "receiver": _labels_changed} for action in _LABEL_ACTIONS
        ]
    }


def _labels_changed(sender: str, **kwargs: Any) -> None:
    data_dict = kwargs.get("data_dict") or {}
    ref = data_dict.get("id")
    package = model.Package.get(ref) if isinstance(ref, str) else None
    if package is None:
        return
    store_labels(package)
    if not (kwargs.get("context") or {}).get("defer_commit"):
        model.repo.commit()


def reindex(package_id: str) -> None:
    """Reindex the dataset after its labels changed (a review opened or
    closed), once the change is committed, so that ``package_search`` agrees."""
    from ckan.lib import search

    if model.Package.get(package_id) is None:
        return
    try:
        search.rebuild(package_id)
    except search.SearchIndexError:  # the database is right; a rebuild mends the index
        log.exception("cdm: could not reindex dataset %s", package_id)


def refresh_all() -> int:
    """Store the current labels of every reviewed dataset on its reviews and
    reindex it (after a change of the portal's labels plugins, or an upgrade);
    returns how many datasets were refreshed. The datasets are reindexed in
    batches, as by ``ckan cdm badges refresh`` (``badge_refresh.reindex``):
    CKAN's indexer reads each dataset's labels again."""
    import sqlalchemy as sa
    from ckan.lib import search

    from ckanext.cdm import badge_facts, badge_refresh

    ids = model.Session.execute(sa.select(Review.package_id).distinct()).scalars().all()
    packages = [p for p in (model.Package.get(i) for i in ids) if p is not None]
    for package in packages:
        store_labels(package)
    model.repo.commit()
    found = sorted(p.id for p in packages)
    for start in range(0, len(found), badge_refresh.BATCH):
        batch = found[start : start + badge_refresh.BATCH]
        try:
            badge_refresh.reindex(badge_facts.badges_for(batch))
        except search.SearchIndexError:  # the database is right; a rebuild mends the index
            log.exception("cdm: could not reindex datasets %s", ", ".join(batch))
    if found:
        search.commit()
    return len(packages)
