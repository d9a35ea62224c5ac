"""Reading spreadsheets (XLSX) and CSV files into plain grids of cells, and finding the
table in each sheet.

A :class:`Sheet` is a name and a grid of values as a person sees them on screen:
numbers stay numbers, a cell formatted as a percentage is read in percent points
(0.3584 shown as "35,84%" becomes 35.84, the way every Vietnamese report writes
shares), dates become :class:`datetime.date`, and a merged cell's value is copied
into every cell of the merged range (statistics offices merge "Năm" over the year
columns). CSV files are UTF-8, with or without a BOM, separated by commas or by
semicolons (what Excel writes on a Vietnamese-locale Windows).

:func:`detect_table` finds a sheet's header row and what each column holds, for the
two layouts chiso reads: **long** (one row per figure: indicator, area, period,
value, …, the columns of :mod:`chiso.io.long_csv`) and **wide** (one row per
indicator, one column per period: "2024", "Năm 2025", "Ước 2026", "Quý I/2026",
"2025 (sơ bộ)"), with the header found below any title rows and possibly spread over
two or three rows ("Năm" merged above the year columns).

Readers register by file suffix in :data:`READERS`, so another format plugs in the
same way as the built-in ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from chiso.errors import ChisoError, InvalidFile, Problem
from chiso.io.long_csv import HEADER_ALIASES
from chiso.observations import DataStatus
from chiso.periods import Period, parse_period
from chiso.text import fold, nfc

CellValue = str | float | int | dt.date | None


@dataclass
class Sheet:
    """One sheet: its name and its cells, ``rows[0][0]`` being cell A1.

    Rows may be ragged; :meth:`value` answers ``None`` outside the grid.
    ``delimiter`` is the separator of a CSV file (``None`` for a workbook sheet).
    """

    name: str
    rows: list[list[CellValue]] = field(default_factory=list)
    delimiter: str | None = None

    def value(self, row: int, column: int) -> CellValue:
        """The value at a 1-based ``row`` and ``column``."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= column <= len(cells):
                return cells[column - 1]
        return None

    def ref(self, row: int, column: int) -> str:
        """The Excel-style address of a cell, e.g. ``"Sheet1!C7"``."""
        return f"{self.name}!{get_column_letter(column)}{row}"

    @property
    def width(self) -> int:
        """The number of columns of the widest row."""
        return max((len(r) for r in self.rows), default=0)


def _unreadable(path: Path, vi: str, en: str) -> InvalidFile:
    return InvalidFile(str(path), [Problem(str(path), "tệp", vi, en, "unreadable-file")])


# --- CSV --------------------------------------------------------------------------------------


def _score(sample: list[str], delimiter: str) -> int:
    """How many sample lines split into the most common number of fields (0 if that is 1)."""
    counts: dict[int, int] = {}
    for fields in csv.reader(sample, delimiter=delimiter):
        if any(f.strip() for f in fields):
            counts[len(fields)] = counts.get(len(fields), 0) + 1
    width, rows = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=(1, 0))
    return rows if width > 1 else 0


def sniff_delimiter(text: str) -> str:
    """The field separator of a CSV text: ``,``, ``;`` or a tab.

    Vietnamese numbers use the comma as decimal mark ("1.462,5"), so Excel in a
    Vietnamese locale separates fields with ``;``. The separator that splits the
    most sample lines into the same number of fields wins; ties go to the comma.
    """
    sample = text.splitlines()[:50]
    best = max((",", ";", "\t"), key=lambda d: _score(sample, d))
    return best if _score(sample, best) else ","


def read_csv(path: Path) -> list[Sheet]:
    """Read a CSV file (UTF-8, with or without BOM) as one sheet named after the file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable(
            path,
            "tệp CSV phải lưu bằng mã UTF-8 (trong Excel: Lưu thành → “CSV UTF-8”)",
            "the CSV file must be UTF-8",
        ) from None
    text = text.replace("\x00", "")  # PostgreSQL cannot store NUL; no figure or name needs it
    delimiter = sniff_delimiter(text)
    try:
        rows: list[list[CellValue]] = [
            [nfc(v) if v.strip() else None for v in fields]
            for fields in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise _unreadable(path, f"tệp CSV sai định dạng: {exc}", f"malformed CSV: {exc}") from None
    return [Sheet(path.stem, rows, delimiter)]


# --- XLSX -------------------------------------------------------------------------------------

_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def is_percent_format(number_format: str) -> bool:
    """True when Excel shows the cell multiplied by 100 with a percent sign.

    A ``%`` inside quotes or escaped (``0.00"%"``, ``0.0\\%``) is a literal sign
    that does not scale the value, so it does not count.
    """
    return "%" in _QUOTED.sub("", number_format)


def _cell_value(value: Any, percent: bool) -> CellValue:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        if percent:
            # 0.3584 × 100 is 35.839999999999996 in binary floating point; 12 significant
            # digits give back the figure the official typed.
            scaled = value * 100
            return scaled if isinstance(scaled, int) else float(f"{scaled:.12g}")
        return value
    if value is None:
        return None
    return str(value)  # times and durations: kept as text, reported if a number was expected


def _fill_merged(rows: list[list[CellValue]], ranges: list[str]) -> None:
    """Copy each merged range's top-left value into the rest of the range, inside the grid."""
    width = max((len(r) for r in rows), default=0)
    for ref in ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col is None or min_row is None or min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col <= len(top) else None
        if value is None:
            continue
        for r in range(min_row, min((max_row or min_row), len(rows)) + 1):
            cells = rows[r - 1]
            last = min(max_col or min_col, width)
            if len(cells) < last:
                cells.extend([None] * (last - len(cells)))
            for c in range(min_col, last + 1):
                cells[c - 1] = value


