"""Translation of the committee's HTML forms into action data dicts."""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

LANGUAGES = ("fr", "en")


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _questions(code: str, previous: list[dict[str, str]], fr: str, en: str) -> list[dict[str, str]]:
    """Questions typed one per line, French and English side by side.

    Existing questions keep their codes by position; new lines get the next
    free ``<principle>_<n>`` code.
    """
    fr_lines, en_lines = _lines(fr), _lines(en)
    codes = [q["code"] for q in previous]
    numbers = [int(m.group(1)) for c in codes if (m := re.search(r"_(\d+)$", c))]
    next_number = max(numbers, default=0) + 1
    questions = []
    for index in range(max(len(fr_lines), len(en_lines))):
        if index < len(codes):
            question_code = codes[index]
        else:
            question_code = f"{code}_{next_number}"
            next_number += 1
        questions.append(
            {
                "code": question_code,
                "fr": fr_lines[index] if index < len(fr_lines) else "",
                "en": en_lines[index] if index < len(en_lines) else "",
            }
        )
    return questions


def charter_from_form(form: MultiDict, current: dict[str, Any]) -> dict[str, Any]:
    """The ``cdm_charter_update`` data dict of the charter edit form."""
    previous = {p["code"]: p for p in current.get("principles", [])}
    principles = []
    index = 0
    while f"principles-{index}-code" in form:
        prefix = f"principles-{index}-"
        index += 1
        code = form.get(prefix + "code", "").strip()
        if not code or form.get(prefix + "remove"):
            continue
        principles.append(
            {
                "code": code,
                "title": {lang: form.get(f"{prefix}title-{lang}", "") for lang in LANGUAGES},
                "description": {
                    lang: form.get(f"{prefix}description-{lang}", "") for lang in LANGUAGES
                },
                "questions": _questions(
                    code,
                    previous.get(code, {}).get("questions", []),
                    form.get(prefix + "questions-fr"),
                    form.get(prefix + "questions-en"),
                ),
            }
        )
    return {
        "id": current["id"],
        "number": form.get("number", current["number"]).strip(),
        "title": {lang: form.get(f"title-{lang}", "") for lang in LANGUAGES},
        "preamble": {lang: form.get(f"preamble-{lang}", "") for lang in LANGUAGES},
        "principles": principles,
    }


def error_summary(errors: dict[str, Any]) -> str:
    """The messages of a ValidationError on one line (they name the rule broken)."""
    parts = []
    for messages in errors.values():
        if isinstance(messages, list):
            parts += [m if isinstance(m, str) else error_summary(m) for m in messages if m]
        else:
            parts.append(str(messages))
    return " ".join(parts)


def answers_from_form(form: MultiDict, charter: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ``answers`` of ``cdm_self_assessment_save`` from the self-assessment form."""
    answers = {}
    for principle in charter["principles"]:
        for question in principle["questions"]:
            code = question["code"]
            status = form.get(f"answer-{code}-status", "")
            justification = form.get(f"answer-{code}-justification", "")
            answers[code] = {"status": status, "justification": justification}
    return answers
