"""Settings, declared once: name, default and help; read from the environment (``CHISO_*``).

Secrets (a database password inside a URL) are never shown: :func:`redact_url` hides
them wherever a URL is printed or logged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from chiso.errors import ChisoError


@dataclass(frozen=True)
class Setting:
    """One setting: its environment name, default and help text."""

    name: str
    default: str | None
    help: str


SETTINGS = (
    Setting(
        "CHISO_HOME",
        None,
        "Data directory for the embedded SQLite store and backups "
        "(default: $XDG_DATA_HOME/chiso or ~/.local/share/chiso).",
    ),
    Setting(
        "CHISO_DATABASE_URL",
        None,
        "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db "
        "(default: SQLite in CHISO_HOME).",
    ),
    Setting("CHISO_PROVINCE", "04", "Official code of the province this installation serves."),
    Setting(
        "CHISO_RESOLUTION",
        "cao-bang-2025-2030",
        "The resolution assessed by default (a shipped name or a file path).",
    ),
    Setting(
        "CHISO_BOUNDARIES",
        None,
        "GeoJSON file of the communes' boundaries, features keyed by the official code in "
        "the property `code`; without it the web pages show tables instead of maps.",
    ),
    Setting(
        "CHISO_SOFFICE",
        None,
        "LibreOffice program used to turn reports into PDF (default: soffice or libreoffice on "
        "the PATH; Debian package libreoffice-writer-nogui).",
    ),
    Setting(
        "CHISO_SECRET_KEY",
        None,
        "Key that signs the web sessions; every worker and server of one installation must "
        "share it (default: a random key kept in CHISO_HOME/secret_key, created on first use).",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


class MissingSetting(ChisoError):
    """A required setting has no value."""

    status = 500

    def __init__(self, name: str) -> None:
        super().__init__(f"Thiếu thiết lập {name}", f"Setting {name} is required but not set")


def get(name: str) -> str | None:
    """The value of setting ``name`` from the environment, or its default."""
    setting = _BY_NAME[name]
    value = os.environ.get(name)
    return value if value not in (None, "") else setting.default


def require(name: str) -> str:
    """The value of a setting that must be present."""
    value = get(name)
    if value is None:
        raise MissingSetting(name)
    return value


def home() -> Path:
    """The data directory (created on first use by the store, not here)."""
    explicit = get("CHISO_HOME")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chiso"


def database_url() -> str:
    """The database URL: ``CHISO_DATABASE_URL`` or SQLite in the data directory."""
    return get("CHISO_DATABASE_URL") or f"sqlite:///{home() / 'chiso.sqlite3'}"


def redact_url(url: str) -> str:
    """A database URL with any password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<URL không hợp lệ>"
