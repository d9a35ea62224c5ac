"""Exporting observations: CSV for Excel, XLSX, JSON; filters; effective figures or every vintage."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl  # type: ignore[import-untyped, unused-ignore]
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

from chiso.areas import Area
from chiso.cli.store_commands import export_command
from chiso.indicators import Catalogue
from chiso.io.export import COLUMNS, FORMATS, ExportRow, UnknownFormat, export_observations, register_format
from chiso.io.long_csv import read_long_csv
from chiso.observations import DataStatus, Observation
from chiso.periods import parse_period
from chiso.store import Store

T0 = dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC)
ALL_EFFECTIVE = {
    ("grdp_growth", "2024"),
    ("grdp_growth", "2025"),
    ("budget_revenue", "2025"),
    ("poverty_rate_multidim", "2025"),
}


def _obs(
    indicator: str,
    period: str,
    value: float,
    status: DataStatus,
    *,
    area: str = "04",
    source: str = "Cục Thống kê tỉnh Cao Bằng",
    url: str = "https://thongkecaobang.gso.gov.vn/bao-cao",
    hours: int = 0,
) -> Observation:
    return Observation(
        indicator,
        area,
        parse_period(period),
        value,
        status,
        source,
        "Số liệu “thử” có dấu",
        "Nguyễn Thị Hà",
        T0 + dt.timedelta(hours=hours),
        url,
    )


@pytest.fixture
def filled(store: Store) -> Store:
    """Cao Bằng and one ward; GRDP growth in three vintages, other figures in one."""
    store.save_areas([Area("04", "Tỉnh Cao Bằng", "tinh"), Area("01273", "Phường Thục Phán", "phuong", "04")])
    store.add_observations(
        [
            _obs("grdp_growth", "2025", 7.0, DataStatus.ESTIMATE),
            _obs("grdp_growth", "2025", 7.15, DataStatus.PRELIMINARY, hours=1),
            _obs("grdp_growth", "2025", 7.22, DataStatus.FINAL, hours=2),
            _obs("grdp_growth", "2024", 6.74, DataStatus.FINAL),
            _obs("budget_revenue", "2025", 3400, DataStatus.FINAL, source="Sở Tài chính", url=""),
            _obs("poverty_rate_multidim", "2025", 12.5, DataStatus.FINAL, area="01273"),
        ]
    )
    return store


def _sheet(path: Path) -> Worksheet:
    sheet = openpyxl.load_workbook(path).active
    assert isinstance(sheet, Worksheet)
    return sheet


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_has_bom_vietnamese_names_and_loads_back(
    filled: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "so-lieu.csv"
    assert export_observations(filled, path, "csv", catalogue=catalogue) == 4
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    rows = _read_csv(path)
    assert tuple(rows[0]) == COLUMNS
    growth = next(r for r in rows if r["indicator"] == "grdp_growth" and r["period"] == "2025")
    assert growth["value"] == "7.22" and growth["status"] == "final"
    assert growth["indicator_name"] == "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP)"
    assert growth["area_name"] == "Tỉnh Cao Bằng" and growth["unit"] == "%"
    assert growth["note"] == "Số liệu “thử” có dấu" and growth["entered_by"] == "Nguyễn Thị Hà"
    assert growth["entered_at"] == "2026-01-15T03:30:00Z"
    ward = next(r for r in rows if r["area"] == "01273")
    assert ward["area_name"] == "Phường Thục Phán"
    budget = next(r for r in rows if r["indicator"] == "budget_revenue")
    assert budget["value"] == "3400" and budget["url"] == ""
    # The first eight columns are the long format: the export loads back into chiso.
    again = read_long_csv(path, catalogue)
    assert sorted((o.indicator, o.area, o.period.code, o.value, o.status) for o in again) == sorted(
        (r["indicator"], r["area"], r["period"], float(r["value"]), DataStatus.FINAL) for r in rows
    )


def test_xlsx_numbers_are_numbers_with_the_indicator_decimals(
    filled: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "so-lieu.xlsx"
    assert export_observations(filled, path, "xlsx", catalogue=catalogue) == 4
    sheet = _sheet(path)
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Mã chỉ số", "Mã địa bàn", "Kỳ", "Giá trị"]
    assert "Tên chỉ số" in header and "Tên địa bàn" in header
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "A2"
    rows = {(r[0].value, r[1].value, r[2].value): r for r in sheet.iter_rows(min_row=2)}
    growth = rows[("grdp_growth", "04", "2025")]
    assert isinstance(growth[3].value, float) and growth[3].value == pytest.approx(7.22)
    assert growth[3].number_format == "#,##0.00"  # grdp_growth has 2 decimals
    assert growth[4].value == "chính thức"
    assert growth[12].value == dt.datetime(2026, 1, 15, 10, 30)  # shown in Vietnam time (UTC+7)
    budget = rows[("budget_revenue", "04", "2025")]
    assert isinstance(budget[3].value, int | float) and budget[3].value == 3400
    assert budget[3].number_format == "#,##0.0"  # budget_revenue has 1 decimal
    assert rows[("poverty_rate_multidim", "01273", "2025")][1].value == "01273"  # leading zero kept
    assert sheet.column_dimensions["I"].width > len("Tên chỉ số")


def test_json_round_trip(filled: Store, catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "so-lieu.json"
    assert export_observations(filled, path, "json", catalogue=catalogue, all_vintages=True) == 6
    records = json.loads(path.read_text(encoding="utf-8"))
    assert [set(r) for r in records] == [set(COLUMNS)] * 6
    rebuilt = {
        (
            r["indicator"],
            r["area"],
            parse_period(r["period"]),
            r["value"],
            r["status"],
            r["source"],
            r["note"],
            r["url"],
            r["entered_by"],
            dt.datetime.fromisoformat(r["entered_at"]),
        )
        for r in records
    }
    stored = {
        (
            o.indicator,
            o.area,
            o.period,
            o.value,
            o.status.code,
            o.source,
            o.note,
            o.source_url,
            o.entered_by,
            o.entered_at,
        )
        for o in filled.observations()
    }
    assert rebuilt == stored


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ALL_EFFECTIVE),
        ({"indicators": ["grdp_growth"]}, {("grdp_growth", "2024"), ("grdp_growth", "2025")}),
        ({"areas": ["01273"]}, {("poverty_rate_multidim", "2025")}),
        ({"years": [2024]}, {("grdp_growth", "2024")}),
        ({"indicators": ["grdp_growth", "budget_revenue"], "years": [2025], "areas": ["04"]},
         {("grdp_growth", "2025"), ("budget_revenue", "2025")}),
        ({"years": [2019]}, set()),
    ],
)  # fmt: skip
def test_filters(
    filled: Store,
    catalogue: Catalogue,
    tmp_path: Path,
    filters: dict[str, list[str]],
    expected: set[tuple[str, str]],
) -> None:
    path = tmp_path / "chon.json"
    count = export_observations(filled, path, "json", catalogue=catalogue, **filters)  # type: ignore[arg-type]
    records = json.loads(path.read_text(encoding="utf-8"))
    assert count == len(records) == len(expected)
    assert {(r["indicator"], r["period"]) for r in records} == expected


def test_effective_only_or_every_vintage(filled: Store, catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "tang-truong.csv"
    export_observations(filled, path, "csv", catalogue=catalogue, indicators=["grdp_growth"], years=[2025])
    assert [(r["value"], r["status"]) for r in _read_csv(path)] == [("7.22", "final")]
    count = export_observations(
        filled, path, "csv", catalogue=catalogue, indicators=["grdp_growth"], years=[2025], all_vintages=True
    )
    assert count == 3
    assert [(r["value"], r["status"]) for r in _read_csv(path)] == [
        ("7", "estimate"),
        ("7.15", "preliminary"),
        ("7.22", "final"),
    ]


def test_unknown_indicator_or_format_is_an_error_and_writes_nothing(
    filled: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    with pytest.raises(UnknownFormat, match="Không có định dạng"):
        export_observations(filled, path, "ods", catalogue=catalogue)
    with pytest.raises(Exception, match="grdp_grwth"):
        export_observations(filled, path, "csv", catalogue=catalogue, indicators=["grdp_grwth"])
    assert not path.exists()


def test_an_outside_format_registers_like_the_built_in_ones(
    filled: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    def write_tsv(path: Path, rows: Sequence[ExportRow]) -> None:
        path.write_text("".join(f"{r.observation.indicator}\t{r.observation.value}\n" for r in rows))

    register_format("tsv", suffix=".tsv")(write_tsv)
    try:
        path = tmp_path / "x.tsv"
        assert export_observations(filled, path, "tsv", catalogue=catalogue, areas=["01273"]) == 1
        assert path.read_text() == "poverty_rate_multidim\t12.5\n"
    finally:
        del FORMATS["tsv"]


def test_cli_export_guesses_the_format_from_the_suffix(
    filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("chiso.cli.store_commands.default_store", lambda: filled)
    out = tmp_path / "grdp.xlsx"
    result = CliRunner().invoke(
        export_command, ["--indicator", "grdp_growth", "--all-vintages", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Đã xuất 4 dòng" in result.output
    assert _sheet(out).max_row == 5
