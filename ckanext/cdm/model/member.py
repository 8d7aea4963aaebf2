"""Seats of the Comité métropolitain de la donnée and the rules of its composition.

A member is a CKAN user holding a seat in one of four colleges, for a mandate.
Ending a mandate keeps the row: the committee's history is part of the record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ckanext.cdm import config
from ckanext.cdm.labels import college_label
from ckanext.cdm.model.base import constraint_of, new_id, today, utcnow

PRESIDENT = "president"
MEMBER = "member"
ROLES = (PRESIDENT, MEMBER)
COLLEGES = config.COLLEGES
# The deliberation: the president is a qualified personality of the college
# "associations, personnalités qualifiées et société civile".
PRESIDENT_COLLEGE = "civil_society"

ACTIVE = "active"
ENDED = "ended"


class Member(tk.BaseModel):
    __tablename__ = "cdm_member"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("user.id"), nullable=False, index=True
    )
    college: Mapped[str] = mapped_column(sa.Text, nullable=False)
    role: Mapped[str] = mapped_column(sa.Text, nullable=False, default=MEMBER)
    affiliation: Mapped[str | None] = mapped_column(sa.Text)
    # "madame" or "monsieur": the role is then written in the holder's gender
    form_of_address: Mapped[str | None] = mapped_column(sa.Text)
    mandate_start: Mapped[dt.date] = mapped_column(sa.Date, nullable=False)
    mandate_end: Mapped[dt.date | None] = mapped_column(sa.Date)
    state: Mapped[str] = mapped_column(sa.Text, nullable=False, default=ACTIVE)
    ended_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )
    modified_by: Mapped[str | None] = mapped_column(sa.Text)

    user: Mapped[model.User] = relationship(model.User, lazy="joined")

    # Periods

    @property
    def last_day(self) -> dt.date | None:
        """The last day of the seat: the eve of its early end, else its planned end."""
        if self.ended_on is not None:
            return self.ended_on - dt.timedelta(days=1)
        return self.mandate_end

    def in_office(self, on: dt.date | None = None) -> bool:
        """Whether the seat is held on ``on`` (an early end takes effect on its date)."""
        on = on or today()
        last = self.last_day
        return self.mandate_start <= on and (last is None or on <= last)

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        last = self.last_day
        return (end is None or self.mandate_start <= end) and (last is None or start <= last)

    # Queries

    @classmethod
    def get(cls, id_: str) -> Member | None:
        return model.Session.get(cls, id_)

    @classmethod
    def _not_over(cls) -> sa.ColumnElement[bool]:
        """Seats not over yet: current, upcoming, or ending at a later date (a
        seat ended on the day it was to start was never held)."""
        return sa.or_(
            cls.ended_on.is_(None),
            sa.and_(cls.ended_on > today(), cls.ended_on > cls.mandate_start),
        )

    @classmethod
    def seats(cls, include_ended: bool = False) -> list[Member]:
        query = sa.select(cls).order_by(cls.college, cls.role.desc(), cls.mandate_start)
        if not include_ended:
            query = query.where(cls._not_over())
        return list(model.Session.execute(query).scalars())

    @classmethod
    def for_user(cls, user_id: str) -> list[Member]:
        query = sa.select(cls).where(cls.user_id == user_id, cls._not_over())
        return list(model.Session.execute(query).scalars())

    @classmethod
    def in_office_on(cls, day: dt.date) -> list[Member]:
        """The seats held on ``day`` (a past day counts seats ended since)."""
        query = (
            sa.select(cls).where(cls.mandate_start <= day).order_by(cls.college, cls.role.desc())
        )
        return [seat for seat in model.Session.execute(query).scalars() if seat.in_office(day)]

    @classmethod
    def in_office_for(cls, user_id: str, on: dt.date | None = None) -> Member | None:
        return next((m for m in cls.for_user(user_id) if m.in_office(on)), None)

    def ensure_not_ended(self) -> None:
        if self.state == ENDED:
            raise tk.ValidationError({"id": [tk._("This mandate has already ended.")]})

    def end(self, on: dt.date | None, reason: str | None) -> None:
        """End the mandate early: from ``on`` (default today) the seat is free.

        The record stays in the history.
        """
        self.ensure_not_ended()
        on = on or today()
        if on < self.mandate_start:
            on = self.mandate_start
        self.state = ENDED
        self.ended_on = on
        self.end_reason = reason

    def as_dict(self, private: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "fullname": self.user.fullname or self.user.name,
            "college": self.college,
            "role": self.role,
            "affiliation": self.affiliation,
            "form_of_address": self.form_of_address,
            "mandate_start": self.mandate_start.isoformat(),
            "mandate_end": self.mandate_end.isoformat() if self.mandate_end else None,
            "state": self.state,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
            "in_office": self.in_office(),
        }
        if private:
            data.update(
                user_id=self.user_id,
                user_name=self.user.name,
                email=self.user.email,
                end_reason=self.end_reason,
            )
        return data


# Rules the database enforces (migration 0003): the constraint → the field
# and message of the ValidationError that names the rule.
_CONSTRAINTS = {
    "cdm_member_one_seat_per_user": (
        "user",
        "This user already holds a seat on the committee for this period: one seat at a time.",
    ),
    "cdm_member_one_president": ("role", "The committee already has a president in office."),
}


def save_seat(candidate: Member) -> None:
    """Check the composition rules and write the seat, safely under concurrency.

    Seat counting is serialised per college by a transaction-level advisory
    lock; one seat per user and one president at a time are exclusion
    constraints of the table, so two parallel requests cannot both pass.
    """
    _lock_college(candidate.college)
    with model.Session.no_autoflush:
        check_composition(candidate)
    try:
        with model.Session.begin_nested():
            model.Session.add(candidate)
            model.Session.flush()
    except IntegrityError as error:
        rule = _CONSTRAINTS.get(constraint_of(error) or "")
        if rule is None:
            raise
        field, message = rule
        raise tk.ValidationError({field: [tk._(message)]}) from None


def _lock_college(college: str) -> None:
    """Until the transaction ends, no one else counts the seats of ``college``."""
    model.Session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext('cdm_member_college'), hashtext(:c))"),
        {"c": college},
    )


def _most_held_at_once(seats: list[Member], start: dt.date, end: dt.date | None) -> int:
    """The largest number of ``seats`` held on one day of [start, end]."""
    days = {start} | {
        m.mandate_start
        for m in seats
        if start <= m.mandate_start and (end is None or m.mandate_start <= end)
    }
    return max((sum(1 for m in seats if m.in_office(day)) for day in days), default=0)


def check_composition(candidate: Member) -> None:
    """Enforce the deliberation's composition rules on a new or changed seat.

    Raises ``ValidationError`` naming the rule that is broken.
    """
    errors: dict[str, list[str]] = {}
    if candidate.mandate_end is not None and candidate.mandate_end < candidate.mandate_start:
        errors["mandate_end"] = [tk._("The end of a mandate must follow its start.")]
    # unknown colleges and roles are refused by the schemas (and check constraints)
    if errors:
        raise tk.ValidationError(errors)

    others = [m for m in Member.seats() if m.id != candidate.id]
    start, end = candidate.mandate_start, candidate.mandate_end

    if any(m.user_id == candidate.user_id and m.overlaps(start, end) for m in others):
        errors["user"] = [
            tk._(
                "This user already holds a seat on the committee for this period: "
                "one seat at a time."
            )
        ]

    seats = config.college_seats(candidate.college)
    taken = [m for m in others if m.college == candidate.college and m.overlaps(start, end)]
    if _most_held_at_once(taken, start, end) >= seats:
        errors["college"] = [
            tk._("The college {college} has {seats} seats and they are all taken.").format(
                college=college_label(candidate.college), seats=seats
            )
        ]

    if candidate.role == PRESIDENT:
        if candidate.college == "local_authorities":
            errors["role"] = [
                tk._("The president can never come from the college of local authorities.")
            ]
        elif candidate.college != PRESIDENT_COLLEGE:
            errors["role"] = [
                tk._(
                    "The president is a qualified personality of the college "
                    "associations, qualified personalities and civil society."
                )
            ]
        elif any(m.role == PRESIDENT and m.overlaps(start, end) for m in others):
            errors["role"] = [tk._("The committee already has a president in office.")]

    if errors:
        raise tk.ValidationError(errors)
