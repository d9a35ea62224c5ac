"""Tables of the happiness survey: waves, sample plans, responses and results (DESIGN §4).

A *wave* is one round of the survey (``"2026"``, ``"2027"``, or ``"2026-thu"`` for a
second round in a year), scored with one methodology whose validated content is kept
with it (text and digest), so a wave can be re-scored years later exactly as it was.
Responses are the submissions of a wave, one row per ODK instance ID; results are the
commune scores of each scoring *run* of a wave, kept side by side (a re-run adds a
run, it never overwrites one). A synthetic (simulated) wave is flagged on the wave and
on every response.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from chiso.store.models import Base, utcnow


class HpiWave(Base):
    """One round of the survey and the methodology it is scored with."""

    __tablename__ = "hpi_waves"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(10))
    methodology_id: Mapped[str] = mapped_column(String(100))
    methodology_version: Mapped[str] = mapped_column(String(50))
    methodology_sha256: Mapped[str] = mapped_column(String(64))
    methodology_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class HpiSamplePlan(Base):
    """How many people a wave means to interview in a commune, and in which villages."""

    __tablename__ = "hpi_sample_plans"
    __table_args__ = (UniqueConstraint("wave", "commune", name="uq_hpi_sample_plans_wave_commune"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave: Mapped[str] = mapped_column(ForeignKey("hpi_waves.id"))
    commune: Mapped[str] = mapped_column(String(10))
    target_n: Mapped[int] = mapped_column(Integer)
    villages: Mapped[list[str]] = mapped_column(JSON, default=list)


class HpiResponse(Base):
    """One submission: coded answers by question id, the respondent, where and when.

    ``fingerprint`` is a SHA-256 of the content, so a re-import of the same submission
    is recognised as unchanged and a different one under the same instance ID is not.
    """

    __tablename__ = "hpi_responses"
    __table_args__ = (
        UniqueConstraint("wave", "instance_id", name="uq_hpi_responses_wave_instance_id"),
        Index("ix_hpi_responses_wave_commune", "wave", "commune"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave: Mapped[str] = mapped_column(ForeignKey("hpi_waves.id"))
    instance_id: Mapped[str] = mapped_column(String(100))
    commune: Mapped[str] = mapped_column(String(10))
    village: Mapped[str] = mapped_column(String(200), default="")
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    demographics: Mapped[dict[str, Any]] = mapped_column(JSON)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fingerprint: Mapped[str] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class HpiResult(Base):
    """A commune's (or, with commune ``*``, the whole sample's) score in one scoring run."""

    __tablename__ = "hpi_results"
    __table_args__ = (UniqueConstraint("wave", "run", "commune", name="uq_hpi_results_wave_run_commune"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    wave: Mapped[str] = mapped_column(ForeignKey("hpi_waves.id"))
    run: Mapped[int] = mapped_column(Integer)
    commune: Mapped[str] = mapped_column(String(10))
    score: Mapped[float | None] = mapped_column(Float)
    h_u: Mapped[float | None] = mapped_column(Float)
    a_u: Mapped[float | None] = mapped_column(Float)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    se: Mapped[float | None] = mapped_column(Float)
    n: Mapped[int] = mapped_column(Integer)
    clusters: Mapped[int] = mapped_column(Integer)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    method: Mapped[str] = mapped_column(String(20))
    interval_method: Mapped[str] = mapped_column(String(30))
    replicates: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int | None] = mapped_column(Integer)
    weighting: Mapped[str] = mapped_column(String(30))
    methodology_sha256: Mapped[str] = mapped_column(String(64))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    computed_by: Mapped[str] = mapped_column(String(100), default="")
