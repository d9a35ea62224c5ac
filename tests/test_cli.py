"""The ``chiso`` command as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.cli import main

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
