"""Commands over the store: export, open-data package, backup, restore and the audit log."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError
from chiso.indicators import Catalogue
from chiso.io.datapackage import LICENCES, write_datapackage
from chiso.io.export import FORMATS, VIETNAM_TIME, export_observations, guess_format
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store.backup import backup, check_backup, restore
from chiso.store.models import AuditEntry
from chiso.targets import Resolution

ACTIONS = {
    "insert": "thêm",
    "update": "sửa",
    "revise": "điều chỉnh số liệu",
    "import": "nhập tệp",
    "delete": "xóa",
}
ENTITIES = {
    "area": "địa bàn",
    "resolution": "nghị quyết",
    "observations": "lô số liệu",
    "observation": "số liệu",
}


def _resolution(name: str | None) -> tuple[Resolution, Catalogue]:
    return load_resolution(resolve_resolution_path(name or settings.require("CHISO_RESOLUTION")))


@click.command("export")
@click.option("--indicator", "indicators", multiple=True, help="Only this indicator code (repeatable).")
@click.option("--area", "areas", multiple=True, help="Only this area code, e.g. 04 (repeatable).")
@click.option("--year", "years", multiple=True, type=int, help="Only periods of this year (repeatable).")
@click.option("--all-vintages", is_flag=True, help="Every vintage and revision, not only the effective one.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="Output format (default: from the file suffix).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_command(
    indicators: tuple[str, ...],
    areas: tuple[str, ...],
    years: tuple[int, ...],
    all_vintages: bool,
    fmt: str | None,
    output: Path,
) -> None:
    """Export observations to CSV (UTF-8 for Excel), XLSX or JSON.

    By default each cell's effective figure (final over preliminary over estimate,
    then the newest); --all-vintages adds every superseded figure.

    Example:

        chiso export --indicator grdp_growth --year 2025 --year 2026 -o grdp.xlsx
    """
    fmt = fmt or guess_format(output)
    if fmt is None:
        raise click.UsageError("Chọn --format (csv, xlsx, json) hoặc đặt đuôi tệp tương ứng.")
    try:
        _, catalogue = _resolution(None)
        count = export_observations(
            default_store(),
            output,
            fmt,
            catalogue=catalogue,
            indicators=indicators or None,
            areas=areas or None,
            years=years or None,
            all_vintages=all_vintages,
        )
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã xuất {count} dòng vào {output}.")


@click.command("datapackage")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--resolution", "resolution_name", default=None, help="Add the assessment of this resolution.")
@click.option("--title", default=None, help="Title of the package (default: from the resolution).")
@click.option("--licence", default="CC-BY-4.0", show_default=True, type=click.Choice(sorted(LICENCES)))
@click.option("--publisher", default="", help="Organisation publishing the data.")
@click.option("--as-of", "as_of", type=int, default=None, help="Assess up to this year (default: now).")
@click.option("--all-vintages", is_flag=True, help="Publish every vintage, not only the effective one.")
def datapackage_command(
    output: Path,
    resolution_name: str | None,
    title: str | None,
    licence: str,
    publisher: str,
    as_of: int | None,
    all_vintages: bool,
) -> None:
    """Write the figures as an open-data Frictionless Data Package (datapackage.json + CSV).

    Example:

        chiso datapackage -o du-lieu-mo --resolution cao-bang-2025-2030
    """
    try:
        resolution, catalogue = _resolution(resolution_name)
        path = write_datapackage(
            default_store(),
            output,
            catalogue=catalogue,
            resolution=resolution if resolution_name else None,
            title=title,
            licence=licence,
            publisher=publisher,
            as_of=as_of,
            all_vintages=all_vintages,
        )
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã ghi gói dữ liệu mở: {path}")


@click.command("backup")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Backup file (default: CHISO_HOME/backups/chiso-YYYYMMDD-HHMMSS.sqlite3 or .dump).",
)
def backup_command(output: Path | None) -> None:
    """Back up the whole database (safe while chiso is running).

    SQLite is copied with its online backup API; PostgreSQL needs pg_dump.

    Example:

        chiso backup -o /mnt/usb/chiso-truoc-nhap-lieu.sqlite3
    """
    try:
        path = backup(default_store(), output)
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã sao lưu vào {path} ({path.stat().st_size:,} byte).".replace(",", "."))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with a backup made by `chiso backup`.

    The current data is backed up first (to CHISO_HOME/backups), then replaced.

    Example:

        chiso restore ~/.local/share/chiso/backups/chiso-20260115-083000.sqlite3
    """
    url = settings.database_url()
    if not yes:
        click.confirm(
            f"Toàn bộ dữ liệu hiện có ở {settings.redact_url(url)} sẽ bị thay bằng bản sao lưu {file}. "
            "Tiếp tục?",
            abort=True,
        )
    try:
        check_backup(url, file)
        safety = backup(default_store())
        restore(url, file)
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã sao lưu dữ liệu cũ vào {safety}.")
    click.echo(f"Đã khôi phục từ {file}.")


def _when(entry: AuditEntry) -> str:
    at = entry.at if entry.at.tzinfo is not None else entry.at.replace(tzinfo=dt.UTC)
    return at.astimezone(VIETNAM_TIME).strftime("%d/%m/%Y %H:%M")


def _values(values: dict[str, Any] | None) -> str:
    if not values:
        return "—"
    shown = []
    for key, value in values.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        shown.append(f"{key}: {text[:12] + '…' if key == 'sha256' and len(text) > 12 else text}")
    return "; ".join(shown)


@click.command("audit")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Newest N entries.")
def audit_command(limit: int) -> None:
    """Show the audit log: who changed what, when, with the values before and after.

    Example:

        chiso audit --limit 20
    """
    try:
        entries = default_store().audit_log(limit)
    except ChisoError as exc:
        fail(exc)
        return
    table = Table(title="Nhật ký thay đổi (mới nhất trước)", title_justify="left")
    table.add_column("Thời điểm", no_wrap=True)
    table.add_column("Người thực hiện", overflow="fold")
    table.add_column("Thao tác", overflow="fold")
    table.add_column("Đối tượng", overflow="fold")
    table.add_column("Trước", ratio=2, overflow="fold")
    table.add_column("Sau", ratio=2, overflow="fold")
    for e in entries:
        cells = (
            _when(e),
            e.actor or "—",
            ACTIONS.get(e.action, e.action),
            f"{ENTITIES.get(e.entity, e.entity)} {e.entity_id}".strip(),
            _values(e.before),
            _values(e.after),
        )
        table.add_row(*(escape(c) for c in cells))
    Console(highlight=False).print(table)


commands = [export_command, datapackage_command, backup_command, restore_command, audit_command]
