"""The demo's sessions and opinions (demo/opinions.yaml), played through the action API."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import yaml
from ckan.plugins import toolkit as tk

from ckanext.cdm.demo import reviews
from ckanext.cdm.model.review import OPEN_STATES

COMMENTS = {
    "compliant": "Le principe est respecté ; la fiche le documente.",
    "partially_compliant": "Le principe est respecté en partie : voir les réserves et "
    "recommandations.",
    "non_compliant": "Le principe n’est pas respecté en l’état.",
    "not_applicable": "Le principe est sans objet pour ce jeu de données.",
}


def read_scenarios() -> dict[str, Any]:
    text = resources.files("ckanext.cdm.demo").joinpath("opinions.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _act(action: str, user: str, data: dict[str, Any]) -> Any:
    return tk.get_action(action)({"user": user}, data)


def _assessments(charter: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    result = {}
    for principle in charter["principles"]:
        code = principle["code"]
        status = "compliant"
        if code in entry.get("failing", []):
            status = "non_compliant"
        elif code in entry.get("not_applicable", []):
            status = "not_applicable"
        elif code in entry.get("weak", []):
            status = "partially_compliant"
        result[code] = {"status": status, "comment": COMMENTS[status]}
    return result


def opinion_fields(charter: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    fields = {
        "verdict": entry["verdict"],
        "summary": entry["summary"],
        "assessments": _assessments(charter, entry),
        "recommendations": entry.get("recommendations"),
        "reservations": entry.get("reservations"),
        "deliberation_notes": entry.get("notes"),
    }
    return {key: value for key, value in fields.items() if value}


def _in_review(entry: dict[str, Any], datasets: dict[str, Any], charter, president: str) -> str:
    """Open the review of the entry's dataset and take it into examination; its id."""
    name, steward = entry["dataset"], entry["steward"]
    answers = reviews.answers_for(datasets[name], charter)
    if entry.get("self_referral"):
        review = _act(
            "cdm_review_open",
            president,
            {"dataset": name, "message": "Saisine d’office du comité."},
        )
        _act("cdm_self_assessment_save", steward, {"id": name, "answers": answers})
        _act("cdm_review_submit", steward, {"id": name})
    else:
        _act("cdm_self_assessment_save", steward, {"id": name, "answers": answers})
        review = _act("cdm_review_submit", steward, {"id": name})
    _act("cdm_review_assign", president, {"id": review["id"], "rapporteur": entry["rapporteur"]})
    return review["id"]


def _starts_at(session: dict[str, Any]) -> str:
    day = dt.date.today() + dt.timedelta(days=session["day"])
    return f"{day.isoformat()}T{session['time']}"


def vote_counts(votes: dict[str, int], session: dict[str, Any]) -> dict[str, Any]:
    return {
        "votes_for": votes["for"],
        "votes_against": votes["against"],
        "votes_abstain": votes["abstain"],
        "votes_not_voting": votes["not_voting"],
        "votes_proxies": len(session.get("proxies", [])),
    }


def sessions_exist(titles: list[str]) -> bool:
    """Whether a session bearing one of ``titles`` exists (a part of the demo
    was played: the past year's sessions, or this file's)."""
    import sqlalchemy as sa
    from ckan import model

    from ckanext.cdm.model.session import CommitteeSession

    query = sa.select(sa.func.count()).where(CommitteeSession.title.in_(titles))
    return bool(model.Session.execute(query).scalar())


def play(catalogue: dict[str, Any], president: str) -> int:
    """Play the sessions and opinions once (nothing when one of this file's
    sessions exists; the past year's, demo/history.yaml, do not count); how
    many opinions were published."""
    scenarios = read_scenarios()
    if sessions_exist([s["title"] for s in scenarios["sessions"]]):
        return 0
    datasets = {d["name"]: d for d in catalogue["datasets"]}
    members = [m["name"] for m in catalogue["committee"]]
    charter = _act("cdm_charter_show", president, {})
    by_session: dict[str, list[tuple[dict[str, Any], str, str]]] = {}
    for entry in scenarios["opinions"]:
        listing = _act("cdm_review_list", president, {"dataset": entry["dataset"]})
        if any(r["state"] in OPEN_STATES for r in listing["results"]):
            continue  # in examination since the demo was loaded: left as it is
        review_id = _in_review(entry, datasets, charter, president)
        opinion = _act(
            "cdm_opinion_create",
            entry["rapporteur"],
            {"review": review_id, **opinion_fields(charter, entry)},
        )
        by_session.setdefault(entry["session"], []).append((entry, review_id, opinion["id"]))
    for draft in scenarios["drafts"]:
        review = _act("cdm_review_show", president, {"dataset": draft["dataset"]})
        _act(
            "cdm_opinion_create",
            draft["rapporteur"],
            {"review": review["id"], **opinion_fields(charter, draft)},
        )
    published = 0
    corrections: dict[str, list[tuple[dict[str, Any], str]]] = {}
    for session in scenarios["sessions"]:
        adopted = by_session.get(session["key"], [])
        agenda = [review_id for _, review_id, _ in adopted]
        agenda += [c_review for _, c_review in corrections.get(session["key"], [])]
        for name in session.get("agenda", []):
            agenda.append(_act("cdm_review_show", president, {"dataset": name})["id"])
        created = _act(
            "cdm_session_create",
            president,
            {
                "starts_at": _starts_at(session),
                "place": session["place"],
                "title": session["title"],
                "agenda": agenda,
            },
        )
        if not session.get("close"):
            continue
        absent = set(session.get("absent", []))
        _act(
            "cdm_session_update",
            president,
            {
                "id": created["id"],
                "attendance": [m for m in members if m not in absent],
                "proxies": session.get("proxies", []),
            },
        )
        for entry, _, opinion_id in adopted:
            _act(
                "cdm_opinion_publish",
                president,
                {
                    "id": opinion_id,
                    "session": created["id"],
                    **vote_counts(entry["votes"], session),
                },
            )
            published += 1
            correction = entry.get("correction")
            if correction:
                corrected = _act(
                    "cdm_opinion_correct",
                    president,
                    {
                        "id": opinion_id,
                        "reason": correction["reason"],
                        "reservations": correction["reservations"],
                    },
                )
                corrections.setdefault(correction["session"], []).append(
                    ({**entry, **correction, "draft": corrected["id"]}, corrected["review_id"])
                )
        for entry, _ in corrections.get(session["key"], []):
            _act(
                "cdm_opinion_publish",
                president,
                {
                    "id": entry["draft"],
                    "session": created["id"],
                    **vote_counts(entry["votes"], session),
                },
            )
            published += 1
        _act(
            "cdm_session_update",
            president,
            {"id": created["id"], "minutes": session["minutes"], "close": True},
        )
    _afterwards(scenarios.get("afterwards", []), datasets, charter)
    return published


def _afterwards(steps: list[dict[str, Any]], datasets: dict[str, Any], charter) -> None:
    """What happens to datasets after their opinion: a changed ethics field, a
    new submission (re-examination)."""
    for step in steps:
        name, steward = step["dataset"], step["steward"]
        if step.get("change"):
            _act("package_patch", steward, {"id": name, **step["change"]})
        if step.get("resubmit"):
            answers = reviews.answers_for(datasets[name], charter)
            _act("cdm_self_assessment_save", steward, {"id": name, "answers": answers})
            _act("cdm_review_submit", steward, {"id": name, "message": step["resubmit"]})
