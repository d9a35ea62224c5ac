"""Tasks and accountability: "rõ việc, rõ người, rõ thời gian, rõ trách nhiệm, rõ kết quả".

A :class:`Task` is a piece of work that serves a resolution: a title, the part of the
text it comes from, the targets it serves, the agency that leads it and those that
cooperate, start and due dates, the expected output and a priority; tasks form a tree
(a programme and its main tasks). An :class:`Update` is a dated progress report from
an agency: a percentage, a text, evidence (a file or a link), and optionally a pause
or resume flag.

A task's status is **derived, never typed**. Only updates dated on or before ``today``
count, so the same data answers the same way on a given day; every function here takes
``today`` so tests (and "as of" reports) control the clock.

Status of a task without sub-tasks, first rule that applies:

1. **Hoàn thành** — the latest reported progress is 100% and it was first reached (in
   the final run of 100% reports) on or before the due date, or there is no due date;
   **Hoàn thành quá hạn** — the same, reached after the due date.
2. **Tạm dừng** — the latest update carrying a pause/resume flag is a pause.
3. **Quá hạn** — ``today`` is after the due date.
4. **Đang thực hiện** — an update reports progress above 0%.
5. **Chưa triển khai** — otherwise: no update, or none with progress (whether or not
   the start date has passed; a task is started by evidence, not by its plan).

A task with sub-tasks takes its status from them (its own updates keep their text and
evidence, and a pause flag on it still pauses it, but its own percentages are ignored):
its progress is the mean of its sub-tasks' progress; it is complete when all of them
are (late if any was late or the last one finished after its own due date); else paused
by its own flag; else overdue when a sub-task is overdue or its own due date has
passed; else paused when every unfinished sub-task is paused; else in progress when any
sub-task has progress; else not started.

:func:`scorecard` counts, per lead agency, the tasks that carry work (those without
sub-tasks, so a programme is not counted twice); :func:`digest` lists overdue and
soon-due tasks by agency, as text and as data; :func:`timeline` gives the rows of a
Gantt chart. Agencies (:class:`Agency`) are the province's departments and its
communes (the shipped lists and the initial task tree are read by
:mod:`chiso.store.tasks_repo`).

The core imports nothing from storage, web or CLI: the web views and commands call
:mod:`chiso.store.tasks_repo`, which reads the store and hands plain values here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from enum import StrEnum
from typing import Any

from chiso.areas import Area
from chiso.errors import ChisoError
from chiso.text import fold, format_number

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")
PROVINCIAL_ROLES = frozenset({"admin", "province"})
UNASSIGNED = "Chưa giao cơ quan chủ trì"


# --- vocabulary -------------------------------------------------------------------------------


class TaskStatus(StrEnum):
    """The six derived statuses of a task."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    COMPLETED_LATE = "completed_late"
    OVERDUE = "overdue"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return STATUS_LABELS[self]

    @property
    def is_complete(self) -> bool:
        """True for both kinds of completion."""
        return self in (TaskStatus.COMPLETED, TaskStatus.COMPLETED_LATE)


STATUS_LABELS = {
    TaskStatus.NOT_STARTED: "Chưa triển khai",
    TaskStatus.IN_PROGRESS: "Đang thực hiện",
    TaskStatus.COMPLETED: "Hoàn thành",
    TaskStatus.COMPLETED_LATE: "Hoàn thành quá hạn",
    TaskStatus.OVERDUE: "Quá hạn",
    TaskStatus.PAUSED: "Tạm dừng",
}


def parse_task_status(text: str) -> TaskStatus:
    """A status from its code or its Vietnamese label, accents optional ("qua han")."""
    key = " ".join(fold(text).replace("_", " ").replace("-", " ").split())
    for status in TaskStatus:
        if key in {status.value.replace("_", " "), fold(status.label)}:
            return status
    labels = ", ".join(s.label for s in TaskStatus)
    raise ValueError(f"không hiểu trạng thái “{text}” (có: {labels})")


