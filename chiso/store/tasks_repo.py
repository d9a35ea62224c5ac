"""Reading and writing tasks: agencies, the initial task tree, updates, comments, files.

Functions take a :class:`~chiso.store.db.Store`, plain values and ``today``, and return
the dataclasses of :mod:`chiso.tasks`, so a web view or a command parses its input,
calls one function here and formats the result. Every write is one transaction and
leaves a line in the audit log. Who acts is passed as plain values — ``role`` and
``agency`` (the agency name of an agency user): an agency's user posts updates and files
only on the tasks its agency leads; ``admin`` and ``province`` act on every task.

Shipped data read here: the departments of a province
(``chiso/data/agencies/<code>-<slug>.csv``; its communes come from the area list) and
the initial task tree of a resolution (``chiso/data/tasks/<resolution>.yaml``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from chiso import settings
from chiso.io.tasks_excel import bundled_agencies, load_task_tree, resolution_target_ids, resolve_task_tree
from chiso.store.db import Store, _aware
from chiso.store.models import AuditEntry, utcnow
from chiso.store.task_models import AgencyRow, TaskComment, TaskFile, TaskRow, TaskTarget, TaskUpdateRow
from chiso.tasks import (
    PROVINCIAL_ROLES,
    Agency,
    AgencyKind,
    AgencyNotFound,
    AgencyScore,
    Digest,
    InvalidUpdate,
    NotAllowed,
    Priority,
    Task,
    TaskNotFound,
    TaskState,
    TaskStatus,
    TimelineItem,
    Update,
    UpdateFlag,
    check_can_update,
    derive_states,
    digest,
    find_agency,
    leaves,
    local_today,
    plain,
    scorecard,
    timeline,
    total_score,
    tree_order,
)
from chiso.text import fold, nfc

_DATA = resources.files("chiso") / "data"
MAX_FILE_BYTES = 50 * 1024 * 1024


# --- agencies in the store ---------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    """What a load or save did: rows added, changed and left as they were."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def message(self) -> str:
        """A Vietnamese summary: "3 mới; 1 thay đổi; 40 không đổi" or "0 thay đổi"."""
        if not self.added and not self.changed:
            return "0 thay đổi" + (f" ({self.unchanged} không đổi)" if self.unchanged else "")
        return f"{self.added} mới; {self.changed} thay đổi; {self.unchanged} không đổi"


def _to_agency(row: AgencyRow) -> Agency:
    return Agency(row.code, row.name, AgencyKind(row.kind), row.province, row.body, row.area, row.active)


def list_agencies(
    store: Store,
    province: str | None = None,
    *,
    kind: AgencyKind | None = None,
    include_inactive: bool = False,
) -> list[Agency]:
    """The agencies, departments first (in the list's order), then communes by name."""
    with store.session() as s:
        query = select(AgencyRow).order_by(AgencyRow.kind.desc(), AgencyRow.position, AgencyRow.name)
        if province is not None:
            query = query.where(AgencyRow.province == province)
        if kind is not None:
            query = query.where(AgencyRow.kind == kind.value)
        if not include_inactive:
            query = query.where(AgencyRow.active.is_(True))
        return [_to_agency(r) for r in s.scalars(query)]


def agency_named(store: Store, name_or_code: str) -> Agency:
    """The agency a user belongs to, by name or code (accents optional); :class:`AgencyNotFound`."""
    found = find_agency(list_agencies(store, include_inactive=True), name_or_code)
    if found is None:
        raise AgencyNotFound(name_or_code)
    return found


def _agency_after(agency: Agency, position: int) -> dict[str, Any]:
    return {**{k: v for k, v in plain(agency).items() if k != "code"}, "position": position}


