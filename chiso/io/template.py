"""An Excel template for the figures a resolution needs, in the wide layout the importer reads.

One row per indicator the resolution's targets read (a derived indicator is replaced
by the indicators it is computed from, since those are what offices report), one
column per year, then the status, source and note columns. Commune-level indicators
get one row per commune when the communes are known. A second sheet, "Hướng dẫn",
tells the person filling it what to write where. Filled in, the file imports with
:func:`chiso.io.importer.import_file` without problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chiso.areas import Area
from chiso.indicators import Catalogue, Indicator
from chiso.targets import Resolution

SHEET = "Số liệu"
GUIDE = "Hướng dẫn"
STATUSES = ("chính thức", "sơ bộ", "ước tính")
_FIRST = ("STT", "Mã chỉ số", "Tên chỉ số", "Đơn vị tính", "Mã địa bàn", "Tên địa bàn")
_LAST = ("Trạng thái", "Nguồn số liệu", "Ghi chú")
_WIDTHS = (6, 30, 60, 16, 12, 24)
_HEADER_ROW = 5
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def parse_years(text: str) -> list[int]:
    """Years from "2025-2030", "2025–2030" or "2024,2025"; ``ValueError`` (Vietnamese) otherwise."""
    cleaned = text.replace("–", "-").replace(" ", "")
    try:
        if "-" in cleaned:
            first, last = (int(part) for part in cleaned.split("-", 1))
            years = list(range(first, last + 1))
        else:
            years = [int(part) for part in cleaned.split(",") if part]
    except ValueError:
        raise ValueError(f"không hiểu dãy năm “{text}”; ví dụ: 2025-2030 hoặc 2024,2025") from None
    if not years or len(years) > 50 or any(not 1900 <= y <= 2100 for y in years):
        raise ValueError(f"dãy năm “{text}” không hợp lệ (1 đến 50 năm, trong khoảng 1900–2100)")
    return years


def template_indicators(resolution: Resolution, catalogue: Catalogue) -> list[Indicator]:
    """The observed indicators behind the resolution's targets, in the order of the file."""
    found: list[Indicator] = []

    def add(code: str) -> None:
        inputs = catalogue.inputs_of(code)
        if inputs:
            for name in sorted(inputs):
                add(name)
        elif all(i.code != code for i in found):
            found.append(catalogue.get(code))

    for target in resolution.targets:
        add(target.indicator)
    return found


def _rows(
    indicators: Sequence[Indicator], province: str, province_name: str, areas: Sequence[Area]
) -> list[tuple[Indicator, str, str]]:
    """``(indicator, area code, area name)`` for every row of the template."""
    communes = [a for a in areas if a.is_commune and a.parent == province]
    rows: list[tuple[Indicator, str, str]] = []
    for indicator in indicators:
        if "province" in indicator.levels:
            rows.append((indicator, province, province_name))
        elif communes:
            rows.extend((indicator, a.code, a.name) for a in communes)
        else:
            # Left as the area name, this hint fails the import as an unknown area
            # until someone writes the commune's code: better than a silent province row.
            rows.append((indicator, "", "(ghi mã xã; mỗi xã một dòng)"))
    return rows