def _stream_sheet(workbook: Any, worksheet: Any) -> tuple[list[list[CellValue]], list[str]]:
    """Cells and merged ranges of a read-only sheet, in one pass over its XML.

    openpyxl's public read-only cells know neither merged ranges nor (cheaply) their
    number format, and a full load takes eight times the memory; its worksheet parser
    gives both while streaming, so it is used directly (openpyxl is pinned below 4).
    """
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
    from openpyxl.worksheet._reader import WorkSheetParser

    percent_styles: dict[int, bool] = {}

    def is_percent(style_id: int) -> bool:
        if style_id not in percent_styles:
            fmt_id = workbook._cell_styles[style_id].numFmtId
            fmt = (
                BUILTIN_FORMATS.get(fmt_id, "General")
                if fmt_id < BUILTIN_FORMATS_MAX_SIZE
                else workbook._number_formats[fmt_id - BUILTIN_FORMATS_MAX_SIZE]
            )
            percent_styles[style_id] = is_percent_format(fmt)
        return percent_styles[style_id]

    rows: list[list[CellValue]] = []
    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for index, cells in parser.parse():
            while len(rows) < index - 1:
                rows.append([])
            row: list[CellValue] = []
            for cell in cells:
                column = cell["column"]
                if len(row) < column - 1:
                    row.extend([None] * (column - 1 - len(row)))
                value = cell["value"]
                style = cell["style_id"]
                row.append(_cell_value(value, bool(style) and value is not None and is_percent(style)))
            rows.append(row)
        merged = parser.merged_cells
    return rows, [m.ref for m in merged.mergeCell] if merged is not None else []


def read_xlsx(path: Path) -> list[Sheet]:
    """Read every worksheet of an XLSX workbook (cached formula results, not formulas)."""
    from openpyxl import load_workbook

    # A damaged or foreign file can make openpyxl or zipfile raise almost anything;
    # all of it means the same to the user: this is not a workbook chiso can read.
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise _unreadable(
            path,
            f"không đọc được tệp Excel (.xlsx): {type(exc).__name__}",
            f"cannot read the Excel workbook: {exc}",
        ) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows, merged = _stream_sheet(workbook, worksheet)
            _fill_merged(rows, merged)
            sheets.append(Sheet(nfc(worksheet.title), rows))
        return sheets
    except Exception as exc:
        raise _unreadable(
            path,
            f"tệp Excel bị hỏng, không đọc được: {type(exc).__name__}",
            f"the workbook is damaged: {exc}",
        ) from None
    finally:
        workbook.close()


# --- finding the table in a sheet -----------------------------------------------------------

_HEADER_SCAN = 50  # a header row further down than this is not a header
_YEARS = range(1900, 2101)
_UNIT = {"don vi tinh", "dvt", "unit", "don vi do"}
_LONG_ALIASES = {**HEADER_ALIASES, "unit": _UNIT}
_WIDE_ALIASES = {
    "indicator": HEADER_ALIASES["indicator"]
    | {"ma", "code", "ma so", "ten chi tieu", "ten chi so", "noi dung", "chi tieu chu yeu", "name"},
    "unit": _UNIT | {"don vi"},
    "area": (HEADER_ALIASES["area"] - {"don vi"})
    | {"dia phuong", "ma xa", "ten xa", "xa phuong", "don vi hanh chinh", "ten dia ban", "ten don vi"},
    **{role: HEADER_ALIASES[role] for role in ("status", "source", "note", "url")},
}
_STATUS_WORDS = re.compile(r"\b(uoc tinh|uoc thuc hien|uoc th|uoc|so bo|chinh thuc|thuc hien|th)\b")
_NOT_DATA = {"stt", "tt", "so tt", "so thu tu"}


@dataclass(frozen=True)
class Table:
    """Where a sheet's table is and what its columns mean."""

    sheet: str
    layout: str  # "long" or "wide"
    header_top: int
    header_row: int
    columns: dict[str, list[int]]  # role → columns (1-based), best first
    periods: dict[int, tuple[Period, DataStatus | None]] = field(default_factory=dict)
    ignored: tuple[tuple[int, str], ...] = ()  # columns of a wide table that are not periods


