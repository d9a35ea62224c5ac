"""The public pages, read as a visitor reads them: Vietnamese text, numbers, filters, tables."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient

from chiso.assessment import Status
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store import Store
from tests.web.conftest import GEOJSON, NEW_RURAL, SYNTHETIC, xa_codes

RESOLUTION = "cao-bang-2025-2030"

needs_geojson = pytest.mark.skipif(not GEOJSON.is_file(), reason="../shared/data GeoJSON not present")


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attributes; entities decoded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(page).split())


def cards(page: str) -> int:
    return page.count('class="target-card ')


def test_overview_lists_every_target_with_vietnamese_labels(client: TestClient) -> None:
    resolution, catalogue = load_resolution(resolve_resolution_path(RESOLUTION))
    response = client.get("/")
    assert response.status_code == 200
    page = response.text
    assert '<html lang="vi">' in page
    assert cards(page) == len(resolution.targets) == 33
    text = visible_text(page)
    for target in resolution.targets:
        assert f'href="/chi-tieu/{target.id}?' in page, target.id
        assert catalogue.get(target.indicator).name in text
    for group in resolution.groups:
        assert group.name in text
    assert "Chưa có dữ liệu" in text and "Đánh giá đến năm" in text
    assert re.search(r"\d+/33 chỉ tiêu chưa có dữ liệu", text)
    assert "Đang hiển thị 33/33 chỉ tiêu" in text


def test_overview_shows_latest_value_period_target_and_sparkline(client: TestClient) -> None:
    text = visible_text(client.get("/").text)
    # GRDP per capita: the base stated by the resolution, its year, and the range sought.
    assert "50,73 triệu đồng (năm 2025)" in text
    assert "từ 75 – 80 triệu đồng/người/năm (2030)" in text
    page = client.get("/").text
    assert page.count('<svg class="spark"') >= 5
    assert 'role="img" aria-label="Xu hướng 20' in page


@pytest.mark.parametrize("status", [Status.OFF_TRACK, Status.NO_DATA, Status.ON_TRACK])
def test_overview_filters_by_status(client: TestClient, status: Status) -> None:
    expected = client.get(f"/api/resolutions/{RESOLUTION}/targets").json()["summary"]["by_status"][
        status.value
    ]
    page = client.get("/", params={"status": status.value}).text
    assert cards(page) == expected
    assert page.count(f'class="target-card status-{status.value}"') == expected
    if expected == 0:
        assert "Không có chỉ tiêu nào khớp bộ lọc." in page
    assert f'<option value="{status.value}" selected>' in page


def test_overview_filters_by_group(client: TestClient) -> None:
    page = client.get("/", params={"group": "xay_dung_dang"}).text
    assert cards(page) == 2
    assert "/chi-tieu/12a?" in page and "/chi-tieu/12b?" in page and "/chi-tieu/1a?" not in page


def test_overview_filter_form_works_without_javascript_and_with_htmx(client: TestClient) -> None:
    page = client.get("/").text
    assert '<form id="bo-loc" class="filters" method="get" action="/"' in page
    assert 'hx-get="/" hx-target="#ket-qua"' in page
    # An empty choice ("Tất cả") is what a plain form submits.
    assert cards(client.get("/?as_of=2026&status=&group=").text) == 33
    partial = client.get(
        "/", params={"status": "no_data"}, headers={"HX-Request": "true", "HX-Target": "ket-qua"}
    )
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<section id="ket-qua"')
    assert "<html" not in partial.text
    assert "HX-Request" in partial.headers["vary"]


def test_overview_refuses_an_unknown_status_in_vietnamese(client: TestClient) -> None:
    response = client.get("/", params={"status": "tot"})
    assert response.status_code == 422
    text = visible_text(response.text)
    assert "Tham số không hợp lệ" in text and "không có trạng thái này" in text


def test_assessment_year_is_chosen_by_a_query_parameter(client: TestClient) -> None:
    page = client.get("/chi-tieu/7", params={"as_of": 2025}).text
    assert '<option value="2025" selected>' in page
    assert "Năm 2025:" in visible_text(page)
    assert client.get("/chi-tieu/7", params={"as_of": "hai nghìn"}).status_code == 422


def test_target_page_shows_explanation_numbers_chart_table_and_sources(client: TestClient) -> None:
    record = client.get(f"/api/resolutions/{RESOLUTION}/targets/1b").json()
    page = client.get("/chi-tieu/1b").text
    text = visible_text(page)
    assert record["explanation"] and record["explanation"] in text
    assert "GRDP bình quân đầu người đến năm 2030 đạt từ 75 – 80 triệu đồng/người/năm." in text
    for label in ("Các con số", "Năm gốc", "Tốc độ cần thiết cả giai đoạn", "Nguồn số liệu"):
        assert label in text
    # The chart: a container hidden until JavaScript draws it, its data, and the table behind it.
    assert 'class="chart" data-chart="chart-data-1b" role="img"' in page and " hidden>" in page
    data = json.loads(re.search(r'id="chart-data-1b">(.*?)</script>', page, re.S).group(1))
    assert data["band"] == [75, 80] and data["target_year"] == "2030"
    assert any(v is not None for v in data["path"])
    assert "Bảng số liệu của biểu đồ" in text and "Lộ trình cần đạt" in text
    # Every figure with its source, link and status; the one used is marked.
    assert "Cục Thống kê tỉnh Cao Bằng" in text and "(được dùng)" in text
    assert 'rel="noopener noreferrer external"' in page
    assert "Cơ quan chủ trì:" in text


def test_growth_target_page_draws_yearly_rates(client: TestClient) -> None:
    page = client.get("/chi-tieu/1a").text
    data = json.loads(re.search(r'id="chart-data-1a">(.*?)</script>', page, re.S).group(1))
    assert data["mode"] == "rate" and data["target_line"] == 10
    assert {"estimate", "final"} <= {s for s in data["status"] if s}
    assert "6,74" in visible_text(page)


def test_share_of_units_target_lists_the_communes(client: TestClient, seeded: Store) -> None:
    page = client.get("/chi-tieu/7").text
    text = visible_text(page)
    meeting = xa_codes(seeded)[: NEW_RURAL[2026]]
    names = {a.code: a.name for a in seeded.areas("04")}
    assert f"Năm 2026: {len(meeting)}/53 đơn vị đạt" in text
    assert "Các xã, phường được tính" in text
    for code in meeting:
        assert f'<a href="/xa-phuong/{code}">{names[code]}</a>' in page
    assert page.count(">Đạt</span>") == len(meeting)
    assert page.count(">Chưa đạt</span>") == 53 - len(meeting)
    assert SYNTHETIC in text
    # The target as amended, with the amendment and the original wording.
    assert "Điều chỉnh chỉ tiêu" in text and "17/09/2025" in text
    assert (
        "Văn bản ban đầu: “Đến năm 2030, tỉ lệ xã đạt chuẩn nông thôn mới đạt trên 35,84% (19/53 xã).”"
        in text
    )


@needs_geojson
def test_communes_page_draws_a_map_over_a_sorted_table(client: TestClient) -> None:
    page = client.get("/xa-phuong", params={"indicator": "hpi_score"}).text
    assert 'id="ban-do" class="chart chart-map" data-chart="map-data"' in page
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', page, re.S).group(1))
    assert data["geojson_url"] == "/api/boundaries" and data["name_property"] == "code"
    assert len(data["values"]) == 56
    assert "Chưa cấu hình ranh giới" not in page
    rows = re.findall(r'<td class="num">([\d.,]+)</td>\s*<th scope="row"><a href="/xa-phuong/', page)
    assert rows[:3] == ["1", "2", "3"] and len(rows) == 56
    values = [float(v.replace(",", ".")) for v in re.findall(r'<td class="num">(\d+,\d)</td>', page)]
    assert values == sorted(values, reverse=True)
    assert client.get("/api/boundaries").json()["features"]


def test_communes_page_without_boundaries_shows_the_table_and_a_note(bare_client: TestClient) -> None:
    page = bare_client.get("/xa-phuong", params={"indicator": "hpi_score", "year": 2026}).text
    text = visible_text(page)
    assert "data-chart" not in page and "echarts" not in page
    assert "Chưa cấu hình ranh giới xã, phường" in text and "không vẽ bản đồ" in text
    assert "56/56 xã, phường có số liệu" in text
    assert page.count('<th scope="row"><a href="/xa-phuong/') == 56


def test_communes_page_offers_every_commune_level_indicator(client: TestClient) -> None:
    page = client.get("/xa-phuong").text
    assert '<option value="hpi_score"' in page and '<option value="new_rural_standard"' in page
    assert '<option value="dan-so"' in page
    population = visible_text(client.get("/xa-phuong", params={"indicator": "dan-so"}).text)
    assert "41.157" in population  # Phường Thục Phán, with the Vietnamese thousands separator
    assert client.get("/xa-phuong", params={"indicator": "grdp_growth"}).status_code == 422


def test_commune_page_shows_its_figures_and_targets(client: TestClient, seeded: Store) -> None:
    code = xa_codes(seeded)[0]
    area = next(a for a in seeded.areas("04") if a.code == code)
    page = client.get(f"/xa-phuong/{code}").text
    text = visible_text(page)
    assert f"<h1>{area.name}</h1>" in page
    assert "Chỉ số hạnh phúc người dân" in text and "Xã đạt chuẩn nông thôn mới" in text
    assert re.search(r"\d+,5", text)  # the synthetic happiness score, Vietnamese decimals
    assert "Đóng góp vào các chỉ tiêu của tỉnh" in text and "năm 2026: Đạt" in text
    if area.population:
        assert f"{area.population:,}".replace(",", ".") in text


def test_unknown_pages_answer_in_vietnamese(client: TestClient) -> None:
    for url, message in [
        ("/khong-co-trang-nay", "Không tìm thấy trang hoặc dữ liệu được yêu cầu"),
        ("/chi-tieu/zzz", "Không có chỉ tiêu “zzz” trong nghị quyết"),
        ("/xa-phuong/99999", "Không có đơn vị hành chính mã “99999”"),
        ("/xa-phuong/04", "Không có đơn vị hành chính mã “04”"),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"].startswith("text/html")
        assert '<html lang="vi">' in response.text
        text = visible_text(response.text)
        assert "Không tìm thấy" in text and message in text, url


def test_numbers_and_dates_are_written_the_vietnamese_way(client: TestClient) -> None:
    target = visible_text(client.get("/chi-tieu/1b").text)
    assert "50,73" in target and "50.73" not in target
    assert "54,86" in target  # the required path for 2026
    overview = visible_text(client.get("/").text)
    assert re.search(r"Số liệu cập nhật ngày \d{2}/\d{2}/\d{4}\.", overview)
    assert re.search(r"\b\d{2}/\d{2}/20\d{2}\b", target)  # when each figure was entered


UNACCENTED = re.compile(
    r"\b(chi tieu|so lieu|du lieu|nghi quyet|tien do|trang thai|danh gia|tong quan|bieu do|cap nhat|"
    r"chua co|xa phuong|nguon|khong|duoc|nam goc|muc tieu|thuc hien|tang truong|binh quan)\b",
    re.I,
)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?status=no_data",
        "/chi-tieu/1a",
        "/chi-tieu/1b",
        "/chi-tieu/7",
        "/chi-tieu/12b",
        "/xa-phuong",
        "/xa-phuong?indicator=dan-so",
        "/api/docs",
        "/khong-co",
    ],
)
def test_no_page_has_unaccented_vietnamese(client: TestClient, url: str) -> None:
    text = visible_text(client.get(url).text)
    assert not UNACCENTED.findall(text), UNACCENTED.findall(text)[:5]


def test_commune_page_has_no_unaccented_vietnamese(client: TestClient, seeded: Store) -> None:
    text = visible_text(client.get(f"/xa-phuong/{xa_codes(seeded)[0]}").text)
    assert not UNACCENTED.findall(text)


def test_base_template_is_accessible(client: TestClient) -> None:
    page = client.get("/").text
    body = page.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link" href="#noi-dung"' in first_link
    assert '<main id="noi-dung"' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<nav aria-label="Điều hướng chính">' in page and 'aria-current="page"' in page
    # Every form control has a label.
    for control in re.findall(r'<select id="([^"]+)"', page):
        assert f'<label for="{control}">' in page
    # Status badges carry words, not colour alone.
    badge = '<span class="badge badge-no_data"><span class="badge-symbol" aria-hidden="true">–</span>'
    assert f"{badge} Chưa có dữ liệu" in page


def test_pages_send_security_headers_and_versioned_assets(client: TestClient) -> None:
    response = client.get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    css = re.search(r'href="(/static/style\.css\?v=\w+)"', response.text).group(1)
    asset = client.get(css)
    assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
    for script in ("vendor/htmx.min.js", "vendor/echarts.min.js", "charts.js"):
        assert client.get(f"/static/{script}").status_code == 200


def test_api_docs_page_lists_the_endpoints(client: TestClient) -> None:
    page = client.get("/api/docs").text
    for path in (
        "/api/resolutions",
        "/api/resolutions/{resolution_id}/targets",
        "/api/indicators",
        "/api/observations",
        "/api/areas",
        "/api/boundaries",
    ):
        assert f"<code>{path}</code>" in page
    assert 'href="/api/openapi.json"' in page


def test_only_web_addresses_become_links(client: TestClient, seeded: Store) -> None:
    from chiso.observations import DataStatus, Observation
    from chiso.periods import Period

    bad = Observation(
        "grdp_growth",
        "04",
        Period.annual(2019),
        6.0,
        DataStatus.FINAL,
        "Nguồn lạ",
        source_url="javascript:alert(1)",
    )
    seeded.add_observations([bad])
    page = client.get("/chi-tieu/1a").text
    assert "Nguồn lạ" in page and "javascript:" not in page
