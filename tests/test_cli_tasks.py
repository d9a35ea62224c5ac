"""``chiso tasks`` as the province and a department use it, with the clock set by --today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from chiso.cli.tasks import tasks


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CHISO_DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich tables: one line per row
    return CliRunner()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(tasks, list(args), catch_exceptions=False)


def flat(result: Result) -> str:
    return " ".join(result.output.split())


def test_every_subcommand_has_help_with_an_example() -> None:
    assert set(tasks.commands) == {"load", "list", "update", "scorecard", "digest", "export", "import"}
    for name, command in tasks.commands.items():
        assert command.help and "Example:" in command.help, name


@pytest.fixture
def assigned(runner: CliRunner, tmp_path: Path) -> CliRunner:
    """The tree loaded and two tasks given a due date by the province (a CSV it imports)."""
    result = run(runner, "load")
    assert result.exit_code == 0, result.output
    assert "Nhiệm vụ: 40 mới" in result.output
    plan = tmp_path / "giao-han.csv"
    plan.write_text(
        "Mã nhiệm vụ,Tên nhiệm vụ,Cơ quan chủ trì,Ngày bắt đầu,Hạn hoàn thành\n"
        "DP2.4,Khắc phục 100% điểm tiềm ẩn tai nạn giao thông trên các tuyến quốc lộ,Sở Xây dựng,"
        "01/01/2026,01/12/2026\n"
        "CT1.3,Đẩy mạnh quảng bá; xây dựng thương hiệu du lịch,SVHTTDL,01/01/2026,31/12/2026\n",
        encoding="utf-8",
    )
    result = run(runner, "import", str(plan), "--actor", "Văn phòng UBND tỉnh")
    assert result.exit_code == 0, result.output
    assert "Đã nhập: 0 mới; 2 thay đổi; 0 không đổi" in result.output
    return runner


def test_load_twice_changes_nothing(assigned: CliRunner) -> None:
    result = run(assigned, "load")
    assert result.exit_code == 0
    assert "Nhiệm vụ: 0 thay đổi (40 không đổi)." in result.output


def test_a_department_reports_progress_with_a_file_and_only_on_its_tasks(
    assigned: CliRunner, tmp_path: Path
) -> None:
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban nghiem thu")
    result = run(
        assigned,
        "update",
        "DP2.4",
        "--percent",
        "60",
        "--text",
        "Đã xử lý 12/20 điểm đen",
        "--evidence",
        str(evidence),
        "--as",
        "Sở Xây dựng",
        "--author",
        "sxd.nguyenvana",
    )
    assert result.exit_code == 0, result.output
    assert "Đã ghi báo cáo tiến độ nhiệm vụ DP2.4" in result.output
    assert "Trạng thái: Đang thực hiện; tiến độ 60%." in result.output
    stored = list((tmp_path / "home" / "files").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == evidence.read_bytes()

    refused = assigned.invoke(tasks, ["update", "DP2.4", "--percent", "90", "--as", "SVHTTDL"])
    assert refused.exit_code == 2
    assert "không chủ trì nhiệm vụ DP2.4" in refused.output

    link = run(
        assigned,
        "update",
        "CT1.3",
        "--text",
        "Tạm dừng chờ kinh phí",
        "--pause",
        "--evidence",
        "https://svhttdl.caobang.gov.vn/cv-123",
        "--as",
        "svhttdl",
    )
    assert link.exit_code == 0 and "Trạng thái: Tạm dừng" in link.output
    by_province = run(assigned, "update", "CT1.3", "--resume", "--percent", "10", "--as", "tỉnh")
    assert by_province.exit_code == 0 and "Đang thực hiện" in by_province.output

    listed = run(assigned, "list", "--agency", "SXD", "--status", "đang thực hiện", "--format", "json")
    assert [t["code"] for t in json.loads(listed.output)] == ["DP2", "DP2.4"]
    scorecard = json.loads(run(assigned, "scorecard", "--format", "json").output)
    sxd = next(s for s in scorecard if s["agency"] == "Sở Xây dựng")
    assert (sxd["total"], sxd["in_progress"]) == (8, 1)
    table = run(assigned, "scorecard")
    assert table.exit_code == 0 and "Toàn tỉnh" in flat(table)


def test_digest_names_an_overdue_task_on_the_right_day(assigned: CliRunner, tmp_path: Path) -> None:
    early = run(assigned, "digest", "--today", "2026-11-23")
    assert "Không có nhiệm vụ quá hạn hoặc sắp đến hạn." in early.output
    soon = run(assigned, "digest", "--today", "2026-11-29")
    assert soon.exit_code == 0
    assert "NHẮC VIỆC — ngày 29/11/2026" in soon.output and "Sắp đến hạn:" in soon.output
    assert (
        "DP2.4 Khắc phục 100% điểm tiềm ẩn tai nạn giao thông" in soon.output and "còn 2 ngày" in soon.output
    )
    out = tmp_path / "nhac-viec.txt"
    late = run(assigned, "digest", "--today", "02/12/2026", "-o", str(out))
    assert late.exit_code == 0 and "1 quá hạn, 0 sắp đến hạn" in late.output
    text = out.read_text(encoding="utf-8")
    assert "Quá hạn:" in text and "DP2.4" in text and "quá hạn 1 ngày" in text and "Sở Xây dựng" in text
    data = json.loads(run(assigned, "digest", "--today", "2026-12-02", "--format", "json").output)
    assert [i["code"] for i in data["overdue"]] == ["DP2.4"]
    own = run(assigned, "digest", "--today", "2026-12-26", "--agency", "SVHTTDL")
    assert "CT1.3" in own.output and "DP2.4" not in own.output
    overdue = json.loads(
        run(assigned, "list", "--overdue", "--today", "2026-12-02", "--format", "json").output
    )
    assert [t["code"] for t in overdue] == ["DP2", "DP2.4"]
    month = json.loads(
        run(assigned, "list", "--due-this-month", "--today", "2026-12-15", "--format", "json").output
    )
    assert [t["code"] for t in month] == ["DP2.4", "CT1.3"] or [t["code"] for t in month] == [
        "CT1.3",
        "DP2.4",
    ]


def test_export_imports_back_unchanged_and_a_bad_file_is_refused(assigned: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "nhiem-vu.xlsx"
    exported = run(assigned, "export", "-o", str(out), "--today", "2026-12-02")
    assert exported.exit_code == 0 and out.is_file()
    back = run(assigned, "import", str(out))
    assert back.exit_code == 0 and "Đã nhập: 0 thay đổi (40 không đổi)" in back.output
    bad = tmp_path / "sai.csv"
    bad.write_text(
        "Mã nhiệm vụ,Tên nhiệm vụ,Cơ quan chủ trì,Hạn hoàn thành\n"
        "DP2.4,Khắc phục,Sở Giao thông vận tải,32/12/2026\n",
        encoding="utf-8",
    )
    refused = assigned.invoke(tasks, ["import", str(bad)])
    assert refused.exit_code == 2
    text = flat(refused)
    assert "Không ghi gì: tệp có 2 lỗi" in text and "Sở Giao thông vận tải" in text and "sai!C2" in text


def test_bad_options_are_usage_errors(runner: CliRunner) -> None:
    assert runner.invoke(tasks, ["digest", "--today", "hôm qua"]).exit_code == 2
    assert runner.invoke(tasks, ["list", "--status", "xong rồi"]).exit_code == 2
    missing = runner.invoke(
        tasks, ["update", "DP2.4", "--percent", "10", "--evidence", "khong-co.pdf", "--as", "SXD"]
    )
    assert missing.exit_code == 2 and "không tìm thấy tệp" in missing.output
