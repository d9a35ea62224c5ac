"""Report sentences in Vietnamese, built from the numbers of an assessment.

Each function takes an :class:`~chiso.assessment.Assessment` and returns a sentence as
a provincial report writes it ("Tốc độ tăng trưởng GRDP năm 2026 ước đạt 7,2%, thấp
hơn mức bình quân cần thiết 10%/năm."), or ``None`` when there is nothing to say yet.
The verb follows the figure's data status: *ước đạt* for an estimate, *sơ bộ đạt* for
a preliminary figure, *đạt* for a final one.
"""

from __future__ import annotations

from chiso.assessment import Assessment, Reading, Status
from chiso.explain import bound_phrase
from chiso.indicators import Direction, Measure
from chiso.observations import DataStatus
from chiso.targets import Comparator, TargetKind
from chiso.text import format_number

_VERBS = {DataStatus.ESTIMATE: "ước đạt", DataStatus.PRELIMINARY: "sơ bộ đạt", DataStatus.FINAL: "đạt"}
_CONDITION_WORDS = {
    Comparator.GE: "từ {v} trở lên",
    Comparator.GT: "trên {v}",
    Comparator.LE: "không quá {v}",
    Comparator.LT: "dưới {v}",
    Comparator.EQ: "đạt {v}",
    Comparator.BETWEEN: "đạt {v}",
}


def unit_suffix(unit: str) -> str:
    """How a unit follows a number: "7,2%" but "54,1 triệu đồng"."""
    if not unit:
        return ""
    return unit if unit.startswith("%") else f" {unit}"


def number(value: float | None, decimals: int = 2) -> str:
    """A number in Vietnamese notation, at most ``decimals`` decimals."""
    return format_number(value, decimals)


def verb(reading: Reading) -> str:
    """ "ước đạt", "sơ bộ đạt" or "đạt", by the reading's data status."""
    return _VERBS.get(reading.status or DataStatus.FINAL, "đạt")


def target_label(a: Assessment) -> str:
    """The target's number as the report shows it: "1a", "9", "V.1.2"."""
    t = a.target
    if t.id.startswith(t.number) and len(t.id) <= len(t.number) + 1:
        return t.id
    return t.number


def _compare(value: float, reference: float, decimals: int) -> str:
    v, r = round(value, decimals), round(reference, decimals)
    if v > r:
        return "cao hơn"
    if v < r:
        return "thấp hơn"
    return "bằng"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    # Lower only a plain capital that starts a word of the name, never an acronym ("GRDP").
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[:1].lower() + text[1:]
    return text


def _bound(a: Assessment) -> str:
    t = a.target
    unit = "%" if t.kind is TargetKind.SHARE_OF_UNITS else t.unit
    return bound_phrase(t, unit, a.indicator.decimals)


def rate_phrase(a: Assessment, rate: float) -> str:
    """A required or observed yearly rate in words: "tăng bình quân 12,3%/năm"."""
    t = a.target
    if t.kind is TargetKind.AVERAGE_CHANGE:
        change = "giảm" if t.change is Direction.DECREASE else "tăng"
        return f"{change} bình quân {number(abs(rate))} điểm %/năm"
    direction = "tăng" if rate >= 0 else "giảm"
    if t.kind is TargetKind.RANK:
        return f"{'tăng' if rate <= 0 else 'giảm'} bình quân {number(abs(rate))} bậc/năm"
    if a.rate_unit == "%/năm" or t.kind is TargetKind.AVERAGE_GROWTH:
        return f"{direction} bình quân {number(abs(rate))}%/năm"
    unit = "điểm %" if t.kind is TargetKind.SHARE_OF_UNITS else (t.unit or a.indicator.unit)
    return f"{direction} bình quân {number(abs(rate))}{unit_suffix(unit)} mỗi năm"


