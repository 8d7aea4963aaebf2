"""CSV files that spreadsheets open safely: UTF-8 with a byte order mark (so
that they read the accents), comma-separated, a header row, and no cell a
spreadsheet would run as a formula. The register's export and the annual
report's figures are written here."""

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


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV document: ``header``, then each row, every cell :func:`inert`
    (``None`` is an empty cell)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for cells in rows:
        writer.writerow([inert("" if cell is None else cell) for cell in cells])
    return out.getvalue()
