"""Importing figures from the spreadsheets officials send: detect the layout, check every
cell, write all or nothing.

Two layouts are recognised in every sheet, without being told which:

- **long**: one row per figure, the columns of :mod:`chiso.io.long_csv`
  (``indicator, area, period, value, status, source, note, url``, or their Vietnamese
  names ``chỉ số, địa bàn, kỳ, giá trị, trạng thái, nguồn, ghi chú``); ``area`` may be
  left out (the province);
- **wide**: the statistics-office table, one row per indicator and one column per
  period ("2024", "Năm 2025", "Ước 2026", "6 tháng đầu năm 2026", "Quý I/2026",
  "2025 (sơ bộ)"), with a "Chỉ tiêu" column (code or Vietnamese name, matched
  accent-folded against the catalogue) and optional "Đơn vị tính", area, status,
  source and note columns. Title rows above the header, section rows ("I. KINH TẾ"),
  notes ("Ghi chú: …"), blank and "-" cells are skipped; a "Nguồn: …" row gives the
  source of every figure of its sheet. Columns whose header is not a period ("Kế
  hoạch 2026", "So sánh (%)") are ignored and listed in the report.

A status written in a period header (ước/ước tính → estimate, sơ bộ → preliminary)
wins over the row's status column; without either a figure is final.

Every problem is a :class:`CellProblem` (a :class:`chiso.errors.Problem` that also
names the sheet, row, column and content). Kinds: ``unknown-indicator``,
``unknown-area``, ``wrong-level``, ``invalid-number``, ``invalid-period``,
``invalid-status``, ``period-frequency``, ``out-of-range``, ``duplicate``, ``no-table``
block the import; kinds starting with ``warning-`` (``warning-outlier``,
``warning-unit-mismatch``, ``warning-unverified-area``) are shown but do not block.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl.utils import get_column_letter

from chiso.areas import Area, find_area
from chiso.errors import Problem
from chiso.indicators import Catalogue, Indicator, Measure
from chiso.io.long_csv import normalise_area_code
from chiso.io.tables import (
    CellValue,
    Sheet,
    Table,
    cell_text,
    detect_table,
    header_key,
    period_header,
    read_table,
    write_table,
)
from chiso.numbers import is_blank, parse_number
from chiso.observations import DataStatus, Observation, effective, parse_status
from chiso.periods import Period, PeriodKind
from chiso.text import fold, format_number

if TYPE_CHECKING:
    from chiso.store.db import Store

WARNING = "warning-"
_FREQUENCY_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}
_OUTLIER_Z = 3.0
_OUTLIER_MIN_VALUES = 4

_FOOTNOTE = re.compile(r"^(?:\(?\*+\)?|(?:ghi chu|chu thich|luu y|note|nguon(?: so lieu)?|source)\s*:)")
_SOURCE_NOTE = re.compile(r"^(?:nguon(?: so lieu)?|source)\s*:")
_NUMBERING = re.compile(r"^(?:[-+*•–—]+|\d+(?:\.\d+)*[.)]?|[a-z][.)]|[ivx]+[.)])\s+")
# Vietnamese spells some syllables with i or y alike ("tỉ lệ" and "tỷ lệ", "qui" and "quy").
_SPELLING = {"ti": "ty", "ki": "ky", "li": "ly", "mi": "my", "si": "sy", "qui": "quy"}


def is_warning(problem: Problem) -> bool:
    """True for a problem that is shown but does not block the import."""
    return problem.kind.startswith(WARNING)


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem located in a table: sheet, 1-based row, column letter and the cell's text."""

    sheet: str = ""
    row: int = 0
    column: str = ""
    content: str = ""


@dataclass(slots=True)
class Figure:
    """One figure read from a table, with the cell it came from."""

    sheet: str
    row: int
    column: int
    indicator: str
    area: str
    period: Period
    value: float
    status: DataStatus
    source: str = ""
    note: str = ""
    url: str = ""
    area_column: int = 0
    content: str = ""

    def observation(self, entered_by: str = "") -> Observation:
        """The observation to store."""
        return Observation(
            self.indicator,
            self.area,
            self.period,
            self.value,
            self.status,
            self.source,
            self.note,
            entered_by,
            source_url=self.url,
        )


def _folded(text: str) -> str:
    return " ".join(fold(text).split())


