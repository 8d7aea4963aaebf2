"""CSV files that spreadsheets open safely: UTF-8 with a byte order mark (so
that they read the accents), comma-separated, a header row, and no cell a
spreadsheet would run as a formula. The register's export and the annual
report's figures are written here.

Each is also offered « for Excel » (``excel=True``): a spreadsheet set to
French reads a comma as the decimal mark and expects cells separated by
semicolons, so that file has ``;`` between cells and a decimal comma
(``2,5``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
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


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], excel: bool = False) -> str:
    """The CSV document: ``header``, then each row, every cell :func:`inert`
    (``None`` is an empty cell); ``excel``: separated by semicolons, with a
    decimal comma."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    for cells in rows:
        row = [inert("" if cell is None else cell) for cell in cells]
        writer.writerow([decimal_comma(cell) for cell in row] if excel else row)
    return out.getvalue()
