"""Load the fictional demo catalogue of Valmont Métropole through the action API.

Every step is idempotent: what already exists is kept as it is, so running
``ckan cdm demo`` twice leaves the catalogue unchanged.

Two guards keep it off a real portal (:func:`check_may_load`): it runs only
where ``ckanext.cdm.demo`` is true, and it never touches an account it did
not create. The accounts it creates are marked (``plugin_extras["cdm"]
["demo_account"]``, which only sysadmins can write); if any user name of the
catalogue belongs to an unmarked account, it refuses before changing
anything, so no existing account is made sysadmin, given the demo password,
an organization role or a committee seat.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.cdm import config, user_extras
from ckanext.cdm.data import read_charter
from ckanext.cdm.demo import history, meetings, opinions, reports, reviews
from ckanext.cdm.model.base import clock_at

log = logging.getLogger(__name__)


class DemoRefused(Exception):
    """Why the demo catalogue may not be loaded here."""


@dataclass
class DemoReport:
    """What a demo run created and which accounts it offers."""

    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # name, password, role

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def read_catalogue() -> dict[str, Any]:
    text = resources.files("ckanext.cdm.demo").joinpath("catalogue.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _exists(action: str, id_: str) -> bool:
    try:
        tk.get_action(action)(_site_context(), {"id": id_})
    except tk.ObjectNotFound:
        return False
    return True


def check_may_load(catalogue: dict[str, Any]) -> None:
    """Raise :class:`DemoRefused` unless this portal is a demo and every
    account of the catalogue is missing or was created by the demo."""
    if not config.is_demo():
        raise DemoRefused(
            "This portal is not a demo (ckanext.cdm.demo is false): the demo creates "
            "accounts with a public password, a sysadmin among them. Set "
            "ckanext.cdm.demo = true in the configuration of a demo portal only."
        )
    taken = []
    for person in catalogue["users"] + catalogue["committee"]:
        user = model.User.by_name(person["name"])
        if user is not None and not user_extras.is_demo_account(user):
            taken.append(person["name"])
    if taken:
        raise DemoRefused(
            "These user names belong to accounts the demo did not create, and it never "
            f"changes those: {', '.join(taken)}. Nothing was loaded. Load the demo into "
            "an empty database ('make demo-reset' empties the demo's)."
        )


def _ensure_user(data: dict[str, Any], report: DemoReport) -> None:
    """Create the account, marked as the demo's; repair the sysadmin flag of
    a demo account only (check_may_load refused any other)."""
    user = model.User.by_name(data["name"])
    if user is None:
        tk.get_action("user_create")(
            _site_context(),
            {
                "name": data["name"],
                "fullname": data["fullname"],
                "email": data["email"],
                "password": config.demo_password(),
                "plugin_extras": {user_extras.KEY: {"demo_account": True}},
            },
        )
        report.count("users")
        user = model.User.by_name(data["name"])
    if data.get("sysadmin") and user_extras.is_demo_account(user) and not user.sysadmin:
        user.sysadmin = True
        model.repo.commit()


def _ensure_organization(data: dict[str, Any], report: DemoReport) -> None:
    if _exists("organization_show", data["name"]):
        return
    tk.get_action("organization_create")(
        _site_context(),
        {"name": data["name"], "title": data["title"], "description": data["description"]},
    )
    report.count("organizations")


def _ensure_dataset(data: dict[str, Any], report: DemoReport) -> None:
    if _exists("package_show", data["name"]):
        return
    dataset = {
        "name": data["name"],
        "title": data["title"],
        "notes": data["notes"],
        "owner_org": data["owner_org"],
        "license_id": data["license_id"],
        "private": bool(data.get("private", False)),
        "tags": [{"name": tag} for tag in data.get("tags", [])],
        "resources": [
            {k: resource[k] for k in ("name", "url", "format", "description") if k in resource}
            for resource in data.get("resources", [])
        ],
    }
    dataset.update(_ethics_fields(data.get("ethics", {})))
    tk.get_action("package_create")(_site_context(), dataset)
    report.count("datasets")


def _ethics_fields(ethics: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's ethics block as the fields of the shipped dataset schema."""
    fields = {
        "personal_data": ethics.get("personal_data"),
        "legal_basis": ethics.get("legal_basis"),
        "purpose": ethics.get("purpose"),
        "algorithmic_use": "yes" if ethics.get("algorithmic_use") else "no",
        "algorithm_description": ethics.get("algorithm_description"),
        "data_controller": ethics.get("data_controller"),
        "sensitive_categories": ethics.get("sensitive_categories") or [],
        "retention_period": ethics.get("retention"),
    }
    return {k: v for k, v in fields.items() if v not in (None, "")}


# The committee of the current metropolitan mandate (six years), seated in
# the autumn before the past year (demo/history.yaml: the year before the demo
# is loaded), and the charter it adopted two months later.
def _mandate() -> tuple[dt.date, dt.date]:
    start = dt.date(history.past_year() - 1, 9, 2)
    return start, start.replace(year=start.year + 6) - dt.timedelta(days=1)


