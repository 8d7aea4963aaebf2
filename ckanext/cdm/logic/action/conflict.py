"""Conflicts of interest declared by committee members."""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import commit, package_or_404, validate
from ckanext.cdm.model import audit
from ckanext.cdm.model.review import Conflict


def cdm_conflict_declare(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A committee member declares a conflict of interest on a dataset.

    :param id: id or name of the dataset
    :param reason: why (optional, visible to the committee only)
    """
    tk.check_access("cdm_conflict_declare", context, data_dict)
    data = validate(data_dict, cdm_schema.conflict_declare_schema(), context)
    package = package_or_404(data["id"])
    user_id = authz.user_id(context.get("user"))
    if not Conflict.declared(user_id, package.id):
        model.Session.add(
            Conflict(user_id=user_id, package_id=package.id, reason=data.get("reason"))
        )
        audit.record(
            "conflict",
            package.id,
            "declare",
            context.get("user"),
            message=data.get("reason"),
        )
        commit(context)
    return {"package_id": package.id, "user_id": user_id, "declared": True}
