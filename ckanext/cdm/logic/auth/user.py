"""A user's preferences: the user themselves, and sysadmins (whom CKAN lets
through every auth function)."""

from __future__ import annotations

from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz, user_extras
from ckanext.cdm.logic.auth._base import allow


def _is_self(context: Context, data_dict: DataDict) -> bool:
    me = authz.user_id(context.get("user"))
    if me is None:
        return False
    if "id" not in data_dict:
        return True  # one's own preferences
    target = user_extras.user_for(data_dict["id"])
    return target is not None and target.id == me


def cdm_user_preferences_show(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(
        _is_self(context, data_dict),
        tk._("Only the user themselves or a sysadmin can see these preferences"),
    )


def cdm_user_preferences_update(context: Context, data_dict: DataDict) -> AuthResult:
    return allow(
        _is_self(context, data_dict),
        tk._("Only the user themselves or a sysadmin can change these preferences"),
    )
