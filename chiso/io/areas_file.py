"""Lists of administrative units (provinces and communes) from CSV or Excel files.

Columns, with English or Vietnamese headers (any case, with or without diacritics):

``code`` (mã), ``name`` (tên), ``type`` (loại), ``parent`` (mã tỉnh), ``border``
(biên giới), ``population`` (dân số), ``valid_from`` (hiệu lực từ).

Only ``code`` and ``name`` are required. Codes that a spreadsheet turned into numbers
get their leading zeros back ("4" → "04", "1273" → "01273"). ``type`` is written any
common way ("Xã", "phường", "Đặc khu", "Tỉnh", "Thành phố", "TP"); when the column is
missing or a cell is blank, the type is read from the name ("Phường Thục Phán" →
``phuong``). ``parent`` is the province's code, or its name matched accent-folded
("Thanh Hoá" finds "Tỉnh Thanh Hóa"). ``border`` is có/không, x, 1/0 or true/false.
``valid_from`` is a date such as 2025-07-01 or 01/07/2025.

A file with any bad row loads nothing: every problem is collected and one
:class:`~chiso.errors.InvalidFile` is raised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from chiso.areas import Area, find_area, normalise_type
from chiso.errors import InvalidFile, Problem
from chiso.io.long_csv import normalise_area_code
from chiso.numbers import NotANumber, is_blank, parse_number
from chiso.text import fold, nfc

COLUMNS = ("code", "name", "type", "parent", "border", "population", "valid_from")
REQUIRED = ("code", "name")
_REQUIRED_VI = {"code": "mã (code)", "name": "tên (name)"}
HEADER_ALIASES = {
    "code": {"code", "ma", "ma so", "ma don vi", "ma dvhc", "ma don vi hanh chinh", "ma xa"},
    "name": {"name", "ten", "ten don vi", "ten dvhc", "ten don vi hanh chinh"},
    "type": {"type", "loai", "loai don vi", "cap"},
    "parent": {"parent", "ma tinh", "tinh", "tinh thanh pho", "ma cap tren", "cap tren", "parent code"},
    "border": {"border", "bien gioi", "xa bien gioi"},
    "population": {"population", "dan so", "so dan"},
    "valid_from": {"valid from", "hieu luc tu", "hieu luc", "ngay hieu luc", "tu ngay"},
}
_PROVINCIAL = {"tinh", "thanh_pho"}
_TYPE_ALIASES = {"tp": "thanh pho", "tp.": "thanh pho", "thanh pho truc thuoc trung uong": "thanh pho"}
# Type words a name may open with, folded, longest first.
_NAME_TYPES = (
    ("thanh pho ", "thanh_pho"),
    ("dac khu ", "dac_khu"),
    ("phuong ", "phuong"),
    ("tinh ", "tinh"),
    ("tp. ", "thanh_pho"),
    ("tp ", "thanh_pho"),
    ("xa ", "xa"),
)
_TRUE = {"true", "co", "x", "1", "yes", "y", "c", "dung"}
_FALSE = {"false", "khong", "0", "no", "n", "k", "sai", ""}
_DATE_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_HEADER_SEARCH_ROWS = 10  # a title or a note may sit above the header row
BUNDLED = "data/areas"


@dataclass(frozen=True)
class TableRow:
    """One row of a table as a reader returns it: its line number (from 1) and its cells.

    Cells are whatever the format holds: text, numbers, dates or ``None``.
    """

    line: int
    cells: tuple[object, ...]


Reader = Callable[[Path], list[TableRow]]
"""Reads a file's first table; raises :class:`~chiso.errors.InvalidFile` if it cannot."""


def _file_problem(file: str, vi: str, en: str, kind: str = "invalid-file") -> InvalidFile:
    return InvalidFile(file, [Problem(file, "tệp", vi, en, kind)])


def _rows_from_csv(path: Path) -> list[TableRow]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_problem(str(path), "tệp phải lưu bằng mã UTF-8", "the file must be UTF-8") from None
    return [TableRow(n, tuple(r)) for n, r in enumerate(csv.reader(io.StringIO(nfc(text))), start=1)]


