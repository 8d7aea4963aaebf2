"""CSV files that spreadsheets open safely: UTF-8 with a byte order mark (so
that they read the accents), comma-separated, a header row, and no cell a
spreadsheet would run as a formula. The register's export and the annual
report's figures are written here.

Each is also offered « for Excel » (``excel=True``): a spreadsheet set to
French reads a comma as the decimal mark and expects cells separated by
semicolons, so that file has ``;`` between cells, a decimal comma (``2,5``), dates and
times as French Excel reads them (``08/12/2026 14:05``, in the portal's
display time zone) and ``VRAI``/``FAUX`` for true and false."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any


def inert(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula: a text starting with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading quote
    (OWASP's advice against CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def decimal_comma(value: Any) -> Any:
    """A number with a fractional part written with a decimal comma (``2,5``)."""
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return value


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")


def excel_cell(value: Any) -> Any:
    """A cell as a spreadsheet set to French reads it: a decimal comma,
    ``VRAI``/``FAUX``, an ISO date ``JJ/MM/AAAA`` and an ISO time stamp
    ``JJ/MM/AAAA HH:MM`` in the portal's display time zone."""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, str) and _ISO.match(value):
        if len(value) == 10:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        from ckan.lib.helpers import get_display_timezone

        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.timezone.utc)
        return moment.astimezone(get_display_timezone()).strftime("%d/%m/%Y %H:%M")
    return decimal_comma(value)


def csv_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], excel: bool = False
) -> Iterator[str]:
    """The CSV document a line at a time (to stream it): ``header``, then each
    row, every cell :func:`inert` (``None`` is an empty cell); ``excel``:
    separated by semicolons, each cell :func:`excel_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff" + out.getvalue()
    for cells in rows:
        out.seek(0)
        out.truncate()
        row = [inert("" if cell is None else cell) for cell in cells]
        writer.writerow([excel_cell(cell) for cell in row] if excel else row)
        yield out.getvalue()


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], excel: bool = False) -> str:
    """The whole CSV document of :func:`csv_lines`."""
    return "".join(csv_lines(header, rows, excel))