def save_agencies(
    store: Store, agencies: Iterable[Agency], *, actor: str = "", only_new: bool = False
) -> LoadResult:
    """Insert or update agencies by code (``only_new``: insert the missing ones only); audited."""
    added = changed = unchanged = 0
    with store.session() as s:
        existing = {r.code: r for r in s.scalars(select(AgencyRow))}
        for position, agency in enumerate(agencies):
            row = existing.get(agency.code)
            after = _agency_after(agency, position if row is None else row.position)
            if row is None:
                s.add(AgencyRow(code=agency.code, **after))
                s.add(_audit(actor, "insert", "agency", agency.code, after))
                added += 1
                continue
            before = {k: getattr(row, k) for k in after}
            if only_new or before == after:
                unchanged += 1
                continue
            for key, value in after.items():
                setattr(row, key, value)
            s.add(_audit(actor, "update", "agency", agency.code, after, before))
            changed += 1
    return LoadResult(added, changed, unchanged)


def ensure_agencies(store: Store, province: str, *, actor: str = "") -> LoadResult:
    """Add the shipped departments and the communes of the stored (or shipped) area list that
    the store lacks; agencies the province has edited are left as they are."""
    areas = store.areas(province)
    return save_agencies(store, bundled_agencies(province, areas or None), actor=actor, only_new=True)


# --- tasks in the store ------------------------------------------------------------------------


def _audit(
    actor: str, action: str, entity: str, entity_id: str, after: Any, before: Any = None
) -> AuditEntry:
    return AuditEntry(
        actor=actor, action=action, entity=entity, entity_id=entity_id, before=before, after=after
    )


def _task_after(task: Task) -> dict[str, Any]:
    return {k: v for k, v in plain(task).items() if k not in ("code", "resolution", "position")}


@dataclass
class _Snapshot:
    """Everything about tasks read in one session."""

    tasks: list[Task]
    rows: dict[str, TaskRow]
    codes: dict[int, str]
    agencies: list[Agency]

    def row(self, code: str) -> TaskRow:
        for key in (code, code.strip(), code.strip().upper()):
            if key in self.rows:
                return self.rows[key]
        raise TaskNotFound(code)

    def acting(self, agency: str | None) -> str | None:
        """The agency's name as the list writes it (a user's scope may be a name or a code)."""
        found = find_agency(self.agencies, agency) if agency else None
        return found.name if found else agency

    def task(self, code: str) -> Task:
        wanted = self.row(code).code
        return next(t for t in self.tasks if t.code == wanted)


def _snapshot(s: Session, province: str | None = None) -> _Snapshot:
    agencies = [_to_agency(r) for r in s.scalars(select(AgencyRow))]
    names = {a.code: a.name for a in agencies}
    query = select(TaskRow)
    if province is not None:
        query = query.where(TaskRow.province == province)
    rows = list(s.scalars(query))
    codes = {r.id: r.code for r in rows}
    targets: dict[int, list[str]] = {}
    for link in s.scalars(select(TaskTarget).order_by(TaskTarget.target)):
        targets.setdefault(link.task_id, []).append(link.target)
    tasks = [
        Task(
            r.code,
            r.title,
            names.get(r.lead or "", ""),
            codes.get(r.parent_id) if r.parent_id else None,
            r.description,
            r.part,
            tuple(targets.get(r.id, [])),
            tuple(names.get(c, c) for c in r.cooperating or []),
            r.start,
            r.due,
            r.output,
            Priority(r.priority),
            r.resolution,
            r.position,
        )
        for r in rows
    ]
    return _Snapshot(tasks, {r.code: r for r in rows}, codes, agencies)


def _to_update(row: TaskUpdateRow, codes: Mapping[int, str], files: Mapping[int, str]) -> Update:
    return Update(
        codes.get(row.task_id, ""),
        row.day,
        row.percent,
        row.text,
        row.evidence_url,
        files.get(row.file_id, "") if row.file_id else "",
        row.author,
        row.agency,
        UpdateFlag(row.flag) if row.flag else None,
        _aware(row.at),
        row.id,
    )


def _updates(s: Session, codes: Mapping[int, str], task_id: int | None = None) -> list[Update]:
    files = {f.id: f.name for f in s.scalars(select(TaskFile))}
    query = select(TaskUpdateRow).order_by(TaskUpdateRow.day, TaskUpdateRow.at, TaskUpdateRow.id)
    if task_id is not None:
        query = query.where(TaskUpdateRow.task_id == task_id)
    return [_to_update(r, codes, files) for r in s.scalars(query) if r.task_id in codes]


