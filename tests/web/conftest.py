"""Fixtures for the web tier: a seeded store, the app and a client; a live server for the browser.

The store holds what a fresh installation holds (``ensure_seeded``: Cao Bằng's units,
resolutions and published figures) plus a few commune-level figures that are
**synthetic**, marked as such in their source, because no commune-level figure has
been published yet and the share-of-units targets and the map need some.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

with warnings.catch_warnings():
    # Starlette 1.x prefers httpx2 for its test client; httpx still works.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from chiso.observations import DataStatus, Observation
from chiso.periods import Period
from chiso.store import Store, open_store
from chiso.store.bootstrap import ensure_seeded
from chiso.web import create_app
from tests.conftest import SHARED_DATA

GEOJSON = SHARED_DATA / "cao-bang-communes-2025.geojson"
SYNTHETIC = "Dữ liệu thử (tổng hợp cho kiểm thử, không phải số liệu công bố)"
# How many xã (the first by code) meet the new-rural standard in the synthetic data, by year.
NEW_RURAL = {2025: 5, 2026: 7}


def xa_codes(store: Store) -> list[str]:
    """The codes of the province's xã, in order."""
    return sorted(a.code for a in store.areas("04") if a.type == "xa")


def synthetic_commune_figures(store: Store) -> list[Observation]:
    """Yes/no new-rural status for every xã in 2025 and 2026 and a happiness score for every unit."""
    communes = [a for a in store.areas("04") if a.is_commune]
    figures = []
    xa = xa_codes(store)
    for year, count in NEW_RURAL.items():
        for code in xa:
            value = 1.0 if code in xa[:count] else 0.0
            figures.append(
                Observation(
                    "new_rural_standard", code, Period.annual(year), value, DataStatus.FINAL, SYNTHETIC
                )
            )
    for index, area in enumerate(communes):
        score = 70 + (index * 7) % 29 + 0.5
        figures.append(
            Observation("hpi_score", area.code, Period.annual(2026), score, DataStatus.PRELIMINARY, SYNTHETIC)
        )
    return figures


def seed(store: Store) -> Store:
    """A store as a fresh installation has it, plus the synthetic commune figures."""
    ensure_seeded(store)
    store.add_observations(synthetic_commune_figures(store), actor="kiểm thử")
    return store


@pytest.fixture
def seeded(store: Store) -> Store:
    """The test store, seeded."""
    return seed(store)


@pytest.fixture
def app(seeded: Store) -> FastAPI:
    """The app over the seeded store, with the commune boundaries when the shared data is present."""
    return create_app(seeded, boundaries=GEOJSON if GEOJSON.is_file() else None)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process client."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def bare_client(seeded: Store) -> Iterator[TestClient]:
    """A client of an app without boundaries."""
    with TestClient(create_app(seeded, boundaries=None)) as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server on a free port in a thread, over its own SQLite store as a fresh installation has it.

    Only the shipped, published figures: the screenshots in the docs show real data.
    """
    folder: Path = tmp_path_factory.mktemp("live")
    store = open_store(f"sqlite:///{folder / 'chiso.sqlite3'}")
    ensure_seeded(store)
    app = create_app(store, boundaries=GEOJSON if GEOJSON.is_file() else None)
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
    else:  # pragma: no cover - only when the server cannot start
        raise RuntimeError("the live server did not start")
    yield url
    server.should_exit = True
    thread.join(timeout=10)
    store.engine.dispose()
