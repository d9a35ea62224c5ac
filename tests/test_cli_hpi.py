"""``chiso hpi`` as a user runs it: form, simulate, import, score, results."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chiso.cli import main
from chiso.cli.hpi import hpi


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHISO_DATABASE_URL", raising=False)
    return CliRunner()


def test_every_subcommand_has_help_with_an_example() -> None:
    for name, command in hpi.commands.items():
        assert command.help and "Example:" in command.help, name


def test_form_to_target_9(runner: CliRunner, tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    result = runner.invoke(main, ["hpi", "form", "-o", str(form)])
    assert result.exit_code == 0, result.output
    assert form.is_file() and "56 xã/phường" in result.output

    export = tmp_path / "export.csv"
    result = runner.invoke(
        main, ["hpi", "simulate", "--wave", "2026", "--per-commune", "40", "-o", str(export), "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "DỮ LIỆU MÔ PHỎNG" in result.output and "2.240 phiếu" in result.output

    result = runner.invoke(main, ["hpi", "import", str(export), "--wave", "2026"])
    assert result.exit_code == 0, result.output
    assert "phiếu mới" in result.output and "DỮ LIỆU MÔ PHỎNG" in result.output
    again = runner.invoke(main, ["hpi", "import", str(export), "--wave", "2026"])
    assert again.exit_code == 0, again.output
    assert "0 phiếu mới" in again.output

    result = runner.invoke(main, ["hpi", "score", "--wave", "2026", "--replicates", "50"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    for words in ("Xã/phường", "CB-HPI", "khoảng tin cậy 95%", "cờ", "DỮ LIỆU MÔ PHỎNG", "Toàn bộ mẫu"):
        assert words in text
    assert "Xã, phường đạt từ 90 điểm trở lên:" in text
    assert "Chỉ tiêu (9):" in text and "/56 xã, phường đạt" in text

    result = runner.invoke(main, ["hpi", "score", "--wave", "2026", "--replicates", "50", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["synthetic"] is True and payload["label"] == "DỮ LIỆU MÔ PHỎNG"
    assert payload["run"] == 2 and len(payload["communes"]) == 56
    assert len(payload["methodology_sha256"]) == 64 and payload["seed"] == 2026
    first = payload["communes"][0]
    assert {"code", "name", "n", "clusters", "score", "ci_low", "ci_high", "flags"} <= set(first)
    assert payload["targets"][0]["id"] == "9"
    assert payload["at_least_90"]["of"] == 56

    result = runner.invoke(main, ["hpi", "results", "--wave", "2026", "--run", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 57 and rows[-1]["code"] == "*"
    assert {r["label"] for r in rows} == {"DỮ LIỆU MÔ PHỎNG"}
    by_code = {r["code"]: r["score"] for r in rows}
    assert {c["code"]: c["score"] for c in payload["communes"]} == {
        k: pytest.approx(float(v)) for k, v in by_code.items() if k != "*"
    }


def test_a_bad_export_lists_located_problems_and_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("consent,respondent/commune,meta/instanceID\n1,99999,uuid:a\n", encoding="utf-8")
    result = runner.invoke(main, ["hpi", "import", str(bad), "--wave", "2026"])
    assert result.exit_code == 2
    assert "không nạp gì" in result.output and "thiếu cột của câu q01" in result.output


def test_results_of_an_unknown_wave(runner: CliRunner) -> None:
    result = runner.invoke(main, ["hpi", "results", "--wave", "2031"])
    assert result.exit_code == 2
    assert "Chưa có đợt khảo sát “2031”" in result.output


def test_plan_and_close(runner: CliRunner) -> None:
    result = runner.invoke(main, ["hpi", "plan", "--wave", "2027", "--per-commune", "45"])
    assert result.exit_code == 0, result.output
    assert "45 phiếu ở mỗi xã/phường, 56 xã/phường" in result.output
    result = runner.invoke(main, ["hpi", "close", "--wave", "2027"])
    assert result.exit_code == 0 and "Đã đóng đợt 2027" in result.output
