"""Column helpers shared by the models."""

from __future__ import annotations

import datetime as dt
import uuid


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def today() -> dt.date:
    return utcnow().date()


def constraint_of(error: Exception) -> str | None:
    """The name of the database constraint an ``IntegrityError`` broke."""
    diag = getattr(getattr(error, "orig", None), "diag", None)
    return getattr(diag, "constraint_name", None)