class Priority(StrEnum):
    """How urgent a task is."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return {"high": "Cao", "normal": "Trung bình", "low": "Thấp"}[self.value]


def parse_priority(text: str) -> Priority:
    """A priority from its code or Vietnamese label; blank is normal."""
    key = fold(text).strip()
    if not key:
        return Priority.NORMAL
    for priority in Priority:
        if key in {priority.value, fold(priority.label)}:
            return priority
    raise ValueError(f"mức ưu tiên “{text}” không hợp lệ (Cao, Trung bình, Thấp)")


class UpdateFlag(StrEnum):
    """A pause or resume marker carried by an update."""

    PAUSE = "pause"
    RESUME = "resume"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return {"pause": "Tạm dừng", "resume": "Tiếp tục"}[self.value]


class AgencyKind(StrEnum):
    """A provincial body (sở, ban, ngành) or a commune-level People's Committee."""

    DEPARTMENT = "department"
    COMMUNE = "commune"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return {"department": "Sở, ban, ngành", "commune": "Xã, phường"}[self.value]


# --- errors ----------------------------------------------------------------------------------


class TaskNotFound(ChisoError):
    """No task has this code."""

    status = 404

    def __init__(self, code: str) -> None:
        super().__init__(f"Không có nhiệm vụ mã “{code}”", f"No task “{code}”")
        self.code = code


class AgencyNotFound(ChisoError):
    """No agency has this name or code."""

    status = 404

    def __init__(self, name: str) -> None:
        super().__init__(f"Không có cơ quan “{name}” trong danh sách cơ quan, đơn vị", f"No agency “{name}”")
        self.name = name


class NotAllowed(ChisoError):
    """The acting user may not change this task."""

    status = 403


class InvalidUpdate(ChisoError):
    """A progress update, comment or file that cannot be recorded as given."""

    status = 400


# --- plain data ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A dataclass, enum, date, tuple or mapping as JSON-ready data (dates as ISO strings)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    return value


# --- dates -------------------------------------------------------------------------------------


def local_today() -> dt.date:
    """Today in Vietnam (UTC+7, no daylight saving)."""
    return dt.datetime.now(VIETNAM).date()


def local_date(at: dt.datetime) -> dt.date:
    """The Vietnamese calendar day of a timestamp (naive timestamps are taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(VIETNAM).date()


def format_date(day: dt.date | None) -> str:
    """``dd/mm/yyyy``, or an empty string."""
    return day.strftime("%d/%m/%Y") if day else ""


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(text: str) -> dt.date:
    """A date written ``dd/mm/yyyy`` (also with ``-`` or ``.``) or ``yyyy-mm-dd``."""
    value = text.strip()
    match = _DMY.match(value)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = _YMD.match(value)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"ngày “{text}” không có thật") from None
    raise ValueError(f"không hiểu ngày “{text}” (ghi dạng dd/mm/yyyy, ví dụ 01/12/2026)")


# --- agencies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agency:
    """A department or commune that leads or cooperates in tasks; users belong to one."""

    code: str
    name: str
    kind: AgencyKind = AgencyKind.DEPARTMENT
    province: str = ""
    body: str = ""
    area: str | None = None
    active: bool = True


def commune_agency(area: Area) -> Agency:
    """The People's Committee of a commune as an agency: "Xã Trà Lĩnh" → "UBND xã Trà Lĩnh"."""
    name = area.name[:1].lower() + area.name[1:]
    return Agency(area.code, f"UBND {name}", AgencyKind.COMMUNE, area.parent or "", "UBND cấp xã", area.code)


def _agency_keys(agency: Agency) -> set[str]:
    keys = {agency.code.upper(), fold(agency.name)}
    if agency.kind is AgencyKind.COMMUNE:
        keys.add(fold(agency.name).removeprefix("ubnd ").strip())
    return keys


def find_agency(agencies: Iterable[Agency], text: str) -> Agency | None:
    """The agency named or coded ``text`` (accent-folded; "UBND" optional for a commune)."""
    wanted = " ".join(text.split())
    key = fold(wanted)
    for prefix in ("uy ban nhan dan ", "ubnd "):
        key = key.removeprefix(prefix)
    for agency in agencies:
        keys = _agency_keys(agency)
        if wanted.upper() in keys or key in keys or fold(wanted) in keys:
            return agency
    return None


