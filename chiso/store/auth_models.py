"""Tables of access: users, API tokens, survey codes, failed logins, publication, pending uploads.

- ``users``: who may log in, with a role (``admin``, ``province``, ``agency``,
  ``commune``) and a scope (an agency's name, a commune's code); ``session_version``
  is written into the signed session cookie, so raising it (new password, new role,
  account disabled) ends every open session of the user on every server.
- ``api_tokens``: tokens for the write API, kept as SHA-256 digests (a token is 256
  random bits, so a fast digest is enough; the plain token is shown once).
- ``survey_codes``: one-time codes (and used signed links) of a survey wave: one
  response per code.
- ``login_failures``: failed logins, counted to slow down password guessing; in the
  database so every worker and server counts the same.
- ``batch_reviews``: the publication state of an import batch written by a scoped
  account (see :mod:`chiso.auth`, "published").
- ``uploads``: a spreadsheet between its check (dry run) and its confirmed write, kept
  in the database so the confirmation may reach any worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from chiso.store.models import Base, utcnow


class UserRow(Base):
    """An account: role and scope say what it may write."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """A token of the write API: its digest, whose it is, when it was made and last used."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SurveyCodeRow(Base):
    """A one-time code of a survey wave (``commune`` set: the code is for that commune)."""

    __tablename__ = "survey_codes"
    __table_args__ = (UniqueConstraint("wave", "code", name="uq_survey_codes_wave_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave: Mapped[str] = mapped_column(ForeignKey("hpi_waves.id"))
    code: Mapped[str] = mapped_column(String(64))
    commune: Mapped[str] = mapped_column(String(10), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    instance_id: Mapped[str] = mapped_column(String(100), default="")


class LoginFailureRow(Base):
    """A failed login: the name tried (folded) and the client address."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    client: Mapped[str] = mapped_column(String(100), default="", index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class BatchReviewRow(Base):
    """The publication state of one import batch: ``pending``, ``published`` or ``rejected``."""

    __tablename__ = "batch_reviews"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(12))
    submitted_by: Mapped[str] = mapped_column(String(100), default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


class UploadRow(Base):
    """A spreadsheet uploaded through the web, between its check and its write."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    written_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
