"""The ``chiso`` command as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.cli import main
from tests.conftest import SHARED_DATA

FIGURES = """indicator,area,period,value,status,source,note
grdp_growth,04,2026,"7,2",ước tính,Báo cáo KT-XH 2026,
grdp_per_capita,04,2026,"55,2",ước tính,Báo cáo KT-XH 2026,
poverty_rate_multidim,4,2025,20.1,chính thức,Sở Nông nghiệp và Môi trường,
poverty_rate_multidim,4,2026,17.0,sơ bộ,Sở Nông nghiệp và Môi trường,
"""


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHISO_DATABASE_URL", raising=False)
    return CliRunner()


def test_resolution_check_valid(runner: CliRunner) -> None:
    result = runner.invoke(main, ["resolution", "check", "cao-bang-2025-2030"])
    assert result.exit_code == 0, result.output
    assert "Hợp lệ" in result.output
    assert "tăng trưởng bình quân năm" in result.output


def test_resolution_check_invalid(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\ntitle: T\nprovince: '04'\nterm: [2025, 2030]\ngroups: [{id: g, name: G}]\n"
        "targets:\n  - {id: a, number: 1, group: g, text: t, indicator: grdp_growth, kind: level,"
        " comparater: '>=', value: 1}\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["resolution", "check", str(bad)])
    assert result.exit_code == 2
    assert "chỉ tiêu a" in result.output and "comparater" in result.output
    assert "trường không được phép" in result.output  # Vietnamese
    assert "Extra inputs are not permitted" in result.output  # and English


def test_assess_json_from_csv(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "figures.csv"
    data.write_text(FIGURES, encoding="utf-8")
    result = runner.invoke(main, ["assess", "--data", str(data), "--as-of", "2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = {r["id"]: r for r in json.loads(result.output)}
    growth = records["1a"]
    for key in (
        "id",
        "number",
        "group",
        "indicator",
        "kind",
        "status",
        "latest",
        "target",
        "progress_ratio",
        "explanation",
    ):
        assert key in growth
    assert growth["status"] == "needs_acceleration"
    assert growth["latest"] == {
        "value": 7.2,
        "period": "2026",
        "period_label": "năm 2026",
        "data_status": "estimate",
        "source": "Báo cáo KT-XH 2026",
    }
    assert growth["target"]["comparator"] == ">=" and growth["target"]["year"] == 2030
    assert records["6"]["status"] == "on_track"
    assert records["1b"]["status"] in {"on_track", "needs_acceleration"}


def test_assess_table_is_vietnamese(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "figures.csv"
    data.write_text(FIGURES, encoding="utf-8")
    result = runner.invoke(main, ["assess", "--data", str(data), "--as-of", "2026"], env={"COLUMNS": "140"})
    assert result.exit_code == 0, result.output
    assert "Cần tăng tốc" in result.output
    assert "7,2 (2026, ước tính)" in result.output
    assert "chỉ tiêu" in result.output.splitlines()[-1]


def test_assess_csv(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "figures.csv"
    data.write_text(FIGURES, encoding="utf-8")
    result = runner.invoke(main, ["assess", "--data", str(data), "--as-of", "2026", "--format", "csv"])
    assert result.exit_code == 0
    header, first = result.output.splitlines()[:2]
    assert header.startswith("id,number,group,indicator,kind,status")
    assert first.startswith("1a,1,")


def test_assess_bad_csv_names_the_cell(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "figures.csv"
    data.write_text(FIGURES + "grdp_growth,04,2027,bảy,ước tính,x,\n", encoding="utf-8")
    result = runner.invoke(main, ["assess", "--data", str(data)])
    assert result.exit_code == 2
    assert "dòng 6, cột value" in result.output


def test_every_command_has_help_with_example(runner: CliRunner) -> None:
    def walk(group, prefix):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])
            else:
                yield [*prefix, name], command

    for path, command in walk(main, []):
        assert command.help and "Example:" in command.help, path
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path


SHARED = SHARED_DATA


def test_areas_import_and_list(runner: CliRunner, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(
        "Mã,Tên,Loại,Mã tỉnh\n4,Tỉnh Cao Bằng,Tỉnh,\n1273,Phường Thục Phán,Phường,04\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["areas", "import", str(units), "--actor", "thử"])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(main, ["areas", "list", "--province", "04"])
    assert "01273" in listed.output and "Phường Thục Phán" in listed.output


def test_areas_import_refuses_a_bad_file(runner: CliRunner, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text("Mã,Tên,Loại,Mã tỉnh\n01273,Phường Thục Phán,Thôn,04\n", encoding="utf-8")
    result = runner.invoke(main, ["areas", "import", str(units)])
    assert result.exit_code == 2
    assert "dòng 2" in result.output


@pytest.mark.skipif(not (SHARED / "cao-bang-merges-2025.json").exists(), reason="shared data not present")
def test_areas_reaggregate_sums_old_communes(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "old.csv"
    # Phường Thục Phán (01273) = 01267 + 01273 + 01282 + 01705 + 01696 (old codes).
    rows = ["indicator,area,period,value,status,source"]
    rows += [
        f"new_rural_communes,{code},2024,1,chính thức,Sở NN"
        for code in ("01267", "01273", "01282", "01705", "01696")
    ]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "new.csv"
    result = runner.invoke(
        main,
        [
            "areas",
            "reaggregate",
            str(data),
            "--merges",
            str(SHARED / "cao-bang-merges-2025.json"),
            "--rule",
            "sum",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "new_rural_communes,01273,2024,5.0" in text
