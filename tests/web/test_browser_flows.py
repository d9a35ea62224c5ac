"""Logged-in and survey flows in a real browser (Debian's /usr/bin/chromium through playwright).

Log in, upload a real Excel file, see a target's status change on the overview and open
the map; fill and send the survey on a phone-sized screen and go on to the results; a
commune account cannot write another commune's figures, through the pages or the API. Screenshots of
the login page, an upload's problem report, the survey on a phone and the happiness
index page are written to ``docs/screenshots/``.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from openpyxl import Workbook

from chiso.auth import create_survey_codes, create_token
from chiso.hpi import score_wave, simulate_wave
from chiso.io.areas_file import bundled_areas
from chiso.io.odk import import_export
from chiso.methodology import default_methodology
from chiso.store import Store, open_store
from chiso.store.bootstrap import ensure_seeded
from chiso.store.surveys import count_responses, create_wave
from chiso.web import create_app
from tests.web.conftest import COMMUNE, GEOJSON, OTHER_COMMUNE, PASSWORD, _free_port, add_accounts
from tests.web.test_browser import ARGS, CHROMIUM, SCREENSHOTS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
)
WAVE = "2026-web"
PHONE = {"width": 390, "height": 844}


def prepared_store(folder: Path) -> tuple[Store, list[str]]:
    """A fresh installation with accounts, an open survey wave with codes, and two synthetic scored waves.

    Only what is shipped (the published figures): no synthetic commune figures but the survey's.
    """
    store = open_store(f"sqlite:///{folder / 'chiso.sqlite3'}")
    ensure_seeded(store)
    add_accounts(store)
    methodology = default_methodology()
    areas = bundled_areas("04")
    for wave, seed in (("2025", 25), ("2026", 26)):
        export = simulate_wave(
            methodology, areas, n_per_commune=32, seed=seed, wave=wave, villages_per_commune=5
        )
        import_export(store, export.write_csv(folder / f"{wave}.csv"), wave=wave, province="04")
        score_wave(store, wave, seed=seed, interval="taylor")
    create_wave(store, WAVE, methodology, province="04", actor="kiểm thử")
    return store, create_survey_codes(store, WAVE, 3)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Store, list[str]]]:
    """A uvicorn server over the prepared store, in a thread."""
    store, codes = prepared_store(tmp_path_factory.mktemp("flows"))
    app = create_app(store, boundaries=GEOJSON if GEOJSON.is_file() else None)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield url, store, codes
    uv.should_exit = True
    thread.join(timeout=10)
    store.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def new_page(browser: Any, **options: Any) -> Any:
    context = browser.new_context(locale="vi-VN", reduced_motion="reduce", **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    return page


def log_in(page: Any, url: str, username: str) -> None:
    page.goto(url + "/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(url + "/")


def card_status(page: Any, target: str) -> str:
    """The status class of a target's card on the overview."""
    card = page.locator(".target-card", has=page.locator(f'a[href^="/chi-tieu/{target}?"]'))
    classes = card.get_attribute("class") or ""
    return next(c.removeprefix("status-") for c in classes.split() if c.startswith("status-"))