def _remaining(a: Assessment, latest_year: int) -> str:
    t = a.target
    if a.status is Status.ACHIEVED or a.required_rate_remaining is None or latest_year >= t.target_year:
        return ""
    span = f"các năm {latest_year + 1}–{t.target_year}" if latest_year + 1 < t.target_year else "năm cuối"
    return f"; để đạt chỉ tiêu, {span} cần {rate_phrase(a, a.required_rate_remaining)}"


def _growth(a: Assessment) -> str | None:
    t, latest = a.target, a.latest
    if latest is None or not a.has_progress:
        return None
    name = a.indicator.name
    x = t.requirement(Direction.INCREASE)
    assert x is not None
    year = latest.period.year
    if a.indicator.measure is Measure.GROWTH_RATE:
        value = latest.value
        text = (
            f"{name} {latest.period.label} {verb(latest)} {number(value)}%, "
            f"{_compare(value, x, 2)} mức bình quân cần thiết {number(x)}%/năm"
        )
        if a.observed_rate is not None and year > a.first_year:
            text += f"; bình quân giai đoạn {a.first_year}–{year} đạt {number(a.observed_rate)}%/năm"
    else:
        unit = unit_suffix(a.indicator.unit)
        text = (
            f"{name} {latest.period.label} {verb(latest)} {number(latest.value, a.indicator.decimals)}{unit}"
        )
        if a.observed_rate is not None and a.base is not None:
            text += (
                f", tăng bình quân {number(a.observed_rate)}%/năm so với năm {a.base.period.year}, "
                f"{_compare(a.observed_rate, x, 2)} mức cần thiết {number(x)}%/năm"
            )
    return _cap(text + _remaining(a, year) + ".")


def _level(a: Assessment) -> str | None:
    t, latest = a.target, a.latest
    decimals = a.indicator.decimals
    unit = t.unit or a.indicator.unit
    name = a.indicator.name
    if latest is None:
        return None
    if not a.has_progress:
        base = a.base or latest
        text = (
            f"{name} năm {base.period.year} (năm gốc) là {number(base.value, decimals)}{unit_suffix(unit)}; "
            f"mục tiêu đến năm {t.target_year} {_bound(a)}"
        )
        if a.status is Status.ACHIEVED:
            return _cap(text + "; mức năm gốc đã đạt mục tiêu, cần duy trì.")
        return _cap(text + "; chưa có số liệu các năm sau để đánh giá tiến độ.")
    year = latest.period.year
    text = f"{name} {latest.period.label} {verb(latest)} {number(latest.value, decimals)}{unit_suffix(unit)}"
    if a.status is Status.ACHIEVED:
        text += f", đã đạt mục tiêu {_bound(a).removeprefix('đạt ')} đề ra cho năm {t.target_year}"
        return _cap(text + ".")
    milestone = next((p for p in a.path if p.year == year), None)
    if milestone is not None and year < t.target_year:
        text += (
            f", {_compare(latest.value, milestone.value, decimals)} mức cần đạt theo lộ trình năm {year} "
            f"({number(milestone.value, decimals)}{unit_suffix(unit)})"
        )
    text += f"; mục tiêu đến năm {t.target_year} {_bound(a)}"
    return _cap(text + _remaining(a, year) + ".")


def _condition(a: Assessment) -> str:
    condition = a.target.condition
    assert condition is not None
    value = number(condition.value, a.indicator.decimals) + unit_suffix(a.indicator.unit)
    return _CONDITION_WORDS[condition.comparator].format(v=value)


def _share_of_units(a: Assessment) -> str | None:
    c, t = a.coverage, a.target
    if c is None or a.latest is None:
        return None
    share = 100 * c.meeting / c.eligible if c.eligible else 0.0
    text = (
        f"Năm {c.year} có {c.meeting}/{c.eligible} đơn vị cấp xã ({number(share, 1)}%) đạt "
        f"{_lower_first(a.indicator.name)} {_condition(a)}"
    )
    if c.reported < c.eligible:
        text += f" ({c.reported}/{c.eligible} đơn vị có số liệu)"
    text += f"; mục tiêu đến năm {t.target_year} {_bound(a)}"
    if a.status is Status.ACHIEVED:
        text += ", đã đạt"
    return text + _remaining(a, c.year) + "."


