"""Ethics reviews: one round of examination of one dataset by the committee.

The state machine lives here and only here, as methods of ``Review`` that
check the state, change it and write the audit row in one go::

    submitted ──assign──▶ in_review ──(opinion published)──▶ opinion_issued
        │  ▲                │  ▲
        │  │ resubmit       │  │ resubmit (the rapporteur is kept while in
        ▼  │ (no rapporteur)▼  │  office and without a conflict of interest)
    changes_requested ◀─────┘──┘         any open state ──withdraw──▶ withdrawn

Callers load the row with ``Review.for_update`` (``SELECT … FOR UPDATE``): two
requests on the same review are serialised, and the second sees the state the
first left.

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
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.labels import review_state_label
from ckanext.cdm.model import audit
from ckanext.cdm.model.base import Labelled, Lockable, constraint_of, new_id, utcnow

SUBMITTED = "submitted"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
OPINION_ISSUED = "opinion_issued"
WITHDRAWN = "withdrawn"
STATES = (SUBMITTED, IN_REVIEW, CHANGES_REQUESTED, OPINION_ISSUED, WITHDRAWN)
OPEN_STATES = (SUBMITTED, IN_REVIEW, CHANGES_REQUESTED)
# states in which the committee sees the dataset (its permission label)
COMMITTEE_STATES = (*OPEN_STATES, OPINION_ISSUED)

# transition name → (states it may start from, state it leads to); a
# resubmission goes back to the rapporteur (in_review) when the review keeps one
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": ((SUBMITTED, IN_REVIEW), IN_REVIEW),
    "request_changes": ((SUBMITTED, IN_REVIEW), CHANGES_REQUESTED),
    "resubmit": ((CHANGES_REQUESTED,), SUBMITTED),
    "withdraw": (OPEN_STATES, WITHDRAWN),
    "issue_opinion": ((IN_REVIEW,), OPINION_ISSUED),
}


class Review(Lockable, Labelled, tk.BaseModel):
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
    # opened by the president on the committee's own initiative (auto-saisine)
    self_referral: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # who submitted the latest round, and everyone who submitted one
    last_submitted_by: Mapped[str] = mapped_column(sa.Text, nullable=False)
    submitters: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), nullable=False, default=list)
    # the dataset's CKAN permission labels: lists filter on them in SQL
    permission_labels: Mapped[list[str]] = mapped_column(
        ARRAY(sa.Text), nullable=False, default=list
    )
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

    # The state machine. Each transition is a method: it checks the state,
    # applies the change and writes its row of the audit trail, in the
    # caller's transaction. Callers load the review with ``for_update`` so
    # that two requests cannot both move it from the same state.

    def allows(self, name: str) -> bool:
        """Whether the state machine allows the transition ``name`` now."""
        return self.state in TRANSITIONS[name][0]

    def _move(
        self,
        name: str,
        actor: str | None,
        *,
        target: str | None = None,
        message: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        if not self.allows(name):
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
        self.state = target or TRANSITIONS[name][1]
        if self.state not in OPEN_STATES:
            self.closed_at = utcnow()
        audit.record(
            "review",
            self.id,
            name,
            actor,
            from_state=before,
            to_state=self.state,
            message=message,
            data=data,
        )

    @classmethod
    def open(
        cls,
        package: model.Package,
        charter_id: str,
        answers: dict[str, Any],
        submitter_id: str,
        actor: str | None,
        message: str | None = None,
        self_referral: bool = False,
    ) -> Review:
        """A new review of ``package``: refused while another one is open (a
        partial unique index decides, even under concurrent submissions). A
        self-referral is opened by the president, with no self-assessment yet."""
        review = cls(
            self_referral=self_referral,
            package_id=package.id,
            organization_id=package.owner_org,
            dataset_name=package.name,
            dataset_title=package.title or package.name,
            charter_id=charter_id,
            self_assessment=answers,
            state=SUBMITTED,
            submitted_by=submitter_id,
            last_submitted_by=submitter_id,
            submitters=[submitter_id],
        )
        try:
            with model.Session.begin_nested():
                model.Session.add(review)
                model.Session.flush()
        except IntegrityError as error:
            if constraint_of(error) != "cdm_review_one_open_per_dataset":
                raise
            raise tk.ValidationError(
                {"id": [tk._("This dataset already has an open review.")]}
            ) from None
        audit.record(
            "review",
            review.id,
            "self_referral" if self_referral else "submit",
            actor,
            to_state=SUBMITTED,
            message=message,
            data={"dataset": package.name},
        )
        return review

    def assign(self, actor: str | None, rapporteur: model.User, message: str | None) -> None:
        """Take the review into examination, or change its rapporteur."""
        self._move(
            "assign",
            actor,
            message=message,
            data={"rapporteur": rapporteur.name, "rapporteur_name": rapporteur.fullname},
        )
        self.rapporteur_id = rapporteur.id

    def request_changes(self, actor: str | None, message: str) -> None:
        self._move("request_changes", actor, message=message)

    def resubmit(
        self,
        actor: str | None,
        submitter_id: str,
        answers: dict[str, Any],
        charter_id: str,
        message: str | None,
        keep_rapporteur: bool,
    ) -> None:
        """The steward's answer to a request for changes. The review goes back
        to its rapporteur when ``keep_rapporteur`` (still in office and not
        conflicted), else to triage without one."""
        if not keep_rapporteur:
            self.rapporteur_id = None
        target = IN_REVIEW if self.rapporteur_id else SUBMITTED
        self._move("resubmit", actor, target=target, message=message)
        self.self_assessment = answers
        self.charter_id = charter_id  # the answers are to the charter now adopted
        self.last_submitted_at = utcnow()
        self.last_submitted_by = submitter_id
        if submitter_id not in self.submitters:
            self.submitters = [*self.submitters, submitter_id]

    def attach_self_assessment(
        self,
        actor: str | None,
        submitter_id: str,
        answers: dict[str, Any],
        charter_id: str,
        message: str | None,
    ) -> None:
        """The steward's self-assessment, answering a self-referral that the
        committee examines (``submitted`` or ``in_review``): the answers are
        attached, the state does not change."""
        if not (self.self_referral and self.state in (SUBMITTED, IN_REVIEW)):
            raise tk.ValidationError({"id": [tk._("This dataset already has an open review.")]})
        self.self_assessment = answers
        self.charter_id = charter_id
        self.last_submitted_at = utcnow()
        self.last_submitted_by = submitter_id
        if submitter_id not in self.submitters:
            self.submitters = [*self.submitters, submitter_id]
        audit.record(
            "review",
            self.id,
            "attach_self_assessment",
            actor,
            from_state=self.state,
            to_state=self.state,
            message=message,
        )

    @property
    def awaits_self_assessment(self) -> bool:
        """A self-referral the steward may still answer with a self-assessment."""
        return self.self_referral and self.state in (SUBMITTED, IN_REVIEW)

    def issue_opinion(self, actor: str | None, number: str) -> None:
        """The committee's opinion ``number`` is published (``Opinion.publish``)."""
        self._move("issue_opinion", actor, data={"opinion": number})

    def withdraw(self, actor: str | None, message: str | None) -> None:
        self._move("withdraw", actor, message=message)

    def unassign(self, actor: str | None, reason: str | None) -> None:
        """The rapporteur steps down (a conflict of interest): a review in
        examination goes back to triage; one waiting for the steward keeps its
        state and will be triaged again when resubmitted."""
        if self.rapporteur_id is None or not self.is_open:
            return
        before = self.state
        if self.state == IN_REVIEW:
            self.state = SUBMITTED
        audit.record(
            "review",
            self.id,
            "unassign",
            actor,
            from_state=before,
            to_state=self.state,
            message=reason,
        )
        self.rapporteur_id = None

    # Queries

    @classmethod
    def get(cls, id_: str) -> Review | None:
        return model.Session.get(cls, id_)

    @classmethod
    def find(cls, id_: str | None = None, dataset: str | None = None) -> Review | None:
        """The review ``id_``, or the current review of the dataset ``dataset``
        (id or name): its open review, else its latest."""
        if id_:
            return cls.get(id_)
        package = model.Package.get(dataset) if dataset else None
        if package is None:
            return None
        return cls.current_for(package.id)

    @classmethod
    def current_for(cls, package_id: str) -> Review | None:
        """The dataset's open review, else its latest: one query (at most one
        review is open, by the ``cdm_review_one_open_per_dataset`` index)."""
        is_open = sa.case((cls.state.in_(OPEN_STATES), 0), else_=1)
        query = (
            sa.select(cls)
            .where(cls.package_id == package_id)
            .order_by(is_open, cls.submitted_at.desc())
            .limit(1)
        )
        return model.Session.execute(query).scalars().first()

    @classmethod
    def open_for(cls, package_id: str, lock: bool = False) -> Review | None:
        query = sa.select(cls).where(cls.package_id == package_id, cls.state.in_(OPEN_STATES))
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
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

    @classmethod
    def committee_follows(cls, package_id: str) -> bool:
        """Whether the committee examines the dataset or has given an opinion on
        it: what gives the dataset the committee's permission label."""
        query = sa.select(cls.id).where(
            cls.package_id == package_id, cls.state.in_(COMMITTEE_STATES)
        )
        return model.Session.execute(query.limit(1)).first() is not None

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
            "self_referral": self.self_referral,
            "last_submitted_by": self.last_submitted_by,
            "submitters": list(self.submitters),
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
