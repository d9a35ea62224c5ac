"""Tasks in the store (through the migrations): the initial tree, who may update, files, audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chiso.errors import InvalidFile
from chiso.io.tasks_excel import bundled_agencies, load_task_tree, resolve_task_tree
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store import Store
from chiso.store import tasks_repo as repo
from chiso.store.models import AuditEntry
from chiso.tasks import (
    AgencyKind,
    AgencyNotFound,
    InvalidUpdate,
    NotAllowed,
    TaskNotFound,
    TaskStatus,
    UpdateFlag,
)
from chiso.text import nfc

D = dt.date
SVH = "Sở Văn hóa, Thể thao và Du lịch"


@pytest.fixture
def loaded(store: Store) -> Store:
    """A store with the agencies and the initial task tree of Cao Bằng."""
    repo.load_initial_tree(store, "cao-bang-2025-2030")
    return store


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Where uploaded files go in a test (CHISO_HOME/files in use)."""
    return tmp_path / "files"


def audit(store: Store, entity: str) -> list[AuditEntry]:
    with store.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


# --- the shipped data ------------------------------------------------------------------------------


def test_shipped_agencies_are_the_departments_and_the_56_communes() -> None:
    agencies = bundled_agencies("04")
    departments = [a for a in agencies if a.kind is AgencyKind.DEPARTMENT]
    communes = [a for a in agencies if a.kind is AgencyKind.COMMUNE]
    assert len(communes) == 56 and "UBND xã Trà Lĩnh" in {a.name for a in communes}
    names = {a.name for a in departments}
    for name in ("Sở Nông nghiệp và Môi trường", "Sở Nội vụ", "Sở Xây dựng", "Sở Khoa học và Công nghệ", SVH):
        assert name in names
    assert all(a.name == nfc(a.name) for a in agencies)


def test_every_agency_the_resolution_names_is_in_the_list() -> None:
    resolution, _ = load_resolution(resolve_resolution_path("cao-bang-2025-2030"))
    names = {a.name for a in bundled_agencies("04")}
    named = {r for t in resolution.targets for r in t.responsible} - {"UBND các xã"}
    assert named <= names, named - names


def test_the_initial_tree_has_three_programmes_and_three_breakthroughs_with_their_tasks() -> None:
    tree = load_task_tree(resolve_task_tree("cao-bang-2025-2030"), bundled_agencies("04"))
    roots = [t for t in tree.tasks if t.parent is None]
    assert [t.code for t in roots] == ["CT1", "CT2", "CT3", "DP1", "DP2", "DP3"]
    assert "du lịch bền vững" in roots[0].title and "kinh tế rừng" in roots[1].title
    assert "cửa khẩu" in roots[2].title and "cán bộ" in roots[3].title
    assert "hạ tầng giao thông, đô thị và môi trường" in roots[4].title
    assert "chuyển đổi số" in roots[5].title
    for root in roots:
        assert sum(t.parent == root.code for t in tree.tasks) >= 4, root.code
    assert len(tree.tasks) == 40
    assert all(t.lead and t.start is None and t.due is None for t in tree.tasks)
    assert all(t.title == nfc(t.title) for t in tree.tasks)
    targets = {target for t in tree.tasks for target in t.targets}
    assert {"t-tourism-grdp", "t-import-export", "t-urbanisation", "10b", "t-private-jobs"} <= targets


def test_a_tree_with_unknown_agencies_and_targets_is_refused_whole(tmp_path: Path) -> None:
    bad = tmp_path / "tree.yaml"
    bad.write_text(
        "resolution: cao-bang-2025-2030\nprovince: '04'\ntasks:\n"
        "  - {code: A1, title: Việc một, lead: Sở Không Có, targets: [99z]}\n"
        "  - {code: A1, title: '', lead: Sở Xây dựng, start: 2026-05-01, due: 2026-01-01, colour: red}\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidFile) as caught:
        load_task_tree(bad, bundled_agencies("04"))
    kinds = sorted(p.kind for p in caught.value.problems)
    assert kinds == [
        "due-before-start",
        "duplicate",
        "invalid",
        "invalid",
        "unknown-agency",
        "unknown-target",
    ]
    assert "Sở Không Có" in str(caught.value)


# --- loading -------------------------------------------------------------------------------------


def test_initial_tree_loads_once(store: Store) -> None:
    agencies, tasks = repo.load_initial_tree(store)
    assert (tasks.added, tasks.changed) == (40, 0) and agencies.added == len(bundled_agencies("04"))
    again_agencies, again = repo.load_initial_tree(store)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 40)
    assert again_agencies.added == 0 and again.message == "0 thay đổi (40 không đổi)"
    assert len(audit(store, "task")) == 40
    views = repo.list_tasks(store, D(2026, 1, 1))
    assert {v.state.status for v in views} == {TaskStatus.NOT_STARTED}
    assert [v.number for v in views[:3]] == ["1", "1.1", "1.2"]