def all_tasks(store: Store, province: str | None = None) -> tuple[list[Task], list[Update]]:
    """Every task (of a province) and every update on them."""
    with store.session() as s:
        snap = _snapshot(s, province)
        return snap.tasks, _updates(s, snap.codes)


def get_task(store: Store, code: str) -> Task:
    """The task with this code; :class:`TaskNotFound` otherwise."""
    with store.session() as s:
        return _snapshot(s).task(code)


@dataclass(frozen=True)
class TaskView:
    """A task with its derived state and its place in the tree ("2.3", depth 1)."""

    task: Task
    state: TaskState
    number: str
    depth: int
    has_children: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON and templates."""
        extra = {"priority_label": self.task.priority.label, "status_label": self.state.label}
        return {
            **plain(self.task),
            **plain(self.state),
            **extra,
            "number": self.number,
            "depth": self.depth,
            "has_children": self.has_children,
        }


def _views(tasks: Sequence[Task], updates: Sequence[Update], today: dt.date) -> list[TaskView]:
    states = derive_states(tasks, updates, today)
    return [
        TaskView(r.task, states[r.task.code], r.number, r.depth, r.has_children) for r in tree_order(tasks)
    ]


def list_tasks(
    store: Store,
    today: dt.date,
    *,
    agency: str | None = None,
    status: TaskStatus | None = None,
    overdue: bool = False,
    due_this_month: bool = False,
    involved: bool = False,
    province: str | None = None,
) -> list[TaskView]:
    """Tasks in tree order with their state on ``today``, filtered.

    ``agency`` (name or code, accents optional) keeps the tasks it leads, or with
    ``involved`` also those it cooperates in; ``overdue`` keeps status "Quá hạn";
    ``due_this_month`` the tasks due in the calendar month of ``today``.
    """
    tasks, updates = all_tasks(store, province)
    views = _views(tasks, updates, today)
    if agency:
        found = find_agency(list_agencies(store, include_inactive=True), agency)
        if found is None:
            raise AgencyNotFound(agency)
        key = fold(found.name)
        views = [
            v
            for v in views
            if fold(v.task.lead) == key or (involved and key in {fold(c) for c in v.task.cooperating})
        ]
    if status is not None:
        views = [v for v in views if v.state.status is status]
    if overdue:
        views = [v for v in views if v.state.status is TaskStatus.OVERDUE]
    if due_this_month:
        views = [
            v
            for v in views
            if v.task.due and (v.task.due.year, v.task.due.month) == (today.year, today.month)
        ]
    return views


def tasks_for_target(
    store: Store, target_id: str, today: dt.date, *, resolution: str | None = None
) -> list[TaskView]:
    """The tasks that serve a target (of ``resolution``, when given), with their state."""
    tasks, updates = all_tasks(store)
    views = _views(tasks, updates, today)
    return [
        v
        for v in views
        if target_id in v.task.targets and (resolution is None or v.task.resolution == resolution)
    ]


@dataclass(frozen=True)
class Comment:
    """A comment on a task."""

    id: int
    task: str
    at: dt.datetime | None
    author: str
    agency: str
    text: str


@dataclass(frozen=True)
class FileInfo:
    """An uploaded file: its name, size and digest; the content is at :func:`file_path`."""

    id: int
    task: str
    name: str
    sha256: str
    size: int
    content_type: str
    uploaded_at: dt.datetime | None
    uploaded_by: str
    agency: str


def _to_file(row: TaskFile, code: str) -> FileInfo:
    return FileInfo(
        row.id,
        code,
        row.name,
        row.sha256,
        row.size,
        row.content_type,
        _aware(row.uploaded_at),
        row.uploaded_by,
        row.agency,
    )


@dataclass(frozen=True)
class TaskDetail:
    """One task with everything its page shows."""

    view: TaskView
    parent: Task | None
    children: list[TaskView]
    updates: list[Update]
    comments: list[Comment]
    files: list[FileInfo]


def task_detail(store: Store, code: str, today: dt.date) -> TaskDetail:
    """A task, its state, sub-tasks, updates (newest last), comments and files."""
    with store.session() as s:
        snap = _snapshot(s)
        row = snap.row(code)
        updates = _updates(s, snap.codes)
        comments = [
            Comment(c.id, row.code, _aware(c.at), c.author, c.agency, c.text)
            for c in s.scalars(
                select(TaskComment).where(TaskComment.task_id == row.id).order_by(TaskComment.id)
            )
        ]
        files = [_to_file(f, row.code) for f in s.scalars(select(TaskFile).where(TaskFile.task_id == row.id))]
    views = {v.task.code: v for v in _views(snap.tasks, updates, today)}
    view = views[row.code]
    return TaskDetail(
        view,
        next((t for t in snap.tasks if t.code == view.task.parent), None),
        [v for v in views.values() if v.task.parent == row.code],
        [u for u in updates if u.task == row.code],
        comments,
        files,
    )


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file as received from a form or the command line."""

    name: str
    content: bytes
    content_type: str = ""


