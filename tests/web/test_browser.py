"""The pages in a real browser (Debian's /usr/bin/chromium through playwright): charts, map, phone, keyboard.

Screenshots of the overview, a target page and the map are written to ``docs/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # Reduced motion: charts draw without animation, so screenshots show them whole.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", reduced_motion="reduce"
    )
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda exc: errors.append(str(exc)))
    p.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    p.errors = errors
    yield p
    context.close()


def test_overview_loads(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    assert page.title().startswith("Tổng quan")
    assert page.locator(".target-card").count() == 33
    assert page.locator("h1").inner_text().startswith("Nghị quyết Đại hội")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "tong-quan.png"))
    assert not page.errors, page.errors


def test_overview_filter_swaps_results_with_htmx(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.select_option("#group", "xay_dung_dang")
    page.wait_for_url("**group=xay_dung_dang**")
    page.wait_for_function("document.querySelectorAll('.target-card').length === 2")
    assert page.locator("h1").count() == 1  # the results were swapped in, not a whole page
    assert not page.errors, page.errors


def test_target_page_draws_its_chart(page: Any, live_server: str) -> None:
    page.goto(live_server + "/chi-tieu/1b")
    chart = page.locator("#chart-1b")
    chart.locator("canvas").wait_for()
    assert chart.is_visible()
    box = chart.locator("canvas").bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    # Something was drawn: the canvas is not blank.
    drawn = page.evaluate(
        """() => {
            const c = document.querySelector('#chart-1b canvas');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let ink = 0;
            for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
            return ink;
        }"""
    )
    assert drawn > 1000
    assert "Bảng số liệu của biểu đồ" in page.locator("table caption").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "chi-tieu.png"), full_page=True)
    assert not page.errors, page.errors


def test_communes_page_draws_the_map(page: Any, live_server: str) -> None:
    # The population of the unit list: real figures, while no commune indicator has been published.
    page.set_viewport_size({"width": 1280, "height": 1150})
    page.goto(live_server + "/xa-phuong?indicator=dan-so")
    if page.locator("#ban-do").count() == 0:
        pytest.skip("../shared/data GeoJSON not present: no map")
    page.locator("#ban-do canvas").wait_for()
    page.wait_for_timeout(300)
    assert page.locator("#ban-do").is_visible()
    assert page.locator("table tbody tr").count() == 56
    # The map answers the pointer with the commune's name and value, in Vietnamese number format.
    box = page.locator("#ban-do canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "ban-do-xa-phuong.png"))
    assert not page.errors, page.errors


@pytest.mark.parametrize(
    "path", ["/", "/chi-tieu/1b", "/chi-tieu/7", "/xa-phuong?indicator=dan-so", "/api/docs"]
)
def test_phone_has_no_horizontal_scroll(browser: Any, live_server: str, path: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], widths
    context.close()


def test_keyboard_reaches_the_skip_link_first(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused[0] == "skip-link" and "Bỏ qua" in focused[1]
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noi-dung"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_pages_read_without_javascript(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/chi-tieu/1b")
    assert page.locator("#chart-1b").is_hidden()
    assert page.locator("table").first.is_visible()
    page.goto(live_server + "/")
    page.select_option("#status", "no_data")
    page.click("button[type=submit]")
    page.wait_for_url("**status=no_data**")
    assert page.locator(".target-card.status-no_data").count() == page.locator(".target-card").count() > 0
    context.close()