def _charter_adoption() -> tuple[str, str]:
    adopted = _mandate()[0] + dt.timedelta(days=60)
    return (
        adopted.isoformat(),
        f"Délibération n° CDM-{adopted.year}-03 du comité, séance du {adopted:%d/%m/%Y}",
    )


def _on(day: dt.date, hour: int = 10) -> dt.datetime:
    """``day`` at ``hour`` UTC: the moment of the model's clock for a step of the
    committee's past (seating, adoption of the charter)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.timezone.utc)


def _ensure_committee(committee: list[dict[str, Any]], report: DemoReport) -> None:
    seated = {
        seat["user_name"]
        for seat in tk.get_action("cdm_member_list")(_site_context(), {"include_ended": True})
    }
    # the president first: the rules then hold at every step
    for person in sorted(committee, key=lambda m: m["role"] != "president"):
        if person["name"] in seated:
            continue
        with clock_at(_on(_mandate()[0])):
            _seat(person)
        report.count("committee seats")


def _seat(person: dict[str, Any]) -> None:
    tk.get_action("cdm_member_create")(
        _site_context(),
        {
            "user": person["name"],
            "college": person["college"],
            "role": person["role"],
            "affiliation": person.get("affiliation"),
            "form_of_address": person.get("form_of_address") or "",
            "mandate_start": _mandate()[0].isoformat(),
            "mandate_end": _mandate()[1].isoformat(),
        },
    )


def _ensure_charter(president: str, report: DemoReport) -> None:
    """Version 1.0 adopted, version 1.1 in progress (a draft written by the president)."""
    context = {"user": president}
    numbers = {c["number"]: c for c in tk.get_action("cdm_charter_list")(context, {})}
    adopted_on, reference = _charter_adoption()
    with clock_at(_on(dt.date.fromisoformat(adopted_on), hour=16)):
        if "1.0" not in numbers:
            tk.get_action("cdm_charter_create")(context, read_charter(draft_note=False))
            report.count("charter versions")
            numbers["1.0"] = {"status": "draft"}
        if numbers["1.0"]["status"] == "draft":
            tk.get_action("cdm_charter_adopt")(
                context, {"id": "1.0", "adopted_on": adopted_on, "decision_reference": reference}
            )
    if "1.1" not in numbers:
        draft = tk.get_action("cdm_charter_create")(context, {"number": "1.1", "copy_from": "1.0"})
        principles = draft["principles"]
        sobriety = next(p for p in principles if p["code"] == "sobriety")
        sobriety["questions"].append(
            {
                "code": f"sobriety_{len(sobriety['questions']) + 1}",
                "fr": "La fréquence de mise à jour du jeu de données est-elle proportionnée "
                "à l’usage qui en est fait ?",
                "en": "Is the dataset's update frequency proportionate to the use made of it?",
            }
        )
        tk.get_action("cdm_charter_update")(context, {"id": "1.1", "principles": principles})
        report.count("charter versions")


def load_demo() -> DemoReport:
    """Create what is missing of the demo catalogue; return what was done."""
    catalogue = read_catalogue()
    check_may_load(catalogue)
    report = DemoReport()
    for user in catalogue["users"] + catalogue["committee"]:
        _ensure_user(user, report)
    for organization in catalogue["organizations"]:
        _ensure_organization(organization, report)
    for user in catalogue["users"]:
        for membership in user.get("memberships", []):
            tk.get_action("organization_member_create")(
                _site_context(),
                {
                    "id": membership["organization"],
                    "username": user["name"],
                    "role": membership["capacity"],
                },
            )
    for dataset in catalogue["datasets"]:
        _ensure_dataset(dataset, report)
    _ensure_committee(catalogue["committee"], report)
    president = next(m for m in catalogue["committee"] if m["role"] == "president")
    _ensure_charter(president["name"], report)
    # the past year first: its reviews are closed before this year's open
    past = history.play(catalogue, president["name"])
    if past:
        report.created["published opinions of the past year"] = past
    played = reviews.play(catalogue, president["name"])
    if played:
        report.created["reviews"] = played
    published = opinions.play(catalogue, president["name"])
    if published:
        report.created["published opinions"] = published
    announced = meetings.play(president["name"])
    if announced:
        report.created["citizen meetings"] = announced
    written = reports.play(catalogue, president["name"])
    if written:
        report.created["annual reports"] = written

    password = config.demo_password()
    for user in catalogue["users"]:
        if user.get("sysadmin"):
            role = "sysadmin"
        else:
            role = "steward: " + ", ".join(
                f"{m['capacity']} of {m['organization']}" for m in user.get("memberships", [])
            )
        report.logins.append((user["name"], password, role))
    report.logins.append((president["name"], password, "president of the committee"))
    for college in config.COLLEGES:
        member = next(
            m for m in catalogue["committee"] if m["role"] == "member" and m["college"] == college
        )
        report.logins.append((member["name"], password, f"committee member ({college})"))
    return report
