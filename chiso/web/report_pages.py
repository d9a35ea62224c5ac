"""The periodic report for the provincial office: pick a period and a format, download the file.

``/bao-cao`` shows a GET form (year, half or quarter, DOCX or PDF, draft mark); with a
year in the query it builds the report with :func:`chiso.reports.build.build_report` in
a worker thread and sends it as an attachment. PDF needs LibreOffice on the server
(without it the page says so, status 501).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from chiso.auth import Role
from chiso.reports.build import build_report
from chiso.web.deps import require_user, store_of
from chiso.web.errors import InvalidParameter
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
PARTS = [
    ("", "Cả năm"),
    ("H1", "6 tháng đầu năm"),
    ("H2", "6 tháng cuối năm"),
    ("Q1", "Quý I"),
    ("Q2", "Quý II"),
    ("Q3", "Quý III"),
    ("Q4", "Quý IV"),
]
FORMATS = [("docx", "Word (.docx)"), ("pdf", "PDF")]


def period_code(year: int, part: str) -> str:
    """``2026`` and ``"H1"`` → ``"2026-H1"``; an unknown part is refused."""
    if part not in {p for p, _ in PARTS}:
        raise InvalidParameter("part", "kỳ báo cáo không hợp lệ", "unknown report part")
    return f"{year}-{part}" if part else str(year)


@router.get("/bao-cao", name="report")
async def report_page(
    request: Request,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    part: Annotated[str, Query(max_length=4)] = "",
    fmt: Annotated[str, Query(max_length=10)] = "docx",
    draft: Annotated[bool, Query()] = False,
) -> Response:
    """The form; with a year, the report file."""
    require_user(request, Role.ADMIN, Role.PROVINCE)
    if year is None:
        return render(
            request,
            "report.html",
            {"parts": PARTS, "formats": FORMATS, "year": dt.date.today().year},
            section="report",
        )
    if fmt not in {f for f, _ in FORMATS}:
        raise InvalidParameter("fmt", "định dạng phải là docx hoặc pdf", "format must be docx or pdf")
    built = await run_in_threadpool(
        build_report,
        store_of(request),
        period=period_code(year, part),
        fmt=fmt,
        resolution=str(request.app.state.resolution),
        draft=draft,
    )
    disposition = f"attachment; filename*=UTF-8''{quote(built.filename)}"
    return Response(built.data, media_type=built.media_type, headers={"Content-Disposition": disposition})