def files_dir() -> Path:
    """Where uploaded files are kept: ``CHISO_HOME/files``."""
    return settings.home() / "files"


def _safe_name(name: str) -> str:
    base = nfc(re.split(r"[\\/]", name.strip())[-1]).strip()
    return base[:300] or "tep"


def _store_file(
    s: Session, row: TaskRow, upload: Upload, *, author: str, agency: str, folder: Path | None
) -> TaskFile:
    if not upload.content:
        raise InvalidUpdate("Tệp đính kèm rỗng", "The attached file is empty")
    if len(upload.content) > MAX_FILE_BYTES:
        size = MAX_FILE_BYTES // (1024 * 1024)
        raise InvalidUpdate(f"Tệp đính kèm lớn hơn {size} MB", f"The attached file exceeds {size} MB")
    digest_hex = hashlib.sha256(upload.content).hexdigest()
    target = (folder or files_dir()) / digest_hex
    if not target.exists():  # the same content is stored once, whatever its name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{digest_hex}.{uuid.uuid4().hex}.part")
        partial.write_bytes(upload.content)
        partial.replace(target)  # atomic: a reader never sees half a file
    name = _safe_name(upload.name)
    record = TaskFile(
        task_id=row.id,
        name=name,
        sha256=digest_hex,
        size=len(upload.content),
        content_type=upload.content_type,
        uploaded_by=author,
        agency=agency,
    )
    s.add(record)
    s.flush()
    after = {"task": row.code, "name": name, "sha256": digest_hex, "size": len(upload.content)}
    s.add(_audit(author, "insert", "task_file", str(record.id), after))
    return record


def _check_url(url: str) -> str:
    url = url.strip()
    if url and not re.match(r"^https?://\S+$", url):
        raise InvalidUpdate(
            f"Đường dẫn minh chứng “{url}” phải bắt đầu bằng http:// hoặc https://",
            f"The evidence link “{url}” must start with http:// or https://",
        )
    return url


