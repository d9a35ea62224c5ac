"""tasks and accountability: agencies, tasks, their targets, updates, comments and files

Plain CREATE TABLE and CREATE INDEX, nothing specific to SQLite or PostgreSQL;
constraint names follow the naming convention of chiso.store.models so a downgrade
finds them on both. Checked against the models with Alembic's compare_metadata.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("province", sa.String(length=10), nullable=False),
        sa.Column("body", sa.String(length=200), nullable=False),
        sa.Column("area", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    op.create_index(op.f("ix_agencies_province"), "agencies", ["province"], unique=False)

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("province", sa.String(length=10), nullable=False),
        sa.Column("resolution", sa.String(length=100), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("part", sa.String(length=300), nullable=False),
        sa.Column("lead", sa.String(length=20), nullable=True),
        sa.Column("cooperating", sa.JSON(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["lead"], ["agencies.code"], name=op.f("fk_tasks_lead_agencies")),
        sa.ForeignKeyConstraint(["parent_id"], ["tasks.id"], name=op.f("fk_tasks_parent_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("code", name=op.f("uq_tasks_code")),
    )
    op.create_index(op.f("ix_tasks_province"), "tasks", ["province"], unique=False)
    op.create_index(op.f("ix_tasks_parent_id"), "tasks", ["parent_id"], unique=False)
    op.create_index(op.f("ix_tasks_lead"), "tasks", ["lead"], unique=False)
    op.create_index(op.f("ix_tasks_due"), "tasks", ["due"], unique=False)

    op.create_table(
        "task_targets",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_targets_task_id_tasks")),
        sa.PrimaryKeyConstraint("task_id", "target", name=op.f("pk_task_targets")),
    )
    op.create_index(op.f("ix_task_targets_target"), "task_targets", ["target"], unique=False)

    op.create_table(
        "task_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_files_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_files")),
    )
    op.create_index(op.f("ix_task_files_task_id"), "task_files", ["task_id"], unique=False)
    op.create_index(op.f("ix_task_files_sha256"), "task_files", ["sha256"], unique=False)

    op.create_table(
        "task_updates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("evidence_url", sa.Text(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=300), nullable=False),
        sa.Column("flag", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"], ["task_files.id"], name=op.f("fk_task_updates_file_id_task_files")
        ),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_updates_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_updates")),
    )
    op.create_index("ix_task_updates_task_day", "task_updates", ["task_id", "day"], unique=False)

    op.create_table(
        "task_comments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_comments_task_id_tasks")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_comments")),
    )
    op.create_index(op.f("ix_task_comments_task_id"), "task_comments", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_task_comments_task_id"), table_name="task_comments")
    op.drop_table("task_comments")
    op.drop_index("ix_task_updates_task_day", table_name="task_updates")
    op.drop_table("task_updates")
    op.drop_index(op.f("ix_task_files_sha256"), table_name="task_files")
    op.drop_index(op.f("ix_task_files_task_id"), table_name="task_files")
    op.drop_table("task_files")
    op.drop_index(op.f("ix_task_targets_target"), table_name="task_targets")
    op.drop_table("task_targets")
    op.drop_index(op.f("ix_tasks_due"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_lead"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_parent_id"), table_name="tasks")
    op.drop_index(op.f("ix_tasks_province"), table_name="tasks")
    op.drop_table("tasks")
    op.drop_index(op.f("ix_agencies_province"), table_name="agencies")
    op.drop_table("agencies")
