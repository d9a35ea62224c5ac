"""Errors of the web tier and the one error shape of the JSON API.

Every API error, whatever raised it, is answered as::

    {"error": {"code": "target_not_found", "message": "<tiếng Việt>",
               "message_en": "<English>", "status": 404, "details": []}}

``details`` lists the parameters a 422 refused (empty otherwise). HTML pages answer the
same errors with a Vietnamese error page.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from chiso.errors import ChisoError

log = logging.getLogger("chiso.web")

# Candidates to move into chiso/errors.py once more than the web tier raises them.


class AreaNotFound(ChisoError):
    """An area code is not among the installation's units."""

    status = 404

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Không có đơn vị hành chính mã “{code}”",
            f"Area “{code}” is not known",
        )
        self.code = code


class ResolutionNotFound(ChisoError):
    """A resolution id is neither stored nor shipped."""

    status = 404

    def __init__(self, resolution_id: str) -> None:
        super().__init__(
            f"Không có nghị quyết “{resolution_id}”",
            f"Resolution “{resolution_id}” is not known",
        )
        self.resolution_id = resolution_id


class InvalidParameter(ChisoError):
    """A query parameter has a value the request cannot use."""

    status = 422

    def __init__(self, name: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"Tham số “{name}”: {message_vi}", f"Parameter “{name}”: {message_en}")
        self.name = name


class BoundariesNotConfigured(ChisoError):
    """No boundaries GeoJSON is configured."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            "Chưa cấu hình tệp ranh giới xã, phường (CHISO_BOUNDARIES)",
            "No commune boundaries file is configured (CHISO_BOUNDARIES)",
        )


class NotFound(ChisoError):
    """Something asked for by its id does not exist (or is not the asker's)."""

    status = 404


class LoginRequired(ChisoError):
    """The page or operation needs a logged-in account."""

    status = 401

    def __init__(self) -> None:
        super().__init__("Cần đăng nhập để dùng chức năng này", "Log in to use this")


class CsrfFailed(ChisoError):
    """A form came without the token of this site (an old page, or another site's form)."""

    status = 403

    def __init__(self) -> None:
        super().__init__(
            "Biểu mẫu đã hết hạn hoặc không gửi từ trang này; hãy tải lại trang rồi gửi lại",
            "The form expired or did not come from this site; reload the page and try again",
        )


class ErrorDetail(BaseModel):
    """One refused parameter (or, for a write, one refused field of one item)."""

    location: str
    message: str
    message_en: str


class ErrorBody(BaseModel):
    """The body of every API error."""

    code: str
    message: str
    message_en: str
    status: int
    details: list[ErrorDetail] = []


class ErrorResponse(BaseModel):
    """``{"error": {...}}``: the one error shape of the API."""

    error: ErrorBody


class WriteRefused(ChisoError):
    """Figures refused by the checks (422) or by the account's scope (403): nothing was written.

    ``details`` lists each refused field as ``[index].field``.
    """

    def __init__(self, details: Sequence[ErrorDetail], *, forbidden: bool) -> None:
        count = len(details)
        if forbidden:
            vi, en = (
                "Có số liệu ngoài phạm vi của tài khoản; không ghi gì",
                "Figures outside the account's scope",
            )
        else:
            vi, en = (
                f"Số liệu có {count} lỗi; không ghi gì",
                f"{count} problem(s) in the figures; nothing written",
            )
        super().__init__(vi, en)
        self.status = 403 if forbidden else 422
        self.details = list(details)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "Không tìm thấy / Not found"},
    422: {"model": ErrorResponse, "description": "Tham số không hợp lệ / Invalid parameters"},
}

_HTTP_TEXTS = {
    400: ("bad_request", "Yêu cầu không hợp lệ", "Bad request"),
    401: ("login_required", "Cần đăng nhập", "Authentication required"),
    403: ("forbidden", "Không có quyền", "Forbidden"),
    404: ("not_found", "Không tìm thấy trang hoặc dữ liệu được yêu cầu", "Not found"),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
    413: ("too_large", "Dữ liệu gửi lên quá lớn", "Payload too large"),
    422: ("invalid_parameters", "Tham số không hợp lệ", "Invalid parameters"),
    500: ("internal_error", "Lỗi máy chủ; vui lòng thử lại sau", "Internal server error"),
}

_VALIDATION_VI = {
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "float_parsing": "phải là một số",
    "bool_parsing": "phải là true hoặc false",
    "greater_than_equal": "quá nhỏ",
    "less_than_equal": "quá lớn",
    "enum": "giá trị không hợp lệ",
    "literal_error": "giá trị không hợp lệ",
    "missing": "thiếu tham số bắt buộc",
    "string_too_long": "quá dài",
    "string_pattern_mismatch": "sai định dạng",
}


def error_code(exc: ChisoError) -> str:
    """``TargetNotFound`` → ``target_not_found``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()


def error_body(
    code: str, message: str, message_en: str, status: int, details: Sequence[ErrorDetail] = ()
) -> dict[str, Any]:
    """The JSON error document."""
    return ErrorResponse(
        error=ErrorBody(
            code=code, message=message, message_en=message_en, status=status, details=list(details)
        )
    ).model_dump()


def _validation_details(exc: RequestValidationError) -> list[ErrorDetail]:
    details = []
    for error in exc.errors():
        loc = [str(p) for p in error.get("loc", ()) if p not in {"query", "path", "body"}]
        where = ".".join(loc) or "?"
        vi = _VALIDATION_VI.get(str(error.get("type")), str(error.get("msg", "")))
        ctx = error.get("ctx") or {}
        if "expected" in ctx:
            vi += f"; chấp nhận: {ctx['expected']}"
        elif "ge" in ctx:
            vi += f" (tối thiểu {ctx['ge']})"
        elif "le" in ctx:
            vi += f" (tối đa {ctx['le']})"
        details.append(ErrorDetail(location=where, message=vi, message_en=str(error.get("msg", ""))))
    return details


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def install_error_handlers(app: FastAPI, render_html: Any) -> None:
    """Answer every error as the API error shape under ``/api``, as a Vietnamese page elsewhere.

    ``render_html(request, status, message, details)`` renders the error page.
    """

    def respond(
        request: Request,
        code: str,
        vi: str,
        en: str,
        status: int,
        details: Sequence[ErrorDetail] = (),
        headers: dict[str, str] | None = None,
    ) -> Response:
        if _is_api(request):
            return JSONResponse(
                error_body(code, vi, en, status, details), status_code=status, headers=headers
            )
        response: Response = render_html(request, status, vi, [f"{d.location}: {d.message}" for d in details])
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(ChisoError)
    async def _chiso(request: Request, exc: ChisoError) -> Response:
        if isinstance(exc, LoginRequired) and not _is_api(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/dang-nhap?{urlencode({'next': target})}", status_code=303)
        details: Sequence[ErrorDetail] = getattr(exc, "details", ())
        headers: dict[str, str] | None = getattr(exc, "headers", None)
        if exc.status == 401 and _is_api(request):
            headers = {"WWW-Authenticate": "Bearer"}
        return respond(
            request, error_code(exc), exc.message_vi, exc.message_en, exc.status, details, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        code, vi, en = _HTTP_TEXTS[422]
        return respond(request, code, vi, en, 422, _validation_details(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code, vi, en = _HTTP_TEXTS.get(exc.status_code, ("http_error", "Lỗi", str(exc.detail)))
        return respond(request, code, vi, en, exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("Unhandled error on %s", request.url.path)
        code, vi, en = _HTTP_TEXTS[500]
        return respond(request, code, vi, en, 500)
