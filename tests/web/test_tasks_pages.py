"""The task pages: an agency's board and reminders, a progress update with a file, the scorecard,
the target page's tasks, and refusal for another agency (all on a fixed ``today``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chiso.auth import create_user
from chiso.store import Store
from chiso.store.tasks_repo import edit_task, get_task, load_initial_tree
from chiso.web import create_app
from tests.web.conftest import PASSWORD, form_token, log_in

CULTURE = "Sở Văn hóa, Thể thao và Du lịch"
TODAY = dt.date(2026, 5, 5)


def prepare_tasks(store: Store) -> Store:
    """The shipped task tree, an account of the culture department, dates on two of its tasks."""
    load_initial_tree(store, "cao-bang-2025-2030")
    create_user(store, "sovh", PASSWORD, role="agency", scope=CULTURE, full_name=CULTURE, actor="kiểm thử")
    edit_task(
        store,
        "CT1.1",
        {"start": dt.date(2026, 1, 1), "due": dt.date(2026, 6, 30)},
        actor="kiểm thử",
        role="admin",
    )
    edit_task(store, "CT1.2", {"due": dt.date(2026, 5, 10)}, actor="kiểm thử", role="admin")
    return store


@pytest.fixture
def tasks_client(accounts: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client over the store with accounts and tasks; evidence files go to a temporary folder."""
    monkeypatch.setenv("CHISO_HOME", str(tmp_path / "home"))
    prepare_tasks(accounts)
    app = create_app(accounts)
    app.state.today = TODAY
    with TestClient(app) as client:
        yield client


def post_update(client: TestClient, code: str, **fields: str) -> object:
    token = form_token(client, f"/nhiem-vu/{code}")
    files = {"file": ("bien-ban nghiem thu.pdf", b"%PDF-1.4 minh chung", "application/pdf")}
    return client.post(
        f"/nhiem-vu/{code}/cap-nhat",
        data={"csrf_token": token, **fields},
        files=files,
        follow_redirects=False,
    )