def test_reloading_keeps_what_the_province_assigned(loaded: Store) -> None:
    repo.edit_task(loaded, "CT1.2", {"due": D(2026, 12, 1), "lead": "SNNMT"}, actor="vp", role="province")
    repo.load_initial_tree(loaded)
    task = repo.get_task(loaded, "CT1.2")
    assert (task.due, task.lead) == (D(2026, 12, 1), "Sở Nông nghiệp và Môi trường")
    entry = audit(loaded, "task")[-1]
    assert entry.before is not None and entry.after is not None
    assert (entry.before["due"], entry.after["due"], entry.actor) == (None, "2026-12-01", "vp")


def test_only_the_province_edits_tasks_and_bad_edits_are_refused(loaded: Store) -> None:
    with pytest.raises(NotAllowed, match="Chỉ Văn phòng UBND tỉnh"):
        repo.edit_task(loaded, "CT1.2", {"due": D(2026, 12, 1)}, actor="x", role="agency")
    with pytest.raises(InvalidUpdate, match="trước ngày bắt đầu"):
        repo.edit_task(
            loaded, "CT1.2", {"start": D(2026, 5, 1), "due": D(2026, 1, 1)}, actor="x", role="admin"
        )
    with pytest.raises(InvalidUpdate, match="nằm trong chính nó"):
        repo.edit_task(loaded, "CT1", {"parent": "CT1.2"}, actor="x", role="admin")
    with pytest.raises(InvalidUpdate, match="Không có chỉ tiêu"):
        repo.edit_task(loaded, "CT1", {"targets": ["99z"]}, actor="x", role="admin")
    with pytest.raises(AgencyNotFound):
        repo.edit_task(loaded, "CT1", {"lead": "Sở Không Có"}, actor="x", role="admin")
    with pytest.raises(TaskNotFound):
        repo.edit_task(loaded, "ZZ9", {"due": D(2026, 1, 1)}, actor="x", role="admin")
    assert repo.get_task(loaded, "CT1.2").due is None


# --- updates: who, what is stored, what it changes -------------------------------------------------


def test_a_department_updates_only_its_own_tasks(loaded: Store, files: Path) -> None:
    update = repo.add_update(
        loaded, "CT1.2", author="svh1", role="agency", agency=SVH, percent=40, text="Đã lập quy hoạch"
    )
    assert (update.task, update.percent, update.agency) == ("CT1.2", 40, SVH)
    before = len(audit(loaded, "task_update"))
    with pytest.raises(NotAllowed) as caught:
        repo.add_update(loaded, "CT1.2", author="sxd1", role="agency", agency="Sở Xây dựng", percent=90)
    assert caught.value.status == 403
    assert (
        "Sở Xây dựng" in caught.value.message_vi and "không chủ trì nhiệm vụ CT1.2" in caught.value.message_vi
    )
    with pytest.raises(NotAllowed):
        repo.attach_file(
            loaded,
            "CT1.2",
            repo.Upload("a.pdf", b"x"),
            author="sxd1",
            role="agency",
            agency="SXD",
            files_folder=files,
        )
    assert len(audit(loaded, "task_update")) == before
    assert (
        repo.add_update(loaded, "CT1.2", author="vp", role="province", agency=None, percent=45).percent == 45
    )


def test_a_commune_user_whose_scope_is_its_code_updates_its_task(loaded: Store) -> None:
    repo.edit_task(loaded, "CT3.2", {"lead": "UBND xã Trà Lĩnh"}, actor="vp", role="admin")
    update = repo.add_update(loaded, "CT3.2", author="tl", role="commune", agency="01447", percent=10)
    assert update.agency == "UBND xã Trà Lĩnh"
    with pytest.raises(NotAllowed):
        repo.add_update(loaded, "CT3.2", author="x", role="commune", agency="01501", percent=20)


