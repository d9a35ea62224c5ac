"""Tests of chiso.io.long_csv: the one-row-per-figure CSV import."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.errors import InvalidFile
from chiso.indicators import Catalogue
from chiso.io.long_csv import normalise_area_code, read_long_csv
from chiso.numbers import is_blank
from chiso.observations import DataStatus
from chiso.periods import parse_period
from chiso.text import format_number

VI_HEADER = "chỉ số,địa bàn,kỳ,giá trị,trạng thái,nguồn,ghi chú"
EN_HEADER = "indicator,area,period,value,status,source,note"


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


# --------------------------------------------------------------------------------
# A good file, as a statistics office would send it from Excel
# --------------------------------------------------------------------------------

GOOD = f"""{VI_HEADER}
grdp_growth,4,2025,"4,46",ước tính,Thống kê tỉnh,
grdp_per_capita,04,năm 2025,"50,73",sơ bộ,Thống kê tỉnh,GRDP bình quân đầu người
budget_revenue,4,6 tháng đầu năm 2026,"1.462,5",chính thức,Sở Tài chính,
new_party_members,04,2025,1.500,,Ban Tổ chức Tỉnh ủy,
grdp_share_services,04,2025,-,,Thống kê tỉnh,chưa có số liệu
grdp_share_agriculture,04,2025,"19,72%",chinh thuc,Thống kê tỉnh,
grdp_growth,04001,quý II/2026,"-3,2",Uoc tinh,Thống kê tỉnh,
,,,,,,
population,1273,2025,550.000,,Thống kê tỉnh,
"""

# indicator, area, period code, value, status, source, note
EXPECTED = [
    ("grdp_growth", "04", "2025", 4.46, DataStatus.ESTIMATE, "Thống kê tỉnh", ""),
    (
        "grdp_per_capita",
        "04",
        "2025",
        50.73,
        DataStatus.PRELIMINARY,
        "Thống kê tỉnh",
        "GRDP bình quân đầu người",
    ),
    ("budget_revenue", "04", "2026-H1", 1462.5, DataStatus.FINAL, "Sở Tài chính", ""),
    ("new_party_members", "04", "2025", 1500.0, DataStatus.FINAL, "Ban Tổ chức Tỉnh ủy", ""),
    ("grdp_share_agriculture", "04", "2025", 19.72, DataStatus.FINAL, "Thống kê tỉnh", ""),
    ("grdp_growth", "04001", "2026-Q2", -3.2, DataStatus.ESTIMATE, "Thống kê tỉnh", ""),
    ("population", "01273", "2025", 550000.0, DataStatus.FINAL, "Thống kê tỉnh", ""),
]


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_good_file_with_vietnamese_headers(tmp_path: Path, catalogue: Catalogue, bom: bool) -> None:
    path = write(tmp_path, "mini-good.csv", GOOD, bom=bom)
    observations = read_long_csv(path, catalogue, entered_by="cán bộ thống kê")
    actual = [(o.indicator, o.area, o.period.code, o.value, o.status, o.source, o.note) for o in observations]
    assert actual == EXPECTED
    assert {o.entered_by for o in observations} == {"cán bộ thống kê"}


def test_english_headers_in_any_order(tmp_path: Path, catalogue: Catalogue) -> None:
    text = 'value,Period,AREA,indicator\n"4,46",2025,4,grdp_growth\n'
    [observation] = read_long_csv(write(tmp_path, "mini-en.csv", text), catalogue)
    assert (observation.indicator, observation.area, observation.period, observation.value) == (
        "grdp_growth",
        "04",
        parse_period(2025),
        4.46,
    )
    assert observation.status is DataStatus.FINAL


@pytest.mark.parametrize(
    "header",
    [
        "Mã chỉ số,Mã địa bàn,Kỳ số liệu,Số liệu",
        "chi so,dia ban,ky,gia tri",  # typed without diacritics
        "CHỈ SỐ,ĐỊA BÀN,KỲ,GIÁ TRỊ",
        "chỉ_số,địa_bàn,kỳ,giá_trị",
    ],
)
def test_header_aliases(tmp_path: Path, catalogue: Catalogue, header: str) -> None:
    text = f"{header}\ngrdp_growth,04,2025,5\n"
    [observation] = read_long_csv(write(tmp_path, "mini-alias.csv", text), catalogue)
    assert observation.value == 5.0


@pytest.mark.parametrize(
    ("text", "code"),
    [("4", "04"), ("04", "04"), (" 4 ", "04"), ("1273", "01273"), ("01273", "01273"), ("", "")],
)
def test_normalise_area_code_restores_leading_zeros(text: str, code: str) -> None:
    assert normalise_area_code(text) == code


def test_header_only_file_loads_nothing(tmp_path: Path, catalogue: Catalogue) -> None:
    assert read_long_csv(write(tmp_path, "mini-empty.csv", EN_HEADER + "\n"), catalogue) == []


# --------------------------------------------------------------------------------
# A bad file: every bad cell is reported, nothing is loaded
# --------------------------------------------------------------------------------

BAD = f"""{EN_HEADER}
grdp_growth,04,2024,"4,2",,Thống kê tỉnh,
grdp_grwth,04,2025,5,,Thống kê tỉnh,
grdp_growth,04,2025-Q5,5,,Thống kê tỉnh,
grdp_growth,04,2026,abc,,Thống kê tỉnh,
grdp_growth,04,2027,5,dự kiến,Thống kê tỉnh,
grdp_share_services,04,2025,120,,Thống kê tỉnh,
grdp_growth,,2025,5,,Thống kê tỉnh,
grdp_growth,04,2028,5,,Thống kê tỉnh,
grdp_growth,04,năm 2028,6,,Thống kê tỉnh,
"""

# (where, kind, a word of the Vietnamese message)
BAD_PROBLEMS = [
    ("dòng 3, cột indicator", "unknown-indicator", "“grdp_grwth” không có trong danh mục"),
    ("dòng 4, cột period", "invalid-period", "Không hiểu kỳ số liệu “2025-Q5”"),
    ("dòng 5, cột value", "invalid-number", "“abc” không phải là số"),
    ("dòng 6, cột status", "invalid-status", "trạng thái số liệu “dự kiến” không hợp lệ"),
    ("dòng 7, cột value", "out-of-range", "ngoài khoảng hợp lệ"),
    ("dòng 8, cột area", "missing-value", "thiếu mã địa bàn"),
    ("dòng 10, cột value", "duplicate-row", "trùng với dòng 9"),
]


def test_bad_file_reports_every_bad_cell(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "bad-cells.csv", BAD)
    with pytest.raises(InvalidFile) as info:
        read_long_csv(path, catalogue)  # raising is "nothing loaded", good row 2 included
    exc = info.value
    actual = [(p.where, p.kind) for p in exc.problems]
    assert actual == [(where, kind) for where, kind, _ in BAD_PROBLEMS]
    for problem, (_, _, words) in zip(exc.problems, BAD_PROBLEMS, strict=True):
        assert words in problem.message_vi
        assert problem.message_en
        assert problem.file == str(path)
    message = str(exc)
    assert "bad-cells.csv" in message
    assert f"có {len(BAD_PROBLEMS)} lỗi, không nạp gì" in message
    assert "nothing was loaded" in message


@pytest.mark.parametrize(
    ("name", "row", "where", "kind"),
    [
        ("indicator", "khong_co,04,2025,5", "dòng 2, cột indicator", "unknown-indicator"),
        ("period", "grdp_growth,04,quý V/2025,5", "dòng 2, cột period", "invalid-period"),
        ("number", "grdp_growth,04,2025,1.2.3", "dòng 2, cột value", "invalid-number"),
        ("percent-per-year", "grdp_growth,04,2025,10%/năm", "dòng 2, cột value", "invalid-number"),
        ("below-minimum", "grdp_growth,04,2025,-31", "dòng 2, cột value", "out-of-range"),
        ("binary-above-1", "new_rural_standard,04001,2025,2", "dòng 2, cột value", "out-of-range"),
        ("status", "grdp_growth,04,2025,5,kế hoạch", "dòng 2, cột status", "invalid-status"),
    ],
)
def test_one_bad_cell_is_one_problem(
    tmp_path: Path, catalogue: Catalogue, name: str, row: str, where: str, kind: str
) -> None:
    path = write(tmp_path, f"bad-{name}.csv", f"indicator,area,period,value,status\n{row}\n")
    with pytest.raises(InvalidFile) as info:
        read_long_csv(path, catalogue)
    assert [(p.where, p.kind) for p in info.value.problems] == [(where, kind)]


def test_nan_value_is_a_problem(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "bad-nan.csv", "indicator,area,period,value\ngrdp_growth,04,2025,nan\n")
    with pytest.raises(InvalidFile):
        read_long_csv(path, catalogue)


def test_exponent_with_fraction_is_a_problem(tmp_path: Path, catalogue: Catalogue) -> None:
    path = write(tmp_path, "bad-exponent.csv", "indicator,area,period,value\ngrdp_growth,04,2025,1E3.0\n")
    with pytest.raises(InvalidFile) as info:
        read_long_csv(path, catalogue)
    assert [p.kind for p in info.value.problems] == ["invalid-number"]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("indicator,period,value", "area"),
        ("chỉ số,địa bàn,giá trị", "period"),
        ("indicator,area,period,gia_tri_2025", "value"),
        ("a,b,c", "indicator, area, period, value"),
    ],
)
def test_missing_required_column(tmp_path: Path, catalogue: Catalogue, header: str, missing: str) -> None:
    path = write(tmp_path, "bad-columns.csv", f"{header}\ngrdp_growth,04,2025\n")
    with pytest.raises(InvalidFile) as info:
        read_long_csv(path, catalogue)
    [problem] = info.value.problems
    assert problem.where == "dòng 1 (tiêu đề)"
    assert problem.kind == "missing-column"
    assert problem.message_vi == f"thiếu cột: {missing}"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty", b"", "tệp trống"),
        ("latin1", "chỉ số,địa bàn\n".encode("cp1258", errors="replace") + b"\xff\n", "UTF-8"),
    ],
)
def test_unreadable_file(
    tmp_path: Path, catalogue: Catalogue, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / f"bad-{name}.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidFile) as info:
        read_long_csv(path, catalogue)
    assert message in info.value.problems[0].message_vi


def test_missing_file(tmp_path: Path, catalogue: Catalogue) -> None:
    with pytest.raises(InvalidFile) as info:
        read_long_csv(tmp_path / "khong-co.csv", catalogue)
    assert info.value.problems[0].message_vi == "không tìm thấy tệp"


# --------------------------------------------------------------------------------
# Property: random rows load all together or raise InvalidFile
# --------------------------------------------------------------------------------


def _mostly(valid: st.SearchStrategy[str], max_size: int = 8) -> st.SearchStrategy[str]:
    """Usually (nine times in ten) a valid cell, sometimes any text."""
    return st.sampled_from(range(10)).flatmap(lambda k: valid if k < 9 else st.text(max_size=max_size))


_row = st.builds(
    lambda cells, n: list(cells)[:n],
    st.tuples(
        _mostly(st.sampled_from(["grdp_growth", "grdp_share_services", "population"])),
        _mostly(st.sampled_from(["04", "4", "01273"])),
        _mostly(
            st.integers(2000, 2030).map(str)
            | st.sampled_from(["2026-Q1", "6 tháng đầu năm 2026", "quý II/2026", "tháng 3/2026"])
        ),
        _mostly(
            st.floats(0, 60).map(lambda x: format_number(x, 2))
            | st.integers(0, 60).map(str)
            | st.sampled_from(["-", "", "..", "35,84%", "1.462,5"])
        ),
        _mostly(st.sampled_from(["", "ước tính", "sơ bộ", "chính thức", "uoc tinh"])),
        st.text(max_size=8),
        st.text(max_size=8),
    ),
    st.sampled_from([7] * 8 + [4, 0]),
)
_rows = st.lists(_row, max_size=5) | st.lists(st.lists(st.text(max_size=10), max_size=8), max_size=4)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows)
def test_random_rows_load_all_or_none(tmp_path: Path, catalogue: Catalogue, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EN_HEADER.split(","))
    writer.writerows(rows)
    path = tmp_path / "mini-random.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    try:
        observations = read_long_csv(path, catalogue)
    except InvalidFile as exc:
        assert exc.problems
        return
    # Every row with a figure came back; only blank rows and "no figure" cells are skipped.
    with_figures = [
        row for row in csv.reader(io.StringIO(buffer.getvalue())) if any(cell.strip() for cell in row)
    ][1:]
    expected = [row for row in with_figures if not is_blank(row[3] if len(row) > 3 else "")]
    assert len(observations) == len(expected)
