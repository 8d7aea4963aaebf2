"""The daily digest's pending e-mails: one row per notification held for a
committee member who chose the digest, until ``ckan cdm notifications
digest`` sends them in one e-mail and deletes them (``ckanext/cdm/digest.py``).

Each row keeps the e-mail as it was written when the event happened, in its
recipient's language and with what they could read then: the digest only
gathers e-mails the member would have received one by one.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.model.base import new_id, utcnow


class DigestItem(tk.BaseModel):
    __tablename__ = "cdm_notification_digest"

    id: Mapped[str] = mapped_column(sa.Text, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(
        sa.Text, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(sa.Text, nullable=False)
    subject: Mapped[str] = mapped_column(sa.Text, nullable=False)
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    created: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
