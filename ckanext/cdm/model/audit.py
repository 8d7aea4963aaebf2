"""The audit trail: one row per change made through ckanext-cdm.

Rows are only ever inserted. They carry no foreign key to the objects they
describe, so they survive the deletion or purge of a dataset or a user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.model.base import new_id, utcnow


class AuditEvent(tk.BaseModel):
    __tablename__ = "cdm_audit_event"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    object_type: Mapped[str] = mapped_column(sa.Text, nullable=False)
    object_id: Mapped[str] = mapped_column(sa.Text, nullable=False, index=True)
    action: Mapped[str] = mapped_column(sa.Text, nullable=False)
    actor_id: Mapped[str | None] = mapped_column(sa.Text)
    actor_name: Mapped[str | None] = mapped_column(sa.Text)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    from_state: Mapped[str | None] = mapped_column(sa.Text)
    to_state: Mapped[str | None] = mapped_column(sa.Text)
    message: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "action": self.action,
            "actor": self.actor_name,
            "created": self.created.isoformat(),
            "from_state": self.from_state,
            "to_state": self.to_state,
            "message": self.message,
            "data": self.data,
        }


def record(
    object_type: str,
    object_id: str,
    action: str,
    actor: str | None,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    message: str | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event to the audit trail (in the caller's transaction)."""
    from ckan import model

    user = model.User.get(actor) if actor else None
    event = AuditEvent(
        object_type=object_type,
        object_id=object_id,
        action=action,
        actor_id=user.id if user else None,
        actor_name=user.name if user else actor,
        from_state=from_state,
        to_state=to_state,
        message=message,
        data=data or {},
    )
    model.Session.add(event)
    return event


def trail(object_type: str, object_id: str) -> list[AuditEvent]:
    """The events of one object, oldest first."""
    import sqlalchemy as sa
    from ckan import model

    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.created)
    )
    return list(model.Session.execute(query).scalars())
