"""The annual evaluation report (*rapport annuel d'évaluation*): the
committee's own text for a year, and, once published, a frozen snapshot of
the year's public figures.

::

    draft ──publish (the president)──▶ published

One report per year (a unique constraint). A draft is written by the
president and the members in office; publication freezes its text and stores
the public figures of the year (``figures.py``) as JSON, so that a later change
of the data never alters a published report. The methods refuse to change a
published report, and a trigger of the database refuses any ``UPDATE`` or
``DELETE`` of one (the publish-once lifecycle, ``publish_once.py``).
Publication runs under the row's lock (``AnnualReport.for_year(year,
lock=True)``): two at once publish once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.model import audit
from ckanext.cdm.model.base import Lockable, constraint_of, new_id, utcnow
from ckanext.cdm.model.publish_once import DRAFT, PUBLISHED, PublishOnce
from ckanext.cdm.model.versioned import Versioned

# the parts of the committee's text (markdown)
SECTIONS = ("introduction", "notable_cases", "recommendations")


class AnnualReport(Versioned, PublishOnce, Lockable, tk.BaseModel):
    __tablename__ = "cdm_annual_report"
    audit_type = "annual_report"
    __table_args__ = (sa.UniqueConstraint("year", name="cdm_annual_report_one_per_year"),)

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    introduction: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    notable_cases: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    recommendations: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # the public figures of the year when the report was published
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_by: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    modified_by: Mapped[str | None] = mapped_column(sa.Text)
    # state, modified, published_by, published_at: PublishOnce; version: Versioned

    def field_label(self, name: str) -> str:
        labels = {
            "introduction": tk._("Introduction"),
            "notable_cases": tk._("Notable cases"),
            "recommendations": tk._("Recommendations"),
        }
        return labels.get(name, name)

    def published_refusal(self) -> tk.ValidationError:
        return tk.ValidationError(
            {"year": [tk._("The report of this year is published: it cannot change.")]}
        )

    # Queries

    @classmethod
    def for_year(cls, year: int, lock: bool = False) -> AnnualReport | None:
        """The report of ``year``; with ``lock``, locked until the end of the
        transaction and read afresh (``SELECT … FOR UPDATE``)."""
        query = sa.select(cls).where(cls.year == year)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        return model.Session.execute(query).scalars().first()

    @classmethod
    def years(cls, published_only: bool) -> list[AnnualReport]:
        query = sa.select(cls).order_by(cls.year.desc())
        if published_only:
            query = query.where(cls.state == PUBLISHED)
        return list(model.Session.execute(query).scalars())

    # Life cycle

    @classmethod
    def draft_for(cls, year: int, actor: str | None, author_id: str | None) -> AnnualReport:
        """The report of ``year``, locked; a new empty draft when there is none
        (two at once create one: the unique constraint decides)."""
        report = cls.for_year(year, lock=True)
        if report is not None:
            return report
        # version 0: the empty draft, that a form drawn before it existed names
        report = cls(year=year, state=DRAFT, created_by=author_id, modified_by=author_id, version=0)
        try:
            with model.Session.begin_nested():
                model.Session.add(report)
                model.Session.flush()
        except IntegrityError as error:
            if constraint_of(error) != "cdm_annual_report_one_per_year":
                raise
            found = cls.for_year(year, lock=True)
            assert found is not None
            return found
        audit.record(
            "annual_report", report.id, "draft", actor, to_state=DRAFT, data={"year": year}
        )
        return report

    def update_text(self, actor: str | None, author_id: str | None, text: dict[str, str]) -> None:
        """Change the sections given in ``text`` (the others are kept): a new version."""
        self.ensure_draft()
        changed = [s for s in SECTIONS if s in text and text[s] != getattr(self, s)]
        for section in changed:
            setattr(self, section, text[section])
        self.modified_by = author_id
        self.record_change(
            "update",
            actor,
            changed,
            from_state=DRAFT,
            to_state=DRAFT,
            data={"sections": sorted(s for s in SECTIONS if s in text)},
        )

    def publish(self, actor: str | None, publisher_id: str | None, figures: dict) -> None:
        """Freeze the text with ``figures`` (the year's public figures). The
        caller holds the row's lock."""
        self.ensure_draft()
        if not self.introduction.strip():
            raise tk.ValidationError(
                {"introduction": [tk._("Write the introduction before publishing the report.")]}
            )
        self.figures = figures
        self.mark_published(publisher_id, utcnow())
        audit.record(
            "annual_report",
            self.id,
            "publish",
            actor,
            from_state=DRAFT,
            to_state=PUBLISHED,
            data={"year": self.year},
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "year": self.year,
            "state": self.state,
            **{section: getattr(self, section) for section in SECTIONS},
            "created": self.created.isoformat(),
            "modified": self.modified.isoformat(),
            "version": self.version,
            "published_at": self.published_at.isoformat() if self.published_at else None,
        }
