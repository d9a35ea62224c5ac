"""Backup and restore: back to exactly the saved state, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from chiso.areas import Area
from chiso.cli.store_commands import backup_command, restore_command
from chiso.store import Store, open_store
from chiso.store.backup import BackupFailed, backup, check_backup, libpq_environment, restore
from chiso.store.db import make_engine
from tests.conftest import obs

PG_TOOLS = shutil.which("pg_dump") is not None and shutil.which("pg_restore") is not None


def _skip_without_tools(url: str) -> None:
    if url.startswith("postgresql") and not PG_TOOLS:
        pytest.skip("pg_dump/pg_restore are not installed: PostgreSQL backup cannot be tested")


@pytest.fixture
def pg_url() -> str:
    """The test PostgreSQL URL, or a skip saying why PostgreSQL is not tested."""
    url = os.environ.get("CHISO_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("CHISO_TEST_DATABASE_URL is not set to PostgreSQL: PostgreSQL backup not tested")
    if not PG_TOOLS:
        pytest.skip("pg_dump/pg_restore are not installed: PostgreSQL backup cannot be tested")
    return url


def _fill(store: Store, year: int, value: float) -> None:
    store.add_observations([obs("grdp_growth", year, value, source="Cục Thống kê")], actor="an")


def test_restore_returns_to_the_state_at_backup_time(store: Store, store_url: str, tmp_path: Path) -> None:
    _skip_without_tools(store_url)
    store.save_areas([Area("04", "Tỉnh Cao Bằng", "tinh")])
    _fill(store, 2024, 6.74)
    _fill(store, 2025, 7.22)
    count, checksum = store.count_observations(), store.checksum()
    saved = backup(store, tmp_path / "saved.bak")
    assert saved.stat().st_size > 0
    _fill(store, 2026, 8.0)
    _fill(store, 2025, 7.3)  # a revision
    store.save_areas([Area("04", "Tỉnh Cao Bằng (sửa)", "tinh")])
    assert store.checksum() != checksum
    restore(store_url, saved)
    assert store.count_observations() == count == 2
    assert store.checksum() == checksum
    # The restored store works as before: ids continue, a new figure is a new row.
    _fill(store, 2026, 8.0)
    assert store.count_observations() == 3
    reopened = open_store(store_url)
    assert reopened.count_observations() == 3
    reopened.engine.dispose()


def test_default_name_in_the_backups_folder(
    store: Store, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_without_tools(store_url)
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    _fill(store, 2025, 7.22)
    first, second = backup(store), backup(store)
    suffix = r"\.sqlite3" if store_url.startswith("sqlite") else r"\.dump"
    assert first.parent == tmp_path / "home" / "backups"
    assert re.fullmatch(r"chiso-\d{8}-\d{6}" + suffix, first.name)
    assert second != first and second.exists()  # two backups in one second do not overwrite
    assert not list(first.parent.glob("*.partial"))


def test_sqlite_backup_is_one_file_with_what_is_still_in_the_wal(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    store = open_store(url)
    _fill(store, 2025, 7.22)
    assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0  # not yet checkpointed
    saved = backup(store, tmp_path / "copy" / "chiso.sqlite3")
    assert not (tmp_path / "copy" / "chiso.sqlite3-wal").exists()
    copy = sqlite3.connect(saved)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT value FROM observations").fetchall() == [(7.22,)]
    finally:
        copy.close()
    store.engine.dispose()


def test_sqlite_backup_while_another_writer_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    store = open_store(f"sqlite:///{path}")
    _fill(store, 2025, 7.22)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM observations")
        saved = backup(store, tmp_path / "during.sqlite3")  # does not wait for the writer
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    copy = open_store(f"sqlite:///{saved}")
    assert copy.count_observations() == 1 and copy.checksum() == store.checksum()
    copy.engine.dispose()
    store.engine.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"indicator,area\n", "không phải bản sao lưu"),
        (None, "không phải bản sao lưu của chiso"),  # a SQLite file without chiso's tables
    ],
)
def test_restore_refuses_what_is_not_a_chiso_backup(
    store: Store, store_url: str, tmp_path: Path, content: bytes | None, message: str
) -> None:
    _skip_without_tools(store_url)
    _fill(store, 2025, 7.22)
    checksum = store.checksum()
    bad = tmp_path / "bad.bak"
    if content is None:
        other = sqlite3.connect(bad)
        other.execute("CREATE TABLE t (x)")
        other.commit()
        other.close()
    else:
        bad.write_bytes(content)
    if content is None and store_url.startswith("postgresql"):
        message = "không phải bản sao lưu"
    with pytest.raises(BackupFailed, match=message):
        restore(store_url, bad)
    assert store.checksum() == checksum


def test_missing_postgresql_tools_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    store = Store(make_engine("postgresql+psycopg://chiso:mat-khau@db.example/chiso"))
    with pytest.raises(BackupFailed, match="Không tìm thấy chương trình pg_dump") as caught:
        backup(store, tmp_path / "x.dump")
    assert "mat-khau" not in str(caught.value)
    assert not (tmp_path / "x.dump").exists()


def test_the_password_goes_to_libpq_not_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append({"command": command, "env": kwargs["env"]})
        return subprocess.CompletedProcess(command, 1, "", "FATAL: password authentication failed")

    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "run", fake_run)
    url = "postgresql+psycopg://chiso:p%40ss-w0rd@db.example:5433/chiso_04?sslmode=require"
    with pytest.raises(BackupFailed) as caught:
        backup(Store(make_engine(url)), tmp_path / "x.dump")
    (call,) = calls
    assert not any("p@ss-w0rd" in part for part in call["command"])
    assert call["env"]["PGPASSWORD"] == "p@ss-w0rd"
    assert (call["env"]["PGHOST"], call["env"]["PGPORT"], call["env"]["PGDATABASE"]) == (
        "db.example",
        "5433",
        "chiso_04",
    )
    assert call["env"]["PGSSLMODE"] == "require"
    assert "p@ss-w0rd" not in str(caught.value) and "***" in str(caught.value)
    assert "Không sao lưu được" in caught.value.message_vi


def test_libpq_environment_without_password() -> None:
    env = libpq_environment(make_url("postgresql+psycopg://postgres@127.0.0.1/test"))
    assert env == {"PGHOST": "127.0.0.1", "PGUSER": "postgres", "PGDATABASE": "test"}


def test_postgresql_round_trip_and_errors_hide_the_password(pg_url: str, tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    store = open_store(pg_url)
    _fill(store, 2025, 7.22)
    checksum = store.checksum()
    saved = backup(store, tmp_path / "pg.dump")
    assert saved.read_bytes().startswith(b"PGDMP")
    check_backup(pg_url, saved)
    _fill(store, 2026, 8.0)
    restore(pg_url, saved)
    assert store.checksum() == checksum
    store.engine.dispose()
    # A database that does not exist: pg_dump fails, and its message never shows the password.
    wrong = make_url(pg_url).set(password="bi-mat-123", database="chiso_khong_co")
    with pytest.raises(BackupFailed) as caught:
        backup(Store(make_engine(wrong.render_as_string(hide_password=False))), tmp_path / "x.dump")
    assert "bi-mat-123" not in str(caught.value)
    assert "chiso_khong_co" in str(caught.value)
    # A SQLite copy is not a PostgreSQL backup.
    sqlite_copy = tmp_path / "copy.sqlite3"
    sqlite_copy.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(BackupFailed, match="PostgreSQL"):
        restore(pg_url, sqlite_copy)


def test_cli_restore_asks_first(
    store: Store, store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_without_tools(store_url)
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CHISO_DATABASE_URL", store_url)
    monkeypatch.setattr("chiso.cli.store_commands.default_store", lambda: store)
    _fill(store, 2025, 7.22)
    checksum = store.checksum()
    runner = CliRunner()
    made = runner.invoke(backup_command, ["-o", str(tmp_path / "saved.bak")])
    assert made.exit_code == 0, made.output
    assert "Đã sao lưu vào" in made.output
    _fill(store, 2026, 8.0)
    refused = runner.invoke(restore_command, [str(tmp_path / "saved.bak")], input="n\n")
    assert refused.exit_code != 0 and "sẽ bị thay" in refused.output
    assert store.count_observations() == 2
    done = runner.invoke(restore_command, [str(tmp_path / "saved.bak")], input="y\n")
    assert done.exit_code == 0, done.output
    assert store.checksum() == checksum
    # The data replaced was backed up first.
    assert len(list((tmp_path / "home" / "backups").iterdir())) == 1
    again = runner.invoke(restore_command, [str(tmp_path / "saved.bak"), "--yes"])
    assert again.exit_code == 0, again.output
