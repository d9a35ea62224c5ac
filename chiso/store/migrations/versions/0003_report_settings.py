"""report settings: letterhead, signer, recipients and template per province

Plain CREATE TABLE, nothing specific to SQLite or PostgreSQL; the primary-key name
follows the naming convention of chiso.store.models so a downgrade finds it on both.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 08:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_settings",
        sa.Column("province", sa.String(length=10), nullable=False),
        sa.Column("parent_agency", sa.String(length=300), nullable=False),
        sa.Column("agency", sa.String(length=300), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("symbol", sa.String(length=50), nullable=False),
        sa.Column("signer_authority", sa.String(length=200), nullable=False),
        sa.Column("signer_title", sa.String(length=200), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=True),
        sa.Column("template_name", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("province", name=op.f("pk_report_settings")),
    )


def downgrade() -> None:
    op.drop_table("report_settings")