# --- tasks and updates -------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One task. ``lead`` and ``cooperating`` are agency names; ``parent`` a task code."""

    code: str
    title: str
    lead: str = ""
    parent: str | None = None
    description: str = ""
    part: str = ""
    targets: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    start: dt.date | None = None
    due: dt.date | None = None
    output: str = ""
    priority: Priority = Priority.NORMAL
    resolution: str = ""
    position: int = 0


@dataclass(frozen=True)
class Update:
    """A progress report on a task, dated ``on`` (the Vietnamese calendar day it was posted).

    ``percent`` is ``None`` for a report that only adds text, evidence or a flag.
    """

    task: str
    on: dt.date
    percent: float | None = None
    text: str = ""
    evidence_url: str = ""
    file: str = ""
    author: str = ""
    agency: str = ""
    flag: UpdateFlag | None = None
    at: dt.datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class TaskState:
    """What the updates say about a task on a day."""

    status: TaskStatus
    progress: float = 0.0
    completed_on: dt.date | None = None
    last_update: dt.date | None = None
    days_overdue: int | None = None

    @property
    def label(self) -> str:
        """The Vietnamese status label."""
        return self.status.label


def _ordered(updates: Iterable[Update], today: dt.date) -> list[Update]:
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    counted = [u for u in updates if u.on <= today]
    return sorted(counted, key=lambda u: (u.on, u.at or oldest, u.id or 0))


def _paused(updates: Sequence[Update]) -> bool:
    flags = [u.flag for u in updates if u.flag is not None]
    return bool(flags) and flags[-1] is UpdateFlag.PAUSE


def _overdue_days(due: dt.date | None, today: dt.date) -> int | None:
    return (today - due).days if due is not None and today > due else None


def _leaf_state(task: Task, updates: Sequence[Update], today: dt.date) -> TaskState:
    reports = [u for u in updates if u.percent is not None]
    progress = min(max(reports[-1].percent or 0.0, 0.0), 100.0) if reports else 0.0
    last = updates[-1].on if updates else None
    if progress >= 100:
        completed_on = reports[-1].on
        for report in reversed(reports):
            if (report.percent or 0) < 100:
                break
            completed_on = report.on
        late = task.due is not None and completed_on > task.due
        status = TaskStatus.COMPLETED_LATE if late else TaskStatus.COMPLETED
        return TaskState(status, 100.0, completed_on, last)
    overdue = _overdue_days(task.due, today)
    if _paused(updates):
        return TaskState(TaskStatus.PAUSED, progress, None, last)
    if overdue is not None:
        return TaskState(TaskStatus.OVERDUE, progress, None, last, overdue)
    status = TaskStatus.IN_PROGRESS if progress > 0 else TaskStatus.NOT_STARTED
    return TaskState(status, progress, None, last)


def derive_status(task: Task, updates: Iterable[Update], today: dt.date) -> TaskStatus:
    """The status of a task from its own updates (the rules of a task without sub-tasks)."""
    own = _ordered((u for u in updates if u.task == task.code), today)
    return _leaf_state(task, own, today).status


def _rolled_up(task: Task, own: Sequence[Update], children: Sequence[TaskState], today: dt.date) -> TaskState:
    progress = sum(c.progress for c in children) / len(children)
    last = max(
        (d for d in [*(c.last_update for c in children), own[-1].on if own else None] if d), default=None
    )
    if all(c.status.is_complete for c in children):
        completed_on = max(c.completed_on or today for c in children)
        late = any(c.status is TaskStatus.COMPLETED_LATE for c in children) or (
            task.due is not None and completed_on > task.due
        )
        status = TaskStatus.COMPLETED_LATE if late else TaskStatus.COMPLETED
        return TaskState(status, 100.0, completed_on, last)
    if _paused(own):
        return TaskState(TaskStatus.PAUSED, progress, None, last)
    overdue = _overdue_days(task.due, today)
    if overdue is not None or any(c.status is TaskStatus.OVERDUE for c in children):
        return TaskState(TaskStatus.OVERDUE, progress, None, last, overdue)
    unfinished = [c for c in children if not c.status.is_complete]
    if all(c.status is TaskStatus.PAUSED for c in unfinished):
        return TaskState(TaskStatus.PAUSED, progress, None, last)
    started = progress > 0 or any(c.status is not TaskStatus.NOT_STARTED for c in children)
    return TaskState(TaskStatus.IN_PROGRESS if started else TaskStatus.NOT_STARTED, progress, None, last)


