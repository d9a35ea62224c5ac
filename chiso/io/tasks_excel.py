"""Task files in and out: the task table (XLSX or CSV) and the shipped lists it relies on.

**The task table.** :func:`write_tasks` writes one row per task in tree order, numbered
("1", "1.2"), with Vietnamese headers, dates as ``dd/mm/yyyy`` and the derived status,
progress and last report (computed, never read back). :func:`import_tasks` reads such a
table — from chiso or typed by hand, XLSX or CSV, the header found below any title rows
— and writes it **all or nothing**: any problem refuses the whole file with a report of
:class:`~chiso.io.importer.CellProblem`, each naming the sheet, row, column and the cell
as in the data importer. Kinds: ``missing-title``, ``invalid-code``, ``duplicate``,
``unknown-parent``, ``cycle``, ``unknown-agency``, ``unknown-target``, ``invalid-date``,
``due-before-start``, ``invalid-priority``, ``no-table``. A row with a "Mã nhiệm vụ"
updates that task (only the columns the file has); a row without one adds a task,
coded after its parent ("CT1.7") or "NV1", "NV2" …; tasks absent from the file are left
alone. A file exported and imported back changes nothing ("0 thay đổi").

**Shipped lists.** :func:`bundled_agencies` (a province's departments from
``chiso/data/agencies/<code>-<slug>.csv``, its communes from the area list) and
:func:`load_task_tree` (the initial task tree of a resolution,
``chiso/data/tasks/<resolution>.yaml``), checked with every problem reported at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso.areas import Area
from chiso.errors import InvalidFile, Problem
from chiso.io.importer import CellProblem
from chiso.io.tables import CellValue, Sheet, cell_text, header_key, read_table, write_table
from chiso.tasks import (
    Agency,
    AgencyKind,
    Priority,
    Task,
    Update,
    commune_agency,
    derive_states,
    find_agency,
    format_date,
    parse_date,
    parse_priority,
    tree_order,
)
from chiso.text import fold, nfc
from chiso.yamlfile import read_yaml_mapping

if TYPE_CHECKING:
    from chiso.store.db import Store
    from chiso.store.tasks_repo import LoadResult

_DATA = resources.files("chiso") / "data"


# --- shipped files: agencies and the initial task tree -----------------------------------------


def read_agencies(path: Path, province: str) -> list[Agency]:
    """Read a department list (CSV or XLSX: ``code,name,kind,body``); :class:`InvalidFile` if wrong."""
    file = str(path)
    sheets = read_table(path)
    rows = sheets[0].rows if sheets else []
    header = [fold(cell_text(v)) for v in rows[0]] if rows else []
    missing = [c for c in ("code", "name") if c not in header]
    if missing:
        vi, en = "thiếu cột " + ", ".join(missing), "missing columns " + ", ".join(missing)
        raise InvalidFile(file, [Problem(file, "dòng 1", vi, en)])
    problems: list[Problem] = []
    agencies: list[Agency] = []
    for number, cells in enumerate(rows[1:], start=2):
        values = {h: cell_text(cells[i]) if i < len(cells) else "" for i, h in enumerate(header)}
        if not any(values.values()):
            continue
        try:
            kind = AgencyKind(values.get("kind") or "department")
        except ValueError:
            vi = f"loại “{values.get('kind')}” không hợp lệ (department hoặc commune)"
            problems.append(Problem(file, f"dòng {number}", vi, "kind must be department or commune"))
            continue
        if not values["code"] or not values["name"]:
            problems.append(Problem(file, f"dòng {number}", "thiếu mã hoặc tên", "code or name missing"))
            continue
        body = nfc(values.get("body", ""))
        agencies.append(Agency(values["code"], nfc(values["name"]), kind, province, body))
    for key in ("code", "name"):
        seen = [fold(getattr(a, key)) for a in agencies]
        for value in sorted({v for v in seen if seen.count(v) > 1}):
            problems.append(Problem(file, key, f"trùng {key} “{value}”", f"duplicate {key}", "duplicate"))
    if problems:
        raise InvalidFile(file, problems)
    return agencies


def bundled_agencies(province: str, areas: Iterable[Area] | None = None) -> list[Agency]:
    """The departments shipped for a province, then its communes — taken from ``areas`` (or
    the shipped area list), so the agencies file does not repeat them."""
    from chiso.io.areas_file import bundled_areas

    agencies: list[Agency] = []
    for entry in sorted((_DATA / "agencies").iterdir(), key=lambda e: e.name):
        if entry.name.startswith(f"{province}-") and entry.name.endswith(".csv"):
            with resources.as_file(entry) as path:
                agencies = read_agencies(path, province)
            break
    units = list(areas) if areas is not None else bundled_areas(province)
    agencies += [commune_agency(a) for a in units if a.is_commune and (a.parent or province) == province]
    return agencies


@dataclass(frozen=True)
class TaskTree:
    """An initial task tree as shipped: the resolution it serves and its tasks, parents first."""

    resolution: str
    province: str
    title: str
    source: str
    tasks: tuple[Task, ...] = field(default_factory=tuple)


def bundled_task_trees() -> dict[str, Path]:
    """The task tree files shipped with chiso, by file stem (the resolution id)."""
    folder = _DATA / "tasks"
    return {Path(e.name).stem: Path(str(e)) for e in folder.iterdir() if e.name.endswith((".yaml", ".yml"))}


def resolve_task_tree(name_or_path: str) -> Path:
    """A path as given, or the shipped tree whose stem is ``name_or_path``."""
    candidate = Path(name_or_path)
    if candidate.exists():
        return candidate
    return bundled_task_trees().get(name_or_path, candidate)


_NODE_KEYS = {"code", "title", "part", "description", "lead", "cooperating", "targets", "priority", "output"}
_NODE_KEYS |= {"start", "due", "tasks"}
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$")


def _words(value: Any) -> str:
    return " ".join(str(value or "").split())


def resolution_target_ids(resolution: str) -> set[str]:
    """The target ids of a resolution (a shipped name or a path)."""
    from chiso.resolutions import load_resolution, resolve_resolution_path

    return {t.id for t in load_resolution(resolve_resolution_path(resolution))[0].targets}


class _TreeReader:
    """Walks the nested ``tasks:`` of a tree file, collecting tasks and problems."""

    def __init__(
        self, file: str, resolution: str, agencies: Sequence[Agency], targets: Collection[str]
    ) -> None:
        self.file, self.resolution, self.agencies, self.targets = file, resolution, agencies, targets
        self.problems: list[Problem] = []
        self.tasks: list[Task] = []

    def bad(self, where: str, vi: str, en: str, kind: str = "invalid") -> None:
        self.problems.append(Problem(self.file, where, vi, en, kind))

    def agency(self, where: str, name: Any) -> str:
        found = find_agency(self.agencies, str(name))
        if found is None:
            vi = f"cơ quan “{name}” không có trong danh sách cơ quan"
            self.bad(where, vi, f"unknown agency “{name}”", "unknown-agency")
            return str(name)
        return found.name

    def node(self, node: Mapping[str, Any], where: str, parent: str | None, position: int) -> str:
        code = str(node.get("code") or "")
        for key in sorted(set(node) - _NODE_KEYS):
            self.bad(where, f"trường “{key}” không được phép (sai chính tả?)", f"unknown field “{key}”")
        if not CODE.match(code):
            self.bad(where, "mã nhiệm vụ (code) thiếu hoặc sai định dạng", "code missing or malformed")
        title = _words(node.get("title"))
        if not title:
            self.bad(where, "thiếu tên nhiệm vụ (title)", "title is missing")
        targets = tuple(str(t) for t in node.get("targets") or [])
        for target in targets:
            if target not in self.targets:
                vi = f"chỉ tiêu “{target}” không có trong nghị quyết {self.resolution}"
                self.bad(where + ", trường targets", vi, f"unknown target “{target}”", "unknown-target")
        try:
            priority = Priority(node.get("priority") or "normal")
        except ValueError:
            self.bad(where + ", trường priority", "mức ưu tiên phải là high, normal hoặc low", "bad priority")
            priority = Priority.NORMAL
        dates: dict[str, dt.date | None] = {}
        for key in ("start", "due"):
            value = node.get(key)
            dates[key] = value if isinstance(value, dt.date) else None
            if value is not None and not isinstance(value, dt.date):
                self.bad(where + f", trường {key}", "ngày phải ghi dạng YYYY-MM-DD", f"{key} must be a date")
        start, due = dates["start"], dates["due"]
        if start and due and due < start:
            self.bad(where, "hạn hoàn thành trước ngày bắt đầu", "due date before start", "due-before-start")
        lead = self.agency(where + ", trường lead", node["lead"]) if node.get("lead") else ""
        cooperating = tuple(
            self.agency(where + ", trường cooperating", n) for n in node.get("cooperating") or []
        )
        description, part, output = (
            _words(node.get("description")),
            _words(node.get("part")),
            _words(node.get("output")),
        )
        task = Task(
            code, title, lead, parent, description, part, targets, cooperating, start, due, output, priority
        )
        self.tasks.append(replace(task, resolution=self.resolution, position=position))
        return code

    def walk(self, nodes: Any, parent: str | None, trail: str) -> None:
        for position, node in enumerate(nodes if isinstance(nodes, list) else []):
            where = f"{trail}[{position}]"
            if not isinstance(node, Mapping):
                self.bad(where, "mỗi nhiệm vụ phải là một bảng khóa: giá trị", "each task must be a mapping")
                continue
            where = f"nhiệm vụ {node.get('code') or '?'} ({where})"
            code = self.node(node, where, parent, position)
            self.walk(node.get("tasks"), code, where.split(" (")[0] + " → tasks")


def load_task_tree(
    path: Path | str, agencies: Sequence[Agency], target_ids: Collection[str] | None = None
) -> TaskTree:
    """Read and check a task tree file (YAML); raise :class:`InvalidFile` listing every problem.

    Agency names are matched accent-folded and kept as the agency list writes them;
    target ids are checked against ``target_ids``, or those of the resolution the file names.
    """
    file = str(path)
    raw = read_yaml_mapping(path)
    if not isinstance(raw.get("tasks"), list):
        vi, en = "cần khóa “tasks” chứa danh sách nhiệm vụ", "expected a “tasks” list"
        raise InvalidFile(file, [Problem(file, "tệp", vi, en)])
    resolution = str(raw.get("resolution") or "")
    if target_ids is None:
        target_ids = resolution_target_ids(resolution) if resolution else set()
    reader = _TreeReader(file, resolution, agencies, target_ids)
    reader.walk(raw["tasks"], None, "tasks")
    codes = [t.code for t in reader.tasks]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        reader.bad(f"nhiệm vụ {code}", "mã nhiệm vụ bị trùng", "duplicate task code", "duplicate")
    if reader.problems:
        raise InvalidFile(file, reader.problems)
    title, source = _words(raw.get("title")), _words(raw.get("source"))
    return TaskTree(resolution, str(raw.get("province") or ""), title, source, tuple(reader.tasks))


# --- the task table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of the task table: its role, header, width and whether it is read back."""

    role: str
    header: str
    width: int
    derived: bool = False


