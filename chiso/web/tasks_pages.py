"""Tasks for logged-in accounts: the board, a page per task, the agency scorecard and timeline.

- ``/nhiem-vu``: tasks in tree order with their derived status, filtered by agency,
  status, "due this month" and "overdue" (a GET form); an agency account sees its
  reminders (overdue and due-soon tasks it leads) above the list;
- ``/nhiem-vu/bang-diem``: per lead agency, tasks on time, late, overdue and the share
  completed, and a timeline (an SVG bar per task, no script);
- ``/nhiem-vu/{code}``: one task — status, progress, sub-tasks, the targets it serves
  with their assessment, updates with their evidence, comments; its lead agency and the
  provincial office post progress updates (with a file or a link) there;
- ``/nhiem-vu/tep/{id}``: an evidence file.

``today`` is :func:`today_of`: ``app.state.today`` when set (tests fix the clock there),
else today in Vietnam.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import func, select

from chiso import settings
from chiso.auth import Role, User
from chiso.store import Store, tasks_repo
from chiso.store.task_models import TaskRow
from chiso.tasks import (
    STATUS_LABELS,
    AgencyKind,
    InvalidUpdate,
    TaskStatus,
    TimelineItem,
    can_update,
    local_today,
    total_score,
)
from chiso.web.deps import require_user, snapshot_of, store_of, verify_csrf
from chiso.web.errors import InvalidParameter, NotFound
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=5000)]
SECTION = "tasks"
# Bar colours of the timeline, one per status (the label is always written beside the bar).
BAR_COLOURS = {
    TaskStatus.NOT_STARTED: "#8a8f98",
    TaskStatus.IN_PROGRESS: "#1d6fb8",
    TaskStatus.COMPLETED: "#1e7b34",
    TaskStatus.COMPLETED_LATE: "#7a6a00",
    TaskStatus.OVERDUE: "#b3261e",
    TaskStatus.PAUSED: "#5f4b8b",
}


def today_of(request: Request) -> dt.date:
    """The day the pages judge tasks on: ``app.state.today`` when set, else today in Vietnam."""
    fixed = getattr(request.app.state, "today", None)
    return fixed if isinstance(fixed, dt.date) else local_today()


def agency_of(user: User | None) -> str | None:
    """The agency an account acts for (an agency account's scope), else ``None``."""
    return user.scope if user is not None and user.role is Role.AGENCY and user.scope else None


def _status(value: str) -> TaskStatus | None:
    if not value:
        return None
    try:
        return TaskStatus(value)
    except ValueError:
        raise InvalidParameter(
            "status",
            "không có trạng thái này; dùng: " + ", ".join(s.value for s in TaskStatus),
            "unknown status; use: " + ", ".join(s.value for s in TaskStatus),
        ) from None


@router.get("/nhiem-vu", name="tasks")
def tasks_page(
    request: Request,
    agency: Annotated[str | None, Query(max_length=300)] = None,
    status: Annotated[str, Query(max_length=40)] = "",
    due_this_month: Annotated[bool, Query()] = False,
    overdue: Annotated[bool, Query()] = False,
) -> Response:
    """The task board; an agency account starts on its own tasks and sees its reminders."""
    user = require_user(request)
    store = store_of(request)
    today = today_of(request)
    mine = agency_of(user)
    chosen = mine if agency is None else agency.strip()
    wanted = _status(status)
    views = tasks_repo.list_tasks(
        store,
        today,
        agency=chosen or None,
        involved=True,
        status=wanted,
        overdue=overdue,
        due_this_month=due_this_month,
    )
    reminders = tasks_repo.digest_on(store, today).for_agency(mine) if mine else None
    agencies = tasks_repo.list_agencies(store, kind=AgencyKind.DEPARTMENT)
    return render(
        request,
        "tasks.html",
        {
            "views": views,
            "today": today,
            "agency": chosen or "",
            "agencies": agencies,
            "status": wanted.value if wanted else "",
            "statuses": list(STATUS_LABELS.items()),
            "due_this_month": due_this_month,
            "overdue": overdue,
            "mine": mine,
            "reminders": reminders,
        },
        section=SECTION,
    )


@dataclass(frozen=True)
class Bar:
    """A timeline row with the bar's place on a 0–1000 scale."""

    item: TimelineItem
    x: float
    width: float
    colour: str


def timeline_bars(
    items: list[TimelineItem], today: dt.date
) -> tuple[list[Bar], dt.date | None, dt.date | None]:
    """Bars for the tasks that have a date, on a scale from the earliest to the latest date."""
    days = [d for i in items for d in (i.start, i.due, i.completed_on) if d is not None]
    if not days:
        return [], None, None
    low, high = min([*days, today]), max([*days, today])
    span = max((high - low).days, 1)
    bars = []
    for item in items:
        begin = item.start or item.due
        end = max(d for d in (item.due, item.completed_on, item.start) if d is not None) if begin else None
        if begin is None or end is None:
            continue
        x = (begin - low).days / span * 1000
        width = max((end - begin).days / span * 1000, 6.0)
        bars.append(Bar(item, round(x, 1), round(min(width, 1000 - x) or 6.0, 1), BAR_COLOURS[item.status]))
    return bars, low, high


@router.get("/nhiem-vu/bang-diem", name="task_scorecard")
def scorecard_page(request: Request) -> Response:
    """Per lead agency: tasks on time, late, overdue and the share completed; the timeline."""
    require_user(request)
    store = store_of(request)
    today = today_of(request)
    scores = tasks_repo.scorecard_on(store, today)
    items = tasks_repo.timeline_on(store, today)
    bars, low, high = timeline_bars(items, today)
    today_x = None
    if low is not None and high is not None:
        today_x = round((today - low).days / max((high - low).days, 1) * 1000, 1)
    return render(
        request,
        "scorecard.html",
        {
            "scores": scores,
            "total": total_score(scores),
            "today": today,
            "bars": bars,
            "low": low,
            "high": high,
            "today_x": today_x,
            "undated": sum(1 for i in items if i.start is None and i.due is None),
            "colours": [(s.label, BAR_COLOURS[s]) for s in TaskStatus],
        },
        section=SECTION,
    )


@router.get("/nhiem-vu/tep/{file_id}", name="task_file")
def task_file(request: Request, file_id: int) -> Response:
    """An evidence file, as an attachment."""
    require_user(request)
    try:
        info, path = tasks_repo.file_path(store_of(request), file_id)
    except InvalidUpdate:
        raise NotFound(f"Không có tệp số {file_id}", f"No file {file_id}") from None
    if not path.is_file():
        raise NotFound(f"Tệp “{info.name}” không còn trên máy chủ", f"File {file_id} is missing")
    return FileResponse(path, media_type=info.content_type or "application/octet-stream", filename=info.name)


def _linked_targets(request: Request, codes: tuple[str, ...]) -> list[dict[str, Any]]:
    snapshot = snapshot_of(request)
    found = {a.target.id: a for a in snapshot.assessments(snapshot.latest_year)}
    return [{"id": code, "a": found.get(code)} for code in codes]


def _task(
    request: Request,
    code: str,
    *,
    error: str = "",
    message: str = "",
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    user = require_user(request)
    store = store_of(request)
    today = today_of(request)
    detail = tasks_repo.task_detail(store, code, today)
    files = {f.name: f.id for f in detail.files}
    allowed = can_update(detail.view.task, str(user.role), agency_of(user))
    return render(
        request,
        "task.html",
        {
            "d": detail,
            "t": detail.view.task,
            "state": detail.view.state,
            "today": today,
            "files": files,
            "targets": _linked_targets(request, detail.view.task.targets),
            "can_update": allowed,
            "error": error,
            "message": message,
            "values": values or {},
        },
        status_code=status_code,
        section=SECTION,
    )


@router.get("/nhiem-vu/{code}", name="task")
def task_page(request: Request, code: str, ok: Annotated[str, Query(max_length=20)] = "") -> Response:
    """One task with its updates, evidence and comments; the update form for who may report."""
    messages = {"cap-nhat": "Đã ghi báo cáo tiến độ.", "y-kien": "Đã ghi ý kiến."}
    return _task(request, code, message=messages.get(ok, ""))


def parse_percent(text: str) -> float | None:
    """A percentage: "45", "45,5", "45.5%" → a number; "" → ``None``; :class:`InvalidUpdate` otherwise."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        raise InvalidUpdate(f"Tiến độ “{text}” không phải là số", f"“{text}” is not a number") from None


@router.post("/nhiem-vu/{code}/cap-nhat")
async def post_update(
    request: Request,
    code: str,
    percent: Text = "",
    text: Text = "",
    evidence_url: Text = "",
    csrf_token: Text = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A progress update by the task's lead agency or the provincial office (others: 403)."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    store = store_of(request)
    values = {"percent": percent, "text": text, "evidence_url": evidence_url}
    upload = None
    if file is not None and file.filename:
        content = await file.read(tasks_repo.MAX_FILE_BYTES + 1)
        upload = tasks_repo.Upload(file.filename, content, file.content_type or "")
    try:
        tasks_repo.add_update(
            store,
            code,
            author=user.username,
            role=str(user.role),
            agency=agency_of(user),
            percent=parse_percent(percent),
            text=text,
            evidence_url=evidence_url,
            upload=upload,
            on=today_of(request),
        )
    except InvalidUpdate as exc:
        return _task(request, code, error=exc.message_vi, values=values, status_code=422)
    return RedirectResponse(f"/nhiem-vu/{code}?ok=cap-nhat#cap-nhat", status_code=303)


@router.post("/nhiem-vu/{code}/y-kien")
def post_comment(request: Request, code: str, text: Text = "", csrf_token: Text = "") -> Response:
    """A comment by any logged-in account."""
    user = require_user(request)
    verify_csrf(request, csrf_token)
    try:
        tasks_repo.add_comment(
            store_of(request), code, text=text, author=user.username, agency=agency_of(user) or ""
        )
    except InvalidUpdate as exc:
        return _task(request, code, error=exc.message_vi, status_code=422)
    return RedirectResponse(f"/nhiem-vu/{code}?ok=y-kien#y-kien", status_code=303)


def ensure_task_tree(store: Store) -> list[str]:
    """On first start (no task stored yet), load the shipped agencies and the resolution's task tree."""
    from chiso.io.tasks_excel import resolve_task_tree

    resolution = settings.get("CHISO_RESOLUTION")
    if not resolution or not resolve_task_tree(resolution).is_file():
        return []  # no shipped task tree for this resolution: tasks are entered later
    with store.session() as s:
        if s.scalar(select(func.count()).select_from(TaskRow)):
            return []
    _, tasks = tasks_repo.load_initial_tree(store, resolution)
    return [f"Cây nhiệm vụ ban đầu: {tasks.message}."]


def target_tasks(request: Request, target_id: str) -> list[tasks_repo.TaskView]:
    """The tasks that serve a target, for the section "Nhiệm vụ thực hiện" of its public page."""
    resolution = str(request.app.state.resolution)
    return tasks_repo.tasks_for_target(store_of(request), target_id, today_of(request), resolution=resolution)