def add_update(
    store: Store,
    code: str,
    *,
    author: str,
    role: str,
    agency: str | None,
    percent: float | None = None,
    text: str = "",
    evidence_url: str = "",
    upload: Upload | None = None,
    flag: UpdateFlag | None = None,
    on: dt.date | None = None,
    files_folder: Path | None = None,
) -> Update:
    """Record a progress update on a task, with an optional file or link as evidence.

    Refused with :class:`NotAllowed` unless ``role`` is provincial or ``agency`` leads the
    task; :class:`InvalidUpdate` for a percentage outside 0–100, a link that is not http(s)
    or an update that says nothing. ``on`` (default: today in Vietnam) dates the update.
    """
    if percent is not None and (not math.isfinite(percent) or not 0 <= percent <= 100):
        raise InvalidUpdate(f"Tiến độ phải từ 0 đến 100% (đang là {percent})", "Percent must be 0–100")
    url = _check_url(evidence_url)
    text = nfc(text.strip())
    if percent is None and not text and not url and upload is None and flag is None:
        raise InvalidUpdate(
            "Báo cáo tiến độ cần ít nhất một trong: tỉ lệ %, nội dung, minh chứng", "An update needs content"
        )
    day = on or local_today()
    with store.session() as s:
        snap = _snapshot(s)
        row = snap.row(code)
        agency = snap.acting(agency)
        check_can_update(snap.task(code), role, agency)
        record = (
            _store_file(s, row, upload, author=author, agency=agency or "", folder=files_folder)
            if upload
            else None
        )
        values = {"day": day, "percent": percent, "text": text, "evidence_url": url, "author": author}
        values |= {"agency": agency or "", "flag": flag.value if flag else None}
        update = TaskUpdateRow(task_id=row.id, file_id=record.id if record else None, at=utcnow(), **values)
        s.add(update)
        s.flush()
        after = {"task": row.code, **plain(values), "file": record.name if record else None}
        s.add(_audit(author, "insert", "task_update", str(update.id), after))
        return _to_update(update, {row.id: row.code}, {record.id: record.name} if record else {})


def add_comment(store: Store, code: str, *, text: str, author: str, agency: str = "") -> Comment:
    """Add a comment to a task (anyone who can see the task may comment); audited."""
    text = nfc(text.strip())
    if not text:
        raise InvalidUpdate("Ý kiến trống", "The comment is empty")
    with store.session() as s:
        row = _snapshot(s).row(code)
        comment = TaskComment(task_id=row.id, author=author, agency=agency, text=text, at=utcnow())
        s.add(comment)
        s.flush()
        after = {"task": row.code, "text": text, "agency": agency}
        s.add(_audit(author, "insert", "task_comment", str(comment.id), after))
        return Comment(comment.id, row.code, _aware(comment.at), author, agency, text)


def attach_file(
    store: Store,
    code: str,
    upload: Upload,
    *,
    author: str,
    role: str,
    agency: str | None,
    files_folder: Path | None = None,
) -> FileInfo:
    """Attach a file to a task (same rule as updates: its lead agency or the province); audited."""
    with store.session() as s:
        snap = _snapshot(s)
        row = snap.row(code)
        agency = snap.acting(agency)
        check_can_update(snap.task(code), role, agency)
        return _to_file(
            _store_file(s, row, upload, author=author, agency=agency or "", folder=files_folder), row.code
        )


def file_path(store: Store, file_id: int, *, files_folder: Path | None = None) -> tuple[FileInfo, Path]:
    """A stored file's record and where its content is on disk."""
    with store.session() as s:
        row = s.get(TaskFile, file_id)
        if row is None:
            raise InvalidUpdate(f"Không có tệp số {file_id}", f"No file {file_id}")
        code = s.scalar(select(TaskRow.code).where(TaskRow.id == row.task_id)) or ""
        return _to_file(row, code), (files_folder or files_dir()) / row.sha256


def _agency_code(agencies: Sequence[Agency], name: str) -> str | None:
    if not name:
        return None
    found = find_agency(agencies, name)
    if found is None:
        raise AgencyNotFound(name)
    return found.code


def _write(s: Session, snap: _Snapshot, task: Task, province: str) -> tuple[str, TaskRow]:
    """Insert or update one task row (its parent already written); "insert", "update" or ""."""
    row = snap.rows.get(task.code)
    parent = snap.rows.get(task.parent) if task.parent else None
    if task.parent and parent is None:
        raise TaskNotFound(task.parent)
    values = {
        "title": task.title,
        "description": task.description,
        "part": task.part,
        "output": task.output,
        "lead": _agency_code(snap.agencies, task.lead),
        "start": task.start,
        "due": task.due,
        "cooperating": [c for c in (_agency_code(snap.agencies, n) for n in task.cooperating) if c],
        "priority": task.priority.value,
        "parent_id": parent.id if parent else None,
    }
    old_targets = (
        sorted(s.scalars(select(TaskTarget.target).where(TaskTarget.task_id == row.id))) if row else []
    )
    unchanged = old_targets == sorted(set(task.targets))
    if row is not None and unchanged and all(getattr(row, k) == v for k, v in values.items()):
        return "", row
    action = "update" if row is not None else "insert"
    if row is None:
        row = TaskRow(code=task.code, province=province, resolution=task.resolution, position=task.position)
        s.add(row)
        snap.rows[task.code] = row
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = utcnow()
    s.flush()
    if sorted(set(task.targets)) != old_targets:
        for link in s.scalars(select(TaskTarget).where(TaskTarget.task_id == row.id)):
            s.delete(link)
        s.flush()
        s.add_all(TaskTarget(task_id=row.id, target=t) for t in sorted(set(task.targets)))
    return action, row


