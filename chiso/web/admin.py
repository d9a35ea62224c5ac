"""Administration: accounts (administrators), publication, resolutions, survey waves and codes, audit log.

Accounts are managed by ``admin`` accounts only; everything else here is open to the
provincial office (``province``) too. Each view parses its form, calls one library
function (:mod:`chiso.auth`, :mod:`chiso.store.surveys`, the store) and renders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from chiso.auth import (
    PENDING,
    PUBLISHED,
    REJECTED,
    REVIEW_LABELS,
    InvalidAccount,
    Role,
    User,
    batch_states,
    create_survey_codes,
    create_token,
    create_user,
    find_user,
    list_tokens,
    list_users,
    responsible_agencies,
    review_batch,
    revoke_token,
    survey_code_counts,
    update_user,
)
from chiso.errors import ChisoError, InvalidFile
from chiso.io.export import VIETNAM_TIME
from chiso.methodology import bundled_methodologies, default_methodology, load_methodology
from chiso.resolutions import load_resolution_text
from chiso.store.auth_models import SurveyCodeRow
from chiso.store.db import to_observation
from chiso.store.models import AuditEntry, ObservationRow, ResolutionRow
from chiso.store.surveys import close_wave, count_responses, create_wave, list_waves
from chiso.text import nfc
from chiso.web.deps import require_user, snapshot_of, store_of, verify_csrf
from chiso.web.errors import InvalidParameter, NotFound
from chiso.web.snapshot import parse_resolution_text
from chiso.web.survey import make_link_token
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
OFFICE = (Role.ADMIN, Role.PROVINCE)
MAX_RESOLUTION = 2 * 1024 * 1024
AUDIT_PAGE = 100


def _office(request: Request) -> User:
    return require_user(request, *OFFICE)


@router.get("/quan-tri", name="admin")
def admin_page(request: Request) -> Response:
    """What needs attention: figures waiting for publication, accounts, resolutions, survey waves."""
    user = _office(request)
    store = store_of(request)
    return render(
        request,
        "admin.html",
        {
            "pending": len(batch_states(store, states={PENDING})),
            "users": len(list_users(store)) if user.role is Role.ADMIN else None,
            "resolutions": len(store.resolution_ids()),
            "waves": len(list_waves(store)),
        },
        section="admin",
    )


# --- accounts --------------------------------------------------------------------------------------


def _users_page(
    request: Request,
    *,
    error: str = "",
    message: str = "",
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    require_user(request, Role.ADMIN)
    snapshot = snapshot_of(request)
    return render(
        request,
        "admin_users.html",
        {
            "users": list_users(store_of(request)),
            "roles": list(Role),
            "agencies": responsible_agencies(snapshot.resolution),
            "communes": snapshot.communes,
            "error": error,
            "message": message,
            "values": values or {"role": "commune"},
        },
        status_code=status,
        section="admin",
    )


@router.get("/quan-tri/nguoi-dung", name="admin_users")
def users_page(request: Request) -> Response:
    """Every account and the form to add one."""
    return _users_page(request)


def _scope(role: str, agency: str, commune: str) -> str:
    return agency if role == Role.AGENCY.value else commune if role == Role.COMMUNE.value else ""


@router.post("/quan-tri/nguoi-dung")
def add_user(
    request: Request,
    username: Text = "",
    full_name: Text = "",
    role: Text = "",
    agency: Text = "",
    commune: Text = "",
    password: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Create an account (the agency must be one the resolution names responsible)."""
    admin = require_user(request, Role.ADMIN)
    verify_csrf(request, csrf_token)
    values = {
        "username": username,
        "full_name": full_name,
        "role": role,
        "agency": agency,
        "commune": commune,
    }
    snapshot = snapshot_of(request)
    try:
        created = create_user(
            store_of(request),
            username,
            password,
            role=role,
            scope=_scope(role, agency, commune),
            full_name=full_name,
            agencies=responsible_agencies(snapshot.resolution),
            actor=admin.username,
        )
    except InvalidAccount as exc:
        return _users_page(request, error=exc.message_vi, values=values, status=422)
    return _users_page(request, message=f"Đã tạo tài khoản “{created.username}” ({created.role.label}).")


