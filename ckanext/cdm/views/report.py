"""Downloads of the annual report's figures: ``/cdm/report/<year>.json`` and
``/cdm/report/<year>.csv`` (the pages of the report come next).

Both call ``cdm_report_show`` as the reader, in the public scope: the frozen
figures of a published report, else the live public figures; the committee's
figures are asked for with ``?scope=committee`` (refused to others, 403).
"""

from __future__ import annotations

from typing import Any

from ckan.plugins import toolkit as tk
from flask import Blueprint, Response

from ckanext.cdm import report_export
from ckanext.cdm.views._base import action

cdm_report = Blueprint("cdm_report", __name__)


def _show(year: int) -> dict[str, Any]:
    scope = tk.request.args.get("scope", "public")
    try:
        return action("cdm_report_show", {"year": year, "scope": scope})
    except tk.ValidationError as error:
        tk.abort(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in error.error_dict.items()))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the committee sees its own figures"))
    raise AssertionError  # unreachable: abort raises


@cdm_report.route("/cdm/report/<int:year>.json")
def figures_json(year: int) -> Response:
    """The year's text (published, or the draft for the committee) and figures."""
    return Response(
        report_export.as_json(_show(year)).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )


@cdm_report.route("/cdm/report/<int:year>.csv")
def figures_csv(year: int) -> Response:
    """One figure a row (``report_export.CSV_COLUMNS``), UTF-8 with a BOM."""
    result = _show(year)
    name = f"rapport-cdm-{result['year']}-{result['scope']}.csv"
    return Response(
        report_export.as_csv(result["figures"]).encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
