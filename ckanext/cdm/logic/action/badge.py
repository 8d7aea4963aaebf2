"""The badge of a dataset, as the API gives it (the rules: ``badges.py``)."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import badge_display, badge_facts, badges
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import validate


def _seen(context: Context, data_dict: DataDict, auth: str) -> tuple[model.Package, Any]:
    """The dataset of ``id`` and its badge facts, in one SQL statement
    (``badge_facts.facts_of``), once the user may see it (``auth``, which
    reads the dataset from the context, as CKAN's auth functions do)."""
    data = validate(data_dict, cdm_schema.badge_show_schema(), context)
    package, facts = badge_facts.facts_of(data["id"])
    if package is None or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    context["package"] = package
    tk.check_access(auth, context, data_dict)
    return package, facts


@tk.side_effect_free
def cdm_badge_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The badge of a dataset: its code (``cdm_badge``) and the public summary
    that ``package_show`` gives as ``cdm`` (label, explanation, opinion,
    charter version, re-examination). Whoever may see the dataset may see it.

    :param id: id or name of the dataset
    """
    from ckanext.cdm.model import base

    _, facts = _seen(context, data_dict, "cdm_badge_show")
    badge = badges.badge_for(facts, base.today())
    return {"cdm_badge": badge.code, **badge_display.summary(badge)}


@tk.side_effect_free
def cdm_badge_validator(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What the badge of a dataset depends on, without computing it:
    ``{"id": …, "private": …, "fingerprint": …}``. Two equal fingerprints
    give the same ``cdm_badge_show``: the embeddable badge compares its ETag
    with it and answers a revalidation with 304 without building anything.
    Whoever may see the dataset may ask (``cdm_badge_show``'s rules).

    :param id: id or name of the dataset
    """
    from ckanext.cdm.model import base

    package, facts = _seen(context, data_dict, "cdm_badge_validator")
    return {
        "id": package.id,
        "private": bool(package.private),
        "fingerprint": badges.fingerprint(facts, base.today()),
    }
