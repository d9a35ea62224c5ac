"""The CB-HPI questionnaire as an XLSForm, generated from a methodology (DESIGN §4).

An XLSForm is the spreadsheet form definition that ODK Collect, ODK Central, KoboToolbox
and Enketo read (https://xlsform.org): a ``survey`` sheet of questions, a ``choices``
sheet of answer lists and a ``settings`` sheet. The form written here is what a
province's interviewers load on their phones:

1. consent first; every other question is ``relevant`` only when consent is "Có";
2. the respondent: commune (a ``select_one`` over the province's communes, their
   official codes as the stored values), village (free text: the cluster), sex, age,
   ethnicity — the methodology's demographic questions, in its order;
3. one group per domain, with the scored questions of its indicators, typed from the
   methodology: ``likert5`` and ``scale10`` as ``select_one`` lists coded 1–5 and 0–10,
   ``yes_no`` as 1 = Có / 0 = Không, ``single_choice`` with the option codes,
   ``number`` as ``integer`` (or ``decimal``) with a range constraint.

Labels are Vietnamese (``label::Tiếng Việt (vi)``); ``form_id`` and ``version`` come from
the methodology, so an export says which methodology its answers follow. The names of
the questions are the methodology's ids, so :mod:`chiso.io.odk` reads an export back
without a mapping table; :func:`field_paths` gives the group path of every field
(``respondent/commune``, ``opportunity/q14``) as the exports write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from chiso.areas import Area
from chiso.methodology import AnswerType, DemographicQuestion, Methodology, Question

LANGUAGE = "Tiếng Việt (vi)"
LABEL = f"label::{LANGUAGE}"
HINT = f"hint::{LANGUAGE}"
CONSTRAINT_MESSAGE = f"constraint_message::{LANGUAGE}"
RESPONDENT_GROUP = "respondent"
COMMUNE_LIST = "communes"
YES_NO_LIST = "yes_no"

SURVEY_COLUMNS = (
    "type",
    "name",
    LABEL,
    HINT,
    "required",
    "relevant",
    "constraint",
    CONSTRAINT_MESSAGE,
    "appearance",
)
CHOICE_COLUMNS = ("list_name", "name", LABEL)
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language", "instance_name")

_YES_NO = ((1, "Có"), (0, "Không"))
_LIKERT_DEFAULT = ("Rất thấp", "Thấp", "Trung bình", "Cao", "Rất cao")

Row = dict[str, str]


def _role(methodology: Methodology, role: str) -> DemographicQuestion | None:
    return next((d for d in methodology.demographics if d.role == role), None)


def _question_domains(methodology: Methodology) -> dict[str, str]:
    """Each scored question's domain: that of the first indicator that reads it."""
    domains: dict[str, str] = {}
    for domain in methodology.domains:
        for indicator in domain.indicators:
            for q in indicator.questions:
                domains.setdefault(q, domain.id)
    return domains


def field_paths(methodology: Methodology) -> dict[str, str]:
    """Every field of the form and its path in an export: ``{"q14": "opportunity/q14", …}``.

    Consent stays at the top level; the other demographic questions are in the group
    ``respondent``; scored questions in the group of their domain.
    """
    consent = _role(methodology, "consent")
    paths = {
        d.id: d.id if consent is not None and d.id == consent.id else f"{RESPONDENT_GROUP}/{d.id}"
        for d in methodology.demographics
    }
    domains = _question_domains(methodology)
    paths.update({q.id: f"{domains[q.id]}/{q.id}" for q in methodology.questions})
    return paths


def _number_type(*values: float | None) -> str:
    known = [v for v in values if v is not None]
    return "integer" if all(float(v).is_integer() for v in known) else "decimal"


def _fmt(value: float) -> str:
    return f"{value:g}"


def _range(minimum: float | None, maximum: float | None, unit: str = "") -> tuple[str, str]:
    """A constraint and its message for a number in [minimum, maximum]."""
    parts = []
    if minimum is not None:
        parts.append(f". >= {_fmt(minimum)}")
    if maximum is not None:
        parts.append(f". <= {_fmt(maximum)}")
    if not parts:
        return "", ""
    suffix = f" {unit}" if unit else ""
    if minimum is not None and maximum is not None:
        message = f"Nhập một số từ {_fmt(minimum)} đến {_fmt(maximum)}{suffix}."
    elif minimum is not None:
        message = f"Nhập một số không nhỏ hơn {_fmt(minimum)}{suffix}."
    else:
        message = f"Nhập một số không lớn hơn {_fmt(maximum or 0)}{suffix}."
    return " and ".join(parts), message


class _Builder:
    """Collects the rows of the three sheets; identical answer lists are written once."""

    def __init__(self) -> None:
        self.survey: list[Row] = []
        self.choices: list[Row] = []
        self._lists: dict[tuple[tuple[str, str], ...], str] = {}
        self._names: set[str] = set()

    def choice_list(self, preferred: str, items: Sequence[tuple[int | str, str]]) -> str:
        """The name of a list with these (code, label) items, added if new."""
        key = tuple((str(code), label) for code, label in items)
        if key in self._lists:
            return self._lists[key]
        name, n = preferred, 1
        while name in self._names:
            n += 1
            name = f"{preferred}_{n}"
        self._names.add(name)
        self._lists[key] = name
        self.choices.extend({"list_name": name, "name": code, LABEL: label} for code, label in key)
        return name

    def row(self, kind: str, name: str, label: str = "", **more: str) -> None:
        """One survey row; ``more`` uses the column names without the language suffix."""
        row: Row = {"type": kind, "name": name}
        if label:
            row[LABEL] = label
        for key, value in more.items():
            if value:
                column = {"hint": HINT, "constraint_message": CONSTRAINT_MESSAGE}.get(key, key)
                row[column] = value
        self.survey.append(row)