def _name_key(value: CellValue) -> str:
    text = header_key(value)
    for dash in "–—−":
        text = text.replace(dash, "-")
    text = _NUMBERING.sub("", text).replace(" - ", "-")
    return " ".join(_SPELLING.get(word, word) for word in text.split())


class _Reader:
    """Reads figures out of tables, collecting cell-level problems; lookups are cached per text."""

    def __init__(self, catalogue: Catalogue, province: str, areas: Sequence[Area], file: str) -> None:
        self.catalogue = catalogue
        self.province = province
        self.areas = areas
        self.file = file
        self.problems: list[CellProblem] = []
        self.figures: list[Figure] = []
        self.rows_read = 0
        self._names = {_name_key(i.name): i.code for i in catalogue}
        self._indicators: dict[str, str | None] = {}
        self._periods: dict[str, tuple[Period, DataStatus | None] | None] = {}
        self._area_codes: dict[str, str] = {}

    def problem(
        self, sheet: Sheet, row: int, column: int, kind: str, vi: str, en: str, content: str = ""
    ) -> None:
        """Record a problem at a cell (``column`` 0: the whole row)."""
        where = sheet.ref(row, column) if column else f"{sheet.name}!{row}"
        letter = get_column_letter(column) if column else ""
        self.problems.append(CellProblem(self.file, where, vi, en, kind, sheet.name, row, letter, content))

    def indicator(self, text: str) -> str | None:
        """The catalogue code for a code or a Vietnamese name (accent-folded), or ``None``."""
        if text not in self._indicators:
            code = text.strip()
            code = code if code in self.catalogue else code.lower()
            self._indicators[text] = code if code in self.catalogue else self._names.get(_name_key(text))
        return self._indicators[text]

    def period(self, value: CellValue) -> tuple[Period, DataStatus | None] | None:
        """A period cell of the long layout, read like a period header."""
        key = value if isinstance(value, str) else cell_text(value)
        if key not in self._periods:
            self._periods[key] = None if isinstance(value, dt.date) else period_header(value)
        return self._periods[key]

    def area(self, value: CellValue) -> str:
        """An area code: digits get their leading zeros back, names are looked up folded."""
        text = cell_text(value)
        if text.isdigit():
            return normalise_area_code(text)
        if text not in self._area_codes:
            found = find_area(self.areas, text, parent=self.province) or find_area(self.areas, text)
            self._area_codes[text] = found.code if found else text
        return self._area_codes[text]

    def number(self, sheet: Sheet, row: int, column: int, value: CellValue) -> float | None:
        """A figure, or ``None`` after recording an invalid-number problem."""
        text = cell_text(value)
        try:
            if isinstance(value, bool | dt.date):
                raise ValueError("ô kiểu đúng/sai hoặc ngày tháng, không phải là số")
            number = parse_number(value if isinstance(value, int | float) else text)
            if not math.isfinite(number):
                raise ValueError(f"“{text}” không phải là số hữu hạn")
            return number
        except (ValueError, ArithmeticError) as exc:  # babel may raise decimal errors too
            message = str(exc) if isinstance(exc, ValueError) and str(exc) else f"“{text}” không phải là số"
            self.problem(sheet, row, column, "invalid-number", message, f"“{text}” is not a number", text)
            return None

    def read(self, sheet: Sheet, table: Table) -> None:
        """Read every data row of a table; "Nguồn:" rows give the source of the sheet's figures."""
        sources: list[str] = []
        unsourced: list[Figure] = []
        for r, cells in enumerate(sheet.rows, start=1):
            first = next((v for v in cells if cell_text(v)), None)
            if first is None or table.header_top <= r <= table.header_row:
                continue
            if isinstance(first, str) and _FOOTNOTE.match(_folded(first)):
                if _SOURCE_NOTE.match(_folded(first)):
                    sources.append(first.split(":", 1)[1].strip())
            elif r > table.header_row:
                self.rows_read += 1
                unsourced += [f for f in self._row(sheet, table, r, cells) if not f.source]
        for figure in unsourced:
            figure.source = "; ".join(sources)

    def _row(self, sheet: Sheet, table: Table, r: int, cells: list[CellValue]) -> list[Figure]:
        at: dict[str, int] = {}  # the column each role was last read from, for messages

        def cell(role: str) -> CellValue:
            for c in table.columns.get(role, ()):  # "Mã địa bàn" first, then "Tên địa bàn"
                if c <= len(cells) and cell_text(cells[c - 1]):
                    at[role] = c
                    return cells[c - 1]
            return None

        if table.layout == "wide":
            values = [
                (c, cells[c - 1], p)
                for c, p in table.periods.items()
                if c <= len(cells) and not is_blank(cell_text(cells[c - 1]))
            ]
        else:
            value, raw_period = cell("value"), cell("period")
            if is_blank(cell_text(value)):
                return []
            parsed = self.period(raw_period)
            if parsed is None:
                text = cell_text(raw_period)
                self.problem(
                    sheet,
                    r,
                    at.get("period", table.columns["period"][0]),
                    "invalid-period",
                    (f"không hiểu kỳ số liệu “{text}”" if text else "thiếu kỳ số liệu")
                    + " (ví dụ hợp lệ: 2026, Ước 2026, 2026-Q1, Quý I/2026, 6 tháng đầu năm 2026)",
                    f"cannot read period “{text}”",
                    text,
                )
                return []
            values = [(at["value"], value, parsed)]
        if not values:
            return []  # a section heading, or a row of "-": no figure
        label = cell_text(cell("indicator"))
        code = next(
            (
                k
                for c in table.columns["indicator"]  # a code column before a name column
                if c <= len(cells) and (k := self.indicator(cell_text(cells[c - 1]))) is not None
            ),
            None,
        )
        if code is None:
            self.problem(
                sheet,
                r,
                at.get("indicator", table.columns["indicator"][0]),
                "unknown-indicator",
                f"chỉ số “{label}” không có trong danh mục (ghi mã hoặc tên như trong danh mục chỉ số)"
                if label
                else "thiếu mã hoặc tên chỉ số",
                f"unknown indicator “{label}”",
                label,
            )
        unit = cell_text(cell("unit"))
        expected = self.catalogue.get(code).unit if code is not None else ""
        if unit and expected and header_key(unit).replace(" ", "") != header_key(expected).replace(" ", ""):
            self.problem(
                sheet,
                r,
                at["unit"],
                WARNING + "unit-mismatch",
                f"đơn vị tính “{unit}” khác đơn vị “{expected}” của chỉ số trong danh mục; "
                "kiểm tra số liệu có cùng đơn vị",
                f"unit “{unit}” differs from the catalogue unit “{expected}”",
                unit,
            )
        status_text = cell_text(cell("status"))
        try:
            row_status = parse_status(status_text) if status_text else None
        except ValueError as exc:
            self.problem(sheet, r, at["status"], "invalid-status", str(exc), "invalid status", status_text)
            return []
        area_text = cell_text(cell("area"))
        area = self.area(area_text) if area_text else self.province
        source, note, url = cell_text(cell("source")), cell_text(cell("note")), cell_text(cell("url"))
        figures = []
        for column, raw, (period, header_status) in values:
            number = self.number(sheet, r, column, raw)
            if number is not None and code is not None:
                status = header_status or row_status or DataStatus.FINAL
                figure = Figure(sheet.name, r, column, code, area, period, number, status, source, note, url)
                figure.area_column, figure.content = at.get("area", 0), cell_text(raw)
                figures.append(figure)
        self.figures += figures
        return figures


