"""Review a draft of a resolution's targets extracted from its text (provincial office, admins).

``/trich-xuat``: paste the text (or upload a .txt, .docx or text-layer .pdf file); the
page shows every target found — text, kind, comparator, value or range, unit, year,
indicator guess and confidence — and how the draft differs from the installation's
resolution file. ``/trich-xuat/ban-nhap.yaml`` returns the YAML draft of the same text
(the page posts the text again: nothing is kept on the server).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from chiso import extraction as ex
from chiso.auth import Role
from chiso.resolutions import default_catalogue, load_resolution, resolve_resolution_path
from chiso.web.deps import require_user, verify_csrf
from chiso.web.errors import InvalidParameter
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_TEXT = 2_000_000
MAX_FILE = 20 * 1024 * 1024
LongText = Annotated[str, Form(max_length=MAX_TEXT)]
Text = Annotated[str, Form(max_length=500)]
ROLES = (Role.ADMIN, Role.PROVINCE)


@dataclass(frozen=True)
class Review:
    """What the page shows: the targets found, the comparison with the resolution, the draft."""

    extraction: ex.Extraction
    comparison: ex.Comparison | None
    resolution: str
    draft: str


def review(text: str, resolution: str, province: str, source: str = "") -> Review:
    """Extract the targets of ``text``, compare them with ``resolution`` and write the YAML draft."""
    catalogue = default_catalogue()
    extraction = ex.extract_targets(text, catalogue)
    res, _ = load_resolution(resolve_resolution_path(resolution))
    comparison = ex.compare_targets(extraction.targets, res)
    draft = ex.draft_resolution(extraction, catalogue, province=province or res.province, source=source)
    return Review(extraction, comparison, res.id, draft)


async def _text_of(text: str, file: UploadFile | None) -> tuple[str, str]:
    """The pasted text, or the text of the uploaded file; and the source's name."""
    if file is None or not file.filename:
        return text, "văn bản dán vào"
    suffix = Path(file.filename).suffix.lower()
    if suffix not in ex.READERS:
        raise InvalidParameter(
            "file", "chỉ đọc tệp .txt, .docx hoặc .pdf có lớp chữ", "only .txt, .docx or text .pdf files"
        )
    content = await file.read(MAX_FILE + 1)
    if len(content) > MAX_FILE:
        raise InvalidParameter("file", "tệp lớn hơn 20 MB", "the file exceeds 20 MB")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"van-ban{suffix}"
        path.write_bytes(content)
        read = await run_in_threadpool(ex.read_document, path)
    return read, Path(file.filename).name


@router.get("/trich-xuat", name="extract")
def extract_page(request: Request) -> Response:
    """The form: paste the text or choose a file."""
    require_user(request, *ROLES)
    return render(request, "extract.html", {"text": "", "result": None}, section="extract")


@router.post("/trich-xuat")
async def extract_submit(
    request: Request,
    text: LongText = "",
    csrf_token: Text = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The targets found in the text, and the differences from the installation's resolution."""
    require_user(request, *ROLES)
    verify_csrf(request, csrf_token)
    content, source = await _text_of(text, file)
    if not content.strip():
        context = {"text": "", "result": None, "error": "Hãy dán văn bản hoặc chọn tệp."}
        return render(request, "extract.html", context, status_code=422, section="extract")
    result = await run_in_threadpool(review, content, str(request.app.state.resolution), _province(), source)
    return render(
        request, "extract.html", {"text": content, "result": result, "source": source}, section="extract"
    )


@router.post("/trich-xuat/ban-nhap.yaml")
async def extract_draft(request: Request, text: LongText = "", csrf_token: Text = "") -> Response:
    """The YAML draft of the posted text, as a file to download."""
    require_user(request, *ROLES)
    verify_csrf(request, csrf_token)
    if not text.strip():
        raise InvalidParameter("text", "văn bản trống", "the text is empty")
    result = await run_in_threadpool(review, text, str(request.app.state.resolution), _province())
    name = f"ban-nhap-{result.resolution}.yaml"
    return Response(
        result.draft.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
    )


def _province() -> str:
    from chiso import settings

    return settings.get("CHISO_PROVINCE") or ""
