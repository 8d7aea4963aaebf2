"""Who may announce, change and cancel citizen meetings: the committee's
members and president in office, and sysadmins. Everyone, anonymous
included, reads them."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
from ckanext.cdm.logic.auth._base import allow


def cdm_meeting_create(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    return allow(
        authz.is_sysadmin(user) or authz.is_committee(user),
        tk._("Only the committee announces citizen meetings"),
    )


def cdm_meeting_update(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_meeting_create(context, data_dict)


def cdm_meeting_cancel(context: Context, data_dict: DataDict) -> AuthResult:
    return cdm_meeting_create(context, data_dict)


@tk.auth_allow_anonymous_access
def cdm_meeting_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def cdm_meeting_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}