@dataclass
class Validation:
    """Figures read from a file and every problem found in them."""

    file: str
    tables: list[Table]
    figures: list[Figure]
    problems: list[Problem]
    rows_read: int

    @property
    def errors(self) -> list[Problem]:
        """The problems that block the import."""
        return [p for p in self.problems if not is_warning(p)]

    @property
    def warnings(self) -> list[Problem]:
        """The problems shown without blocking."""
        return [p for p in self.problems if is_warning(p)]

    @property
    def refused_rows(self) -> set[tuple[str, int]]:
        """``(sheet, row)`` of every row with a blocking problem."""
        return {(p.sheet, p.row) for p in self.errors if isinstance(p, CellProblem) and p.row}

    def valid_figures(self) -> list[Figure]:
        """The figures of the rows without blocking problems."""
        refused = self.refused_rows
        return [f for f in self.figures if (f.sheet, f.row) not in refused]

    @property
    def ignored_columns(self) -> list[str]:
        """Columns of wide tables that hold no periods, e.g. ``Sheet1!F5 “Kế hoạch 2026”``."""
        return [
            f"{t.sheet}!{get_column_letter(c)}{t.header_row} “{text}”"
            for t in self.tables
            for c, text in t.ignored
        ]


Issue = tuple[str, str, str]  # kind, Vietnamese message, English message
_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
_PER = {"year": "năm", "half": "6 tháng", "quarter": "quý", "month": "tháng"}


