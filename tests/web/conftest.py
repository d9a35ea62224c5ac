"""Fixtures for the web tier: a seeded store, the app and a client; a live server for the browser.

The store holds what a fresh installation holds (``ensure_seeded``: Cao Bằng's units,
resolutions and published figures) plus a few commune-level figures that are
**synthetic**, marked as such in their source, because no commune-level figure has
been published yet and the share-of-units targets and the map need some. On SQLite it
is built once per session and copied for each test; ``accounts`` adds one account of
each role for the logged-in pages.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterator
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


# --- accounts of the logged-in parts --------------------------------------------------------------

PASSWORD = "mat-khau-kiem-thu"
# Xã Quảng Uyên: the commune account's own commune; Xã Hà Quảng is another one.
COMMUNE, OTHER_COMMUNE = "01576", "01321"
ACCOUNTS = {
    "quantri": ("admin", "", "Quản trị hệ thống"),
    "vanphong": ("province", "", "Văn phòng UBND tỉnh"),
    "soyte": ("agency", "Sở Y tế", "Sở Y tế"),
    "xa-quang-uyen": ("commune", COMMUNE, "UBND xã Quảng Uyên"),
}


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Argon2id with small costs in the tests: the real ones take a few tenths of a second a hash."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    import chiso.auth

    original = chiso.auth._HASHER
    chiso.auth._HASHER = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    yield
    chiso.auth._HASHER = original


def add_accounts(store: Store) -> Store:
    """One account of each role (all with :data:`PASSWORD`)."""
    from chiso.auth import create_user

    for name, (role, scope, full_name) in ACCOUNTS.items():
        create_user(store, name, PASSWORD, role=role, scope=scope, full_name=full_name, actor="kiểm thử")
    return store


def form_token(client: TestClient, path: str = "/dang-nhap") -> str:
    """The CSRF token of a page's forms (the client keeps the cookie it pairs with)."""
    import re

    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, f"no form on {path}"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Log the client in through the login form."""
    token = form_token(client)
    response = client.post(
        "/dang-nhap",
        data={"username": username, "password": password, "csrf_token": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


# --- stores: seeded once per session and copied for each test (SQLite); built per test on PostgreSQL ---


def _template(folder: Path, build: Callable[[Store], object]) -> Path | None:
    import os

    if os.environ.get("CHISO_TEST_DATABASE_URL"):
        return None
    path = folder / "template.sqlite3"
    store = open_store(f"sqlite:///{path}")
    build(store)
    store.engine.dispose()
    return path


def _from_template(template: Path | None, store_url: str, build: Callable[[Store], object]) -> Store:
    if template is None:
        store = open_store(store_url)
        build(store)
        return store
    import sqlite3

    target = store_url.removeprefix("sqlite:///")
    source, copy = sqlite3.connect(template), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return open_store(store_url)


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return _template(tmp_path_factory.mktemp("seeded"), seed)


@pytest.fixture(scope="session")
def _accounts_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    return _template(tmp_path_factory.mktemp("accounts"), lambda s: add_accounts(seed(s)))


@pytest.fixture
def seeded(store_url: str, _seeded_template: Path | None) -> Iterator[Store]:
    """A store as a fresh installation has it, plus the synthetic commune figures."""
    store = _from_template(_seeded_template, store_url, seed)
    yield store
    store.engine.dispose()


@pytest.fixture
def accounts(store_url: str, _accounts_template: Path | None) -> Iterator[Store]:
    """The seeded store with one account of each role (:data:`ACCOUNTS`)."""
    store = _from_template(_accounts_template, store_url, lambda s: add_accounts(seed(s)))
    yield store
    store.engine.dispose()


@pytest.fixture
def accounts_client(accounts: Store) -> Iterator[TestClient]:
    """A client of the app over the store with accounts (not logged in)."""
    with TestClient(create_app(accounts, boundaries=GEOJSON if GEOJSON.is_file() else None)) as c:
        yield c


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
