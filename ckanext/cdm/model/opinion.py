"""Opinions (*avis*): the committee's decision on a review, adopted in a session.

::

    draft ──publish──▶ published          (a number such as 2026-007)
                            ▲
    draft (supersedes_id) ──┘ a correction: published, it supersedes the old one

The fields an opinion carries beyond the vote (summary, assessments,
recommendations, reservations, deliberation notes, anything a portal adds)
are described by the opinion schema (``opinion_schema.py``) and kept in
``data``; the verdict has its own column because lists and badges filter on it.

A published opinion never changes (the publish-once lifecycle,
``publish_once.py``): the methods refuse it, and a trigger of the database
refuses any ``UPDATE`` or ``DELETE`` of a published row, except of its
``permission_labels`` (who may see it follows its dataset). A correction is
a new opinion whose ``supersedes_id`` names the old one; the old row is not
touched, its successor is found by that link.

Opinions keep a snapshot of the dataset's name and title and have no foreign
key to it, so they outlive a purge.
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

from ckanext.cdm.model import audit
from ckanext.cdm.model.base import Labelled, Lockable, constraint_of, new_id, utcnow
from ckanext.cdm.model.publish_once import DRAFT, PUBLISHED, PublishOnce
from ckanext.cdm.model.review import Review
from ckanext.cdm.model.versioned import Versioned, page_language

FAVORABLE = "favorable"
WITH_RESERVATIONS = "favorable_with_reservations"
UNFAVORABLE = "unfavorable"
VERDICTS = (FAVORABLE, WITH_RESERVATIONS, UNFAVORABLE)

# the vote block, as in the council's deliberations
VOTE_KEYS = ("votes_for", "votes_against", "votes_abstain", "votes_not_voting")


def _taken(constraint: str | None) -> str | None:
    """What the unique indexes that keep one opinion per review and one
    correction per opinion (even under concurrent requests) mean to the user."""
    if constraint == "cdm_opinion_one_per_review":
        return tk._("This review already has an opinion.")
    if constraint == "cdm_opinion_one_correction":
        return tk._("This opinion already has a correction.")
    return None


class Opinion(Versioned, PublishOnce, Lockable, Labelled, tk.BaseModel):
    __tablename__ = "cdm_opinion"
    audit_type = "opinion"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    review_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_review.id"), nullable=False, index=True
    )
    # snapshot of the dataset (no foreign key: opinions outlive a purge)
    package_id: Mapped[str] = mapped_column(sa.Text, nullable=False, index=True)
    organization_id: Mapped[str | None] = mapped_column(sa.Text, index=True)
    dataset_name: Mapped[str] = mapped_column(sa.Text, nullable=False)
    dataset_title: Mapped[str] = mapped_column(sa.Text, nullable=False)
    charter_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_charter.id"), nullable=False
    )
    verdict: Mapped[str | None] = mapped_column(sa.Text)
    # every other field of the opinion schema, by field name
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # permanent number, given on publication
    number: Mapped[str | None] = mapped_column(sa.Text, unique=True)
    year: Mapped[int | None] = mapped_column(sa.Integer)
    sequence: Mapped[int | None] = mapped_column(sa.Integer)
    # the vote
    session_id: Mapped[str | None] = mapped_column(sa.Text, sa.ForeignKey("cdm_session.id"))
    votes_for: Mapped[int | None] = mapped_column(sa.Integer)
    votes_against: Mapped[int | None] = mapped_column(sa.Integer)
    votes_abstain: Mapped[int | None] = mapped_column(sa.Integer)
    votes_not_voting: Mapped[int | None] = mapped_column(sa.Integer)
    votes_proxies: Mapped[int | None] = mapped_column(sa.Integer)
    recused: Mapped[list[str]] = mapped_column(ARRAY(sa.Text), nullable=False, default=list)
    # a correction names the opinion it supersedes, and why
    supersedes_id: Mapped[str | None] = mapped_column(sa.Text, sa.ForeignKey("cdm_opinion.id"))
    correction_reason: Mapped[str | None] = mapped_column(sa.Text)
    self_referral: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # the dataset's ethics-relevant fields when the opinion was published: a
    # later change of one of them makes the opinion stale (its badge outdated)
    dataset_facts: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # the dataset's CKAN permission labels: lists filter on them in SQL
    permission_labels: Mapped[list[str]] = mapped_column(
        ARRAY(sa.Text), nullable=False, default=list
    )
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    # state, modified, published_by, published_at: PublishOnce; version: Versioned

    def field_label(self, name: str) -> str:
        from ckanext.cdm import opinion_schema

        if name == "correction_reason":
            return tk._("Reason for the correction")
        return opinion_schema.field_label(name, page_language())

    def published_refusal(self) -> tk.ValidationError:
        return tk.ValidationError(
            {"id": [tk._("A published opinion cannot be changed; publish a correction.")]}
        )

    # Life cycle

    @classmethod
    def draft(
        cls,
        review: Review,
        actor: str | None,
        author_id: str | None,
        verdict: str | None,
        data: dict[str, Any],
        supersedes: Opinion | None = None,
        reason: str | None = None,
    ) -> Opinion:
        """A new draft on ``review`` (or a correction of ``supersedes``)."""
        opinion = cls(
            review_id=review.id,
            package_id=review.package_id,
            organization_id=review.organization_id,
            dataset_name=review.dataset_name,
            dataset_title=review.dataset_title,
            charter_id=review.charter_id,
            state=DRAFT,
            verdict=verdict,
            data=data,
            supersedes_id=supersedes.id if supersedes else None,
            correction_reason=reason,
            self_referral=review.self_referral,
            # a correction is read by whoever reads the opinion it corrects (that
            # of a deleted dataset keeps the labels it had in the catalogue)
            permission_labels=list(
                supersedes.permission_labels if supersedes else review.permission_labels
            ),
            created_by=author_id,
        )
        try:
            with model.Session.begin_nested():
                model.Session.add(opinion)
                model.Session.flush()
        except IntegrityError as error:
            message = _taken(constraint_of(error))
            if message is None:
                raise
            raise tk.ValidationError(
                {"review" if supersedes is None else "id": [message]}
            ) from None
        audit.record(
            "opinion",
            opinion.id,
            "correct" if supersedes else "draft",
            actor,
            to_state=DRAFT,
            message=reason,
            data={"review": review.id, "supersedes": supersedes.number if supersedes else None},
        )
        return opinion

    def update_draft(
        self,
        actor: str | None,
        verdict: str | None,
        data: dict[str, Any],
        reason: str | None = None,
    ) -> None:
        """Change the draft (``reason``: that of a correction, if given): a new version."""
        self.ensure_draft()
        changed = [
            name for name in sorted({*data, *self.data}) if data.get(name) != self.data.get(name)
        ]
        if verdict != self.verdict:
            changed.insert(0, "verdict")
        if reason is not None and reason != self.correction_reason:
            changed.append("correction_reason")
            self.correction_reason = reason
        self.verdict = verdict
        self.data = data
        self.record_change("update", actor, changed, from_state=DRAFT, to_state=DRAFT)

    def publish(
        self,
        actor: str | None,
        publisher_id: str | None,
        session_id: str,
        votes: dict[str, int],
        recused: list[str],
        review: Review,
        package: model.Package | None,
    ) -> None:
        """Publish the draft: its number, the charter version and the dataset as
        they are today, the vote; the review's opinion is issued (for a first
        opinion; a correction leaves the review as it is). The caller checked
        the publishing rules (``logic/publishing.py``) under the review's and
        the session's row locks."""
        self.ensure_draft()
        today = utcnow()
        self.year, self.sequence = today.year, next_sequence(today.year)
        self.number = format_number(self.year, self.sequence)
        self.session_id = session_id
        for key in (*VOTE_KEYS, "votes_proxies"):
            setattr(self, key, votes[key])
        self.recused = list(recused)
        self.charter_id = review.charter_id
        if package is not None:
            self.dataset_facts = ethics_facts(package)
            self.dataset_name = package.name
            self.dataset_title = package.title or package.name
            self.organization_id = package.owner_org
        self.mark_published(publisher_id, today)
        if self.supersedes_id is None:
            review.issue_opinion(actor, self.number)
        audit.record(
            "opinion",
            self.id,
            "publish",
            actor,
            from_state=DRAFT,
            to_state=PUBLISHED,
            data={"number": self.number, "session": session_id},
        )

    # Queries

    @classmethod
    def get(cls, id_: str) -> Opinion | None:
        return model.Session.get(cls, id_)

    @classmethod
    def by_number(cls, number: str) -> Opinion | None:
        query = sa.select(cls).where(cls.number == number)
        return model.Session.execute(query).scalars().first()

    @classmethod
    def find(cls, ref: str) -> Opinion | None:
        """The opinion whose id or number is ``ref``."""
        return cls.get(ref) or cls.by_number(ref)

    def successor(self) -> Opinion | None:
        """The published opinion that supersedes this one, if any."""
        query = sa.select(Opinion).where(
            Opinion.supersedes_id == self.id, Opinion.state == PUBLISHED
        )
        return model.Session.execute(query).scalars().first()

    @classmethod
    def for_package(cls, package_id: str) -> list[Opinion]:
        query = (
            sa.select(cls)
            .where(cls.package_id == package_id)
            .order_by(cls.published_at.desc().nulls_first(), cls.created.desc())
        )
        return list(model.Session.execute(query).scalars())

    @classmethod
    def first_for(cls, review_id: str) -> Opinion | None:
        """The review's opinion (draft or published), not its corrections."""
        query = sa.select(cls).where(cls.review_id == review_id, cls.supersedes_id.is_(None))
        return model.Session.execute(query).scalars().first()

    @classmethod
    def correction_pending(cls, review_id: str) -> bool:
        """Whether a correction of an opinion on the review awaits its vote."""
        query = sa.select(cls.id).where(
            cls.review_id == review_id, cls.state == DRAFT, cls.supersedes_id.is_not(None)
        )
        return model.Session.execute(query.limit(1)).first() is not None

    @classmethod
    def exists_for(cls, package_id: str) -> bool:
        """Whether the dataset has an opinion, draft or published (the committee
        then keeps its permission label on the dataset)."""
        query = sa.select(cls.id).where(cls.package_id == package_id).limit(1)
        return model.Session.execute(query).first() is not None

    @classmethod
    def register_order(cls) -> tuple[sa.ColumnElement, ...]:
        """The register's order, newest first: that of the index
        ``cdm_opinion_register_order`` (migration ``0013_register_indexes``)."""
        return (cls.published_at.desc().nulls_first(), cls.created.desc(), cls.id)

    @classmethod
    def summary_text(cls) -> sa.ColumnElement:
        """The summary as ``data ->> 'summary'``, the key written in the SQL
        (not bound): the expression of its trigram index."""
        return sa.literal_column("cdm_opinion.data ->> 'summary'", sa.Text)

    @classmethod
    def searched_texts(cls) -> tuple[sa.ColumnElement, ...]:
        """The texts the register searches words in, as the expressions of
        their trigram indexes (``0013_register_indexes``)."""
        return (cls.dataset_title, cls.number, cls.summary_text())

    def as_dict(self) -> dict[str, Any]:
        """Every column; the caller removes what the reader may not see
        (drafts, confidential fields: ``logic/action/opinion.py``)."""
        return {
            "id": self.id,
            "number": self.number,
            "state": self.state,
            "review_id": self.review_id,
            "package_id": self.package_id,
            "organization_id": self.organization_id,
            "dataset_name": self.dataset_name,
            "dataset_title": self.dataset_title,
            "charter_id": self.charter_id,
            "verdict": self.verdict,
            **self.data,
            "session_id": self.session_id,
            **{key: getattr(self, key) for key in (*VOTE_KEYS, "votes_proxies")},
            "recused": list(self.recused),
            "supersedes_id": self.supersedes_id,
            "correction_reason": self.correction_reason,
            "self_referral": self.self_referral,
            "dataset_facts": dict(self.dataset_facts),
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "version": self.version,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }


def ethics_facts(package: model.Package) -> dict[str, Any]:
    """The values of the dataset's ethics-relevant fields
    (``ckanext.cdm.ethics_fields``), as extras or columns of the dataset."""
    from ckanext.cdm import config

    extras = package.extras
    facts = {}
    for name in config.ethics_fields():
        value = extras.get(name, getattr(package, name, None) if hasattr(package, name) else None)
        facts[name] = value if value not in ("", None) else None
    return facts


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:03d}"


def next_sequence(year: int) -> int:
    """The next number of ``year``, under a transaction-level advisory lock so
    that two publications never take the same one (a unique constraint on
    ``(year, sequence)`` backs it)."""
    model.Session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('cdm_opinion_number'))"))
    query = sa.select(sa.func.coalesce(sa.func.max(Opinion.sequence), 0)).where(
        Opinion.year == year
    )
    return int(model.Session.execute(query).scalar_one()) + 1
