"""Edits that do not overwrite each other: the version of the records that
several people edit at once (an opinion draft, a draft annual report, a
session's record, a dataset's self-assessment).

Each such row carries a ``version``, a whole number that every saved change
raises by one (:meth:`Versioned.record_change`, which also writes the change
to the audit trail with the version it made and the names of the fields it
changed). A form carries the version it was drawn from; an action given that
``version`` refuses the save when the row has moved on since
(:meth:`Versioned.ensure_version`, on the row read under its lock), naming who
saved what and when. Nothing is overwritten silently.

The version is also SQLAlchemy's ``version_id_col`` (set by the methods, not
by the mapper: ``version_id_generator=False``): every ``UPDATE`` of the row
says ``WHERE version = <the version read>``, and an ``UPDATE`` that finds the
row changed by a concurrent transaction raises ``StaleDataError`` (the
actions turn it into the same refusal, ``logic/action/_base.commit``). A
published opinion or report never gets a new version: only the methods that
change a draft raise it, after ``ensure_draft``; the immutability trigger of
migration 0009 refuses any change of a published row, its version included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from ckanext.cdm.model import audit
from ckanext.cdm.model.base import utcnow


class Versioned:
    """A row that several people edit: its version and the refusal of a stale save."""

    # the object type of the row's events in the audit trail
    audit_type: ClassVar[str]

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}

    @property
    def audit_id(self) -> str:
        return self.id  # type: ignore[attr-defined]

    def field_label(self, name: str) -> str:
        """The name of a field as the form shows it (each kind of record says it)."""
        return name

    def record_change(
        self,
        action: str,
        actor: str | None,
        fields: list[str],
        *,
        data: dict[str, Any] | None = None,
        **event: Any,
    ) -> None:
        """A saved change: a new version, written to the audit trail with the
        fields it changed. A save that changes no field is no change: the
        version stays (a click on « Enregistrer » with nothing changed must
        not refuse the save of someone editing beside)."""
        if not fields:
            return
        self.version = self.version + 1
        self.modified = utcnow()  # type: ignore[attr-defined]
        audit.record(
            self.audit_type,
            self.audit_id,
            action,
            actor,
            data={**(data or {}), "version": self.version, "fields": list(fields)},
            **event,
        )

    def changes_since(self, version: int) -> list[dict[str, Any]]:
        """The changes saved after ``version``, oldest first: who (full name),
        when, which fields (their labels)."""
        from ckan import model

        version_of = audit.AuditEvent.data["version"].as_integer()
        query = (
            sa.select(audit.AuditEvent)
            .where(
                audit.AuditEvent.object_type == self.audit_type,
                audit.AuditEvent.object_id == self.audit_id,
                version_of > version,
            )
            .order_by(version_of)
        )
        changes = []
        for event in model.Session.execute(query).scalars():
            user = model.User.get(event.actor_id) if event.actor_id else None
            changes.append(
                {
                    "by": (user.fullname or user.name) if user else (event.actor_name or ""),
                    "at": event.created.isoformat(),
                    "version": event.data["version"],
                    "fields": [self.field_label(f) for f in event.data.get("fields", [])],
                }
            )
        return changes

    def ensure_version(self, expected: int | None) -> None:
        """Refuse a save drawn from another version than the row's (``None``:
        the caller named none, the save goes through). The caller holds the
        row's lock, so the row's version is the latest."""
        if expected is None or expected == self.version:
            return
        raise tk.ValidationError({"version": stale_messages(self.changes_since(expected))})


def page_language() -> str:
    """The language of the page being answered ("en" outside a request)."""
    import flask_babel

    try:
        return str(flask_babel.get_locale() or "en")[:2]
    except RuntimeError:
        return "en"


def stale_messages(changes: list[dict[str, Any]]) -> list[str]:
    """The refusal of a stale save: one sentence, then who saved what and when."""
    from ckanext.cdm.dates import in_words

    lines = [
        tk._(
            "Someone else saved changes after you opened this form: yours are not saved "
            "yet. Check what changed meanwhile, then save again."
        )
    ]
    for change in changes:
        try:
            moment = in_words(change["at"], with_hours=True)
        except RuntimeError:  # outside a request: no page language, no time zone
            utc = dt.datetime.fromisoformat(change["at"]).astimezone(dt.timezone.utc)
            moment = utc.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(
            tk._("{name}, {moment}: {fields}").format(
                name=change["by"] or tk._("someone"),
                moment=moment,
                fields=", ".join(change["fields"]) or tk._("no field"),
            )
        )
    return lines
