"""Parsing one clause of folded text into targets: values, units, comparators, kinds, years.

Everything here reads the folded, repaired shadow ("den nam 2030, ti le xa dat chuan nong
thon moi dat tren 35,84% (19/53 xa)"), so one set of regular expressions serves text with
diacritics, without them, and from OCR. Offsets are local to the clause.

A clause may state several targets ("… chiếm trên 80%, nông lâm nghiệp dưới 15%"): it
is cut after each target value at the next ",", "và", "trong đó". A rank shared by a
list of indices ("PAR Index, DTI nằm trong nhóm 25 tỉnh") gives one target per index.
A quantity that qualifies another is not a target of its own: "từ 90 điểm trở lên" after
"90% xã" is the condition each commune must meet, "(19/53 xã)" restates a share.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from chiso.indicators import Direction
from chiso.numbers import NotANumber, parse_number
from chiso.targets import Comparator, TargetKind

# Provinces and centrally-run cities since 1 July 2025, for "in the top N nationwide".
PROVINCES_NATIONWIDE = 34

NUMBER = r"\d+(?:[.,]\d+)*"
_YEAR = r"(?:19|20)\d\d"

# Units after a number: (pattern on folded text, label written in drafts).
_UNITS: list[tuple[str, str]] = [
    (r"%\s*/\s*nam", "%/năm"),
    (r"%", "%"),
    (r"trieu dong\s*/\s*nguoi\s*/\s*nam", "triệu đồng/người/năm"),
    (r"trieu dong\s*/\s*nguoi", "triệu đồng/người"),
    (r"trieu dong", "triệu đồng"),
    (r"(?:ty|ti) dong", "tỷ đồng"),
    (r"trieu usd", "triệu USD"),
    (r"(?:ty|ti) usd", "tỷ USD"),
    (r"usd", "USD"),
    (r"diem", "điểm"),
    (r"dang vien", "đảng viên"),
    (r"giuong(?: benh)?", "giường"),
    (r"benh vien", "bệnh viện"),
    (r"luot (?:khach|nguoi)", "lượt khách"),
    (r"xa", "xã"),
    (r"nguoi", "người"),
    (r"ho", "hộ"),
    (r"lao dong", "lao động"),
    (r"km", "km"),
    (r"ha", "ha"),
    (r"tan", "tấn"),
    (r"tuoi", "tuổi"),
    (r"bac si", "bác sĩ"),
    (r"truong", "trường"),
]
_UNIT_RE = [(re.compile(rf"\s*({pattern})(?![a-z])"), label) for pattern, label in _UNITS]
_FACILITIES = {"bệnh viện", "trường"}  # counted in milestones, not targets on their own
_QUANTITY = re.compile(
    rf"(?<![\w.,/])(?P<low>{NUMBER})(?![\w/]|[.,]\d)"
    rf"(?:(?P<lowpct>\s*%)?\s*(?:-|den|toi)\s*(?P<high>{NUMBER})(?![\w/]|[.,]\d))?"
)
# A count ("1.500 đảng viên", "19 xã") is a target only after a word that sets it.
_COUNT_CUE = re.compile(
    r"\b(?:dat|tren|duoi|tu|it nhat|toi thieu|toi da|khong qua|khoang|them|moi|co|ket nap|dao tao|"
    r"tang|giam|len|xuong|con|hon|vuot|bang|xay dung|thu hut|don)\s*$"
)
_MONEY = ("triệu", "tỷ", "USD")
_FRACTION = re.compile(r"(?<![\w.,/])(\d{1,4})\s*/\s*(\d{1,4})(?![\d/])")
_RANK = re.compile(
    r"\b(?:(?:nam|dung|thuoc|vao)\s+)?(?:trong\s+)?(?:nhom|top)\s+(?:dau\s+)?(\d{1,2})(?!\d)"
    r"(?:\s+(?:tinh|dia phuong))?"
)
_PERIOD = re.compile(
    rf"(?:(?:giai doan|nhiem ky|thoi ky|ke hoach|moi)\s+)?(?:\d\s+nam\s+)?({_YEAR})\s*-\s*({_YEAR})(?!\d)"
)
_AFTER_YEAR = re.compile(rf"\bsau\s+nam\s+({_YEAR})\b")
_BASE_YEAR = re.compile(rf"\bso\s+voi\s+(?:(?:cuoi|dau)\s+)?(?:nam|ky|nhiem ky)?\s*({_YEAR})\b")
_DEADLINE = re.compile(rf"\b(?:(?:den|toi|vao|truoc|trong)\s+)?nam\s+({_YEAR})\b")
_BARE_YEAR = re.compile(rf"(?<![\d.,])({_YEAR})(?![\d.,]|\s*%)")

_GE_BEFORE = re.compile(r"(?:khong thap hon|khong duoi|toi thieu|it nhat|tu)\s+(?:(?:la|muc|bang)\s+)?$")
_GT_BEFORE = re.compile(r"(?:tren|hon|vuot|cao hon)\s+(?:muc\s+)?$")
_LE_BEFORE = re.compile(r"(?:toi da|khong qua|khong vuot qua|khong cao hon|khong vuot)\s+(?:muc\s+)?$")
_LT_BEFORE = re.compile(r"(?:duoi|thap hon)\s+(?:muc\s+)?$")
_GE_AFTER = re.compile(r"^\s*(?:tro len|tro len tren)\b")
_LE_AFTER = re.compile(r"^\s*tro xuong\b")

_SEPARATOR = re.compile(r",\s*|;\s*|\s+va\s+|\s+trong do\b|\s+dong thoi\b")
_EVERY_YEAR = re.compile(r"\b(?:hang nam|moi nam|tung nam|hang nam deu)\b")
_AVERAGE = re.compile(r"\bbinh quan\b(?!\s+dau\s+nguoi)")
_RATE_SUBJECT = re.compile(r"\b(?:ti|ty)\s+(?:le|trong)\b")
_VERB = re.compile(r"\b(giam|tang)(?:\s+truong)?\b")
_LEVEL_VERB = re.compile(r"\b(?:giam|tang)\s+(?:xuong|con|len)\b")
_SHARE_NOUN = re.compile(
    r"^(?:so\s+|cac\s+)?(?:xa|don vi hanh chinh cap xa|don vi cap xa|xa,\s*phuong|thon|xom|to dan pho)\b"
)
_SHARE_SUBJECT = re.compile(r"\b(?:ti|ty)\s+le\s+(?:so\s+)?(?:xa|don vi hanh chinh)\b")
_MILESTONE = re.compile(
    r"^(?:[^,;]{0,40},\s*)?(?:phan dau\s+)?"
    r"(?:xay dung moi|dau tu xay dung(?:\s+moi)?|xay dung|hoan thanh(?:\s+xay dung|\s+dau tu)?|"
    r"khoi cong|dua vao su dung|thanh lap)\s+(?:(?:moi|them)\s+)?(?:0?\d{1,2}|mot|hai|ba)\s+"
    r"(?:benh vien|truong|nha may|cau|trung tam|khu|cum|cong trinh|du an|san bay|cang|sieu thi|cho)\b"
)
_NATIONWIDE = re.compile(r"\bca nuoc\b|\btinh,\s*thanh pho\b|\btoan quoc\b")
_FILLER = re.compile(
    r"\b(?:phan dau|bao dam|dam bao|dong thoi|trong do|den nam|dat|tren|duoi|tu|toi thieu|"
    r"it nhat|tro len|tro xuong|muc|khong thap hon|khong duoi|toi da|khong qua)\b"
)


@dataclass(frozen=True)
class Quantity:
    """A number (or range) with its unit, as found in a clause.

    ``noun`` is what follows the unit, e.g. "so xa" in "80% số xã" or "grdp" in
    "10% GRDP": it tells a share of communes or of GRDP from a plain percentage.
    """

    start: int
    end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    noun: str = ""
    rank: bool = False

    @property
    def is_range(self) -> bool:
        """True for "75 – 80"-style ranges."""
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class ParsedTarget:
    """One target read from a clause; offsets ``start:end`` are local to the clause."""

    start: int
    end: int
    kind: TargetKind
    comparator: Comparator | None
    value: float | None
    low: float | None
    high: float | None
    unit: str
    year: int
    first_year: int | None = None
    base_period: int | None = None
    change: Direction | None = None
    out_of: int | None = None
    condition: tuple[Comparator, float] | None = None
    eligible_types: tuple[str, ...] = ()
    eligible_border: bool | None = None
    fraction: tuple[int, int] | None = None
    quantities: tuple[Quantity, ...] = ()
    subject: str = ""
    context: str = ""
    sibling: bool = False  # one of several indices sharing a rank ("PAR Index, DTI …")


def read_number(text: str) -> float | None:
    """A number written the Vietnamese way ("1.500", "35,84", "01"); ``None`` if it is not."""
    try:
        return parse_number(text)
    except NotANumber:
        return None


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for a, b in spans:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass
class _Years:
    deadline: int | None = None
    period: tuple[int, int] | None = None
    base: int | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


def find_years(text: str) -> _Years:
    """Deadlines ("đến năm 2030"), periods ("giai đoạn 2026 – 2030") and bases ("so với năm 2025")."""
    years = _Years()
    for match in _AFTER_YEAR.finditer(text):
        years.spans.append(match.span())
    for match in _BASE_YEAR.finditer(text):
        years.base = int(match.group(1))
        years.spans.append(match.span())
    for match in _PERIOD.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if start < end and not _inside(match.start(), years.spans):
            years.period = years.period or (start, end)
            years.spans.append(match.span())
    for match in _DEADLINE.finditer(text):
        if not _inside(match.start(1), years.spans):
            years.deadline = years.deadline or int(match.group(1))
            years.spans.append(match.span())
    for match in _BARE_YEAR.finditer(text):
        if not _inside(match.start(), years.spans):
            years.spans.append(match.span())
    return years


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


def find_quantities(text: str) -> list[Quantity]:
    """Every number with its unit in folded ``text`` (years and fractions excepted).

    Never raises: text that holds no readable quantity gives an empty list.
    """
    years = find_years(text)
    masked = _mask(text, years.spans + [m.span() for m in _FRACTION.finditer(text)])
    quantities: list[Quantity] = []
    for match in _RANK.finditer(masked):
        quantities.append(
            Quantity(match.start(1), match.end(1), float(match.group(1)), unit="hạng", rank=True)
        )
    masked = _mask(masked, [(q.start, q.end) for q in quantities])
    for match in _QUANTITY.finditer(masked):
        low = read_number(match.group("low"))
        high = read_number(match.group("high")) if match.group("high") else None
        if low is None:
            continue
        end = match.end()
        if high is not None and high <= low:
            # "2 - 1" is not a range: keep the first number only.
            high, end = None, match.end("low")
        unit, end = _unit_at(masked, end)
        if unit == "" and match.group("lowpct"):
            unit = "%"
        noun = _noun_at(masked, end)
        if high is not None:
            quantities.append(Quantity(match.start(), end, None, low, high, unit, noun))
        else:
            quantities.append(Quantity(match.start(), end, low, None, None, unit, noun))
    return sorted(quantities, key=lambda q: q.start)


def _unit_at(text: str, position: int) -> tuple[str, int]:
    for pattern, label in _UNIT_RE:
        match = pattern.match(text, position)
        if match:
            end = match.end()
            per_year = re.match(r"\s*/\s*nam\b", text[end:])
            if per_year and not label.endswith("/năm"):
                return f"{label}/năm", end + per_year.end()
            return label, end
    return "", position


def _noun_at(text: str, position: int) -> str:
    rest = re.sub(r"^\s*(?:tro len|tro xuong)\b", "", text[position:])
    match = re.match(r"\s*([a-z][a-z ,]*?)(?=\s*(?:[;.(:]|,\s|\s+va\s|\s+trong do\b|$))", rest)
    return match.group(1).strip() if match else ""


def parse_clause(
    text: str,
    *,
    default_year: int,
    term_start: int,
    sentence_years: tuple[int | None, tuple[int, int] | None] = (None, None),
) -> list[ParsedTarget]:
    """The targets stated in one clause of folded text."""
    text = re.sub(r"\s", " ", text)  # same length: offsets stay valid
    years = find_years(text)
    deadline = years.deadline or sentence_years[0]
    period = years.period or sentence_years[1]
    year = deadline or (period[1] if period else default_year)
    first_year = period[0] if period and period[0] > term_start - 1 and not years.deadline else None
    quantities = find_quantities(text)
    fractions = [(m.start(), (int(m.group(1)), int(m.group(2)))) for m in _FRACTION.finditer(text)]
    if _MILESTONE.search(text) and not any(q.unit.startswith("%") for q in quantities):
        return [
            ParsedTarget(
                0, len(text), TargetKind.MILESTONE, None, None, None, None, "giai đoạn", year,
                quantities=tuple(quantities), subject=_subject(text), context=_subject(text),
            )
        ]  # fmt: skip
    targets = [q for q in quantities if q.rank or (q.unit and q.unit not in _FACILITIES)]
    targets = [
        q
        for q in targets
        if q.rank or q.unit.startswith("%") or q.unit.startswith(_MONEY) or _COUNT_CUE.search(text[: q.start])
    ]
    targets = [q for q in targets if not _inside(q.start, [_paren_span(text, q.start)])]
    # A condition on each unit ("từ 90 điểm trở lên") follows a share of units.
    conditions: dict[int, Quantity] = {}  # by the start of the share they qualify
    for q, nxt in itertools.pairwise(targets):
        if _is_share(text, q) and nxt.unit == "điểm":
            conditions[q.start] = nxt
    targets = [q for q in targets if q not in conditions.values()]
    if not targets:
        return []
    bounds = _segments(text, targets)
    context = _context(text, targets[0])
    out: list[ParsedTarget] = []
    previous_unit = ""
    for q, (a, b) in zip(targets, bounds, strict=True):
        parsed = _parse_segment(
            text, a, b, q, conditions.get(q.start), previous_unit, year, first_year, years
        )
        fraction = next((f for at, f in fractions if a <= at < b), None)
        parsed = replace(parsed, fraction=fraction, context=context)
        previous_unit = parsed.unit
        if q.rank:
            out.extend(_split_rank(text, parsed))
        else:
            out.append(parsed)
    return out


def _paren_span(text: str, position: int) -> tuple[int, int]:
    """The "(…)" span just after a quantity that ``position`` sits in, else an empty span."""
    opening = text.rfind("(", 0, position)
    closing = text.find(")", position)
    if opening == -1 or closing == -1 or ")" in text[opening:position]:
        return (0, 0)
    before = text[:opening].rstrip()
    return (opening, closing + 1) if before and before[-1] in "%0123456789" else (0, 0)


def _is_share(text: str, q: Quantity) -> bool:
    """A percentage of communes: "80% số xã …", or "tỉ lệ xã …" as the subject of its own part."""
    head = text[: q.start]
    own = head[max(head.rfind(", "), head.rfind(";"), head.rfind(" va ")) + 1 :]
    return q.unit == "%" and (bool(_SHARE_NOUN.match(q.noun)) or bool(_SHARE_SUBJECT.search(own)))


def _segments(text: str, quantities: list[Quantity]) -> list[tuple[int, int]]:
    cuts = [0]
    for q, nxt in itertools.pairwise(quantities):
        separator = _SEPARATOR.search(text, q.end, nxt.start)
        cuts.append(separator.start() if separator else q.end)
    cuts.append(len(text))
    return [(cuts[i], cuts[i + 1]) for i in range(len(quantities))]


def _context(text: str, first: Quantity) -> str:
    """What the clause says before its first target that applies to all of them."""
    head = text[: first.start]
    colon = head.rfind(":")
    if colon != -1:
        return head[:colon]
    comma = head.find(",")
    return head[:comma] if comma != -1 else ""


def _comparator(before: str, after: str, q: Quantity) -> Comparator:
    if q.is_range:
        return Comparator.BETWEEN
    if q.rank:
        return Comparator.LE
    if _GE_AFTER.match(after):
        return Comparator.GE
    if _LE_AFTER.match(after):
        return Comparator.LE
    for pattern, comparator in (
        (_LE_BEFORE, Comparator.LE),
        (_GE_BEFORE, Comparator.GE),
        (_GT_BEFORE, Comparator.GT),
        (_LT_BEFORE, Comparator.LT),
    ):
        if pattern.search(before):
            return comparator
    return Comparator.EQ


def _parse_segment(
    text: str,
    a: int,
    b: int,
    q: Quantity,
    condition: Quantity | None,
    previous_unit: str,
    year: int,
    first_year: int | None,
    years: _Years,
) -> ParsedTarget:
    before = text[a : q.start]
    after = text[q.end : b]
    comparator = _comparator(before, after, q)
    verb = None
    for verb_match in _VERB.finditer(before):
        verb = verb_match
    change = (
        Direction.DECREASE if verb and verb.group(1) == "giam" else (Direction.INCREASE if verb else None)
    )
    base = ParsedTarget(
        a, b, TargetKind.LEVEL, comparator, q.value, q.low, q.high, q.unit, year,
        first_year=first_year, quantities=(q,), subject=_subject(text[a:b]),
    )  # fmt: skip
    if q.rank:
        out_of = PROVINCES_NATIONWIDE if _NATIONWIDE.search(text[q.start :]) else None
        return replace(base, kind=TargetKind.RANK, unit="hạng", out_of=out_of)
    if _is_share(text, q):
        return _share(text, base, q, before, condition)
    if q.unit == "%/năm" or (q.unit == "%" and _AVERAGE.search(before)):
        if _RATE_SUBJECT.search(before):
            return replace(
                base, kind=TargetKind.AVERAGE_CHANGE, unit="điểm %/năm", change=change or Direction.INCREASE
            )
        if change is Direction.DECREASE and q.value is not None:
            # "giảm bình quân 5%/năm" of an amount: growth of −5%/year, the bound mirrored.
            mirrored = {Comparator.GE: Comparator.LE, Comparator.GT: Comparator.LT}
            mirrored |= {v: k for k, v in mirrored.items()}
            base = replace(base, comparator=mirrored.get(comparator, comparator), value=-q.value)
        return replace(base, kind=TargetKind.AVERAGE_GROWTH, unit="%/năm")
    unit = _percent_unit(q, before, previous_unit) if q.unit == "%" else q.unit
    if _EVERY_YEAR.search(text[a:b]):
        return replace(base, kind=TargetKind.EVERY_YEAR, unit=unit)
    if q.unit == "%" and verb and not _LEVEL_VERB.search(before) and _verb_governs(before, verb):
        return replace(base, kind=TargetKind.RELATIVE_CHANGE, unit="%", change=change, base_period=years.base)
    return replace(base, unit=unit)


def _share(
    text: str, base: ParsedTarget, q: Quantity, before: str, condition: Quantity | None
) -> ParsedTarget:
    """A share of communes: which ones count, and what each must reach."""
    border = "bien gioi" in q.noun[:20] or "xa bien gioi" in before
    whole = re.search(r"tren dia ban|xa,\s*phuong|cap xa|don vi", q.noun + " " + before) is not None
    cond: tuple[Comparator, float] = (Comparator.GE, 1.0)
    if condition is not None and condition.value is not None:
        cond_after = text[condition.end : condition.end + 20]
        cond_before = text[max(q.end, condition.start - 25) : condition.start]
        cond = (_comparator(cond_before, cond_after, condition), condition.value)
    comparator = base.comparator
    if comparator is Comparator.EQ:
        comparator = Comparator.GE  # a share of units is a floor
    return replace(
        base,
        kind=TargetKind.SHARE_OF_UNITS,
        comparator=comparator,
        unit="% số xã biên giới" if border else "% số xã",
        condition=cond,
        eligible_types=() if border or whole else ("xa",),
        eligible_border=True if border else None,
    )


def _verb_governs(before: str, verb: re.Match[str]) -> bool:
    """Whether "giảm"/"tăng" is the verb of this value ("giảm ít nhất 40%"), not of a subject."""
    between = before[verb.end() :]
    return re.fullmatch(r"\s*(?:(?:it nhat|toi thieu|tren|hon|khoang|duoc|them|tu)\s*)*", between) is not None


def _percent_unit(q: Quantity, before: str, previous_unit: str) -> str:
    if q.noun.startswith("grdp"):
        return "% GRDP"
    if q.noun:
        return "%"
    if "grdp" in before or previous_unit == "% GRDP":
        return "% GRDP"
    return "%"


def _split_rank(text: str, parsed: ParsedTarget) -> list[ParsedTarget]:
    """ "A, B nằm trong nhóm 25" → one target per index when the parts share their head."""
    subject_text = text[parsed.start : parsed.quantities[0].start]
    subject_text = re.sub(
        r"\s*(?:nam|dung|thuoc|vao)?\s*(?:trong\s+)?(?:nhom|top)\s*(?:dau\s+)?$", "", subject_text
    )
    parts = [p.strip() for p in re.split(r",\s*|\s+va\s+", subject_text) if p.strip()]
    heads = {" ".join(p.split()[:2]) for p in parts}
    if len(parts) < 2 or len(heads) != 1:
        return [parsed]
    out = []
    cursor = parsed.start
    for part in parts:
        start = text.find(part, cursor)
        end = start + len(part)
        cursor = end
        out.append(
            replace(
                parsed,
                start=start,
                end=parsed.end if part is parts[-1] else end,
                subject=_subject(part),
                sibling=True,
            )
        )
    return out


def _subject(text: str) -> str:
    """The words of a segment that name what is measured (numbers and grammar removed)."""
    text = re.sub(rf"{NUMBER}|%|/", " ", text)
    text = _FILLER.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()
