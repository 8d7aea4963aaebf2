"""Who may read and change the committee's composition."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm.logic.auth._base import allow


@tk.auth_allow_anonymous_access
def cdm_member_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def cdm_member_create(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(False, tk._("Only sysadmins manage the composition of the committee"))


def cdm_member_update(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_member_create(context, data_dict)


def cdm_member_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_member_create(context, data_dict)