def test_updates_and_files_are_stored_and_audited(loaded: Store, files: Path) -> None:
    content = "Báo cáo kết quả".encode()
    update = repo.add_update(
        loaded,
        "CT1.2",
        author="svh1",
        role="agency",
        agency=SVH,
        percent=50,
        text="Xong bước 1",
        upload=repo.Upload("C:\\Bao cao\\bao-cao.pdf", content, "application/pdf"),
        on=D(2026, 11, 20),
        files_folder=files,
    )
    assert (update.on, update.file) == (D(2026, 11, 20), "bao-cao.pdf")
    digest = hashlib.sha256(content).hexdigest()
    assert (files / digest).read_bytes() == content
    detail = repo.task_detail(loaded, "CT1.2", D(2026, 11, 29))
    assert [u.percent for u in detail.updates] == [50]
    (info,) = detail.files
    assert (info.name, info.sha256, info.size, info.agency) == ("bao-cao.pdf", digest, len(content), SVH)
    assert repo.file_path(loaded, info.id, files_folder=files)[1] == files / digest
    repo.attach_file(
        loaded,
        "CT1.2",
        repo.Upload("lan2.pdf", content),
        author="svh1",
        role="agency",
        agency=SVH,
        files_folder=files,
    )
    assert sorted(p.name for p in files.iterdir()) == [digest]  # the same content is kept once
    (entry,) = audit(loaded, "task_update")
    assert entry.actor == "svh1" and entry.after is not None
    assert (entry.after["percent"], entry.after["file"], entry.after["day"]) == (
        50,
        "bao-cao.pdf",
        "2026-11-20",
    )
    assert len(audit(loaded, "task_file")) == 2


def test_link_evidence_pause_and_resume(loaded: Store) -> None:
    repo.add_update(
        loaded,
        "DP2.4",
        author="x",
        role="agency",
        agency="SXD",
        percent=30,
        on=D(2026, 3, 1),
        evidence_url="https://sxd.caobang.gov.vn/bao-cao",
    )
    repo.add_update(
        loaded,
        "DP2.4",
        author="x",
        role="agency",
        agency="SXD",
        flag=UpdateFlag.PAUSE,
        text="Chờ vốn",
        on=D(2026, 4, 1),
    )
    assert repo.task_detail(loaded, "DP2.4", D(2026, 4, 2)).view.state.status is TaskStatus.PAUSED
    repo.add_update(
        loaded, "DP2.4", author="x", role="agency", agency="SXD", flag=UpdateFlag.RESUME, on=D(2026, 5, 1)
    )
    detail = repo.task_detail(loaded, "DP2.4", D(2026, 5, 2))
    assert detail.view.state.status is TaskStatus.IN_PROGRESS
    assert detail.updates[0].evidence_url == "https://sxd.caobang.gov.vn/bao-cao"
    assert detail.parent is not None and detail.parent.code == "DP2"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"percent": 120}, "từ 0 đến 100"),
        ({"percent": float("nan")}, "từ 0 đến 100"),
        ({"evidence_url": "file:///etc/passwd"}, "http:// hoặc https://"),
        ({}, "cần ít nhất một"),
        ({"upload": repo.Upload("rong.pdf", b"")}, "rỗng"),
    ],
)
def test_bad_updates_are_refused_and_write_nothing(
    loaded: Store, files: Path, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidUpdate, match=message):
        repo.add_update(
            loaded, "CT1.2", author="x", role="province", agency=None, files_folder=files, **fields
        )
    assert audit(loaded, "task_update") == [] and not files.exists()


def test_unknown_task_is_a_404(loaded: Store) -> None:
    with pytest.raises(TaskNotFound) as caught:
        repo.add_update(loaded, "XX1", author="x", role="province", agency=None, percent=10)
    assert caught.value.status == 404 and "XX1" in caught.value.message_vi


def test_comments_are_stored_and_audited(loaded: Store) -> None:
    comment = repo.add_comment(
        loaded, "CT1.2", text="  Đề nghị bổ sung số liệu  ", author="sxd1", agency="Sở Xây dựng"
    )
    assert comment.text == "Đề nghị bổ sung số liệu"
    assert [c.text for c in repo.task_detail(loaded, "CT1.2", D(2026, 1, 1)).comments] == [comment.text]
    assert len(audit(loaded, "task_comment")) == 1
    with pytest.raises(InvalidUpdate):
        repo.add_comment(loaded, "CT1.2", text="  ", author="x")


# --- what the pages read -------------------------------------------------------------------------


