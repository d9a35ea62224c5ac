"""The write API: ``POST /api/observations`` with ``Authorization: Bearer <token>``.

The body is a JSON list of figures in the long CSV format. They are checked exactly as
the web form and an import check them (:mod:`chiso.web.writes`) and by the token's
account scope; all of them are written in one transaction, or none (422 with every
refused field, 403 when a figure is outside the scope). What a scoped account writes
waits for the provincial office to publish it (``publication: pending``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from chiso.auth import InvalidToken, User, verify_token
from chiso.web.deps import store_of
from chiso.web.errors import ErrorDetail, ErrorResponse, WriteRefused
from chiso.web.schemas import ObservationIn, WriteOut, WriteWarning
from chiso.web.snapshot import load_snapshot
from chiso.web.writes import RowInput, check_rows, write_checked

router = APIRouter(prefix="/api")
_bearer = HTTPBearer(
    auto_error=False, description="Khóa API (tạo ở trang Tài khoản hoặc `chiso users token`)"
)
MAX_ITEMS = 10_000


def token_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> User:
    """The account of the bearer token (checked before the figures: without a token, a 401)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _invalid()
    try:
        return verify_token(store_of(request), credentials.credentials)
    except InvalidToken:
        raise _invalid() from None


def _invalid() -> InvalidToken:
    return InvalidToken()  # answered with "WWW-Authenticate: Bearer" (chiso.web.errors)


def _errors(text: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": text}


@router.post(
    "/observations",
    status_code=201,
    response_model=WriteOut,
    summary="Ghi số liệu (cần khóa API)",
    responses={
        401: _errors("Thiếu khóa API hoặc khóa không hợp lệ / Missing or invalid token"),
        403: _errors("Số liệu ngoài phạm vi của tài khoản / Outside the account's scope"),
        422: _errors("Số liệu không hợp lệ; không ghi gì / Invalid figures; nothing written"),
    },
)
def write_observations(
    request: Request,
    user: Annotated[User, Depends(token_user)],
    items: Annotated[list[ObservationIn], Body(min_length=1, max_length=MAX_ITEMS)],
) -> Any:
    """Ghi một danh sách số liệu: tất cả, hoặc không gì cả.

    Mỗi số liệu được kiểm tra như một dòng của tệp nhập (chỉ số, địa bàn, kỳ, số, trạng
    thái, miền giá trị, trùng lặp) và theo phạm vi của tài khoản (sở, ngành: chỉ tiêu được
    giao; xã: địa bàn của xã). Số liệu do tài khoản sở, ngành, xã ghi chỉ công khai sau khi
    Văn phòng cấp tỉnh công bố.

    Writes figures, all or none, with the same checks as an import and the token's scope.
    """
    store = store_of(request)
    snapshot = load_snapshot(store, request.app.state.resolution)
    rows = [
        RowInput(i.indicator, i.area, str(i.period), i.value, i.status, i.source, i.note, i.url)
        for i in items
    ]
    checked = check_rows(store, snapshot, user, rows)
    if checked.errors:
        details = [
            ErrorDetail(
                location=f"[{p.index}].{p.field or 'indicator'}",
                message=p.message_vi,
                message_en=p.message_en,
            )
            for p in checked.errors
        ]
        raise WriteRefused(details, forbidden=checked.forbidden)
    result, state = write_checked(store, user, checked, file_name=f"API ({user.username})")
    body = WriteOut(
        added=result.added,
        unchanged=result.unchanged,
        batch=result.batch_id,
        publication=state or "published",
        message=result.message,
        warnings=[
            WriteWarning(
                location=f"[{p.index}].{p.field or 'value'}", message=p.message_vi, message_en=p.message_en
            )
            for p in checked.warnings
        ],
    )
    return JSONResponse(body.model_dump(), status_code=201)