def _area_issue(f: Figure, province: str, areas: dict[str, Area], warned: set[str]) -> Issue | None:
    if f.area in areas or f.area == province:
        return None
    if areas or not (len(f.area) == 5 and f.area.isdigit()):
        vi = f"địa bàn “{f.area}” không có trong danh sách đơn vị hành chính"
        return ("unknown-area", vi, f"unknown area “{f.area}”")
    if f.area in warned:
        return None
    warned.add(f.area)  # without an area list, a 5-digit code is taken on trust, said once
    vi = f"chưa có danh sách đơn vị hành chính để kiểm tra mã xã “{f.area}”"
    return (WARNING + "unverified-area", vi, f"area “{f.area}” accepted unchecked: no area list")


def _level_issue(indicator: Indicator, f: Figure, province: str, areas: dict[str, Area]) -> Issue | None:
    known = areas.get(f.area)
    level = "province" if f.area == province or (known is not None and not known.is_commune) else "commune"
    if level in indicator.levels:
        return None
    where = "tỉnh" if level == "province" else f"xã (địa bàn “{f.area}”)"
    vi = f"chỉ số “{indicator.name}” không có số liệu cấp {where}"
    return ("wrong-level", vi, f"indicator {indicator.code} has no {level}-level figures")


def _frequency_issue(indicator: Indicator, f: Figure) -> Issue | None:
    """A period must be a whole number of the indicator's reporting periods, ending on one."""
    step = _FREQUENCY_MONTHS[indicator.frequency]
    months = _MONTHS.get(f.period.kind, f.period.index)
    if months % step == 0 and f.period.end_month % step == 0:
        return None
    vi = (
        f"chỉ số “{indicator.name}” chỉ có số liệu theo {_PER[indicator.frequency]}; "
        f"không nhận số liệu {f.period.label}"
    )
    return ("period-frequency", vi, f"{indicator.code} is reported by {indicator.frequency}, not {f.period}")


def _range_issue(indicator: Indicator, f: Figure) -> Issue | None:
    low, high = indicator.minimum, indicator.maximum
    if (low is None or f.value >= low) and (high is None or f.value <= high):
        return None
    bounds = f"[{format_number(low, 6)}; {format_number(high, 6)}]"
    vi = f"giá trị {format_number(f.value, 6)} ngoài khoảng hợp lệ {bounds} của chỉ số “{indicator.name}”"
    return ("out-of-range", vi, f"value {f.value} outside {bounds} for {indicator.code}")


Stats = tuple[int, float, float, float, float]  # count, mean, standard deviation, min, max


def _series_stats(history: Iterable[Observation]) -> dict[tuple[str, str, PeriodKind], Stats]:
    """Per indicator, area and kind of period: the stored effective series, summarised."""
    series: dict[tuple[str, str, PeriodKind], list[float]] = defaultdict(list)
    for o in effective(history).values():
        series[(o.indicator, o.area, o.period.kind)].append(o.value)
    return {
        key: (len(v), statistics.fmean(v), statistics.pstdev(v), min(v), max(v))
        for key, v in series.items()
        if len(v) >= _OUTLIER_MIN_VALUES
    }


def _outlier_issue(indicator: Indicator, f: Figure, stats: Stats | None) -> Issue | None:
    """DHIS2-style z-score: more than 3 standard deviations from the stored series' mean."""
    if stats is None or indicator.measure not in (Measure.LEVEL, Measure.GROWTH_RATE):
        return None
    n, mean, sd, low, high = stats
    if sd == 0 or abs(f.value - mean) / sd <= _OUTLIER_Z:
        return None
    z = (f.value - mean) / sd
    vi = (
        f"giá trị {format_number(f.value, 6)} khác thường so với {n} số liệu đã có (từ "
        f"{format_number(low, 6)} đến {format_number(high, 6)}, trung bình {format_number(mean, 4)}; "
        f"z = {format_number(z, 1)}); hãy kiểm tra lại"
    )
    return (WARNING + "outlier", vi, f"outlier: z = {z:.1f} against {n} stored values")


