"""The web application: public pages, the open API, static assets, one error shape.

:func:`create_app` builds a FastAPI app over a :class:`~chiso.store.Store`. Routers
are added one per area of the site (public pages, the read and write API, the
happiness index, the survey, login, data entry, administration), the navigation is a
list on ``app.state.nav`` (links for logged-in accounts say which roles see them), and
errors are answered as Vietnamese pages or, under ``/api``, as ``{"error": {...}}``.
Nothing is kept in the process but a cache keyed by the database's data version: the
session is a signed cookie holding an account id, uploads wait in the database, so
any number of workers and servers may share one database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chiso import __version__, settings
from chiso.store import Store, open_store
from chiso.web.errors import install_error_handlers
from chiso.web.templating import STATIC_DIR, NavItem, add_nav_item, make_templates, render

# Scripts and styles only from this server (ECharts styles its elements through the DOM, which CSP allows).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class _SecurityHeaders:
    """Security headers on every response; long caching for versioned static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope["path"].startswith("/static/")
        # A request with a session may be answered with unpublished figures: never for a shared cache.
        has_session = any(k == b"cookie" and b"session=" in v for k, v in scope.get("headers", []))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                    b"x-frame-options": b"DENY",
                    b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
                }
                if is_static:
                    extra[b"cache-control"] = b"public, max-age=31536000, immutable"
                elif has_session:
                    extra[b"cache-control"] = b"private, no-store"
                present = {k.lower() for k, _ in headers}
                headers += [
                    (k, v)
                    for k, v in extra.items()
                    if k not in present or (k == b"cache-control" and is_static)
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def secret_key() -> str:
    """``CHISO_SECRET_KEY``, else a random key kept in the data directory (shared by its workers)."""
    configured = settings.get("CHISO_SECRET_KEY")
    if configured:
        return configured
    path = settings.home() / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Create it readable by its owner only; if two workers race, the first one's key wins.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def _render_error(request: Request, status: int, message: str, details: list[str]) -> Response:
    titles = {
        401: "Cần đăng nhập",
        403: "Không có quyền",
        404: "Không tìm thấy",
        409: "Đã được dùng",
        413: "Tệp quá lớn",
        422: "Tham số không hợp lệ",
        429: "Thử lại sau",
        500: "Lỗi máy chủ",
    }
    return render(
        request,
        "error.html",
        {"status": status, "title": titles.get(status, "Lỗi"), "message": message, "details": details},
        status_code=status,
    )


def create_app(
    store: Store | None = None,
    *,
    resolution: str | None = None,
    boundaries: Path | None = None,
) -> FastAPI:
    """The chiso web application over ``store``.

    Without a store, the configured one (``CHISO_DATABASE_URL`` or SQLite in
    ``CHISO_HOME``) is opened, migrated and, on first start, seeded with the shipped
    areas, resolutions and published figures. ``resolution`` (default
    ``CHISO_RESOLUTION``) is the resolution the pages assess; ``boundaries`` (default
    ``CHISO_BOUNDARIES``) a GeoJSON of the communes keyed by the property ``code``.
    """
    from chiso.web import admin, api, auth, entry, hpi_pages, pages, survey, write_api

    if store is None:
        from chiso.store.bootstrap import ensure_seeded

        store = open_store()
        ensure_seeded(store)
        from chiso.web.tasks_pages import ensure_task_tree

        ensure_task_tree(store)  # the shipped task tree, on first start
        key = secret_key()
    else:
        # An embedding caller (tests, a script) without a configured key gets one for this app only.
        key = settings.get("CHISO_SECRET_KEY") or secrets.token_urlsafe(48)
    if boundaries is None and settings.get("CHISO_BOUNDARIES"):
        boundaries = Path(str(settings.get("CHISO_BOUNDARIES")))
    app = FastAPI(
        title="chiso – Dữ liệu mở",
        version=__version__,
        description=(
            "Dữ liệu mở về thực hiện Nghị quyết: nghị quyết, chỉ tiêu kèm đánh giá, chỉ số, số liệu và "
            "đơn vị hành chính, dạng JSON hoặc CSV (`?format=csv`). Mọi lỗi có dạng "
            '`{"error": {"code", "message", "message_en", "status", "details"}}`.\n\n'
            "Không đăng nhập, API chỉ trả số liệu đã công bố: số liệu do sở, ngành, xã nhập chỉ công khai "
            "khi Văn phòng cấp tỉnh công bố. Ghi số liệu: `POST /api/observations` với khóa API "
            "(`Authorization: Bearer <khóa>`), trong phạm vi của tài khoản.\n\n"
            "Open data on the implementation of a Party Congress resolution: resolutions, targets with "
            "their assessment, indicators, observations and areas, as JSON or CSV. Without a session only "
            "published figures are served; figures are written with an API token."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store
    app.state.resolution = resolution or settings.require("CHISO_RESOLUTION")
    app.state.boundaries = Path(boundaries).expanduser() if boundaries is not None else None
    app.state.templates = make_templates()
    app.state.secret_key = key
    app.state.nav = [
        NavItem("Tổng quan", "/", "overview"),
        NavItem("Xã, phường", "/xa-phuong", "communes"),
        NavItem("Chỉ số hạnh phúc", "/chi-so-hanh-phuc", "hpi"),
        NavItem("Dữ liệu mở", "/api/docs", "api"),
    ]
    app.add_middleware(SessionMiddleware, secret_key=key, same_site="lax", https_only=False)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(_SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_error_handlers(app, _render_error)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(write_api.router)
    app.include_router(hpi_pages.router)
    app.include_router(survey.router)
    app.include_router(auth.router)
    app.include_router(entry.router)
    app.include_router(admin.router)
    from chiso.web import extract_pages, report_pages, tasks_pages

    for module in (tasks_pages, report_pages, extract_pages):
        app.include_router(module.router)
    add_nav_item(app, NavItem("Nhiệm vụ", "/nhiem-vu", "tasks", roles=()))
    add_nav_item(app, NavItem("Báo cáo", "/bao-cao", "report", roles=("admin", "province")))
    add_nav_item(app, NavItem("Trích xuất", "/trich-xuat", "extract", roles=("admin", "province")))
    add_nav_item(app, NavItem("Nhập số liệu", "/nhap-lieu", "entry", roles=()))
    add_nav_item(app, NavItem("Quản trị", "/quan-tri", "admin", roles=("admin", "province")))

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        """Liveness for load balancers: the database answers."""
        store.resolution_ids()
        return JSONResponse({"status": "ok"})

    return app
