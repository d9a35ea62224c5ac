"""Exporting observations: CSV (for Excel and scripts), XLSX and JSON.

Every format is a writer in one registry, :data:`FORMATS`, and the built-in ones
register themselves the same way an outside format would::

    @register_format("tsv", suffix=".tsv")
    def write_tsv(path: Path, rows: Sequence[ExportRow]) -> None: ...

A row is the long format read by :func:`chiso.io.long_csv.read_long_csv`
(``indicator,area,period,value,status,source,note,url``) followed by what a reader
needs to understand it without the catalogue: the indicator's name and unit, the
area's name, who entered the figure and when. A CSV or JSON export therefore loads
back into chiso unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.errors import UnknownFormat
from chiso.indicators import Catalogue
from chiso.observations import Observation, effective

if TYPE_CHECKING:
    from chiso.store import Store

# All of Vietnam keeps UTC+7 all year; people read times in it, the store keeps UTC.
VIETNAM_TIME = dt.timezone(dt.timedelta(hours=7), "ICT")

COLUMNS = (
    "indicator",
    "area",
    "period",
    "value",
    "status",
    "source",
    "note",
    "url",
    "indicator_name",
    "unit",
    "area_name",
    "entered_by",
    "entered_at",
)
# Headers a person reads in Excel; the first eight fold to headers read_long_csv accepts.
HEADERS_VI = {
    "indicator": "Mã chỉ số",
    "area": "Mã địa bàn",
    "period": "Kỳ",
    "value": "Giá trị",
    "status": "Trạng thái",
    "source": "Nguồn",
    "note": "Ghi chú",
    "url": "Đường dẫn",
    "indicator_name": "Tên chỉ số",
    "unit": "Đơn vị tính",
    "area_name": "Tên địa bàn",
    "entered_by": "Người nhập",
    "entered_at": "Thời điểm nhập",
}


@dataclass(frozen=True)
class ExportRow:
    """One observation with the names a reader needs, ready for any format."""

    observation: Observation
    indicator_name: str = ""
    unit: str = ""
    area_name: str = ""
    decimals: int = 2

    def record(self) -> dict[str, Any]:
        """The row as a JSON-ready mapping over :data:`COLUMNS` (status as its code, time in ISO 8601)."""
        o = self.observation
        return {
            "indicator": o.indicator,
            "area": o.area,
            "period": o.period.code,
            "value": o.value,
            "status": o.status.code,
            "source": o.source,
            "note": o.note,
            "url": o.source_url,
            "indicator_name": self.indicator_name,
            "unit": self.unit,
            "area_name": self.area_name,
            "entered_by": o.entered_by,
            "entered_at": _iso(o.entered_at),
        }


Writer = Callable[[Path, Sequence[ExportRow]], None]


@dataclass(frozen=True)
class ExportFormat:
    """A registered export format: its name, usual file suffix and writer."""

    name: str
    suffix: str
    writer: Writer


FORMATS: dict[str, ExportFormat] = {}


def register_format(name: str, *, suffix: str) -> Callable[[Writer], Writer]:
    """Register ``writer`` as export format ``name`` (a later registration replaces an earlier one)."""

    def decorator(writer: Writer) -> Writer:
        FORMATS[name] = ExportFormat(name, suffix, writer)
        return writer

    return decorator


def guess_format(path: Path | str) -> str | None:
    """The registered format whose suffix ``path`` ends with, if any."""
    suffix = Path(path).suffix.lower()
    return next((f.name for f in FORMATS.values() if f.suffix == suffix), None)


# --- selecting ---------------------------------------------------------------------------


def select_observations(
    observations: Iterable[Observation],
    *,
    years: Iterable[int] | None = None,
    all_vintages: bool = False,
) -> list[Observation]:
    """The observations of the chosen years: every vintage, or only each cell's effective one.

    Sorted by indicator, area and period, then by entry time.
    """
    wanted = None if years is None else set(years)
    chosen = [o for o in observations if wanted is None or o.period.year in wanted]
    if not all_vintages:
        chosen = list(effective(chosen).values())
    stamp = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(chosen, key=lambda o: (o.indicator, o.area, o.period, o.entered_at or stamp))


def export_rows(
    observations: Iterable[Observation], catalogue: Catalogue, area_names: dict[str, str]
) -> list[ExportRow]:
    """Attach indicator and area names to observations (blank for codes not known)."""
    rows = []
    for o in observations:
        indicator = catalogue.get(o.indicator) if o.indicator in catalogue else None
        rows.append(
            ExportRow(
                o,
                indicator.name if indicator else "",
                indicator.unit if indicator else "",
                area_names.get(o.area, ""),
                indicator.decimals if indicator else 2,
            )
        )
    return rows


def export_observations(
    store: Store,
    path: Path | str,
    fmt: str,
    *,
    catalogue: Catalogue,
    indicators: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    all_vintages: bool = False,
) -> int:
    """Write the chosen observations of ``store`` to ``path`` as ``fmt``; return the rows written.

    Without filters every effective figure is written; with
    ``all_vintages`` the superseded estimates and revisions too. Unknown indicator codes
    raise :class:`chiso.errors.IndicatorNotFound`; nothing is written on error.
    """
    if fmt not in FORMATS:
        raise UnknownFormat(fmt, list(FORMATS))
    codes = None if indicators is None else list(indicators)
    for code in codes or ():
        catalogue.get(code)  # a misspelt code is an error, not an empty file
    chosen = select_observations(
        store.observations(indicators=codes, areas=None if areas is None else list(areas)),
        years=years,
        all_vintages=all_vintages,
    )
    names = {a.code: a.name for a in store.areas()}
    rows = export_rows(chosen, catalogue, names)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    FORMATS[fmt].writer(target, rows)
    return len(rows)


# --- the built-in formats ------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plain_number(value: float) -> str:
    """A number as text for CSV: "3400" not "3400.0", full precision otherwise."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


