"""The ``chiso`` command. Each sub-command parses its options, calls the library, prints."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from chiso import __version__, settings
from chiso.assessment import Assessment, Status, assess_resolution, summarise
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError, TargetNotFound
from chiso.explain import bound_phrase
from chiso.io.long_csv import read_long_csv
from chiso.records import assessment_record, assessments_csv
from chiso.resolutions import bundled_resolutions, load_resolution, resolve_resolution_path
from chiso.targets import KIND_LABELS, Resolution
from chiso.text import format_number

STATUS_STYLES = {
    Status.ACHIEVED: "bold green",
    Status.ON_TRACK: "green",
    Status.NEEDS_ACCELERATION: "yellow",
    Status.OFF_TRACK: "red",
    Status.REGRESSING: "bold red",
    Status.NO_DATA: "dim",
}


@click.group()
@click.version_option(__version__, prog_name="chiso")
def main() -> None:
    """chiso — theo dõi thực hiện Nghị quyết: chỉ tiêu, số liệu, đánh giá.

    chiso monitors a province's Party Congress resolution: its targets, figures and
    their assessment.
    """


@main.group()
def resolution() -> None:
    """Resolution files: check and list."""


@resolution.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def resolution_check(file: Path) -> None:
    """Validate a resolution file and summarise its targets.

    Exits with status 2 and lists every problem (file, target, field, in Vietnamese
    and English) when the file is invalid.

    Example:

        chiso resolution check resolutions/cao-bang-2025-2030.yaml
    """
    try:
        res, _ = load_resolution(resolve_resolution_path(str(file)))
    except ChisoError as exc:
        fail(exc)
        return
    kinds: dict[str, int] = {}
    for t in res.targets:
        kinds[KIND_LABELS[t.kind]] = kinds.get(KIND_LABELS[t.kind], 0) + 1
    click.echo(f"Hợp lệ: {res.title}")
    click.echo(
        f"Trạng thái: {res.status.label}; nhiệm kỳ {res.term[0]}–{res.term[1]}; "
        f"{len(res.targets)} chỉ tiêu trong {len(res.groups)} nhóm."
    )
    for label, count in kinds.items():
        click.echo(f"  - {label}: {count}")


@resolution.command("list")
def resolution_list() -> None:
    """List the resolution files shipped with chiso.

    Example:

        chiso resolution list
    """
    for name, path in sorted(bundled_resolutions().items()):
        click.echo(f"{name}\t{path}")


@main.command()
@click.option(
    "--resolution",
    "resolution_name",
    default=lambda: settings.get("CHISO_RESOLUTION"),
    show_default="cao-bang-2025-2030 (CHISO_RESOLUTION)",
    help="Resolution file, or the name of a shipped one.",
)
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Observations in the long CSV format (repeatable).",
)
@click.option(
    "--as-of",
    "as_of",
    type=int,
    default=None,
    help="Assess with the data up to this year (default: the current year).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option("--target", "target_ids", multiple=True, help="Only these target ids.")
def assess(
    resolution_name: str,
    data_files: tuple[Path, ...],
    as_of: int | None,
    fmt: str,
    target_ids: tuple[str, ...],
) -> None:
    """Assess every target of a resolution.

    Figures come from the store (created and filled with the published figures on
    first use), or, with --data, only from CSV files in the long format
    ``indicator,area,period,value,status,source,note`` (Vietnamese headers accepted).

    Example:

        chiso assess --data figures.csv --as-of 2026 --format table
    """
    try:
        res, catalogue = load_resolution(resolve_resolution_path(resolution_name))
        if data_files:
            observations = [obs for f in data_files for obs in read_long_csv(f, catalogue)]
            from chiso.io.areas_file import bundled_areas

            areas = bundled_areas(res.province)
        else:
            store = default_store()
            observations = store.observations()
            areas = store.areas(res.province)
    except ChisoError as exc:
        fail(exc)
        return
    year = as_of or dt.date.today().year
    results = assess_resolution(res, catalogue, observations, as_of=year, areas=areas)
    if target_ids:
        unknown = sorted(set(target_ids) - {a.target.id for a in results})
        if unknown:
            fail(TargetNotFound(", ".join(unknown)))
        results = [a for a in results if a.target.id in target_ids]
    if fmt == "json":
        click.echo(json.dumps([assessment_record(a, res) for a in results], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(assessments_csv(results), nl=False)
    else:
        _print_table(res, results, year)


def _print_table(res: Resolution, results: list[Assessment], as_of: int) -> None:
    console = Console(highlight=False)
    table = Table(title=f"{res.title}\nĐánh giá đến năm {as_of}", show_lines=False, title_justify="left")
    table.add_column("Số", no_wrap=True)
    table.add_column("Chỉ tiêu", ratio=3, overflow="fold")
    table.add_column("Mục tiêu", ratio=2, overflow="fold")
    table.add_column("Mới nhất", ratio=2, overflow="fold")
    table.add_column("R", justify="right", no_wrap=True)
    table.add_column("Trạng thái", ratio=1, overflow="fold")
    group = None
    for a in results:
        t = a.target
        if t.group != group:
            group = t.group
            table.add_section()
            table.add_row("", f"[bold]{res.group_name(group)}[/bold]", "", "", "", "")
        latest = (
            f"{format_number(a.latest.value, a.indicator.decimals)} ({a.latest.period.code}"
            + (f", {a.latest.status.label}" if a.latest.status is not None else "")
            + ")"
            if a.latest
            else "—"
        )
        if a.base and not a.has_progress:
            latest = f"gốc {format_number(a.base.value)} ({a.base.period.code})"
        goal = bound_phrase(t, t.unit, a.indicator.decimals) if t.comparator else "mốc công việc"
        ratio = format_number(a.progress_ratio, 2) if a.progress_ratio is not None else ""
        style = STATUS_STYLES[a.status]
        table.add_row(
            t.id,
            a.indicator.name,
            f"{goal} ({t.target_year})",
            latest,
            ratio,
            f"[{style}]{a.status.label}[/{style}]",
        )
    console.print(table)
    console.print(summarise(results).sentence())


def _register() -> None:
    from chiso.cli import areas, data, extract, hpi, report, store_commands, tasks, users, web

    for module in (areas, data, extract, hpi, report, store_commands, tasks, users, web):
        for command in module.commands:
            main.add_command(command)


_register()
