"""Plain-language Vietnamese explanations of assessment results.

Each sentence is built from the numbers of the :class:`~chiso.assessment.Assessment`
so anyone can redo the calculation: the base, the latest figure with its period and
data status, the rate required and the rate observed, what the remaining years need,
and where the trend leads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chiso.indicators import Direction
from chiso.targets import Comparator, Target, TargetKind
from chiso.text import format_number

if TYPE_CHECKING:
    from chiso.assessment import Assessment


def bound_phrase(target: Target, unit: str = "", decimals: int = 2) -> str:
    """The bound in words: "từ 75 – 80 triệu đồng", "trên 90%", "từ 10%/năm trở lên".

    Bounds are written as the text gives them ("35,84%"), with at least two decimals
    kept whatever the indicator's display precision.
    """
    decimals = max(decimals, 2)
    if target.kind is TargetKind.RANK and target.comparator in {Comparator.LE, Comparator.LT}:
        top = format_number(target.value, 0)
        return f"trong nhóm {top} tỉnh, thành phố dẫn đầu"
    if target.kind in {TargetKind.AVERAGE_CHANGE, TargetKind.RELATIVE_CHANGE} and target.change is not None:
        verb = "giảm" if target.change is Direction.DECREASE else "tăng"
        return f"{verb} {_plain_phrase(target, unit, decimals)}"
    return _plain_phrase(target, unit, decimals)


def _plain_phrase(target: Target, unit: str, decimals: int) -> str:
    def num(v: float | None) -> str:
        return format_number(v, decimals) + _unit_suffix(unit)

    match target.comparator:
        case Comparator.GE:
            return f"từ {num(target.value)} trở lên"
        case Comparator.GT:
            return f"trên {num(target.value)}"
        case Comparator.LE:
            return f"không quá {num(target.value)}"
        case Comparator.LT:
            return f"dưới {num(target.value)}"
        case Comparator.BETWEEN:
            return f"từ {format_number(target.low, decimals)} – {num(target.high)}"
        case _:
            return f"đạt {num(target.value)}"


def _unit_suffix(unit: str) -> str:
    if not unit:
        return ""
    return unit if unit.startswith("%") else f" {unit}"


def span(first: int, last: int) -> str:
    """Years in words: "các năm 2027–2030", or "năm 2030" for a single year."""
    return f"năm {first}" if first >= last else f"các năm {first}–{last}"


def _n(value: float | None, decimals: int = 2) -> str:
    return format_number(value, decimals)


def _reading(a: Assessment, value: float, unit: str) -> str:
    latest = a.latest
    assert latest is not None
    status = f" ({latest.status.label})" if latest.status is not None else ""
    value_text = _n(value, a.indicator.decimals) + _unit_suffix(unit)
    return f"{latest.period.label.capitalize()} đạt {value_text}{status}"


def _path_text(a: Assessment, unit: str, limit: int = 6) -> str:
    points = [p for p in a.path if a.base is None or p.year > a.base.period.year][:limit]
    if not points:
        return ""
    items = "; ".join(f"{p.year}: {_n(p.value, a.indicator.decimals)}" for p in points)
    return f"Lộ trình cần đạt ({unit or 'giá trị'}): {items}."


def explain(a: Assessment) -> str:
    """A short Vietnamese paragraph explaining ``a``."""
    kind = a.target.kind
    if kind is TargetKind.AVERAGE_GROWTH:
        text = _explain_growth(a)
    elif kind is TargetKind.AVERAGE_CHANGE:
        text = _explain_change(a)
    elif kind is TargetKind.EVERY_YEAR:
        text = _explain_every_year(a)
    elif kind is TargetKind.MILESTONE:
        text = _explain_milestone(a)
    elif kind is TargetKind.RANK:
        text = _explain_rank(a)
    else:
        text = _explain_level(a)
    return " ".join(part for part in [text, *a.notes] if part)


def _years(a: Assessment) -> tuple[int, int]:
    latest_year = a.latest.period.year if a.latest else a.as_of
    return latest_year, a.target.target_year


def _explain_growth(a: Assessment) -> str:
    t = a.target
    first = a.first_year
    parts = [f"Chỉ tiêu tăng trưởng bình quân {bound_phrase(t, '%/năm')} giai đoạn {first}–{t.target_year}."]
    if not a.has_progress:
        parts.append("Chưa có số liệu tăng trưởng của các năm trong nhiệm kỳ.")
        return " ".join(parts)
    assert a.latest is not None
    latest_year, T = _years(a)
    if a.indicator.measure.value == "growth_rate":
        parts.append(_reading(a, a.latest.value, "%") + ".")
    else:
        parts.append(
            _reading(a, a.latest.value, a.indicator.unit)
            + (f"; năm gốc {a.base.period.year}: {_n(a.base.value)}" if a.base else "")
            + "."
        )
    if a.observed_rate is not None:
        span = f"{first}–{latest_year}" if latest_year > first else str(latest_year)
        ratio = (
            f", bằng {_n((a.progress_ratio or 0) * 100, 0)}% mức cần thiết"
            if a.progress_ratio is not None
            else ""
        )
        parts.append(f"Bình quân {span} đạt {_n(a.observed_rate)}%/năm{ratio}.")
    if a.status.value == "achieved" and latest_year < T:
        parts.append("Mức tăng tích lũy đã bảo đảm bình quân cả giai đoạn.")
    elif a.required_rate_remaining is not None and latest_year < T:
        span = f"{latest_year + 1}–{T}" if latest_year + 1 < T else str(T)
        parts.append(f"Để đạt chỉ tiêu, {span} cần tăng bình quân {_n(a.required_rate_remaining)}%/năm.")
    if a.projection is not None and latest_year < T:
        verdict = "đạt" if a.projection_meets else "chưa đạt"
        parts.append(
            f"Theo xu hướng hiện nay, bình quân cả giai đoạn ước {_n(a.projection)}%/năm ({verdict})."
        )
    return " ".join(parts)


def _explain_change(a: Assessment) -> str:
    t = a.target
    verb = "giảm" if t.change is Direction.DECREASE else "tăng"
    name = a.indicator.name
    parts = [f"Chỉ tiêu: {name} {verb} bình quân {_plain_phrase(t, 'điểm %/năm', 2)}."]
    if a.base is not None:
        parts.append(f"Năm {a.base.period.year}: {_n(a.base.value)}{_unit_suffix(a.indicator.unit)}.")
    if not a.has_progress:
        parts.append("Chưa có số liệu sau năm gốc.")
        if a.path:
            parts.append(_path_text(a, a.indicator.unit))
        return " ".join(parts)
    assert a.latest is not None
    latest_year, T = _years(a)
    parts.append(_reading(a, a.latest.value, a.indicator.unit) + ".")
    if a.observed_rate is not None:
        ratio = (
            f", bằng {_n((a.progress_ratio or 0) * 100, 0)}% mức cần thiết"
            if a.progress_ratio is not None
            else ""
        )
        parts.append(f"Bình quân mỗi năm {verb} {_n(a.observed_rate)} điểm %{ratio}.")
    if a.required_rate_remaining is not None and latest_year < T and a.status.value != "achieved":
        parts.append(
            f"{span(latest_year + 1, T).capitalize()} cần {verb} bình quân "
            f"{_n(a.required_rate_remaining)} điểm %/năm."
        )
    return " ".join(parts)


def _explain_level(a: Assessment) -> str:
    t = a.target
    unit = t.unit if t.kind is not TargetKind.RELATIVE_CHANGE else a.indicator.unit
    if t.kind is TargetKind.SHARE_OF_UNITS:
        unit = "%"
    decimals = a.indicator.decimals
    if t.kind is TargetKind.RELATIVE_CHANGE:
        verb = "giảm" if t.change is Direction.DECREASE else "tăng"
        head = f"Chỉ tiêu: đến năm {t.target_year} {verb} {_plain_phrase(t, '%', 2)} so với năm gốc"
        if a.bound is not None:
            head += (
                f" (tức {'không quá' if t.change is Direction.DECREASE else 'ít nhất'} "
                f"{_n(a.bound, decimals)}{_unit_suffix(unit)})"
            )
        head += "."
    else:
        head = f"Chỉ tiêu: đến năm {t.target_year} {bound_phrase(t, unit, decimals)}."
    parts = [head]
    if a.base is not None:
        parts.append(f"Năm gốc {a.base.period.year}: {_n(a.base.value, decimals)}{_unit_suffix(unit)}.")
    if not a.has_progress:
        parts.append("Chưa có số liệu sau năm gốc.")
        if a.required_rate is not None and a.path:
            parts.append(_rate_sentence(a, a.required_rate, "cần", unit))
            parts.append(_path_text(a, unit))
        return " ".join(parts)
    assert a.latest is not None
    latest_year, T = _years(a)
    value = a.latest.value
    parts.append(_reading(a, value, unit) + ".")
    if a.coverage is not None:
        c = a.coverage
        parts.append(f"{c.meeting}/{c.eligible} đơn vị đạt; {c.reported}/{c.eligible} có số liệu.")
    if t.kind is TargetKind.RELATIVE_CHANGE and a.measured is not None:
        verb = "giảm" if t.change is Direction.DECREASE else "tăng"
        parts.append(f"So với năm gốc đã {verb} {_n(a.measured)}%.")
    if a.status.value == "achieved":
        parts.append("Đã đạt mức chỉ tiêu." + (" Vượt mức trên của chỉ tiêu." if a.exceeded else ""))
    else:
        if a.required_rate is not None:
            parts.append(_rate_sentence(a, a.required_rate, "cần", unit))
        if a.observed_rate is not None:
            ratio = (
                f", bằng {_n(a.progress_ratio * 100, 0)}% tốc độ cần thiết"
                if a.progress_ratio is not None
                else ""
            )
            parts.append(_rate_sentence(a, a.observed_rate, "thực tế", unit) + ratio + ".")
        if a.required_rate_remaining is not None and latest_year < T:
            parts.append(
                f"{span(latest_year + 1, T).capitalize()} cần "
                + _rate_sentence(a, a.required_rate_remaining, "", unit).strip()
                + "."
            )
    if a.projection is not None and latest_year < T:
        verdict = "đạt chỉ tiêu" if a.projection_meets else "chưa đạt chỉ tiêu"
        parts.append(
            f"Theo xu hướng, năm {T} ước đạt {_n(a.projection, decimals)}{_unit_suffix(unit)} ({verdict})."
        )
    return " ".join(parts)


def _rate_sentence(a: Assessment, rate: float, lead: str, unit: str) -> str:
    verb = "tăng" if rate >= 0 else "giảm"
    if a.rate_unit == "%/năm":
        body = f"{verb} bình quân {_n(abs(rate))}%/năm"
    elif a.rate_unit == "điểm %/năm" or unit.startswith("%"):
        body = f"{verb} bình quân {_n(abs(rate))} điểm %/năm"
    else:
        body = f"{verb} bình quân {_n(abs(rate))}{_unit_suffix(unit)} mỗi năm"
    return f"{lead.capitalize()} {body}".strip() + ("." if lead == "cần" else "")


def _explain_every_year(a: Assessment) -> str:
    t = a.target
    parts = [f"Chỉ tiêu hằng năm: {bound_phrase(t, t.unit, a.indicator.decimals)}."]
    if not a.years:
        parts.append("Chưa có số liệu của các năm trong nhiệm kỳ.")
        return " ".join(parts)
    met = sum(c.met for c in a.years)
    detail = "; ".join(
        f"{c.year}: {_n(c.value, a.indicator.decimals)} ({'đạt' if c.met else 'không đạt'})" for c in a.years
    )
    parts.append(f"{met}/{len(a.years)} năm đạt ({detail}).")
    if a.exceeded:
        parts.append("Năm gần nhất vượt mức trên của chỉ tiêu.")
    return " ".join(parts)


def _explain_milestone(a: Assessment) -> str:
    total = len(a.stages)
    due = sum(1 for s in a.stages if s.due <= a.as_of)
    done = sum(1 for s in a.stages if s.done)
    steps = "; ".join(f"{s.name} (hạn {s.due}{', đã xong' if s.done else ''})" for s in a.stages)
    if a.latest is None:
        return f"Chưa có báo cáo tiến độ. Các bước: {steps}."
    return f"Đã hoàn thành {done}/{total} bước; đến năm {a.as_of} cần xong {due} bước. Các bước: {steps}."


def _explain_rank(a: Assessment) -> str:
    t = a.target
    of = f"/{t.out_of}" if t.out_of else ""
    parts = [f"Chỉ tiêu: {a.indicator.name} trong nhóm {_n(t.value, 0)} tỉnh, thành phố dẫn đầu."]
    if a.base is not None:
        parts.append(f"Năm gốc {a.base.period.year}: hạng {_n(a.base.value, 0)}{of}.")
    if not a.has_progress:
        parts.append("Chưa có số liệu sau năm gốc.")
        return " ".join(parts)
    assert a.latest is not None
    status = f" ({a.latest.status.label})" if a.latest.status is not None else ""
    parts.append(f"{a.latest.period.label.capitalize()}: hạng {_n(a.latest.value, 0)}{of}{status}.")
    latest_year, T = _years(a)
    if a.status.value == "achieved":
        parts.append("Đã ở trong nhóm chỉ tiêu; cần giữ vững.")
    else:
        if a.required_rate is not None:
            parts.append(f"Cần tăng bình quân {_n(-a.required_rate)} bậc/năm.")
        if a.observed_rate is not None:
            moved = -a.observed_rate
            verb = "tăng" if moved >= 0 else "tụt"
            parts.append(f"Thực tế {verb} bình quân {_n(abs(moved))} bậc/năm.")
        if a.required_rate_remaining is not None and latest_year < T:
            parts.append(
                f"{span(latest_year + 1, T).capitalize()} cần tăng bình quân "
                f"{_n(-a.required_rate_remaining)} bậc/năm."
            )
    return " ".join(parts)
