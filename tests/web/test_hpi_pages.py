"""The happiness-index page: ranking with intervals, share at 90, target (9), domains, changes, methodology.

Two synthetic waves of twelve communes are scored once for the module (SQLite): the
page must label them "DỮ LIỆU MÔ PHỎNG" wherever their numbers appear.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chiso.hpi import score_wave, simulate_wave
from chiso.io.areas_file import bundled_areas
from chiso.io.odk import import_export
from chiso.methodology import default_methodology
from chiso.store import Store, open_store
from chiso.web import create_app
from chiso.web.hpi_pages import Row, ranking_chart

M = default_methodology()
AREAS = bundled_areas("04")
SAMPLE = [a for a in AREAS if not a.is_commune] + [a for a in AREAS if a.is_commune][:12]


def scored_store(folder: Path) -> Store:
    """Cao Bằng's units and two synthetic waves (2025, 2026) of 12 communes, scored."""
    store = open_store(f"sqlite:///{folder / 'hpi.sqlite3'}")
    store.save_areas(AREAS)
    for wave, seed in (("2025", 11), ("2026", 12)):
        export = simulate_wave(M, SAMPLE, n_per_commune=32, seed=seed, wave=wave, villages_per_commune=5)
        import_export(store, export.write_csv(folder / f"{wave}.csv"), wave=wave, province="04")
        score_wave(store, wave, seed=seed, interval="taylor")
    return store


@pytest.fixture(scope="module")
def hpi_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = scored_store(tmp_path_factory.mktemp("hpi"))
    with TestClient(create_app(store)) as client:
        yield client
    store.engine.dispose()


def test_the_ranking_of_the_newest_wave(hpi_client: TestClient) -> None:
    page = hpi_client.get("/chi-so-hanh-phuc")
    assert page.status_code == 200
    html = page.text
    assert 'id="mo-phong"' in html and "DỮ LIỆU MÔ PHỎNG" in html and "đợt khảo sát 2026" in html
    table = html.split('id="bang-xep-hang"')[1].split("</table>")[0]
    assert "DỮ LIỆU MÔ PHỎNG" in table.split("</caption>")[0]
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<th scope="row"><a href="/xa-phuong/(\d{5})">', table)
    assert [int(rank) for rank, _ in rows] == list(range(1, 13))
    scores = [
        float(s.replace(",", ".")) for s in re.findall(r'</a></th>\s*<td class="num">([\d,]+)</td>', table)
    ]
    assert scores == sorted(scores, reverse=True)
    svg = html.split('class="ranking-chart"')[1].split("</svg>")[0]
    assert svg.count('class="whisker"') == 12 and svg.count('class="dot"') == 12
    assert "Mức 90 điểm" in svg and "DỮ LIỆU MÔ PHỎNG" in svg
    meeting = re.search(r'id="ty-le-dat"><strong>(\d+)/12</strong>', html)
    assert meeting is not None and table.count("unit-met") == int(meeting.group(1))


def test_target_9_domains_changes_and_methodology(hpi_client: TestClient) -> None:
    html = hpi_client.get("/chi-so-hanh-phuc").text
    assert "Chỉ tiêu (9) của Nghị quyết" in html and "xã, phường đạt" in html
    domains = html.split('id="linh-vuc"')[1].split("</table>")[0]
    assert all(d.name in domains for d in M.domains)
    shares = [float(v.replace(",", ".")) for v in re.findall(r'<td class="num">([\d,]+)%</td>', domains)]
    assert len(shares) == 8 and abs(sum(shares) - 100) < 0.5
    changes = html.split('id="bang-thay-doi"')[1].split("</table>")[0]
    assert "Đợt 2025" in changes and "Đợt 2026" in changes and changes.count("<tr>") == 13
    method = html.split('id="phuong-phap"')[1]
    assert "ít nhất 66% tổng trọng số" in method and "100 × (1 − tỷ lệ người chưa hạnh phúc" in method
    assert "bản đề xuất" in method and method.count('<details class="domain">') == 8


def test_an_earlier_wave_and_an_unknown_one(hpi_client: TestClient) -> None:
    earlier = hpi_client.get("/chi-so-hanh-phuc", params={"dot": "2025"})
    assert earlier.status_code == 200 and "đợt khảo sát 2025" in earlier.text
    assert 'id="bang-thay-doi"' not in earlier.text  # nothing before the first wave
    assert hpi_client.get("/chi-so-hanh-phuc", params={"dot": "2030"}).status_code == 404


def test_without_results_the_page_explains_the_method(client: TestClient) -> None:
    page = client.get("/chi-so-hanh-phuc")
    assert page.status_code == 200 and "Chưa có đợt khảo sát nào được tính điểm" in page.text
    assert "Chỉ số được tính như thế nào" in page.text and "DỮ LIỆU MÔ PHỎNG" not in page.text
    assert "Chỉ số hạnh phúc" in client.get("/").text  # in the navigation


def test_the_chart_places_scores_and_intervals() -> None:
    rows = [
        Row("1", "Xã A", 40, 5, 95.0, 92.0, 97.5, (), 1),
        Row("2", "Xã B", 40, 5, 80.0, 70.0, 88.0, (), 2),
        Row("3", "Xã C", 10, 2, None, None, None, ("too_few_responses",), None),
    ]
    chart = ranking_chart(rows)
    a, b = chart["lines"]
    assert len(chart["lines"]) == 2 and a["meets"] and not b["meets"]
    assert b["x1"] < b["x"] < b["x2"] < chart["target_x"] < a["x1"] < a["x"] < a["x2"]
    assert [t["label"] for t in chart["ticks"]] == ["70", "75", "80", "85", "90", "95", "100"]
