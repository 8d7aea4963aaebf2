"""Actions of the annual evaluation report: its figures (``figures.py``) and
the committee's text (``model/report.py``).

The public reads the published report: its text and the figures frozen on
publication; for a year without one, the live public figures. The committee
(members in office, sysadmins) also reads the draft and may ask for its own
figures (``scope=committee``), which count private datasets without naming
them.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.plugins import toolkit as tk
from ckan.types import Context, DataDict

from ckanext.cdm import authz, dates, figures, figures_cache
from ckanext.cdm.logic import schema as cdm_schema
from ckanext.cdm.logic.action._base import checked, commit, validate
from ckanext.cdm.model import base
from ckanext.cdm.model.report import SECTIONS, AnnualReport


def allowed_actions(year: int, report: AnnualReport | None, context: Context) -> list[str]:
    """What the user may do with the report of ``year`` now."""
    if report is not None and report.is_published:
        return []
    user = context.get("user")
    names = ["update"]
    if report is not None and year < base.today().year:
        names.append("publish")
    return [name for name in names if authz.passes(f"cdm_report_{name}", user, {"year": year})]


def refused_actions(year: int, report: AnnualReport | None, context: Context) -> dict[str, str]:
    """Why the user may not do each action of the report now, in the reader's
    language: the rule that decides first (published, who, the year, the draft)."""
    user = context.get("user")
    refused = {}
    for name in ("update", "publish"):
        try:
            if report is not None and report.is_published:
                raise report.published_refusal()
            tk.check_access(f"cdm_report_{name}", {"user": user or ""}, {"year": year})
            if name == "publish":
                _check_publishable(year, report)
        except tk.NotAuthorized as error:
            refused[name] = str(error)
        except tk.ValidationError as error:
            refused[name] = " ".join(error.error_dict["year"])
    return refused


def _check_publishable(year: int, report: AnnualReport | None) -> None:
    """The year is over and its draft exists, or the reason why not."""
    if year >= base.today().year:
        message = tk._("The report of {year} can be published once the year is over, from {date}.")
        first_day = dates.in_words(f"{year + 1}-01-01")
        raise tk.ValidationError({"year": [message.format(year=year, date=first_day)]})
    if report is None:
        raise tk.ValidationError({"year": [tk._("There is no draft report for this year.")]})


def report_dict(year: int, report: AnnualReport | None, context: Context) -> dict[str, Any] | None:
    """The text as the user may read it: published, or a draft for the committee."""
    if report is None:
        return None
    if not report.is_published and not authz.can_see_drafts(context.get("user")):
        return None
    return report.as_dict()


@tk.side_effect_free
def cdm_report_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The annual report of a year: the committee's text and the figures.

    For ``scope=public`` (the default), a published report gives the figures
    frozen on its publication (``frozen``: true); otherwise the live public
    figures. ``scope=committee`` (committee members in office and sysadmins)
    gives the live figures counting private datasets too. Live figures are
    cached until something they count changes (``figures_cache.py``). The
    draft text is shown to the committee only.

    :param year: the year (2000 to the current year)
    :param scope: ``public`` (default) or ``committee``
    """
    tk.check_access("cdm_report_show", context, data_dict)
    data = validate(data_dict, cdm_schema.report_show_schema(), context)
    year, scope = data["year"], data["scope"]
    report = AnnualReport.for_year(year)
    frozen = report is not None and report.is_published and scope == figures.PUBLIC
    return {
        "year": year,
        "scope": scope,
        "frozen": frozen,
        "figures": dict(report.figures) if frozen else figures_cache.figures_for(year, scope),
        "report": report_dict(year, report, context),
        "allowed_actions": allowed_actions(year, report, context),
        "refused_actions": refused_actions(year, report, context),
    }


@tk.side_effect_free
def cdm_report_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The years with a published report, newest first (for the committee,
    drafts too): year, state, publication date.
    """
    tk.check_access("cdm_report_list", context, data_dict)
    committee = authz.can_see_drafts(context.get("user"))
    return [
        {
            "year": report.year,
            "state": report.state,
            "published_at": report.published_at.isoformat() if report.published_at else None,
            "modified": report.modified.isoformat(),
        }
        for report in AnnualReport.years(published_only=not committee)
    ]


def _show(year: int, context: Context) -> dict[str, Any]:
    return tk.get_action("cdm_report_show")({**context, "ignore_auth": True}, {"year": year})


def cdm_report_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Write the draft report of a year (created on first write): the
    sections given are replaced, the others kept. Refused once published.

    :param year: the year (2000 to the current year)
    :param introduction: markdown
    :param notable_cases: markdown
    :param recommendations: markdown
    :param version: the version the text was read at (``version`` of the
        report, 0 before the first draft; optional): refused if the draft was
        saved since (docs/api.md, « Edits that do not overwrite each other »)
    """
    tk.check_access("cdm_report_update", context, data_dict)
    data = validate(data_dict, cdm_schema.report_update_schema(), context)
    user = context.get("user")
    report = AnnualReport.draft_for(data["year"], user, authz.user_id(user))
    checked(report, data.get("version"))
    report.update_text(user, authz.user_id(user), {k: data[k] for k in SECTIONS if k in data})
    commit(context)
    return _show(data["year"], context)


def cdm_report_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish the draft report of a past year: its text is frozen with a
    snapshot of the year's public figures, which later changes of the data
    never alter. The president alone publishes; a report is published once.

    :param year: the year (2000 to last year)
    """
    tk.check_access("cdm_report_publish", context, data_dict)
    data = validate(data_dict, cdm_schema.report_publish_schema(), context)
    year = data["year"]
    user = context.get("user")
    report = AnnualReport.for_year(year, lock=True)
    try:
        _check_publishable(year, report)
    except tk.ValidationError:
        model.Session.rollback()  # release the row's lock
        raise
    try:
        report.publish(user, authz.user_id(user), figures.figures_for(year, figures.PUBLIC))
    except tk.ValidationError:
        model.Session.rollback()  # release the row's lock
        raise
    commit(context)
    return _show(year, context)
