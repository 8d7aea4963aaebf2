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