def _scored_row(b: _Builder, q: Question) -> None:
    hint = q.help
    if q.type is AnswerType.LIKERT5:
        labels = q.labels or _LIKERT_DEFAULT
        name = b.choice_list("likert5", [(i + 1, label) for i, label in enumerate(labels)])
        b.row(f"select_one {name}", q.id, q.text, hint=hint, required="yes", appearance="likert")
    elif q.type is AnswerType.SCALE10:
        low, high = q.labels or ("", "")
        items = [(i, str(i)) for i in range(11)]
        items[0] = (0, f"0 – {low}" if low else "0")
        items[10] = (10, f"10 – {high}" if high else "10")
        name = b.choice_list("scale10", items)
        b.row(f"select_one {name}", q.id, q.text, hint=hint, required="yes")
    elif q.type is AnswerType.YES_NO:
        name = b.choice_list(YES_NO_LIST, _YES_NO)
        b.row(f"select_one {name}", q.id, q.text, hint=hint, required="yes")
    elif q.type is AnswerType.SINGLE_CHOICE:
        name = b.choice_list(q.id, [(o.code, o.label) for o in q.options])
        b.row(f"select_one {name}", q.id, q.text, hint=hint, required="yes")
    else:
        constraint, message = _range(q.minimum, q.maximum, q.unit)
        unit_hint = f"Đơn vị: {q.unit}." if q.unit else ""
        b.row(
            _number_type(q.minimum, q.maximum, *(p[0] for p in q.points)),
            q.id,
            q.text,
            hint=" ".join(h for h in (hint, unit_hint) if h),
            required="yes",
            constraint=constraint,
            constraint_message=message,
        )


def _demographic_row(b: _Builder, d: DemographicQuestion, communes: Sequence[Area]) -> None:
    required = "yes" if d.required else ""
    if d.type == "area_code":
        name = b.choice_list(COMMUNE_LIST, [(a.code, a.name) for a in communes])
        b.row(f"select_one {name}", d.id, d.text, hint=d.help, required=required, appearance="minimal")
    elif d.type == "text":
        b.row("text", d.id, d.text, hint=d.help, required=required)
    elif d.type == "yes_no":
        name = b.choice_list(YES_NO_LIST, _YES_NO)
        b.row(f"select_one {name}", d.id, d.text, hint=d.help, required=required)
    elif d.type == "single_choice":
        name = b.choice_list(d.id, [(o.code, o.label) for o in d.options])
        b.row(f"select_one {name}", d.id, d.text, hint=d.help, required=required)
    else:
        constraint, message = _range(d.minimum, d.maximum)
        b.row(
            _number_type(d.minimum, d.maximum),
            d.id,
            d.text,
            hint=d.help,
            required=required,
            constraint=constraint,
            constraint_message=message,
        )


def build_xlsform(methodology: Methodology, *, areas: Sequence[Area]) -> dict[str, list[Row]]:
    """The three sheets of the form as rows of {column: value}, ready to write or convert."""
    communes = sorted((a for a in areas if a.is_commune), key=lambda a: a.code)
    b = _Builder()
    b.row("start", "start")
    b.row("end", "end")
    b.row(
        "note",
        "intro",
        f"{methodology.title}. Phiếu gồm {len(methodology.questions)} câu hỏi về cuộc sống của "
        "ông/bà, trả lời trong khoảng 10 phút. Không có câu trả lời đúng hay sai.",
    )
    consent = _role(methodology, "consent")
    relevant = ""
    if consent is not None:
        yes_no = b.choice_list(YES_NO_LIST, _YES_NO)
        b.row(f"select_one {yes_no}", consent.id, consent.text, hint=consent.help, required="yes")
        relevant = f"${{{consent.id}}} = 1"
        b.row(
            "note",
            "refused",
            "Cảm ơn ông/bà. Phiếu kết thúc tại đây; xin bấm Lưu và gửi phiếu.",
            relevant=f"${{{consent.id}}} = 0",
        )
    others = [d for d in methodology.demographics if consent is None or d.id != consent.id]
    if others:
        b.row("begin_group", RESPONDENT_GROUP, "Thông tin người trả lời", relevant=relevant)
        for d in others:
            _demographic_row(b, d, communes)
        b.row("end_group", RESPONDENT_GROUP)
    domains = _question_domains(methodology)
    for domain in methodology.domains:
        b.row("begin_group", domain.id, domain.name, relevant=relevant)
        for q in methodology.questions:
            if domains[q.id] == domain.id:
                _scored_row(b, q)
        b.row("end_group", domain.id)
    commune = _role(methodology, "commune")
    cluster = _role(methodology, "cluster")
    instance_name = ""
    if commune is not None and cluster is not None:
        instance_name = f"concat(${{{commune.id}}}, ' – ', ${{{cluster.id}}})"
    settings = {
        "form_title": methodology.title,
        "form_id": methodology.id,
        "version": methodology.version,
        "default_language": LANGUAGE,
        "instance_name": instance_name,
    }
    return {"survey": b.survey, "choices": b.choices, "settings": [settings]}


def write_xlsform(methodology: Methodology, path: Path | str, *, areas: Sequence[Area]) -> Path:
    """Write the questionnaire of ``methodology`` as an XLSForm workbook at ``path``.

    ``areas`` are the province's units; its communes become the commune list (official
    codes as values, names as labels).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    sheets = build_xlsform(methodology, areas=areas)
    columns = {"survey": SURVEY_COLUMNS, "choices": CHOICE_COLUMNS, "settings": SETTINGS_COLUMNS}
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        header = columns[name]
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) or None for c in header])
        sheet.freeze_panes = "A2"
    path = Path(path)
    workbook.save(path)
    return path
