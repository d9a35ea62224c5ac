"""Tasks in a real browser (Debian's /usr/bin/chromium through playwright): an agency logs in,
opens its task, posts an update with a file and sees the scorecard change."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from chiso.store import open_store
from chiso.store.bootstrap import ensure_seeded
from chiso.web import create_app
from tests.web.conftest import _free_port, add_accounts
from tests.web.test_browser import CHROMIUM, browser, page  # noqa: F401 (fixtures)
from tests.web.test_browser_flows import log_in
from tests.web.test_tasks_pages import CULTURE, TODAY, prepare_tasks

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def tasks_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server over a fresh installation with accounts and tasks, on a fixed day."""
    folder = tmp_path_factory.mktemp("tasks-browser")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("CHISO_HOME", str(folder / "home"))
    store = open_store(f"sqlite:///{folder / 'chiso.sqlite3'}")
    ensure_seeded(store)
    prepare_tasks(add_accounts(store))
    app = create_app(store)
    app.state.today = TODAY
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    store.engine.dispose()
    monkeypatch.undo()


def completed_on_time(page: Any, url: str) -> str:  # noqa: F811
    page.goto(url + "/nhiem-vu/bang-diem")
    row = page.locator(
        "table.scorecard tbody tr", has=page.get_by_role("rowheader", name=CULTURE, exact=True)
    )
    return str(row.locator("td").nth(1).inner_text())


def test_an_agency_reports_progress_with_a_file(
    page: Any,  # noqa: F811
    tasks_server: str,
    tmp_path: Path,
) -> None:
    url = tasks_server
    log_in(page, url, "sovh")
    page.get_by_role("link", name="Nhiệm vụ", exact=True).first.click()
    assert page.get_by_role("heading", name=f"Nhắc việc của {CULTURE}").is_visible()
    assert completed_on_time(page, url) == "0"
    page.goto(url + "/nhiem-vu")
    page.get_by_role("link", name="CT1.1", exact=True).first.click()
    page.wait_for_url(url + "/nhiem-vu/CT1.1")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban nghiem thu")
    page.get_by_label("Tiến độ (%)").fill("100")
    page.get_by_label("Nội dung").fill("Đã ban hành đề án phát triển du lịch")
    page.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(f"{url}/nhiem-vu/CT1.1?ok=cap-nhat#cap-nhat")
    assert page.get_by_text("Đã ghi báo cáo tiến độ.").is_visible()
    assert page.get_by_role("link", name="bien-ban.pdf").is_visible()
    assert completed_on_time(page, url) == "1"
    assert not page.errors, page.errors