def _user_page(
    request: Request, username: str, *, error: str = "", message: str = "", token: str = "", status: int = 200
) -> Response:
    require_user(request, Role.ADMIN)
    store = store_of(request)
    account = find_user(store, username)
    if account is None:
        raise NotFound(f"Không có tài khoản “{username}”", f"No account “{username}”")
    snapshot = snapshot_of(request)
    return render(
        request,
        "admin_user.html",
        {
            "account": account,
            "tokens": list_tokens(store, account.id),
            "roles": list(Role),
            "agencies": responsible_agencies(snapshot.resolution),
            "communes": snapshot.communes,
            "error": error,
            "message": message,
            "new_token": token,
        },
        status_code=status,
        section="admin",
    )


@router.get("/quan-tri/nguoi-dung/{username}", name="admin_user")
def user_page(request: Request, username: str) -> Response:
    """One account: role, scope, state, password reset, API tokens."""
    return _user_page(request, username)


@router.post("/quan-tri/nguoi-dung/{username}")
def edit_user(
    request: Request,
    username: str,
    full_name: Text = "",
    role: Text = "",
    agency: Text = "",
    commune: Text = "",
    active: Text = "",
    password: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Change an account; a new password, role or scope ends its open sessions."""
    admin = require_user(request, Role.ADMIN)
    verify_csrf(request, csrf_token)
    if username == admin.username and (role != Role.ADMIN.value or not active):
        return _user_page(
            request, username, error="Không tự khóa hoặc hạ quyền tài khoản đang dùng", status=422
        )
    try:
        update_user(
            store_of(request),
            username,
            full_name=full_name,
            role=role,
            scope=_scope(role, agency, commune),
            active=bool(active),
            password=password or None,
            agencies=responsible_agencies(snapshot_of(request).resolution),
            actor=admin.username,
        )
    except InvalidAccount as exc:
        return _user_page(request, username, error=exc.message_vi, status=422)
    return _user_page(request, username, message="Đã lưu thay đổi.")


@router.post("/quan-tri/nguoi-dung/{username}/khoa-api")
def user_token(request: Request, username: str, name: Text = "", csrf_token: Text = "") -> Response:
    """Create an API token for an account (shown once)."""
    admin = require_user(request, Role.ADMIN)
    verify_csrf(request, csrf_token)
    token = create_token(store_of(request), username, name=name, actor=admin.username)
    return _user_page(request, username, token=token, message="Đã tạo khóa API; khóa chỉ hiện một lần.")


@router.post("/quan-tri/nguoi-dung/{username}/khoa-api/{token_id}/thu-hoi")
def user_token_revoke(request: Request, username: str, token_id: int, csrf_token: Text = "") -> Response:
    """Revoke an account's token."""
    admin = require_user(request, Role.ADMIN)
    verify_csrf(request, csrf_token)
    account = find_user(store_of(request), username)
    done = account is not None and revoke_token(
        store_of(request), token_id, user_id=account.id, actor=admin.username
    )
    return _user_page(request, username, message="Đã thu hồi khóa." if done else "Không có khóa này.")


# --- publication ------------------------------------------------------------------------------------


def _batch_figures(request: Request, batch_id: int, limit: int = 50) -> list[Any]:
    with store_of(request).session() as s:
        rows = s.scalars(
            select(ObservationRow)
            .where(ObservationRow.batch_id == batch_id)
            .order_by(ObservationRow.id)
            .limit(limit)
        )
        return [to_observation(r) for r in rows]


@router.get("/quan-tri/cong-bo", name="admin_publication")
def publication_page(request: Request) -> Response:
    """Figures entered by departments and communes, waiting to be published; recent decisions."""
    _office(request)
    store = store_of(request)
    snapshot = snapshot_of(request)
    pending = batch_states(store, states={PENDING})
    done = batch_states(store, states={PUBLISHED, REJECTED}, limit=30)
    return render(
        request,
        "admin_publication.html",
        {
            "snapshot": snapshot,
            "pending": [(b, _batch_figures(request, b.id)) for b in pending],
            "done": done,
            "names": {a.code: a.name for a in snapshot.areas},
            "labels": REVIEW_LABELS,
        },
        section="admin",
    )


@router.post("/quan-tri/cong-bo/{batch_id}")
def publish(
    request: Request, batch_id: int, action: Text = "", note: Text = "", csrf_token: Text = ""
) -> Response:
    """Publish (or reject) a batch: published figures become public; rejected ones are hidden from all."""
    user = _office(request)
    verify_csrf(request, csrf_token)
    state = {"cong-bo": PUBLISHED, "tu-choi": REJECTED}.get(action)
    if state is None:
        raise InvalidParameter("action", "chọn công bố hoặc không công bố", "choose publish or reject")
    review_batch(store_of(request), batch_id, state, reviewer=user, note=note)
    return RedirectResponse("/quan-tri/cong-bo", status_code=303)


# --- resolutions -------------------------------------------------------------------------------------


def _resolutions(request: Request) -> list[dict[str, Any]]:
    default = request.app.state.resolution
    with store_of(request).session() as s:
        rows = list(s.scalars(select(ResolutionRow).order_by(ResolutionRow.id)))
        items = []
        for row in rows:
            try:
                targets = len(parse_resolution_text(row.text)[0].targets)
            except ChisoError:
                targets = None
            items.append(
                {
                    "id": row.id,
                    "title": row.title,
                    "status": row.status,
                    "loaded_at": row.loaded_at,
                    "loaded_by": row.loaded_by,
                    "targets": targets,
                    "default": row.id == default,
                }
            )
        return items


def _resolutions_page(
    request: Request, *, problems: list[str] | None = None, message: str = "", status: int = 200
) -> Response:
    from chiso.targets import ResolutionStatus

    return render(
        request,
        "admin_resolutions.html",
        {
            "items": _resolutions(request),
            "problems": problems or [],
            "message": message,
            "status_labels": {s.value: s.label for s in ResolutionStatus},
        },
        status_code=status,
        section="admin",
    )


@router.get("/quan-tri/nghi-quyet", name="admin_resolutions")
def resolutions_page(request: Request) -> Response:
    """The stored resolutions with their status, and the upload of a new or amended file."""
    _office(request)
    return _resolutions_page(request)


@router.post("/quan-tri/nghi-quyet")
async def upload_resolution(
    request: Request, file: Annotated[UploadFile | None, File()] = None, csrf_token: Text = ""
) -> Response:
    """Validate a resolution YAML file; store it only when it has no problem."""
    user = _office(request)
    verify_csrf(request, csrf_token)
    if file is None or not file.filename:
        return _resolutions_page(request, problems=["Chọn một tệp .yaml"], status=422)
    content = await file.read(MAX_RESOLUTION + 1)
    if len(content) > MAX_RESOLUTION:
        return _resolutions_page(request, problems=["Tệp lớn hơn 2 MB"], status=413)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _resolutions_page(request, problems=["Tệp phải là văn bản UTF-8"], status=422)
    try:
        resolution, _ = load_resolution_text(text, file.filename)
    except InvalidFile as exc:
        return _resolutions_page(
            request, problems=[f"{p.where}: {p.message_vi}" for p in exc.problems], status=422
        )
    province = snapshot_of(request).province
    if resolution.province != province:
        problem = (
            f"province: nghị quyết của tỉnh mã {resolution.province}, hệ thống này phục vụ tỉnh mã {province}"
        )
        return _resolutions_page(request, problems=[problem], status=422)
    changed = store_of(request).save_resolution(
        resolution.id,
        resolution.province,
        resolution.title,
        resolution.status.value,
        nfc(text),
        actor=user.username,
    )
    message = (
        f"Đã lưu nghị quyết “{resolution.id}” ({resolution.status.label}, "
        f"{len(resolution.targets)} chỉ tiêu)."
        if changed
        else f"Nghị quyết “{resolution.id}” không thay đổi."
    )
    return _resolutions_page(request, message=message)


# --- survey waves and codes ------------------------------------------------------------------------


def _survey_page(
    request: Request,
    *,
    error: str = "",
    message: str = "",
    codes: list[str] | None = None,
    links: list[str] | None = None,
    wave: str = "",
    status: int = 200,
) -> Response:
    store = store_of(request)
    counts = survey_code_counts(store)
    waves = [
        {"wave": w, "responses": count_responses(store, w.id), "codes": counts.get(w.id, (0, 0))}
        for w in list_waves(store)
    ]
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "admin_survey.html",
        {
            "waves": waves,
            "methodologies": sorted(bundled_methodologies()),
            "communes": snapshot_of(request).communes,
            "error": error,
            "message": message,
            "codes": [(c, f"{base}/khao-sat/{wave}?ma={c}") for c in codes or []],
            "links": links or [],
            "chosen": wave,
        },
        status_code=status,
        section="admin",
    )