def children_of(tasks: Iterable[Task]) -> dict[str | None, list[Task]]:
    """Sub-tasks by parent code (``None``: the roots), each list in display order."""
    codes = {t.code for t in tasks}
    tree: dict[str | None, list[Task]] = defaultdict(list)
    for task in tasks:
        tree[task.parent if task.parent in codes else None].append(task)
    for siblings in tree.values():
        siblings.sort(key=lambda t: (t.position, _natural(t.code)))
    return tree


def _natural(code: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code)]


def derive_states(tasks: Iterable[Task], updates: Iterable[Update], today: dt.date) -> dict[str, TaskState]:
    """The state of every task on ``today``, sub-tasks rolled up into their parents."""
    tasks = list(tasks)
    by_task: dict[str, list[Update]] = defaultdict(list)
    for update in _ordered(updates, today):
        by_task[update.task].append(update)
    tree = children_of(tasks)
    states: dict[str, TaskState] = {}

    def visit(task: Task, path: frozenset[str]) -> TaskState:
        if task.code in states:
            return states[task.code]
        kids = [c for c in tree.get(task.code, []) if c.code not in path]
        own = by_task.get(task.code, [])
        if kids:
            child_states = [visit(c, path | {task.code}) for c in kids]
            state = _rolled_up(task, own, child_states, today)
        else:
            state = _leaf_state(task, own, today)
        states[task.code] = state
        return state

    for task in tasks:
        visit(task, frozenset())
    return states


@dataclass(frozen=True)
class TreeRow:
    """A task in display order, with its depth and its hierarchy number ("2.3")."""

    task: Task
    depth: int
    number: str
    has_children: bool


def tree_order(tasks: Iterable[Task]) -> list[TreeRow]:
    """Tasks depth-first, each after its parent, numbered "1", "1.1", "1.2", "2" …"""
    tree = children_of(list(tasks))
    rows: list[TreeRow] = []

    def walk(parent: str | None, prefix: str, depth: int, seen: frozenset[str]) -> None:
        for index, task in enumerate(tree.get(parent, []), start=1):
            if task.code in seen:
                continue
            number = f"{prefix}{index}"
            rows.append(TreeRow(task, depth, number, bool(tree.get(task.code))))
            walk(task.code, number + ".", depth + 1, seen | {task.code})

    walk(None, "", 0, frozenset())
    return rows


def leaves(tasks: Iterable[Task]) -> list[Task]:
    """The tasks without sub-tasks: those that carry the work."""
    tasks = list(tasks)
    parents = {t.parent for t in tasks if t.parent}
    return [t for t in tasks if t.code not in parents]


# --- who may report ----------------------------------------------------------------------------


def can_update(
    task: Task, role: str, agency: str | None, provincial_roles: Collection[str] = PROVINCIAL_ROLES
) -> bool:
    """True when a user may post updates on ``task``: the provincial office and admins on
    every task, an agency's user only on the tasks its agency leads."""
    if role in provincial_roles:
        return True
    if not agency or not task.lead:
        return False
    return fold(" ".join(agency.split())) == fold(task.lead)


def check_can_update(
    task: Task, role: str, agency: str | None, provincial_roles: Collection[str] = PROVINCIAL_ROLES
) -> None:
    """Raise :class:`NotAllowed` (in Vietnamese) unless :func:`can_update` says yes."""
    if can_update(task, role, agency, provincial_roles):
        return
    who = f"Cơ quan “{agency}”" if agency else "Tài khoản này"
    lead = f"“{task.lead}”" if task.lead else "chưa giao"
    raise NotAllowed(
        f"{who} không chủ trì nhiệm vụ {task.code} (cơ quan chủ trì: {lead}); chỉ cơ quan chủ trì "
        "hoặc Văn phòng UBND tỉnh được cập nhật tiến độ nhiệm vụ này.",
        f"{agency or 'This account'} does not lead task {task.code}; only its lead agency or the "
        "provincial office may update it.",
    )


