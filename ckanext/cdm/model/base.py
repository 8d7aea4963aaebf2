"""Column helpers and query mixins shared by the models, and the model's clock."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import time
import uuid
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY


def new_id() -> str:
    return str(uuid.uuid4())


# The moment the clock was set to (``clock_at``) and the monotonic time then;
# None: the real time.
_clock: contextvars.ContextVar[tuple[dt.datetime, float] | None] = contextvars.ContextVar(
    "cdm_clock", default=None
)


def utcnow() -> dt.datetime:
    """Now, in UTC: the one source of "now" of the models and actions (time
    stamps, opinion numbers, "today" of the rules). The real time, unless
    :func:`clock_at` set the clock."""
    clock = _clock.get()
    if clock is None:
        return dt.datetime.now(dt.timezone.utc)
    moment, set_at = clock
    return moment + dt.timedelta(seconds=time.monotonic() - set_at)


def today() -> dt.date:
    """Today's date, as :func:`utcnow` says."""
    return utcnow().date()


@contextlib.contextmanager
def clock_at(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Set the clock to ``moment`` (an aware datetime) for the code run inside:
    what it writes is stamped from that moment on, and the rules that depend
    on "today" apply as on that day. For the demo loader (the committee's
    past year) and tests only: no request ever sets it.

    The clock runs from ``moment`` at the pace of real time (two changes made
    one after the other keep their order in the audit trail). It is per
    context (each thread has its own), may be nested (the inner moment
    holds inside), and is restored on the way out, exception or not."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("clock_at needs an aware datetime")
    token = _clock.set((moment.astimezone(dt.timezone.utc), time.monotonic()))
    try:
        yield moment
    finally:
        _clock.reset(token)


def constraint_of(error: Exception) -> str | None:
    """The name of the database constraint an ``IntegrityError`` broke."""
    diag = getattr(getattr(error, "orig", None), "diag", None)
    return getattr(diag, "constraint_name", None)


class Lockable:
    """Rows that transitions change under a row lock."""

    @classmethod
    def for_update(cls, id_: str) -> Any:
        """The row, locked until the end of the transaction (``SELECT … FOR
        UPDATE``) and read afresh from the database: two requests on it are
        serialised, and the second sees what the first left."""
        from ckan import model

        query = (
            sa.select(cls)
            .where(cls.id == id_)  # type: ignore[attr-defined]
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return model.Session.execute(query).scalars().first()


class Labelled:
    """Rows about a dataset that store its CKAN permission labels
    (``permission_labels``, ``package_id``): lists filter on them in SQL."""

    @classmethod
    def set_permission_labels(cls, package_id: str, labels: list[str]) -> None:
        """Store the dataset's labels on all its rows."""
        from ckan import model

        model.Session.execute(
            sa.update(cls)
            .where(cls.package_id == package_id)  # type: ignore[attr-defined]
            .values(permission_labels=sorted(set(labels)))
            .execution_options(synchronize_session="fetch")
        )

    @classmethod
    def visible_to(cls, query: sa.Select, labels: list[str] | None) -> sa.Select:
        """Restrict ``query`` to the rows whose dataset labels meet the user's
        (``None``: no restriction, as for sysadmins)."""
        if labels is None:
            return query
        column = cls.permission_labels  # type: ignore[attr-defined]
        return query.where(column.overlap(sa.cast(labels, ARRAY(sa.Text))))
