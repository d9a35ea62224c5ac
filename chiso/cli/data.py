"""Commands for data entry: import a workbook or CSV file, write the Excel template."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError, Problem
from chiso.io.importer import CellProblem, ImportReport, import_file, is_warning
from chiso.io.template import parse_years, write_template
from chiso.resolutions import load_resolution, resolve_resolution_path

SHOWN = 200  # problems printed; the error file (--error-file) holds every refused row


def _problem_table(problems: list[Problem]) -> Table:
    table = Table(title="Các vấn đề trong tệp", title_justify="left", show_lines=False)
    table.add_column("Vị trí", no_wrap=True)
    table.add_column("Nội dung ô", overflow="fold", max_width=30)
    table.add_column("Lỗi", overflow="fold", ratio=1)
    for p in problems[:SHOWN]:
        content = p.content if isinstance(p, CellProblem) else ""
        message = escape(p.message_vi)
        if is_warning(p):
            message = f"[yellow]Cảnh báo: {message}[/yellow]"
        table.add_row(escape(p.where), escape(content), message)
    return table


def _print_report(report: ImportReport) -> None:
    console = Console(highlight=False)
    v = report.validation
    for t in v.tables:
        layout = "dạng dọc (mỗi dòng một giá trị)" if t.layout == "long" else "dạng bảng (mỗi năm một cột)"
        console.print(f"Trang “{escape(t.sheet)}”: {layout}, dòng tiêu đề {t.header_row}.")
    if v.ignored_columns:
        console.print("Bỏ qua các cột không phải kỳ số liệu: " + escape(", ".join(v.ignored_columns)))
    console.print(f"Đã đọc {report.rows_read} dòng, {report.figures} giá trị.")
    if report.problems:
        console.print(_problem_table(report.problems))
        if len(report.problems) > SHOWN:
            console.print(f"… và {len(report.problems) - SHOWN} vấn đề khác.")
    style = "bold red" if report.refused else "bold green"
    console.print(f"[{style}]{escape(report.summary)}[/{style}]")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count only; write nothing to the store.")
@click.option(
    "--write-valid-rows", is_flag=True, help="Write the rows without errors even if other rows have some."
)
@click.option(
    "--error-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the refused rows, with a “Lỗi” column, to this file (same format as FILE).",
)
@click.option("--actor", default="", help="Who is importing (recorded with every figure).")
def import_command(
    file: Path, dry_run: bool, write_valid_rows: bool, error_file: Path | None, actor: str
) -> None:
    """Import figures from an Excel workbook (.xlsx) or a CSV file.

    Reads the statistics-office table (one row per indicator, one column per year or
    period, e.g. "2024", "Ước 2025", "Quý I/2026") or the long format (indicator,
    area, period, value, …), checks every cell against the indicator catalogue and the
    areas, and writes all or nothing: a file with any error writes nothing and exits
    with status 2, listing each problem with its sheet, row and column. Warnings
    (unusual values, a different unit) are shown but do not block.

    Example:

        chiso import so-lieu-2025.xlsx --dry-run

        chiso import so-lieu-2025.xlsx --actor "Cục Thống kê" --write-valid-rows --error-file loi.xlsx
    """
    try:
        _, catalogue = load_resolution(resolve_resolution_path(settings.require("CHISO_RESOLUTION")))
        report = import_file(
            default_store(),
            file,
            catalogue,
            province=settings.require("CHISO_PROVINCE"),
            actor=actor,
            dry_run=dry_run,
            write_valid_rows=write_valid_rows,
            error_file=error_file,
        )
    except ChisoError as exc:
        fail(exc)
        return
    _print_report(report)
    if report.error_file is not None:
        click.echo(f"Các dòng bị từ chối đã ghi vào {report.error_file}")
    if report.refused:
        sys.exit(2)


@click.command("template")
@click.option("--resolution", "resolution_name", default=None, help="Resolution file or shipped name.")
@click.option("--years", default="2025-2030", show_default=True, help="Year columns, e.g. 2025-2030.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
def template_command(resolution_name: str | None, years: str, output: Path) -> None:
    """Write the Excel data-entry template for a resolution's indicators.

    One row per indicator the targets read (one per commune for commune-level
    indicators), one column per year, with status, source and note columns and a
    “Hướng dẫn” sheet explaining how to fill it. Filled in, it imports with
    ``chiso import``.

    Example:

        chiso template --years 2025-2030 -o bieu-nhap-so-lieu.xlsx
    """
    try:
        year_list = parse_years(years)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--years") from None
    try:
        resolution, catalogue = load_resolution(
            resolve_resolution_path(resolution_name or settings.require("CHISO_RESOLUTION"))
        )
        areas = default_store().areas(resolution.province)
    except ChisoError as exc:
        fail(exc)
        return
    path = write_template(
        output.with_suffix(".xlsx"),
        resolution,
        catalogue,
        years=year_list,
        province=resolution.province,
        areas=areas,
    )
    click.echo(f"Đã ghi biểu mẫu {path}")


commands = [import_command, template_command]
