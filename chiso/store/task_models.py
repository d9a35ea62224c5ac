"""Tables of tasks and accountability: agencies, tasks, their targets, updates, comments, files.

A task's status is not a column: it is derived from its dates and its updates
(:mod:`chiso.tasks`) on the day it is asked for. Updates and comments are never edited
or deleted, so the record of who reported what, and when, stays whole. Uploaded files
live on disk under ``CHISO_HOME/files``, named by their SHA-256; the table keeps the
name the user gave them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from chiso.store.models import Base, utcnow


class AgencyRow(Base):
    """A department (sở, ban, ngành) or a commune's People's Committee; the province edits the list."""

    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(10), index=True)
    body: Mapped[str] = mapped_column(String(200), default="")
    area: Mapped[str | None] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TaskRow(Base):
    """A task; ``code`` is its stable identifier ("CT1.2"), shown and used in files and URLs."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    province: Mapped[str] = mapped_column(String(10), index=True)
    resolution: Mapped[str] = mapped_column(String(100), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    part: Mapped[str] = mapped_column(String(300), default="")
    lead: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"), index=True)
    cooperating: Mapped[list[str]] = mapped_column(JSON, default=list)
    start: Mapped[dt.date | None] = mapped_column(Date)
    due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    output: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class TaskTarget(Base):
    """A target (by id, within the task's resolution) that a task serves."""

    __tablename__ = "task_targets"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(50), primary_key=True, index=True)


class TaskFile(Base):
    """An uploaded file: stored as ``CHISO_HOME/files/<sha256>``, shown under ``name``."""

    __tablename__ = "task_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(200), default="")
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    uploaded_by: Mapped[str] = mapped_column(String(100), default="")
    agency: Mapped[str] = mapped_column(String(300), default="")


class TaskUpdateRow(Base):
    """A progress report: percentage, text, evidence (a file or a link), author, flag. Never edited."""

    __tablename__ = "task_updates"
    __table_args__ = (Index("ix_task_updates_task_day", "task_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    percent: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[int | None] = mapped_column(ForeignKey("task_files.id"))
    author: Mapped[str] = mapped_column(String(100), default="")
    agency: Mapped[str] = mapped_column(String(300), default="")
    flag: Mapped[str | None] = mapped_column(String(10))


class TaskComment(Base):
    """A comment on a task, by anyone who can see it. Never edited."""

    __tablename__ = "task_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author: Mapped[str] = mapped_column(String(100), default="")
    agency: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
