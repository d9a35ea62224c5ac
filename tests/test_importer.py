"""The importer: the workbooks officials send, all-or-nothing writes, the template, the CLI."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from chiso.areas import Area
from chiso.assessment import Status, assess_resolution
from chiso.errors import ChisoError, InvalidFile
from chiso.indicators import Catalogue
from chiso.io.importer import CellProblem, ImportReport, import_file, is_warning, period_header, validate
from chiso.io.tables import is_percent_format, read_table, sniff_delimiter
from chiso.io.template import parse_years, template_indicators, write_template
from chiso.observations import DataStatus
from chiso.periods import parse_period
from chiso.resolutions import bundled_resolutions, load_resolution
from chiso.store import Store
from chiso.targets import Resolution
from tests.conftest import PROVINCE, obs

Rows = list[list[Any]]


@pytest.fixture(scope="module")
def cao_bang() -> tuple[Resolution, Catalogue]:
    """The Cao Bằng 2025–2030 resolution and the catalogue it is read with."""
    return load_resolution(bundled_resolutions()["cao-bang-2025-2030"])


@pytest.fixture(scope="module")
def cat(cao_bang: tuple[Resolution, Catalogue]) -> Catalogue:
    """The catalogue of the Cao Bằng resolution."""
    return cao_bang[1]


def run_import(store: Store, path: Path, cat: Catalogue, **kwargs: Any) -> ImportReport:
    """Import with the test province."""
    return import_file(store, path, cat, province=PROVINCE, **kwargs)


# --- a statistics-office workbook, as officials send it ------------------------------------------

PCT = "0.00%"


def pc(value: float) -> tuple[float, str]:
    """A cell formatted as a percentage: 0.5648 is shown as 56,48%."""
    return (value, PCT)


# fmt: off
# Sheet "Kinh tế": header rows 4–5, "Năm" merged over D4:H4, data from row 7.
ECONOMY: Rows = [
    ["I", "KINH TẾ"],
    [1, "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP)", "%", "4,46", 5.04, "2,24", "6,74", "7,22", 8],
    [2, "GRDP bình quân đầu người", "Triệu đồng", "-", "-", "-", "45,13", "50,73", 55],
    [3, "Tỷ trọng khu vực dịch vụ trong GRDP", "%", None, None, None, pc(0.5648), pc(0.5601)],
    [4, "Tỷ trọng khu vực công nghiệp - xây dựng trong GRDP", "%", None, None, None, pc(0.1899), pc(0.206)],
    [5, "Tỷ trọng khu vực nông, lâm nghiệp và thuỷ sản trong GRDP", "%", None, None, None, "20,83", "19,72"],
    [6, "Thu ngân sách nhà nước trên địa bàn", "Tỷ đồng", "2.530", "4.200", "2.100", "2.462,5", "3.018,4"],
    [7, "Tổng kim ngạch xuất, nhập khẩu hàng hóa", "Triệu USD", None, None, None, "1.462,5", "-"],
]
# Sheet "Xã hội": one header row (3), statuses written in the headers.
SOCIETY: Rows = [
    ["II", "VĂN HÓA - XÃ HỘI"],
    [1, "Tỉ lệ hộ nghèo đa chiều", "%", "26,5", "22,9", "19,5", None],
    [2, "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", pc(0.842), pc(0.855), pc(0.86)],
    [3, "Số đảng viên mới được kết nạp", "Đảng viên", 1520, 1580, 1600, "Số liệu Ban Tổ chức"],
]
# fmt: on
ECONOMY_SOURCE = "Cục Thống kê tỉnh Cao Bằng"
SOCIETY_SOURCE = "Sở Nội vụ; Ban Tổ chức Tỉnh ủy"


def _put(ws: Any, row: int, values: Sequence[Any]) -> None:
    for column, value in enumerate(values, start=1):
        if isinstance(value, tuple):
            value, fmt = value
            ws.cell(row, column, value).number_format = fmt
        elif value is not None:
            ws.cell(row, column, value)


def office_workbook(path: Path, economy: Rows = ECONOMY, society: Rows = SOCIETY) -> Path:
    """Two sheets with title rows, merged headers, notes and a "Nguồn:" row each."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Kinh tế"
    ws["A1"] = "BÁO CÁO SỐ LIỆU KINH TẾ - XÃ HỘI TỈNH CAO BẰNG"
    ws.merge_cells("A1:I1")
    ws["A2"] = "(Kèm theo Báo cáo số 215/BC-UBND ngày 20/12/2026 của Ủy ban nhân dân tỉnh)"
    ws.merge_cells("A2:I2")
    for column, text in zip("ABCI", ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch 2027"], strict=True):
        ws[f"{column}4"] = text
        ws.merge_cells(f"{column}4:{column}5")
    ws["D4"] = "Năm"
    ws.merge_cells("D4:H4")
    _put(ws, 5, [None, None, None, 2022, 2023, "2024", "Năm 2025", "Ước 2026"])
    for offset, values in enumerate(economy):
        _put(ws, 6 + offset, values)
    end = 6 + len(economy)
    ws.cell(end + 1, 1, "Ghi chú: Số liệu năm 2026 là số ước tính; năm 2022–2025 là số chính thức.")
    ws.cell(end + 2, 1, f"Nguồn: {ECONOMY_SOURCE}")
    social = wb.create_sheet("Xã hội")
    social["A1"] = "MỘT SỐ CHỈ TIÊU VĂN HÓA - XÃ HỘI, XÂY DỰNG ĐẢNG"
    social.merge_cells("A1:G1")
    _put(social, 3, ["TT", "Tên chỉ tiêu", "ĐVT", "2024", "2025 (sơ bộ)", "Ước 2026", "Ghi chú"])
    for offset, values in enumerate(society):
        _put(social, 4 + offset, values)
    social.cell(5 + len(society), 1, f"Nguồn: {SOCIETY_SOURCE}")
    wb.save(path)
    return path


def _expected_figures(rows: Rows, first_value_column: int, last_value_column: int) -> int:
    return sum(
        1
        for row in rows
        for v in row[first_value_column - 1 : last_value_column]
        if v is not None and v != "-" and len(row) > 2
    )


OFFICE_FIGURES = _expected_figures(ECONOMY, 4, 8) + _expected_figures(SOCIETY, 4, 6)


def test_a_statistics_office_workbook_imports(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    report = run_import(store, office_workbook(tmp_path / "bao-cao.xlsx"), cat, actor="Cục Thống kê")
    assert report.problems == []
    assert report.figures == OFFICE_FIGURES == report.added
    assert report.summary == f"Đã nhập {OFFICE_FIGURES} giá trị mới; 0 thay đổi"
    assert [(t.sheet, t.layout, t.header_row) for t in report.validation.tables] == [
        ("Kinh tế", "wide", 5),
        ("Xã hội", "wide", 3),
    ]
    assert report.validation.ignored_columns == ["Kinh tế!I5 “Kế hoạch 2027”"]  # a plan, not a figure
    got = {(o.indicator, o.period.code): o for o in store.observations()}
    assert len(got) == OFFICE_FIGURES
    growth = got[("grdp_growth", "2026")]
    assert (growth.value, growth.status, growth.source, growth.entered_by) == (
        7.22,
        DataStatus.ESTIMATE,
        ECONOMY_SOURCE,
        "Cục Thống kê",
    )
    assert got[("grdp_growth", "2022")].value == 4.46
    assert got[("grdp_growth", "2023")].status is DataStatus.FINAL
    assert got[("grdp_share_services", "2025")].value == 56.48  # 0.5648 shown as 56,48%
    assert got[("grdp_share_industry", "2026")].value == 20.6
    assert got[("grdp_share_agriculture", "2025")].value == 20.83  # "thuỷ" matches "thủy"
    assert got[("budget_revenue", "2025")].value == 2462.5
    assert got[("import_export_turnover", "2025")].value == 1462.5
    assert ("grdp_per_capita", "2024") not in got  # "-" is no figure
    poverty = got[("poverty_rate_multidim", "2025")]  # "Tỉ lệ" matches "Tỷ lệ"
    assert (poverty.value, poverty.status, poverty.source) == (22.9, DataStatus.PRELIMINARY, SOCIETY_SOURCE)
    assert got[("party_org_good_share", "2024")].value == 84.2
    assert got[("new_party_members", "2026")].note == "Số liệu Ban Tổ chức"
    assert all(o.area == PROVINCE for o in got.values())


def test_the_import_changes_the_assessment(
    store: Store, cao_bang: tuple[Resolution, Catalogue], tmp_path: Path
) -> None:
    res, cat = cao_bang
    before = {a.id: a for a in assess_resolution(res, cat, store.observations(), as_of=2026)}
    run_import(store, office_workbook(tmp_path / "bao-cao.xlsx"), cat)
    after = {a.id: a for a in assess_resolution(res, cat, store.observations(), as_of=2026)}
    assert before["1a"].status is Status.NO_DATA
    assert after["1a"].status is not Status.NO_DATA
    assert after["1a"].latest is not None and after["1a"].latest.value == 7.22
    # Non-farm share is derived: services + industry = 56,01 + 20,6 in 2026.
    assert after["2a"].latest is not None and after["2a"].latest.value == pytest.approx(76.61)
    assert after["2b"].latest is not None and after["2b"].latest.value == 19.72
    assert after["12b"].latest is not None and after["12b"].latest.value == 1600
    changed = [i for i in after if (before[i].status, before[i].latest) != (after[i].status, after[i].latest)]
    assert {"1a", "1b", "2a", "2b", "3", "6", "12a", "12b"} <= set(changed)


def test_the_same_file_again_changes_nothing(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    path = office_workbook(tmp_path / "bao-cao.xlsx")
    run_import(store, path, cat)
    count, checksum = store.count_observations(), store.checksum()
    again = run_import(store, path, cat)
    assert again.summary == f"0 thay đổi ({OFFICE_FIGURES} giá trị đã có, giống hệt)"
    assert (again.added, again.unchanged) == (0, OFFICE_FIGURES)
    assert (store.count_observations(), store.checksum()) == (count, checksum)


def test_a_corrected_figure_is_counted_as_a_change(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    run_import(store, office_workbook(tmp_path / "a.xlsx"), cat)
    economy = [list(r) for r in ECONOMY]
    economy[1][7] = "7,3"  # the 2026 estimate of GRDP growth, revised
    report = run_import(store, office_workbook(tmp_path / "b.xlsx", economy=economy), cat)
    assert report.summary == f"Đã nhập 0 giá trị mới; 1 thay đổi; {OFFICE_FIGURES - 1} không đổi"
    assert [o.value for o in store.history("grdp_growth", PROVINCE, "2026")] == [7.22, 7.3]


def _with_bad_cell() -> Rows:
    economy = [list(r) for r in ECONOMY]
    economy[1][7] = "7,2x"  # row 7, column H of "Kinh tế"
    return economy


def test_one_bad_cell_refuses_the_whole_file(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    store.add_observations([obs("grdp_growth", 2020, 4.76, source="Cục Thống kê")])
    count, checksum = store.count_observations(), store.checksum()
    report = run_import(store, office_workbook(tmp_path / "bad.xlsx", economy=_with_bad_cell()), cat)
    assert report.refused and not report.written
    assert report.summary == "Không ghi gì: tệp có 1 lỗi"
    [problem] = report.problems
    assert isinstance(problem, CellProblem)
    assert (problem.kind, problem.where, problem.sheet, problem.row, problem.column, problem.content) == (
        "invalid-number",
        "Kinh tế!H7",
        "Kinh tế",
        7,
        "H",
        "7,2x",
    )
    assert "không phải là số" in problem.message_vi
    assert (store.count_observations(), store.checksum()) == (count, checksum)
    dry = run_import(store, office_workbook(tmp_path / "ok.xlsx"), cat, dry_run=True)
    assert dry.added == OFFICE_FIGURES and not dry.written
    assert dry.summary.startswith("Chạy thử, chưa ghi gì")
    assert (store.count_observations(), store.checksum()) == (count, checksum)


HEADER = ["Chỉ tiêu", "Đơn vị tính", "2024", "2025"]
GROWTH = ["Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP)", "%", 6.74, 7.22]
PER_CAPITA = ["GRDP bình quân đầu người", "triệu đồng", 45.13, 50.73]

# (table, the problem's kind, where it is, whether it blocks the import)
BAD_CELLS = {
    "not a number": ([HEADER, [*GROWTH[:3], "7,2x"], PER_CAPITA], "invalid-number", "Sheet!D2", True),
    "a boolean": ([HEADER, [*GROWTH[:3], True], PER_CAPITA], "invalid-number", "Sheet!D2", True),
    "unknown indicator": (
        [HEADER, GROWTH, ["Sản lượng lương thực có hạt", "tấn", 1, 2]],
        "unknown-indicator",
        "Sheet!A3",
        True,
    ),
    "out of range": ([HEADER, [*GROWTH[:2], 75, 7.22], PER_CAPITA], "out-of-range", "Sheet!C2", True),
    "quarter for a yearly indicator": (
        [[*HEADER[:3], "Quý I/2025"], GROWTH, PER_CAPITA],
        "period-frequency",
        "Sheet!D2",
        True,
    ),
    "same cell twice": ([HEADER, GROWTH, PER_CAPITA, GROWTH], "duplicate", "Sheet!C4", True),
    "bad status": (
        [[*HEADER, "Trạng thái"], [*GROWTH, "tạm tính"], PER_CAPITA],
        "invalid-status",
        "Sheet!E2",
        True,
    ),
    "unknown area": (
        [[*HEADER, "Mã địa bàn"], [*GROWTH, "Hà Giang"], PER_CAPITA],
        "unknown-area",
        "Sheet!E2",
        True,
    ),
    "commune indicator for the province": (
        [HEADER, GROWTH, ["Xã đạt chuẩn nông thôn mới", "0/1", 0, 1]],
        "wrong-level",
        "Sheet!C3",
        True,
    ),
    "bad period in the long layout": (
        [["Chỉ số", "Kỳ", "Giá trị"], ["grdp_growth", "2025-13", "7,22"]],
        "invalid-period",
        "Sheet!B2",
        True,
    ),
    "unit differs": (
        [HEADER, GROWTH, [PER_CAPITA[0], "USD", 45.13, 50.73]],
        "warning-unit-mismatch",
        "Sheet!B3",
        False,
    ),
}


def write_xlsx(path: Path, rows: Rows, sheet: str = "Sheet") -> Path:
    """A one-sheet workbook with ``rows`` from A1."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, rows: Rows, delimiter: str = ",", bom: bool = False) -> Path:
    """A CSV file (UTF-8, with a BOM if asked)."""
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


@pytest.mark.parametrize(("rows", "kind", "where", "blocks"), BAD_CELLS.values(), ids=BAD_CELLS.keys())
def test_a_bad_cell_is_reported_by_kind(
    store: Store, cat: Catalogue, tmp_path: Path, rows: Rows, kind: str, where: str, blocks: bool
) -> None:
    checksum = store.checksum()
    report = run_import(store, write_xlsx(tmp_path / "t.xlsx", rows), cat)
    found = [p for p in report.problems if p.kind == kind]
    assert found, report.problems
    assert found[0].where == where
    assert found[0].message_vi and not found[0].message_vi.isascii()  # Vietnamese
    assert is_warning(found[0]) is not blocks
    assert report.refused is blocks
    assert (store.checksum() == checksum) is blocks


def test_areas_are_checked_against_the_store(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    rows = [["Chỉ số", "Địa bàn", "Kỳ", "Giá trị"]] + [
        ["forest_cover", code, 2024, 55.0] for code in ("04", "01273", "01273", "1304")
    ]
    rows[3][2] = 2025
    path = write_xlsx(tmp_path / "communes.xlsx", rows)
    # No areas known yet: the province and 5-digit codes pass, each code warned about once.
    report = validate(read_table(path), cat, province=PROVINCE)
    assert [(p.kind, p.where) for p in report.problems] == [
        ("warning-unverified-area", "Sheet!B3"),
        ("warning-unverified-area", "Sheet!B5"),
    ]
    areas = [
        Area("04", "Cao Bằng", "tinh"),
        Area("01273", "Thục Phán", "phuong", parent="04"),
        Area("01279", "Nùng Trí Cao", "phuong", parent="04"),
    ]
    store.save_areas(areas)
    report = run_import(store, path, cat)
    assert [(p.kind, p.where, p.content) for p in report.problems] == [("unknown-area", "Sheet!B5", "01304")]
    rows.append(["forest_cover", "Phường Nùng Trí Cao", 2024, 60.0])  # a name, folded, is fine too
    del rows[4]
    report = run_import(store, write_xlsx(tmp_path / "names.xlsx", rows), cat)
    assert report.problems == [] and report.added == 4
    assert {o.area for o in store.observations()} == {"04", "01273", "01279"}


def test_an_outlier_is_a_warning_against_the_stored_series(
    store: Store, cat: Catalogue, tmp_path: Path
) -> None:
    store.add_observations(
        [obs("grdp_growth", y, v) for y, v in zip(range(2020, 2025), (4.8, 5.0, 5.2, 4.9, 5.1), strict=True)]
    )
    rows = [[*HEADER[:2], "2025"], [*GROWTH[:2], 45]]
    report = run_import(store, write_xlsx(tmp_path / "o.xlsx", rows), cat)
    [problem] = report.problems
    assert (problem.kind, problem.where) == ("warning-outlier", "Sheet!C2")
    assert "khác thường" in problem.message_vi
    assert report.written and report.added == 1
    assert report.summary == "Đã nhập 1 giá trị mới; 0 thay đổi; 1 cảnh báo"


def test_write_valid_rows_writes_the_rest_and_lists_the_refused_rows(
    store: Store, cat: Catalogue, tmp_path: Path
) -> None:
    path = office_workbook(tmp_path / "bad.xlsx", economy=_with_bad_cell())
    report = run_import(store, path, cat, write_valid_rows=True, error_file=tmp_path / "loi.xlsx")
    growth_figures = 5
    assert report.written and not report.refused
    assert report.added == OFFICE_FIGURES - growth_figures == store.count_observations()
    assert report.summary.endswith(f"bỏ qua 1 dòng có lỗi (1 lỗi), xem {tmp_path / 'loi.xlsx'}")
    sheet = load_workbook(tmp_path / "loi.xlsx").active
    assert sheet is not None and sheet.title == "Kinh tế"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[-2][-1] == "Lỗi"  # under the header rows (4–5) copied from the input
    assert rows[-1][1] == GROWTH[0] and rows[-1][7] == "7,2x"
    assert rows[-1][-1].startswith("H7: ") and "không phải là số" in rows[-1][-1]
    # The error file is fixable in place: correct the cell, import it, nothing is missing.
    sheet.cell(len(rows), 8, "7,22")
    fixed = tmp_path / "sua.xlsx"
    sheet.parent.save(fixed)
    again = run_import(store, fixed, cat)
    assert again.problems == [] and again.added == growth_figures


def test_the_error_file_of_a_csv_is_a_csv(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    rows = [["Chỉ số", "Kỳ", "Giá trị"], ["grdp_growth", "2024", "6,74"], ["grdp_growth", "2025", "nhiều"]]
    path = write_csv(tmp_path / "so-lieu.csv", rows, delimiter=";")
    report = run_import(store, path, cat, error_file=tmp_path / "loi.csv")
    assert report.refused and store.count_observations() == 0
    assert report.error_file == tmp_path / "loi.csv"
    text = (tmp_path / "loi.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0] == "Chỉ số;Kỳ;Giá trị;Lỗi"
    assert text[1].startswith("grdp_growth;2025;nhiều;C3: ")


def test_the_long_layout_in_csv(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    rows = [
        ["Chỉ số", "Địa bàn", "Kỳ", "Giá trị", "Trạng thái", "Nguồn", "Ghi chú"],
        ["grdp_growth", "04", "2024", "6,74", "ước tính", "Cục Thống kê", ""],
        ["grdp_per_capita", "4", "Năm 2024", "45,13", "", "Cục Thống kê", "giá hiện hành"],
        ["Tỷ lệ che phủ rừng", "04", "2024", "55,2", "chính thức", "Sở NN&MT", ""],
        ["budget_revenue", "04", "Ước 2025", "3.018,4", "", "Sở Tài chính", ""],
        ["tourist_arrivals", "04", "2024", "-", "", "", ""],
    ]
    path = write_csv(tmp_path / "doc.csv", rows, delimiter=";", bom=True)
    report = run_import(store, path, cat)
    assert report.problems == [] and report.added == 4
    assert report.validation.tables[0].layout == "long"
    got = {o.indicator: o for o in store.observations()}
    assert got["grdp_growth"].status is DataStatus.ESTIMATE
    assert got["grdp_per_capita"].area == "04" and got["grdp_per_capita"].note == "giá hiện hành"
    assert got["forest_cover"].value == 55.2
    assert got["budget_revenue"].status is DataStatus.ESTIMATE and got["budget_revenue"].value == 3018.4


def test_nul_characters_in_a_csv_are_dropped(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes("Chỉ số,Kỳ,Giá trị,Nguồn\ngrdp_growth,2024,6.74,Cục\x00 Thống kê\n".encode())
    report = run_import(store, path, cat)
    assert report.problems == [] and [o.source for o in store.observations()] == ["Cục Thống kê"]


def test_the_long_layout_in_xlsx(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    rows = [
        ["DỮ LIỆU CHỈ SỐ"],
        [],
        ["indicator", "area", "period", "value", "status", "source", "url"],
        ["grdp_growth", "04", 2024, 6.74, "sơ bộ", "Cục Thống kê", "https://thongkecaobang.gso.gov.vn"],
        ["grdp_growth", 4, 2023, 2.24, None, "Cục Thống kê", None],
    ]
    report = run_import(store, write_xlsx(tmp_path / "long.xlsx", rows), cat)
    assert report.problems == [] and report.added == 2
    [prelim] = [o for o in store.observations() if o.period.code == "2024"]
    assert prelim.status is DataStatus.PRELIMINARY and prelim.source_url.startswith("https://")


# --- reading ---------------------------------------------------------------------------------------


def test_read_table_fills_merged_cells_and_scales_percentages(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws["A1"] = "Năm"
    ws.merge_cells("A1:C1")
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = 0.3584, 0.3584, 12.5, dt.datetime(2025, 7, 1)
    ws["A2"].number_format = "0.00%"
    ws["B2"].number_format = '0.00"%"'  # a literal sign: Excel shows 0.36%, the value is not scaled
    wb.save(tmp_path / "m.xlsx")
    [sheet] = read_table(tmp_path / "m.xlsx")
    assert sheet.rows[0] == ["Năm", "Năm", "Năm"]
    assert sheet.rows[1] == [35.84, 0.3584, 12.5, dt.date(2025, 7, 1)]
    assert sheet.ref(2, 3) == "Sheet!C2"


@pytest.mark.parametrize(
    ("fmt", "percent"),
    [("0%", True), ("0.00%", True), ('0.0"%"', False), ("0.0\\%", False), ("General", False)],
)
def test_percent_formats(fmt: str, percent: bool) -> None:
    assert is_percent_format(fmt) is percent


def test_csv_delimiters() -> None:
    assert sniff_delimiter("Chỉ số;Kỳ;Giá trị\ngrdp_growth;2024;6,74\n") == ";"
    assert sniff_delimiter("indicator,period,value\ngrdp_growth,2024,6.74\n") == ","
    assert sniff_delimiter("a\tb\n1\t2\n") == "\t"


@pytest.mark.parametrize(
    ("header", "period", "status"),
    [
        (2024, "2024", None),
        ("Năm 2025", "2025", None),
        ("Ước 2026", "2026", DataStatus.ESTIMATE),
        ("Ước tính năm 2026", "2026", DataStatus.ESTIMATE),
        ("Ước TH 2026", "2026", DataStatus.ESTIMATE),
        ("6 tháng đầu năm 2026", "2026-H1", None),
        ("Quý I/2026", "2026-Q1", None),
        ("2025 (sơ bộ)", "2025", DataStatus.PRELIMINARY),
        ("TH 2025", "2025", DataStatus.FINAL),
        ("Năm 2024 (*)", "2024", None),
    ],
)
def test_period_headers(header: Any, period: str, status: DataStatus | None) -> None:
    assert period_header(header) == (parse_period(period), status)


@pytest.mark.parametrize("header", ["Kế hoạch 2026", "So sánh (%)", "Năm", "STT", 12.5, 3000, "0000"])
def test_not_period_headers(header: Any) -> None:
    assert period_header(header) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("x.xlsx", b"not a zip"),
        ("x.csv", "Chỉ số;Kỳ".encode("utf-16")),
        ("x.ods", b""),
        ("missing.csv", None),
    ],
)
def test_unreadable_files_raise_invalid_file(
    store: Store, cat: Catalogue, tmp_path: Path, name: str, content: bytes | None
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    with pytest.raises(InvalidFile) as caught:
        run_import(store, tmp_path / name, cat)
    assert caught.value.problems[0].kind == "unreadable-file"


def test_a_file_without_a_table_is_refused(store: Store, cat: Catalogue, tmp_path: Path) -> None:
    report = run_import(store, write_xlsx(tmp_path / "x.xlsx", [["Kính gửi: Ủy ban nhân dân tỉnh"]]), cat)
    assert report.refused and [p.kind for p in report.problems] == ["no-table"]


# --- the template ----------------------------------------------------------------------------------


def _fill(path: Path, cat: Catalogue, *, skip_blank_area: bool) -> int:
    """Fill every year cell of the template with a valid value; return the number filled."""
    wb = load_workbook(path)
    ws = wb["Số liệu"]
    header = [c.value for c in ws[5]]
    years = [i + 1 for i, h in enumerate(header) if isinstance(h, str) and h.isdigit()]
    status = header.index("Trạng thái") + 1
    filled = 0
    for r in range(6, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if skip_blank_area and not ws.cell(r, 5).value:
            continue
        indicator = cat.get(str(code))
        low = indicator.minimum if indicator.minimum is not None else 0
        high = indicator.maximum if indicator.maximum is not None else low + 10
        for i, column in enumerate(years):
            ws.cell(r, column, round(low + (high - low) * (0.2 + 0.1 * i), indicator.decimals))
            filled += 1
        ws.cell(r, status, "ước tính" if r % 2 else None)
        ws.cell(r, status + 1, "Báo cáo số 12/BC-UBND")
    wb.save(path)
    return filled


def test_the_template_round_trips(
    store: Store, cao_bang: tuple[Resolution, Catalogue], tmp_path: Path
) -> None:
    res, cat = cao_bang
    store.save_areas(
        [
            Area("04", "Cao Bằng", "tinh"),
            Area("01273", "Thục Phán", "phuong", parent="04"),
            Area("01304", "Quảng Lâm", "xa", parent="04"),
        ]
    )
    path = write_template(
        tmp_path / "bieu.xlsx", res, cat, years=parse_years("2025-2030"), province="04", areas=store.areas()
    )
    wb = load_workbook(path)
    assert wb.sheetnames == ["Số liệu", "Hướng dẫn"]
    ws = wb["Số liệu"]
    assert ws.freeze_panes == "G6"
    assert [c.value for c in ws[5]][:7] == [
        "STT",
        "Mã chỉ số",
        "Tên chỉ số",
        "Đơn vị tính",
        "Mã địa bàn",
        "Tên địa bàn",
        "2025",
    ]
    assert all(c.font.bold for c in ws[5])
    codes = [ws.cell(r, 2).value for r in range(6, ws.max_row + 1)]
    assert "grdp_share_nonfarm" not in codes and "grdp_share_services" in codes  # derived → inputs
    assert codes.count("new_rural_standard") == 2  # one row per commune
    assert wb["Hướng dẫn"]["A1"].value == "HƯỚNG DẪN ĐIỀN BIỂU SỐ LIỆU"
    filled = _fill(path, cat, skip_blank_area=False)
    report = run_import(store, path, cat)
    assert report.problems == []
    assert report.added == filled == store.count_observations()


def test_the_template_without_communes(
    cao_bang: tuple[Resolution, Catalogue], store: Store, tmp_path: Path
) -> None:
    res, cat = cao_bang
    path = write_template(tmp_path / "bieu.xlsx", res, cat, years=[2025, 2026], province="04")
    indicators = template_indicators(res, cat)
    assert len({i.code for i in indicators}) == len(indicators)
    filled = _fill(path, cat, skip_blank_area=True)
    report = run_import(store, path, cat)
    assert report.problems == [] and report.added == filled


@pytest.mark.parametrize("text", ["2030-2025x", "abc", "1800-1801", ""])
def test_bad_year_ranges(text: str) -> None:
    with pytest.raises(ValueError, match="năm"):
        parse_years(text)


# --- the commands ----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's store is the test store."""
    monkeypatch.setenv("CHISO_DATABASE_URL", store_url)
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))


def test_cli_import_and_template(cli_env: None, tmp_path: Path) -> None:
    from chiso.cli.data import commands, import_command, template_command

    assert {c.name for c in commands} == {"import", "template"}
    assert all("Example:" in (c.help or "") for c in commands)
    runner = CliRunner()
    ok = runner.invoke(import_command, [str(office_workbook(tmp_path / "a.xlsx")), "--dry-run"])
    assert ok.exit_code == 0, ok.output
    assert "Chạy thử, chưa ghi gì" in ok.output
    bad = office_workbook(tmp_path / "b.xlsx", economy=_with_bad_cell())
    refused = runner.invoke(import_command, [str(bad), "--actor", "an"])
    assert refused.exit_code == 2
    assert "Vị trí" in refused.output and "Kinh tế!H7" in refused.output and "7,2x" in refused.output
    assert "Không ghi gì: tệp có 1 lỗi" in refused.output
    partial = runner.invoke(
        import_command, [str(bad), "--write-valid-rows", "--error-file", str(tmp_path / "loi.xlsx")]
    )
    assert partial.exit_code == 0 and (tmp_path / "loi.xlsx").exists()
    made = runner.invoke(template_command, ["--years", "2025-2027", "-o", str(tmp_path / "bieu.xlsx")])
    assert made.exit_code == 0, made.output
    assert load_workbook(tmp_path / "bieu.xlsx").sheetnames == ["Số liệu", "Hướng dẫn"]
    wrong = runner.invoke(template_command, ["--years", "abc", "-o", str(tmp_path / "x.xlsx")])
    assert wrong.exit_code == 2 and "--years" in wrong.output


# --- fuzzing: whatever the file, chiso errors only, and a refusal writes nothing -----------------------

HEADERS = [
    "Chỉ tiêu", "Mã chỉ số", "Đơn vị tính", "Mã địa bàn", "2024", "Năm 2025", "Ước 2026", "Quý I/2026",
    "6 tháng đầu năm 2026", "2025 (sơ bộ)", "Trạng thái", "Nguồn", "Ghi chú", "Chỉ số", "Kỳ", "Giá trị",
    "Địa bàn", "Kế hoạch 2026", "STT", "",
]  # fmt: skip
CELLS = [
    "-", "1.462,5", "4,46", "35,84%", "grdp_growth", "forest_cover", "GRDP bình quân đầu người", "04",
    "01273", "Nguồn: Cục Thống kê", "Ghi chú: ước", "I. KINH TẾ", "2025", "ước tính", "sơ bộ", "abc",
    "1e400", "NaN", "0000", "Quý V/2026",
]  # fmt: skip
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
_cell = st.one_of(
    st.none(),
    st.sampled_from(CELLS),
    _text,
    st.integers(-(10**7), 10**7),
    st.floats(-1e9, 1e9, allow_nan=False),
)
_random_table = st.integers(1, 6).flatmap(
    lambda width: st.tuples(
        st.lists(st.one_of(st.sampled_from(HEADERS), _text), min_size=width, max_size=width),
        st.lists(st.lists(_cell, min_size=0, max_size=width + 1), max_size=6),
    )
)
PERIODS = ["2024", "Năm 2025", "Ước 2026", "2025 (sơ bộ)", "TH 2023", "Quý I/2026", "6 tháng đầu năm 2026"]
NAMES = [
    "grdp_growth", "forest_cover", "GRDP bình quân đầu người", "Tỉ lệ hộ nghèo đa chiều",
    "new_party_members", "I. KINH TẾ", "Sản lượng lúa", "",
]  # fmt: skip
_value = st.one_of(
    st.sampled_from(["-", "1.462,5", "4,46", "35,84%", "", "abc", "7.22"]),
    st.floats(0, 40, allow_nan=False),
    st.integers(0, 40),
    st.none(),
)


@st.composite
def _wide_table(draw: st.DrawFn) -> tuple[list[Any], Rows]:
    periods = draw(st.lists(st.sampled_from(PERIODS), min_size=1, max_size=3, unique=True))
    row = st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(["%", "", "tỷ đồng", "người"]),
        st.lists(_value, min_size=len(periods), max_size=len(periods)),
    ).map(lambda t: [t[0], t[1], *t[2]])
    return ["Chỉ tiêu", "Đơn vị tính", *periods], draw(st.lists(row, min_size=1, max_size=6))


@st.composite
def _long_table(draw: st.DrawFn) -> tuple[list[Any], Rows]:
    row = st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(["04", "4", "01273", "", "abc", "99"]),
        st.sampled_from([*PERIODS, "2025-13", "", "2026-Q2"]),
        _value,
        st.sampled_from(["", "ước tính", "sơ bộ", "chính thức", "tạm"]),
    ).map(list)
    return ["Chỉ số", "Địa bàn", "Kỳ", "Giá trị", "Trạng thái"], draw(st.lists(row, min_size=1, max_size=6))


_table = st.tuples(st.one_of(_random_table, _wide_table(), _long_table()), st.integers(0, 3))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    table=_table,
    fmt=st.sampled_from(["xlsx", "csv"]),
    percent=st.booleans(),
    options=st.fixed_dictionaries({"dry_run": st.booleans(), "write_valid_rows": st.booleans()}),
)
def test_fuzz_any_table(
    store: Store,
    cat: Catalogue,
    tmp_path: Path,
    table: tuple[tuple[list[Any], Rows], int],
    fmt: str,
    percent: bool,
    options: dict[str, bool],
) -> None:
    (header, body), titles = table  # titles: rows above the header
    rows: Rows = [["BÁO CÁO SỐ LIỆU"]] * titles + [header, *body]
    if fmt == "csv":
        path = write_csv(
            tmp_path / "f.csv", [["" if v is None else v for v in r] for r in rows], delimiter=";"
        )
    else:
        path = write_xlsx(tmp_path / "f.xlsx", rows)
        if percent:
            wb = load_workbook(path)
            for row in wb.active.iter_rows():  # type: ignore[union-attr]
                for c in row:
                    c.number_format = "0.00%"
            wb.save(path)
    before = store.checksum()
    try:
        report = run_import(store, path, cat, error_file=tmp_path / "loi", **options)
    except ChisoError as exc:
        assert isinstance(exc, InvalidFile)
        assert store.checksum() == before
        event("unreadable")
        return
    event("refused" if report.refused else "dry run" if report.dry_run else f"written: {report.written}")
    if report.refused or options["dry_run"]:
        assert store.checksum() == before
    if report.refused:
        assert report.errors
        assert all(p.message_vi and not p.message_vi.isascii() for p in report.errors)
    else:
        assert not report.errors or options["write_valid_rows"]
    assert report.summary and not report.summary.isascii()