def test_the_board_needs_a_login(tasks_client: TestClient) -> None:
    response = tasks_client.get("/nhiem-vu", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/dang-nhap")


def test_an_agency_sees_its_tasks_and_reminders(tasks_client: TestClient) -> None:
    log_in(tasks_client, "sovh")
    page = tasks_client.get("/nhiem-vu")
    assert page.status_code == 200
    assert "Nhắc việc của Sở Văn hóa, Thể thao và Du lịch" in page.text
    assert "CT1.1" in page.text and "CT2.1" not in page.text  # its own tasks by default
    soon = page.text.split('class="reminder-soon"')[1].split("</ul>")[0]
    assert "CT1.2" in soon and "còn 5 ngày" in soon and "CT1.1" not in soon
    # the filters: every agency, overdue only (nothing is overdue on 5/5/2026)
    everything = tasks_client.get("/nhiem-vu", params={"agency": ""})
    assert "CT2.1" in everything.text
    overdue = tasks_client.get("/nhiem-vu", params={"agency": "", "overdue": "true"})
    assert "Không có nhiệm vụ nào theo điều kiện lọc" in overdue.text
    this_month = tasks_client.get("/nhiem-vu", params={"agency": CULTURE, "due_this_month": "true"})
    assert "CT1.2" in this_month.text and "CT1.1 " not in this_month.text


def test_reminders_follow_the_clock(tasks_client: TestClient) -> None:
    tasks_client.app.state.today = dt.date(2026, 7, 5)  # type: ignore[attr-defined]
    log_in(tasks_client, "sovh")
    page = tasks_client.get("/nhiem-vu")
    overdue = page.text.split('class="reminder-overdue"')[1].split("</ul>")[0]
    assert "CT1.1" in overdue and "quá hạn 5 ngày" in overdue
    assert "CT1.2" in overdue and "quá hạn 56 ngày" in overdue
    filtered = tasks_client.get("/nhiem-vu", params={"agency": "", "overdue": "true"})
    assert "CT1.1" in filtered.text and "CT2.1" not in filtered.text


def test_the_lead_agency_posts_an_update_with_a_file(tasks_client: TestClient, accounts: Store) -> None:
    log_in(tasks_client, "sovh")
    page = tasks_client.get("/nhiem-vu/CT1.1")
    assert "Gửi báo cáo" in page.text and 'enctype="multipart/form-data"' in page.text
    before = tasks_client.get("/nhiem-vu/bang-diem").text
    response = post_update(tasks_client, "CT1.1", percent="100", text="Đã ban hành đề án")
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    detail = tasks_client.get("/nhiem-vu/CT1.1?ok=cap-nhat")
    assert "Đã ghi báo cáo tiến độ" in detail.text and "Đã ban hành đề án" in detail.text
    assert "Hoàn thành" in detail.text and "100%" in detail.text
    link = re.search(r'href="(/nhiem-vu/tep/\d+)">bien-ban nghiem thu.pdf', detail.text)
    assert link is not None
    download = tasks_client.get(link.group(1))
    assert download.status_code == 200 and download.content == b"%PDF-1.4 minh chung"
    # the scorecard: one more task completed on time for the department
    after = tasks_client.get("/nhiem-vu/bang-diem").text
    row = re.compile(r"<tr><th scope=\"row\">Sở Văn hóa, Thể thao và Du lịch</th>(.*?)</tr>")
    cells = lambda html: re.findall(r'<td class="num">([^<]*)</td>', row.search(html).group(1))  # noqa: E731
    assert cells(before)[1] == "0" and cells(after)[1] == "1"
    assert "<svg" in after and "01/01/2026 – 30/06/2026" in after  # the timeline bar of CT1.1
    # the public target page lists the task with its status
    target = get_task(accounts, "CT1.1").targets[0]
    tasks_client.post("/dang-xuat", data={"csrf_token": form_token(tasks_client, "/nhiem-vu")})
    public = tasks_client.get(f"/chi-tieu/{target}")
    section = public.text.split('id="nhiem-vu-thuc-hien"')[1].split("</section>")[0]
    assert "Nhiệm vụ thực hiện" in section and "CT1.1" in section and "Hoàn thành" in section


def test_a_bad_percentage_is_refused_with_the_form_kept(tasks_client: TestClient) -> None:
    log_in(tasks_client, "sovh")
    response = post_update(tasks_client, "CT1.1", percent="120", text="Quá mức")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "Tiến độ phải từ 0 đến 100%" in response.text  # type: ignore[attr-defined]


def test_another_agency_may_not_update(tasks_client: TestClient) -> None:
    log_in(tasks_client, "soyte")
    page = tasks_client.get("/nhiem-vu/CT1.1")
    assert page.status_code == 200 and "Gửi báo cáo" not in page.text
    assert "Chỉ cơ quan chủ trì hoặc Văn phòng UBND tỉnh" in page.text
    token = form_token(tasks_client, "/nhiem-vu/CT1.1")  # the comment form's token
    response = tasks_client.post(
        "/nhiem-vu/CT1.1/cap-nhat", data={"csrf_token": token, "percent": "50"}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "Không có quyền" in response.text and "không chủ trì nhiệm vụ CT1.1" in response.text
    # anyone logged in may comment
    comment = tasks_client.post(
        "/nhiem-vu/CT1.1/y-kien", data={"csrf_token": token, "text": "Sở Y tế sẵn sàng phối hợp"}
    )
    assert comment.status_code == 200 and "Sở Y tế sẵn sàng phối hợp" in comment.text


def test_the_office_may_update_any_task_and_an_unknown_task_is_404(tasks_client: TestClient) -> None:
    log_in(tasks_client, "vanphong")
    response = post_update(tasks_client, "CT2.1", percent="30")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert tasks_client.get("/nhiem-vu/KHONG-CO").status_code == 404