@register_format("csv", suffix=".csv")
def write_csv(path: Path, rows: Sequence[ExportRow]) -> None:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese letters correctly."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            record = row.record()
            record["value"] = _plain_number(row.observation.value)
            writer.writerow([record[c] for c in COLUMNS])


@register_format("json", suffix=".json")
def write_json(path: Path, rows: Sequence[ExportRow]) -> None:
    """A JSON list of objects, one per row, keys as :data:`COLUMNS`."""
    text = json.dumps([row.record() for row in rows], ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def number_format(decimals: int) -> str:
    """The Excel number format showing ``decimals`` digits after the separator."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


@register_format("xlsx", suffix=".xlsx")
def write_xlsx(path: Path, rows: Sequence[ExportRow]) -> None:
    """An Excel workbook: Vietnamese headers, numbers as numbers, frozen header, fitted widths."""
    from openpyxl import Workbook  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Số liệu"
    sheet.append([HEADERS_VI[c] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    value_column = COLUMNS.index("value") + 1
    time_column = COLUMNS.index("entered_at") + 1
    widths = [len(HEADERS_VI[c]) for c in COLUMNS]
    for row in rows:
        o = row.observation
        at = o.entered_at
        values: list[Any] = [
            o.indicator,
            o.area,
            o.period.code,
            o.value,
            o.status.label,
            o.source,
            o.note,
            o.source_url,
            row.indicator_name,
            row.unit,
            row.area_name,
            o.entered_by,
            # Excel has no time zones: show the time people read in Vietnam.
            at.astimezone(VIETNAM_TIME).replace(tzinfo=None) if at is not None else None,
        ]
        sheet.append(values)
        line = sheet.max_row
        sheet.cell(line, value_column).number_format = number_format(row.decimals)
        sheet.cell(line, time_column).number_format = "dd/mm/yyyy hh:mm"
        for index, value in enumerate(values):
            shown = 16 if isinstance(value, dt.datetime) else len(str(value)) if value is not None else 0
            widths[index] = max(widths[index], shown)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(sheet.max_row, 1)}"
    book.save(path)
