"""The form of address of a seat's holder ("madame", "monsieur"), so that the
role is written in their gender ("Présidente").

Revision ID: 0004_form_of_address
Revises: 0003_integrity
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_form_of_address"
down_revision = "0003_integrity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cdm_member", sa.Column("form_of_address", sa.Text, nullable=True))
    op.create_check_constraint(
        "cdm_member_form_of_address",
        "cdm_member",
        "form_of_address IN ('madame', 'monsieur')",
    )


def downgrade() -> None:
    op.drop_constraint("cdm_member_form_of_address", "cdm_member", type_="check")
    op.drop_column("cdm_member", "form_of_address")
