"""Accounts: passwords, login and logout, sessions, CSRF, failed-login limits, roles and scopes."""

from __future__ import annotations

import base64
import json

import pytest
from fastapi.testclient import TestClient

from chiso.auth import (
    MAX_FAILURES,
    InvalidAccount,
    Role,
    User,
    authenticate,
    can_write,
    create_user,
    find_user,
    hash_password,
    indicator_agencies,
    update_user,
    verify_password,
    writable_indicators,
)
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store import Store
from tests.web.conftest import COMMUNE, OTHER_COMMUNE, PASSWORD, form_token, log_in

RESOLUTION, CATALOGUE = load_resolution(resolve_resolution_path("cao-bang-2025-2030"))
AGENCIES = indicator_agencies(RESOLUTION, CATALOGUE)


def user(role: str, scope: str = "", active: bool = True) -> User:
    return User(1, "u", "", Role(role), scope, active, 1)


# --- the library ----------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id() -> None:
    hashed = hash_password("một mật khẩu dài")
    assert hashed.startswith("$argon2id$")
    assert verify_password("một mật khẩu dài", hashed)[0]
    assert not verify_password("sai", hashed)[0]
    assert not verify_password("sai", "not a hash")[0]


@pytest.mark.parametrize(
    ("role", "scope", "indicator", "area", "allowed"),
    [
        ("admin", "", "grdp_per_capita", "04", True),
        ("province", "", "new_rural_standard", OTHER_COMMUNE, True),
        ("commune", COMMUNE, "new_rural_standard", COMMUNE, True),
        ("commune", COMMUNE, "new_rural_standard", OTHER_COMMUNE, False),
        ("commune", COMMUNE, "grdp_per_capita", "04", False),
        ("agency", "Sở Y tế", "health_insurance_coverage", "04", True),
        ("agency", "sở y tế", "health_insurance_coverage", COMMUNE, True),  # names compare accent-folded
        ("agency", "Sở Y tế", "grdp_per_capita", "04", False),
        ("agency", "Sở Công Thương", "grdp_share_industry", "04", True),  # an input of a derived indicator
    ],
)
def test_write_permissions_follow_role_and_scope(
    role: str, scope: str, indicator: str, area: str, allowed: bool
) -> None:
    assert can_write(user(role, scope), indicator, area, agencies=AGENCIES) is allowed


def test_a_disabled_account_writes_nothing() -> None:
    assert not can_write(user("admin", active=False), "grdp_per_capita", "04", agencies=AGENCIES)


def test_an_agency_sees_only_its_indicators() -> None:
    codes = [i.code for i in CATALOGUE]
    mine = writable_indicators(user("agency", "Sở Y tế"), codes, agencies=AGENCIES)
    assert "health_insurance_coverage" in mine and "grdp_per_capita" not in mine
    assert writable_indicators(user("province"), codes, agencies=AGENCIES) == codes


@pytest.mark.parametrize(
    ("username", "password", "role", "scope", "message"),
    [
        ("ab", PASSWORD, "province", "", "Tên đăng nhập"),
        ("Có Dấu", PASSWORD, "province", "", "Tên đăng nhập"),
        ("nguoimoi", "ngan", "province", "", "ít nhất 10"),
        ("nguoimoi", PASSWORD, "chief", "", "Vai trò"),
        ("nguoimoi", PASSWORD, "commune", "99999", "mã xã"),
        ("nguoimoi", PASSWORD, "agency", "", "tên cơ quan"),
        ("nguoimoi", PASSWORD, "agency", "Sở Không Có", "không được giao"),
        ("vanphong", PASSWORD, "province", "", "Đã có"),
    ],
)
def test_accounts_are_checked(
    accounts: Store, username: str, password: str, role: str, scope: str, message: str
) -> None:
    with pytest.raises(InvalidAccount, match=message):
        create_user(accounts, username, password, role=role, scope=scope, agencies=["Sở Y tế"])


def test_failed_logins_are_counted_in_the_database(accounts: Store) -> None:
    from chiso.auth import InvalidCredentials, TooManyAttempts

    for _ in range(MAX_FAILURES):
        with pytest.raises(InvalidCredentials):
            authenticate(accounts, "vanphong", "sai mật khẩu", client="10.0.0.1")
    with pytest.raises(TooManyAttempts):  # even with the right password, for a while
        authenticate(accounts, "vanphong", PASSWORD, client="10.0.0.2")
    assert authenticate(accounts, "xa-quang-uyen", PASSWORD).role is Role.COMMUNE
    with pytest.raises(InvalidCredentials):
        authenticate(accounts, "khong-co-ai", PASSWORD)


# --- the pages ---------------------------------------------------------------------------------------


