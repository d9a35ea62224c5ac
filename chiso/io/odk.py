"""Reading survey exports of ODK Central and KoboToolbox, checking them, storing them.

Both servers export one row per submission (CSV, or XLSX for Kobo), with a column per
form field named by its group path. What differs, and what is read either way:

==================  =================================  ====================================
                    ODK Central                        KoboToolbox
==================  =================================  ====================================
group separator     ``respondent-commune``             ``respondent/commune``
instance ID         ``meta-instanceID``, ``KEY``       ``meta/instanceID``, ``_uuid``
submission date     ``SubmissionDate``                 ``_submission_time``
review              ``ReviewState`` (``rejected``)     ``_validation_status`` (not approved)
select_multiple     ``q`` = "a b", split: ``q/a``       ``q`` = "a b", split: ``q/a`` = 1/0
==================  =================================  ====================================

Columns are matched to the methodology by the last part of their path (the field
names of the form :mod:`chiso.xlsform` writes are the methodology's ids), so groups
and their separators do not matter. Answers may be the stored codes (the default
"XML values" export) or the Vietnamese labels. A column of the form that the
methodology does not score is kept with the response (``extra``, blanks left out); a
select_multiple is kept as its list of choices, whether the export wrote it as one 0/1
column per choice (found from the columns), as one space-separated column (named in
``select_multiple``, since nothing else tells it from free text), or both.

Every problem is a :class:`~chiso.io.importer.CellProblem` naming the sheet, row and
column, as the figure importer reports them. Kinds that block the import:
``missing-column``, ``duplicate-column``, ``missing-id``, ``duplicate`` (the same
instance ID twice in the file, or already stored for the wave with other answers),
``unknown-area``, ``missing-value`` (no commune), ``out-of-range`` (an answer that is not
one of the question's codes or outside its range), ``missing-consent`` (answers without a
recorded consent), ``refused-consent`` (answers although consent was refused),
``invalid-date``, ``mixed-synthetic``. Warnings (``warning-refused-consent``,
``warning-rejected``, ``warning-empty``, ``warning-unknown-village``) skip or flag a
row without blocking. A submission already stored with the same answers is counted as
unchanged: importing the same export twice adds "0 phiếu mới".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from chiso import settings
from chiso.areas import Area, find_area
from chiso.errors import ChisoError, InvalidFile, Problem
from chiso.io.importer import WARNING, CellProblem
from chiso.io.long_csv import normalise_area_code
from chiso.io.tables import CellValue, Sheet, cell_text, read_table
from chiso.methodology import AnswerType, DemographicQuestion, Methodology, Question, default_methodology
from chiso.numbers import NotANumber, parse_number
from chiso.store.db import Store
from chiso.store.surveys import (
    SamplePlan,
    SavedResponses,
    SurveyResponse,
    create_wave,
    get_wave,
    methodology_digest,
    response_fingerprints,
    sample_plans,
    save_responses,
)
from chiso.text import fold

# The last part of a column's path that carries each piece of metadata, best first.
INSTANCE_COLUMNS = ("instanceID", "KEY", "_uuid")
SUBMITTED_COLUMNS = ("SubmissionDate", "_submission_time", "end")
REVIEW_COLUMNS = ("ReviewState", "_validation_status")
SYNTHETIC_COLUMN = "synthetic"
KEPT_META = {"start": "start", "end": "end", "__version__": "form_version", "FormVersion": "form_version"}
_REJECTED = {"rejected", "validation_status_not_approved", "not approved"}
_SEPARATORS = re.compile(r"[/-]")
_TRUE = {"1", "true", "yes", "có", "co", "x"}
_FALSE = {"0", "false", "no", "không", "khong", ""}
# ODK Central's own columns; Kobo's start with "_" and are dropped as well.
_SYSTEM = {
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "DeviceID",
    "Edits",
    "deprecatedID",
}


@dataclass(frozen=True)
class _Field:
    """A form field the methodology knows: a scored question or a demographic question."""

    id: str
    question: Question | None = None
    demographic: DemographicQuestion | None = None

    @property
    def role(self) -> str:
        return self.demographic.role if self.demographic is not None else "scored"


@dataclass
class _Layout:
    """Which column holds what, found from the header row."""

    fields: dict[str, int] = field(default_factory=dict)  # field id → column (1-based)
    meta: dict[str, int] = field(default_factory=dict)  # metadata name → column
    multiple: dict[str, dict[str, int]] = field(default_factory=dict)  # path → {choice: column}
    whole: dict[str, int] = field(default_factory=dict)  # select_multiple name → "a b" column
    extra: dict[str, int] = field(default_factory=dict)  # other form fields → column
    ignored: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportReport:
    """What was read from an export, checked and found new.

    ``responses`` are every valid submission of the file; ``new`` those not yet stored
    for the wave; ``unchanged`` counts those stored already with the same answers.
    ``refused``, ``rejected`` and ``empty`` count rows skipped with a warning.
    """

    file: str
    sheet: str
    server: str
    rows: int
    responses: tuple[SurveyResponse, ...]
    new: tuple[SurveyResponse, ...]
    unchanged: int
    refused: int
    rejected: int
    empty: int
    warnings: tuple[Problem, ...]
    ignored_columns: tuple[str, ...]
    synthetic: bool


def _path(header: str) -> tuple[str, ...]:
    return tuple(p for p in _SEPARATORS.split(header.strip()) if p)


def _is_flag(value: CellValue) -> bool:
    return value is None or cell_text(value).lower() in _TRUE | _FALSE


def _layout(
    sheet: Sheet, known: Mapping[str, _Field], groups: set[str], select_multiple: Collection[str]
) -> tuple[_Layout, list[str]]:
    """Map the header row; return the layout and the duplicated field ids."""
    layout = _Layout()
    header = [cell_text(v) for v in (sheet.rows[0] if sheet.rows else [])]
    paths = {"/".join(_path(h)): i for i, h in enumerate(header, start=1) if h}
    duplicated: list[str] = []
    meta_rank: dict[str, int] = {}
    for column, text in enumerate(header, start=1):
        if not text:
            continue
        path = _path(text)
        name = path[-1] if path else text
        parent = "/".join(path[:-1])
        if name in known:
            if name in layout.fields:
                duplicated.append(name)
            layout.fields.setdefault(name, column)
            continue
        for kind, aliases in (
            ("instance", INSTANCE_COLUMNS),
            ("submitted", SUBMITTED_COLUMNS),
            ("review", REVIEW_COLUMNS),
        ):
            if name in aliases and aliases.index(name) < meta_rank.get(kind, len(aliases)):
                meta_rank[kind] = aliases.index(name)
                layout.meta[kind] = column
        if text == SYNTHETIC_COLUMN:
            layout.meta["synthetic"] = column
            continue
        if name in KEPT_META:
            layout.extra.setdefault(KEPT_META[name], column)
            continue
        if any(name in aliases for aliases in (INSTANCE_COLUMNS, SUBMITTED_COLUMNS, REVIEW_COLUMNS)):
            continue
        if name.startswith("_") or path[0] == "meta" or name in _SYSTEM:
            layout.ignored.append(text)
            continue
        if name in select_multiple:
            layout.whole.setdefault(name, column)
            continue
        # A choice of a select_multiple: its parent is a column too (both exports write the
        # space-separated column beside the split ones), or, split-only, its parent is no
        # group of the form and every value is 0/1.
        values = (row[column - 1] if column <= len(row) else None for row in sheet.rows[1:])
        if parent and (
            parent in paths
            or (
                path[-2] not in groups
                and path[-2] not in known
                and parent not in ("", "meta")
                and all(_is_flag(v) for v in values)
            )
        ):
            layout.multiple.setdefault(parent, {})[name] = column
            continue
        layout.extra.setdefault(name, column)
    for parent in layout.multiple:
        whole = paths.get(parent)
        name = parent.rsplit("/", 1)[-1]
        if whole is not None and layout.extra.get(name) == whole:
            layout.whole[name] = layout.extra.pop(name)
    return layout, duplicated


class _Reader:
    """Checks the rows of one export sheet, collecting located problems."""

    def __init__(
        self,
        file: str,
        sheet: Sheet,
        methodology: Methodology,
        communes: Sequence[Area],
        province: str,
        plans: Mapping[str, SamplePlan],
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.methodology = methodology
        self.communes = list(communes)
        self.province = province
        self.codes = {a.code for a in communes}
        self.plans = {c: {fold(v).strip() for v in p.villages} for c, p in plans.items() if p.villages}
        self.problems: list[CellProblem] = []
        self.header = [cell_text(v) for v in (sheet.rows[0] if sheet.rows else [])]
        self._labels: dict[str, dict[str, int]] = {}
        self._parsed: dict[tuple[str, str], float | tuple[str, str]] = {}

    def problem(self, row: int, column: int, kind: str, vi: str, en: str, content: CellValue = None) -> None:
        """Record a problem at a cell (``column`` 0: the whole row)."""
        letter = get_column_letter(column) if column else ""
        where = f"{self.sheet.name}!{letter}{row}" if column else f"{self.sheet.name}!{row}"
        if column and column <= len(self.header):
            where += f" ({self.header[column - 1]})"
        self.problems.append(
            CellProblem(self.file, where, vi, en, kind, self.sheet.name, row, letter, cell_text(content))
        )

    def _label_codes(self, item: _Field) -> dict[str, int]:
        """Folded label → code, for an export that wrote labels instead of codes."""
        if item.id not in self._labels:
            labels: dict[str, int] = {}
            q, d = item.question, item.demographic
            if q is not None and q.type is AnswerType.LIKERT5 and q.labels:
                labels = {fold(label): i + 1 for i, label in enumerate(q.labels)}
            elif q is not None and q.type is AnswerType.SINGLE_CHOICE:
                labels = {fold(o.label): o.code for o in q.options}
            elif d is not None and d.options:
                labels = {fold(o.label): o.code for o in d.options}
            if (q is not None and q.type is AnswerType.YES_NO) or (d is not None and d.type == "yes_no"):
                labels = {"co": 1, "khong": 0, "yes": 1, "no": 0}
            self._labels[item.id] = labels
        return self._labels[item.id]

    def coded(self, item: _Field, value: CellValue, row: int, column: int) -> float | None:
        """A coded or numeric answer, checked against the question; ``None`` when blank."""
        text = cell_text(value)
        if not text:
            return None
        # A question has a handful of distinct answers: read each once.
        key = (item.id, text)
        if key not in self._parsed:
            self._parsed[key] = self._parse(item, value, text)
        parsed = self._parsed[key]
        if isinstance(parsed, tuple):
            self.problem(row, column, "out-of-range", *parsed, value)
            return None
        return parsed

    def _parse(self, item: _Field, value: CellValue, text: str) -> float | tuple[str, str]:
        """The answer's number, or the (Vietnamese, English) messages saying why it is wrong."""
        q, d = item.question, item.demographic
        number: float | None
        try:
            number = parse_number(value if isinstance(value, int | float) else text)
        except NotANumber:
            code = self._label_codes(item).get(fold(text).strip())
            number = float(code) if code is not None else None
        if number is None:
            return (
                f"câu {item.id}: “{text}” không phải là một câu trả lời của câu hỏi",
                f"question {item.id}: “{text}” is not an answer of the question",
            )
        if q is not None and q.type is not AnswerType.NUMBER:
            allowed = [c for c, _ in q.codes()]
        elif d is not None and d.type == "single_choice":
            allowed = [o.code for o in d.options]
        elif d is not None and d.type == "yes_no":
            allowed = [0, 1]
        else:
            low = q.minimum if q is not None else d.minimum if d is not None else None
            high = q.maximum if q is not None else d.maximum if d is not None else None
            if (low is not None and number < low) or (high is not None and number > high):
                span = f"{_bound(low)}–{_bound(high)}"
                return (
                    f"câu {item.id}: {text} nằm ngoài khoảng cho phép {span}",
                    f"question {item.id}: {text} is outside {span}",
                )
            return int(number) if number.is_integer() else number
        if not number.is_integer() or int(number) not in allowed:
            shown = ", ".join(str(c) for c in allowed)
            return (
                f"câu {item.id}: “{text}” không phải mã trả lời hợp lệ (hợp lệ: {shown})",
                f"question {item.id}: “{text}” is not a valid code ({shown})",
            )
        return int(number)

    def commune(self, value: CellValue, row: int, column: int) -> str | None:
        """The commune's official code (a code, or a name as a label export writes it)."""
        text = cell_text(value)
        if not text:
            self.problem(row, column, "missing-value", "thiếu mã xã/phường", "no commune code", value)
            return None
        code = normalise_area_code(text)
        if code in self.codes:
            return code
        found = find_area(self.communes, text)
        if found is not None:
            return found.code
        self.problem(
            row,
            column,
            "unknown-area",
            f"mã xã/phường “{text}” không có trong danh sách xã, phường của tỉnh {self.province}",
            f"commune code “{text}” is not a commune of province {self.province}",
            value,
        )
        return None

    def submitted(self, value: CellValue, row: int, column: int) -> dt.datetime | None:
        """A submission time: ISO 8601 text (with or without zone) or a spreadsheet date."""
        if value is None or cell_text(value) == "":
            return None
        if isinstance(value, dt.datetime):
            return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        if isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
        text = cell_text(value)
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.problem(
                row,
                column,
                "invalid-date",
                f"không đọc được thời điểm nộp phiếu “{text}” (cần dạng 2026-09-14T08:30:00)",
                f"cannot read the submission time “{text}”",
                value,
            )
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def village_warning(self, commune: str, village: str, row: int, column: int) -> None:
        """Warn when a village is not in the commune's sample plan."""
        planned = self.plans.get(commune)
        if planned and fold(village).strip() not in planned:
            self.problem(
                row,
                column,
                WARNING + "unknown-village",
                f"thôn “{village}” không có trong kế hoạch mẫu của xã {commune}",
                f"village “{village}” is not in the sample plan of commune {commune}",
                village,
            )


