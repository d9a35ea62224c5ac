"""What views share: who is asking (the signed session), the CSRF token, the snapshot they may read.

The session cookie (Starlette's, signed with the installation's key) holds only the
user's id and the account's *session version*; every request reads the account from
the database, so disabling an account or changing its password or role ends its
sessions on every worker at once.

Forms are protected by a double-submit token: a random value in an HttpOnly cookie
(``chiso_csrf``, SameSite=Lax) and, in every POST form, an HMAC of it under the
secret key. A page from another site can neither read the cookie nor compute the
HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request
from starlette.responses import Response

from chiso.auth import PermissionDenied, Role, User, get_user
from chiso.store import Store
from chiso.web.errors import CsrfFailed, LoginRequired
from chiso.web.snapshot import Snapshot, load_snapshot

CSRF_COOKIE = "chiso_csrf"
CSRF_FIELD = "csrf_token"


def store_of(request: Request) -> Store:
    """The app's store."""
    store: Store = request.app.state.store
    return store


def current_user(request: Request) -> User | None:
    """The logged-in, active account of this request (read once per request), or ``None``."""
    if "user" in request.state._state:
        found: User | None = request.state.user
        return found
    user = None
    session = request.session if "session" in request.scope else {}
    uid, version = session.get("uid"), session.get("v")
    if isinstance(uid, int) and isinstance(version, int):
        account = get_user(store_of(request), uid)
        if account is not None and account.active and account.session_version == version:
            user = account
    request.state.user = user
    return user


def log_in(request: Request, user: User) -> None:
    """Start a session for ``user`` (a fresh one: nothing of the old session is kept)."""
    request.session.clear()
    request.session.update({"uid": user.id, "v": user.session_version})
    request.state.user = user


def log_out(request: Request) -> None:
    """End the session."""
    request.session.clear()
    request.state.user = None


def require_user(request: Request, *roles: Role) -> User:
    """The logged-in account; else :class:`LoginRequired`, or :class:`PermissionDenied` for other roles."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    if roles and user.role not in roles:
        raise PermissionDenied(
            "Tài khoản của bạn không có quyền xem trang này", "Your account may not open this page"
        )
    return user


def is_public(request: Request) -> bool:
    """True when the request sees only published figures (nobody is logged in)."""
    return current_user(request) is None


def snapshot_of(request: Request) -> Snapshot:
    """The snapshot of the installation's resolution this request may read."""
    return load_snapshot(store_of(request), request.app.state.resolution, public=is_public(request))


def client_address(request: Request) -> str:
    """The client's address (behind a proxy, run uvicorn with --proxy-headers)."""
    return request.client.host if request.client is not None else ""


# --- CSRF ---------------------------------------------------------------------------------------


def _sign(request: Request, nonce: str) -> str:
    key = str(request.app.state.secret_key).encode()
    return hmac.new(key, f"csrf:{nonce}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token to put in this page's forms (a cookie is set with the response when new)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if "csrf_nonce" in request.state._state:
        nonce = request.state.csrf_nonce
    elif len(nonce) != 43:
        nonce = secrets.token_urlsafe(32)
        request.state.csrf_nonce = nonce
    return _sign(request, nonce)


def set_csrf_cookie(request: Request, response: Response) -> None:
    """Send the CSRF cookie if this request made a new one."""
    nonce = request.state._state.get("csrf_nonce")
    if nonce:
        response.set_cookie(
            CSRF_COOKIE,
            nonce,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )


def verify_csrf(request: Request, token: str) -> None:
    """Refuse a form whose token does not match the cookie (:class:`CsrfFailed`)."""
    nonce = request.cookies.get(CSRF_COOKIE, "")
    if not nonce or not token or not hmac.compare_digest(_sign(request, nonce), token):
        raise CsrfFailed()
