"""Dates as the project counts and writes them: calendar arithmetic and a
date in the words of the page's language.

A small module below everything that shows or reasons about a date (the
badge rules, the helpers, the report's pages, the e-mails): it imports no
other module of ckanext-cdm.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools

import babel.dates
import flask
import flask_babel
from ckan.plugins import toolkit as tk


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st → the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _first_of_month(day: str) -> str:
    """French writes the first day of a month as an ordinal: « 1er avril »
    (CLDR's long format gives « 1 avril »)."""
    if day.startswith("1 ") and str(flask_babel.get_locale()).startswith("fr"):
        return "1er " + day[2:]
    return day


@functools.lru_cache(maxsize=4096)
def _long_date(locale: str, day: dt.date) -> str:
    """A bare date in a language's words, as ``flask_babel.format_date(day,
    "long")`` writes it: the same for every request, so kept (a search page
    writes the date of each result's opinion)."""
    text = babel.dates.format_date(day, "long", locale=locale)
    if text.startswith("1 ") and locale.startswith("fr"):
        return "1er " + text[2:]
    return text


def in_words(value: str | dt.date | None, with_hours: bool = False) -> str:
    """A date in the words and order of the page's language, in the portal's
    display time zone: "29 novembre 2026 à 05:32", "November 29, 2026 at 05:32",
    « 1er avril 2099 ».

    A bare date ("2026-01-01", a mandate's start) is never shifted by a time zone.
    """
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value)
            )
        except ValueError:
            return value
    if not flask.has_app_context():  # an action called outside the app: no language
        return value.isoformat()
    if not isinstance(value, dt.datetime):
        return _long_date(str(flask_babel.get_locale()), value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    day = _first_of_month(flask_babel.format_date(value, "long"))
    if not with_hours:
        return day
    return tk._("{date} at {time}").format(date=day, time=flask_babel.format_time(value, "HH:mm"))


def time_of_day(value: str | None) -> str:
    """The time of day of an ISO datetime in the portal's display time zone ("18:00")."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return flask_babel.format_time(moment, "HH:mm")
