"""Auth functions of ckanext-cdm, one per action of the same name."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.model.charter import DRAFT, Charter


def _allow(allowed: bool, reason: str) -> AuthResult:
    return {"success": True} if allowed else {"success": False, "msg": reason}


@tk.auth_allow_anonymous_access
def cdm_charter_show(context: Context, data_dict: DataDict) -> AuthResult:
    id_ = data_dict.get("id")
    charter = Charter.get(id_) if id_ else Charter.adopted()
    if charter is None or charter.status != DRAFT:
        return {"success": True}  # published versions are public; unknown ids give 404
    return _allow(
        authz.can_see_drafts(context.get("user")),
        tk._("Only the committee can read a draft of the charter"),
    )


@tk.auth_allow_anonymous_access
def cdm_charter_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def cdm_charter_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _allow(
        authz.can_manage_charter(context.get("user")),
        tk._("Only the president of the committee can write the charter"),
    )


def cdm_charter_update(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_charter_create(context, data_dict)


def cdm_charter_adopt(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_charter_create(context, data_dict)


@tk.auth_allow_anonymous_access
def cdm_member_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def cdm_member_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _allow(False, tk._("Only sysadmins manage the composition of the committee"))


def cdm_member_update(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_member_create(context, data_dict)


def cdm_member_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_member_create(context, data_dict)