def save_tasks(
    store: Store,
    tasks: Sequence[Task],
    *,
    actor: str = "",
    province: str | None = None,
    only_new: bool = False,
) -> LoadResult:
    """Insert or update tasks by code, parents before children, in one transaction; audited.

    ``only_new`` inserts the missing tasks and leaves existing ones as they are (so a
    re-load never undoes the dates and owners the province has assigned).
    """
    province = province or settings.require("CHISO_PROVINCE")
    added = changed = unchanged = 0
    with store.session() as s:
        snap = _snapshot(s)
        before = {t.code: t for t in snap.tasks}
        for row in tree_order(tasks):
            task = row.task
            if only_new and task.code in snap.rows:
                unchanged += 1
                continue
            action, record = _write(s, snap, task, province)
            if not action:
                unchanged += 1
                continue
            record.updated_by = actor
            if action == "insert":
                record.created_by = actor
            old = _task_after(before[task.code]) if task.code in before else None
            s.add(_audit(actor, action, "task", task.code, _task_after(task), old))
            added += action == "insert"
            changed += action == "update"
    return LoadResult(added, changed, unchanged)


def load_initial_tree(
    store: Store, name: str | None = None, *, actor: str = "chiso (cây nhiệm vụ ban đầu)"
) -> tuple[LoadResult, LoadResult]:
    """Load the shipped agencies and a resolution's initial task tree; existing ones stay as they are.

    Returns what happened to agencies and to tasks: a second run changes nothing.
    """
    path = resolve_task_tree(name or settings.require("CHISO_RESOLUTION"))
    with path.open(encoding="utf-8") as handle:
        head = yaml.safe_load(handle) or {}
    province = str(head.get("province") or settings.require("CHISO_PROVINCE"))
    agencies_result = ensure_agencies(store, province, actor=actor)
    tree = load_task_tree(path, list_agencies(store, include_inactive=True))
    return agencies_result, save_tasks(store, tree.tasks, actor=actor, province=province, only_new=True)


_EDITABLE = {
    "title",
    "description",
    "part",
    "lead",
    "cooperating",
    "targets",
    "start",
    "due",
    "output",
    "priority",
    "parent",
}