def _every_year(a: Assessment) -> str | None:
    latest = a.latest
    if latest is None or not a.years:
        return None
    decimals = a.indicator.decimals
    unit = a.target.unit or a.indicator.unit
    last = a.years[-1]
    met = sum(c.met for c in a.years)
    text = (
        f"{a.indicator.name} {latest.period.label} {verb(latest)} {number(last.value, decimals)}"
        f"{unit_suffix(unit)}, {'đạt' if last.met else 'chưa đạt'} mức {_bound(a)} đề ra hằng năm; "
        f"{met}/{len(a.years)} năm đạt."
    )
    return _cap(text)


def _average_change(a: Assessment) -> str | None:
    latest = a.latest
    if latest is None or not a.has_progress or a.observed_rate is None:
        return None
    t = a.target
    x = t.requirement(Direction.INCREASE)
    assert x is not None
    change = "giảm" if t.change is Direction.DECREASE else "tăng"
    unit = unit_suffix(a.indicator.unit)
    text = (
        f"{a.indicator.name} {latest.period.label} {verb(latest)} "
        f"{number(latest.value, a.indicator.decimals)}{unit}; "
        f"bình quân mỗi năm {change} {number(a.observed_rate)} điểm %, "
        f"{_compare(a.observed_rate, x, 2)} mức yêu cầu {number(x)} điểm %/năm"
    )
    return _cap(text + _remaining(a, latest.period.year) + ".")


def _rank(a: Assessment) -> str | None:
    latest, t = a.latest, a.target
    if latest is None or not a.has_progress:
        return None
    of = f"/{t.out_of}" if t.out_of else ""
    text = f"{a.indicator.name} {latest.period.label} xếp thứ {number(latest.value, 0)}{of}"
    if a.status is Status.ACHIEVED:
        text += f", trong nhóm {number(t.value, 0)} tỉnh, thành phố dẫn đầu"
    else:
        text += f", chưa vào nhóm {number(t.value, 0)} tỉnh, thành phố dẫn đầu"
    return _cap(text + _remaining(a, latest.period.year) + ".")


def _milestone(a: Assessment) -> str | None:
    if a.latest is None:
        return None
    done = sum(1 for s in a.stages if s.done)
    due = sum(1 for s in a.stages if s.due <= a.as_of)
    return _cap(
        f"{a.indicator.name}: đã hoàn thành {done}/{len(a.stages)} bước; "
        f"đến năm {a.as_of} cần hoàn thành {due} bước."
    )


def narrate(a: Assessment) -> str | None:
    """One report sentence for a target, or ``None`` when it has no figure yet."""
    match a.target.kind:
        case TargetKind.AVERAGE_GROWTH:
            return _growth(a)
        case TargetKind.AVERAGE_CHANGE:
            return _average_change(a)
        case TargetKind.EVERY_YEAR:
            return _every_year(a)
        case TargetKind.MILESTONE:
            return _milestone(a)
        case TargetKind.RANK:
            return _rank(a)
        case TargetKind.SHARE_OF_UNITS:
            return _share_of_units(a)
        case _:
            return _level(a)


def attention(a: Assessment) -> str:
    """A line for the targets that need attention: status and what the remaining years need."""
    text = f"Chỉ tiêu {target_label(a)} ({_lower_first(a.indicator.name)}): {a.status.label.lower()}"
    if a.required_rate_remaining is not None and a.latest is not None:
        year = a.coverage.year if a.coverage is not None else a.latest.period.year
        if year < a.target.target_year:
            text += (
                f"; các năm {year + 1}–{a.target.target_year} cần {rate_phrase(a, a.required_rate_remaining)}"
            )
    return text + "."
