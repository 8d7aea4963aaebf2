"""Review activities become package activities ("... package").

ckanext-activity filters by permission labels only the activity types that
end in "package"; the first names of the review workflow's activities did
not, so those of private datasets were shown to everyone. The rows keep
their permission labels; only the type changes.

Revision ID: 0005_activity_types
Revises: 0004_form_of_address
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_activity_types"
down_revision = "0004_form_of_address"
branch_labels = None
depends_on = None

RENAMED = {
    "cdm review submitted": "cdm review submitted package",
    "cdm review withdrawn": "cdm review withdrawn package",
}

RENAME = sa.text("UPDATE activity SET activity_type = :new WHERE activity_type = :old")


def _rename(pairs: dict[str, str]) -> None:
    # The activity table belongs to the activity plugin: absent without it.
    if not sa.inspect(op.get_bind()).has_table("activity"):
        return
    for old, new in pairs.items():
        op.execute(RENAME.bindparams(old=old, new=new))


def upgrade() -> None:
    _rename(RENAMED)


def downgrade() -> None:
    _rename({new: old for old, new in RENAMED.items()})
