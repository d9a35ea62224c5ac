"""Backing up and restoring the store.

SQLite is copied with its online backup API (:meth:`sqlite3.Connection.backup`): the
copy is consistent even while the app is writing, and includes what is still in the
write-ahead log. The copy is switched out of WAL mode, so it is one self-contained
file. PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with
``pg_restore --clean --if-exists`` in a single transaction.

The database password never reaches a command line, a log or an error message: the
PostgreSQL tools get it through libpq's environment variables (``PGPASSWORD``), and
messages show the URL through :func:`chiso.settings.redact_url`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from chiso import settings
from chiso.errors import BackupFailed
from chiso.store.db import Store

PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# The line of `pg_restore --list` for chiso's main table, e.g.
# "222; 1259 16876 TABLE public observations postgres".
_ARCHIVED_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE \S+ observations ", re.MULTILINE)
# libpq reads these from the environment; a URL's query may name more.
_LIBPQ_QUERY_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "host": "PGHOST",
    "port": "PGPORT",
}


def default_backup_path(store_url: str, now: dt.datetime | None = None) -> Path:
    """``<home>/backups/chiso-YYYYMMDD-HHMMSS.sqlite3`` (``.dump`` for PostgreSQL)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if _is_sqlite(make_url(store_url)) else ".dump"
    return settings.home() / "backups" / f"chiso-{stamp}{suffix}"


def backup(store: Store, path: Path | str | None = None) -> Path:
    """Copy the whole store to ``path`` (default: :func:`default_backup_path`); return the path.

    The file appears only once complete: a failed backup leaves nothing behind.
    """
    url = store.engine.url
    if path is None:
        target = _free_name(default_backup_path(url.render_as_string(hide_password=True)))
    else:
        target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if _is_sqlite(url):
            _backup_sqlite(store, partial)
        elif url.get_backend_name() == "postgresql":
            _run(
                [_tool("pg_dump"), "--format=custom", f"--file={partial}", "--no-password"],
                url,
                "sao lưu",
            )
        else:
            raise BackupFailed(
                f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {url.get_backend_name()}",
                f"Backing up {url.get_backend_name()} databases is not supported",
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def check_backup(store_url: str, path: Path | str) -> None:
    """Raise :class:`BackupFailed` unless ``path`` is a chiso backup restorable into ``store_url``.

    Checks the kind of file (SQLite copy or ``pg_dump`` custom archive, matching the
    database), that it holds chiso's tables, and that the tools needed are installed.
    """
    source = Path(path)
    url = make_url(store_url)
    if not source.is_file():
        raise BackupFailed(f"Không tìm thấy tệp sao lưu {source}", f"Backup file {source} not found")
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if _is_sqlite(url):
        if not head.startswith(SQLITE_MAGIC):
            raise _wrong_kind(source, "SQLite")
        if url.database in (None, "", ":memory:") or str(url.database).startswith("file::memory:"):
            raise BackupFailed(
                "Không khôi phục được vào cơ sở dữ liệu trong bộ nhớ",
                "Cannot restore into an in-memory database",
            )
        connection = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            _check_chiso_sqlite(connection, source)
        finally:
            connection.close()
    elif url.get_backend_name() == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise _wrong_kind(source, "PostgreSQL (pg_dump --format=custom)")
        if not url.database:
            raise BackupFailed(
                f"Địa chỉ {settings.redact_url(store_url)} không ghi tên cơ sở dữ liệu",
                f"The URL {settings.redact_url(store_url)} names no database",
            )
        listing = subprocess.run(
            [_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True, check=False
        )
        if listing.returncode != 0 or not _ARCHIVED_TABLE.search(listing.stdout):
            raise _wrong_kind(source, "PostgreSQL")
    else:
        raise BackupFailed(
            f"Chưa hỗ trợ khôi phục cơ sở dữ liệu {url.get_backend_name()}",
            f"Restoring {url.get_backend_name()} databases is not supported",
        )


def restore(store_url: str, path: Path | str) -> None:
    """Replace the whole content of the database at ``store_url`` with the backup at ``path``.

    The backup is checked first (:func:`check_backup`); the restore itself is one
    transaction, so a failure leaves the database as it was. Open stores on the same
    database see the restored data in their next transaction.
    """
    check_backup(store_url, path)
    source = Path(path)
    url = make_url(store_url)
    if _is_sqlite(url):
        _restore_sqlite(url, source)
        return
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--no-password",
            f"--dbname={url.database}",
            str(source),
        ],
        url,
        "khôi phục",
    )


