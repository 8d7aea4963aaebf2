"""What the auth functions share."""

from __future__ import annotations

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.cdm import authz
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


def dataset_id(data_dict: DataDict) -> str:
    """The dataset named by ``id`` or ``dataset`` ("" if none is usable)."""
    return id_in(data_dict, "id", "dataset") or ""


def steward(context: Context, package_id: str) -> AuthResult:
    """Those who may update the dataset (its stewards)."""
    if not package_id:
        return {"success": True}  # no usable id: the action refuses it, naming the field
    return allow(
        authz.can_edit_dataset(context.get("user"), package_id),
        tk._("Only the stewards of the dataset can do this"),
    )


def not_conflicted(user_id: str, package_id: str) -> bool:
    """The user (an id) has no conflict of interest on the dataset."""
    package = model.Package.get(package_id)
    return package is None or not authz.is_conflicted(user_id, package)


def president(user: str | None, package_id: str | None) -> bool:
    """The president in office, without a conflict on the dataset (or sysadmin)."""
    if authz.is_sysadmin(user):
        return True
    seat = authz.seat_in_office(user)
    if seat is None or not authz.is_president(user):
        return False
    return package_id is None or not_conflicted(seat.user_id, package_id)
