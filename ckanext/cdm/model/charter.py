"""The Charte métropolitaine de la donnée: versions and their principles.

A version moves ``draft → adopted → superseded``. At most one version is
adopted at any time (a partial unique index guarantees it); adopted and
superseded versions never change: edits go into a new draft copied from them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ckanext.cdm.labels import charter_status_label
from ckanext.cdm.model.base import new_id, today, utcnow

DRAFT = "draft"
ADOPTED = "adopted"
SUPERSEDED = "superseded"
STATUSES = (DRAFT, ADOPTED, SUPERSEDED)

Translated = dict[str, str]  # {"fr": "…", "en": "…"}


class Principle(tk.BaseModel):
    __tablename__ = "cdm_principle"
    __table_args__ = (sa.UniqueConstraint("charter_id", "code"),)

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    charter_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_charter.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    code: Mapped[str] = mapped_column(sa.Text, nullable=False)
    title: Mapped[Translated] = mapped_column(JSONB, nullable=False)
    description: Mapped[Translated] = mapped_column(JSONB, nullable=False)
    # [{"code": "purpose_1", "fr": "…", "en": "…"}, …]
    questions: Mapped[list[dict[str, str]]] = mapped_column(JSONB, nullable=False, default=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "position": self.position,
            "title": dict(self.title),
            "description": dict(self.description),
            "questions": [dict(q) for q in self.questions],
        }


class Charter(tk.BaseModel):
    __tablename__ = "cdm_charter"
    __table_args__ = (
        sa.Index(
            "cdm_charter_one_adopted",
            "status",
            unique=True,
            postgresql_where=sa.text("status = 'adopted'"),
        ),
    )

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(sa.Text, nullable=False, unique=True)
    title: Mapped[Translated] = mapped_column(JSONB, nullable=False)
    preamble: Mapped[Translated] = mapped_column(JSONB, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(sa.Text, nullable=False, default=DRAFT)
    adopted_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    superseded_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    decision_reference: Mapped[str | None] = mapped_column(sa.Text)
    based_on_id: Mapped[str | None] = mapped_column(sa.Text, sa.ForeignKey("cdm_charter.id"))
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )
    modified_by: Mapped[str | None] = mapped_column(sa.Text)

    principles: Mapped[list[Principle]] = relationship(
        Principle,
        order_by=Principle.position,
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    # Queries

    @classmethod
    def get(cls, id_or_number: str) -> Charter | None:
        return (
            model.Session.execute(
                sa.select(cls).where(sa.or_(cls.id == id_or_number, cls.number == id_or_number))
            )
            .scalars()
            .first()
        )

    @classmethod
    def adopted(cls) -> Charter | None:
        return model.Session.execute(sa.select(cls).where(cls.status == ADOPTED)).scalars().first()

    @classmethod
    def all_versions(cls, statuses: tuple[str, ...] = STATUSES) -> list[Charter]:
        query = sa.select(cls).where(cls.status.in_(statuses)).order_by(cls.created.desc())
        return list(model.Session.execute(query).scalars())

    # Lifecycle

    def ensure_draft(self) -> None:
        """Refuse any change to a version that is no longer a draft."""
        if self.status != DRAFT:
            raise tk.ValidationError(
                {
                    "status": [
                        tk._(
                            "Charter version {number} is no longer a draft ({status}): it "
                            "can no longer be changed. Create a new draft from it instead."
                        ).format(number=self.number, status=charter_status_label(self.status))
                    ]
                }
            )

    def adopt(self, on: dt.date | None, decision_reference: str | None) -> Charter | None:
        """Adopt this draft; the version adopted until now becomes superseded.

        Returns the superseded version, if any.
        """
        self.ensure_draft()
        if not self.principles:
            raise tk.ValidationError(
                {"principles": [tk._("A charter without principles cannot be adopted.")]}
            )
        on = on or today()
        previous = Charter.adopted()
        if previous is not None:
            previous.status = SUPERSEDED
            previous.superseded_on = on
            # flush first: the partial unique index allows one adopted version
            model.Session.flush()
        self.status = ADOPTED
        self.adopted_on = on
        self.decision_reference = decision_reference
        return previous

    def copy_as_draft(self, number: str) -> Charter:
        """A new draft holding the same text and principles as this version."""
        draft = Charter(
            number=number,
            title=dict(self.title),
            preamble=dict(self.preamble),
            status=DRAFT,
            based_on_id=self.id,
        )
        draft.principles = [
            Principle(
                position=p.position,
                code=p.code,
                title=dict(p.title),
                description=dict(p.description),
                questions=[dict(q) for q in p.questions],
            )
            for p in self.principles
        ]
        return draft

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": dict(self.title),
            "preamble": dict(self.preamble),
            "status": self.status,
            "adopted_on": self.adopted_on.isoformat() if self.adopted_on else None,
            "superseded_on": self.superseded_on.isoformat() if self.superseded_on else None,
            "decision_reference": self.decision_reference,
            "based_on_id": self.based_on_id,
            "created": self.created.isoformat() if self.created else None,
            "modified": self.modified.isoformat() if self.modified else None,
            "principles": [p.as_dict() for p in self.principles],
        }