def test_list_filters_by_agency_status_overdue_and_month(loaded: Store) -> None:
    repo.edit_task(loaded, "DP2.4", {"due": D(2026, 11, 30)}, actor="vp", role="admin")
    repo.edit_task(loaded, "DP2.5", {"due": D(2026, 12, 15)}, actor="vp", role="admin")
    today = D(2026, 12, 2)
    sxd = repo.list_tasks(loaded, today, agency="so xay dung")
    assert [v.task.code for v in sxd] == [
        "CT3.6",
        "DP2",
        "DP2.1",
        "DP2.2",
        "DP2.3",
        "DP2.4",
        "DP2.5",
        "DP2.6",
        "DP2.7",
    ]
    involved = repo.list_tasks(loaded, today, agency="SXD", involved=True)
    assert "CT1.2" in {v.task.code for v in involved}
    assert [v.task.code for v in repo.list_tasks(loaded, today, overdue=True)] == ["DP2", "DP2.4"]
    assert [v.task.code for v in repo.list_tasks(loaded, today, due_this_month=True)] == ["DP2.5"]
    in_november = repo.list_tasks(loaded, D(2026, 11, 5), due_this_month=True)
    assert [v.task.code for v in in_november] == ["DP2.4"]
    overdue = repo.list_tasks(loaded, today, status=TaskStatus.OVERDUE, agency="SXD")
    assert [v.task.code for v in overdue] == ["DP2", "DP2.4"]
    assert overdue[1].as_dict()["days_overdue"] == 2 and overdue[1].as_dict()["status_label"] == "Quá hạn"
    with pytest.raises(AgencyNotFound):
        repo.list_tasks(loaded, today, agency="Sở Không Có")


def test_tasks_for_a_target(loaded: Store) -> None:
    assert [v.task.code for v in repo.tasks_for_target(loaded, "t-urbanisation", D(2026, 1, 1))] == [
        "DP2",
        "DP2.6",
    ]
    assert [v.task.code for v in repo.tasks_for_target(loaded, "10b", D(2026, 1, 1))] == ["DP3", "DP3.3"]
    assert repo.tasks_for_target(loaded, "12a", D(2026, 1, 1)) == []


def test_an_update_shows_on_the_scorecard_and_the_target_page(loaded: Store) -> None:
    repo.edit_task(loaded, "CT1.2", {"due": D(2026, 12, 1)}, actor="vp", role="admin")
    repo.add_update(
        loaded, "CT1.2", author="svh1", role="agency", agency=SVH, percent=100, on=D(2026, 11, 28)
    )
    today = D(2026, 12, 2)
    (score,) = [s for s in repo.scorecard_on(loaded, today) if s.agency == SVH]
    assert (score.total, score.completed_on_time, score.on_time_rate) == (5, 1, 1.0)
    views = {v.task.code: v for v in repo.tasks_for_target(loaded, "t-tourism-grdp", today)}
    assert views["CT1.2"].state.status is TaskStatus.COMPLETED
    assert views["CT1"].state.progress == pytest.approx(20)


def test_digest_and_report_section(loaded: Store) -> None:
    repo.edit_task(loaded, "CT1.2", {"due": D(2026, 12, 1)}, actor="vp", role="admin")
    repo.add_update(loaded, "CT1.2", author="svh1", role="agency", agency=SVH, percent=50, on=D(2026, 11, 20))
    assert [i.code for i in repo.digest_on(loaded, D(2026, 11, 29)).due_soon] == ["CT1.2"]
    assert repo.digest_on(loaded, D(2026, 11, 29)).overdue == ()
    assert [i.code for i in repo.digest_on(loaded, D(2026, 12, 2)).overdue] == ["CT1.2"]
    section = repo.tasks_report_section(loaded, D(2026, 12, 2))
    json.dumps(section)  # plain data, ready for a template or the API
    assert section["overdue"] == [
        {
            "code": "CT1.2",
            "number": "1.2",
            "title": repo.get_task(loaded, "CT1.2").title,
            "agency": SVH,
            "due": "2026-12-01",
            "days_overdue": 1,
            "progress": 50.0,
        },
    ]
    counts = {c["status"]: c["count"] for c in section["counts"]}
    assert counts["overdue"] == 1 and counts["not_started"] == 33 and sum(counts.values()) == 34
    svh = next(s for s in section["scorecard"] if s["agency"] == SVH)
    assert (svh["overdue"], svh["total"]) == (1, 5)
    assert section["total"]["total"] == 34 and section["without_due"] == 33
    timeline = repo.timeline_on(loaded, D(2026, 12, 2))
    assert timeline[1].code == "CT1.1" and timeline[2].due == D(2026, 12, 1)


def test_agencies_in_the_store(loaded: Store) -> None:
    with loaded.session() as s:
        from chiso.store.task_models import AgencyRow

        count = s.scalar(select(func.count()).select_from(AgencyRow))
    assert count == len(bundled_agencies("04"))
    departments = repo.list_agencies(loaded, "04", kind=AgencyKind.DEPARTMENT)
    assert departments[0].name == "Văn phòng UBND tỉnh"
    assert repo.agency_named(loaded, "svhttdl").name == SVH
    result = repo.save_agencies(
        loaded, [repo.list_agencies(loaded, kind=AgencyKind.DEPARTMENT)[1]], actor="vp"
    )
    assert result.message == "0 thay đổi (1 không đổi)"
