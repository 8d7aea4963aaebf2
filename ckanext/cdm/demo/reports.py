"""The demo's annual reports (demo/reports.yaml), written through the action API:
the past year's, published; the current year's, a draft in progress."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from importlib import resources
from typing import Any

import yaml
from ckan.plugins import toolkit as tk

from ckanext.cdm.demo import history
from ckanext.cdm.model.base import clock_at
from ckanext.cdm.model.report import SECTIONS

_PLACEHOLDER = re.compile(
    r"\{(?:(?P<kind>opinion|correction):(?P<dataset>[a-z0-9_-]+)|(?P<year>year(?:_before|_after)?))\}"
)


def read_reports() -> dict[str, Any]:
    text = resources.files("ckanext.cdm.demo").joinpath("reports.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _act(action: str, user: str, data: dict[str, Any]) -> Any:
    return tk.get_action(action)({"user": user}, data)


def opinion_numbers(year: int, user: str) -> dict[tuple[str, str], str]:
    """The numbers of the opinions published in ``year``, by (kind, dataset):
    ``opinion`` for a first opinion, ``correction`` for a correction."""
    listing = _act("cdm_opinion_list", user, {"state": "published", "year": year, "limit": 100})
    numbers = {}
    for opinion in sorted(listing["results"], key=lambda o: o["number"]):
        if opinion["number"].startswith(f"{year}-"):
            kind = "correction" if opinion["supersedes_id"] else "opinion"
            numbers.setdefault((kind, opinion["dataset_name"]), opinion["number"])
    return numbers


def fill(text: str, year: int, numbers: dict[tuple[str, str], str]) -> str:
    """``text`` with its placeholders replaced (see reports.yaml)."""
    years = {"year": year, "year_before": year - 1, "year_after": year + 1}

    def replace(found: re.Match[str]) -> str:
        if found["year"]:
            return str(years[found["year"]])
        return numbers[(found["kind"], found["dataset"])]

    return _PLACEHOLDER.sub(replace, text)


def _write(year: int, entry: dict[str, Any], numbers: dict[tuple[str, str], str]) -> None:
    for step in entry["steps"]:
        sections = {key: fill(step[key], year, numbers) for key in SECTIONS if key in step}
        with _at(step.get("when")):
            _act("cdm_report_update", step["author"], {"year": year, **sections})


def _at(when: str | None) -> contextlib.AbstractContextManager[Any]:
    return clock_at(history.moment(when)) if when else contextlib.nullcontext()


def play(catalogue: dict[str, Any], president: str) -> int:
    """Write each report that does not exist yet (a report the demo's users
    wrote since is left alone) and publish the past year's; how many were
    written."""
    reports = read_reports()
    written = 0
    years = {"past": history.past_year(), "current": dt.date.today().year}
    for key, year in years.items():
        if _act("cdm_report_show", president, {"year": year})["report"] is not None:
            continue
        entry = reports[key]
        numbers = opinion_numbers(year, president)
        if not numbers:
            continue  # a year the demo did not play (a demo loaded before it had one)
        _write(year, entry, numbers)
        if entry.get("publish"):
            with _at(entry["publish"]):
                _act("cdm_report_publish", president, {"year": year})
        written += 1
    return written