def cell_text(value: CellValue) -> str:
    """A cell as trimmed text; a whole number without its ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_key(value: CellValue) -> str:
    """A header or name folded for matching: no accents, single spaces, no footnote marks."""
    text = fold(cell_text(value)).replace("_", " ").replace("(*)", " ").replace("*", " ")
    return " ".join(text.split()).strip(" :.")


def period_header(value: CellValue) -> tuple[Period, DataStatus | None] | None:
    """A period and the status written with it ("Ước 2026" → 2026, estimate), or ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        if float(value).is_integer() and int(value) in _YEARS:
            return Period.annual(int(value)), None
        return None
    if not isinstance(value, str):
        return None
    text = header_key(value)
    words = set(_STATUS_WORDS.findall(text))
    status = None
    if any(w.startswith("uoc") for w in words):
        status = DataStatus.ESTIMATE
    elif "so bo" in words:
        status = DataStatus.PRELIMINARY
    elif words:
        status = DataStatus.FINAL
    rest = " ".join(re.sub(r"[()\[\],;:]", " ", _STATUS_WORDS.sub(" ", text)).split()).strip(" -")
    try:
        period = parse_period(rest)
    except ChisoError:
        return None
    return (period, status) if period.year in _YEARS else None


def _roles(
    texts: Sequence[CellValue], aliases: dict[str, set[str]], skip: Collection[int] = ()
) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for column, value in enumerate(texts, start=1):
        if column in skip:
            continue
        key = header_key(value)
        for role, names in aliases.items():
            if key in names:
                found.setdefault(role, []).append(column)
                break
    return found


def detect_table(sheet: Sheet) -> Table | None:
    """Find the header of a long or wide table in the first rows of a sheet."""
    for r in range(1, min(len(sheet.rows), _HEADER_SCAN) + 1):
        cells = sheet.rows[r - 1]
        long_roles = _roles(cells, _LONG_ALIASES)
        if {"indicator", "period", "value"} <= long_roles.keys():
            return Table(sheet.name, "long", r, r, long_roles)
        periods = {c: p for c, v in enumerate(cells, start=1) if (p := period_header(v)) is not None}
        if not periods:
            continue
        roles: dict[str, list[int]] = {}
        headers: dict[int, str] = {}
        top = r
        for above in range(r, max(r - 3, 0), -1):  # the header may span rows; the nearest wins
            row = sheet.rows[above - 1]
            for role, cols in _roles(row, _WIDE_ALIASES, periods).items():
                for c in cols:
                    if c not in headers:
                        roles.setdefault(role, []).append(c)
                        headers[c] = header_key(row[c - 1])
                        top = min(top, above)
        if "indicator" not in roles:
            continue
        # A code column ("Mã chỉ số") is tried before a name column.
        roles["indicator"].sort(key=lambda c: not headers[c].startswith(("ma", "code")))
        used = headers.keys() | periods.keys()
        ignored = tuple(
            (c, cell_text(v))
            for c, v in enumerate(cells, start=1)
            if c not in used and cell_text(v) and header_key(v) not in _NOT_DATA
        )
        return Table(sheet.name, "wide", top, r, roles, periods, ignored)
    return None


READERS: dict[str, Callable[[Path], list[Sheet]]] = {
    ".csv": read_csv,
    ".txt": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
}


def read_table(path: Path | str) -> list[Sheet]:
    """Read a CSV file or an XLSX workbook into sheets; raise :class:`InvalidFile` if unreadable."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise _unreadable(
            path,
            f"không hỗ trợ định dạng “{path.suffix}”; dùng .xlsx hoặc .csv",
            f"unsupported format “{path.suffix}”; use .xlsx or .csv",
        )
    if not path.is_file():
        raise _unreadable(path, "không tìm thấy tệp", "file not found")
    return reader(path)


def write_table(path: Path, sheets: Sequence[Sheet], *, header_rows: Mapping[str, int] | None = None) -> Path:
    """Write sheets to ``path``: CSV (UTF-8 with BOM, for Excel) when it ends in .csv, else XLSX.

    A CSV file holds the rows of every sheet one after the other, separated by the
    first sheet's delimiter. In a workbook, the first ``header_rows[name]`` rows of a
    sheet are bold and the last column is widened (it is meant for messages).
    """
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=(sheets[0].delimiter if sheets else None) or ",")
            for sheet in sheets:
                writer.writerows([["" if v is None else v for v in row] for row in sheet.rows])
        return path
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name[:31])
        for row in sheet.rows:
            ws.append(row)
        for header in ws.iter_rows(max_row=(header_rows or {}).get(sheet.name, 0)):
            for cell in header:
                cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(max(sheet.width, 1))].width = 60
    if not sheets:
        workbook.create_sheet("Sheet1")
    workbook.save(path)
    return path
