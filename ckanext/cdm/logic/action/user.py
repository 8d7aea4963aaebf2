"""A user's preferences for the extension: the language of their e-mails.

Kept in the user's ``plugin_extras["cdm"]`` (see ``ckanext/cdm/user_extras.py``);
only the user themselves and sysadmins read or change them.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import user_extras
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import commit, validate


def _target(context: Context, data_dict: DataDict) -> model.User:
    reference = data_dict["id"] if "id" in data_dict else context.get("user")
    user = user_extras.user_for(reference)
    if user is None or user.state == "deleted":
        raise tk.ObjectNotFound(tk._("User not found"))
    return user


def _preferences(user: model.User) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.name,
        "language": user_extras.language(user),
        "languages": user_extras.offered_languages(),
    }


@tk.side_effect_free
def cdm_user_preferences_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A user's preferences: ``language``, the language of their e-mails (the
    site's default language until they choose one), among ``languages``.

    :param id: id or name of the user (default: the user calling)
    """
    tk.check_access("cdm_user_preferences_show", context, data_dict)
    return _preferences(_target(context, data_dict))


def cdm_user_preferences_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Choose the language of a user's e-mails.

    :param id: id or name of the user (default: the user calling)
    :param language: one of the site's languages (``ckan.locales_offered``)
    """
    tk.check_access("cdm_user_preferences_update", context, data_dict)
    data = validate(data_dict, cdm_schema.user_preferences_schema(), context)
    user = _target(context, data_dict)
    user_extras.write(user, language=data["language"])
    commit(context)
    return _preferences(user)
