"""Human labels of the codes of the domain, in the language of the request."""

from __future__ import annotations

from ckan.plugins import toolkit as tk


def college_label(college: str) -> str:
    labels = {
        "research": tk._("Higher education and research"),
        "civil_society": tk._("Associations, qualified personalities and civil society"),
        "business": tk._("Businesses"),
        "local_authorities": tk._("Local authorities"),
    }
    return labels.get(college, college)


def role_label(role: str) -> str:
    return {"president": tk._("President"), "member": tk._("Member")}.get(role, role)


def charter_status_label(status: str) -> str:
    labels = {
        "draft": tk._("Draft"),
        "adopted": tk._("Adopted"),
        "superseded": tk._("Superseded"),
    }
    return labels.get(status, status)


def review_state_label(state: str) -> str:
    labels = {
        "submitted": tk._("submitted"),
        "in_review": tk._("in review"),
        "changes_requested": tk._("waiting for changes"),
        "opinion_issued": tk._("closed by an opinion"),
        "withdrawn": tk._("withdrawn"),
    }
    return labels.get(state, state)


def answer_status_label(status: str) -> str:
    labels = {
        "yes": tk._("Yes"),
        "partly": tk._("Partly"),
        "no": tk._("No"),
        "not_applicable": tk._("Not applicable"),
    }
    return labels.get(status, status)
