"""Pages of the annual evaluation report: the years (``/cdm/report``), the
report of a year (``/cdm/report/<year>``: the committee's text, the figures
as tables and charts, printable), the committee's pages to write the draft
and to publish it, and the downloads ``/cdm/report/<year>.json|.csv`` and
``/cdm/report/<year>-excel.csv`` (for a spreadsheet set to French).

Every page calls ``cdm_report_show`` or ``cdm_report_list`` as the reader:
the public sees the published text and its frozen figures, or the live
public figures of a year without a published report; the committee also sees
the draft and, with ``?scope=committee``, its own figures. What a page offers
comes from the report's ``allowed_actions``.
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response

from ckanext.cdm import forms, report_export
from ckanext.cdm.model import base
from ckanext.cdm.model.report import SECTIONS
from ckanext.cdm.views._base import action, for_this_reader, form_data, may

cdm_report = Blueprint("cdm_report", __name__)


def _scope() -> str:
    return tk.request.args.get("scope", "public")


def _show(year: int, scope: str = "public", page: bool = False) -> dict[str, Any]:
    """``cdm_report_show``; a year it refuses is a 404 on a page, a 400 on a
    download (which names the parameter)."""
    try:
        return action("cdm_report_show", {"year": year, "scope": scope})
    except tk.ValidationError as error:
        if page and "year" in error.error_dict:
            tk.abort(404, tk._("There is no report for this year."))
        tk.abort(400, forms.error_summary(error.error_dict))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the committee sees its own figures"))
    raise AssertionError  # unreachable: abort raises


@cdm_report.route("/cdm/report")
def index() -> str:
    """The published reports, the drafts for the committee, and the years
    whose figures may be read before their report (this year and last)."""
    reports = action("cdm_report_list", {})
    # the model's clock (UTC), as the actions that refuse a year to come
    this_year = base.today().year
    known = {report["year"] for report in reports}
    provisional = [year for year in (this_year, this_year - 1) if year not in known]
    return tk.render(
        "cdm/report/index.html",
        {
            "reports": reports,
            "provisional": provisional,
            "can_write": may("cdm_report_update", {"year": None, "scope": "committee"}),
        },
    )


@cdm_report.route("/cdm/report/<int:year>")
def read(year: int) -> str:
    scope = _scope()
    result = _show(year, scope, page=True)
    return tk.render(
        "cdm/report/read.html",
        {
            "result": result,
            "report": result["report"],
            "figures": result["figures"],
            "committee_figures": may("cdm_report_show", {"year": year, "scope": "committee"}),
            "year_over": year < base.today().year,
        },
    )


def _fields() -> dict[str, tuple[str, str]]:
    from ckanext.cdm import report_display

    return {
        key: (f"field-{key.replace('_', '-')}", heading)
        for key, heading in report_display.sections()
    } | {"year": ("", "")}


@cdm_report.route("/cdm/report/<int:year>/edit", methods=["GET", "POST"])
def edit(year: int) -> Any:
    """The committee's draft: the three sections in markdown."""
    result = _show(year, page=True)
    if "update" not in result["allowed_actions"]:
        tk.abort(403, tk._("Only the president and the members of the committee write its report"))
    data = dict(result["report"] or {})
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        data = form_data()
        version = {"version": data["version"]} if "version" in data else {}
        try:
            action(
                "cdm_report_update",
                {"year": year, **{key: data.get(key, "") for key in SECTIONS}, **version},
            )
        except tk.ValidationError as error:
            errors = error.error_dict
            if "version" in errors:  # saved meanwhile: the form gets what is saved now
                result = _show(year, page=True)
        else:
            tk.h.flash_success(tk._("Draft saved. It is visible to the committee only."))
            return tk.redirect_to("cdm_report.read", year=year)
    return tk.render(
        "cdm/report/edit.html",
        {
            "result": result,
            "data": data,
            "errors": errors,
            "error_list": tk.h.cdm_error_list(errors, _fields()),
            "current": _current(result["report"] or {}, data) if "version" in errors else [],
        },
    )


def _current(report: dict[str, Any], typed: dict[str, Any]) -> list[dict[str, str]]:
    """The sections saved meanwhile that differ from what was typed."""
    from ckanext.cdm import report_display

    return [
        {"label": heading, "value": report.get(key, "")}
        for key, heading in report_display.sections()
        if report.get(key, "") != typed.get(key, "")
    ]


@cdm_report.route("/cdm/report/<int:year>/publish", methods=["GET", "POST"])
def publish(year: int) -> Any:
    """Asks for confirmation, then publishes: the text and the figures freeze."""
    result = _show(year, page=True)
    if "publish" not in result["allowed_actions"]:
        reason = result["refused_actions"]["publish"]
        if may("cdm_report_publish", {"year": year}):  # theirs to publish, not yet
            tk.h.flash_notice(reason)
            return tk.redirect_to("cdm_report.read", year=year)
        tk.abort(403, reason)
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        try:
            action("cdm_report_publish", {"year": year})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("The report is published: its text and figures are frozen."))
            return tk.redirect_to("cdm_report.read", year=year)
    return tk.render(
        "cdm/report/publish.html",
        {"result": result, "errors": errors, "error_list": tk.h.cdm_error_list(errors, {})},
    )


# Downloads


@cdm_report.route("/cdm/report/<int:year>.json")
def figures_json(year: int) -> Response:
    """The year's text (published, or the draft for the committee) and figures."""
    for_this_reader()
    return Response(
        report_export.as_json(_show(year, _scope())).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )


def _csv(year: int, excel: bool) -> Response:
    result = _show(year, _scope())
    for_this_reader()
    suffix = "-excel" if excel else ""
    name = f"rapport-cdm-{result['year']}-{result['scope']}{suffix}.csv"
    return Response(
        report_export.as_csv(result["figures"], excel=excel).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@cdm_report.route("/cdm/report/<int:year>.csv")
def figures_csv(year: int) -> Response:
    """One figure a row (``report_export.CSV_COLUMNS``), UTF-8 with a BOM."""
    return _csv(year, excel=False)


@cdm_report.route("/cdm/report/<int:year>-excel.csv")
def figures_excel_csv(year: int) -> Response:
    """The same « for Excel »: semicolons between cells, a decimal comma."""
    return _csv(year, excel=True)