def _rows_from_xlsx(path: Path) -> list[TableRow]:
    import openpyxl  # type: ignore[import-untyped, unused-ignore]

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _file_problem(
            str(path), f"không mở được tệp Excel ({exc})", f"cannot open the workbook ({exc})"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [TableRow(n, tuple(r)) for n, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


# One registry of table formats, keyed by file suffix.
READERS: dict[str, Reader] = {".csv": _rows_from_csv, ".xlsx": _rows_from_xlsx, ".xlsm": _rows_from_xlsx}


def _text(value: object) -> str:
    """A cell as text: numbers without a trailing ".0", dates as ISO, NFC strings."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(nfc(str(value)).split())


def _header_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text.lstrip("\ufeff"))).split())


def _column_map(cells: Iterable[object]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _header_key(_text(cell))
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in mapping:
                mapping[column] = index
    return mapping


def _find_header(rows: list[TableRow]) -> tuple[int, dict[str, int]] | None:
    for position, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns = _column_map(row.cells)
        if all(c in columns for c in REQUIRED):
            return position, columns
    return None


def _restore_code(text: str, kind: str | None) -> str:
    """Put back the leading zeros a spreadsheet dropped, by the unit's level.

    The level decides, not the length: Hà Nội's Phường Ba Đình is 00004, which Excel
    shows as 4, the same as Cao Bằng's province code 04.
    """
    code = text.strip()
    if not code.isdigit() or kind is None:
        return normalise_area_code(code)
    return code.zfill(2) if kind in _PROVINCIAL else code.zfill(5)


def _type_from_name(name: str) -> str | None:
    folded = " ".join(fold(name).split()) + " "
    for prefix, code in _NAME_TYPES:
        if folded.startswith(prefix):
            return code
    return None


def _parse_type(text: str) -> str:
    key = " ".join(fold(text).replace("_", " ").split())
    return normalise_type(_TYPE_ALIASES.get(key, text))


def _parse_bool(text: str) -> bool:
    key = " ".join(fold(text).split())
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(text)


def _parse_population(text: str) -> int:
    value = parse_number(text)
    if value < 0 or not value.is_integer():
        raise NotANumber(f"dân số “{text}” phải là số nguyên không âm")
    return int(value)


def _parse_date(text: str) -> dt.date:
    m = _DATE_DMY.match(text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    return dt.date.fromisoformat(text)


@dataclass
class _Draft:
    """A row that passed the cell checks, before the checks across rows."""

    line: int
    area: Area
    parent_text: str


def read_areas(path: Path | str, *, known: Iterable[Area] = ()) -> list[Area]:
    """Read a list of provinces and communes from a CSV or Excel (.xlsx) file.

    Every commune must name a province found in the same file or in ``known`` (the
    areas already loaded); every problem in the file is reported at once by raising
    :class:`~chiso.errors.InvalidFile`, and nothing is returned then.

    Example::

        areas = read_areas("don-vi-hanh-chinh.xlsx")
    """
    path = Path(path)
    file = str(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise _file_problem(
            file,
            f"không đọc được loại tệp “{path.suffix}”; dùng: " + ", ".join(sorted(READERS)),
            f"unsupported file type “{path.suffix}”",
            "unsupported-format",
        )
    if not path.is_file():
        raise _file_problem(file, "không tìm thấy tệp", "file not found", "file-not-found")
    rows = reader(path)
    found = _find_header(rows)
    if found is None:
        header = rows[0].cells if rows else ()
        missing = [c for c in REQUIRED if c not in _column_map(header)]
        raise InvalidFile(
            file,
            [
                Problem(
                    file,
                    "dòng 1 (tiêu đề)",
                    "thiếu cột: " + ", ".join(_REQUIRED_VI[c] for c in missing),
                    "missing columns: " + ", ".join(missing),
                    "missing-column",
                )
            ],
        )
    position, columns = found
    headers = {column: _text(rows[position].cells[index]) for column, index in columns.items()}
    problems: list[Problem] = []
    drafts = list(_read_rows(file, rows[position + 1 :], columns, headers, problems))
    areas = _check_across_rows(file, drafts, list(known), headers, problems)
    if problems:
        raise InvalidFile(file, problems)
    return areas


def _read_rows(
    file: str,
    rows: list[TableRow],
    columns: dict[str, int],
    headers: dict[str, str],
    problems: list[Problem],
) -> Iterator[_Draft]:
    for row in rows:
        if not any(_text(c) for c in row.cells):
            continue

        def cell(column: str, row: TableRow = row) -> str:
            index = columns.get(column)
            return _text(row.cells[index]) if index is not None and index < len(row.cells) else ""

        def problem(column: str, vi: str, en: str, kind: str, line: int = row.line) -> None:
            problems.append(Problem(file, f"dòng {line}, cột {headers.get(column, column)}", vi, en, kind))

        before = len(problems)
        name = cell("name")
        if not name:
            problem("name", "thiếu tên đơn vị", "the name is missing", "missing-value")
        kind: str | None = None
        written = cell("type")
        if written:
            try:
                kind = _parse_type(written)
            except ValueError as exc:
                problem("type", str(exc), f"unknown unit type “{written}”", "invalid-type")
        elif name:
            kind = _type_from_name(name)
            if kind is None:
                column = "type" if "type" in columns else "name"
                problem(
                    column,
                    f"không biết loại đơn vị của “{name}”: ghi cột loại hoặc mở tên bằng "
                    "Tỉnh, Thành phố, Xã, Phường, Đặc khu",
                    f"cannot tell the unit type of “{name}”",
                    "invalid-type",
                )
        code = _restore_code(cell("code"), kind)
        if not code:
            problem("code", "thiếu mã đơn vị", "the code is missing", "missing-value")
        elif not code.isdigit() or len(code) > 5:
            problem(
                "code",
                f"mã “{code}” không hợp lệ (mã tỉnh 2 chữ số, mã xã 5 chữ số)",
                f"invalid code “{code}”",
                "invalid-code",
            )
        elif kind and (len(code) == 2) != (kind in _PROVINCIAL):
            problem(
                "code",
                f"mã “{code}” không khớp loại đơn vị (tỉnh: 2 chữ số, xã: 5 chữ số)",
                f"code “{code}” does not fit the unit type",
                "invalid-code",
            )
        try:
            border = _parse_bool(cell("border"))
        except ValueError:
            problem(
                "border",
                f"“{cell('border')}” không phải có/không",
                f"“{cell('border')}” is not yes/no",
                "invalid-boolean",
            )
            border = False
        population: int | None = None
        raw_population = cell("population")
        if not is_blank(raw_population):
            try:
                population = _parse_population(raw_population)
            except NotANumber as exc:
                problem(
                    "population", str(exc), f"“{raw_population}” is not a population count", "invalid-number"
                )
        valid_from: dt.date | None = None
        raw_date = cell("valid_from")
        if raw_date:
            try:
                valid_from = _parse_date(raw_date)
            except ValueError:
                problem(
                    "valid_from",
                    f"ngày “{raw_date}” không hợp lệ (ví dụ: 2025-07-01 hoặc 01/07/2025)",
                    f"invalid date “{raw_date}”",
                    "invalid-date",
                )
        if len(problems) > before or kind is None:
            continue
        area = Area(code, name, kind, None, border, population, valid_from)
        yield _Draft(row.line, area, cell("parent"))


def _check_across_rows(
    file: str, drafts: list[_Draft], known: list[Area], headers: dict[str, str], problems: list[Problem]
) -> list[Area]:
    """Duplicate codes and parents: checks that need the whole file."""
    first_line: dict[str, int] = {}
    for draft in drafts:
        code = draft.area.code
        if code in first_line:
            problems.append(
                Problem(
                    file,
                    f"dòng {draft.line}, cột {headers['code']}",
                    f"mã “{code}” trùng với dòng {first_line[code]}",
                    f"code “{code}” repeats row {first_line[code]}",
                    "duplicate-code",
                )
            )
        else:
            first_line[code] = draft.line
    provinces = [d.area for d in drafts if d.area.type in _PROVINCIAL] + [
        a for a in known if a.type in _PROVINCIAL
    ]
    where_parent = headers.get("parent", "parent")
    areas: list[Area] = []
    for draft in drafts:
        area, text = draft.area, draft.parent_text
        where = f"dòng {draft.line}, cột {where_parent}"
        if area.type in _PROVINCIAL:
            if text:
                problems.append(
                    Problem(
                        file,
                        where,
                        "đơn vị cấp tỉnh không có đơn vị cấp trên",
                        "a province has no parent",
                        "invalid-parent",
                    )
                )
            areas.append(area)
            continue
        if not text:
            problems.append(
                Problem(
                    file,
                    where,
                    f"thiếu mã tỉnh của “{area.name}”",
                    "the province is missing",
                    "missing-value",
                )
            )
            continue
        parent = find_area(provinces, normalise_area_code(text))
        if parent is None:
            problems.append(
                Problem(
                    file,
                    where,
                    f"không có tỉnh “{text}” trong danh sách",
                    f"unknown province “{text}”",
                    "unknown-parent",
                )
            )
            continue
        areas.append(
            Area(area.code, area.name, area.type, parent.code, area.border, area.population, area.valid_from)
        )
    return areas


def bundled_areas(province: str) -> list[Area]:
    """The unit list shipped with chiso for a province code ("04"), or ``[]`` if none is.

    The lists and their sources are described in ``chiso/data/areas/README.md``.
    """
    code = normalise_area_code(province)
    folder = resources.files("chiso").joinpath(BUNDLED)
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(f"{code}-") and entry.name.endswith(".csv"):
            with resources.as_file(entry) as path:
                return read_areas(path)
    return []
