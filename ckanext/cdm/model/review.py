"""Ethics reviews: one round of examination of one dataset by the committee.

The state machine lives here and only here::

    submitted ──assign──▶ in_review ──(opinion published)──▶ opinion_issued
        │  ▲                  │
        │  └──resubmit──┐     │
        ▼               │     ▼
    changes_requested ◀─┴─────┘          any open state ──withdraw──▶ withdrawn

At most one review per dataset is open (submitted, in_review or
changes_requested): a partial unique index guarantees it, even under
concurrent submissions. Reviews keep a snapshot of the dataset's name and
title and have no foreign key to it, so they outlive a purge.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.labels import review_state_label
from ckanext.cdm.model.base import new_id, utcnow

SUBMITTED = "submitted"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
OPINION_ISSUED = "opinion_issued"
WITHDRAWN = "withdrawn"
STATES = (SUBMITTED, IN_REVIEW, CHANGES_REQUESTED, OPINION_ISSUED, WITHDRAWN)
OPEN_STATES = (SUBMITTED, IN_REVIEW, CHANGES_REQUESTED)

# transition name → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": ((SUBMITTED, IN_REVIEW), IN_REVIEW),
    "request_changes": ((SUBMITTED, IN_REVIEW), CHANGES_REQUESTED),
    "resubmit": ((CHANGES_REQUESTED,), SUBMITTED),
    "withdraw": (OPEN_STATES, WITHDRAWN),
    "issue_opinion": ((IN_REVIEW,), OPINION_ISSUED),
}


class Review(tk.BaseModel):
    __tablename__ = "cdm_review"
    __table_args__ = (
        sa.Index(
            "cdm_review_one_open_per_dataset",
            "package_id",
            unique=True,
            postgresql_where=sa.text("state IN ('submitted', 'in_review', 'changes_requested')"),
        ),
    )

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    package_id: Mapped[str] = mapped_column(sa.Text, nullable=False, index=True)
    organization_id: Mapped[str | None] = mapped_column(sa.Text, index=True)
    dataset_name: Mapped[str] = mapped_column(sa.Text, nullable=False)
    dataset_title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    charter_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_charter.id"), nullable=False
    )
    state: Mapped[str] = mapped_column(sa.Text, nullable=False, default=SUBMITTED)
    rapporteur_id: Mapped[str | None] = mapped_column(sa.Text, index=True)
    # {question_code: {"status": …, "justification": …}} as (re)submitted
    self_assessment: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    submitted_by: Mapped[str] = mapped_column(sa.Text, nullable=False)
    submitted_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    last_submitted_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    closed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def transition(self, name: str) -> tuple[str, str]:
        """Move along the named transition; return (from, to).

        An illegal transition is a ValidationError naming the current state.
        """
        sources, target = TRANSITIONS[name]
        if self.state not in sources:
            raise tk.ValidationError(
                {
                    "state": [
                        tk._("This is not possible while the review is {state}.").format(
                            state=review_state_label(self.state)
                        )
                    ]
                }
            )
        before = self.state
        self.state = target
        if target not in OPEN_STATES:
            self.closed_at = utcnow()
        return before, target

    # Queries

    @classmethod
    def get(cls, id_: str) -> Review | None:
        return model.Session.get(cls, id_)

    @classmethod
    def open_for(cls, package_id: str) -> Review | None:
        query = sa.select(cls).where(cls.package_id == package_id, cls.state.in_(OPEN_STATES))
        return model.Session.execute(query).scalars().first()

    @classmethod
    def latest_for(cls, package_id: str) -> Review | None:
        query = (
            sa.select(cls)
            .where(cls.package_id == package_id)
            .order_by(cls.submitted_at.desc())
            .limit(1)
        )
        return model.Session.execute(query).scalars().first()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "package_id": self.package_id,
            "organization_id": self.organization_id,
            "dataset_name": self.dataset_name,
            "dataset_title": self.dataset_title,
            "charter_id": self.charter_id,
            "state": self.state,
            "rapporteur_id": self.rapporteur_id,
            "self_assessment": self.self_assessment,
            "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.isoformat(),
            "last_submitted_at": self.last_submitted_at.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "modified": self.modified.isoformat() if self.modified else None,
        }


class Conflict(tk.BaseModel):
    """A conflict of interest declared by a committee member on a dataset."""

    __tablename__ = "cdm_conflict"
    __table_args__ = (sa.UniqueConstraint("user_id", "package_id"),)

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(sa.Text, nullable=False, index=True)
    package_id: Mapped[str] = mapped_column(sa.Text, nullable=False, index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
    declared_at: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )

    @classmethod
    def declared(cls, user_id: str, package_id: str) -> bool:
        query = sa.select(cls.id).where(cls.user_id == user_id, cls.package_id == package_id)
        return model.Session.execute(query).first() is not None

    @classmethod
    def for_package(cls, package_id: str) -> list[Conflict]:
        query = sa.select(cls).where(cls.package_id == package_id)
        return list(model.Session.execute(query).scalars())
