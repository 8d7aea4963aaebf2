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

ANSWER_STATUSES = ("yes", "partly", "no", "not_applicable")
Answers = dict[str, dict[str, str]]  # {question_code: {"status": …, "justification": …}}


class SelfAssessment(tk.BaseModel):
    """The steward's working copy of a dataset's self-assessment.

    Saved as often as the steward likes; (re)submitting a review copies it
    into the review.
    """

    __tablename__ = "cdm_self_assessment"

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
    def get(cls, package_id: str) -> SelfAssessment | None:
        return model.Session.get(cls, package_id)

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