@router.get("/quan-tri/khao-sat", name="admin_survey")
def survey_admin(request: Request) -> Response:
    """Survey waves, their responses and codes; open or close a wave; make codes and links."""
    _office(request)
    return _survey_page(request)


@router.post("/quan-tri/khao-sat")
def survey_action(
    request: Request,
    action: Text = "",
    wave: Text = "",
    methodology: Text = "",
    count: Text = "",
    commune: Text = "",
    csrf_token: Text = "",
) -> Response:
    """Open a wave, close it, or issue codes or signed links for it."""
    user = _office(request)
    verify_csrf(request, csrf_token)
    store = store_of(request)
    wave = wave.strip()
    try:
        if action == "mo-dot":
            shipped = bundled_methodologies()
            method = (
                load_methodology(shipped[methodology]) if methodology in shipped else default_methodology()
            )
            create_wave(store, wave, method, province=snapshot_of(request).province, actor=user.username)
            return _survey_page(request, message=f"Đã mở đợt khảo sát “{wave}”.")
        known = {w.id: w for w in list_waves(store)}
        if wave not in known:
            return _survey_page(request, error=f"Không có đợt “{wave}”", status=422)
        if action == "dong-dot":
            close_wave(store, wave, actor=user.username)
            return _survey_page(request, message=f"Đã đóng đợt “{wave}”: không nhận thêm phiếu.")
        if known[wave].synthetic:
            return _survey_page(request, error="Đợt mô phỏng không nhận phiếu trả lời", status=422)
        number = int(count) if count.strip().isdigit() else 0
        if action == "tao-ma":
            codes = create_survey_codes(store, wave, number, commune=commune.strip(), actor=user.username)
            return _survey_page(request, message=f"Đã tạo {len(codes)} mã mời.", codes=codes, wave=wave)
        if action == "tao-duong-dan":
            if not 1 <= number <= 1000:
                return _survey_page(request, error="Số đường dẫn từ 1 đến 1.000", status=422)
            base = str(request.base_url).rstrip("/")
            links = [f"{base}/khao-sat/{wave}?t={make_link_token(request, wave)}" for _ in range(number)]
            return _survey_page(
                request, message=f"Đã tạo {number} đường dẫn (mỗi đường dẫn một phiếu).", links=links
            )
    except ChisoError as exc:
        return _survey_page(request, error=exc.message_vi, status=422)
    return _survey_page(request, error="Không rõ thao tác", status=422)


