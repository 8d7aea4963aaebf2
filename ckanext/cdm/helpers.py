"""Template helpers of ckanext-cdm (registered through the helpers blanket)."""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk

from ckanext.cdm import authz, config, labels


def cdm_text(value: dict[str, str] | None) -> str:
    """The text of a French/English pair in the page's language (falls back to the other)."""
    if not value:
        return ""
    lang = tk.h.lang() or "fr"
    return value.get(lang) or value.get("fr") or value.get("en") or ""


def cdm_college_label(college: str) -> str:
    return labels.college_label(college)


def cdm_role_label(role: str) -> str:
    return labels.role_label(role)


def cdm_charter_status_label(status: str) -> str:
    return labels.charter_status_label(status)


def cdm_colleges() -> list[dict[str, Any]]:
    """The colleges with their number of seats, in the deliberation's order."""
    return [
        {"name": c, "label": cdm_college_label(c), "seats": config.college_seats(c)}
        for c in config.COLLEGES
    ]


def cdm_can_manage_charter() -> bool:
    return authz.can_manage_charter(tk.current_user.name if tk.current_user else None)


def cdm_is_committee() -> bool:
    return authz.can_see_drafts(tk.current_user.name if tk.current_user else None)


def cdm_seats_by_college(seats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seats grouped by college, with the count of seats filled and free today.

    The president comes first in their college.
    """
    groups = []
    for college in cdm_colleges():
        members = [s for s in seats if s["college"] == college["name"]]
        members.sort(key=lambda s: (s["role"] != "president", not s["in_office"], s["fullname"]))
        filled = sum(1 for s in members if s["in_office"])
        groups.append(
            {
                **college,
                "members": members,
                "filled": filled,
                "free": max(college["seats"] - filled, 0),
            }
        )
    return groups


def cdm_president(seats: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((s for s in seats if s["role"] == "president" and s["in_office"]), None)


def cdm_review_state_label(state: str) -> str:
    return labels.review_state_label(state)


def cdm_answer_status_label(status: str) -> str:
    return labels.answer_status_label(status)


def cdm_answer_statuses() -> tuple[str, ...]:
    from ckanext.cdm.model.self_assessment import ANSWER_STATUSES

    return ANSWER_STATUSES


def cdm_waiting_days(review: dict[str, Any]) -> int:
    """Whole days since the review was last submitted."""
    import datetime as dt

    submitted = dt.datetime.fromisoformat(review["last_submitted_at"])
    return (dt.datetime.now(dt.timezone.utc) - submitted).days


def cdm_pager(page: Any, **params: Any) -> Any:
    """CKAN's pager (``page.pager(**params)``) with arrows that have a name.

    CKAN draws "previous" and "next" as bare icons: links without an
    accessible name (WCAG 2.4.4 and 4.1.2, axe's ``link-name``).
    """
    from dominate import tags

    def arrow(icon: str, text: str) -> Any:
        return tags.span(
            tags.i(cls=f"fa-solid {icon}", aria_hidden="true"),
            tags.span(text, cls="visually-hidden"),
        )

    return page.pager(
        symbol_previous=arrow("fa-chevron-left", tk._("Previous page")),
        symbol_next=arrow("fa-chevron-right", tk._("Next page")),
        **params,
    )