def edit_task(
    store: Store,
    code: str,
    changes: Mapping[str, Any],
    *,
    actor: str,
    role: str,
    target_ids: Collection[str] | None = None,
    provincial_roles: Collection[str] = PROVINCIAL_ROLES,
) -> Task:
    """Change a task's fields (the province assigns dates and owners); provincial roles only.

    ``changes`` holds typed values (dates as :class:`datetime.date`, agencies by name or
    code, ``targets`` and ``cooperating`` as lists). Raises :class:`NotAllowed`,
    :class:`AgencyNotFound`, :class:`TaskNotFound` or :class:`InvalidUpdate`.
    """
    if role not in provincial_roles:
        raise NotAllowed(
            "Chỉ Văn phòng UBND tỉnh (quản trị) được giao, sửa nhiệm vụ", "Only the province may edit tasks"
        )
    unknown = sorted(set(changes) - _EDITABLE)
    if unknown:
        raise InvalidUpdate("Không sửa được: " + ", ".join(unknown), "Cannot change: " + ", ".join(unknown))
    task = get_task(store, code)
    values = dict(changes)
    if "priority" in values and not isinstance(values["priority"], Priority):
        values["priority"] = Priority(values["priority"])
    for key in ("targets", "cooperating"):
        if key in values:
            values[key] = tuple(values[key])
    edited = replace(task, **values)
    if edited.start and edited.due and edited.due < edited.start:
        raise InvalidUpdate("Hạn hoàn thành trước ngày bắt đầu", "Due date before start date")
    if edited.parent and (edited.parent == edited.code or _descends(store, edited.parent, edited.code)):
        raise InvalidUpdate("Nhiệm vụ không thể nằm trong chính nó", "A task cannot be its own ancestor")
    known = (
        target_ids
        if target_ids is not None
        else resolution_target_ids(edited.resolution or settings.require("CHISO_RESOLUTION"))
    )
    missing = [t for t in edited.targets if t not in known]
    if missing:
        raise InvalidUpdate(
            "Không có chỉ tiêu: " + ", ".join(missing), "Unknown targets: " + ", ".join(missing)
        )
    save_tasks(store, [edited], actor=actor)
    return get_task(store, edited.code)


def _descends(store: Store, code: str, ancestor: str) -> bool:
    tasks = {t.code: t for t in all_tasks(store)[0]}
    seen: set[str] = set()
    while code in tasks and code not in seen:
        if code == ancestor:
            return True
        seen.add(code)
        code = tasks[code].parent or ""
    return code == ancestor


# --- what the pages, the digest and the report read ---------------------------------------------


def scorecard_on(store: Store, today: dt.date, province: str | None = None) -> list[AgencyScore]:
    """The agency scorecard on ``today`` (see :func:`chiso.tasks.scorecard`)."""
    return scorecard(*all_tasks(store, province), today)


def digest_on(store: Store, today: dt.date, horizon_days: int = 7, province: str | None = None) -> Digest:
    """The reminders of ``today``: overdue tasks and those due within ``horizon_days``."""
    return digest(*all_tasks(store, province), today, horizon_days)


def timeline_on(store: Store, today: dt.date, province: str | None = None) -> list[TimelineItem]:
    """Gantt rows on ``today``."""
    return timeline(*all_tasks(store, province), today)


def tasks_report_section(store: Store, today: dt.date, province: str | None = None) -> dict[str, Any]:
    """The tasks section of the periodic report, as plain data (JSON-ready).

    Keys: ``today``; ``counts`` (tasks without sub-tasks by status, with labels);
    ``overdue`` (tasks past their due date and unfinished, oldest due first);
    ``scorecard`` (one row per lead agency, see :class:`chiso.tasks.AgencyScore`) and
    ``total`` (the whole province); ``without_due`` (tasks still without a due date).
    """
    tasks, updates = all_tasks(store, province)
    states = derive_states(tasks, updates, today)
    work = leaves(tasks)
    scores = scorecard(tasks, updates, today)
    overdue = sorted(digest(tasks, updates, today).overdue, key=lambda i: (i.due, i.code))
    numbers = {r.task.code: r.number for r in tree_order(tasks)}
    return {
        "today": today.isoformat(),
        "counts": [
            {"status": s.value, "label": s.label, "count": sum(states[t.code].status is s for t in work)}
            for s in TaskStatus
        ],
        "overdue": [
            {
                "code": i.code,
                "number": numbers.get(i.code, ""),
                "title": i.title,
                "agency": i.agency,
                "due": i.due.isoformat(),
                "days_overdue": i.days,
                "progress": i.progress,
            }
            for i in overdue
        ],
        "scorecard": [s.as_dict() for s in scores],
        "total": total_score(scores).as_dict(),
        "without_due": sum(t.due is None for t in work),
        "tasks": len(tasks),
        "note": (
            "Trạng thái nhiệm vụ do hệ thống tự suy ra từ thời hạn và các báo cáo tiến độ đến ngày "
            f"{today.strftime('%d/%m/%Y')}; bảng theo cơ quan chỉ tính các nhiệm vụ không có nhiệm vụ con."
        ),
    }
