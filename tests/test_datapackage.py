"""The open-data package: frictionless accepts it, it credits every source, and a broken one is refused."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import frictionless
import pytest

from chiso.areas import Area
from chiso.cli.store_commands import datapackage_command
from chiso.indicators import Catalogue
from chiso.io.datapackage import write_datapackage
from chiso.observations import DataStatus, Observation
from chiso.periods import parse_period
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store import Store
from chiso.targets import Resolution

GSO = "Cục Thống kê tỉnh Cao Bằng – Báo cáo tình hình kinh tế – xã hội năm 2025"
GSO_URL = "https://thongkecaobang.gso.gov.vn/bao-cao-2025.html?id=1&&p=2"
PAPER_URL = "https://baocaobang.vn/tang-truong-grdp-2024"


def _obs(
    indicator: str, period: str, value: float, status: DataStatus, source: str, url: str, area: str = "04"
) -> Observation:
    return Observation(
        indicator,
        area,
        parse_period(period),
        value,
        status,
        source,
        entered_at=dt.datetime(2026, 1, 15, tzinfo=dt.UTC),
        source_url=url,
    )


@pytest.fixture
def resolution() -> tuple[Resolution, Catalogue]:
    """The Cao Bằng resolution and the catalogue it is read with."""
    return load_resolution(resolve_resolution_path("cao-bang-2025-2030"))


@pytest.fixture
def filled(store: Store) -> Store:
    """Three areas and figures from three sources, one with no address, one estimate superseded."""
    store.save_areas(
        [
            Area("04", "Tỉnh Cao Bằng", "tinh"),
            Area("01273", "Phường Thục Phán", "phuong", "04", population=41157),
            Area("01363", "Xã Trà Lĩnh", "xa", "04", border=True),
        ]
    )
    store.add_observations(
        [
            _obs("grdp_growth", "2024", 6.74, DataStatus.FINAL, "Báo Cao Bằng", PAPER_URL),
            _obs("grdp_growth", "2025", 7.0, DataStatus.ESTIMATE, "Báo Cao Bằng", PAPER_URL),
            _obs("grdp_growth", "2025", 7.22, DataStatus.FINAL, GSO, GSO_URL),
            _obs("grdp_per_capita", "2025", 50.73, DataStatus.FINAL, GSO, GSO_URL),
            _obs(
                "poverty_rate_multidim", "2025", 12.5, DataStatus.PRELIMINARY, "Sở Nông nghiệp", "", "01363"
            ),
            _obs("budget_revenue", "2025-9M", 2850.5, DataStatus.ESTIMATE, GSO, GSO_URL),
        ]
    )
    return store


def _validate(descriptor: Path) -> frictionless.Report:
    report: frictionless.Report = frictionless.validate(str(descriptor))
    return report


def _errors(report: frictionless.Report) -> set[str]:
    return {row[0] for row in report.flatten(["type"])}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_frictionless_accepts_the_package(
    filled: Store, resolution: tuple[Resolution, Catalogue], tmp_path: Path
) -> None:
    res, catalogue = resolution
    descriptor = write_datapackage(
        filled,
        tmp_path / "open",
        catalogue=catalogue,
        resolution=res,
        title="Số liệu theo dõi Nghị quyết Đại hội XX tỉnh Cao Bằng",
        licence="CC-BY-4.0",
        as_of=2026,
        publisher="Cục Thống kê tỉnh Cao Bằng",
    )
    report = _validate(descriptor)
    assert report.valid, report.flatten(["type", "message"])
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    assert {r["name"] for r in package["resources"]} == {"observations", "indicators", "areas", "assessment"}
    assert package["title"] == "Số liệu theo dõi Nghị quyết Đại hội XX tỉnh Cao Bằng"
    assert "Cao Bằng" in package["description"] and "chính thức" in package["description"]
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    assert dt.datetime.fromisoformat(package["created"]).tzinfo is not None
    assert {"title": "Cục Thống kê tỉnh Cao Bằng", "role": "publisher"} in package["contributors"]
    schemas = {r["name"]: r["schema"] for r in package["resources"]}
    observations = schemas["observations"]
    assert observations["primaryKey"] == ["indicator", "area", "period"]
    assert {fk["reference"]["resource"] for fk in observations["foreignKeys"]} == {"indicators", "areas"}
    assert all(f["title"] and f["description"] for s in schemas.values() for f in s["fields"])
    assert {f["name"]: f["title"] for f in observations["fields"]}["value"] == "Giá trị"
    # The effective figure of each cell, not the superseded estimate.
    rows = _rows(tmp_path / "open" / "data" / "observations.csv")
    assert len(rows) == 5
    assert [r["value"] for r in rows if r["indicator"] == "grdp_growth" and r["period"] == "2025"] == ["7.22"]
    assessment = _rows(tmp_path / "open" / "data" / "assessment.csv")
    assert len(assessment) == len(res.targets)


def test_sources_list_every_source_with_its_address(
    filled: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    descriptor = write_datapackage(
        filled, tmp_path / "open", catalogue=catalogue, title="Số liệu", licence="CC-BY-4.0"
    )
    sources = json.loads(descriptor.read_text(encoding="utf-8"))["sources"]
    rows = _rows(tmp_path / "open" / "data" / "observations.csv")
    assert (
        {r["url"] for r in rows if r["url"]}
        == {s["path"] for s in sources if "path" in s}
        == {
            GSO_URL,
            PAPER_URL,
        }
    )
    assert {r["source"] for r in rows} == {s["title"] for s in sources}
    assert {"title": "Sở Nông nghiệp"} in sources  # a source without an address is still credited


def test_all_vintages_has_no_primary_key_and_still_validates(
    filled: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    descriptor = write_datapackage(
        filled,
        tmp_path / "open",
        catalogue=catalogue,
        title="Mọi phiên bản",
        licence="CC0-1.0",
        all_vintages=True,
    )
    report = _validate(descriptor)
    assert report.valid, report.flatten(["type", "message"])
    assert len(_rows(tmp_path / "open" / "data" / "observations.csv")) == 6
    observations = json.loads(descriptor.read_text(encoding="utf-8"))["resources"][0]
    assert "primaryKey" not in observations["schema"]


def test_figures_for_areas_not_in_the_store_still_make_a_valid_package(
    store: Store, catalogue: Catalogue, tmp_path: Path
) -> None:
    store.add_observations([_obs("grdp_growth", "2025", 7.22, DataStatus.FINAL, GSO, GSO_URL)])
    descriptor = write_datapackage(
        store, tmp_path / "open", catalogue=catalogue, title="Số liệu", licence="CC-BY-4.0"
    )
    report = _validate(descriptor)
    assert report.valid, report.flatten(["type", "message"])
    schema = json.loads(descriptor.read_text(encoding="utf-8"))["resources"][0]["schema"]
    assert [fk["reference"]["resource"] for fk in schema["foreignKeys"]] == ["indicators"]


def _break_cell(rows: list[dict[str, str]]) -> None:
    rows[0]["value"] = "bảy phẩy hai"


def _break_area(rows: list[dict[str, str]]) -> None:
    rows[0]["area"] = "99999"


def _break_key(rows: list[dict[str, str]]) -> None:
    rows[1].update({k: rows[0][k] for k in ("indicator", "area", "period")})


@pytest.mark.parametrize(
    ("damage", "error"),
    [(_break_cell, "type-error"), (_break_area, "foreign-key"), (_break_key, "primary-key")],
)
def test_a_broken_package_is_rejected(
    filled: Store, catalogue: Catalogue, tmp_path: Path, damage: Any, error: str
) -> None:
    good = write_datapackage(
        filled, tmp_path / "good", catalogue=catalogue, title="Số liệu", licence="CC-BY-4.0"
    )
    assert _validate(good).valid
    broken = tmp_path / "broken"
    shutil.copytree(tmp_path / "good", broken)
    data = broken / "data" / "observations.csv"
    rows = _rows(data)
    damage(rows)
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = _validate(broken / "datapackage.json")
    assert not report.valid
    assert error in _errors(report)


def test_cli_writes_a_valid_package(filled: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr("chiso.cli.store_commands.default_store", lambda: filled)
    out = tmp_path / "mo"
    result = CliRunner().invoke(
        datapackage_command, ["-o", str(out), "--resolution", "cao-bang-2025-2030", "--as-of", "2026"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "data" / "assessment.csv").exists()
    assert _validate(out / "datapackage.json").valid
