"""The long observation format: one row per figure.

Columns ``indicator,area,period,value,status,source,note`` and optionally ``url`` (the
address of the source document). Vietnamese headers such as
``chỉ số, địa bàn, kỳ, giá trị, trạng thái, nguồn, ghi chú`` are accepted. ``area`` is
the official code ("04" for Cao Bằng); ``period`` is ``2026``, ``2026-Q1``,
``2026-H1``, ``2026-M03`` or Vietnamese wording; ``status`` is ước tính / sơ bộ /
chính thức (blank = chính thức). A file with any bad row loads nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from chiso.errors import ChisoError, InvalidFile, Problem
from chiso.indicators import Catalogue
from chiso.numbers import NotANumber, is_blank, parse_number
from chiso.observations import Observation, parse_status
from chiso.periods import parse_period
from chiso.text import fold, nfc

COLUMNS = ("indicator", "area", "period", "value", "status", "source", "note", "url")
HEADER_ALIASES = {
    "indicator": {"indicator", "chi so", "ma chi so", "chi tieu", "ma chi tieu"},
    "area": {"area", "dia ban", "don vi", "ma don vi", "ma dia ban", "ma dvhc"},
    "period": {"period", "ky", "ky so lieu", "thoi ky", "nam"},
    "value": {"value", "gia tri", "so lieu"},
    "status": {"status", "trang thai", "tinh trang so lieu", "loai so lieu"},
    "source": {"source", "nguon", "nguon so lieu"},
    "note": {"note", "ghi chu"},
    "url": {"url", "source url", "duong dan", "lien ket"},
}
REQUIRED = ("indicator", "area", "period", "value")


def normalise_area_code(text: str) -> str:
    """Restore leading zeros a spreadsheet dropped: "4" → "04", "1273" → "01273"."""
    code = text.strip()
    if code.isdigit():
        return code.zfill(2) if len(code) <= 2 else code.zfill(5)
    return code


def _column_map(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = " ".join(fold(name.strip().lstrip("\ufeff")).replace("_", " ").split())
        for column, aliases in HEADER_ALIASES.items():
            if key in aliases and column not in mapping:
                mapping[column] = index
    return mapping


def read_long_csv(path: Path | str, catalogue: Catalogue, *, entered_by: str = "") -> list[Observation]:
    """Read a long-format CSV into observations, or raise :class:`InvalidFile`."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidFile(file, [Problem(file, "tệp", "không tìm thấy tệp", "file not found")]) from None
    except UnicodeDecodeError:
        raise InvalidFile(
            file,
            [Problem(file, "tệp", "tệp phải lưu bằng mã UTF-8", "the file must be UTF-8")],
        ) from None
    rows = list(csv.reader(io.StringIO(nfc(text))))
    if not rows:
        raise InvalidFile(file, [Problem(file, "tệp", "tệp trống", "the file is empty")])
    columns = _column_map(rows[0])
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InvalidFile(
            file,
            [
                Problem(
                    file,
                    "dòng 1 (tiêu đề)",
                    "thiếu cột: " + ", ".join(missing),
                    "missing columns: " + ", ".join(missing),
                    "missing-column",
                )
            ],
        )
    observations: list[Observation] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        def problem(column: str, vi: str, en: str, kind: str, line: int = line) -> None:
            problems.append(Problem(file, f"dòng {line}, cột {column}", vi, en, kind))

        code = cell("indicator")
        if code not in catalogue:
            problem(
                "indicator",
                f"chỉ số “{code}” không có trong danh mục",
                f"unknown indicator “{code}”",
                "unknown-indicator",
            )
        area = normalise_area_code(cell("area"))
        if not area:
            problem("area", "thiếu mã địa bàn", "area code is missing", "missing-value")
        try:
            period = parse_period(cell("period"))
        except ChisoError as exc:
            problem("period", exc.message_vi, exc.message_en, "invalid-period")
            period = None
        raw_value = cell("value")
        value: float | None = None
        if is_blank(raw_value):
            continue  # a blank or "-" cell is "no figure", not an error
        try:
            value = parse_number(raw_value)
        except NotANumber as exc:
            problem("value", str(exc), f"“{raw_value}” is not a number", "invalid-number")
        try:
            status = parse_status(cell("status"))
        except ValueError as exc:
            problem("status", str(exc), f"invalid data status “{cell('status')}”", "invalid-status")
            status = None
        source = cell("source")
        key = (code, area, period.code if period else cell("period"), source)
        if key in seen:
            problem(
                "value",
                f"trùng với dòng {seen[key]} (cùng chỉ số, địa bàn, kỳ, nguồn)",
                f"duplicates row {seen[key]}",
                "duplicate-row",
            )
        seen[key] = line
        if code in catalogue and value is not None:
            indicator = catalogue.get(code)
            low, high = indicator.minimum, indicator.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                problem(
                    "value",
                    f"giá trị {raw_value} ngoài khoảng hợp lệ [{low}; {high}] của chỉ số {code}",
                    f"value {raw_value} outside [{low}, {high}]",
                    "out-of-range",
                )
        if period is None or value is None or status is None or code not in catalogue:
            continue
        observations.append(
            Observation(
                code, area, period, value, status, source, cell("note"), entered_by, source_url=cell("url")
            )
        )
    if problems:
        raise InvalidFile(file, problems)
    return observations


def write_long_csv(path: Path | str, observations: Iterable[Observation]) -> int:
    """Write observations in the long CSV format (UTF-8); return the number of rows."""
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for o in observations:
            writer.writerow(
                [
                    o.indicator,
                    o.area,
                    o.period.code,
                    repr(o.value),
                    o.status.label,
                    o.source,
                    o.note,
                    o.source_url,
                ]
            )
            count += 1
    return count
