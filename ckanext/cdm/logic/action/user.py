"""A user's preferences for the extension: the language of their e-mails,
the kinds of e-mail they receive and, for committee members, the daily digest.

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
from ckanext.cdm.model.member import Member


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
        "notifications": user_extras.notification_kinds(user),
        "kinds": list(user_extras.KINDS),
        "digest": user_extras.takes_digest(user),
        "digest_offered": Member.in_office_for(user.id) is not None,
    }


@tk.side_effect_free
def cdm_user_preferences_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A user's preferences: ``language``, the language of their e-mails (the
    site's default language until they choose one), among ``languages``;
    ``notifications``, the kinds of e-mail they receive (all until they
    choose), among ``kinds``; ``digest``, whether they take them in one
    daily e-mail, offered (``digest_offered``) to committee members in office.

    :param id: id or name of the user (default: the user calling)
    """
    tk.check_access("cdm_user_preferences_show", context, data_dict)
    return _preferences(_target(context, data_dict))


def cdm_user_preferences_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a user's preferences: those given change, the others stay.

    :param id: id or name of the user (default: the user calling)
    :param language: one of the site's languages (``ckan.locales_offered``)
    :param notifications: the kinds of e-mail the user receives, a list of
        ``agenda``, ``submissions``, ``opinions``, ``changes`` (may be empty)
    :param digest: true to take them in one daily e-mail (committee members
        in office only), false to take them one by one
    """
    tk.check_access("cdm_user_preferences_update", context, data_dict)
    data = validate(data_dict, cdm_schema.user_preferences_schema(), context)
    user = _target(context, data_dict)
    if data.get("digest") and Member.in_office_for(user.id) is None:
        raise tk.ValidationError(
            {"digest": [tk._("The daily digest is for the committee's members in office.")]}
        )
    chosen = {k: data[k] for k in ("language", "notifications", "digest") if k in data}
    user_extras.write(user, **chosen)
    commit(context)
    return _preferences(user)
