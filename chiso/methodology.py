"""A happiness-index methodology as validated data (DESIGN §4).

A methodology file (YAML, UTF-8, NFC) says everything the engine in
:mod:`chiso.happiness` needs and everything a survey form needs: the domains and their
weights, the indicators of each domain with their weights and *sufficiency cut-offs*,
the survey questions each indicator reads and how an answer becomes an *achievement*
in [0, 1], the happiness cut-off ``k``, the aggregation method, the happiness bands and
the demographic questions (commune, village, sex, age, ethnicity, consent).

The default method follows Bhutan's Gross National Happiness Index (Ura, Alkire,
Zangmo and Wangdi, *A Short Guide to Gross National Happiness Index*, Centre for Bhutan
Studies, 2012), itself an application of the Alkire–Foster counting method (Alkire and
Foster, "Counting and multidimensional poverty measurement", *Journal of Public
Economics* 95, 2011).

Answers are coded as a form would store them:

=================  ====================================  =====================================
type               answer                                achievement (default)
=================  ====================================  =====================================
``likert5``        1 … 5                                 (a − 1) / 4; ``reverse``: (5 − a) / 4
``scale10``        0 … 10                                a / 10; ``reverse``: (10 − a) / 10
``yes_no``         1 = có (yes), 0 = không (no)          yes → 1, no → 0; ``reverse`` swaps
``single_choice``  an option ``code``                    the option's ``score`` (``null`` =
                                                         not applicable, the indicator is
                                                         left out for that person)
``number``         a number in [minimum, maximum]        linear between the ``points``
=================  ====================================  =====================================

Anything else (a blank, an out-of-range answer) is *missing* (NaN).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chiso.errors import ChisoError, InvalidFile, Problem
from chiso.resolutions import _MESSAGES_VI
from chiso.targets import _SEP
from chiso.text import nfc
from chiso.yamlfile import read_yaml_mapping

FloatArray = npt.NDArray[np.float64]

_DATA = resources.files("chiso") / "data" / "methodologies"
DEFAULT_METHODOLOGY = "cb-hpi-2026"


def _both(vi: str, en: str) -> str:
    return f"{vi}{_SEP}{en}"


class AnswerType(StrEnum):
    """How a question is answered."""

    LIKERT5 = "likert5"
    SCALE10 = "scale10"
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    NUMBER = "number"


class Method(StrEnum):
    """How person-level results become a commune score.

    ``gnh``: 100 · (1 − H_U · A_U), Bhutan's GNH aggregation (Ura et al. 2012).
    ``mean_score``: 100 × the weighted mean of the achievements (OECD Better Life Index,
    PAPI), for provinces that define their index that way.
    """

    GNH = "gnh"
    MEAN_SCORE = "mean_score"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _nfc(cls, value: Any) -> Any:
        return nfc(value) if isinstance(value, str) else value


_ID = r"^[a-z][a-z0-9_]*$"


class Choice(_Model):
    """One answer of a demographic single-choice question (not scored)."""

    code: int
    label: str = Field(min_length=1)


class Option(Choice):
    """One answer of a scored single-choice question, with its achievement.

    ``score: null`` marks an answer that does not apply to the person ("gia đình không có
    trẻ trong độ tuổi đi học"): the indicator is then left out of that person's share.
    """

    score: float | None = Field(ge=0, le=1)


class Question(_Model):
    """One survey question that feeds an indicator."""

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    type: AnswerType
    labels: tuple[str, ...] = ()
    reverse: bool = False
    options: tuple[Option, ...] = ()
    points: tuple[tuple[float, float], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    help: str = ""

    @model_validator(mode="after")
    def _shape(self) -> Question:
        kind = self.type
        if kind is AnswerType.LIKERT5 and self.labels and len(self.labels) != 5:
            raise ValueError(
                _both("câu hỏi thang 5 mức cần đúng 5 nhãn", "a likert5 question needs 5 labels")
            )
        if kind is AnswerType.SCALE10 and self.labels and len(self.labels) != 2:
            raise ValueError(
                _both("thang 0–10 cần 2 nhãn (hai đầu thang)", "a scale10 question needs 2 labels")
            )
        if kind is AnswerType.SINGLE_CHOICE:
            if not self.options:
                raise ValueError(
                    _both("câu hỏi một lựa chọn cần options", "a single_choice question needs options")
                )
            codes = [o.code for o in self.options]
            if len(set(codes)) != len(codes):
                raise ValueError(_both("mã phương án bị trùng", "duplicate option codes"))
            if all(o.score is None for o in self.options):
                raise ValueError(_both("mọi phương án đều không có điểm", "no option has a score"))
        elif self.options:
            raise ValueError(
                _both("chỉ câu hỏi single_choice mới có options", "only single_choice has options")
            )
        if kind is AnswerType.NUMBER:
            if len(self.points) < 2:
                raise ValueError(
                    _both(
                        "câu hỏi số cần ít nhất 2 điểm quy đổi (points)", "a number question needs 2+ points"
                    )
                )
            xs = [p[0] for p in self.points]
            if any(b <= a for a, b in itertools.pairwise(xs)):
                raise ValueError(_both("points phải tăng dần theo câu trả lời", "points must increase"))
            if any(not 0 <= p[1] <= 1 for p in self.points):
                raise ValueError(
                    _both(
                        "mức đạt được trong points phải trong [0, 1]", "points achievements must be in [0, 1]"
                    )
                )
            if self.minimum is not None and self.maximum is not None and self.minimum >= self.maximum:
                raise ValueError(_both("minimum phải nhỏ hơn maximum", "minimum must be below maximum"))
        elif self.points:
            raise ValueError(_both("chỉ câu hỏi number mới có points", "only number questions have points"))
        if self.reverse and kind in (AnswerType.SINGLE_CHOICE, AnswerType.NUMBER):
            raise ValueError(_both("reverse không dùng cho loại câu hỏi này", "reverse does not apply here"))
        return self

    def codes(self) -> tuple[tuple[int, float], ...]:
        """For a question with coded answers, each valid code and its achievement (NaN = n/a)."""
        if self.type is AnswerType.LIKERT5:
            pairs = [(c, (c - 1) / 4) for c in range(1, 6)]
        elif self.type is AnswerType.SCALE10:
            pairs = [(c, c / 10) for c in range(11)]
        elif self.type is AnswerType.YES_NO:
            pairs = [(0, 0.0), (1, 1.0)]
        elif self.type is AnswerType.SINGLE_CHOICE:
            return tuple((o.code, np.nan if o.score is None else o.score) for o in self.options)
        else:
            return ()
        return tuple((c, 1.0 - s) if self.reverse else (c, s) for c, s in pairs)

    def achievement(self, answers: npt.ArrayLike) -> FloatArray:
        """Map coded answers to achievements in [0, 1]; missing or invalid answers give NaN."""
        a = np.asarray(answers)
        if self.type is AnswerType.NUMBER:
            a = a.astype(np.float64, copy=False)
            xs = np.array([p[0] for p in self.points])
            ys = np.array([p[1] for p in self.points])
            low = -np.inf if self.minimum is None else self.minimum
            high = np.inf if self.maximum is None else self.maximum
            with np.errstate(invalid="ignore"):
                ok = np.isfinite(a) & (a >= low) & (a <= high)
            return np.where(ok, np.interp(np.where(ok, a, xs[0]), xs, ys), np.nan)
        # Coded answers: one table look-up, whatever the number of codes.
        pairs = self.codes()
        lowest, highest = min(c for c, _ in pairs), max(c for c, _ in pairs)
        if a.dtype in (np.int8, np.uint8):
            # One-byte codes (how a form's answers are best stored): a 256-entry table.
            small = np.full(256, np.nan)
            for code, score in pairs:
                if (-128 if a.dtype == np.int8 else 0) <= code <= (127 if a.dtype == np.int8 else 255):
                    small[code % 256] = score
            return np.asarray(small[a.view(np.uint8)], dtype=np.float64)
        table = np.full(highest - lowest + 2, np.nan)  # the last slot stands for "not a code"
        for code, score in pairs:
            table[code - lowest] = score
        if np.issubdtype(a.dtype, np.integer):
            index = a.astype(np.intp) - lowest
        else:
            a = a.astype(np.float64, copy=False)
            with np.errstate(invalid="ignore"):
                whole = np.isfinite(a) & (a == np.floor(a)) & (a >= lowest) & (a <= highest)
            index = np.where(whole, a, highest + 1).astype(np.intp) - lowest
        index = np.where((index < 0) | (index > highest - lowest), highest - lowest + 1, index)
        return np.asarray(table[index], dtype=np.float64)


class Indicator(_Model):
    """One indicator: the question(s) it reads, its weight in the domain and its cut-off.

    A person is *sufficient* in the indicator when the achievement is at least ``cutoff``.
    With several questions the achievements combine by ``combine`` (``mean``, ``min`` —
    every question must be satisfied — or ``max``).
    """

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    questions: tuple[str, ...] = Field(min_length=1)
    combine: Literal["mean", "min", "max"] = "mean"
    cutoff: float = Field(ge=0, le=1)
    weight: float = Field(default=1.0, gt=0)
    rationale: str = ""
    cutoff_source: str = ""


class Domain(_Model):
    """A domain of the index with its weight and indicators."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    rationale: str = ""


class Band(_Model):
    """A happiness band: people whose sufficiency share S is at least ``lower``."""

    code: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    lower: float = Field(ge=0, le=1)


class Reporting(_Model):
    """Rules for publishing a commune's score."""

    min_responses: int = Field(default=30, ge=1)
    min_clusters: int = Field(default=5, ge=2)
    target_score: float = Field(default=90, ge=0, le=100)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    min_answered_share: float = Field(default=0.8, gt=0, le=1)


class DemographicQuestion(_Model):
    """A question about the respondent (not scored): commune, village, sex, age, …"""

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    type: Literal["area_code", "text", "single_choice", "number", "yes_no"]
    role: Literal["commune", "cluster", "sex", "age", "ethnicity", "consent", "other"] = "other"
    options: tuple[Choice, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = True
    help: str = ""


GNH_BANDS = (
    Band(code="unhappy", label="Chưa hạnh phúc", lower=0.0),
    Band(code="narrowly_happy", label="Hạnh phúc ở mức hẹp", lower=0.50),
    Band(code="extensively_happy", label="Hạnh phúc ở mức rộng", lower=0.66),
    Band(code="deeply_happy", label="Hạnh phúc sâu sắc", lower=0.77),
)


class Methodology(_Model):
    """A whole methodology file."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str = Field(min_length=1)
    status: Literal["proposal", "adopted"] = "proposal"
    version: str = "1"
    description: str = ""
    sources: tuple[str, ...] = ()
    method: Method = Method.GNH
    happiness_cutoff: float = Field(default=0.66, gt=0, le=1)
    bands: tuple[Band, ...] = GNH_BANDS
    reporting: Reporting = Reporting()
    demographics: tuple[DemographicQuestion, ...] = ()
    domains: tuple[Domain, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    @field_validator("bands")
    @classmethod
    def _bands(cls, bands: tuple[Band, ...]) -> tuple[Band, ...]:
        lowers = [b.lower for b in bands]
        if not bands or lowers[0] != 0 or any(b <= a for a, b in itertools.pairwise(lowers)):
            raise ValueError(
                _both(
                    "các mức phải bắt đầu từ 0 và tăng dần",
                    "bands must start at 0 and increase",
                )
            )
        return bands

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in file order."""
        return tuple(i for d in self.domains for i in d.indicators)

    @property
    def indicator_domains(self) -> tuple[str, ...]:
        """The domain id of each indicator, aligned with :attr:`indicators`."""
        return tuple(d.id for d in self.domains for _ in d.indicators)

    def question(self, question_id: str) -> Question:
        """The scored question with id ``question_id``."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def indicator_weights(
        self, scheme: Literal["file", "equal_domains", "equal_indicators"] = "file"
    ) -> FloatArray:
        """Each indicator's weight in the index, summing to 1.

        ``file``: the domain weight (normalised over domains) times the indicator weight
        (normalised within its domain); ``equal_domains``: every domain equal, indicators
        equal within it; ``equal_indicators``: every indicator equal.
        """
        weights: list[float] = []
        domain_total = sum(d.weight for d in self.domains)
        for d in self.domains:
            inner = sum(i.weight for i in d.indicators)
            for i in d.indicators:
                if scheme == "file":
                    weights.append(d.weight / domain_total * i.weight / inner)
                elif scheme == "equal_domains":
                    weights.append(1 / len(self.domains) / len(d.indicators))
                else:
                    weights.append(1.0)
        w = np.array(weights)
        return np.asarray(w / w.sum(), dtype=np.float64)

    @property
    def cutoffs(self) -> FloatArray:
        """Each indicator's sufficiency cut-off, aligned with :attr:`indicators`."""
        return np.array([i.cutoff for i in self.indicators], dtype=np.float64)

    def achievements(self, answers: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """The n × d achievement matrix (NaN = not answered) from coded answers by question id."""
        missing = sorted({q for i in self.indicators for q in i.questions} - set(answers))
        if missing:
            raise MissingAnswers(missing)
        lengths = {np.shape(answers[q]) for i in self.indicators for q in i.questions}
        if len(lengths) > 1 or any(len(s) != 1 for s in lengths):
            raise ValueError("answers must be 1-D arrays of one length / số câu trả lời không khớp nhau")
        n = next(iter(lengths))[0]
        # Column-major: the engine reads one indicator (column) at a time.
        out = np.empty((n, len(self.indicators)), order="F")
        for j, indicator in enumerate(self.indicators):
            parts = [self.question(q).achievement(answers[q]) for q in indicator.questions]
            out[:, j] = _combine(parts, indicator.combine)
        return out


def _combine(parts: Sequence[FloatArray], how: str) -> FloatArray:
    if len(parts) == 1:
        return parts[0]
    stack = np.vstack(parts)
    if how == "min":
        return np.asarray(np.fmin.reduce(stack, axis=0), dtype=np.float64)
    if how == "max":
        return np.asarray(np.fmax.reduce(stack, axis=0), dtype=np.float64)
    answered = ~np.isnan(stack)
    count = answered.sum(axis=0)
    total = np.where(answered, stack, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(count > 0, total / np.maximum(count, 1), np.nan), dtype=np.float64)


class MissingAnswers(ChisoError):
    """The answers lack a question the methodology scores."""

    status = 400

    def __init__(self, question_ids: Sequence[str]) -> None:
        listed = ", ".join(question_ids)
        super().__init__(f"Thiếu câu trả lời cho câu hỏi: {listed}", f"No answers for question(s): {listed}")
        self.question_ids = tuple(question_ids)


# --------------------------------------------------------------------------------------
# Loading, with every problem located in the file
# --------------------------------------------------------------------------------------

_NOUNS = {
    "domains": ("lĩnh vực", "id"),
    "indicators": ("chỉ số", "id"),
    "questions": ("câu hỏi", "id"),
    "demographics": ("câu hỏi nhân khẩu", "id"),
    "bands": ("mức", "code"),
    "options": ("phương án", "code"),
}


def _locate(loc: Sequence[int | str], raw: Any) -> str:
    """Words for a location.

    ``lĩnh vực opportunity (domains[3]), chỉ số jobs (indicators[0]), trường cutoff``.
    """
    parts: list[str] = []
    node = raw
    rest: list[str] = []
    items = list(loc)
    index = 0
    while index < len(items):
        key = items[index]
        nxt = items[index + 1] if index + 1 < len(items) else None
        if isinstance(key, str) and key in _NOUNS and isinstance(nxt, int) and not rest:
            noun, id_key = _NOUNS[key]
            seq = node.get(key) if isinstance(node, Mapping) else None
            item = seq[nxt] if isinstance(seq, list) and 0 <= nxt < len(seq) else None
            name = item.get(id_key) if isinstance(item, Mapping) else None
            parts.append(f"{noun} {name if name is not None else '?'} ({key}[{nxt}])")
            node = item
            index += 2
            continue
        rest.append(str(key))
        index += 1
    if rest:
        parts.append("trường " + ".".join(rest))
    return ", ".join(parts) if parts else "tệp"


def _validation_problems(file: str, exc: ValidationError, raw: Any) -> list[Problem]:
    problems = []
    for error in exc.errors():
        message = str(error.get("msg", ""))
        if error["type"] == "value_error" and _SEP in message:
            vi, en = message.removeprefix("Value error, ").split(_SEP, 1)
        else:
            vi = _MESSAGES_VI.get(error["type"], message)
            en = message
            if error["type"] in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
                vi = {
                    "greater_than": "phải lớn hơn",
                    "greater_than_equal": "phải lớn hơn hoặc bằng",
                    "less_than": "phải nhỏ hơn",
                    "less_than_equal": "phải nhỏ hơn hoặc bằng",
                }[error["type"]]
                vi += " " + str(next(iter((error.get("ctx") or {}).values()), ""))
            if error["type"] != "missing" and "input" in error:
                vi += f" (đang là: {error['input']!r})"
        loc = tuple(
            p for p in error["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))
        )
        problems.append(Problem(file, _locate(loc, raw), vi, en))
    return problems


def _cross_problems(file: str, m: Methodology) -> list[Problem]:
    """References and uniqueness, which a single model cannot see."""
    problems: list[Problem] = []
    scored = {q.id for q in m.questions}
    used: set[str] = set()
    seen_ids: dict[str, str] = {}

    def unique(kind: str, ident: str, where: str) -> None:
        if ident in seen_ids:
            problems.append(
                Problem(
                    file, where, f"mã “{ident}” bị trùng", f"duplicate id “{ident}” ({kind})", "duplicate"
                )
            )
        seen_ids[ident] = kind

    for di, domain in enumerate(m.domains):
        dwhere = f"lĩnh vực {domain.id} (domains[{di}])"
        unique("domain", domain.id, dwhere)
        for ii, indicator in enumerate(domain.indicators):
            iwhere = f"{dwhere}, chỉ số {indicator.id} (indicators[{ii}])"
            unique("indicator", indicator.id, iwhere)
            for ref in indicator.questions:
                used.add(ref)
                if ref not in scored:
                    problems.append(
                        Problem(
                            file,
                            iwhere + ", trường questions",
                            f"câu hỏi “{ref}” không có trong questions",
                            f"question “{ref}” is not declared in questions",
                            "unknown-question",
                        )
                    )
    for qi, q in enumerate(m.questions):
        where = f"câu hỏi {q.id} (questions[{qi}])"
        unique("question", q.id, where)
        if q.id not in used:
            problems.append(
                Problem(
                    file,
                    where,
                    "câu hỏi không được chỉ số nào dùng (bỏ đi cho phiếu ngắn hơn)",
                    "no indicator reads this question",
                    "unused-question",
                )
            )
    roles: dict[str, str] = {}
    for qi, dq in enumerate(m.demographics):
        where = f"câu hỏi nhân khẩu {dq.id} (demographics[{qi}])"
        unique("demographic", dq.id, where)
        if dq.role != "other" and dq.role in roles:
            problems.append(
                Problem(file, where + ", trường role", f"vai trò “{dq.role}” bị trùng", "duplicate role")
            )
        roles[dq.role] = dq.id
    if m.demographics and "commune" not in roles:
        problems.append(
            Problem(
                file,
                "demographics",
                "cần một câu hỏi nhân khẩu có role: commune (mã xã)",
                "a demographic question with role commune is required",
            )
        )
    return problems


def _raw_reference_problems(file: str, raw: Mapping[str, Any]) -> list[Problem]:
    """Unknown questions, read from the raw file when the schema check already failed."""
    problems: list[Problem] = []
    questions = raw.get("questions")
    declared = (
        {q.get("id") for q in questions if isinstance(q, Mapping)} if isinstance(questions, list) else set()
    )
    domains = raw.get("domains")
    for di, domain in enumerate(domains if isinstance(domains, list) else []):
        if not isinstance(domain, Mapping):
            continue
        indicators = domain.get("indicators")
        for ii, indicator in enumerate(indicators if isinstance(indicators, list) else []):
            refs = indicator.get("questions") if isinstance(indicator, Mapping) else None
            for q in refs if isinstance(refs, list) else []:
                if isinstance(q, str) and q not in declared:
                    where = _locate(("domains", di, "indicators", ii, "questions"), raw)
                    problems.append(
                        Problem(
                            file,
                            where,
                            f"câu hỏi “{q}” không có trong questions",
                            f"question “{q}” is not declared in questions",
                            "unknown-question",
                        )
                    )
    return problems


def load_methodology(path: Path | str) -> Methodology:
    """Load and validate a methodology file.

    Raises :class:`~chiso.errors.InvalidFile` listing every problem, each naming the
    domain, indicator or question and the field, in Vietnamese and English.
    """
    file = str(path)
    raw = read_yaml_mapping(path)
    try:
        methodology = Methodology.model_validate(raw)
    except ValidationError as exc:
        raise InvalidFile(
            file, _validation_problems(file, exc, raw) + _raw_reference_problems(file, raw)
        ) from None
    problems = _cross_problems(file, methodology)
    if problems:
        raise InvalidFile(file, problems)
    return methodology


def bundled_methodologies() -> dict[str, Path]:
    """The methodology files shipped with chiso, by file stem."""
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in _DATA.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    }


def default_methodology() -> Methodology:
    """The shipped CB-HPI 2026 methodology — a proposal for the province to adopt or change."""
    return load_methodology(bundled_methodologies()[DEFAULT_METHODOLOGY])
