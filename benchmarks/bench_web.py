"""Benchmark: the public pages' server time and weight, against a static FastAPI "hello" page.

The store is a temporary SQLite file (never the user's: ``CHISO_HOME`` is pointed at a
temporary folder too) holding what a fresh installation holds — the full Cao Bằng
resolution and its published figures — plus **synthetic** data, labelled as such in
every figure's source: 10 years (2017–2026) of every commune-level indicator for all
56 communes, and 10 years of every province-level indicator the resolution reads, so
that every target is assessed on a real series.

Measured in process (``fastapi.testclient.TestClient``, no network), each page
requested ``--requests`` times after one warm-up request:

- baseline: a FastAPI app answering a static HTML "hello" page;
- the overview (``/``), a level target (``/chi-tieu/1b``), a share-of-units target
  (``/chi-tieu/7``), the communes map (``/xa-phuong``) and the API's targets list;
- the overview right after a write (the first request of a new data version, which
  rebuilds the snapshot and the assessment): ``--cold`` times.

Page weight: the HTML and every asset it loads (CSS, scripts, the GeoJSON of the map),
raw and as sent gzip-compressed.

Not a test. Run: ``.venv/bin/python benchmarks/bench_web.py [--requests 500]``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

SYNTHETIC = "DỮ LIỆU TỔNG HỢP cho benchmark – không phải số liệu thật (synthetic)"
YEARS = range(2017, 2027)
GEOJSON = Path(__file__).resolve().parents[2] / "shared" / "data" / "cao-bang-communes-2025.geojson"


def synthetic_observations(store: Any, resolution_name: str) -> list[Any]:
    """Ten years of every commune-level indicator in every commune, and of every indicator targets read."""
    from chiso.observations import DataStatus, Observation
    from chiso.periods import Period
    from chiso.resolutions import load_resolution, resolve_resolution_path

    resolution, catalogue = load_resolution(resolve_resolution_path(resolution_name))
    rng = random.Random(2025)
    communes = [a for a in store.areas(resolution.province) if a.is_commune]
    figures: list[Observation] = []
    for indicator in catalogue:
        if indicator.is_derived or "commune" not in indicator.levels:
            continue
        low = indicator.minimum if indicator.minimum is not None else 0.0
        high = min(indicator.maximum if indicator.maximum is not None else 100.0, 100.0)
        for area in communes:
            level = rng.uniform(low, high)
            for year in YEARS:
                if indicator.measure.value == "binary":
                    value = float(rng.random() < 0.3 + 0.04 * (year - YEARS[0]))
                else:
                    level = min(high, max(low, level * rng.uniform(0.97, 1.06)))
                    value = round(level, indicator.decimals)
                figures.append(
                    Observation(
                        indicator.code, area.code, Period.annual(year), value, DataStatus.FINAL, SYNTHETIC
                    )
                )
    for code in sorted({t.indicator for t in resolution.targets}):
        indicator = catalogue.get(code)
        if indicator.is_derived:
            continue
        level = rng.uniform(5, 60)
        for year in YEARS:
            if indicator.measure.value == "growth_rate":
                value = round(rng.uniform(3, 11), 2)
            elif indicator.measure.value == "rank":
                value = float(rng.randint(10, 50))
            elif indicator.measure.value == "stage":
                value = float(min(year - YEARS[0], 3) // 2)
            else:
                level = level * rng.uniform(0.98, 1.08)
                value = round(level, 2)
            status = DataStatus.ESTIMATE if year == YEARS[-1] else DataStatus.FINAL
            figures.append(
                Observation(code, resolution.province, Period.annual(year), value, status, SYNTHETIC)
            )
    return figures


def time_requests(get: Callable[[], Any], count: int) -> list[float]:
    """Milliseconds of ``count`` calls, after one warm-up call."""
    get()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = get()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def p99(values: list[float]) -> float:
    """The 99th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def page_weight(client: Any, url: str) -> tuple[int, int, list[str]]:
    """(raw bytes, bytes sent gzip-compressed, assets) of a page and every asset it loads."""
    raw = sent = 0
    page = client.get(url, headers={"Accept-Encoding": "gzip"})
    urls = [url]
    html = page.text
    urls += re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/static/[^"]+)"', html)
    urls += re.findall(r'"geojson_url":"([^"]+)"', html)
    for asset in urls:
        response = client.get(asset, headers={"Accept-Encoding": "gzip"})
        raw += len(response.content)
        sent += response.num_bytes_downloaded
    return raw, sent, urls[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--cold", type=int, default=20)
    args = parser.parse_args()

    warnings.simplefilter("ignore")
    folder = Path(tempfile.mkdtemp(prefix="chiso-bench-web-"))
    os.environ["CHISO_HOME"] = str(folder)  # never the user's data directory
    os.environ.pop("CHISO_DATABASE_URL", None)

    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse
    from fastapi.testclient import TestClient

    from chiso.observations import DataStatus, Observation
    from chiso.periods import Period
    from chiso.store import open_store
    from chiso.store.bootstrap import ensure_seeded
    from chiso.web import create_app

    store = open_store(f"sqlite:///{folder / 'chiso.sqlite3'}")
    ensure_seeded(store)
    synthetic = synthetic_observations(store, "cao-bang-2025-2030")
    store.add_observations(synthetic, actor="benchmark")
    print(f"Store: {store.url} (temporary)")
    print(f"SYNTHETIC DATA: {len(synthetic):,} figures labelled “{SYNTHETIC}”")
    print(f"                 + the real published figures; {store.count_observations():,} rows in all.")

    app = create_app(store, boundaries=GEOJSON if GEOJSON.is_file() else None)
    client = TestClient(app)
    hello = FastAPI()

    @hello.get("/")
    def index() -> HTMLResponse:
        return HTMLResponse("<!doctype html><html lang=vi><title>Xin chào</title><p>Xin chào</p></html>")

    hello_client = TestClient(hello)
    pages = {
        "baseline: FastAPI static hello": (hello_client, "/"),
        "overview /": (client, "/"),
        "target /chi-tieu/1b (level)": (client, "/chi-tieu/1b"),
        "target /chi-tieu/7 (share of units)": (client, "/chi-tieu/7"),
        "communes map /xa-phuong": (client, "/xa-phuong"),
        "API /api/.../targets (JSON)": (client, "/api/resolutions/cao-bang-2025-2030/targets"),
    }
    results: dict[str, list[float]] = {}
    for name, (c, url) in pages.items():
        results[name] = time_requests(lambda c=c, url=url: c.get(url), args.requests)

    # The first request after a write rebuilds the snapshot (figures, assessment) for the new version.
    cold = []
    for i in range(args.cold):
        store.add_observations(
            [
                Observation(
                    "hpi_score", "04", Period.annual(2026), 80 + i * 0.01, DataStatus.ESTIMATE, SYNTHETIC
                )
            ],
            actor="benchmark",
        )
        start = time.perf_counter()
        assert client.get("/").status_code == 200
        cold.append((time.perf_counter() - start) * 1000)

    base = statistics.median(results["baseline: FastAPI static hello"])
    print(f"\nServer time over {args.requests} requests each (in process, milliseconds):")
    print(f"{'page':40} {'median':>8} {'p99':>8} {'× baseline':>11}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:40} {median:8.2f} {p99(times):8.2f} {median / base:11.1f}")
    print(
        f"{'overview, first request after a write':40} {statistics.median(cold):8.2f} {p99(cold):8.2f} "
        f"{statistics.median(cold) / base:11.1f}   ({args.cold} writes)"
    )
    aim = (
        statistics.median(results["overview /"]) < 50
        and statistics.median(results["target /chi-tieu/1b (level)"]) < 50
    )
    print(f"Aim < 50 ms median on SQLite (overview, target page): {'met' if aim else 'NOT met'}")

    print("\nPage weight (HTML + every asset it loads):")
    print(f"{'page':40} {'raw KB':>8} {'gzip KB':>8}  assets")
    for name, url in [
        ("overview /", "/"),
        ("target /chi-tieu/1b", "/chi-tieu/1b"),
        ("communes map /xa-phuong", "/xa-phuong"),
    ]:
        raw, sent, assets = page_weight(client, url)
        shown = ", ".join(a.split("?")[0].rsplit("/", 1)[-1] for a in assets)
        print(f"{name:40} {raw / 1024:8.1f} {sent / 1024:8.1f}  {shown}")
    hello_raw, hello_sent, _ = page_weight(hello_client, "/")
    print(f"{'baseline: FastAPI static hello':40} {hello_raw / 1024:8.1f} {hello_sent / 1024:8.1f}")
    print("Aim < 500 KB per page, as sent (gzip); ECharts alone is ~1 MB raw, ~330 KB gzipped.")
    store.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
