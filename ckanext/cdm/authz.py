"""Who is who in the committee: the role checks shared by auth functions,
actions and templates."""

from __future__ import annotations

from ckan import authz, model

from ckanext.cdm.model.member import PRESIDENT, Member


def _user(user_name: str | None) -> model.User | None:
    return model.User.get(user_name) if user_name else None


def is_sysadmin(user_name: str | None) -> bool:
    return bool(user_name) and authz.is_sysadmin(user_name)


def seat_in_office(user_name: str | None) -> Member | None:
    """The committee seat the user holds today, if any."""
    user = _user(user_name)
    return Member.in_office_for(user.id) if user else None


def is_committee(user_name: str | None) -> bool:
    """A member (or the president) in office."""
    return seat_in_office(user_name) is not None


def is_president(user_name: str | None) -> bool:
    seat = seat_in_office(user_name)
    return seat is not None and seat.role == PRESIDENT


def can_see_drafts(user_name: str | None) -> bool:
    """Drafts of the charter and private member details: committee and sysadmins."""
    return is_sysadmin(user_name) or is_committee(user_name)


def can_manage_charter(user_name: str | None) -> bool:
    return is_sysadmin(user_name) or is_president(user_name)


def user_id(user_name: str | None) -> str | None:
    user = _user(user_name)
    return user.id if user else None


def conflicted_user_ids(package: model.Package) -> set[str]:
    """Users with a conflict of interest on the dataset, in two queries: the
    members of its organization (any capacity) and those who declared one."""
    from ckanext.cdm.model.review import Conflict

    ids: set[str] = set()
    if package.owner_org:
        members = model.Session.query(model.Member.table_id).filter(
            model.Member.group_id == package.owner_org,
            model.Member.table_name == "user",
            model.Member.state == "active",
        )
        ids.update(row.table_id for row in members)
    ids.update(c.user_id for c in Conflict.for_package(package.id))
    return ids


def is_conflicted(user_id_: str, package: model.Package) -> bool:
    """A conflict of interest: the member belongs to the dataset's organization
    (any capacity), or declared a conflict on the dataset."""
    return user_id_ in conflicted_user_ids(package)


def can_triage(user_name: str | None, package: model.Package | None) -> bool:
    """Committee members in office without a conflict on the dataset (and sysadmins)."""
    if is_sysadmin(user_name):
        return True
    seat = seat_in_office(user_name)
    if seat is None:
        return False
    return package is None or not is_conflicted(seat.user_id, package)


def can_edit_dataset(user_name: str | None, package_id: str) -> bool:
    return passes("package_update", user_name, {"id": package_id})


def can_read_dataset(user_name: str | None, package_id: str) -> bool:
    return passes("package_show", user_name, {"id": package_id})


def passes(auth: str, user_name: str | None, data: dict) -> bool:
    from ckan.plugins import toolkit as tk

    try:
        tk.check_access(auth, {"user": user_name or ""}, data)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True