# --- scorecard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyScore:
    """How an agency's tasks stand: counts by status and two rates.

    ``share_completed`` is completed ÷ all its tasks; ``on_time_rate`` is completed on
    time ÷ the tasks that are finished or past due (completed either way, or overdue);
    each is ``None`` when its denominator is 0.
    """

    agency: str
    total: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    overdue: int = 0
    in_progress: int = 0
    not_started: int = 0
    paused: int = 0
    without_due: int = 0

    @property
    def completed(self) -> int:
        """Completed on time or late."""
        return self.completed_on_time + self.completed_late

    @property
    def share_completed(self) -> float | None:
        """Completed tasks as a share (0–1) of all tasks."""
        return self.completed / self.total if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        """Tasks completed on time as a share (0–1) of those finished or past due."""
        judged = self.completed + self.overdue
        return self.completed_on_time / judged if judged else None

    def as_dict(self) -> dict[str, Any]:
        """Plain data, the rates included."""
        return {
            **plain(self),
            "completed": self.completed,
            "share_completed": self.share_completed,
            "on_time_rate": self.on_time_rate,
        }


_COUNTERS = {
    TaskStatus.COMPLETED: "completed_on_time",
    TaskStatus.COMPLETED_LATE: "completed_late",
    TaskStatus.OVERDUE: "overdue",
    TaskStatus.IN_PROGRESS: "in_progress",
    TaskStatus.NOT_STARTED: "not_started",
    TaskStatus.PAUSED: "paused",
}


def _agency_sort(name: str) -> tuple[bool, str]:
    return (name in ("", UNASSIGNED), fold(name))


def _score(agency: str, tasks: Iterable[Task], states: Mapping[str, TaskState]) -> AgencyScore:
    counts: dict[str, int] = defaultdict(int)
    for task in tasks:
        counts["total"] += 1
        counts[_COUNTERS[states[task.code].status]] += 1
        counts["without_due"] += task.due is None
    return AgencyScore(agency, **counts)


def scorecard(tasks: Iterable[Task], updates: Iterable[Update], today: dt.date) -> list[AgencyScore]:
    """Per lead agency, its tasks without sub-tasks by status on ``today``, agencies by name."""
    tasks = list(tasks)
    states = derive_states(tasks, updates, today)
    by_agency: dict[str, list[Task]] = defaultdict(list)
    for task in leaves(tasks):
        by_agency[task.lead or UNASSIGNED].append(task)
    return [_score(name, by_agency[name], states) for name in sorted(by_agency, key=_agency_sort)]


def total_score(scores: Iterable[AgencyScore], label: str = "Toàn tỉnh") -> AgencyScore:
    """The scores of several agencies added up."""
    fields = ("total", "completed_on_time", "completed_late", "overdue", "in_progress", "not_started")
    sums = {f: 0 for f in (*fields, "paused", "without_due")}
    for score in scores:
        for name in sums:
            sums[name] += getattr(score, name)
    return AgencyScore(label, **sums)


# --- digest ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    """A task in a digest: ``days`` past due (overdue) or left until due (due soon)."""

    code: str
    title: str
    agency: str
    due: dt.date
    days: int
    progress: float
    status: TaskStatus

    def line(self, overdue: bool) -> str:
        """One Vietnamese line."""
        if overdue:
            when = f"quá hạn {self.days} ngày"
        else:
            when = "đến hạn hôm nay" if self.days == 0 else f"còn {self.days} ngày"
        return (
            f"{self.code} {self.title} — hạn {format_date(self.due)}, {when}, "
            f"tiến độ {format_number(self.progress, 0)}%"
        )


