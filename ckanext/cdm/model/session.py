"""Committee sessions (*séances*): when the committee meets and who is there.

A session has a date, a place or the mention of a written procedure, an
agenda (reviews), the members present, the proxies given by absent members to
present ones, and minutes (markdown, public once the session is closed)::

    convened ──close──▶ closed

Quorum is computed, never typed in: the members present plus the proxies they
hold, against the members in office on the session's day (``quorum_needed``).
Attendance, proxies and the agenda change under the session's row lock
(``CommitteeSession.for_update``), so the proxy cap and the rules below hold under
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
from ckanext.cdm.model.base import Lockable, new_id, utcnow
from ckanext.cdm.model.member import Member
from ckanext.cdm.model.opinion import PUBLISHED, Opinion
from ckanext.cdm.model.review import IN_REVIEW, SUBMITTED, Review
from ckanext.cdm.model.versioned import Versioned

CONVENED = "convened"
CLOSED = "closed"
STATES = (CONVENED, CLOSED)
# reviews that may be put on an agenda: open for the committee's examination,
# in the order the agenda form lists them (those in examination first)
AGENDA_STATES = (IN_REVIEW, SUBMITTED)


class CommitteeSession(Versioned, Lockable, tk.BaseModel):
    """A session; each saved change of its record (details, agenda,
    attendance, proxies, minutes, closing) is a new version (``versioned.py``)."""

    __tablename__ = "cdm_session"
    audit_type = "session"

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

    def field_label(self, name: str) -> str:
        labels = {
            "starts_at": tk._("Day and time"),
            "place": tk._("Place"),
            "written_procedure": tk._("Written procedure"),
            "title": tk._("Title"),
            "agenda": tk._("Agenda"),
            "attendance": tk._("Members present"),
            "proxies": tk._("Proxies"),
            "minutes": tk._("Minutes"),
            "state": tk._("Close the session"),
        }
        return labels.get(name, name)

    @property
    def day(self) -> dt.date:
        """The day of the session in the portal's time zone (``ckan.display_timezone``)."""
        from ckan.lib.helpers import get_display_timezone

        return self.starts_at.astimezone(get_display_timezone()).date()

    @property
    def is_closed(self) -> bool:
        return self.state == CLOSED

    # Queries

    @classmethod
    def get(cls, id_: str) -> CommitteeSession | None:
        return model.Session.get(cls, id_)

    @classmethod
    def next_for(cls, review_id: str) -> CommitteeSession | None:
        """The first convened session to come whose agenda holds the review."""
        query = (
            sa.select(cls)
            .join(AgendaItem, AgendaItem.session_id == cls.id)
            .where(
                AgendaItem.review_id == review_id,
                cls.state == CONVENED,
                cls.starts_at >= utcnow(),
            )
            .order_by(cls.starts_at)
            .limit(1)
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

    def has_been_held(self, now: dt.datetime | None = None) -> bool:
        """Whether the session has begun: only then may its vote publish an
        opinion."""
        return self.starts_at <= (now or utcnow())

    def has_on_agenda(self, review_id: str) -> bool:
        query = sa.select(AgendaItem.review_id).where(
            AgendaItem.session_id == self.id, AgendaItem.review_id == review_id
        )
        return model.Session.execute(query).first() is not None

    def adopted(self) -> dict[str, str]:
        """The opinions published in this session: review id → number."""
        query = sa.select(Opinion.review_id, Opinion.number).where(
            Opinion.session_id == self.id, Opinion.state == PUBLISHED
        )
        return dict(model.Session.execute(query).all())

    def members_in_office(self) -> list[Member]:
        """The seats held on the session's day: whom the quorum counts."""
        return Member.in_office_on(self.day)

    def quorum(self) -> dict[str, Any]:
        """The live quorum: members in office, present, proxies, needed, reached."""
        in_office = len(self.members_in_office())
        return quorum_of(in_office, len(self.attendee_ids()), len(self.proxies()))

    # Changes. Callers hold the row lock (``for_update``); each method checks
    # its rules against the session's day and writes its audit row.

    @classmethod
    def convene(
        cls,
        actor: str | None,
        starts_at: dt.datetime,
        place: str | None,
        written_procedure: bool,
        title: str | None,
        created_by: str | None,
    ) -> CommitteeSession:
        session = cls(
            starts_at=starts_at,
            place=place or None,
            written_procedure=written_procedure,
            title=title or None,
            state=CONVENED,
            created_by=created_by,
        )
        session._check_place()
        model.Session.add(session)
        model.Session.flush()
        audit.record(
            "session",
            session.id,
            "convene",
            actor,
            to_state=CONVENED,
            data={"starts_at": starts_at.isoformat(), "place": place},
        )
        return session

    def _ensure_open(self, field: str) -> None:
        if self.is_closed:
            raise tk.ValidationError(
                {field: [tk._("This session is closed: only its minutes can change.")]}
            )

    def _check_place(self) -> None:
        if not self.written_procedure and not (self.place or "").strip():
            raise tk.ValidationError(
                {"place": [tk._("Give the place of the session, or hold it in writing.")]}
            )

    def change_details(self, actor: str | None, **fields: Any) -> None:
        """The date, place, written procedure or title (``fields`` given only)."""
        self._ensure_open(next(iter(fields), "id"))
        changed = {k: v for k, v in fields.items() if getattr(self, k) != v}
        if not changed:
            return
        if "starts_at" in changed and self.adopted():
            raise tk.ValidationError(
                {
                    "starts_at": [
                        tk._(
                            "An opinion was adopted in this session: its date can no longer change."
                        )
                    ]
                }
            )
        for key, value in changed.items():
            setattr(self, key, value)
        self._check_place()
        if "starts_at" in changed:
            # who is in office may differ on another day
            fields = ("starts_at", "starts_at")
            self._check_presence(self.attendee_ids(), self.proxy_pairs(), fields)
        self.record_change(
            "update",
            actor,
            sorted(changed),
            data={
                k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in changed.items()
            },
        )

    def set_agenda(self, actor: str | None, reviews: list[Review]) -> None:
        """The agenda becomes ``reviews``, in that order. A review added now must
        be open for the committee (submitted or in review) or have a correction
        of its opinion to vote on; one already on the agenda stays even if its
        state has moved on since."""
        self._ensure_open("agenda")
        current = {item.review_id: item for item in self.agenda()}
        refused = [
            r.dataset_title
            for r in reviews
            if r.id not in current
            and r.state not in AGENDA_STATES
            and not Opinion.correction_pending(r.id)
        ]
        if refused:
            raise tk.ValidationError(
                {
                    "agenda": [
                        tk._(
                            "Only reviews submitted or in review, or whose opinion is being "
                            "corrected, can be put on the agenda: {titles}."
                        ).format(titles=", ".join(refused))
                    ]
                }
            )
        wanted = [r.id for r in reviews]
        kept = [number for review_id, number in self.adopted().items() if review_id not in wanted]
        if kept:
            raise tk.ValidationError(
                {
                    "agenda": [
                        tk._(
                            "The opinions adopted in this session keep their review on its "
                            "agenda: {numbers}."
                        ).format(numbers=", ".join(sorted(kept)))
                    ]
                }
            )
        for review_id, item in current.items():
            if review_id not in wanted:
                model.Session.delete(item)
        for position, review in enumerate(reviews):
            item = current.get(review.id)
            if item is None:
                model.Session.add(
                    AgendaItem(session_id=self.id, review_id=review.id, position=position)
                )
            else:
                item.position = position
        model.Session.flush()
        added = [r.id for r in reviews if r.id not in current]
        removed = [i for i in current if i not in wanted]
        if added or removed or list(current) != wanted:  # a new order is a change too
            self.record_change(
                "agenda", actor, ["agenda"], data={"added": added, "removed": removed}
            )

    def set_presence(
        self,
        actor: str | None,
        present: list[str] | None = None,
        pairs: list[tuple[str, str]] | None = None,
        fields: tuple[str, str] = ("attendance", "proxies"),
    ) -> None:
        """The members present (user ids) and the proxies given, as pairs of
        (giver, holder) user ids; ``None`` keeps what the session has. Both
        are checked together (``_check_presence``); a broken rule is an error
        on ``fields`` (that of attendance, that of proxies)."""
        self._ensure_open(fields[0] if present is not None else fields[1])
        before_present, before_pairs = self.attendee_ids(), self.proxy_pairs()
        new_present = list(dict.fromkeys(present)) if present is not None else before_present
        new_pairs = list(pairs) if pairs is not None else before_pairs
        givers = [giver for giver, _ in new_pairs]
        if len(set(givers)) != len(givers):
            raise tk.ValidationError(
                {fields[1]: [tk._("A member gives at most one proxy in a session.")]}
            )
        # the proxies given stand: their rules broken by a change of attendance
        # are an error of attendance
        checked = fields if pairs is not None else (fields[0], fields[0])
        self._check_presence(new_present, new_pairs, checked)
        if present is not None and set(new_present) != set(before_present):
            model.Session.execute(sa.delete(Attendance).where(Attendance.session_id == self.id))
            model.Session.add_all(Attendance(session_id=self.id, user_id=u) for u in new_present)
            self.record_change(
                "attendance",
                actor,
                ["attendance"],
                data={
                    "present": sorted(set(new_present) - set(before_present)),
                    "absent": sorted(set(before_present) - set(new_present)),
                },
            )
        if pairs is not None and sorted(new_pairs) != sorted(before_pairs):
            model.Session.execute(sa.delete(Proxy).where(Proxy.session_id == self.id))
            model.Session.add_all(
                Proxy(session_id=self.id, giver_id=g, holder_id=h) for g, h in new_pairs
            )
            self.record_change(
                "proxies",
                actor,
                ["proxies"],
                data={"proxies": [{"giver": g, "holder": h} for g, h in new_pairs]},
            )
        model.Session.flush()

    def add_proxy(self, actor: str | None, giver: str, holder: str) -> None:
        """One more proxy (``giver`` to ``holder``): the cap holds under the row lock."""
        pairs = self.proxy_pairs()
        if giver in {g for g, _ in pairs}:
            raise tk.ValidationError(
                {"add_proxy": [tk._("This member has already given a proxy in this session.")]}
            )
        fields = ("add_proxy", "add_proxy")
        self.set_presence(actor, pairs=[*pairs, (giver, holder)], fields=fields)

    def remove_proxy(self, actor: str | None, giver: str) -> None:
        pairs = self.proxy_pairs()
        if giver not in {g for g, _ in pairs}:
            raise tk.ValidationError(
                {"remove_proxy": [tk._("This member has given no proxy in this session.")]}
            )
        fields = ("remove_proxy", "remove_proxy")
        self.set_presence(actor, pairs=[p for p in pairs if p[0] != giver], fields=fields)

    def proxy_pairs(self) -> list[tuple[str, str]]:
        return [(p.giver_id, p.holder_id) for p in self.proxies()]

    def _check_presence(
        self, present: list[str], pairs: list[tuple[str, str]], fields: tuple[str, str]
    ) -> None:
        """The rules of attendance and proxies on the session's day: the members
        present and the proxy givers are in office; a giver is absent and the
        holder present; a holder holds at most ``proxies_per_member``."""
        in_office = {seat.user_id: seat for seat in self.members_in_office()}
        errors: dict[str, list[str]] = {}

        def name(user_id: str) -> str:
            seat = in_office.get(user_id)
            user = seat.user if seat else model.User.get(user_id)
            return (user.fullname or user.name) if user else user_id

        outside = [u for u in present if u not in in_office]
        if outside:
            errors.setdefault(fields[0], []).append(
                tk._("Not in office on the session's day: {names}.").format(
                    names=", ".join(name(u) for u in outside)
                )
            )
        problems: list[str] = []
        cap = config.proxies_per_member()
        held: dict[str, int] = {}
        for giver, holder in pairs:
            if giver == holder:
                problems.append(
                    tk._("{name} cannot hold their own proxy.").format(name=name(giver))
                )
                continue
            if giver not in in_office:
                problems.append(
                    tk._(
                        "{name} is not in office on the session's day and cannot give a proxy."
                    ).format(name=name(giver))
                )
            if giver in present:
                problems.append(
                    tk._("{name} is present and cannot give a proxy.").format(name=name(giver))
                )
            if holder not in in_office:
                problems.append(
                    tk._(
                        "{name} is not in office on the session's day and cannot hold a proxy."
                    ).format(name=name(holder))
                )
            elif holder not in present:
                problems.append(
                    tk._("{name} holds a proxy and must be present.").format(name=name(holder))
                )
            held[holder] = held.get(holder, 0) + 1
        for holder, count in held.items():
            if count > cap:
                problems.append(
                    tk.ungettext(
                        "{name} would hold {count} proxies: a member holds at most {cap} proxy.",
                        "{name} would hold {count} proxies: a member holds at most {cap} proxies.",
                        cap,
                    ).format(name=name(holder), count=count, cap=cap)
                )
        if problems:
            errors.setdefault(fields[1], []).extend(problems)
        if errors:
            raise tk.ValidationError(errors)

    def write_minutes(self, actor: str | None, minutes: str | None) -> None:
        """The minutes (markdown): they can still be completed once the session is closed."""
        if (minutes or None) == self.minutes:
            return
        self.minutes = minutes or None
        self.record_change(
            "minutes", actor, ["minutes"], from_state=self.state, to_state=self.state
        )

    def close(self, actor: str | None, minutes: str | None) -> None:
        if self.is_closed:
            raise tk.ValidationError({"close": [tk._("This session is already closed.")]})
        if minutes is not None:
            self.minutes = minutes or None
        self.state = CLOSED
        self.closed_at = utcnow()
        self.record_change("close", actor, ["state"], from_state=CONVENED, to_state=CLOSED)


def quorum_of(in_office: int, present: int, proxies: int) -> dict[str, Any]:
    """The quorum of ``present`` members and ``proxies`` among ``in_office``."""
    needed = quorum_needed(in_office)
    return {
        "members_in_office": in_office,
        "present": present,
        "proxies": proxies,
        "represented": present + proxies,
        "needed": needed,
        "reached": in_office > 0 and present + proxies >= needed,
    }


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
