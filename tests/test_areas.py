"""Tests of chiso.areas and chiso.io.areas_file: unit lists, codes, names, validation."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.areas import Area, eligible_units, find_area, name_key
from chiso.errors import InvalidFile
from chiso.io.areas_file import bundled_areas, read_areas
from chiso.text import fold
from tests.conftest import SHARED_DATA

SHARED = SHARED_DATA
NATIONAL_LIST = SHARED / "gso-dvhc-codes-2025-1027-CTK-CSCL.md"
GEOJSON = SHARED / "cao-bang-communes-2025.geojson"

# The codes of the 34 provincial units after 1 July 2025 (Công văn 915/CTK-CSCL of the
# General Statistics Office). Commune codes do not encode these, so they are a fact here.
PROVINCE_CODES = {
    "Thành phố Hà Nội": "01",
    "Tỉnh Cao Bằng": "04",
    "Tỉnh Tuyên Quang": "08",
    "Tỉnh Điện Biên": "11",
    "Tỉnh Lai Châu": "12",
    "Tỉnh Sơn La": "14",
    "Tỉnh Lào Cai": "15",
    "Tỉnh Thái Nguyên": "19",
    "Tỉnh Lạng Sơn": "20",
    "Tỉnh Quảng Ninh": "22",
    "Tỉnh Bắc Ninh": "24",
    "Tỉnh Phú Thọ": "25",
    "Thành phố Hải Phòng": "31",
    "Tỉnh Hưng Yên": "33",
    "Tỉnh Ninh Bình": "37",
    "Tỉnh Thanh Hóa": "38",
    "Tỉnh Nghệ An": "40",
    "Tỉnh Hà Tĩnh": "42",
    "Tỉnh Quảng Trị": "44",
    "Thành phố Huế": "46",
    "Thành phố Đà Nẵng": "48",
    "Tỉnh Quảng Ngãi": "51",
    "Tỉnh Gia Lai": "52",
    "Tỉnh Khánh Hòa": "56",
    "Tỉnh Đắk Lắk": "66",
    "Tỉnh Lâm Đồng": "68",
    "Tỉnh Đồng Nai": "75",
    "Thành phố Hồ Chí Minh": "79",
    "Tỉnh Tây Ninh": "80",
    "Tỉnh Đồng Tháp": "82",
    "Tỉnh Vĩnh Long": "86",
    "Tỉnh An Giang": "91",
    "Thành phố Cần Thơ": "92",
    "Tỉnh Cà Mau": "96",
}
# The only units whose border flag a cited source confirms (chiso/data/areas/README.md).
CONFIRMED_BORDER = {"01324", "01327", "01392", "01489", "01501", "01648"}


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


# --------------------------------------------------------------------------------
# The list shipped for Cao Bằng
# --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cao_bang() -> list[Area]:
    return bundled_areas("04")


def test_cao_bang_has_56_communes_and_the_province(cao_bang: list[Area]) -> None:
    communes = [a for a in cao_bang if a.is_commune]
    assert len(cao_bang) == 57
    assert len(communes) == 56
    assert Counter(a.type for a in communes) == {"xa": 53, "phuong": 3}
    province = next(a for a in cao_bang if not a.is_commune)
    assert (province.code, province.name, province.type, province.parent) == (
        "04",
        "Tỉnh Cao Bằng",
        "tinh",
        None,
    )
    assert all(a.parent == "04" for a in communes)
    assert all(a.valid_from == dt.date(2025, 7, 1) for a in cao_bang)
    assert len({a.code for a in cao_bang}) == 57


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("01273", "Phường Thục Phán"),
        ("01537", "Xã Lý Quốc"),
        ("01558", "Xã Hạ Lang"),
        ("01561", "Xã Vinh Quý"),
        ("01501", "Xã Đàm Thủy"),
    ],
)
def test_cao_bang_official_codes_and_names(cao_bang: list[Area], code: str, name: str) -> None:
    assert find_area(cao_bang, code) == next(a for a in cao_bang if a.name == name)


def test_cao_bang_names_are_nfc_and_every_commune_has_a_population(cao_bang: list[Area]) -> None:
    assert all(unicodedata.normalize("NFC", a.name) == a.name for a in cao_bang)
    assert all(a.population and a.population > 0 for a in cao_bang if a.is_commune)


def test_border_flags_are_only_the_sourced_ones(cao_bang: list[Area]) -> None:
    # 21 border communes are reported; only these six are confirmed by a cited source so far.
    assert {a.code for a in eligible_units(cao_bang, "04", border=True)} == CONFIRMED_BORDER


def test_unknown_province_has_no_bundled_list() -> None:
    assert bundled_areas("99") == []


@pytest.mark.skipif(not GEOJSON.exists(), reason=f"{GEOJSON} is not beside the project")
def test_cao_bang_population_and_names_match_the_boundaries(cao_bang: list[Area]) -> None:
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    communes = [a for a in cao_bang if a.is_commune]
    assert set(by_code) == {a.code for a in communes}
    for area in communes:
        assert area.population == by_code[area.code]["population"]
        # the GeoJSON writes "Đàm Thuỷ" where the official list writes "Đàm Thủy"
        assert name_key(area.name) == name_key(by_code[area.code]["name"])


# --------------------------------------------------------------------------------
# Names match accent-folded
# --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written", ["Xã Đàm Thuỷ", "Đàm Thủy", "đàm thủy", "Dam Thuy", "xa dam thuy", "01501", "XÃ ĐÀM THỦY"]
)
def test_find_area_by_folded_name(cao_bang: list[Area], written: str) -> None:
    found = find_area(cao_bang, written)
    assert found is not None and found.code == "01501"


def test_find_area_is_none_when_unknown_or_ambiguous() -> None:
    areas = [Area("00001", "Xã Tân Lập", "xa", "01"), Area("00002", "Xã Tân Lập", "xa", "04")]
    assert find_area(areas, "Xã Không Có") is None
    assert find_area(areas, "Tân Lập") is None
    found = find_area(areas, "Tân Lập", parent="04")
    assert found is not None and found.code == "00002"


def test_name_key_keeps_place_names_that_look_like_type_words() -> None:
    assert name_key("Xã Tĩnh Túc") == name_key("Tĩnh Túc") == "tinh tuc"
    assert name_key("Xã Phương Trung") == "phuong trung"
    assert name_key("Tp Hồ Chí Minh") == name_key("Thành phố Hồ Chí Minh") == "ho chi minh"


# --------------------------------------------------------------------------------
# Reading files: CSV and Excel, Vietnamese headers, lost zeros
# --------------------------------------------------------------------------------

VI_CSV = """Mã,Tên,Loại,Mã tỉnh,Biên giới,Dân số,Hiệu lực từ
4,Tỉnh Cao Bằng,Tỉnh,,,,01/07/2025
1273,Phường Thục Phán,phường,4,không,41.157,2025-07-01
1537,Xã Lý Quốc,Xã,04,có,"10.012",
1561,Xã Vinh Quý,XA,4,x,,
"""


def test_read_csv_with_vietnamese_headers_and_lost_zeros(tmp_path: Path) -> None:
    areas = read_areas(write(tmp_path, "don-vi.csv", VI_CSV, bom=True))
    assert [(a.code, a.type, a.parent) for a in areas] == [
        ("04", "tinh", None),
        ("01273", "phuong", "04"),
        ("01537", "xa", "04"),
        ("01561", "xa", "04"),
    ]
    assert areas[1].population == 41157 and areas[2].population == 10012
    assert [a.border for a in areas] == [False, False, True, True]
    assert areas[0].valid_from == areas[1].valid_from == dt.date(2025, 7, 1)
    assert areas[2].valid_from is None


def test_read_csv_infers_the_type_from_the_name(tmp_path: Path) -> None:
    text = "code,name,parent\n92,Tp Cần Thơ,\n1273,Phường Thục Phán,92\n31039,Xã Thạnh Phú,92\n"
    areas = read_areas(write(tmp_path, "no-type.csv", text))
    assert [a.type for a in areas] == ["thanh_pho", "phuong", "xa"]


def test_parent_by_province_name_folded(tmp_path: Path) -> None:
    # "Thanh Hoá" (old tone placement) finds "Tỉnh Thanh Hóa".
    text = "mã,tên,loại,tỉnh\n38,Tỉnh Thanh Hóa,Tỉnh,\n14845,Phường Hạc Thành,Phường,Thanh Hoá\n"
    areas = read_areas(write(tmp_path, "thanh-hoa.csv", text))
    assert areas[1].parent == "38"


def test_parent_may_be_a_known_province(tmp_path: Path, cao_bang: list[Area]) -> None:
    text = "mã,tên,mã tỉnh\n1273,Phường Thục Phán,4\n"
    areas = read_areas(write(tmp_path, "only-communes.csv", text), known=cao_bang)
    assert areas[0].parent == "04"


def test_read_xlsx_with_numbers_for_codes_and_a_title_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Danh sách đơn vị hành chính tỉnh Cao Bằng"])
    sheet.append(["Mã", "Tên đơn vị", "Loại", "Mã tỉnh", "Biên giới", "Dân số", "Hiệu lực từ"])
    sheet.append([4, "Tỉnh Cao Bằng", "Tỉnh", None, None, None, dt.datetime(2025, 7, 1)])
    sheet.append([1273, "Phường Thục Phán", "Phường", 4, 0, 41157, dt.datetime(2025, 7, 1)])
    sheet.append([1501.0, "Xã Đàm Thủy", "Xã", "04", 1, 12281.0, "01/07/2025"])
    sheet.append([None, None, None, None, None, None, None])
    path = tmp_path / "don-vi.xlsx"
    book.save(path)
    areas = read_areas(path)
    assert [(a.code, a.name, a.type, a.parent, a.border, a.population) for a in areas] == [
        ("04", "Tỉnh Cao Bằng", "tinh", None, False, None),
        ("01273", "Phường Thục Phán", "phuong", "04", False, 41157),
        ("01501", "Xã Đàm Thủy", "xa", "04", True, 12281),
    ]
    assert {a.valid_from for a in areas} == {dt.date(2025, 7, 1)}


def test_bundled_file_round_trips_through_xlsx(tmp_path: Path, cao_bang: list[Area]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "type", "parent", "border", "population", "valid_from"])
    for a in cao_bang:
        sheet.append([int(a.code), a.name, a.type, a.parent, a.border, a.population, a.valid_from])
    path = tmp_path / "04.xlsx"
    book.save(path)
    assert read_areas(path) == cao_bang


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Xã", "xa"),
        ("phường", "phuong"),
        ("PHUONG", "phuong"),
        ("Đặc khu", "dac_khu"),
        ("dac_khu", "dac_khu"),
        ("Tỉnh", "tinh"),
        ("Thành phố", "thanh_pho"),
        ("TP", "thanh_pho"),
    ],
)
def test_type_written_any_common_way(tmp_path: Path, written: str, code: str) -> None:
    if code in {"tinh", "thanh_pho"}:
        text = f"mã,tên,loại,mã tỉnh\n92,Đơn vị thử,{written},\n"
    else:
        text = f"mã,tên,loại,mã tỉnh\n92,Thành phố Cần Thơ,Thành phố,\n31039,Đơn vị thử,{written},92\n"
    assert read_areas(write(tmp_path, "t.csv", text))[-1].type == code


@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["Xã", "Phường", "Đặc khu"]))
def test_commune_codes_get_their_zeros_back(
    tmp_path_factory: pytest.TempPathFactory, number: int, kind: str
) -> None:
    # Excel shows 00004 as 4, like a province code; the unit's level decides the width.
    path = tmp_path_factory.mktemp("codes") / "c.csv"
    path.write_text(f"mã,tên,mã tỉnh\n4,Tỉnh Cao Bằng,\n{number},{kind} Thử,4\n", encoding="utf-8")
    assert read_areas(path)[1].code == f"{number:05d}"


# --------------------------------------------------------------------------------
# Bad files: every problem reported, nothing loaded
# --------------------------------------------------------------------------------

BAD_CSV = """mã,tên,loại,mã tỉnh,biên giới,dân số,hiệu lực từ
04,Tỉnh Cao Bằng,Tỉnh,,,,
01273,Phường Thục Phán,Phường,04,không,41157,
01273,Phường Nùng Trí Cao,Phường,04,,,
01537,Xã Lý Quốc,Huyện,04,,,
01558,Xã Hạ Lang,Xã,99,,,
01561,Xã Vinh Quý,Xã,04,,"mười nghìn",
01552,Xã Quang Long,Xã,04,có lẽ,,
01576,Xã Quảng Uyên,Xã,04,,,32/13/2025
"""


def test_bad_file_reports_every_row_and_loads_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as caught:
        read_areas(write(tmp_path, "bad.csv", BAD_CSV))
    problems = caught.value.problems
    found = {(p.where, p.kind) for p in problems}
    assert found == {
        ("dòng 4, cột mã", "duplicate-code"),
        ("dòng 5, cột loại", "invalid-type"),
        ("dòng 6, cột mã tỉnh", "unknown-parent"),
        ("dòng 7, cột dân số", "invalid-number"),
        ("dòng 8, cột biên giới", "invalid-boolean"),
        ("dòng 9, cột hiệu lực từ", "invalid-date"),
    }
    assert all(p.message_vi and p.message_en and p.file.endswith("bad.csv") for p in problems)
    assert "trùng với dòng 3" in next(p.message_vi for p in problems if p.kind == "duplicate-code")
    text = str(caught.value)
    assert "6 lỗi" in text and "không nạp gì" in text


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ("1273,Phường Thục Phán,Phường,04,,,", None),
        (",Phường Thục Phán,Phường,04,,,", "missing-value"),
        ("1273,,Phường,04,,,", "missing-value"),
        ("12A73,Phường Thục Phán,Phường,04,,,", "invalid-code"),
        ("1273,Phường Thục Phán,Tỉnh,,,,", "invalid-code"),
        ("1273,Phường Thục Phán,Thị trấn,04,,,", "invalid-type"),
        ("1273,Phường Thục Phán,Phường,,,,", "missing-value"),
        ("1273,Phường Thục Phán,Phường,05,,,", "unknown-parent"),
        ("1273,Phường Thục Phán,Phường,04,,-5,", "invalid-number"),
        ("1273,Phường Thục Phán,Phường,04,,12.5,", "invalid-number"),
        ("1273,Phường Thục Phán,Phường,04,,12.500,", None),
        ("1273,Phường Thục Phán,Phường,04,maybe,,", "invalid-boolean"),
        ("1273,Phường Thục Phán,Phường,04,,,1/7/25", "invalid-date"),
        ("1273,Thục Phán,,04,,,", "invalid-type"),
    ],
)
def test_bad_cell_gives_its_problem(tmp_path: Path, row: str, kind: str | None) -> None:
    text = "code,name,type,parent,border,population,valid_from\n04,Tỉnh Cao Bằng,tinh,,,,\n" + row + "\n"
    path = write(tmp_path, "one.csv", text)
    if kind is None:
        assert len(read_areas(path)) == 2
        return
    with pytest.raises(InvalidFile) as caught:
        read_areas(path)
    assert [p.kind for p in caught.value.problems] == [kind]
    assert caught.value.problems[0].where.startswith("dòng 3")


def test_missing_required_column(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as caught:
        read_areas(write(tmp_path, "x.csv", "tên,loại\nXã Lý Quốc,Xã\n"))
    assert caught.value.problems[0].kind == "missing-column"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("list.ods", b"", "unsupported-format"),
        ("latin1.csv", "mã,tên\n04,Tỉnh Cao Bằng\n".encode("latin-1", "replace") + b"\xe0", "invalid-file"),
        ("broken.xlsx", b"not a zip", "invalid-file"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidFile) as caught:
        read_areas(path)
    assert caught.value.problems[0].kind == kind


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as caught:
        read_areas(tmp_path / "none.csv")
    assert caught.value.problems[0].kind == "file-not-found"


# --------------------------------------------------------------------------------
# The whole national list (Công văn 1027/CTK-CSCL), 3,321 units
# --------------------------------------------------------------------------------


def _clean(cell: str) -> str:
    return " ".join(cell.replace("<br>", " ").split())


def _national_units() -> list[tuple[str, str, str]]:
    """(code, name, province name) for every row of the official table.

    The "Tỉnh (thành phố)" column is sometimes blank or broken across lines, so a row's
    province is taken from it when present and otherwise from the section heading
    ("TỈNH CAO BẰNG") above it; names are matched to the 34 provinces accent-folded.
    """
    by_key = {name_key(name): name for name in PROVINCE_CODES}
    units: list[tuple[str, str, str]] = []
    section = ""
    for line in NATIONAL_LIST.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [_clean(c) for c in line.strip().strip("|").split("|")]
        if len(cells) != 4:
            continue
        number, code, name, province = cells
        if not number and not code and name:
            section = by_key[name_key(name)]
            continue
        if not re.fullmatch(r"\d{5}", code):
            continue
        units.append((code, name, by_key[name_key(province)] if province else section))
    return units


@pytest.mark.skipif(not NATIONAL_LIST.exists(), reason=f"{NATIONAL_LIST} is not beside the project")
def test_national_list_of_3321_units_loads(tmp_path: Path) -> None:
    units = _national_units()
    assert len(units) == 3321
    path = tmp_path / "ca-nuoc.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mã", "Tên", "Mã tỉnh"])  # no type column: read from the names
        for province, code in PROVINCE_CODES.items():
            writer.writerow([str(int(code)), province, ""])  # zeros lost, as Excel does
        for code, name, province in units:
            writer.writerow([code.lstrip("0"), name, PROVINCE_CODES[province]])
    areas = read_areas(path)
    communes = [a for a in areas if a.is_commune]
    assert len(communes) == 3321
    assert len(areas) - len(communes) == 34
    assert Counter(a.type for a in communes)["dac_khu"] == 13
    assert all(re.fullmatch(r"\d{5}", a.code) for a in communes)
    cao_bang = {a.code: a.name for a in communes if a.parent == "04"}
    assert len(cao_bang) == 56
    assert cao_bang == {a.code: a.name for a in bundled_areas("04") if a.is_commune}
    assert Counter(a.type for a in communes if a.parent == "04") == {"xa": 53, "phuong": 3}
    assert find_area(communes, "Văn Miếu - Quốc Tử Giám", parent="01") is not None
    assert len({fold(a.name) for a in areas if not a.is_commune}) == 34
