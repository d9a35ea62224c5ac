"""The task table in Excel and CSV: export, import back unchanged, refuse a bad file whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from chiso.io.tables import Sheet, read_table
from chiso.io.tasks_excel import COLUMNS, bundled_agencies, export_tasks, import_tasks, validate_tasks
from chiso.store import Store
from chiso.store import tasks_repo as repo
from chiso.store.models import AuditEntry
from chiso.tasks import Priority, Task

D = dt.date
TODAY = D(2026, 12, 2)
LETTER = {c.role: chr(ord("A") + i) for i, c in enumerate(COLUMNS)}  # role → column letter
FIRST = 4  # the first data row of an exported workbook (title, note, header above)


@pytest.fixture
def loaded(store: Store) -> Store:
    repo.load_initial_tree(store)
    repo.edit_task(store, "CT1.2", {"start": D(2026, 1, 1), "due": D(2026, 12, 1)}, actor="vp", role="admin")
    repo.add_update(
        store, "CT1.2", author="svh", role="province", agency=None, percent=50, on=D(2026, 11, 20)
    )
    return store


def audit_count(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def row_of(ws: object, code: str) -> int:
    for r in range(FIRST, ws.max_row + 1):  # type: ignore[attr-defined]
        if ws[f"{LETTER['code']}{r}"].value == code:  # type: ignore[index]
            return r
    raise KeyError(code)


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_exported_file_imports_back_unchanged(loaded: Store, tmp_path: Path, suffix: str) -> None:
    path = export_tasks(loaded, tmp_path / f"nhiem-vu{suffix}", TODAY)
    before = audit_count(loaded)
    report = import_tasks(loaded, path, actor="vp")
    assert not report.problems, [str(p) for p in report.problems]
    assert report.validation.rows_read == 40
    assert report.summary == "Đã nhập: 0 thay đổi (40 không đổi)"
    assert audit_count(loaded) == before


def test_the_exported_workbook_reads_like_the_province_expects(loaded: Store, tmp_path: Path) -> None:
    ws = load_workbook(export_tasks(loaded, tmp_path / "nv.xlsx", TODAY)).active
    assert ws is not None
    assert str(ws["A1"].value).startswith("DANH MỤC NHIỆM VỤ") and "02/12/2026" in str(ws["A1"].value)
    assert [c.value for c in ws[3]] == [c.header for c in COLUMNS]
    assert [ws[f"A{r}"].value for r in range(FIRST, FIRST + 3)] == ["1", "1.1", "1.2"]
    r = row_of(ws, "CT1.2")
    assert ws[f"{LETTER['due']}{r}"].value == dt.datetime(2026, 12, 1)
    assert ws[f"{LETTER['due']}{r}"].number_format == "DD/MM/YYYY"
    assert ws[f"{LETTER['status']}{r}"].value == "Quá hạn"
    assert ws[f"{LETTER['progress']}{r}"].value == 50
    assert ws[f"{LETTER['lead']}{r}"].value == "Sở Văn hóa, Thể thao và Du lịch"
    assert ws[f"{LETTER['parent']}{r}"].value == "CT1"
    assert ws[f"{LETTER['priority']}{r}"].value == "Trung bình"
    assert ws[f"{LETTER['targets']}{row_of(ws, 'DP2.5')}"].value == "t-commune-roads, t-provincial-roads"


def test_edited_and_new_rows_are_written(loaded: Store, tmp_path: Path) -> None:
    path = export_tasks(loaded, tmp_path / "nv.xlsx", TODAY)
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    r = row_of(ws, "CT1.1")
    ws[f"{LETTER['due']}{r}"] = "30/06/2027"
    ws[f"{LETTER['cooperating']}{r}"] = "Sở Nông nghiệp và Môi trường; UBND xã Đàm Thủy"
    new = ws.max_row + 1
    ws[f"{LETTER['parent']}{new}"] = "CT1"
    ws[f"{LETTER['title']}{new}"] = "Tổ chức Lễ hội thác Bản Giốc"
    ws[f"{LETTER['lead']}{new}"] = "svhttdl"
    ws[f"{LETTER['priority']}{new}"] = "Cao"
    ws[f"{LETTER['title']}{new + 1}"] = "Nhiệm vụ mới của tỉnh"
    wb.save(path)

    dry = import_tasks(loaded, path, dry_run=True)
    assert dry.summary == "Chạy thử, chưa ghi gì: 2 mới; 1 thay đổi; 39 không đổi"
    assert repo.get_task(loaded, "CT1.1").due is None
    report = import_tasks(loaded, path, actor="vp")
    assert report.summary == "Đã nhập: 2 mới; 1 thay đổi; 39 không đổi"
    edited = repo.get_task(loaded, "CT1.1")
    assert edited.due == D(2027, 6, 30)
    assert edited.cooperating == ("Sở Nông nghiệp và Môi trường", "UBND xã Đàm Thủy")
    added = repo.get_task(loaded, "CT1.6")
    assert (added.parent, added.lead, added.priority) == (
        "CT1",
        "Sở Văn hóa, Thể thao và Du lịch",
        Priority.HIGH,
    )
    assert added.resolution == "cao-bang-2025-2030"
    assert repo.get_task(loaded, "NV1").parent is None
    assert [v.task.code for v in repo.list_tasks(loaded, TODAY)][:7][-1] == "CT1.6"  # after its siblings
    again = import_tasks(loaded, export_tasks(loaded, tmp_path / "lan2.xlsx", TODAY))
    assert again.summary == "Đã nhập: 0 thay đổi (42 không đổi)"


def test_a_bad_file_is_refused_whole_with_located_problems(loaded: Store, tmp_path: Path) -> None:
    path = export_tasks(loaded, tmp_path / "nv.xlsx", TODAY)
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    edits = {
        ("CT1.1", "lead"): "Sở Không Có",
        ("CT1.3", "due"): "31/02/2026",
        ("CT1.4", "start"): "01/06/2026",
        ("CT1.4", "due"): "01/01/2026",
        ("CT1.5", "targets"): "t-tourism-grdp, 99z",
        ("CT2.1", "parent"): "XX9",
        ("CT2.2", "title"): None,
        ("CT2.3", "due"): "01/03/2027",  # a valid change: not written either
    }
    rows = {code: row_of(ws, code) for code, _ in edits}
    for (code, role), value in edits.items():
        ws[f"{LETTER[role]}{rows[code]}"] = value
    wb.save(path)
    before = audit_count(loaded)

    report = import_tasks(loaded, path, actor="vp")

    located = {(p.kind, p.where, p.content) for p in report.problems}
    sheet = "Nhiệm vụ"
    assert located == {
        ("unknown-agency", f"{sheet}!{LETTER['lead']}{rows['CT1.1']}", "Sở Không Có"),
        ("invalid-date", f"{sheet}!{LETTER['due']}{rows['CT1.3']}", "31/02/2026"),
        ("due-before-start", f"{sheet}!{LETTER['due']}{rows['CT1.4']}", "01/01/2026"),
        ("unknown-target", f"{sheet}!{LETTER['targets']}{rows['CT1.5']}", "t-tourism-grdp, 99z"),
        ("unknown-parent", f"{sheet}!{LETTER['parent']}{rows['CT2.1']}", "XX9"),
        ("missing-title", f"{sheet}!{LETTER['title']}{rows['CT2.2']}", ""),
    }
    messages = " ".join(p.message_vi for p in report.problems)
    for words in ("Sở Không Có", "không có thật", "trước ngày bắt đầu", "99z", "XX9", "thiếu tên nhiệm vụ"):
        assert words in messages
    assert report.refused and report.summary == "Không ghi gì: tệp có 6 lỗi"
    assert repo.get_task(loaded, "CT2.3").due is None
    assert audit_count(loaded) == before


AGENCIES = bundled_agencies("04")
TARGETS = {"t-tourism-grdp", "7", "10a"}
EXISTING = [
    Task("CT1", "Chương trình", "Sở Văn hóa, Thể thao và Du lịch"),
    Task("CT1.1", "Việc", parent="CT1"),
]
HEADER = [
    "Mã nhiệm vụ",
    "Mã nhiệm vụ cha",
    "Tên nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Chỉ tiêu liên quan",
    "Ngày bắt đầu",
    "Hạn hoàn thành",
    "Mức ưu tiên",
]
GOOD = [
    "N1",
    "CT1",
    "Việc mới",
    "Sở Xây dựng",
    "Sở Y tế; UBND xã Trà Lĩnh",
    "7, 10a",
    "01/01/2026",
    "31/12/2026",
    "Cao",
]


@pytest.mark.parametrize(
    ("column", "value", "kind"),
    [
        (0, "mã có dấu", "invalid-code"),
        (0, "CT1.1", None),  # an existing task's code: the row updates it
        (1, "XX9", "unknown-parent"),
        (1, "N1", "cycle"),
        (2, "", "missing-title"),
        (3, "Sở Không Có", "unknown-agency"),
        (3, "sxd", None),
        (4, "Sở Y tế; Phòng Không Có", "unknown-agency"),
        (5, "99z", "unknown-target"),
        (6, "2026/13/01", "invalid-date"),
        (7, "31/06/2026", "invalid-date"),
        (7, "31/12/2025", "due-before-start"),
        (7, dt.date(2026, 12, 31), None),
        (7, 46387, None),  # an Excel serial number: 31/12/2026
        (8, "khẩn", "invalid-priority"),
    ],
)
def test_each_bad_cell_gives_its_problem(column: int, value: object, kind: str | None) -> None:
    row = list(GOOD)
    row[column] = value  # type: ignore[call-overload]
    sheet = Sheet("Sheet1", [["Danh mục nhiệm vụ"], HEADER, row])
    result = validate_tasks([sheet], agencies=AGENCIES, target_ids=TARGETS, existing=EXISTING, resolution="r")
    assert [p.kind for p in result.problems] == ([kind] if kind else [])
    if kind:
        (problem,) = result.problems
        assert (problem.sheet, problem.row, problem.column) == ("Sheet1", 3, "ABCDEFGHI"[column])
        assert problem.where == f"Sheet1!{'ABCDEFGHI'[column]}3"
    else:
        (task,) = result.tasks
        assert task.due == D(2026, 12, 31)


def test_duplicate_codes_in_a_file_are_refused() -> None:
    sheet = Sheet("S", [HEADER, GOOD, GOOD])
    result = validate_tasks([sheet], agencies=AGENCIES, target_ids=TARGETS, existing=EXISTING)
    assert [(p.kind, p.where) for p in result.problems] == [("duplicate", "S!A3")]
    assert "dòng 2" in result.problems[0].message_vi


def test_a_hand_typed_csv_with_semicolons_and_no_accents_is_read(loaded: Store, tmp_path: Path) -> None:
    path = tmp_path / "giao-viec.csv"
    path.write_text(
        "Ma nhiem vu;Ten nhiem vu;Co quan chu tri;Han hoan thanh\n"
        "DP2.4;Khắc phục 100% điểm tiềm ẩn tai nạn giao thông trên các tuyến quốc lộ;Sở Xây dựng;30/11/2026\n"
        ";Rà soát điểm đen giao thông năm 2026;Công an tỉnh;15/12/2026\n",
        encoding="utf-8",
    )
    assert read_table(path)[0].delimiter == ";"
    report = import_tasks(loaded, path, actor="vp")
    assert report.summary == "Đã nhập: 1 mới; 1 thay đổi; 0 không đổi"
    assert repo.get_task(loaded, "DP2.4").due == D(2026, 11, 30)
    assert repo.get_task(loaded, "DP2.4").targets == ("t-accident-spots",)  # columns not in the file are kept
    assert repo.get_task(loaded, "NV1").lead == "Công an tỉnh"


def test_a_file_without_a_task_table_says_so(loaded: Store, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Chỉ tiêu", "2025", "2026"])
    wb.save(tmp_path / "so-lieu.xlsx")
    report = import_tasks(loaded, tmp_path / "so-lieu.xlsx")
    assert [p.kind for p in report.problems] == ["no-table"]
    assert "Tên nhiệm vụ" in report.problems[0].message_vi