def _check(
    reader: _Reader, sheets: dict[str, Sheet], areas: Sequence[Area], history: Iterable[Observation]
) -> None:
    """File-wide checks of the figures read: areas, levels, periods, ranges, duplicates, outliers."""
    by_code = {a.code: a for a in areas}
    stats = _series_stats(history)
    seen: dict[tuple[str, str, Period, DataStatus, str], Figure] = {}
    warned: set[str] = set()
    for f in reader.figures:
        sheet = sheets[f.sheet]
        indicator = reader.catalogue.get(f.indicator)
        issue = _area_issue(f, reader.province, by_code, warned)
        if issue is not None:
            content = f.area if f.area_column else f.content
            reader.problem(sheet, f.row, f.area_column or f.column, *issue, content)
            if not issue[0].startswith(WARNING):
                continue
        first = seen.setdefault((f.indicator, f.area, f.period, f.status, f.source), f)
        duplicate: Issue | None = None
        if first is not f:
            vi = f"trùng với ô {sheets[first.sheet].ref(first.row, first.column)} (cùng chỉ số, địa bàn, kỳ, "
            duplicate = ("duplicate", vi + "trạng thái và nguồn)", "duplicates an earlier cell of the file")
        for issue in (
            _level_issue(indicator, f, reader.province, by_code),
            _frequency_issue(indicator, f),
            _range_issue(indicator, f),
            duplicate,
            _outlier_issue(indicator, f, stats.get((f.indicator, f.area, f.period.kind))),
        ):
            if issue is not None:
                reader.problem(sheet, f.row, f.column, *issue, f.content)


def validate(
    sheets: Sequence[Sheet],
    catalogue: Catalogue,
    *,
    province: str,
    areas: Sequence[Area] = (),
    history: Callable[[list[str]], Iterable[Observation]] | None = None,
    file: str = "",
) -> Validation:
    """Read and check the figures of ``sheets``; no database needed.

    ``areas`` are the known administrative units (when empty, only ``province`` and
    5-digit commune codes, with a warning, are accepted); ``history(codes)`` returns the
    stored observations of those indicators, for the outlier check.
    """
    reader = _Reader(catalogue, province, areas, file)
    tables = []
    for sheet in sheets:
        table = detect_table(sheet)
        if table is not None:
            tables.append(table)
            reader.read(sheet, table)
    if not tables:
        reader.problems.append(
            CellProblem(
                file,
                "tệp",
                "không tìm thấy bảng số liệu: cần một dòng tiêu đề có cột “Chỉ tiêu” và các cột năm/kỳ "
                "(ví dụ 2025, Ước 2026), hoặc các cột “Chỉ số”, “Kỳ”, “Giá trị”",
                "no table found: expected an indicator column and period columns, "
                "or indicator, period and value columns",
                "no-table",
            )
        )
    codes = sorted({f.indicator for f in reader.figures})
    past = history(codes) if history is not None and codes else []
    _check(reader, {s.name: s for s in sheets}, areas, past)
    return Validation(file, tables, reader.figures, list(reader.problems), reader.rows_read)


