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
