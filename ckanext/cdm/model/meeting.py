"""Citizen meetings (*réunions publiques*): the information and training
meetings the committee holds for citizens.

A meeting has a title, a start and an end (aware datetimes, stored in UTC),
a place, a description (markdown), an optional registration link, and, once
it has taken place, a summary (markdown)::

    scheduled ──cancel──▶ cancelled

A cancelled meeting stays listed, marked as cancelled, so that a citizen who
saw it announced learns that it will not take place. Every change is written
to the audit trail under the meeting's row lock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.model import audit
from ckanext.cdm.model.base import Lockable, new_id, utcnow

SCHEDULED = "scheduled"
CANCELLED = "cancelled"
STATES = (SCHEDULED, CANCELLED)
DETAILS = (
    "title",
    "starts_at",
    "ends_at",
    "place",
    "description",
    "registration_url",
    "summary",
)


class CitizenMeeting(Lockable, tk.BaseModel):
    __tablename__ = "cdm_meeting"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    starts_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    ends_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    place: Mapped[str] = mapped_column(sa.Text, nullable=False)
    description: Mapped[str | None] = mapped_column(sa.Text)
    registration_url: Mapped[str | None] = mapped_column(sa.Text)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.Text, nullable=False, default=SCHEDULED)
    cancellation_note: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )

    @classmethod
    def get(cls, id_: str) -> CitizenMeeting | None:
        return model.Session.get(cls, id_)

    @property
    def is_cancelled(self) -> bool:
        return self.state == CANCELLED

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return self.ends_at <= (now or utcnow())

    @classmethod
    def announce(cls, actor: str | None, creator_id: str | None, **details: Any) -> CitizenMeeting:
        meeting = cls(created_by=creator_id, state=SCHEDULED, **details)
        model.Session.add(meeting)
        model.Session.flush()
        audit.record("meeting", meeting.id, "create", actor, to_state=SCHEDULED)
        return meeting

    def change(self, actor: str | None, **details: Any) -> None:
        changed = sorted(k for k, v in details.items() if getattr(self, k) != v)
        for key in changed:
            setattr(self, key, details[key])
        if changed:
            audit.record("meeting", self.id, "update", actor, data={"fields": changed})

    def cancel(self, actor: str | None, note: str | None) -> None:
        self.state = CANCELLED
        self.cancellation_note = note
        audit.record(
            "meeting",
            self.id,
            "cancel",
            actor,
            from_state=SCHEDULED,
            to_state=CANCELLED,
            message=note,
        )
