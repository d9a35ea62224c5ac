"""``chiso areas``: unit lists in and out, and re-aggregation of pre-2025 data."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import click
from rich.console import Console
from rich.table import Table

from chiso import settings
from chiso.areas import AREA_TYPE_LABELS
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError
from chiso.io.areas_file import read_areas
from chiso.io.long_csv import read_long_csv, write_long_csv
from chiso.merges import Rule, load_merge_table, reaggregate
from chiso.resolutions import load_resolution, resolve_resolution_path


@click.group()
def areas() -> None:
    """Administrative units: import, list, re-aggregate."""


@areas.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--actor", default="", help="Who is importing (kept in the audit log).")
def areas_import(file: Path, actor: str) -> None:
    """Load a province's or the whole country's unit list from CSV or XLSX.

    Columns: code/mã, name/tên, type/loại, parent/mã tỉnh, border/biên giới,
    population/dân số, valid_from. Nothing is written if any row is wrong.

    Example:

        chiso areas import danh-muc-xa.xlsx --actor "Văn phòng UBND"
    """
    try:
        store = default_store()
        units = read_areas(file, known=store.areas())
    except ChisoError as exc:
        fail(exc)
        return
    result = store.save_areas(units, actor=actor)
    click.echo(f"Đã đọc {len(units)} đơn vị; {result.added} mới hoặc thay đổi; {result.unchanged} không đổi.")


@areas.command("list")
@click.option("--province", default=lambda: settings.get("CHISO_PROVINCE"), help="Province code.")
def areas_list(province: str) -> None:
    """List a province and its communes as stored.

    Example:

        chiso areas list --province 04
    """
    units = default_store().areas(province)
    table = Table(title=f"Đơn vị hành chính ({len(units)})", title_justify="left")
    for column in ("Mã", "Tên", "Loại", "Biên giới", "Dân số"):
        table.add_column(column)
    for unit in units:
        table.add_row(
            unit.code,
            unit.name,
            AREA_TYPE_LABELS.get(unit.type, unit.type),
            "có" if unit.border else "",
            f"{unit.population:,}".replace(",", ".") if unit.population else "",
        )
    Console(highlight=False).print(table)


@areas.command("reaggregate")
@click.argument("data", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--merges",
    "merges_file",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Merge table: JSON (new → old units) or CSV new_code,old_code.",
)
@click.option(
    "--rule", type=click.Choice(["sum", "count", "mean", "weighted_mean"]), default="sum", show_default=True
)
@click.option("--weight", "weight_indicator", default=None, help="Weight indicator for weighted_mean.")
@click.option(
    "--resolution",
    "resolution_name",
    default=lambda: settings.get("CHISO_RESOLUTION"),
    help="Resolution whose catalogue reads the data.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def areas_reaggregate(
    data: Path, merges_file: Path, rule: str, weight_indicator: str | None, resolution_name: str, output: Path
) -> None:
    """Re-aggregate figures of pre-2025 communes to the new communes.

    Reads a long CSV of figures by old commune code and writes a long CSV by new
    commune, printing the rule used and the units that lacked data.

    Example:

        chiso areas reaggregate xa-cu-2024.csv --merges merges.json --rule sum -o xa-moi-2024.csv
    """
    try:
        _, catalogue = load_resolution(resolve_resolution_path(resolution_name))
        observations = read_long_csv(data, catalogue)
        table = load_merge_table(merges_file)
    except ChisoError as exc:
        fail(exc)
        return
    weights = [o for o in observations if o.indicator == weight_indicator] if weight_indicator else None
    values = [o for o in observations if o.indicator != weight_indicator]
    result, notes = reaggregate(values, table, rule=cast(Rule, rule), weights=weights)
    write_long_csv(output, result)
    for note in notes:
        click.echo(f"- {note}")
    click.echo(f"Đã ghi {len(result)} giá trị cho đơn vị mới vào {output}.")


commands = [areas]
