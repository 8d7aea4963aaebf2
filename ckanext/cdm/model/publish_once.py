"""The publish-once lifecycle of the committee's documents: its opinions
(``opinion.py``) and its annual reports (``report.py``).

::

    draft ──publish──▶ published          (never changed afterwards)

A draft may change as often as its authors like; publishing it stamps who
published it and when, and from then on the row is the committee's word:

- the model refuses it: the methods that change a document call
  :meth:`PublishOnce.ensure_draft` first;
- the database refuses it too: the trigger function
  ``cdm_refuse_change_once_published()`` (migration 0009) runs before every
  ``UPDATE`` or ``DELETE`` of the table and refuses one that touches a
  published row, except of the columns the table's trigger names (an
  opinion's ``permission_labels``: who may read it follows its dataset).
  A ``TRUNCATE`` (the tests' reset) fires no row trigger.

What names a published document differs (an opinion's number, a report's
year) and so does the correction (an opinion is superseded by a new one; a
report is not corrected): the classes keep those.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from ckan.plugins import toolkit as tk
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.cdm.model.base import utcnow

DRAFT = "draft"
PUBLISHED = "published"
STATES = (DRAFT, PUBLISHED)

# the trigger function of the tables whose rows are published once
TRIGGER_FUNCTION = "cdm_refuse_change_once_published"


class PublishOnce:
    """A document written as a draft and published once: its state, who
    published it and when, and the refusal to change it afterwards."""

    state: Mapped[str] = mapped_column(sa.Text, nullable=False, default=DRAFT)
    # set by the methods, not by an onupdate (a relabelling is no edit)
    modified: Mapped[dt.datetime] = mapped_column(
        sa.DateTime(timezone=True), nullable=False, default=utcnow
    )
    published_by: Mapped[str | None] = mapped_column(sa.Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    @property
    def is_published(self) -> bool:
        return self.state == PUBLISHED

    def published_refusal(self) -> tk.ValidationError:
        """The error that tells the user this published document cannot
        change (each kind of document says it in its words)."""
        raise NotImplementedError

    def ensure_draft(self) -> None:
        """Refuse to change a published document."""
        if self.is_published:
            raise self.published_refusal()

    def mark_published(self, publisher_id: str | None, moment: dt.datetime) -> None:
        """The draft becomes the published document, by ``publisher_id`` at
        ``moment`` (the caller holds the row's lock and checked its rules)."""
        self.ensure_draft()
        self.state = PUBLISHED
        self.published_by = publisher_id
        self.published_at = moment
        self.modified = moment
