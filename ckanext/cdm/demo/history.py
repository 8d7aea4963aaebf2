"""The committee's past year (demo/history.yaml), played through the action API
under the model's clock.

Every step of the year (a submission, an assignment, a draft, a session
convened, then held) is an event at its own moment; the events run in the
order of their moments, each under ``clock_at(moment)``, so that what the
actions write (dates of reviews, audit trail, opinion numbers of that year,
sessions, activities) is dated in the past year. The past year is the year
before the demo is loaded.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import sqlalchemy as sa
import yaml
from ckan import model
from ckan.plugins import toolkit as tk

from ckanext.cdm.demo import opinions, reviews
from ckanext.cdm.model.base import clock_at

log = logging.getLogger(__name__)

_MOMENT = re.compile(r"^(?P<next>next )?(?P<month>\d\d)-(?P<day>\d\d)(?:T(?P<time>\d\d:\d\d))?$")


def read_history() -> dict[str, Any]:
    text = resources.files("ckanext.cdm.demo").joinpath("history.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def past_year() -> int:
    """The year before the one the demo is loaded in."""
    return dt.date.today().year - 1


def moment(text: str, year: int | None = None) -> dt.datetime:
    """The instant of ``"MM-DD"``, ``"MM-DDTHH:MM"`` or ``"next MM-DD…"`` of
    the history (``year``: the past year by default) in the portal's time
    zone; never later than now."""
    from ckan.lib.helpers import get_display_timezone

    found = _MOMENT.match(text)
    if found is None:
        raise ValueError(f"Not a moment of the history: {text!r}")
    year = (year or past_year()) + (1 if found["next"] else 0)
    hour, minute = (int(n) for n in (found["time"] or "09:00").split(":"))
    naive = dt.datetime(year, int(found["month"]), int(found["day"]), hour, minute)
    zone = get_display_timezone()
    localize = getattr(zone, "localize", None)  # pytz
    local = localize(naive) if localize else naive.replace(tzinfo=zone)
    latest = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    return min(local.astimezone(dt.timezone.utc), latest)


def local_time(text: str) -> str:
    """The ``YYYY-MM-DDTHH:MM`` (portal's time zone) of a session's start."""
    return f"{past_year()}-{text}"


def _act(action: str, user: str, data: dict[str, Any]) -> Any:
    return tk.get_action(action)({"user": user}, data)


def set_datasets_created(names: list[str], day: dt.date) -> int:
    """Date the creation of the demo's datasets ``day`` (one ``UPDATE``; the
    rows already dated are left alone) and reindex the ones changed; how many."""
    from ckan.lib import search

    changed = list(
        model.Session.execute(
            sa.text(
                "UPDATE package SET metadata_created = :day "
                "WHERE name = ANY(:names) AND metadata_created <> :day RETURNING id"
            ),
            {"day": dt.datetime.combine(day, dt.time(9)), "names": names},
        ).scalars()
    )
    model.repo.commit()
    if changed:
        search.rebuild(package_ids=changed, defer_commit=True, quiet=True)
        search.commit()
    return len(changed)


@dataclass
class Timeline:
    """The events of the year, played in the order of their moments."""

    events: list[tuple[dt.datetime, int, Callable[[], None]]] = field(default_factory=list)

    def at(self, when: dt.datetime, event: Callable[[], None]) -> None:
        self.events.append((when, len(self.events), event))

    def play(self) -> None:
        for when, _, event in sorted(self.events, key=lambda e: e[:2]):
            with clock_at(when):
                event()


@dataclass
class Year:
    """What the events of the year share: the catalogue, the charter, the ids
    of the reviews, drafts and sessions as they are created."""

    datasets: dict[str, Any]
    members: list[str]
    president: str
    charter: dict[str, Any]
    review_ids: dict[str, str] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # dataset → opinion id
    corrections: dict[str, str] = field(default_factory=dict)  # dataset → opinion id
    published: int = 0


def _review_events(timeline: Timeline, year: Year, entry: dict[str, Any]) -> None:
    name, steward = entry["dataset"], entry["steward"]

    def answers() -> dict[str, Any]:
        return reviews.answers_for(year.datasets[name], year.charter)

    def submit() -> None:
        _act("cdm_self_assessment_save", steward, {"id": name, "answers": answers()})
        review = _act("cdm_review_submit", steward, {"id": name, "message": entry["message"]})
        year.review_ids[name] = review["id"]

    def open_() -> None:
        review = _act(
            "cdm_review_open", year.president, {"dataset": name, "message": entry["message"]}
        )
        year.review_ids[name] = review["id"]

    if "open" in entry:
        timeline.at(moment(entry["open"]), open_)
        timeline.at(moment(entry["answered"]), submit)
    else:
        timeline.at(moment(entry["submit"]), submit)
    for step in entry.get("steps", []):
        timeline.at(moment(step["when"]), _step(year, name, steward, step))
    if "opinion" in entry:
        _opinion_events(timeline, year, entry)


def _step(year: Year, name: str, steward: str, step: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        review_id = year.review_ids[name]
        if "assign" in step:
            _act(
                "cdm_review_assign", year.president, {"id": review_id, "rapporteur": step["assign"]}
            )
        elif "request_changes" in step:
            _act(
                "cdm_review_request_changes",
                year.president,
                {"id": review_id, "message": step["request_changes"]},
            )
        elif "resubmit" in step:
            answers = reviews.answers_for(year.datasets[name], year.charter)
            _act("cdm_self_assessment_save", steward, {"id": name, "answers": answers})
            _act("cdm_review_submit", steward, {"id": name, "message": step["resubmit"]})
        elif "withdraw" in step:
            _act("cdm_review_withdraw", steward, {"id": review_id, "message": step["withdraw"]})

    return run


def _opinion_events(timeline: Timeline, year: Year, entry: dict[str, Any]) -> None:
    name, opinion = entry["dataset"], entry["opinion"]

    def draft() -> None:
        created = _act(
            "cdm_opinion_create",
            next(step["assign"] for step in entry["steps"] if "assign" in step),
            {"review": year.review_ids[name], **opinions.opinion_fields(year.charter, opinion)},
        )
        year.drafts[name] = created["id"]

    timeline.at(moment(opinion["drafted"]), draft)
    correction = opinion.get("correction")
    if correction:

        def correct() -> None:
            fields = {k: correction[k] for k in ("reservations", "summary") if k in correction}
            corrected = _act(
                "cdm_opinion_correct",
                year.president,
                {"id": year.drafts[name], "reason": correction["reason"], **fields},
            )
            year.corrections[name] = corrected["id"]

        timeline.at(moment(correction["drafted"]), correct)


def _session_events(
    timeline: Timeline, year: Year, session: dict[str, Any], entries: list[dict[str, Any]]
) -> None:
    key = session["key"]
    adopted = [e for e in entries if e.get("opinion", {}).get("session") == key]
    corrected = [
        e for e in entries if (e.get("opinion", {}).get("correction") or {}).get("session") == key
    ]
    state: dict[str, str] = {}

    def convene() -> None:
        agenda = [year.review_ids[e["dataset"]] for e in adopted + corrected]
        created = _act(
            "cdm_session_create",
            year.president,
            {
                "starts_at": local_time(session["starts_at"]),
                "place": session["place"],
                "title": session["title"],
                "agenda": agenda,
            },
        )
        state["id"] = created["id"]

    def hold() -> None:
        absent = set(session.get("absent", []))
        _act(
            "cdm_session_update",
            year.president,
            {
                "id": state["id"],
                "attendance": [m for m in year.members if m not in absent],
                "proxies": session.get("proxies", []),
            },
        )
        for entry in corrected:
            votes = entry["opinion"]["correction"]["votes"]
            _publish(year, year.corrections[entry["dataset"]], state["id"], votes, session)
        for entry in adopted:
            votes = entry["opinion"]["votes"]
            _publish(year, year.drafts[entry["dataset"]], state["id"], votes, session)
        _act(
            "cdm_session_update",
            year.president,
            {"id": state["id"], "minutes": session["minutes"], "close": True},
        )

    timeline.at(moment(session["convened"]), convene)
    # the votes are cast during the session, the minutes closed after it
    timeline.at(moment(session["starts_at"]) + dt.timedelta(hours=2), hold)


def _publish(year: Year, opinion_id: str, session_id: str, votes: dict, session: dict) -> None:
    _act(
        "cdm_opinion_publish",
        year.president,
        {"id": opinion_id, "session": session_id, **opinions.vote_counts(votes, session)},
    )
    year.published += 1


def committee_in_office(president: str, day: dt.date) -> bool:
    """Whether the president held a seat on ``day``, and a charter version was
    adopted by then (a demo whose committee was seated later cannot play the
    past year)."""
    from ckanext.cdm.model.charter import Charter
    from ckanext.cdm.model.member import Member

    user = model.User.by_name(president)
    charter = Charter.adopted()
    return (
        user is not None
        and Member.in_office_for(user.id, on=day) is not None
        and charter is not None
        and charter.adopted_on is not None
        and charter.adopted_on <= day
    )


def play(catalogue: dict[str, Any], president: str) -> int:
    """Date the catalogue's datasets before the past year, then play the year
    once (nothing when one of its sessions exists); how many opinions were
    published."""
    history = read_history()
    created = moment(history["datasets_created"], year=past_year() - 1).date()
    set_datasets_created([d["name"] for d in catalogue["datasets"]], created)
    if opinions.sessions_exist([s["title"] for s in history["sessions"]]):
        return 0
    if not committee_in_office(president, dt.date(past_year(), 1, 1)):
        log.warning(
            "The demo's committee was not in office at the start of %s (a demo loaded "
            "before the past year was part of it): the past year is not played. "
            "'make demo-reset' empties the demo database.",
            past_year(),
        )
        return 0
    year = Year(
        datasets={d["name"]: d for d in catalogue["datasets"]},
        members=[m["name"] for m in catalogue["committee"]],
        president=president,
        charter=_act("cdm_charter_show", president, {}),
    )
    timeline = Timeline()
    for entry in history["reviews"]:
        _review_events(timeline, year, entry)
    for session in history["sessions"]:
        _session_events(timeline, year, session, history["reviews"])
    timeline.play()
    return year.published
