"""The table of report settings: the letterhead and signature of each province's report.

One row per province: who issues the periodic assessment report (parent agency and
agency), its number and symbol, the place name, the signer, the recipients, and
optionally the office's own edited DOCX template (kept in the database so every web
worker and server of an installation uses the same one).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from chiso.store.models import Base, utcnow


class ReportSettingsRow(Base):
    """The report settings of one province (official province code)."""

    __tablename__ = "report_settings"

    province: Mapped[str] = mapped_column(String(10), primary_key=True)
    parent_agency: Mapped[str] = mapped_column(String(300), default="")
    agency: Mapped[str] = mapped_column(String(300), default="")
    place: Mapped[str] = mapped_column(String(100), default="")
    number: Mapped[str] = mapped_column(String(20), default="")
    symbol: Mapped[str] = mapped_column(String(50), default="")
    signer_authority: Mapped[str] = mapped_column(String(200), default="")
    signer_title: Mapped[str] = mapped_column(String(200), default="")
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    template: Mapped[bytes | None] = mapped_column(LargeBinary)
    template_name: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