@dataclass
class ImportReport:
    """What an import found and did: counts, problems and a Vietnamese summary.

    ``rows_read`` counts data rows (not titles, headers, notes or blank rows);
    ``figures`` the values found in them; ``added`` (of which ``revised`` replace a
    different stored value) and ``unchanged`` come from the store.
    """

    file: str
    sha256: str
    validation: Validation
    dry_run: bool = False
    write_valid_rows: bool = False
    written: bool = False
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    error_file: Path | None = None

    @property
    def problems(self) -> list[Problem]:
        """Every problem, blocking or not, in the order of the file."""
        return self.validation.problems

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems."""
        return self.validation.errors

    @property
    def rows_read(self) -> int:
        """Data rows read."""
        return self.validation.rows_read

    @property
    def figures(self) -> int:
        """Figures found."""
        return len(self.validation.figures)

    @property
    def refused(self) -> bool:
        """True when the file had blocking problems and so nothing was written."""
        return bool(self.errors) and not self.write_valid_rows

    @property
    def summary(self) -> str:
        """One Vietnamese sentence: what was written, or why nothing was."""
        errors, warnings = len(self.errors), len(self.validation.warnings)
        if self.refused:
            text = f"Không ghi gì: tệp có {errors} lỗi"
            return text + (f" và {warnings} cảnh báo" if warnings else "")
        if self.added:
            text = f"{self.added - self.revised} giá trị mới; {self.revised} thay đổi"
            text += f"; {self.unchanged} không đổi" if self.unchanged else ""
            text = ("Chạy thử, chưa ghi gì: sẽ nhập " if self.dry_run else "Đã nhập ") + text
        else:
            text = "0 thay đổi" + (f" ({self.unchanged} giá trị đã có, giống hệt)" if self.unchanged else "")
            text = ("Chạy thử, chưa ghi gì: " if self.dry_run else "") + text
        if errors:
            text += f"; bỏ qua {len(self.validation.refused_rows)} dòng có lỗi ({errors} lỗi)"
            text += f", xem {self.error_file}" if self.error_file else ""
        return text + (f"; {warnings} cảnh báo" if warnings else "")


def _obs_key(obs: Observation) -> tuple[str, str, str, str, int]:
    return (obs.indicator, obs.area, obs.period.code, obs.source, int(obs.status))


def _count_revisions(fresh: Sequence[Observation], history: Sequence[Observation]) -> int:
    """How many figures replace a different stored value of the same cell, source and status."""
    newest: dict[tuple[str, str, str, str, int], Observation] = {}
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    for obs in sorted(history, key=lambda o: o.entered_at or oldest):
        newest[_obs_key(obs)] = obs
    revised = 0
    for obs in fresh:
        before = newest.get(_obs_key(obs))
        if before is not None and (
            abs(before.value - obs.value) > 1e-9 * max(1.0, abs(obs.value))
            or before.note != obs.note
            or before.source_url != obs.source_url
        ):
            revised += 1
    return revised


def write_error_file(path: Path, sheets: Sequence[Sheet], validation: Validation) -> Path:
    """Write the refused rows under their table headers, with a "Lỗi" column; return the path.

    The format is the input's: CSV (same separator) for a CSV file, XLSX otherwise.
    """
    messages: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p in validation.errors:
        if isinstance(p, CellProblem) and p.row:
            messages[(p.sheet, p.row)].append(f"{p.column}{p.row}: {p.message_vi}")
    out: list[Sheet] = []
    headers: dict[str, int] = {}
    for table in validation.tables:
        sheet = next(s for s in sheets if s.name == table.sheet)
        refused = sorted(r for s, r in messages if s == sheet.name)
        if not refused:
            continue
        width = sheet.width
        rows: list[list[CellValue]] = []
        for r in [*range(table.header_top, table.header_row + 1), *refused]:
            cells = sheet.rows[r - 1] + [None] * (width - len(sheet.rows[r - 1]))
            rows.append(
                [*cells, "Lỗi" if r == table.header_row else "; ".join(messages.get((sheet.name, r), []))]
            )
        out.append(Sheet(sheet.name, rows, sheet.delimiter))
        headers[sheet.name] = table.header_row - table.header_top + 1
    csv_input = bool(sheets) and sheets[0].delimiter is not None
    return write_table(path.with_suffix(".csv" if csv_input else ".xlsx"), out, header_rows=headers)


def import_file(
    store: Store,
    path: Path | str,
    catalogue: Catalogue,
    *,
    province: str,
    actor: str = "",
    dry_run: bool = False,
    write_valid_rows: bool = False,
    error_file: Path | str | None = None,
) -> ImportReport:
    """Import a workbook or CSV file of figures: all of it, or nothing.

    Any blocking problem refuses the whole file, unless ``write_valid_rows`` asks to
    write the rows without problems. When ``error_file`` is given, the refused rows
    are written there with a "Lỗi" column. ``dry_run`` checks and counts, writing
    nothing to the store. Raises :class:`chiso.errors.InvalidFile` only when the file
    cannot be read at all.
    """
    path = Path(path)
    sheets = read_table(path)
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    stored: list[Observation] = []

    def history(codes: list[str]) -> list[Observation]:
        stored.extend(store.observations(indicators=codes))
        return stored

    validation = validate(
        sheets, catalogue, province=province, areas=store.areas(), history=history, file=str(path)
    )
    report = ImportReport(str(path), sha256, validation, dry_run, write_valid_rows)
    if error_file is not None and validation.refused_rows:
        report.error_file = write_error_file(Path(error_file), sheets, validation)
    if validation.errors and not write_valid_rows:
        return report
    fresh = [f.observation(actor) for f in validation.valid_figures()]
    if not fresh:
        return report
    result = store.add_observations(fresh, actor=actor, file_name=path.name, sha256=sha256, dry_run=dry_run)
    report.added, report.unchanged = result.added, result.unchanged
    report.revised = min(_count_revisions(fresh, stored), result.added)
    report.written = not dry_run
    return report