COLUMNS = (
    Column("number", "STT", 8, derived=True),
    Column("code", "Mã nhiệm vụ", 12),
    Column("parent", "Mã nhiệm vụ cha", 12),
    Column("title", "Tên nhiệm vụ", 60),
    Column("description", "Mô tả", 60),
    Column("part", "Phần nghị quyết", 30),
    Column("targets", "Chỉ tiêu liên quan", 16),
    Column("lead", "Cơ quan chủ trì", 30),
    Column("cooperating", "Cơ quan phối hợp", 40),
    Column("start", "Ngày bắt đầu", 13),
    Column("due", "Hạn hoàn thành", 13),
    Column("output", "Sản phẩm đầu ra", 40),
    Column("priority", "Mức ưu tiên", 12),
    Column("status", "Trạng thái", 18, derived=True),
    Column("progress", "Tiến độ (%)", 10, derived=True),
    Column("last_update", "Cập nhật gần nhất", 14, derived=True),
)
_ALIASES: dict[str, set[str]] = {
    "code": {"ma nhiem vu", "ma", "code"},
    "parent": {"ma nhiem vu cha", "nhiem vu cha", "thuoc nhiem vu", "parent"},
    "title": {"ten nhiem vu", "nhiem vu", "title"},
    "description": {"mo ta", "noi dung", "description"},
    "part": {"phan nghi quyet", "muc nghi quyet", "can cu", "part"},
    "targets": {"chi tieu lien quan", "chi tieu", "ma chi tieu", "targets"},
    "lead": {"co quan chu tri", "chu tri", "lead"},
    "cooperating": {"co quan phoi hop", "phoi hop", "cooperating"},
    "start": {"ngay bat dau", "bat dau", "start"},
    "due": {"han hoan thanh", "thoi han", "han", "due"},
    "output": {"san pham dau ra", "san pham", "ket qua du kien", "output"},
    "priority": {"muc uu tien", "uu tien", "priority"},
}
TITLE = "DANH MỤC NHIỆM VỤ THỰC HIỆN NGHỊ QUYẾT"
NOTE = (
    "Ghi chú: các cột STT, Trạng thái, Tiến độ, Cập nhật gần nhất do hệ thống tính, không đọc khi nhập. "
    "Thêm nhiệm vụ: để trống Mã nhiệm vụ, ghi Mã nhiệm vụ cha nếu là nhiệm vụ con. Cơ quan phối hợp "
    "cách nhau bằng dấu “;”, chỉ tiêu bằng dấu “,”. Ngày ghi dd/mm/yyyy."
)
_HEADER_SCAN = 20


