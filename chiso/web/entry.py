"""Data entry for logged-in accounts: a form per figure, spreadsheet upload, template, conflicts, history.

- ``/nhap-lieu``: one figure (indicator, area, period, value in Vietnamese format,
  status, source, note), checked like a spreadsheet row and by the account's scope;
- ``/nhap-lieu/tai-len``: an XLSX or CSV file is kept in the database, checked without
  writing (:func:`chiso.io.importer.import_file` with ``dry_run``) and its problems shown
  cell by cell; a second step writes it (all of it, or on request only its valid rows,
  with the refused rows as a downloadable error file);
- ``/nhap-lieu/mau.xlsx``: the template of the resolution's figures (a scoped account's
  rows only);
- ``/nhap-lieu/xung-dot``: cells whose sources disagree, and a form to enter the
  authoritative figure (newest at the best status: by the engine's rule it supersedes);
- ``/nhap-lieu/lich-su``: every figure ever given for a cell, with its publication state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, select

from chiso.auth import (
    Role,
    User,
    batch_states,
    can_write,
    record_batch,
    writable_indicators,
)
from chiso.errors import ChisoError, InvalidFile, Problem
from chiso.indicators import Indicator
from chiso.io.importer import CellProblem, ImportReport, import_file, is_warning, write_error_file
from chiso.io.tables import read_table
from chiso.io.template import write_template
from chiso.observations import DataStatus, Observation, effective
from chiso.periods import parse_period
from chiso.store import Store
from chiso.store.auth_models import UploadRow
from chiso.store.models import ImportBatch, utcnow
from chiso.web.deps import require_user, snapshot_of, store_of, verify_csrf
from chiso.web.errors import InvalidParameter, NotFound
from chiso.web.snapshot import Snapshot
from chiso.web.templating import render
from chiso.web.writes import (
    Checked,
    RowInput,
    RowProblem,
    agencies_of,
    cell_history,
    check_rows,
    commune_choices,
    scope_problems,
    write_checked,
)

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
MAX_UPLOAD = 10 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".csv")
KEEP_UPLOADS = dt.timedelta(days=7)
RESOLVED_MARK = "[Số liệu chốt]"
STATUSES = [(s.code, s.label) for s in sorted(DataStatus, reverse=True)]


def entry_indicators(snapshot: Snapshot, user: User) -> list[Indicator]:
    """The reported (not derived) indicators the account may write, by name."""
    codes = [i.code for i in snapshot.catalogue if not i.is_derived]
    allowed = set(writable_indicators(user, codes, agencies=agencies_of(snapshot)))
    return sorted((i for i in snapshot.catalogue if i.code in allowed), key=lambda i: i.name)


def default_source(snapshot: Snapshot, user: User) -> str:
    """What the source field starts with: the agency, the commune, or the account's name."""
    if user.role is Role.AGENCY:
        return user.scope
    if user.role is Role.COMMUNE:
        area = snapshot.area(user.scope)
        return f"UBND {area.name}" if area else user.scope
    return user.name


def _entry(
    request: Request,
    user: User,
    *,
    values: dict[str, str] | None = None,
    checked: Checked | None = None,
    saved: int | None = None,
    status_code: int = 200,
) -> Response:
    snapshot = snapshot_of(request)
    store = store_of(request)
    values = values or {"status": "final", "source": default_source(snapshot, user)}
    errors = {p.field or "indicator": p.message_vi for p in (checked.errors if checked else [])}
    done = next((b for b in batch_states(store, actor=user.username, limit=20) if b.id == saved), None)
    return render(
        request,
        "entry.html",
        {
            "snapshot": snapshot,
            "indicators": entry_indicators(snapshot, user),
            "areas": commune_choices(snapshot, user),
            "statuses": STATUSES,
            "values": values,
            "errors": errors,
            "warnings": [p.message_vi for p in (checked.warnings if checked else [])],
            "saved": done,
            "recent": batch_states(store, actor=user.username, limit=10),
        },
        status_code=status_code,
        section="entry",
    )