@router.get("/quan-tri/khao-sat/{wave}/ma.csv", name="admin_survey_codes")
def survey_codes_csv(request: Request, wave: str) -> Response:
    """The wave's printed codes (used or not) with their links, for a mail merge."""
    _office(request)
    base = str(request.base_url).rstrip("/")
    with store_of(request).session() as s:
        rows = list(
            s.scalars(
                select(SurveyCodeRow)
                .where(SurveyCodeRow.wave == wave, ~SurveyCodeRow.code.startswith("link:"))
                .order_by(SurveyCodeRow.id)
            )
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ma", "xa_phuong", "duong_dan", "da_dung"])
    for r in rows:
        writer.writerow([r.code, r.commune, f"{base}/khao-sat/{wave}?ma={r.code}", "1" if r.used_at else "0"])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="ma-khao-sat-{wave}.csv"'},
    )


# --- audit log ---------------------------------------------------------------------------------------


def _day(text: str, *, end: bool = False) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    start = dt.datetime.combine(day, dt.time.min, tzinfo=VIETNAM_TIME)
    return (start + dt.timedelta(days=1) if end else start).astimezone(dt.UTC)


@router.get("/quan-tri/nhat-ky", name="admin_audit")
def audit_page(
    request: Request,
    actor: Annotated[str, Query(max_length=100)] = "",
    entity: Annotated[str, Query(max_length=50)] = "",
    action: Annotated[str, Query(max_length=50)] = "",
    tu: Annotated[str, Query(max_length=10)] = "",
    den: Annotated[str, Query(max_length=10)] = "",
    trang: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The audit log, newest first: who did what, when, and the values before and after."""
    _office(request)
    conditions: list[Any] = []
    if actor:
        conditions.append(AuditEntry.actor == actor)
    if entity:
        conditions.append(AuditEntry.entity == entity)
    if action:
        conditions.append(AuditEntry.action == action)
    since, until = _day(tu), _day(den, end=True)
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    with store_of(request).session() as s:
        total = s.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(*conditions)
                .order_by(AuditEntry.id.desc())
                .offset((trang - 1) * AUDIT_PAGE)
                .limit(AUDIT_PAGE)
            )
        )
        entities = list(s.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
        actions = list(s.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return render(
        request,
        "admin_audit.html",
        {
            "entries": entries,
            "total": total,
            "page": trang,
            "pages": max(1, -(-total // AUDIT_PAGE)),
            "filters": {"actor": actor, "entity": entity, "action": action, "tu": tu, "den": den},
            "entities": entities,
            "actions": actions,
        },
        section="admin",
    )
