"""Writing figures from the web tier: the same checks for the form, the upload, the conflicts and the API.

A figure typed in the form or sent to the write API is checked exactly like a row of
an imported spreadsheet: the rows become a one-sheet table in the long layout and go
through :func:`chiso.io.importer.validate` (unknown indicator or area, wrong level,
number, period, status, frequency, range, duplicates, outliers as warnings). Then the
account's scope is checked figure by figure (:func:`chiso.auth.write_refusal`).
Nothing is written unless every figure passes; what is written is recorded for
publication (:func:`chiso.auth.record_batch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from chiso.areas import Area
from chiso.auth import User, indicator_agencies, record_batch, write_refusal
from chiso.errors import Problem
from chiso.io.importer import CellProblem, Figure, is_warning, validate
from chiso.io.tables import CellValue, Sheet
from chiso.observations import Observation
from chiso.store import Store
from chiso.store.db import WriteResult
from chiso.web.snapshot import Snapshot

FIELDS = ("indicator", "area", "period", "value", "status", "source", "note", "url")
SHEET = "Dữ liệu"
_LETTERS = {chr(ord("A") + i): name for i, name in enumerate(FIELDS)}


@dataclass(frozen=True)
class RowInput:
    """One figure as typed or sent: texts (the value may already be a number)."""

    indicator: str
    area: str
    period: str
    value: str | float
    status: str = ""
    source: str = ""
    note: str = ""
    url: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A problem of one input row: its index, the field, the messages and the kind."""

    index: int
    field: str
    message_vi: str
    message_en: str
    kind: str

    @property
    def is_warning(self) -> bool:
        """True for a problem shown without blocking."""
        return self.kind.startswith("warning-")


@dataclass
class Checked:
    """Input rows after the checks: the figures to write and the problems found."""

    observations: list[Observation] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[RowProblem]:
        """The blocking problems."""
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[RowProblem]:
        """The problems that do not block."""
        return [p for p in self.problems if p.is_warning]

    @property
    def forbidden(self) -> bool:
        """True when some figure is outside the account's scope."""
        return any(p.kind == "out-of-scope" for p in self.problems)


def agencies_of(snapshot: Snapshot) -> dict[str, frozenset[str]]:
    """The agencies responsible for each indicator of the snapshot's resolution."""
    return indicator_agencies(snapshot.resolution, snapshot.catalogue)


def _cell(value: str | float) -> CellValue:
    return value if isinstance(value, float | int) and not isinstance(value, bool) else str(value).strip()


def scope_problems(figures: Sequence[Figure], user: User, snapshot: Snapshot, file: str) -> list[CellProblem]:
    """A located problem for every figure the account may not write."""
    agencies = agencies_of(snapshot)
    problems = []
    for f in figures:
        reason = write_refusal(user, f.indicator, f.area, agencies=agencies)
        if reason is not None:
            column = f.area_column or f.column
            letter = _column_letter(column)
            problems.append(
                CellProblem(
                    file,
                    f"{f.sheet}!{letter}{f.row}",
                    f"ngoài phạm vi của tài khoản: {reason}",
                    f"outside the account's scope ({f.indicator}, {f.area})",
                    "out-of-scope",
                    f.sheet,
                    f.row,
                    letter,
                    f.area if f.area_column else f.content,
                )
            )
    return problems


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column) if column else ""


def check_rows(store: Store, snapshot: Snapshot, user: User, rows: Sequence[RowInput]) -> Checked:
    """Check figures as the importer checks a spreadsheet's rows, then the account's scope."""
    sheet = Sheet(SHEET, [list(FIELDS)])
    for row in rows:
        sheet.rows.append([_cell(getattr(row, name)) for name in FIELDS])
    validation = validate(
        [sheet],
        snapshot.catalogue,
        province=snapshot.province,
        areas=store.areas(),
        history=lambda codes: store.observations(indicators=codes),
        file=SHEET,
    )
    problems: list[Problem] = [
        *validation.problems,
        *scope_problems(validation.figures, user, snapshot, SHEET),
    ]
    checked = Checked()
    for p in problems:
        line = p.row if isinstance(p, CellProblem) else 0
        name = _LETTERS.get(p.column, "") if isinstance(p, CellProblem) else ""
        checked.problems.append(RowProblem(max(line - 2, 0), name, p.message_vi, p.message_en, p.kind))
    refused = {p.index for p in checked.errors}
    read = {f.row - 2 for f in validation.figures}
    for index, row in enumerate(rows):
        if index not in read and index not in refused:
            # A row the reader skipped (blank value, a "Ghi chú:" first cell): say so, never drop it silently.
            checked.problems.append(
                RowProblem(
                    index,
                    "value" if not str(row.value).strip() else "indicator",
                    "không đọc được số liệu ở dòng này (thiếu giá trị hoặc chỉ số)",
                    "no figure could be read from this row",
                    "missing-value",
                )
            )
    checked.problems.sort(key=lambda p: (p.index, is_warning_kind(p.kind)))
    checked.observations = [f.observation(user.username) for f in validation.figures]
    return checked


def is_warning_kind(kind: str) -> bool:
    """True for a kind of problem that does not block."""
    return is_warning(Problem("", "", "", "", kind))


def write_checked(
    store: Store, user: User, checked: Checked, *, file_name: str | None = None
) -> tuple[WriteResult, str]:
    """Write checked figures (all of them, in one transaction) and record the batch for publication."""
    result = store.add_observations(checked.observations, actor=user.username, file_name=file_name)
    state = record_batch(store, result.batch_id, user) if result.batch_id is not None else ""
    return result, state


def commune_choices(snapshot: Snapshot, user: User) -> list[Area]:
    """The areas the account may choose in a form: the province first, then the communes by name."""
    from chiso.auth import writable_areas

    province = [a for a in snapshot.areas if a.code == snapshot.province]
    return writable_areas(user, [*province, *snapshot.communes])


@dataclass(frozen=True)
class HistoryRow:
    """One figure ever given for a cell, with its import batch and publication state."""

    observation: Observation
    batch_id: int | None
    state: str
    used: bool = False


def cell_history(store: Store, indicator: str, area: str, period: str) -> list[HistoryRow]:
    """Every figure of one cell, oldest first, with the one in use marked and each batch's state."""
    from sqlalchemy import select

    from chiso.auth import batch_states
    from chiso.observations import effective
    from chiso.periods import parse_period
    from chiso.store.db import to_observation
    from chiso.store.models import ObservationRow

    code = parse_period(period).code
    with store.session() as s:
        rows = list(
            s.scalars(
                select(ObservationRow)
                .where(
                    ObservationRow.indicator == indicator,
                    ObservationRow.area == area,
                    ObservationRow.period == code,
                )
                .order_by(ObservationRow.entered_at, ObservationRow.id)
            )
        )
        figures = [(to_observation(r), r.batch_id) for r in rows]
    ids = {b for _, b in figures if b is not None}
    states = {b.id: b for b in batch_states(store, ids=ids, limit=len(ids))} if ids else {}
    shown = [(o, b, states[b].state if b in states else "published") for o, b in figures]
    visible = [o for o, _, state in shown if state != "rejected"]
    best = effective(visible).get((indicator, area, parse_period(period))) if visible else None
    return [HistoryRow(o, b, state, o is best) for o, b, state in shown]