# --- SQLite ------------------------------------------------------------------------------


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _backup_sqlite(store: Store, target: Path) -> None:
    raw = store.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            # One self-contained file: no -wal or -shm companion needed to read it.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except sqlite3.Error as exc:
        raise BackupFailed(f"Không sao lưu được: {exc}", f"Backup failed: {exc}") from exc
    finally:
        raw.close()


def _restore_sqlite(url: URL, source: Path) -> None:
    target_path = Path(str(url.database)).expanduser()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    backup_db = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        target = sqlite3.connect(target_path)
        try:
            # The backup API writes the destination in one transaction, under its lock.
            backup_db.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        finally:
            target.close()
    except sqlite3.Error as exc:
        raise BackupFailed(
            f"Không khôi phục được từ {source}: {exc}", f"Restore from {source} failed: {exc}"
        ) from exc
    finally:
        backup_db.close()


def _check_chiso_sqlite(connection: sqlite3.Connection, source: Path) -> None:
    try:
        check = connection.execute("PRAGMA quick_check").fetchone()
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _wrong_kind(source, "SQLite") from exc
    if check is None or check[0] != "ok":
        raise BackupFailed(
            f"Tệp sao lưu {source} bị hỏng ({check[0] if check else '?'})",
            f"Backup file {source} is corrupt",
        )
    if not {"observations", "alembic_version"} <= tables:
        raise BackupFailed(
            f"Tệp {source} không phải bản sao lưu của chiso (thiếu bảng số liệu)",
            f"{source} is not a chiso backup (no observations table)",
        )


# --- PostgreSQL ----------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupFailed(
            f"Không tìm thấy chương trình {name}. Hãy cài gói postgresql-client "
            f"(cùng phiên bản với máy chủ PostgreSQL) rồi thử lại.",
            f"{name} not found; install postgresql-client matching the server version",
        )
    return found


def libpq_environment(url: URL) -> dict[str, str]:
    """libpq environment variables (``PGHOST``, ``PGPASSWORD``, …) for ``url``."""
    env: dict[str, str] = {}
    if url.host:
        env["PGHOST"] = url.host
    if url.port:
        env["PGPORT"] = str(url.port)
    if url.username:
        env["PGUSER"] = url.username
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    if url.database:
        env["PGDATABASE"] = url.database
    for key, value in url.query.items():
        name = _LIBPQ_QUERY_ENV.get(key)
        if name is not None:
            env[name] = value if isinstance(value, str) else value[0]
    return env


def _run(command: list[str], url: URL, doing: str) -> None:
    env = {**os.environ, **libpq_environment(url)}
    shown = settings.redact_url(url.render_as_string(hide_password=False))
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupFailed(
            f"Không chạy được {Path(command[0]).name}: {exc}", f"Cannot run {command[0]}: {exc}"
        ) from None
    if result.returncode != 0:
        detail = result.stderr.strip()
        if url.password:
            detail = detail.replace(str(url.password), "***")
        raise BackupFailed(
            f"Không {doing} được cơ sở dữ liệu {shown}: {detail}",
            f"{Path(command[0]).name} failed for {shown}: {detail}",
        )


# --- helpers --------------------------------------------------------------------------------


def _wrong_kind(source: Path, expected: str) -> BackupFailed:
    return BackupFailed(
        f"Tệp {source} không phải bản sao lưu {expected} của chiso",
        f"{source} is not a chiso {expected} backup",
    )


def _free_name(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… if taken (two backups in one second)."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
