"""Column helpers and query mixins shared by the models."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY


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
