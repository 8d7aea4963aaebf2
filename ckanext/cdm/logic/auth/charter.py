"""Who may read and write the charter."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow, id_in
from ckanext.cdm.model.charter import DRAFT, Charter


@tk.auth_allow_anonymous_access
def cdm_charter_show(context: Context, data_dict: DataDict) -> AuthResult:
    id_ = id_in(data_dict, "id")
    charter = Charter.get(id_) if id_ else Charter.adopted()
    if charter is None or charter.status != DRAFT:
        return {"success": True}  # published versions are public; unknown ids give 404
    return allow(
        authz.can_see_drafts(context.get("user")),
        tk._("Only the committee can read a draft of the charter"),
    )


@tk.auth_allow_anonymous_access
def cdm_charter_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def cdm_charter_create(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(
        authz.can_manage_charter(context.get("user")),
        tk._("Only the president of the committee can write the charter"),
    )


def cdm_charter_update(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_charter_create(context, data_dict)


def cdm_charter_adopt(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_charter_create(context, data_dict)
