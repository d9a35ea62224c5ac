"""``chiso tasks``: the task tree of the resolution, progress updates, scorecard, reminders."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError
from chiso.io.tasks_excel import export_tasks, import_tasks
from chiso.store import tasks_repo
from chiso.tasks import (
    TaskStatus,
    UpdateFlag,
    format_date,
    local_today,
    parse_date,
    parse_task_status,
    total_score,
)
from chiso.text import fold, format_number

STATUS_STYLES = {
    TaskStatus.NOT_STARTED: "dim",
    TaskStatus.IN_PROGRESS: "cyan",
    TaskStatus.COMPLETED: "green",
    TaskStatus.COMPLETED_LATE: "yellow",
    TaskStatus.OVERDUE: "bold red",
    TaskStatus.PAUSED: "magenta",
}
_PROVINCE = {"tinh", "province", "admin", "ubnd tinh", "van phong ubnd tinh"}


def _day(value: str | None) -> dt.date:
    if not value:
        return local_today()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _percent(value: float | None) -> str:
    return "" if value is None else f"{format_number(value, 1)}"


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{format_number(value * 100, 1)}%"


TODAY = click.option(
    "--today",
    "today_text",
    metavar="NGÀY",
    help="The day to judge on (2026-11-29 or 29/11/2026); default: today.",
)


@click.group()
def tasks() -> None:
    """Tasks of the resolution: load, list, update, scorecard, digest, export, import."""


@tasks.command("load")
@click.option("--tree", default=None, help="Task tree file or shipped name (default: CHISO_RESOLUTION).")
def tasks_load(tree: str | None) -> None:
    """Load the agencies and the resolution's initial task tree (programmes, breakthroughs,
    main tasks). Safe to run again: what is already stored, with the dates and owners the
    province has set, is left as it is.

    Example:

        chiso tasks load
    """
    try:
        agencies, loaded = tasks_repo.load_initial_tree(default_store(), tree)
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Cơ quan, đơn vị: {agencies.message}.")
    click.echo(f"Nhiệm vụ: {loaded.message}.")


@tasks.command("list")
@click.option("--agency", default=None, help="Lead agency (name or code, accents optional).")
@click.option("--involved", is_flag=True, help="With --agency: also the tasks it cooperates in.")
@click.option("--status", "status_text", default=None, help="A status, e.g. “quá hạn” or overdue.")
@click.option("--overdue", is_flag=True, help="Only overdue tasks.")
@click.option("--due-this-month", is_flag=True, help="Only tasks due this month.")
@TODAY
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def tasks_list(
    agency: str | None,
    involved: bool,
    status_text: str | None,
    overdue: bool,
    due_this_month: bool,
    today_text: str | None,
    fmt: str,
) -> None:
    """List tasks in tree order with their derived status and progress.

    Example:

        chiso tasks list --agency "Sở Xây dựng" --overdue

        chiso tasks list --due-this-month --today 2026-12-01
    """
    today = _day(today_text)
    try:
        status = parse_task_status(status_text) if status_text else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--status") from None
    try:
        views = tasks_repo.list_tasks(
            default_store(),
            today,
            agency=agency,
            status=status,
            overdue=overdue,
            due_this_month=due_this_month,
            involved=involved,
        )
    except ChisoError as exc:
        fail(exc)
        return
    if fmt == "json":
        click.echo(json.dumps([v.as_dict() for v in views], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Nhiệm vụ ({len(views)}) — ngày {format_date(today)}", title_justify="left")
    for name in ("STT", "Mã", "Nhiệm vụ", "Chủ trì", "Hạn", "Tiến độ %", "Trạng thái"):
        table.add_column(name, overflow="fold", ratio=3 if name == "Nhiệm vụ" else None)
    for v in views:
        style = STATUS_STYLES[v.state.status]
        title = ("  " * v.depth) + v.task.title
        table.add_row(
            v.number,
            v.task.code,
            escape(title),
            escape(v.task.lead),
            format_date(v.task.due),
            _percent(v.state.progress),
            f"[{style}]{v.state.label}[/{style}]",
        )
    Console(highlight=False).print(table)


@tasks.command("update")
@click.argument("code")
@click.option("--percent", type=float, default=None, help="Progress, 0–100.")
@click.option("--text", default="", help="What was done.")
@click.option("--evidence", default=None, help="A file to attach, or a link (http…).")
@click.option(
    "--as",
    "acting",
    required=True,
    help="The agency reporting (name or code); “tỉnh” for the provincial office.",
)
@click.option("--author", default="", help="Who reports (kept in the audit log).")
@click.option(
    "--pause", "flag", flag_value=UpdateFlag.PAUSE.value, default=None, help="Mark the task paused."
)
@click.option("--resume", "flag", flag_value=UpdateFlag.RESUME.value, help="Mark the task resumed.")
def tasks_update(
    code: str,
    percent: float | None,
    text: str,
    evidence: str | None,
    acting: str,
    author: str,
    flag: str | None,
) -> None:
    """Post a progress update on a task, with a file or a link as evidence.

    An agency may update only the tasks it leads; the provincial office updates any.

    Example:

        chiso tasks update CT1.2 --percent 50 --text "Đã phê duyệt quy hoạch" --evidence qd.pdf --as SVHTTDL
    """
    provincial = fold(acting).strip() in _PROVINCE
    upload, url = None, ""
    if evidence and evidence.startswith(("http://", "https://")):
        url = evidence
    elif evidence:
        path = Path(evidence)
        if not path.is_file():
            raise click.BadParameter(f"không tìm thấy tệp “{evidence}”", param_hint="--evidence")
        upload = tasks_repo.Upload(path.name, path.read_bytes())
    try:
        store = default_store()
        agency = None if provincial else tasks_repo.agency_named(store, acting).name
        update = tasks_repo.add_update(
            store,
            code,
            author=author or acting,
            role="province" if provincial else "agency",
            agency=agency,
            percent=percent,
            text=text,
            evidence_url=url,
            upload=upload,
            flag=UpdateFlag(flag) if flag else None,
        )
        state = tasks_repo.task_detail(store, code, update.on).view.state
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã ghi báo cáo tiến độ nhiệm vụ {update.task} ngày {format_date(update.on)}.")
    click.echo(f"Trạng thái: {state.label}; tiến độ {_percent(state.progress)}%.")


@tasks.command("scorecard")
@TODAY
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def tasks_scorecard(today_text: str | None, fmt: str) -> None:
    """Agency scorecard: tasks on time, late, overdue, in progress, share completed.

    Counts the tasks without sub-tasks, by lead agency.

    Example:

        chiso tasks scorecard --today 2026-12-31
    """
    today = _day(today_text)
    try:
        scores = tasks_repo.scorecard_on(default_store(), today)
    except ChisoError as exc:
        fail(exc)
        return
    if fmt == "json":
        click.echo(json.dumps([s.as_dict() for s in scores], ensure_ascii=False, indent=2))
        return
    table = Table(
        title=f"Kết quả thực hiện nhiệm vụ theo cơ quan — ngày {format_date(today)}", title_justify="left"
    )
    headers = ("Cơ quan chủ trì", "Tổng", "Đúng hạn", "Quá hạn xong", "Quá hạn", "Đang làm", "Chưa", "Dừng")
    for name in (*headers, "% hoàn thành", "% đúng hạn"):
        table.add_column(name, overflow="fold", justify="left" if name == headers[0] else "right")
    for s in [*scores, total_score(scores)]:
        counts = (
            s.total,
            s.completed_on_time,
            s.completed_late,
            s.overdue,
            s.in_progress,
            s.not_started,
            s.paused,
        )
        table.add_row(escape(s.agency), *map(str, counts), _rate(s.share_completed), _rate(s.on_time_rate))
    Console(highlight=False).print(table)


@tasks.command("digest")
@TODAY
@click.option("--horizon", default=7, show_default=True, help="Days ahead counted as due soon.")
@click.option("--agency", default=None, help="Only this agency's part.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def tasks_digest(
    today_text: str | None, horizon: int, agency: str | None, output: Path | None, fmt: str
) -> None:
    """The daily reminder: overdue tasks and tasks due soon, by agency.

    Prints it, or writes it with -o (to be sent by e-mail by a scheduled job).

    Example:

        chiso tasks digest --today 2026-11-29 -o nhac-viec.txt
    """
    today = _day(today_text)
    try:
        store = default_store()
        result = tasks_repo.digest_on(store, today, horizon)
        if agency:
            result = result.for_agency(tasks_repo.agency_named(store, agency).name)
    except ChisoError as exc:
        fail(exc)
        return
    text = json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n" if fmt == "json" else result.text
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"Đã ghi {output}: {len(result.overdue)} quá hạn, {len(result.due_soon)} sắp đến hạn.")


@tasks.command("export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@TODAY
def tasks_export(output: Path, today_text: str | None) -> None:
    """Export every task to an Excel workbook (or CSV): one row per task, derived status.

    Example:

        chiso tasks export -o nhiem-vu.xlsx
    """
    try:
        path = export_tasks(default_store(), output, _day(today_text))
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã ghi {path}")


@tasks.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count only; write nothing.")
@click.option("--actor", default="", help="Who is importing (kept in the audit log).")
def tasks_import(file: Path, dry_run: bool, actor: str) -> None:
    """Import tasks from an Excel workbook or CSV file: all of it, or nothing.

    Rows with a “Mã nhiệm vụ” update that task; rows without one add a task. Any problem
    (unknown agency, bad date, due before start, unknown target or parent task) refuses
    the whole file, lists each problem with its cell, and exits with status 2.

    Example:

        chiso tasks import nhiem-vu.xlsx --dry-run
    """
    try:
        report = import_tasks(
            default_store(),
            file,
            actor=actor,
            dry_run=dry_run,
            resolution=settings.get("CHISO_RESOLUTION"),
            province=settings.get("CHISO_PROVINCE"),
        )
    except ChisoError as exc:
        fail(exc)
        return
    console = Console(highlight=False)
    console.print(f"Đã đọc {report.validation.rows_read} dòng.")
    if report.problems:
        table = Table(title="Các vấn đề trong tệp", title_justify="left")
        for name in ("Vị trí", "Nội dung ô", "Lỗi"):
            table.add_column(name, overflow="fold")
        for p in report.problems:
            table.add_row(escape(p.where), escape(p.content), escape(p.message_vi))
        console.print(table)
    style = "bold red" if report.refused else "bold green"
    console.print(f"[{style}]{escape(report.summary)}[/{style}]")
    if report.refused:
        sys.exit(2)


commands = [tasks]
