"""Administration: accounts, publication, resolutions, survey waves and codes, audit log; `chiso users`."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from chiso.auth import find_user
from chiso.resolutions import resolve_resolution_path
from chiso.store import Store
from chiso.store.surveys import get_wave
from tests.web.conftest import COMMUNE, PASSWORD, form_token, log_in

RESOLUTION_TEXT = resolve_resolution_path("cao-bang-2025-2030").read_text(encoding="utf-8")


def post(client: TestClient, path: str, form_page: str, **data: str) -> Any:
    return client.post(path, data={**data, "csrf_token": form_token(client, form_page)})


# --- accounts -----------------------------------------------------------------------------------------


def test_an_administrator_adds_and_changes_accounts(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "quantri")
    page = accounts_client.get("/quan-tri/nguoi-dung")
    assert page.status_code == 200 and "Sở Y tế" in page.text and "Xã Quảng Uyên" in page.text
    created = post(
        accounts_client,
        "/quan-tri/nguoi-dung",
        "/quan-tri/nguoi-dung",
        username="so-tai-chinh",
        full_name="Sở Tài chính",
        role="agency",
        agency="Sở Tài chính",
        password=PASSWORD,
    )
    assert "Đã tạo tài khoản “so-tai-chinh”" in created.text
    user = find_user(accounts, "so-tai-chinh")
    assert user is not None and user.scope == "Sở Tài chính" and user.role.value == "agency"
    edited = post(
        accounts_client,
        "/quan-tri/nguoi-dung/so-tai-chinh",
        "/quan-tri/nguoi-dung/so-tai-chinh",
        full_name="Sở Tài chính tỉnh",
        role="commune",
        commune=COMMUNE,
        active="1",
    )
    assert "Đã lưu thay đổi" in edited.text
    user = find_user(accounts, "so-tai-chinh")
    assert user is not None and user.scope == COMMUNE and user.session_version == 2
    audit = accounts_client.get("/quan-tri/nhat-ky", params={"entity": "user", "actor": "quantri"}).text
    assert audit.count("so-tai-chinh") >= 2 and "password" not in audit.replace("password_changed", "")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "ngan", "role": "province", "password": "123"}, "ít nhất 10"),
        ({"username": "xa-moi", "role": "commune", "password": PASSWORD}, "mã xã"),
        ({"username": "vanphong", "role": "province", "password": PASSWORD}, "Đã có"),
    ],
)
def test_account_problems_are_shown(
    accounts_client: TestClient, fields: dict[str, str], message: str
) -> None:
    log_in(accounts_client, "quantri")
    response = post(accounts_client, "/quan-tri/nguoi-dung", "/quan-tri/nguoi-dung", **fields)
    assert response.status_code == 422 and message in response.text


def test_an_administrator_cannot_lock_themself_out(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "quantri")
    response = post(
        accounts_client,
        "/quan-tri/nguoi-dung/quantri",
        "/quan-tri/nguoi-dung/quantri",
        role="province",
        active="1",
    )
    assert response.status_code == 422
    user = find_user(accounts, "quantri")
    assert user is not None and user.role.value == "admin"


def test_tokens_made_for_an_account_write_in_its_scope(accounts_client: TestClient) -> None:
    log_in(accounts_client, "quantri")
    page = post(
        accounts_client, "/quan-tri/nguoi-dung/xa-quang-uyen/khoa-api", "/quan-tri/nguoi-dung/xa-quang-uyen"
    )
    token = re.search(r'<code class="token">(chiso_[^<]+)</code>', page.text)
    assert token is not None
    body = [{"indicator": "new_rural_standard", "area": COMMUNE, "period": "2027", "value": 1}]
    written = accounts_client.post(
        "/api/observations", json=body, headers={"Authorization": f"Bearer {token.group(1)}"}
    )
    assert written.status_code == 201 and written.json()["publication"] == "pending"


# --- publication ----------------------------------------------------------------------------------------


def test_a_rejected_batch_is_hidden_from_everyone(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "xa-quang-uyen")
    token = form_token(accounts_client, "/nhap-lieu")
    accounts_client.post(
        "/nhap-lieu",
        data={
            "indicator": "new_rural_standard",
            "area": COMMUNE,
            "period": "2027",
            "value": "1",
            "source": "UBND xã",
            "csrf_token": token,
        },
    )
    log_in(accounts_client, "vanphong")
    queue = accounts_client.get("/quan-tri/cong-bo").text
    batch = re.search(r'action="/quan-tri/cong-bo/(\d+)"', queue)
    assert batch is not None and "xa-quang-uyen" in queue
    rejected = post(
        accounts_client,
        f"/quan-tri/cong-bo/{batch.group(1)}",
        "/quan-tri/cong-bo",
        action="tu-choi",
        note="Sai kỳ",
    )
    text = rejected.text
    assert "Không công bố" in text and "Sai kỳ" in text
    internal = accounts_client.get(
        "/api/observations", params={"indicator": "new_rural_standard", "area": COMMUNE, "year": 2027}
    )
    assert internal.json()["total"] == 0
    unknown = post(accounts_client, f"/quan-tri/cong-bo/{batch.group(1)}", "/quan-tri/cong-bo", action="xoa")
    assert unknown.status_code == 422


# --- resolutions -------------------------------------------------------------------------------------------


def upload_resolution(client: TestClient, text: str, name: str = "nghi-quyet.yaml") -> Any:
    token = form_token(client, "/quan-tri/nghi-quyet")
    return client.post(
        "/quan-tri/nghi-quyet",
        data={"csrf_token": token},
        files={"file": (name, text.encode("utf-8"), "application/yaml")},
    )


def test_a_resolution_is_validated_before_it_is_stored(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    page = accounts_client.get("/quan-tri/nghi-quyet").text
    assert "cao-bang-2025-2030" in page and "đang dùng" in page and "dự thảo" in page
    broken = RESOLUTION_TEXT.replace("kind: average_growth", "kind: tang_binh_quan", 1)
    refused = upload_resolution(accounts_client, broken)
    assert refused.status_code == 422
    assert "1a" in refused.text and "không lưu gì" in refused.text
    other = upload_resolution(accounts_client, RESOLUTION_TEXT.replace('province: "04"', 'province: "06"', 1))
    assert other.status_code == 422 and "tỉnh mã 06" in other.text
    adopted = RESOLUTION_TEXT.replace("\nstatus: draft", "\nstatus: adopted", 1)
    saved = upload_resolution(accounts_client, adopted)
    assert saved.status_code == 200 and "đã thông qua, 33 chỉ tiêu" in saved.text
    stored = accounts.resolution_text("cao-bang-2025-2030")
    assert stored is not None and "status: adopted" in stored
    unchanged = upload_resolution(accounts_client, adopted)
    assert "không thay đổi" in unchanged.text


# --- survey waves and codes ------------------------------------------------------------------------------


def test_waves_codes_and_links(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    opened = post(accounts_client, "/quan-tri/khao-sat", "/quan-tri/khao-sat", action="mo-dot", wave="2027")
    assert "Đã mở đợt khảo sát “2027”" in opened.text
    wave = get_wave(accounts, "2027")
    assert wave is not None and wave.is_open and wave.methodology_id == "cb-hpi-2026"
    made = post(
        accounts_client, "/quan-tri/khao-sat", "/quan-tri/khao-sat", action="tao-ma", wave="2027", count="3"
    )
    codes = re.findall(r"<li><code>([A-Z0-9]{8})</code>", made.text)
    assert len(codes) == 3
    listed = accounts_client.get("/quan-tri/khao-sat/2027/ma.csv")
    rows = list(csv.DictReader(io.StringIO(listed.content.decode("utf-8-sig"))))
    assert sorted(r["ma"] for r in rows) == sorted(codes) and rows[0]["duong_dan"].endswith(
        f"?ma={rows[0]['ma']}"
    )
    links = post(
        accounts_client,
        "/quan-tri/khao-sat",
        "/quan-tri/khao-sat",
        action="tao-duong-dan",
        wave="2027",
        count="2",
    )
    found = re.findall(r'<li><a href="(http[^"]+\?t=[^"]+)">', links.text)
    assert len(found) == 2
    assert accounts_client.get(found[0].split("testserver", 1)[1]).status_code == 200
    closed = post(accounts_client, "/quan-tri/khao-sat", "/quan-tri/khao-sat", action="dong-dot", wave="2027")
    assert "Đã đóng đợt" in closed.text
    twice = post(accounts_client, "/quan-tri/khao-sat", "/quan-tri/khao-sat", action="mo-dot", wave="2027")
    assert twice.status_code == 422 and "đã có" in twice.text


# --- the audit log -----------------------------------------------------------------------------------------


def test_the_audit_log_filters(accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    everything = accounts_client.get("/quan-tri/nhat-ky")
    assert everything.status_code == 200 and "chiso (dữ liệu công bố)" in everything.text
    total = int(re.search(r"(\d+) mục", everything.text).group(1))  # type: ignore[union-attr]
    users = accounts_client.get("/quan-tri/nhat-ky", params={"entity": "user"}).text
    assert "4 mục" in users and "vanphong" in users
    future = accounts_client.get("/quan-tri/nhat-ky", params={"tu": "2099-01-01"}).text
    assert "0 mục" in future
    assert total > 4
    assert accounts_client.get("/quan-tri/nhat-ky", params={"trang": 0}).status_code == 422


# --- the command line -----------------------------------------------------------------------------------


def test_the_users_command(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from chiso.cli import users as module

    # Thin shells: they run against the test store (opening and seeding a store is tested elsewhere).
    monkeypatch.setattr(module, "default_store", lambda: seeded)
    users = module.users
    runner = CliRunner()
    added = runner.invoke(
        users, ["add", "vanphong", "--role", "province", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert added.exit_code == 0, added.output
    assert "Đã tạo tài khoản vanphong" in added.output
    agency = runner.invoke(
        users,
        ["add", "soyte", "--role", "agency", "--scope", "Sở Không Có", "--password-stdin"],
        input=PASSWORD,
    )
    assert agency.exit_code == 2 and "không được giao" in agency.output
    listed = runner.invoke(users, ["list"])
    assert listed.exit_code == 0 and listed.output.startswith("vanphong\tprovince")
    token = runner.invoke(users, ["token", "vanphong", "--label", "thử"])
    assert token.exit_code == 0 and token.output.startswith("chiso_")
    missing = runner.invoke(users, ["token", "khong-co"])
    assert missing.exit_code == 2
