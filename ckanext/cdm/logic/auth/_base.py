"""What the auth functions share."""

from __future__ import annotations

from ckan.types import AuthResult, DataDict

from ckanext.cdm.logic.text import usable_id


def allow(allowed: bool, reason: str) -> AuthResult:
    return {"success": True} if allowed else {"success": False, "msg": reason}


def id_in(data_dict: DataDict, *keys: str) -> str | None:
    """The first of ``keys`` holding an id or a name, else None.

    Auth functions run before the action validates its input: they read ids
    through this function only, so that junk (a list, a number, a NUL
    character, a lone surrogate, a huge text) is treated as an unknown id and
    never reaches the database. The action then refuses it, naming the field.
    """
    for key in keys:
        value = usable_id(data_dict.get(key))
        if value:
            return value
    return None