def task_table(tasks: Sequence[Task], updates: Iterable[Update], today: dt.date) -> list[list[CellValue]]:
    """The header and one row per task, in tree order (dates as :class:`datetime.date`)."""
    states = derive_states(tasks, updates, today)
    rows: list[list[CellValue]] = [[c.header for c in COLUMNS]]
    for row in tree_order(tasks):
        t, state = row.task, states[row.task.code]
        values: dict[str, CellValue] = {
            "number": row.number,
            "code": t.code,
            "parent": t.parent or None,
            "title": t.title,
            "description": t.description or None,
            "part": t.part or None,
            "targets": ", ".join(t.targets) or None,
            "lead": t.lead or None,
            "cooperating": "; ".join(t.cooperating) or None,
            "start": t.start,
            "due": t.due,
            "output": t.output or None,
            "priority": t.priority.label,
            "status": state.label,
            "progress": round(state.progress, 1),
            "last_update": state.last_update,
        }
        rows.append([values[c.role] for c in COLUMNS])
    return rows


def write_tasks(path: Path | str, tasks: Sequence[Task], updates: Iterable[Update], today: dt.date) -> Path:
    """Write the task table to ``path``: XLSX, or CSV (UTF-8 with BOM) when it ends in .csv."""
    path = Path(path)
    title = f"{TITLE} (trích xuất ngày {format_date(today)})"
    table = task_table(tasks, updates, today)
    if path.suffix.lower() == ".csv":
        rows: list[list[CellValue]] = [[title], [NOTE]]
        rows += [[format_date(v) if isinstance(v, dt.date) else v for v in r] for r in table]
        return write_table(path, [Sheet("Nhiệm vụ", rows, ",")])
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "Nhiệm vụ"
    ws.append([title])
    ws.append([NOTE])
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"].font = Font(italic=True)
    for values in table:
        ws.append(values)
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        for cell in ws[letter][3:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.role in ("start", "due", "last_update"):
                cell.number_format = "DD/MM/YYYY"
    ws.freeze_panes = "E4"
    workbook.save(path)
    return path


def _find_header(sheets: Sequence[Sheet]) -> tuple[Sheet, int, dict[str, int]] | None:
    for sheet in sheets:
        for r, cells in enumerate(sheet.rows[:_HEADER_SCAN], start=1):
            roles: dict[str, int] = {}
            for c, value in enumerate(cells, start=1):
                key = header_key(value)
                role = next((role for role, names in _ALIASES.items() if key in names), None)
                if role is not None and role not in roles:
                    roles[role] = c
            if "title" in roles and ({"code", "lead"} & roles.keys()):
                return sheet, r, roles
    return None


@dataclass
class TaskValidation:
    """Tasks read from a table (complete, ready to save) and the problems found in it."""

    file: str
    tasks: list[Task] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    rows_read: int = 0


class _RowReader:
    """Reads the cells of one row by role, recording problems at the cell."""

    def __init__(self, check: _Checker, sheet: Sheet, row: int, cells: list[CellValue]) -> None:
        self.check, self.sheet, self.row, self.cells = check, sheet, row, cells

    def raw(self, role: str) -> CellValue:
        column = self.check.roles.get(role)
        return self.cells[column - 1] if column and column <= len(self.cells) else None

    def text(self, role: str) -> str:
        return nfc(cell_text(self.raw(role)))

    def problem(self, role: str, kind: str, vi: str, en: str) -> None:
        self.check.problem(self.sheet, self.row, self.check.roles.get(role, 0), kind, vi, en, self.text(role))

    def date(self, role: str) -> dt.date | None:
        value = self.raw(role)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            serial = from_excel(value)
            return serial.date() if isinstance(serial, dt.datetime) else None
        text = cell_text(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            self.problem(role, "invalid-date", str(exc), f"cannot read date “{text}”")
            return None

    def agency(self, role: str, name: str) -> str:
        found = find_agency(self.check.agencies, name)
        if found is None:
            vi = f"cơ quan “{name}” không có trong danh sách cơ quan, đơn vị (ghi đúng tên hoặc mã)"
            self.problem(role, "unknown-agency", vi, f"unknown agency “{name}”")
            return name
        return found.name


class _Checker:
    """Turns the rows of a task table into complete tasks, collecting every problem."""

    def __init__(
        self,
        file: str,
        roles: dict[str, int],
        agencies: Sequence[Agency],
        target_ids: Collection[str],
        existing: Mapping[str, Task],
        resolution: str,
    ) -> None:
        self.file, self.roles, self.agencies, self.target_ids = file, roles, agencies, target_ids
        self.existing, self.resolution = existing, resolution
        self.problems: list[CellProblem] = []
        self.codes: dict[str, int] = {}

    def problem(self, sheet: Sheet, row: int, column: int, kind: str, vi: str, en: str, content: str) -> None:
        from openpyxl.utils import get_column_letter

        where = sheet.ref(row, column) if column else f"{sheet.name}!{row}"
        letter = get_column_letter(column) if column else ""
        self.problems.append(CellProblem(self.file, where, vi, en, kind, sheet.name, row, letter, content))

    def read(self, r: _RowReader) -> tuple[Task, dict[str, Any]] | None:
        """The task a row describes (``None`` when its code cannot be used) and its new values."""
        code = r.text("code")
        if code and not CODE.match(code):
            vi = f"mã nhiệm vụ “{code}” sai: chỉ gồm chữ không dấu, số, dấu chấm, gạch (tối đa 50 ký tự)"
            r.problem("code", "invalid-code", vi, f"invalid task code “{code}”")
            return None
        if code and code in self.codes:
            vi = f"mã nhiệm vụ “{code}” đã có ở dòng {self.codes[code]}"
            r.problem("code", "duplicate", vi, f"task code “{code}” appears twice")
            return None
        if code:
            self.codes[code] = r.row
        values: dict[str, Any] = {}
        if "title" in self.roles:
            values["title"] = " ".join(r.text("title").split())
            if not values["title"]:
                r.problem("title", "missing-title", "thiếu tên nhiệm vụ", "task title is missing")
        for role in ("description", "part", "output"):
            if role in self.roles:
                values[role] = r.text(role)
        if "parent" in self.roles:
            values["parent"] = r.text("parent") or None
        if "lead" in self.roles:
            lead = " ".join(r.text("lead").split())
            values["lead"] = r.agency("lead", lead) if lead else ""
        if "cooperating" in self.roles:
            names = [" ".join(n.split()) for n in re.split(r"[;\n]", r.text("cooperating"))]
            values["cooperating"] = tuple(r.agency("cooperating", n) for n in names if n)
        if "targets" in self.roles:
            targets = tuple(t for t in re.split(r"[,;\s]+", r.text("targets")) if t)
            for target in targets:
                if target not in self.target_ids:
                    vi = f"chỉ tiêu “{target}” không có trong nghị quyết {self.resolution}"
                    r.problem("targets", "unknown-target", vi, f"unknown target “{target}”")
            values["targets"] = targets
        for role in ("start", "due"):
            if role in self.roles:
                values[role] = r.date(role)
        if "priority" in self.roles:
            try:
                values["priority"] = parse_priority(r.text("priority"))
            except ValueError as exc:
                r.problem("priority", "invalid-priority", str(exc), "invalid priority")
        base = self.existing.get(code) or Task(code, "", resolution=self.resolution)
        task = replace(base, **values)
        if task.start and task.due and task.due < task.start:
            vi = f"hạn hoàn thành {format_date(task.due)} trước ngày bắt đầu {format_date(task.start)}"
            r.problem("due", "due-before-start", vi, "due date before start date")
        return task, values


def _next_code(parent: str | None, taken: set[str]) -> str:
    prefix = f"{parent}." if parent else "NV"
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    used = [int(m[1]) for c in taken if (m := pattern.match(c))]
    return f"{prefix}{max(used, default=0) + 1}"


def validate_tasks(
    sheets: Sequence[Sheet],
    *,
    agencies: Sequence[Agency],
    target_ids: Collection[str],
    existing: Sequence[Task] = (),
    resolution: str = "",
    file: str = "",
) -> TaskValidation:
    """Read and check a task table against the agencies, the resolution's targets and the
    stored tasks; no database needed. Rows without a code get one (and a place after their
    siblings)."""
    found = _find_header(sheets)
    result = TaskValidation(file)
    if found is None:
        vi = (
            "không tìm thấy bảng nhiệm vụ: cần dòng tiêu đề có cột “Tên nhiệm vụ” và “Mã nhiệm vụ” "
            "hoặc “Cơ quan chủ trì”"
        )
        en = "no task table: expected a header with “Tên nhiệm vụ” and “Mã nhiệm vụ” or “Cơ quan chủ trì”"
        result.problems.append(CellProblem(file, "tệp", vi, en, "no-table"))
        return result
    sheet, header, roles = found
    stored = {t.code: t for t in existing}
    checker = _Checker(file, roles, agencies, target_ids, stored, resolution)
    read: list[tuple[_RowReader, Task, dict[str, Any]]] = []
    for number, cells in enumerate(sheet.rows[header:], start=header + 1):
        if not any(cell_text(v) for v in cells):
            continue
        result.rows_read += 1
        reader = _RowReader(checker, sheet, number, cells)
        row = checker.read(reader)
        if row is not None:
            read.append((reader, *row))
    parents = {t.code: t.parent for t in stored.values()}
    parents.update({t.code: t.parent for _, t, _ in read if t.code})
    taken = set(stored) | set(checker.codes)
    positions = {t.code: t.position for t in stored.values()}
    for reader, task, _values in read:
        parent = task.parent
        if parent and parent not in parents:
            vi = f"không có nhiệm vụ mã “{parent}” (trong tệp hoặc đã lưu) để làm nhiệm vụ cha"
            reader.problem("parent", "unknown-parent", vi, f"unknown parent task “{parent}”")
            continue
        if parent and task.code and _loops(task.code, parents):
            vi = f"nhiệm vụ cha “{parent}” làm nhiệm vụ {task.code} nằm trong chính nó"
            reader.problem("parent", "cycle", vi, "the parent makes a cycle")
            continue
        if not task.code:
            code = _next_code(parent, taken)
            taken.add(code)
            siblings = [positions[c] for c in taken if c in positions and parents.get(c) == parent]
            task = replace(task, code=code, position=max(siblings, default=-1) + 1)
            positions[code] = task.position
            parents[code] = parent
        if parent and not task.resolution and parent in stored:
            task = replace(task, resolution=stored[parent].resolution)
        result.tasks.append(task)
    result.problems = checker.problems
    return result


def _loops(code: str, parents: Mapping[str, str | None]) -> bool:
    seen = {code}
    parent = parents.get(code)
    while parent:
        if parent in seen:
            return True
        seen.add(parent)
        parent = parents.get(parent)
    return False


@dataclass
class TaskImportReport:
    """What an import of a task table found and did."""

    file: str
    validation: TaskValidation
    dry_run: bool = False
    result: LoadResult | None = None

    @property
    def problems(self) -> list[CellProblem]:
        """Every problem, in the order of the file."""
        return self.validation.problems

    @property
    def refused(self) -> bool:
        """True when the file had problems, so nothing was written."""
        return bool(self.problems)

    @property
    def summary(self) -> str:
        """One Vietnamese sentence: what was written, or why nothing was."""
        if self.refused:
            return f"Không ghi gì: tệp có {len(self.problems)} lỗi"
        message = self.result.message if self.result else "0 thay đổi"
        return ("Chạy thử, chưa ghi gì: " if self.dry_run else "Đã nhập: ") + message


def _changes(tasks: Sequence[Task], existing: Mapping[str, Task]) -> tuple[int, int, int]:
    def key(t: Task) -> Task:
        return replace(t, position=0, resolution="", targets=tuple(sorted(set(t.targets))))

    def same(a: Task, b: Task) -> bool:
        return key(a) == key(b)

    added = sum(t.code not in existing for t in tasks)
    unchanged = sum(t.code in existing and same(t, existing[t.code]) for t in tasks)
    return added, len(tasks) - added - unchanged, unchanged


def import_tasks(
    store: Store,
    path: Path | str,
    *,
    actor: str = "",
    dry_run: bool = False,
    resolution: str | None = None,
    province: str | None = None,
) -> TaskImportReport:
    """Import a task table (XLSX or CSV): all of it, or nothing (see the module docstring).

    For the province's staff: the caller checks the user may edit tasks. Raises
    :class:`InvalidFile` only when the file cannot be read at all.
    """
    from chiso import settings
    from chiso.store.tasks_repo import LoadResult, all_tasks, list_agencies, save_tasks

    path = Path(path)
    sheets = read_table(path)
    resolution = resolution or settings.require("CHISO_RESOLUTION")
    existing = all_tasks(store)[0]
    validation = validate_tasks(
        sheets,
        agencies=list_agencies(store, include_inactive=True),
        target_ids=resolution_target_ids(resolution),
        existing=existing,
        resolution=Path(resolution).stem,
        file=str(path),
    )
    report = TaskImportReport(str(path), validation, dry_run)
    if validation.problems:
        return report
    if dry_run:
        report.result = LoadResult(*_changes(validation.tasks, {t.code: t for t in existing}))
    else:
        report.result = save_tasks(store, validation.tasks, actor=actor, province=province)
    return report


def export_tasks(store: Store, path: Path | str, today: dt.date, *, province: str | None = None) -> Path:
    """Write every task (of a province) with its state on ``today`` to an XLSX or CSV file."""
    from chiso.store.tasks_repo import all_tasks

    tasks, updates = all_tasks(store, province)
    return write_tasks(path, tasks, updates, today)
