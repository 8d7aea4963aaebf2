"""Self-assessments: the steward's answers to the charter's guiding questions.

Each guiding question of the adopted charter gets a status (yes, partly, no,
not applicable) and a justification. A principle is answered when all its
questions are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.model.base import utcnow
from ckanext.cdm.model.charter import Charter
from ckanext.cdm.model.versioned import Versioned, page_language

ANSWER_STATUSES = ("yes", "partly", "no", "not_applicable")
Answers = dict[str, dict[str, str]]  # {question_code: {"status": …, "justification": …}}


class SelfAssessment(Versioned, tk.BaseModel):
    """The steward's working copy of a dataset's self-assessment.

    Saved as often as the steward likes, each save a new version
    (``versioned.py``); (re)submitting a review copies it into the review.
    """

    __tablename__ = "cdm_self_assessment"
    audit_type = "self_assessment"

    package_id: Mapped[str] = mapped_column(sa.Text, primary_key=True)
    charter_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("cdm_charter.id"), nullable=False
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow
    )
    modified_by: Mapped[str | None] = mapped_column(sa.Text)

    @classmethod
    def get(cls, package_id: str, lock: bool = False) -> SelfAssessment | None:
        """The dataset's self-assessment; with ``lock``, locked until the end
        of the transaction and read afresh (``SELECT … FOR UPDATE``)."""
        if not lock:
            return model.Session.get(cls, package_id)
        return model.Session.get(cls, package_id, with_for_update=True, populate_existing=True)

    @property
    def audit_id(self) -> str:
        return self.package_id

    def field_label(self, name: str) -> str:
        """A principle's title (the fields of a save are the principles whose
        answers changed)."""
        charter = Charter.get(self.charter_id)
        for principle in charter.principles if charter else []:
            if principle.code == name:
                title = principle.title
                return title.get(page_language()) or title.get("fr") or name
        return name

    def save(self, actor: str | None, charter: Charter, given: Answers) -> None:
        """Save the answers ``given`` to the questions of ``charter`` (the
        others are kept; an empty status clears an answer): a new version."""
        before = self.answers_for(charter)
        answers = dict(before)
        for code, answer in given.items():
            if answer["status"]:
                answers[code] = answer
            else:
                answers.pop(code, None)
        changed = {
            principle.code
            for principle in charter.principles
            for q in principle.questions
            if answers.get(q["code"]) != before.get(q["code"])
        }
        self.answers = answers
        self.charter_id = charter.id
        self.modified_by = actor
        self.record_change(
            "update", actor, [p.code for p in charter.principles if p.code in changed]
        )

    def answers_for(self, charter: Charter) -> Answers:
        """The saved answers to the questions of ``charter`` (a newer charter
        keeps the answers to the questions it still asks)."""
        known = {q["code"] for p in charter.principles for q in p.questions}
        return {code: dict(a) for code, a in self.answers.items() if code in known}


def is_answered(answer: dict[str, str] | None) -> bool:
    """Whether an answer is complete: a status and a justification."""
    return bool(answer and answer.get("status") and answer.get("justification"))


def unanswered_principles(answers: Answers, charter: Charter) -> list[str]:
    """Codes of the principles with a question lacking a status or a justification."""
    return [
        principle.code
        for principle in charter.principles
        if any(not is_answered(answers.get(q["code"])) for q in principle.questions)
    ]