def test_login_and_logout(accounts_client: TestClient) -> None:
    page = accounts_client.get("/dang-nhap")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    assert 'autocomplete="current-password"' in page.text and '<label for="password">' in page.text
    log_in(accounts_client, "vanphong")
    account = accounts_client.get("/tai-khoan")
    assert account.status_code == 200 and "Văn phòng cấp tỉnh" in account.text
    assert account.headers["cache-control"] == "private, no-store"
    assert "Nhập số liệu" in account.text and "Quản trị" in account.text  # navigation for the office
    token = form_token(accounts_client, "/tai-khoan")
    out = accounts_client.post("/dang-xuat", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    again = accounts_client.get("/tai-khoan", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/dang-nhap?next=%2Ftai-khoan"


def test_the_session_cookie_holds_only_the_account_id_and_version(accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    cookie = accounts_client.cookies["session"]
    payload = json.loads(base64.b64decode(cookie.split(".")[0] + "=="))
    assert set(payload) == {"uid", "v"} and payload["v"] == 1


def test_wrong_password_then_too_many_attempts(accounts_client: TestClient) -> None:
    token = form_token(accounts_client)
    for _ in range(MAX_FAILURES):
        wrong = accounts_client.post(
            "/dang-nhap", data={"username": "vanphong", "password": "sai", "csrf_token": token}
        )
        assert wrong.status_code == 401 and "không đúng" in wrong.text
        assert 'value="vanphong"' in wrong.text  # the name is kept, never the password
    locked = accounts_client.post(
        "/dang-nhap", data={"username": "vanphong", "password": PASSWORD, "csrf_token": token}
    )
    assert locked.status_code == 429 and "thử lại sau 15 phút" in locked.text


def test_forms_need_the_csrf_token(accounts_client: TestClient) -> None:
    accounts_client.get("/dang-nhap")
    missing = accounts_client.post("/dang-nhap", data={"username": "vanphong", "password": PASSWORD})
    assert missing.status_code == 403 and "tải lại trang" in missing.text
    forged = accounts_client.post(
        "/dang-nhap", data={"username": "vanphong", "password": PASSWORD, "csrf_token": "0" * 64}
    )
    assert forged.status_code == 403


def test_after_login_only_local_addresses(accounts_client: TestClient) -> None:
    token = form_token(accounts_client)
    response = accounts_client.post(
        "/dang-nhap",
        data={"username": "vanphong", "password": PASSWORD, "csrf_token": token, "next": "//example.com/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_logged_in_pages_send_visitors_to_login(accounts_client: TestClient) -> None:
    for path in ("/nhap-lieu", "/nhap-lieu/tai-len", "/quan-tri", "/quan-tri/nhat-ky"):
        response = accounts_client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/dang-nhap?next=")
    public = accounts_client.get("/")
    assert "Nhập số liệu" not in public.text and "Đăng nhập" in public.text
    assert "chiso_csrf" not in public.headers.get("set-cookie", "")  # public pages set no cookie


@pytest.mark.parametrize(
    ("username", "path", "status"),
    [
        ("xa-quang-uyen", "/quan-tri", 403),
        ("soyte", "/quan-tri/cong-bo", 403),
        ("vanphong", "/quan-tri/nguoi-dung", 403),
        ("vanphong", "/quan-tri/cong-bo", 200),
        ("quantri", "/quan-tri/nguoi-dung", 200),
        ("xa-quang-uyen", "/nhap-lieu", 200),
    ],
)
def test_roles_open_their_pages(accounts_client: TestClient, username: str, path: str, status: int) -> None:
    log_in(accounts_client, username)
    assert accounts_client.get(path).status_code == status


def test_a_new_password_ends_the_other_sessions(accounts: Store, accounts_client: TestClient) -> None:
    from chiso.web import create_app

    log_in(accounts_client, "soyte")
    with TestClient(create_app(accounts)) as other:
        # Another server of the same installation: same database, its own key; the session is its own.
        log_in(other, "soyte")
        token = form_token(other, "/tai-khoan")
        changed = other.post(
            "/tai-khoan/mat-khau",
            data={
                "current": PASSWORD,
                "new": "mat-khau-moi-dai",
                "repeat": "mat-khau-moi-dai",
                "csrf_token": token,
            },
        )
        assert changed.status_code == 200 and "Đã đổi mật khẩu" in changed.text
        assert other.get("/tai-khoan").status_code == 200  # this session goes on
    ended = accounts_client.get("/tai-khoan", follow_redirects=False)
    assert ended.status_code == 303


def test_a_disabled_account_is_logged_out(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "soyte")
    update_user(accounts, "soyte", active=False)
    assert accounts_client.get("/nhap-lieu", follow_redirects=False).status_code == 303
    token = form_token(accounts_client)
    refused = accounts_client.post(
        "/dang-nhap", data={"username": "soyte", "password": PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 401
    stored = find_user(accounts, "soyte")
    assert stored is not None and stored.session_version == 2


def test_own_api_tokens(accounts_client: TestClient) -> None:
    log_in(accounts_client, "soyte")
    token = form_token(accounts_client, "/tai-khoan")
    made = accounts_client.post("/tai-khoan/khoa-api", data={"name": "phần mềm", "csrf_token": token})
    assert made.status_code == 200 and "chiso_" in made.text and "chỉ hiện một lần" in made.text
    listed = accounts_client.get("/tai-khoan")
    assert "phần mềm" in listed.text and "Thu hồi" in listed.text
    import re

    token_id = re.search(r"/tai-khoan/khoa-api/(\d+)/thu-hoi", listed.text)
    assert token_id is not None
    revoked = accounts_client.post(
        f"/tai-khoan/khoa-api/{token_id.group(1)}/thu-hoi",
        data={"csrf_token": form_token(accounts_client, "/tai-khoan")},
    )
    assert "Đã thu hồi" in revoked.text


def test_real_password_hashing_costs() -> None:
    """The tests hash cheaply (conftest); the installation uses pwdlib's recommended Argon2id costs."""
    from pwdlib.hashers.argon2 import Argon2Hasher

    import chiso.auth

    costs = Argon2Hasher()._hasher
    expected = f"$argon2id$v=19$m={costs.memory_cost},t={costs.time_cost},p={costs.parallelism}$"
    assert costs.memory_cost >= 19 * 1024 and chiso.auth._DUMMY_HASH.startswith(expected)