def _guide(years: Sequence[int], province: str) -> list[str]:
    first, last = years[0], years[-1]
    return [
        "HƯỚNG DẪN ĐIỀN BIỂU SỐ LIỆU",
        "",
        f"1. Trang “{SHEET}” có mỗi chỉ số một dòng, mỗi năm một cột ({first}–{last}). "
        "Ghi số liệu vào ô giao của dòng chỉ số và cột năm.",
        "2. Không sửa cột Mã chỉ số, Tên chỉ số, Đơn vị tính; không xóa, không đổi tên các cột. "
        "Có thể xóa những dòng không có số liệu.",
        "3. Ghi số theo kiểu Việt Nam (1.462,5 hoặc 35,84) hoặc nhập số bình thường trong Excel. "
        "Tỷ lệ ghi theo phần trăm: 35,84 (hoặc định dạng ô là % thì nhập 35,84%). "
        "Ghi đúng đơn vị tính của dòng.",
        "4. Ô chưa có số liệu để trống hoặc ghi dấu “-”: không phải là lỗi.",
        "5. Cột Trạng thái: chọn chính thức, sơ bộ hoặc ước tính (để trống là chính thức). "
        "Nếu chỉ riêng một năm là số ước tính, sửa tiêu đề cột năm đó thành “Ước "
        f"{last}” (hoặc “{last} (sơ bộ)”); trạng thái ghi ở tiêu đề cột được ưu tiên.",
        "6. Cột Nguồn số liệu: ghi cơ quan, văn bản công bố số liệu (ví dụ: Cục Thống kê tỉnh, "
        "Báo cáo số …/BC-UBND). Có thể ghi một dòng “Nguồn: …” ở cuối bảng để áp dụng cho "
        "mọi dòng không ghi nguồn.",
        f"7. Cột Mã địa bàn: {province} là toàn tỉnh. Chỉ số cấp xã ghi mỗi xã một dòng với mã xã "
        "(5 chữ số, theo danh mục đơn vị hành chính); cột Tên địa bàn chỉ để đọc, dùng khi "
        "không ghi mã.",
        "8. Dòng bắt đầu bằng “Ghi chú:” được bỏ qua khi nhập.",
        "9. Nhập tệp: chiso import <tệp>.xlsx --dry-run để kiểm tra trước, rồi chạy lại không có "
        "--dry-run để ghi. Tệp có lỗi thì không ghi gì; danh sách lỗi ghi rõ ô (ví dụ Số liệu!F7).",
    ]


def write_template(
    path: Path | str,
    resolution: Resolution,
    catalogue: Catalogue,
    *,
    years: Sequence[int],
    province: str,
    areas: Sequence[Area] = (),
) -> Path:
    """Write the data-entry workbook for ``resolution`` to ``path`` and return the path.

    ``areas`` (optional) are the known units: commune-level indicators get one row per
    commune of ``province``.
    """
    path = Path(path)
    header = [*_FIRST, *(str(y) for y in years), *_LAST]
    last_col = get_column_letter(len(header))
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook has one sheet
    ws.title = SHEET
    ws["A1"] = "BIỂU NHẬP SỐ LIỆU THEO DÕI THỰC HIỆN CHỈ TIÊU NGHỊ QUYẾT"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = resolution.title
    ws["A2"].font = Font(italic=True)
    ws["A3"] = (
        f"Địa bàn: {resolution.province_name or province} (mã {province}); năm {years[0]}–{years[-1]}. "
        f"Xem cách điền ở trang “{GUIDE}”."
    )
    for row in (1, 2, 3):
        ws.merge_cells(f"A{row}:{last_col}{row}")
    ws.row_dimensions[2].height = 32
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    fill = PatternFill("solid", fgColor="1F4E78")
    for column, text in enumerate(header, start=1):
        cell = ws.cell(_HEADER_ROW, column, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    ws.row_dimensions[_HEADER_ROW].height = 30
    status_col = len(_FIRST) + len(years) + 1
    name = resolution.province_name or next((a.name for a in areas if a.code == province), "Toàn tỉnh")
    rows = _rows(template_indicators(resolution, catalogue), province, name, areas)
    for number, (indicator, area, area_name) in enumerate(rows, start=1):
        r = _HEADER_ROW + number
        values: list[str | int] = [number, indicator.code, indicator.name, indicator.unit, area, area_name]
        for column, value in enumerate(values, start=1):
            ws.cell(r, column, value).border = _BORDER
        ws.cell(r, 5).number_format = "@"  # keep the leading zero of "04"
        for column in range(len(_FIRST) + 1, len(header) + 1):
            ws.cell(r, column).border = _BORDER
        ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="top")
    if rows:
        choices = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True)
        choices.error = "Chọn: " + ", ".join(STATUSES)
        ws.add_data_validation(choices)
        letter = get_column_letter(status_col)
        choices.add(f"{letter}{_HEADER_ROW + 1}:{letter}{_HEADER_ROW + len(rows)}")
    for column, width in enumerate((*_WIDTHS, *(12 for _ in years), 14, 34, 34), start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = f"{get_column_letter(len(_FIRST) + 1)}{_HEADER_ROW + 1}"
    guide = workbook.create_sheet(GUIDE)
    for r, line in enumerate(_guide(years, province), start=1):
        cell = guide.cell(r, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120
    workbook.save(path)
    return path