def _bound(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


def _multiple(row: list[CellValue], layout: _Layout) -> dict[str, list[str]]:
    """Every select_multiple of a row as its list of choices (the 0/1 columns win)."""
    out = {name: cell_text(_cell(row, column)).split() for name, column in layout.whole.items()}
    for parent, choices in layout.multiple.items():
        out[parent.rsplit("/", 1)[-1]] = [
            name for name, column in choices.items() if cell_text(_cell(row, column)).lower() in _TRUE
        ]
    return out


def _cell(row: list[CellValue], column: int | None) -> CellValue:
    if column is None or column > len(row):
        return None
    return row[column - 1]


def read_export(
    path: Path | str,
    methodology: Methodology,
    areas: Sequence[Area],
    *,
    province: str,
    stored: Mapping[str, str] | None = None,
    wave_synthetic: bool | None = None,
    plans: Mapping[str, SamplePlan] | None = None,
    select_multiple: Collection[str] = (),
) -> ExportReport:
    """Read and check an ODK Central or KoboToolbox export (CSV or XLSX, first sheet).

    ``stored`` maps the instance IDs already stored for the wave to their fingerprints;
    ``wave_synthetic`` says whether the wave is synthetic (``None``: a new wave);
    ``plans`` the wave's sample plans (villages outside them are warned about);
    ``select_multiple`` names extra fields exported as space-separated choices.
    Raises :class:`~chiso.errors.InvalidFile` with every blocking problem; warnings are
    in the report.
    """
    file = str(path)
    sheets = read_table(path)
    if not sheets or not sheets[0].rows:
        raise InvalidFile(
            file, [Problem(file, "tệp", "tệp không có dòng nào", "the file is empty", "no-table")]
        )
    sheet = sheets[0]
    stored = stored or {}
    known = {d.id: _Field(d.id, demographic=d) for d in methodology.demographics}
    known.update({q.id: _Field(q.id, question=q) for q in methodology.questions})
    groups = {"respondent", "meta", *(d.id for d in methodology.domains)}
    layout, duplicated = _layout(sheet, known, groups, select_multiple)
    communes = [a for a in areas if a.is_commune and (a.parent == province or a.parent is None)]
    reader = _Reader(file, sheet, methodology, communes, province, plans or {})
    roles = {f.role: f.id for f in known.values() if f.role != "scored"}
    for name in duplicated:
        reader.problem(
            1,
            layout.fields[name],
            "duplicate-column",
            f"câu {name} có hơn một cột",
            f"field {name} has more than one column",
        )
    required = [q.id for q in methodology.questions] + [
        roles[r] for r in ("commune", "consent") if r in roles
    ]
    for name in required:
        if name not in layout.fields:
            reader.problem(
                1,
                0,
                "missing-column",
                f"thiếu cột của câu {name}; tải tệp từ máy chủ với tên câu hỏi (XML values and headers)",
                f"no column for field {name}; export with field names (XML values and headers)",
            )
    if "instance" not in layout.meta:
        reader.problem(
            1,
            0,
            "missing-column",
            "thiếu cột mã phiếu (meta/instanceID, KEY hoặc _uuid)",
            "no instance ID column (meta/instanceID, KEY or _uuid)",
        )
    if reader.problems:
        raise InvalidFile(file, list(reader.problems))
    header = set(reader.header)
    server = (
        "odk-central"
        if "SubmissionDate" in header
        else "kobo"
        if header & {"_uuid", "_submission_time"}
        else "odk"
    )
    consent_id, commune_id, cluster_id = roles.get("consent"), roles.get("commune"), roles.get("cluster")
    scored = [q.id for q in methodology.questions]
    demographic_ids = [
        d.id for d in methodology.demographics if d.role not in ("consent", "commune", "cluster")
    ]
    seen: dict[str, int] = {}
    responses: list[SurveyResponse] = []
    new: list[SurveyResponse] = []
    unchanged = refused = rejected = empty = rows = 0
    kinds: set[bool] = set()
    for r, row in enumerate(sheet.rows[1:], start=2):
        if all(cell_text(v) == "" for v in row):
            continue
        rows += 1
        before = len(reader.problems)
        instance_column = layout.meta["instance"]
        instance = cell_text(_cell(row, instance_column)).removeprefix("uuid:")
        review = cell_text(_cell(row, layout.meta.get("review"))).lower()
        if review in _REJECTED:
            rejected += 1
            reader.problem(
                r,
                layout.meta["review"],
                WARNING + "rejected",
                "phiếu bị từ chối khi duyệt trên máy chủ; bỏ qua",
                "submission rejected in review; skipped",
                review,
            )
            continue
        answered = {q: _cell(row, layout.fields[q]) for q in scored}
        any_answer = any(cell_text(v) for v in answered.values())
        if consent_id is not None:
            column = layout.fields[consent_id]
            consent = reader.coded(known[consent_id], _cell(row, column), r, column)
            if consent is None and not any_answer and len(reader.problems) == before:
                empty += 1
                reader.problem(
                    r, column, WARNING + "empty", "phiếu trống; bỏ qua", "empty submission; skipped"
                )
                continue
            if consent == 0 and not any_answer:
                refused += 1
                reader.problem(
                    r,
                    column,
                    WARNING + "refused-consent",
                    "người được hỏi không đồng ý tham gia; phiếu bỏ qua",
                    "the respondent declined; skipped",
                )
                continue
            if consent is None and len(reader.problems) == before:
                reader.problem(
                    r,
                    column,
                    "missing-consent",
                    "phiếu có câu trả lời nhưng không ghi người được hỏi có đồng ý tham gia hay không",
                    "answers without a recorded consent",
                )
            elif consent == 0:
                reader.problem(
                    r,
                    column,
                    "refused-consent",
                    "người được hỏi không đồng ý tham gia nhưng phiếu vẫn có câu trả lời: không được lưu",
                    "answers recorded although consent was refused",
                    _cell(row, column),
                )
        if not instance:
            reader.problem(
                r,
                instance_column,
                "missing-id",
                "phiếu không có mã (instanceID)",
                "the submission has no instance ID",
            )
        elif instance in seen:
            reader.problem(
                r,
                instance_column,
                "duplicate",
                f"mã phiếu “{instance}” trùng với dòng {seen[instance]}",
                f"instance ID “{instance}” repeats row {seen[instance]}",
                instance,
            )
        else:
            seen[instance] = r
        commune = None
        if commune_id is not None:
            column = layout.fields[commune_id]
            commune = reader.commune(_cell(row, column), r, column)
        answers = {q: reader.coded(known[q], value, r, layout.fields[q]) for q, value in answered.items()}
        demographics: dict[str, Any] = {}
        for d in demographic_ids:
            if d not in layout.fields:
                continue
            column = layout.fields[d]
            question = known[d].demographic
            if question is not None and question.type == "text":
                demographics[d] = cell_text(_cell(row, column)) or None
            else:
                demographics[d] = reader.coded(known[d], _cell(row, column), r, column)
        village = cell_text(_cell(row, layout.fields.get(cluster_id or ""))) if cluster_id else ""
        submitted = None
        if "submitted" in layout.meta:
            submitted = reader.submitted(_cell(row, layout.meta["submitted"]), r, layout.meta["submitted"])
        synthetic = cell_text(_cell(row, layout.meta.get("synthetic"))).lower() in _TRUE
        extra: dict[str, Any] = {
            name: text for name, column in layout.extra.items() if (text := cell_text(_cell(row, column)))
        }
        extra.update(_multiple(row, layout))
        if any(not p.kind.startswith(WARNING) for p in reader.problems[before:]) or commune is None:
            continue
        if village:
            reader.village_warning(commune, village, r, layout.fields[cluster_id or ""])
        kinds.add(synthetic)
        response = SurveyResponse(
            instance, commune, village, submitted, answers, demographics, extra, synthetic
        )
        responses.append(response)
        known_fp = stored.get(instance)
        if known_fp is None:
            new.append(response)
        elif known_fp == response.fingerprint:
            unchanged += 1
        else:
            reader.problem(
                r,
                instance_column,
                "duplicate",
                f"mã phiếu “{instance}” đã được nhập vào đợt này với câu trả lời khác",
                f"instance ID “{instance}” is already stored for this wave with other answers",
                instance,
            )
    synthetic_file = True in kinds
    if len(kinds) > 1:
        reader.problem(
            1,
            layout.meta.get("synthetic", 0),
            "mixed-synthetic",
            "tệp trộn phiếu mô phỏng (synthetic = 1) với phiếu thật; tách thành hai tệp, hai đợt",
            "the file mixes synthetic and real submissions",
        )
    elif wave_synthetic is not None and kinds and synthetic_file != wave_synthetic:
        reader.problem(
            1,
            layout.meta.get("synthetic", 0),
            "mixed-synthetic",
            (
                "đợt này là dữ liệu mô phỏng; không nạp phiếu thật vào đợt mô phỏng"
                if wave_synthetic
                else "đợt này chứa phiếu thật; không nạp dữ liệu mô phỏng vào đợt này"
            ),
            "synthetic and real submissions cannot share a wave",
        )
    errors = [p for p in reader.problems if not p.kind.startswith(WARNING)]
    if errors:
        raise InvalidFile(file, list(errors))
    return ExportReport(
        file,
        sheet.name,
        server,
        rows,
        tuple(responses),
        tuple(new),
        unchanged,
        refused,
        rejected,
        empty,
        tuple(p for p in reader.problems if p.kind.startswith(WARNING)),
        tuple(layout.ignored),
        synthetic_file,
    )


@dataclass(frozen=True)
class SurveyImport:
    """What an import of an export did."""

    wave: str
    report: ExportReport
    saved: SavedResponses | None
    created_wave: bool

    @property
    def added(self) -> int:
        """New responses written."""
        return self.saved.added if self.saved is not None else 0

    @property
    def message(self) -> str:
        """A Vietnamese summary: "3.360 phiếu mới; 0 phiếu đã có" or "0 phiếu mới; …"."""
        r = self.report
        parts = [f"{self.added} phiếu mới", f"{r.unchanged} phiếu đã có, không đổi"]
        if r.refused:
            parts.append(f"{r.refused} phiếu từ chối trả lời (bỏ qua)")
        if r.rejected:
            parts.append(f"{r.rejected} phiếu bị từ chối khi duyệt (bỏ qua)")
        if r.empty:
            parts.append(f"{r.empty} phiếu trống (bỏ qua)")
        text = "; ".join(parts)
        if r.synthetic:
            text = "DỮ LIỆU MÔ PHỎNG — " + text
        return text


def import_export(
    store: Store,
    path: Path | str,
    *,
    wave: str,
    methodology: Methodology | None = None,
    province: str | None = None,
    actor: str = "",
    select_multiple: Collection[str] = (),
) -> SurveyImport:
    """Check an export and store its new submissions in ``wave``: all of them, or nothing.

    The wave is created on its first import, with ``methodology`` (default: the shipped
    CB-HPI methodology) and synthetic when the file's rows say so; ``select_multiple``
    names extra fields exported as space-separated choices. Raises
    :class:`~chiso.errors.InvalidFile` with every problem when any blocks the import.
    """
    path = Path(path)
    province = province or settings.get("CHISO_PROVINCE") or "04"
    existing = get_wave(store, wave)
    if existing is not None:
        used = existing.methodology()
        if methodology is not None and methodology_digest(methodology) != existing.methodology_sha256:
            raise ChisoError(
                f"Đợt {wave} đã dùng phương pháp {existing.methodology_id} {existing.methodology_version} "
                f"(sha256 {existing.methodology_sha256[:12]}…); không đổi phương pháp giữa đợt",
                f"Wave {wave} is scored with another methodology",
            )
        methodology = used
    methodology = methodology or default_methodology()
    areas = store.areas(province)
    if not any(a.is_commune for a in areas):
        from chiso.io.areas_file import bundled_areas

        areas = bundled_areas(province)
    report = read_export(
        path,
        methodology,
        areas,
        province=province,
        stored=response_fingerprints(store, wave) if existing else None,
        wave_synthetic=existing.synthetic if existing else None,
        plans=sample_plans(store, wave) if existing else None,
        select_multiple=select_multiple,
    )
    if not report.new:
        return SurveyImport(wave, report, None, False)
    created = existing is None
    if created:
        create_wave(store, wave, methodology, province=province, synthetic=report.synthetic, actor=actor)
    saved = save_responses(
        store,
        wave,
        report.new,
        file_name=path.name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        unchanged=report.unchanged,
        actor=actor,
    )
    return SurveyImport(wave, report, saved, created)
