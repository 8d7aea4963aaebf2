"""Translation of the committee's HTML forms into action data dicts."""

from __future__ import annotations

import re
from typing import Any

from ckan.plugins import toolkit as tk

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


def charter_from_form(data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The ``cdm_charter_update`` data dict of the charter edit form (as parsed by
    ``views._base.form_data``: ``principles__0__code`` → ``principles[0]["code"]``)."""
    previous = {p["code"]: p for p in current.get("principles", [])}
    principles = []
    for row in data.get("principles", []):
        code = _text(row.get("code"))
        if not code or row.get("remove"):
            continue
        principles.append(
            {
                "code": code,
                "title": {lang: _text(row.get(f"title-{lang}")) for lang in LANGUAGES},
                "description": {lang: _text(row.get(f"description-{lang}")) for lang in LANGUAGES},
                "questions": _questions(
                    code,
                    previous.get(code, {}).get("questions", []),
                    _text(row.get("questions-fr")),
                    _text(row.get("questions-en")),
                ),
            }
        )
    return {
        "id": current["id"],
        "number": _text(data.get("number", current["number"])),
        "title": {lang: _text(data.get(f"title-{lang}")) for lang in LANGUAGES},
        "preamble": {lang: _text(data.get(f"preamble-{lang}")) for lang in LANGUAGES},
        "principles": principles,
    }


def _text(value: Any) -> str:
    """One text value of a form (a repeated field keeps its first value)."""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "").strip()


def flat_message(messages: Any) -> str:
    """The messages of one field (a list, nested lists or dicts) as one text."""
    if isinstance(messages, dict):
        return " ".join(flat_message(m) for m in messages.values())
    if isinstance(messages, list):
        return " ".join(flat_message(m) for m in messages if m)
    return str(messages)


def error_summary(errors: dict[str, Any]) -> str:
    """The messages of a ValidationError on one line (they name the rule broken)."""
    parts = []
    for messages in errors.values():
        if isinstance(messages, list):
            parts += [m if isinstance(m, str) else error_summary(m) for m in messages if m]
        else:
            parts.append(str(messages))
    return " ".join(parts)


def answers_from_form(data: dict[str, Any], charter: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ``answers`` of ``cdm_self_assessment_save`` from the self-assessment form
    (rows ``answers__<n>__code``, ``__status``, ``__justification``)."""
    rows = {_text(row.get("code")): row for row in data.get("answers", []) if isinstance(row, dict)}
    answers = {}
    for principle in charter["principles"]:
        for question in principle["questions"]:
            row = rows.get(question["code"], {})
            answers[question["code"]] = {
                "status": _text(row.get("status")),
                "justification": _text(row.get("justification")),
            }
    return answers


def answers_after_conflict(
    charter: dict[str, Any],
    saved: dict[str, dict[str, str]],
    typed: dict[str, dict[str, str]],
) -> tuple[dict[str, dict[str, str]], list[dict[str, str]]]:
    """After a save refused as stale: the answers the form shows, and what is
    saved now where it differs from what the person typed (``current`` of
    ``macros/versions.html``).

    A question the person left blank shows what a colleague saved meanwhile
    (the form was drawn before it: saving it again must not wipe it); a
    question they answered keeps their answer, and the saved one is shown
    beside the form when it differs."""
    from ckanext.cdm import labels

    shown = dict(saved)
    current = []
    for number, principle in enumerate(charter["principles"], start=1):
        for position, question in enumerate(principle["questions"], start=1):
            code = question["code"]
            mine = typed.get(code) or {}
            theirs = saved.get(code) or {}
            if not (mine.get("status") or mine.get("justification")):
                continue
            shown[code] = mine
            if (theirs.get("status") or theirs.get("justification")) and (
                mine.get("status"),
                mine.get("justification") or "",
            ) != (theirs.get("status"), theirs.get("justification") or ""):
                status = theirs.get("status")
                status = labels.answer_status_label(status) if status else ""
                value = "\n".join(t for t in (status, theirs.get("justification") or "") if t)
                label = tk._("Principle {principle}, question {question}").format(
                    principle=number, question=position
                )
                current.append({"label": label, "value": value})
    return shown, current


def answer_errors(
    charter: dict[str, Any], answers: dict[str, dict[str, str]], submitting: bool
) -> dict[str, dict[str, Any]]:
    """The error of each question of a refused self-assessment, keyed by question code:
    the control it belongs to (``status`` or ``justification``), the message, and the
    principle's number and title, to name it as the steward reads it."""
    from ckanext.cdm.model.self_assessment import ANSWER_STATUSES

    errors = {}
    for number, principle in enumerate(charter["principles"], start=1):
        for position, question in enumerate(principle["questions"], start=1):
            answer = answers.get(question["code"]) or {}
            status, justification = answer.get("status"), answer.get("justification")
            if status and status not in ANSWER_STATUSES:
                field, message = "status", tk._("Choose one of the answers offered.")
            elif justification and not status:
                field, message = "status", tk._("Choose an answer to go with your justification.")
            elif submitting and not status:
                field, message = "status", tk._("Choose an answer and justify it.")
            elif submitting and not justification:
                field, message = "justification", tk._("Justify your answer.")
            else:
                continue
            errors[question["code"]] = {
                "field": field,
                "message": message,
                "principle": number,
                "title": tk.h.scheming_language_text(principle["title"]),
                "question": position,
            }
    return errors


def and_list(items: list[str]) -> str:
    """``["1", "3", "5"]`` → "1, 3 and 5" (in the reader's language)."""
    if len(items) < 2:
        return "".join(items)
    return tk._("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _numbers(numbers: list[int]) -> str:
    """Principle numbers as a reader says them: runs of three or more as
    "1 to 9", the others one by one ("1 to 4, 6 and 8")."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(tk._("{first} to {last}").format(first=run[0], last=run[-1]))
        else:
            parts += [str(n) for n in run]
    return and_list(parts)


def _where(numbers: list[int]) -> str:
    if len(set(numbers)) == 1:
        return tk._("in principle {number}").format(number=numbers[0])
    return tk._("in principles {numbers}").format(numbers=_numbers(numbers))


def _anchor(code: str, error: dict[str, Any]) -> str:
    from ckanext.cdm.model.self_assessment import ANSWER_STATUSES

    if error["field"] == "justification":
        return f"#answer-{code}-justification"
    return f"#answer-{code}-{ANSWER_STATUSES[0]}"


def answer_summary(errors: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The error summary of a refused self-assessment, short whatever the
    number of questions: one sentence per kind of error, saying how many
    questions and in which principles (``intro``), then one link per
    principle, to its first question in error, naming its questions
    (``items``). The message of each question is beside it."""
    unanswered = [e["principle"] for e in errors.values() if e["field"] == "status"]
    unjustified = [e["principle"] for e in errors.values() if e["field"] == "justification"]
    intro = []
    if unanswered:
        intro.append(
            tk.ungettext(
                "{n} question without an answer, {where}.",
                "{n} questions without an answer, {where}.",
                len(unanswered),
            ).format(n=len(unanswered), where=_where(unanswered))
        )
    if unjustified:
        intro.append(
            tk.ungettext(
                "{n} answer without a justification, {where}.",
                "{n} answers without a justification, {where}.",
                len(unjustified),
            ).format(n=len(unjustified), where=_where(unjustified))
        )
    by_principle: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    for code, error in errors.items():
        by_principle.setdefault(error["principle"], []).append((code, error))
    items = []
    for number, in_error in sorted(by_principle.items()):
        questions = [str(error["question"]) for _, error in in_error]
        items.append(
            {
                "href": _anchor(*in_error[0]),
                "text": tk._("Principle {number}. {title}: {questions}").format(
                    number=number,
                    title=in_error[0][1]["title"],
                    questions=tk.ungettext(
                        "question {numbers}", "questions {numbers}", len(questions)
                    ).format(numbers=and_list(questions)),
                ),
            }
        )
    return {"intro": intro, "items": items}