@dataclass(frozen=True)
class Digest:
    """Reminders on ``today``: tasks past due and tasks due within ``horizon_days``."""

    today: dt.date
    horizon_days: int
    overdue: tuple[DigestItem, ...] = ()
    due_soon: tuple[DigestItem, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to remind anyone of."""
        return not self.overdue and not self.due_soon

    def agencies(self) -> list[str]:
        """The agencies with something in the digest, by name."""
        names = {i.agency for i in (*self.overdue, *self.due_soon)}
        return sorted(names, key=_agency_sort)

    def for_agency(self, agency: str) -> Digest:
        """The part of the digest that concerns one agency (name, accents optional)."""
        key = fold(agency)
        return Digest(
            self.today,
            self.horizon_days,
            tuple(i for i in self.overdue if fold(i.agency) == key),
            tuple(i for i in self.due_soon if fold(i.agency) == key),
        )

    @property
    def text(self) -> str:
        """The digest as Vietnamese plain text, grouped by agency."""
        lines = [
            f"NHẮC VIỆC — ngày {format_date(self.today)}",
            f"Quá hạn: {len(self.overdue)} nhiệm vụ; sắp đến hạn (trong {self.horizon_days} ngày tới): "
            f"{len(self.due_soon)} nhiệm vụ.",
        ]
        if self.is_empty:
            return "\n".join([*lines, "", "Không có nhiệm vụ quá hạn hoặc sắp đến hạn."]) + "\n"
        for agency in self.agencies():
            part = self.for_agency(agency)
            lines += ["", agency]
            for title, items, overdue in (
                ("Quá hạn", part.overdue, True),
                ("Sắp đến hạn", part.due_soon, False),
            ):
                if items:
                    lines.append(f"  {title}:")
                    lines += [f"    - {item.line(overdue)}" for item in items]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        """Plain data (dates as ISO strings), each item with its status label."""
        data: dict[str, Any] = plain(self)
        for key in ("overdue", "due_soon"):
            for item, record in zip(getattr(self, key), data[key], strict=True):
                record["status_label"] = item.status.label
        return data


def digest(tasks: Iterable[Task], updates: Iterable[Update], today: dt.date, horizon_days: int = 7) -> Digest:
    """Unfinished, unpaused tasks past their due date, and those due within ``horizon_days``
    (today included), each list by agency, then due date, then code."""
    tasks = list(tasks)
    states = derive_states(tasks, updates, today)
    overdue: list[DigestItem] = []
    soon: list[DigestItem] = []
    for task in tasks:
        state = states[task.code]
        if task.due is None or state.status.is_complete or state.status is TaskStatus.PAUSED:
            continue
        left = (task.due - today).days
        agency = task.lead or UNASSIGNED
        if left < 0:
            overdue.append(
                DigestItem(task.code, task.title, agency, task.due, -left, state.progress, state.status)
            )
        elif left <= horizon_days:
            soon.append(
                DigestItem(task.code, task.title, agency, task.due, left, state.progress, state.status)
            )

    def key(i: DigestItem) -> tuple[Any, ...]:
        return (*_agency_sort(i.agency), i.due, _natural(i.code))

    return Digest(today, horizon_days, tuple(sorted(overdue, key=key)), tuple(sorted(soon, key=key)))


# --- timeline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One bar of a Gantt chart: planned start and due, actual completion, status."""

    code: str
    number: str
    title: str
    parent: str | None
    depth: int
    agency: str
    start: dt.date | None
    due: dt.date | None
    completed_on: dt.date | None
    status: TaskStatus
    progress: float

    def as_dict(self) -> dict[str, Any]:
        """Plain data (dates as ISO strings or ``None``), with the status label."""
        return {**plain(self), "status_label": self.status.label}


def timeline(tasks: Iterable[Task], updates: Iterable[Update], today: dt.date) -> list[TimelineItem]:
    """Every task in tree order with its dates and state on ``today``."""
    tasks = list(tasks)
    states = derive_states(tasks, updates, today)
    return [
        TimelineItem(
            row.task.code,
            row.number,
            row.task.title,
            row.task.parent,
            row.depth,
            row.task.lead,
            row.task.start,
            row.task.due,
            states[row.task.code].completed_on,
            states[row.task.code].status,
            states[row.task.code].progress,
        )
        for row in tree_order(tasks)
    ]