def workbook() -> bytes:
    """The statistics office's table: one row per indicator, one column per year; one bad cell."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Biểu 01"
    ws.append(["SỐ LIỆU KINH TẾ – XÃ HỘI TỈNH CAO BẰNG"])
    ws.append([])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", "2025", "Ước 2026", "Kế hoạch 2027", "Nguồn số liệu"])
    ws.append([1, "GRDP bình quân đầu người", "triệu đồng", None, "58,4", 62, "Thống kê tỉnh"])
    ws.append([2, "Tỷ lệ đô thị hóa", "%", None, "26,x", 27, "Thống kê tỉnh"])
    ws.append([3, "Chỉ số hài lòng của cán bộ", "%", None, "81", None, "Sở Nội vụ"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_log_in_upload_a_workbook_see_the_target_change_and_open_the_map(
    browser: Any, server: tuple[str, Store, list[str]], tmp_path: Path
) -> None:
    url, _, _ = server
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(url + "/dang-nhap")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dang-nhap.png"))
    log_in(page, url, "vanphong")
    page.goto(url + "/?as_of=2026")
    assert card_status(page, "1b") == "no_data"

    file = tmp_path / "so-lieu-2026.xlsx"
    file.write_bytes(workbook())
    page.goto(url + "/nhap-lieu/tai-len")
    page.get_by_label("Tệp .xlsx hoặc .csv").set_input_files(str(file))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url("**/nhap-lieu/tai-len/*")
    problems = page.locator("#bang-loi tbody tr")
    assert problems.count() >= 1
    bad = page.locator("#bang-loi tbody tr", has_text="26,x")
    assert bad.locator("code").inner_text() == "E5" and "Biểu 01" in bad.inner_text()
    unknown = page.locator("#bang-loi tbody tr", has_text="Chỉ số hài lòng của cán bộ")
    assert unknown.locator("code").inner_text() == "B6" and "không có trong danh mục" in unknown.inner_text()
    assert "Kế hoạch 2027" in page.locator("#tom-tat-kiem-tra").inner_text()  # a column that is not a period
    page.screenshot(path=str(SCREENSHOTS / "kiem-tra-tep.png"), full_page=True)
    page.get_by_label("Chỉ ghi 1 giá trị ở các dòng hợp lệ", exact=False).check()
    page.get_by_role("button", name="Ghi vào cơ sở dữ liệu").click()
    page.locator("#ket-qua-ghi").wait_for()
    assert "Đã nhập 1 giá trị mới" in page.locator("#ket-qua-ghi").inner_text()

    page.goto(url + "/?as_of=2026")
    assert card_status(page, "1b") != "no_data"

    # Then the map of the communes, from the navigation.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Xã, phường").click()
    page.wait_for_url(url + "/xa-phuong")
    page.locator("#indicator").select_option("hpi_score")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**indicator=hpi_score**")
    assert page.locator("table tbody tr").count() == 56
    if GEOJSON.is_file():  # the boundaries come from ../shared/data
        page.locator("#ban-do canvas").wait_for()
        assert page.locator("#ban-do").is_visible()
    assert not page.errors, page.errors
    page.context.close()


def test_the_survey_on_a_phone(browser: Any, server: tuple[str, Store, list[str]]) -> None:
    url, store, codes = server
    page = new_page(browser, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page.goto(url + "/khao-sat")
    page.get_by_label("Mã mời in trên giấy mời").fill(codes[0].lower())
    page.get_by_role("button", name="Bắt đầu trả lời").click()
    page.wait_for_url(f"**/khao-sat/{WAVE}?ma=*")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.locator("label[for='consent-1']").click()
    page.screenshot(path=str(SCREENSHOTS / "khao-sat-dien-thoai.png"))
    page.get_by_label("Ông/bà đang sống ở xã/phường nào?", exact=False).select_option(COMMUNE)
    page.get_by_label("thôn/xóm/tổ dân phố", exact=False).fill("Thôn Nà Lẹng")
    page.get_by_label("Năm nay ông/bà bao nhiêu tuổi?", exact=False).fill("41")
    page.get_by_label("bao nhiêu ngày ông/bà ốm đau", exact=False).fill("2")
    # One choice in every question still unanswered (the fourth, or the last of a shorter list).
    choices = page.evaluate(
        """() => [...document.querySelectorAll('fieldset.question')]
            .filter(f => !f.querySelector('input:checked'))
            .map(f => {
                const labels = f.querySelectorAll('.choice label');
                return labels[Math.min(3, labels.length - 1)].htmlFor;
            })"""
    )
    assert len(choices) == 32  # sex, ethnicity and the 30 questions with choices (q12 is a number)
    for choice in choices:
        # A tap on each choice's label, as a thumb would (forced: nothing animates, no need to wait).
        page.locator(f"label[for='{choice}']").tap(force=True, no_wait_after=True)
    page.get_by_role("button", name="Gửi phiếu").click()
    page.wait_for_url(f"**/khao-sat/{WAVE}/cam-on")
    assert "Cảm ơn ông/bà đã trả lời phiếu" in page.locator("h1").inner_text()
    assert count_responses(store, WAVE) == 1
    # From the thanks to the published results, still on the phone: nothing wider than the screen.
    page.get_by_role("link", name="Xem kết quả Chỉ số hạnh phúc đã công bố").click()
    page.wait_for_url(url + "/chi-so-hanh-phuc")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator(".ranking-chart").bounding_box()["width"] <= PHONE["width"]
    assert not page.errors, page.errors
    page.goto(url + f"/khao-sat/{WAVE}?ma={codes[0]}")  # answered: the code is spent (409)
    assert "đã được dùng" in page.locator(".message-error").inner_text()
    page.context.close()


def test_a_commune_cannot_write_another_communes_figures(
    browser: Any, server: tuple[str, Store, list[str]]
) -> None:
    url, store, _ = server
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    log_in(page, url, "xa-quang-uyen")
    page.goto(url + "/nhap-lieu")
    assert page.locator("#area option").evaluate_all("options => options.map(o => o.value)") == [COMMUNE]
    before = store.count_observations()
    # Even a forged form (another commune put into the list) is refused by the server.
    assert not page.errors, page.errors
    page.evaluate(
        f"""() => {{
            const option = new Option('Xã khác', '{OTHER_COMMUNE}', true, true);
            document.querySelector('#area').append(option);
        }}"""
    )
    page.locator("#indicator").select_option("new_rural_standard")
    page.get_by_label("Kỳ số liệu").fill("2027")
    page.get_by_label("Giá trị").fill("1")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Lưu số liệu").click()
    assert posted.value.status == 403
    assert "chỉ được nhập số liệu của địa bàn mình" in page.locator(".message-error").inner_text()
    token = create_token(store, "xa-quang-uyen")
    api = page.request.post(
        url + "/api/observations",
        data=[{"indicator": "new_rural_standard", "area": OTHER_COMMUNE, "period": "2027", "value": 1}],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status == 403 and api.json()["error"]["details"][0]["location"] == "[0].area"
    assert store.count_observations() == before
    page.context.close()


def test_the_happiness_index_page(browser: Any, server: tuple[str, Store, list[str]]) -> None:
    url, _, _ = server
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(url + "/chi-so-hanh-phuc")
    assert (
        page.locator("#mo-phong").is_visible()
        and "DỮ LIỆU MÔ PHỎNG" in page.locator("#mo-phong").inner_text()
    )
    chart = page.locator(".ranking-chart")
    assert chart.is_visible() and chart.locator("circle").count() == 56
    assert chart.bounding_box()["width"] > 500
    # The top of the page: the label, target (9), the key figures and the start of the ranking.
    page.screenshot(
        path=str(SCREENSHOTS / "chi-so-hanh-phuc.png"),
        full_page=True,
        clip={"x": 0, "y": 0, "width": 1280, "height": 1500},
    )
    assert not page.errors, page.errors
    page.context.close()
