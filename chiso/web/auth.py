"""Logging in and out, and the account page (own password, own API tokens).

A login checks the name and password with :func:`chiso.auth.authenticate` (which counts
failures in the database and refuses after too many), then starts a fresh session
holding only the account's id and session version. Every POST form carries the CSRF
token (:mod:`chiso.web.deps`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from chiso.auth import (
    InvalidAccount,
    InvalidCredentials,
    TooManyAttempts,
    authenticate,
    create_token,
    list_tokens,
    revoke_token,
    update_user,
    verify_password,
)
from chiso.store.auth_models import UserRow
from chiso.web.deps import (
    client_address,
    current_user,
    log_in,
    log_out,
    require_user,
    store_of,
    verify_csrf,
)
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=500)]


def safe_next(target: str | None) -> str:
    """A path on this site to go to after logging in ("/" for anything else)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/dang-nhap", name="login")
def login_page(request: Request, next: str = "/") -> Response:
    """The login form (an account already logged in goes on)."""
    if current_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "username": "", "error": ""})


@router.post("/dang-nhap")
def login(
    request: Request,
    username: Text = "",
    password: Text = "",
    next: Text = "/",
    csrf_token: Text = "",
) -> Response:
    """Check the name and password; on success start a new session and go on."""
    verify_csrf(request, csrf_token)
    try:
        user = authenticate(store_of(request), username, password, client=client_address(request))
    except (InvalidCredentials, TooManyAttempts) as exc:
        context = {"next": safe_next(next), "username": username, "error": exc.message_vi}
        return render(request, "login.html", context, status_code=exc.status)
    log_in(request, user)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/dang-xuat", name="logout")
def logout(request: Request, csrf_token: Text = "") -> Response:
    """End the session."""
    verify_csrf(request, csrf_token)
    log_out(request)
    return RedirectResponse("/", status_code=303)


def _account(
    request: Request, *, message: str = "", error: str = "", token: str = "", status: int = 200
) -> Response:
    user = require_user(request)
    return render(
        request,
        "account.html",
        {
            "account": user,
            "tokens": list_tokens(store_of(request), user.id),
            "message": message,
            "error": error,
            "new_token": token,
        },
        status_code=status,
        section="account",
    )


@router.get("/tai-khoan", name="account")
def account_page(request: Request) -> Response:
    """The account: role and scope, password change, API tokens."""
    return _account(request)


@router.post("/tai-khoan/mat-khau")
def change_password(
    request: Request,
    current: Text = "",
    new: Text = "",
    repeat: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Change one's own password (other sessions end; this one goes on)."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    store = store_of(request)
    with store.session() as s:
        stored = s.get(UserRow, user.id)
        ok = stored is not None and verify_password(current, stored.password_hash)[0]
    if not ok:
        return _account(request, error="Mật khẩu hiện tại không đúng", status=422)
    if new != repeat:
        return _account(request, error="Hai lần nhập mật khẩu mới không giống nhau", status=422)
    try:
        changed = update_user(store, user.username, password=new, actor=user.username)
    except InvalidAccount as exc:
        return _account(request, error=exc.message_vi, status=422)
    log_in(request, changed)
    return _account(request, message="Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc.")


@router.post("/tai-khoan/khoa-api")
def new_token(request: Request, name: Text = "", csrf_token: Text = "") -> Response:
    """Create an API token for one's own account; it is shown once."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    token = create_token(store_of(request), user.username, name=name, actor=user.username)
    return _account(request, token=token, message="Đã tạo khóa API. Hãy lưu lại ngay: khóa chỉ hiện một lần.")


@router.post("/tai-khoan/khoa-api/{token_id}/thu-hoi")
def revoke(request: Request, token_id: int, csrf_token: Text = "") -> Response:
    """Revoke one of one's own tokens."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    done = revoke_token(store_of(request), token_id, user_id=user.id, actor=user.username)
    return _account(request, message="Đã thu hồi khóa API." if done else "Không có khóa này.")
