"""Who may convene and run the committee's sessions: the president in office
and sysadmins. Everyone, anonymous included, may read them: the actions
filter what each reader sees."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow


def cdm_session_create(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    return allow(
        authz.is_sysadmin(user) or authz.is_president(user),
        tk._("Only the president of the committee runs its sessions"),
    )


def cdm_session_update(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_session_create(context, data_dict)


@tk.auth_allow_anonymous_access
def cdm_session_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def cdm_session_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