@router.get("/nhap-lieu", name="entry")
def entry_page(request: Request, lo: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The form for one figure, and the account's recent writes."""
    return _entry(request, require_user(request), saved=lo)


@router.post("/nhap-lieu")
def entry_submit(
    request: Request,
    indicator: Text = "",
    area: Text = "",
    period: Text = "",
    value: Text = "",
    status: Text = "final",
    source: Text = "",
    url: Text = "",
    note: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Check one figure like a spreadsheet row and by the account's scope; write it or say why not."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    values = {
        "indicator": indicator,
        "area": area,
        "period": period,
        "value": value,
        "status": status,
        "source": source,
        "url": url,
        "note": note,
    }
    snapshot = snapshot_of(request)
    store = store_of(request)
    checked = check_rows(store, snapshot, user, [RowInput(**values)])
    if not source.strip():
        checked.problems.insert(0, _problem("source", "ghi nguồn số liệu (cơ quan, văn bản công bố)"))
    if checked.errors:
        code = 403 if checked.forbidden else 422
        return _entry(request, user, values=values, checked=checked, status_code=code)
    result, _ = write_checked(store, user, checked)
    return RedirectResponse(f"/nhap-lieu?lo={result.batch_id}", status_code=303)


def _problem(field: str, message: str) -> RowProblem:
    return RowProblem(0, field, message, message, "missing-value")


# --- upload --------------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    stem = re.sub(r"[^\w.\- ]", "_", stem).strip(" .") or "tep"
    return f"{stem[:100]}{suffix}"


def _load_upload(store: Store, user: User, upload_id: int) -> UploadRow:
    with store.session() as s:
        row = s.get(UploadRow, upload_id)
        if row is None or (row.user_id != user.id and not user.reviews):
            raise NotFound(f"Không có tệp tải lên số {upload_id}", f"No upload {upload_id}")
        s.expunge(row)
        return row


def _dry_run(store: Store, snapshot: Snapshot, user: User, upload: UploadRow, folder: Path) -> ImportReport:
    """Check the file without writing; figures outside the account's scope join the problems."""
    path = folder / _safe_name(upload.file_name)
    path.write_bytes(upload.content)
    report = import_file(
        store, path, snapshot.catalogue, province=snapshot.province, actor=user.username, dry_run=True
    )
    report.validation.problems.extend(scope_problems(report.validation.figures, user, snapshot, str(path)))
    return report


def problem_rows(problems: list[Problem]) -> list[dict[str, str]]:
    """The problems as the report table shows them: sheet, cell, content, message, level."""
    rows = []
    for p in problems:
        located = isinstance(p, CellProblem)
        rows.append(
            {
                "sheet": p.sheet if isinstance(p, CellProblem) else "",
                "cell": f"{p.column}{p.row}" if isinstance(p, CellProblem) and p.row else "",
                "where": "" if located else p.where,
                "content": p.content if isinstance(p, CellProblem) else "",
                "message": p.message_vi,
                "level": "warning" if is_warning(p) else "error",
                "kind": p.kind,
            }
        )
    return rows


def _upload_form(request: Request, user: User, *, error: str = "", status_code: int = 200) -> Response:
    return render(
        request,
        "upload.html",
        {"snapshot": snapshot_of(request), "error": error, "max_mb": MAX_UPLOAD // (1024 * 1024)},
        status_code=status_code,
        section="entry",
    )


@router.get("/nhap-lieu/tai-len", name="upload")
def upload_page(request: Request) -> Response:
    """The upload form."""
    return _upload_form(request, require_user(request))


@router.post("/nhap-lieu/tai-len")
async def upload_file(
    request: Request,
    file: Annotated[UploadFile | None, File()] = None,
    csrf_token: Text = "",
) -> Response:
    """Keep the file in the database, then show its check (nothing is written yet)."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    if file is None or not file.filename:
        return _upload_form(request, user, error="Chọn một tệp .xlsx hoặc .csv", status_code=422)
    name = Path(file.filename).name
    if Path(name).suffix.lower() not in UPLOAD_SUFFIXES:
        return _upload_form(request, user, error=f"Tệp “{name}”: chỉ nhận .xlsx hoặc .csv", status_code=422)
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        limit = MAX_UPLOAD // (1024 * 1024)
        return _upload_form(request, user, error=f"Tệp lớn hơn {limit} MB", status_code=413)
    if not content:
        return _upload_form(request, user, error=f"Tệp “{name}” rỗng", status_code=422)
    store = store_of(request)
    with store.session() as s:
        s.execute(delete(UploadRow).where(UploadRow.created_at < utcnow() - KEEP_UPLOADS))
        row = UploadRow(
            user_id=user.id,
            file_name=name[:300],
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            content=content,
            created_at=utcnow(),
        )
        s.add(row)
        s.flush()
        upload_id = row.id
    return RedirectResponse(f"/nhap-lieu/tai-len/{upload_id}", status_code=303)


def _report_page(
    request: Request,
    user: User,
    upload: UploadRow,
    *,
    message: str = "",
    status_code: int = 200,
) -> Response:
    snapshot = snapshot_of(request)
    store = store_of(request)
    report: ImportReport | None = None
    unreadable: list[str] = []
    with tempfile.TemporaryDirectory(prefix="chiso-upload-") as folder:
        if upload.written_at is None:
            try:
                report = _dry_run(store, snapshot, user, upload, Path(folder))
            except InvalidFile as exc:
                unreadable = [f"{p.where}: {p.message_vi}" for p in exc.problems]
    forbidden = report is not None and any(p.kind == "out-of-scope" for p in report.problems)
    return render(
        request,
        "upload_report.html",
        {
            "snapshot": snapshot,
            "upload": upload,
            "report": report,
            "rows": problem_rows(report.problems) if report else [],
            "errors": len(report.errors) if report else 0,
            "warnings": len(report.problems) - len(report.errors) if report else 0,
            "valid": len(report.validation.valid_figures()) if report else 0,
            "refused_rows": len(report.validation.refused_rows) if report else 0,
            "forbidden": forbidden,
            "unreadable": unreadable,
            "result": upload.result,
            "message": message,
        },
        status_code=status_code,
        section="entry",
    )


@router.get("/nhap-lieu/tai-len/{upload_id}", name="upload_report")
def upload_report(request: Request, upload_id: int) -> Response:
    """The check of an uploaded file: every problem with its sheet and cell, and the confirm step."""
    user = require_user(request)
    return _report_page(request, user, _load_upload(store_of(request), user, upload_id))


@router.post("/nhap-lieu/tai-len/{upload_id}/ghi")
def upload_write(
    request: Request,
    upload_id: int,
    valid_only: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Write a checked file: all of it, or only its valid rows when asked; never outside the scope."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    store = store_of(request)
    snapshot = snapshot_of(request)
    upload = _load_upload(store, user, upload_id)
    if upload.written_at is not None:
        return RedirectResponse(f"/nhap-lieu/tai-len/{upload_id}", status_code=303)
    with tempfile.TemporaryDirectory(prefix="chiso-upload-") as folder:
        try:
            checked = _dry_run(store, snapshot, user, upload, Path(folder))
        except InvalidFile:
            return _report_page(request, user, upload, status_code=422)
        if any(p.kind == "out-of-scope" for p in checked.problems):
            message = "Không ghi gì: tệp có số liệu ngoài phạm vi của tài khoản."
            return _report_page(request, user, upload, message=message, status_code=403)
        if checked.errors and not valid_only:
            message = "Không ghi gì: tệp còn lỗi. Sửa tệp rồi tải lên lại, hoặc chọn chỉ ghi các dòng hợp lệ."
            return _report_page(request, user, upload, message=message, status_code=422)
        path = Path(folder) / _safe_name(upload.file_name)
        report = import_file(
            store,
            path,
            snapshot.catalogue,
            province=snapshot.province,
            actor=user.username,
            write_valid_rows=bool(valid_only),
        )
    batch = _batch_of(store, upload.sha256, user.username) if report.written else None
    state = record_batch(store, batch, user) if batch is not None else ""
    result = {
        "summary": report.summary,
        "added": report.added,
        "revised": report.revised,
        "unchanged": report.unchanged,
        "batch": batch,
        "state": state,
        "refused_rows": len(report.validation.refused_rows) if valid_only else 0,
    }
    with store.session() as s:
        row = s.get(UploadRow, upload_id)
        if row is not None:
            row.written_at, row.result = utcnow(), result
    return RedirectResponse(f"/nhap-lieu/tai-len/{upload_id}", status_code=303)


def _batch_of(store: Store, sha256: str, actor: str) -> int | None:
    """The batch an import just wrote (import_file reports counts, not the batch)."""
    with store.session() as s:
        return s.scalar(
            select(ImportBatch.id)
            .where(ImportBatch.sha256 == sha256, ImportBatch.actor == actor)
            .order_by(ImportBatch.id.desc())
            .limit(1)
        )


@router.get("/nhap-lieu/tai-len/{upload_id}/tep-loi", name="upload_errors")
def upload_error_file(request: Request, upload_id: int) -> Response:
    """The refused rows of an uploaded file with a "Lỗi" column, in the file's own format."""
    user = require_user(request)
    store = store_of(request)
    upload = _load_upload(store, user, upload_id)
    with tempfile.TemporaryDirectory(prefix="chiso-upload-") as folder:
        report = _dry_run(store, snapshot_of(request), user, upload, Path(folder))
        if not report.validation.refused_rows:
            raise NotFound("Tệp không có dòng lỗi", "The file has no refused rows")
        sheets = read_table(Path(folder) / _safe_name(upload.file_name))
        out = write_error_file(
            Path(folder) / f"loi-{Path(_safe_name(upload.file_name)).stem}", sheets, report.validation
        )
        content = out.read_bytes()
    media = (
        "text/csv; charset=utf-8"
        if out.suffix == ".csv"
        else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )
    return Response(content, media_type=media, headers=_attachment(f"loi-{upload.file_name}", out.suffix))


def _attachment(name: str, suffix: str) -> dict[str, str]:
    from urllib.parse import quote

    stem = Path(name).stem
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", stem) + suffix
    encoded = quote(stem + suffix)
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"}


# --- template ------------------------------------------------------------------------------------


@router.get("/nhap-lieu/mau.xlsx", name="entry_template")
def template(request: Request) -> Response:
    """The Excel template of the resolution's figures; a scoped account gets only its own rows."""
    user = require_user(request)
    snapshot = snapshot_of(request)
    start, end = snapshot.resolution.term
    with tempfile.TemporaryDirectory(prefix="chiso-template-") as folder:
        path = write_template(
            Path(folder) / "mau.xlsx",
            snapshot.resolution,
            snapshot.catalogue,
            years=list(range(start, end + 1)),
            province=snapshot.province,
            areas=snapshot.areas,
        )
        if user.role.scoped:
            _keep_writable_rows(path, user, snapshot)
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment(f"mau-nhap-so-lieu-{snapshot.resolution.id}", ".xlsx"),
    )


def _keep_writable_rows(path: Path, user: User, snapshot: Snapshot) -> None:
    """Delete the template rows the account may not write, and number the rest again."""
    from openpyxl import load_workbook

    from chiso.io.template import SHEET

    agencies = agencies_of(snapshot)
    workbook = load_workbook(path)
    ws = workbook[SHEET]
    first = 6  # the header is row 5
    for r in range(ws.max_row, first - 1, -1):
        code, area = ws.cell(r, 2).value, ws.cell(r, 5).value
        if code and not can_write(user, str(code), str(area or ""), agencies=agencies):
            ws.delete_rows(r)
    for number, r in enumerate(range(first, ws.max_row + 1), start=1):
        if ws.cell(r, 2).value:
            ws.cell(r, 1).value = number
    workbook.save(path)


# --- conflicts ------------------------------------------------------------------------------------


def _conflicts(snapshot: Snapshot, user: User) -> list[dict[str, Any]]:
    agencies = agencies_of(snapshot)
    found = []
    for c in snapshot.data.conflicts:
        if not can_write(user, c.indicator, c.area, agencies=agencies) and not user.reviews:
            continue
        indicator = snapshot.catalogue.get(c.indicator)
        area = snapshot.area(c.area)
        # The figure in use, by the engine's own rule (the best status, then the newest).
        newest = effective(c.observations)[(c.indicator, c.area, c.period)]
        by_source: dict[str, Observation] = {}
        for o in sorted(c.observations, key=lambda o: o.entered_at or dt.datetime.min.replace(tzinfo=dt.UTC)):
            by_source[o.source] = o
        found.append(
            {
                "indicator": indicator,
                "area": area,
                "area_code": c.area,
                "period": c.period,
                "status": c.observations[0].status,
                "figures": list(by_source.values()),
                "resolved": newest.note.startswith(RESOLVED_MARK),
                "chosen": newest,
                "writable": can_write(user, c.indicator, c.area, agencies=agencies),
            }
        )
    return sorted(found, key=lambda f: (f["resolved"], f["indicator"].name, f["area_code"], f["period"]))


@router.get("/nhap-lieu/xung-dot", name="conflicts")
def conflicts_page(request: Request) -> Response:
    """Cells whose sources disagree at the best status, and the way to settle them."""
    user = require_user(request)
    snapshot = snapshot_of(request)
    return render(
        request,
        "conflicts.html",
        {"snapshot": snapshot, "conflicts": _conflicts(snapshot, user), "mark": RESOLVED_MARK, "error": ""},
        section="entry",
    )


@router.post("/nhap-lieu/xung-dot")
def resolve_conflict(
    request: Request,
    indicator: Text = "",
    area: Text = "",
    period: Text = "",
    status: Text = "final",
    value: Text = "",
    source: Text = "",
    note: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Enter the authoritative figure of a cell: newest at the best status, it is the one used."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    snapshot = snapshot_of(request)
    store = store_of(request)
    error = ""
    if not note.strip():
        error = "Ghi lý do chốt số liệu (căn cứ, văn bản) trong ô ghi chú"
    elif not source.strip():
        error = "Ghi cơ quan chốt số liệu"
    checked = None
    if not error:
        row = RowInput(indicator, area, period, value, status, source, f"{RESOLVED_MARK} {note.strip()}")
        checked = check_rows(store, snapshot, user, [row])
        if checked.errors:
            error = "; ".join(p.message_vi for p in checked.errors)
    if error or checked is None:
        forbidden = checked is not None and checked.forbidden
        return render(
            request,
            "conflicts.html",
            {
                "snapshot": snapshot,
                "conflicts": _conflicts(snapshot, user),
                "mark": RESOLVED_MARK,
                "error": error,
            },
            status_code=403 if forbidden else 422,
            section="entry",
        )
    write_checked(store, user, checked)
    query = urlencode({"indicator": indicator, "area": area, "period": period})
    return RedirectResponse(f"/nhap-lieu/lich-su?{query}", status_code=303)


# --- history ----------------------------------------------------------------------------------------


@router.get("/nhap-lieu/lich-su", name="history")
def history_page(
    request: Request,
    indicator: Annotated[str, Query(max_length=100)] = "",
    area: Annotated[str, Query(max_length=10)] = "",
    period: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """Every figure ever given for one cell: value, status, source, who, when, publication; the one used."""
    require_user(request)
    snapshot = snapshot_of(request)
    rows = []
    chosen = None
    if indicator and area and period:
        chosen = snapshot.catalogue.get(indicator)
        if snapshot.area(area) is None:
            raise InvalidParameter("area", "không có địa bàn này", "unknown area")
        try:
            parse_period(period)
        except ChisoError:
            raise InvalidParameter("period", "không hiểu kỳ số liệu", "unknown period") from None
        rows = cell_history(store_of(request), indicator, area, period)
    return render(
        request,
        "history.html",
        {
            "snapshot": snapshot,
            "indicators": sorted(snapshot.catalogue, key=lambda i: i.name),
            "areas": [a for a in snapshot.areas if a.code == snapshot.province] + snapshot.communes,
            "indicator": indicator,
            "area": area,
            "period": period,
            "chosen": chosen,
            "area_obj": snapshot.area(area) if area else None,
            "period_obj": parse_period(period) if chosen is not None else None,
            "rows": rows,
            "mark": RESOLVED_MARK,
        },
        section="entry",
    )
