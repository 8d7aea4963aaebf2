"""Committee sessions (*séances*): when the committee meets and who is there.

A session has a date, a place or the mention of a written procedure, an
agenda (reviews), the members present, the proxies given by absent members to
present ones, and minutes (markdown, public once the session is closed)::

    convened ──close──▶ closed

Quorum is computed, never typed in: the members present plus the proxies they
hold, against the members in office on the session's day (``quorum_needed``).
Attendance, proxies and the agenda change under the session's row lock
(``Session.for_update``), so the proxy cap and the rules below hold under
concurrent requests; the database refuses a member giving two proxies in one
session or being both present and a proxy giver.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm import config
from ckanext.cdm.model import audit
from ckanext.cdm.model.base import new_id, utcnow
from ckanext.cdm.model.member import Member

CONVENED = "convened"
CLOSED = "closed"
STATES = (CONVENED, CLOSED)


class CommitteeSession(tk.BaseModel):
    __tablename__ = "cdm_session"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    # a session is held on a day, at a time (local time of the portal)
    starts_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), nullable=False)
    place: Mapped[str | None] = mapped_column(sa.Text)
    written_procedure: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    title: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[str] = mapped_column(sa.Text, nullable=False, default=CONVENED)
    minutes: Mapped[str | None] = mapped_column(sa.Text)
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )

    @property
    def day(self) -> dt.date:
        return self.starts_at.date()

    @property
    def is_closed(self) -> bool:
        return self.state == CLOSED

    # Queries

    @classmethod
    def get(cls, id_: str) -> CommitteeSession | None:
        return model.Session.get(cls, id_)

    @classmethod
    def for_update(cls, id_: str) -> CommitteeSession | None:
        """The session, its row locked until the end of the transaction."""
        query = (
            sa.select(cls)
            .where(cls.id == id_)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return model.Session.execute(query).scalars().first()

    # Who is there

    def attendee_ids(self) -> list[str]:
        query = sa.select(Attendance.user_id).where(Attendance.session_id == self.id)
        return list(model.Session.execute(query).scalars())

    def proxies(self) -> list[Proxy]:
        query = sa.select(Proxy).where(Proxy.session_id == self.id)
        return list(model.Session.execute(query).scalars())

    def agenda(self) -> list[AgendaItem]:
        query = (
            sa.select(AgendaItem)
            .where(AgendaItem.session_id == self.id)
            .order_by(AgendaItem.position)
        )
        return list(model.Session.execute(query).scalars())

    def has_on_agenda(self, review_id: str) -> bool:
        query = sa.select(AgendaItem.review_id).where(
            AgendaItem.session_id == self.id, AgendaItem.review_id == review_id
        )
        return model.Session.execute(query).first() is not None

    def members_in_office(self) -> list[Member]:
        """The seats held on the session's day: whom the quorum counts."""
        return Member.in_office_on(self.day)

    def quorum(self) -> dict[str, Any]:
        """The live quorum: members in office, present, proxies, needed, reached."""
        in_office = len(self.members_in_office())
        present = len(self.attendee_ids())
        proxies = len(self.proxies())
        needed = quorum_needed(in_office)
        return {
            "members_in_office": in_office,
            "present": present,
            "proxies": proxies,
            "represented": present + proxies,
            "needed": needed,
            "reached": in_office > 0 and present + proxies >= needed,
        }

    def close(self, actor: str | None, minutes: str | None) -> None:
        if self.is_closed:
            raise tk.ValidationError({"state": [tk._("This session is already closed.")]})
        if minutes is not None:
            self.minutes = minutes
        self.state = CLOSED
        self.closed_at = utcnow()
        audit.record("session", self.id, "close", actor, from_state=CONVENED, to_state=CLOSED)


def quorum_needed(in_office: int) -> int:
    """How many members, present or represented, make the quorum: the number
    set by ``ckanext.cdm.session.quorum``, else a majority of those in office."""
    fixed = config.session_quorum()
    if fixed:
        return fixed
    return in_office // 2 + 1


class AgendaItem(tk.BaseModel):
    """A review on a session's agenda."""

    __tablename__ = "cdm_session_agenda"

    session_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_session.id", ondelete="CASCADE"), primary_key=True
    )
    review_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_review.id"), primary_key=True
    )
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)


class Attendance(tk.BaseModel):
    """A member present at a session."""

    __tablename__ = "cdm_session_attendance"

    session_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_session.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(sa.Text, primary_key=True)


class Proxy(tk.BaseModel):
    """An absent member's proxy (*procuration*) to a present member."""

    __tablename__ = "cdm_session_proxy"

    session_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_session.id", ondelete="CASCADE"), primary_key=True
    )
    giver_id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    holder_id: Mapped[str] = mapped_column(sa.Text, nullable=False)
