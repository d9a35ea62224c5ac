"""The assessment engine: status, numbers, path and projection for every target (DESIGN §3).

Each target kind reduces to one of a few shapes:

* a *level* series judged against a bound at the target year (level, change relative
  to base, rank, share of units) — progress ratio R = observed rate ÷ required rate,
  as the Open SDG / Statistics Canada measure does (compound rates for positive
  series, linear change for ranks and series that touch zero);
* an *average growth* target — yearly growth rates are chained into a level index
  (100 in the year before the term), as that measure's methodology advises, and then
  judged like a level series;
* an *average change in points* — linear;
* *every year* — each year checked, "n/N năm đạt";
* a *milestone* — stages completed against stages due.

R maps to a status with the thresholds 0.95 / 0.6 / 0: on track, needs acceleration,
off track, regressing; a bound already met is "achieved".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from chiso.areas import Area, eligible_units
from chiso.indicators import Catalogue, Direction, Indicator, Measure
from chiso.observations import DataStatus, Observation, ObservationSet
from chiso.periods import Period
from chiso.progress import progress_measure
from chiso.targets import Comparator, Resolution, Target, TargetKind
from chiso.text import format_number
from chiso.trend import cagr, geometric_path, linear_path, linear_rate, project, time_weights


class Status(StrEnum):
    """Where a target stands now."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    OFF_TRACK = "off_track"
    REGRESSING = "regressing"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.ACHIEVED: "Đã đạt",
    Status.ON_TRACK: "Đúng tiến độ",
    Status.NEEDS_ACCELERATION: "Cần tăng tốc",
    Status.OFF_TRACK: "Chậm, nguy cơ không đạt",
    Status.REGRESSING: "Thụt lùi",
    Status.NO_DATA: "Chưa có dữ liệu",
}


class Verdict(StrEnum):
    """The end-of-term verdict, as reports count them ("12/18 chỉ tiêu đạt và vượt")."""

    MET = "met"
    BASICALLY_MET = "basically_met"
    NOT_MET = "not_met"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return {"met": "Đạt/vượt", "basically_met": "Cơ bản đạt", "not_met": "Không đạt"}[self.value]


@dataclass(frozen=True)
class AssessmentSettings:
    """Thresholds of the assessment; change them per province if its rules differ.

    ``basically_met`` is the share of the requirement a target must reach at the end of
    the term to count as "cơ bản đạt" (value ÷ bound, or observed ÷ required rate).
    """

    on_track: float = 0.95
    acceleration: float = 0.6
    basically_met: float = 0.9


@dataclass(frozen=True)
class Reading:
    """A value with the period it is for, its data status and source."""

    value: float
    period: Period
    status: DataStatus | None = None
    source: str = ""

    @classmethod
    def of(cls, obs: Observation) -> Reading:
        """The reading of an observation."""
        return cls(obs.value, obs.period, obs.status, obs.source)


@dataclass(frozen=True)
class PathPoint:
    """One year of a required path or a projection."""

    year: int
    value: float


@dataclass(frozen=True)
class YearCheck:
    """One year of an every-year target."""

    year: int
    value: float
    met: bool


@dataclass(frozen=True)
class Coverage:
    """Which units a share-of-units target counted, for the latest year."""

    year: int
    eligible: int
    reported: int
    meeting: int
    meeting_units: tuple[str, ...]
    missing_units: tuple[str, ...]


@dataclass(frozen=True)
class StageState:
    """One milestone stage: due year and whether it is done."""

    name: str
    due: int
    done: bool


@dataclass(frozen=True)
class Assessment:
    """The result for one target: status, the numbers behind it and the path ahead.

    ``measured`` is the quantity compared with the bound (the latest value for a level
    target, the average growth so far for a growth target, the share of units, …);
    rates are in ``rate_unit`` (percent a year for compound rates, the indicator's
    unit a year for linear ones).
    """

    target: Target
    indicator: Indicator
    status: Status
    verdict: Verdict | None = None
    base: Reading | None = None
    latest: Reading | None = None
    measured: float | None = None
    required_rate: float | None = None
    required_rate_remaining: float | None = None
    observed_rate: float | None = None
    rate_unit: str = ""
    progress_ratio: float | None = None
    bound: float | None = None
    path: tuple[PathPoint, ...] = ()
    projection: float | None = None
    projection_meets: bool | None = None
    exceeded: bool = False
    years: tuple[YearCheck, ...] = ()
    coverage: Coverage | None = None
    stages: tuple[StageState, ...] = ()
    notes: tuple[str, ...] = ()
    explanation: str = ""
    as_of: int = 0
    first_year: int = 0  # the first year the term's performance is counted for

    @property
    def id(self) -> str:
        """The target's id."""
        return self.target.id

    @property
    def has_progress(self) -> bool:
        """True when there is a figure for a year after the base."""
        if self.latest is None:
            return False
        return self.base is None or self.latest.period.year > self.base.period.year


@dataclass
class _Context:
    target: Target
    indicator: Indicator
    data: ObservationSet
    area: str
    as_of: int
    term_start: int
    areas: Sequence[Area]
    settings: AssessmentSettings
    notes: list[str] = field(default_factory=list)

    @property
    def direction(self) -> Direction:
        return self.target.change or self.indicator.direction

    @property
    def until(self) -> Period:
        return Period.annual(self.as_of)

    def annual(self, indicator: str | None = None) -> list[Observation]:
        return self.data.series(indicator or self.indicator.code, self.area, until=self.until)


def meets(
    value: float,
    comparator: Comparator,
    bound: float,
    *,
    high: float | None = None,
    direction: Direction = Direction.INCREASE,
) -> bool:
    """Whether ``value`` satisfies ``comparator`` against ``bound``.

    For a range (``between``) ``bound`` is the low end and ``high`` the high end; the
    requirement is the end on the 'worse' side (low for good-if-higher indicators).
    """
    v, b = round(value, 9), round(bound, 9)
    match comparator:
        case Comparator.GE:
            return v >= b
        case Comparator.GT:
            return v > b
        case Comparator.LE:
            return v <= b
        case Comparator.LT:
            return v < b
        case Comparator.BETWEEN:
            if direction is Direction.INCREASE:
                return v >= b
            return v <= round(high if high is not None else bound, 9)
        case Comparator.EQ:
            return v >= b if direction is Direction.INCREASE else v <= b
    raise AssertionError(comparator)  # pragma: no cover


def _status_from_ratio(ratio: float | None, settings: AssessmentSettings) -> Status:
    if ratio is None:
        return Status.NO_DATA
    if ratio >= settings.on_track:
        return Status.ON_TRACK
    if ratio >= settings.acceleration:
        return Status.NEEDS_ACCELERATION
    if ratio >= 0:
        return Status.OFF_TRACK
    return Status.REGRESSING


def _achievement(value: float, requirement: float, direction: Direction) -> float | None:
    """How much of the requirement a value reaches (1 = exactly), for "cơ bản đạt"."""
    if value <= 0 or requirement <= 0:
        return None
    return value / requirement if direction is Direction.INCREASE else requirement / value


def _verdict(met: bool, achievement: float | None, settings: AssessmentSettings) -> Verdict:
    if met:
        return Verdict.MET
    if achievement is not None and achievement >= settings.basically_met:
        return Verdict.BASICALLY_MET
    return Verdict.NOT_MET


def _first_year(ctx: _Context) -> int:
    return ctx.target.first_year or (ctx.target.base_year or ctx.term_start) + 1


def _base_year(ctx: _Context) -> int:
    """The year progress is measured from: the year before the first counted year."""
    return _first_year(ctx) - 1


def _base_reading(
    ctx: _Context, series: Sequence[Observation], base_year: int | None = None
) -> Reading | None:
    """The base: as the resolution states it, else the figure of the base year."""
    stated = ctx.target.base
    if stated is not None and stated.value is not None:
        status = {
            "estimate": DataStatus.ESTIMATE,
            "preliminary": DataStatus.PRELIMINARY,
            "final": DataStatus.FINAL,
        }.get(stated.status or "")
        return Reading(stated.value, Period.annual(stated.year), status, stated.source or "Nghị quyết")
    year = base_year if base_year is not None else (stated.year if stated is not None else _base_year(ctx))
    for obs in series:
        if obs.period.year == year:
            return Reading.of(obs)
    return None


def _base_and_points(
    ctx: _Context, series: Sequence[Observation], base_year: int | None = None
) -> tuple[Reading | None, list[tuple[int, float, Reading]]]:
    """The base and the figures after it. Figures from before the term never count as progress."""
    base = _base_reading(ctx, series, base_year)
    start = base.period.year if base is not None else (base_year or _base_year(ctx))
    return base, [p for p in _points(series) if p[0] > start]


def _natural_range(ctx: _Context) -> tuple[float | None, float | None]:
    """The range a projected value must stay in: the indicator's own, or 0–100 for shares."""
    if ctx.target.kind is TargetKind.SHARE_OF_UNITS:
        return 0.0, 100.0
    if ctx.target.kind is TargetKind.AVERAGE_GROWTH:
        return None, None  # the series is a chained index, not the indicator's values
    low, high = ctx.indicator.minimum, ctx.indicator.maximum
    limit = ctx.indicator.limit
    # The natural limit bounds the side the indicator moves towards: 100% from below for
    # a good-if-higher share, 0 from above for a good-if-lower rate.
    if limit is not None and ctx.indicator.direction is Direction.INCREASE:
        high = limit if high is None else min(high, limit)
    elif limit is not None:
        low = limit if low is None else max(low, limit)
    return low, high


def _fallback_base(
    ctx: _Context, base: Reading | None, points: list[tuple[int, float, Reading]]
) -> tuple[Reading | None, list[tuple[int, float, Reading]]]:
    """Without a base-year figure, the first of two or more figures in the term serves."""
    if base is None and len(points) >= 2:
        ctx.notes.append(f"Chưa có số liệu năm gốc; lấy {points[0][2].period.label} làm gốc.")
        return points[0][2], points[1:]
    return base, points


def _latest_sub_annual_note(ctx: _Context, after: Period | None) -> None:
    subs = [
        o
        for o in ctx.data.series(ctx.indicator.code, ctx.area, annual=False, until=ctx.until)
        if not o.period.is_annual
        and o.period.year >= _first_year(ctx)
        and (after is None or o.period > after)
    ]
    if subs:
        last = subs[-1]
        ctx.notes.append(
            f"Đã có số liệu {last.period.label} ({last.status.label}); đánh giá dùng số liệu cả năm."
        )


# --- level-shaped targets -----------------------------------------------------------


def _assess_series(
    ctx: _Context,
    points: Sequence[tuple[int, float, Reading]],
    base: Reading | None,
    bound: float,
    comparator: Comparator,
    direction: Direction,
    *,
    linear: bool = False,
    high: float | None = None,
) -> Assessment:
    """Judge a level series against ``bound`` at the target year."""
    t = ctx.target
    T = t.target_year
    base, points = _fallback_base(ctx, base, list(points))
    if base is None:
        if not points:
            return Assessment(t, ctx.indicator, Status.NO_DATA, bound=bound, notes=tuple(ctx.notes))
        # One figure and no base: it can be judged against the bound, but shows no trend.
        year, value, reading = points[-1]
        met = meets(value, comparator, bound, high=high, direction=direction)
        ended = ctx.as_of >= T and year >= T
        ctx.notes.append("Mới có một số liệu, chưa đủ để đánh giá xu hướng.")
        return Assessment(
            t,
            ctx.indicator,
            Status.ACHIEVED if met else (Status.OFF_TRACK if ended else Status.NO_DATA),
            verdict=_verdict(met, _achievement(value, bound, direction), ctx.settings)
            if ctx.as_of >= T
            else None,
            latest=reading,
            measured=value,
            bound=bound,
            notes=tuple(ctx.notes),
        )
    b = base.period.year
    later = [p for p in points if p[0] > b]
    # Compound rates need positive values throughout; otherwise the change is linear.
    use_linear = linear or min([base.value, bound, *(p[1] for p in later)]) <= 0
    years = list(range(b, T + 1))
    if use_linear:
        required = linear_rate(base.value, bound, T - b)
        values = linear_path(base.value, required or 0.0, b, years)
    else:
        required = cagr(base.value, bound, T - b)
        values = geometric_path(base.value, required or 0.0, b, years)
    path = tuple(PathPoint(y, v) for y, v in zip(years, values, strict=True))
    rate_unit = f"{t.unit or ctx.indicator.unit}/năm" if use_linear else "%/năm"
    scale = 1.0 if use_linear else 100.0
    required_rate = required * scale if required is not None else None
    if not later:
        if meets(base.value, comparator, bound, high=high, direction=direction):
            status = Status.ACHIEVED
            ctx.notes.append("Số gốc đã đạt mức chỉ tiêu; cần duy trì.")
        else:
            status = Status.NO_DATA
        return Assessment(
            t,
            ctx.indicator,
            status,
            base=base,
            latest=base,
            bound=bound,
            path=path,
            required_rate=required_rate,
            rate_unit=rate_unit,
            measured=base.value,
            notes=tuple(ctx.notes),
        )
    year, value, reading = later[-1]
    met = meets(value, comparator, bound, high=high, direction=direction)
    elapsed = year - b
    rate = linear_rate if use_linear else cagr
    observed = rate(base.value, value, elapsed)
    remaining = rate(value, bound, T - year) if year < T else None
    ratio: float | None
    if use_linear:
        # As the Open SDG ratio: signed by the desired direction, over |required|, so a
        # bound already met at the base still reads a fall as regress.
        d = 1.0 if direction is Direction.INCREASE else -1.0
        ratio = d * observed / abs(required) if observed is not None and required else None
    else:
        ratio = progress_measure(
            base.value,
            b,
            value,
            year,
            target=bound,
            target_year=T,
            direction="increase" if direction is Direction.INCREASE else "decrease",
        ).value
    if ratio is None and observed is not None and required == 0:
        ratio = 1.0 if observed * (1 if direction is Direction.INCREASE else -1) >= 0 else -1.0
    status = Status.ACHIEVED if met else _status_from_ratio(ratio, ctx.settings)
    if not met and (ratio is None or (year >= T and status is not Status.REGRESSING)):
        status = Status.OFF_TRACK  # no trend to read, or the term is over and the bound missed
    if not met and any(meets(v, comparator, bound, high=high, direction=direction) for _, v, _ in later[:-1]):
        ctx.notes.append("Đã từng đạt mức chỉ tiêu trong kỳ nhưng nay chưa giữ được.")
    exceeded = (
        comparator is Comparator.BETWEEN
        and high is not None
        and t.low is not None
        and (value > high if direction is Direction.INCREASE else value < t.low)
    )
    series_years = [b, *(p[0] for p in later)]
    series_values = [base.value, *(p[1] for p in later)]
    projected = project(series_years, series_values, T, log_scale=not use_linear) if year < T else value
    if projected is not None:
        # A trend cannot carry a value past its natural limit (100%) or below its floor.
        low, high_limit = _natural_range(ctx)
        if high_limit is not None:
            projected = min(projected, high_limit)
        if low is not None:
            projected = max(projected, low)
    verdict = None
    if ctx.as_of >= T:
        verdict = _verdict(met, _achievement(value, bound, direction), ctx.settings)
        if year < T:
            ctx.notes.append(f"Chưa có số liệu năm {T}; kết luận theo số liệu năm {year}.")
    return Assessment(
        t,
        ctx.indicator,
        status,
        verdict=verdict,
        latest=reading,
        measured=value,
        observed_rate=observed * scale if observed is not None else None,
        required_rate_remaining=remaining * scale if remaining is not None else None,
        progress_ratio=ratio,
        projection=projected,
        projection_meets=(
            meets(projected, comparator, bound, high=high, direction=direction)
            if projected is not None
            else None
        ),
        exceeded=exceeded,
        notes=tuple(ctx.notes),
        base=base,
        bound=bound,
        path=path,
        required_rate=required_rate,
        rate_unit=rate_unit,
    )


def _points(series: Sequence[Observation]) -> list[tuple[int, float, Reading]]:
    return [(o.period.year, o.value, Reading.of(o)) for o in series]


def _assess_level(ctx: _Context) -> Assessment:
    t = ctx.target
    base, points = _base_and_points(ctx, ctx.annual())
    direction = ctx.direction
    comparator = t.effective_comparator(direction)
    bound = t.requirement(direction)
    assert bound is not None
    linear = ctx.indicator.measure is Measure.RANK or t.kind is TargetKind.RANK
    result = _assess_series(
        ctx,
        points,
        base,
        bound,
        comparator,
        direction,
        linear=linear,
        high=t.high if comparator is Comparator.BETWEEN else None,
    )
    if t.kind is TargetKind.RANK and result.latest and t.out_of and result.latest.value > t.out_of:
        result = replace(
            result,
            notes=(*result.notes, f"Thứ hạng {result.latest.value:g} vượt quá số tỉnh {t.out_of}."),
        )
    return result


_FLIP = {
    Comparator.GE: Comparator.LE,
    Comparator.GT: Comparator.LT,
    Comparator.LE: Comparator.GE,
    Comparator.LT: Comparator.GT,
    Comparator.EQ: Comparator.EQ,
}


def _assess_relative_change(ctx: _Context) -> Assessment:
    """ "≥ 40% fewer": the bound is base × (1 − 40%), then judged as a level."""
    t = ctx.target
    assert t.change is not None
    sign = 1.0 if t.change is Direction.INCREASE else -1.0
    x = t.requirement(Direction.INCREASE)  # the size of the change: more is better either way
    assert x is not None
    comparator = t.comparator or Comparator.GE
    if comparator is Comparator.BETWEEN:
        comparator = Comparator.GE
    level_comparator = comparator if sign > 0 else _FLIP[comparator]
    series = ctx.annual()
    base = _base_reading(ctx, series)
    if base is None:
        ctx.notes.append("Chưa có số liệu năm gốc; chưa xác định được mức cần đạt.")
        return Assessment(t, ctx.indicator, Status.NO_DATA, notes=tuple(ctx.notes))
    bound = base.value * (1 + sign * x / 100)
    points = [p for p in _points(series) if p[0] > base.period.year]
    result = _assess_series(ctx, points, base, bound, level_comparator, t.change)
    measured = None
    if result.latest is not None and base.value:
        measured = sign * (result.latest.value - base.value) / base.value * 100
    return replace(result, measured=measured)


def _assess_average_growth(ctx: _Context) -> Assessment:
    t = ctx.target
    x = t.requirement(Direction.INCREASE)
    assert x is not None
    comparator = t.effective_comparator(Direction.INCREASE)
    if ctx.indicator.measure is Measure.GROWTH_RATE:
        first_year = _first_year(ctx)
        rates = [o for o in ctx.annual() if first_year <= o.period.year <= t.target_year]
        by_year = {o.period.year: o.value for o in rates}
        last_year = rates[-1].period.year if rates else first_year - 1
        missing = [y for y in range(first_year, last_year + 1) if y not in by_year]
        mean_factor = 1.0
        if rates:
            mean_factor = _geometric_mean_factor([o.value for o in rates])
        if missing:
            ctx.notes.append(
                "Thiếu tốc độ tăng trưởng năm "
                + ", ".join(map(str, missing))
                + f"; tạm tính bằng bình quân các năm có số liệu ({format_number((mean_factor - 1) * 100)}%)."
            )
        # Chain the yearly rates into an index = 100 in the year before the term; a missing
        # year counts at the average of the others, which leaves the average unchanged.
        index_year = first_year - 1
        index_value = 100.0
        index_base = Reading(100.0, Period.annual(index_year), None, "Chỉ số phát triển (năm gốc = 100)")
        points: list[tuple[int, float, Reading]] = []
        by_obs = {o.period.year: o for o in rates}
        for year in range(first_year, last_year + 1):
            factor = 1 + by_year[year] / 100 if year in by_year else mean_factor
            index_value *= factor
            if year in by_obs:
                points.append((year, index_value, Reading.of(by_obs[year])))
        bound = 100.0 * (1 + x / 100) ** (t.target_year - index_year)
        result = _assess_series(ctx, points, index_base, bound, comparator, Direction.INCREASE)
        if rates:
            future = _weighted_mean([o.value for o in rates], [o.period.year for o in rates])
            m = t.target_year - last_year
            n_total = t.target_year - index_year
            projected_index = points[-1][1] * (1 + future / 100) ** m
            projected_avg = (
                ((projected_index / 100) ** (1 / n_total) - 1) * 100
                if projected_index > 0 and future > -100
                else None
            )
            result = replace(
                result,
                latest=Reading.of(rates[-1]),
                projection=projected_avg,
                projection_meets=(meets(projected_avg, comparator, x) if projected_avg is not None else None),
            )
        avg = result.observed_rate
        path = tuple(PathPoint(y, x) for y in range(first_year, t.target_year + 1))
        result = replace(
            result,
            latest=result.latest if rates else None,  # never the artificial index base
            base=_base_reading(ctx, ctx.annual()),
            measured=avg,
            path=path,
            bound=x,
        )
    else:
        base, points = _fallback_base(ctx, *_base_and_points(ctx, ctx.annual()))
        if base is None:
            return Assessment(t, ctx.indicator, Status.NO_DATA, bound=x, notes=tuple(ctx.notes))
        bound = base.value * (1 + x / 100) ** (t.target_year - base.period.year)
        result = _assess_series(ctx, points, base, bound, comparator, Direction.INCREASE)
        projected_avg = None
        if result.projection is not None and result.base is not None and result.projection > 0:
            span = t.target_year - result.base.period.year
            rate = cagr(result.base.value, result.projection, span)
            projected_avg = rate * 100 if rate is not None else None
        result = replace(
            result,
            measured=result.observed_rate,
            bound=x,
            projection=projected_avg,
            projection_meets=meets(projected_avg, comparator, x) if projected_avg is not None else None,
        )
    if result.status is not Status.NO_DATA and result.observed_rate is not None:
        ratio = result.observed_rate / x if x else (1.0 if result.observed_rate >= 0 else -1.0)
        status: Status = result.status
        if status is not Status.ACHIEVED:
            status = _status_from_ratio(ratio, ctx.settings)
            ended = result.latest is not None and result.latest.period.year >= t.target_year
            if ended and status is not Status.REGRESSING:
                status = Status.OFF_TRACK  # the term is over and the average fell short
        verdict = result.verdict
        if verdict is not None:
            verdict = _verdict(meets(result.observed_rate, comparator, x), ratio, ctx.settings)
        result = replace(result, progress_ratio=ratio, status=status, verdict=verdict)
    return result


def _geometric_mean_factor(rates: Sequence[float]) -> float:
    """The mean yearly growth factor of percentage rates; 0 when a year lost everything."""
    product = 1.0
    for rate in rates:
        product *= max(0.0, 1 + rate / 100)
    return float(product ** (1 / len(rates)))


def _weighted_mean(values: Sequence[float], years: Sequence[int]) -> float:
    weights = time_weights(years)
    return sum(w * v for w, v in zip(weights, values, strict=True)) / sum(weights)


def _assess_average_change(ctx: _Context) -> Assessment:
    """Mean yearly change in points, e.g. poverty rate −3 points a year."""
    t = ctx.target
    assert t.change is not None
    sign = 1.0 if t.change is Direction.INCREASE else -1.0
    x = t.requirement(Direction.INCREASE)
    assert x is not None
    comparator = t.effective_comparator(Direction.INCREASE)
    base, points = _fallback_base(ctx, *_base_and_points(ctx, ctx.annual()))
    if base is None:
        return Assessment(t, ctx.indicator, Status.NO_DATA, bound=x, notes=tuple(ctx.notes))
    b, T = base.period.year, t.target_year
    level_bound = base.value + sign * x * (T - b)
    floor = (
        ctx.indicator.minimum
        if ctx.indicator.minimum is not None
        else (0.0 if ctx.indicator.limit is not None else None)
    )
    if floor is not None and sign < 0 and level_bound < floor:
        ctx.notes.append(f"Giảm {x:g} điểm/năm từ mức gốc sẽ xuống dưới {floor:g}; chỉ tiêu cần xem lại.")
    level_comparator = comparator if sign > 0 else _FLIP[comparator]
    result = _assess_series(ctx, points, base, level_bound, level_comparator, t.change, linear=True)
    observed = None if result.observed_rate is None else sign * result.observed_rate
    remaining = None if result.required_rate_remaining is None else sign * result.required_rate_remaining
    ratio = observed / x if observed is not None and x else result.progress_ratio
    status = result.status
    if status not in {Status.ACHIEVED, Status.NO_DATA}:
        status = _status_from_ratio(ratio, ctx.settings)
    verdict = result.verdict
    if verdict is not None and observed is not None:
        verdict = _verdict(meets(observed, comparator, x), ratio, ctx.settings)
    projected = None
    if result.projection is not None:
        projected = sign * (result.projection - base.value) / (T - b)
    return replace(
        result,
        measured=observed,
        observed_rate=observed,
        required_rate=x,
        required_rate_remaining=remaining,
        rate_unit="điểm %/năm",
        progress_ratio=ratio,
        status=status,
        verdict=verdict,
        bound=x,
        projection=projected,
        projection_meets=meets(projected, comparator, x) if projected is not None else None,
    )


def _assess_every_year(ctx: _Context) -> Assessment:
    t = ctx.target
    direction = ctx.indicator.direction
    comparator = t.effective_comparator(direction)
    bound = t.low if comparator is Comparator.BETWEEN else t.value
    assert bound is not None
    first = _first_year(ctx)
    series = [o for o in ctx.annual() if first <= o.period.year <= t.target_year]
    checks = tuple(
        YearCheck(
            o.period.year,
            o.value,
            meets(o.value, comparator, bound, high=t.high, direction=direction),
        )
        for o in series
    )
    path = tuple(PathPoint(y, bound) for y in range(first, t.target_year + 1))
    base = _base_reading(ctx, ctx.annual())
    if not checks:
        return Assessment(
            t,
            ctx.indicator,
            Status.NO_DATA,
            base=base,
            bound=bound,
            path=path,
            notes=tuple(ctx.notes),
        )
    latest = checks[-1]
    n_met = sum(c.met for c in checks)
    total_years = t.target_year - first + 1
    if latest.met:
        status = Status.ON_TRACK
    elif len(checks) >= 2 and not checks[-2].met:
        status = Status.OFF_TRACK
    else:
        status = Status.NEEDS_ACCELERATION
    if (
        not latest.met
        and base is not None
        and ((latest.value < base.value) if direction is Direction.INCREASE else (latest.value > base.value))
    ):
        status = Status.REGRESSING
    if latest.met and len(checks) == total_years and n_met == total_years:
        status = Status.ACHIEVED
    exceeded = (
        comparator is Comparator.BETWEEN
        and t.high is not None
        and latest.value > t.high
        and direction is Direction.INCREASE
    )
    verdict = None
    if ctx.as_of >= t.target_year:
        verdict = _verdict(n_met == total_years, n_met / total_years, ctx.settings)
    return Assessment(
        t,
        ctx.indicator,
        status,
        verdict=verdict,
        base=base,
        latest=Reading.of(series[-1]),
        measured=latest.value,
        bound=bound,
        path=path,
        progress_ratio=n_met / len(checks),
        years=checks,
        exceeded=exceeded,
        notes=tuple(ctx.notes),
    )


def _assess_share_of_units(ctx: _Context) -> Assessment:
    t = ctx.target
    assert t.condition is not None
    eligibility = t.eligible
    if ctx.areas:
        eligible = eligible_units(
            ctx.areas,
            ctx.area,
            types=eligibility.types if eligibility else (),
            border=eligibility.border if eligibility else None,
        )
        eligible_codes = [a.code for a in eligible]
    else:
        eligible_codes = []
        ctx.notes.append("Chưa có danh sách đơn vị hành chính; tỷ lệ tính trên các đơn vị có số liệu.")
    points: list[tuple[int, float, Reading]] = []
    coverage = None
    for year in ctx.data.years_with_units(ctx.indicator.code, ctx.area):
        if year > ctx.as_of:
            continue
        period = Period.annual(year)
        reported = {
            code: obs for code, obs in ctx.data.units(ctx.indicator.code, period).items() if code != ctx.area
        }
        universe = eligible_codes or sorted(reported)
        if not universe or not any(c in reported for c in universe):
            continue
        meeting = sorted(
            code
            for code in universe
            if code in reported
            and meets(
                reported[code].value,
                t.condition.comparator,
                t.condition.value,
                direction=ctx.indicator.direction,
            )
        )
        share = 100.0 * len(meeting) / len(universe)
        worst = min((reported[c].status for c in universe if c in reported), default=DataStatus.FINAL)
        points.append((year, share, Reading(share, period, worst, f"{len(meeting)}/{len(universe)} đơn vị")))
        coverage = Coverage(
            year,
            len(universe),
            sum(1 for c in universe if c in reported),
            len(meeting),
            tuple(meeting),
            tuple(c for c in universe if c not in reported),
        )
    if coverage is not None and coverage.missing_units:
        ctx.notes.append(
            f"Năm {coverage.year}: {len(coverage.missing_units)}/{coverage.eligible} đơn vị chưa "
            "có số liệu, được tính là chưa đạt."
        )
    base = _base_reading(ctx, [])
    base_year = _base_year(ctx)
    if base is None:
        base = next((p[2] for p in points if p[0] == base_year), None)
    points = [p for p in points if p[0] > (base.period.year if base is not None else base_year)]
    direction = Direction.INCREASE
    comparator = t.effective_comparator(direction)
    bound = t.requirement(direction)
    assert bound is not None
    if base is not None:
        points = [p for p in points if p[0] > base.period.year]
    result = _assess_series(ctx, points, base, bound, comparator, direction, linear=True, high=t.high)
    return replace(result, coverage=coverage, rate_unit="điểm %/năm")


def _assess_milestone(ctx: _Context) -> Assessment:
    t = ctx.target
    series = ctx.annual()
    due = sum(1 for s in t.stages if s.due <= ctx.as_of)
    if not series:
        stages = tuple(StageState(s.name, s.due, False) for s in t.stages)
        return Assessment(t, ctx.indicator, Status.NO_DATA, stages=stages, notes=tuple(ctx.notes))
    last = series[-1]
    done = max(0, min(len(t.stages), round(last.value)))
    stages = tuple(
        StageState(s.name, s.due, i < done) for i, s in enumerate(sorted(t.stages, key=lambda s: s.due))
    )
    if done >= len(t.stages):
        status = Status.ACHIEVED
    elif done >= due:
        status = Status.ON_TRACK
    elif due - done == 1:
        status = Status.NEEDS_ACCELERATION
    else:
        status = Status.OFF_TRACK
    if len(series) >= 2 and series[-1].value < series[-2].value:
        status = Status.REGRESSING
    verdict = None
    if ctx.as_of >= t.target_year:
        verdict = _verdict(done >= len(t.stages), done / len(t.stages), ctx.settings)
    return Assessment(
        t,
        ctx.indicator,
        status,
        verdict=verdict,
        latest=Reading.of(last),
        measured=float(done),
        bound=float(len(t.stages)),
        progress_ratio=done / due if due else None,
        stages=stages,
        notes=tuple(ctx.notes),
    )


_RULES = {
    TargetKind.LEVEL: _assess_level,
    TargetKind.RANK: _assess_level,
    TargetKind.RELATIVE_CHANGE: _assess_relative_change,
    TargetKind.AVERAGE_GROWTH: _assess_average_growth,
    TargetKind.AVERAGE_CHANGE: _assess_average_change,
    TargetKind.EVERY_YEAR: _assess_every_year,
    TargetKind.SHARE_OF_UNITS: _assess_share_of_units,
    TargetKind.MILESTONE: _assess_milestone,
}


def assess_target(
    target: Target,
    indicator: Indicator,
    data: ObservationSet,
    *,
    area: str,
    as_of: int,
    term_start: int,
    areas: Sequence[Area] = (),
    settings: AssessmentSettings | None = None,
) -> Assessment:
    """Assess one target for ``area`` (the province code) with the data up to ``as_of``."""
    from chiso.explain import explain

    ctx = _Context(target, indicator, data, area, as_of, term_start, areas, settings or AssessmentSettings())
    result = _RULES[target.kind](ctx)
    if target.kind is not TargetKind.SHARE_OF_UNITS:
        _latest_sub_annual_note(ctx, result.latest.period if result.latest else None)
        result = replace(result, notes=tuple(dict.fromkeys([*result.notes, *ctx.notes])))
    if result.latest is not None and result.latest.status is not None:
        conflict = data.conflict(indicator.code, area, result.latest.period)
        if conflict is not None:
            sources = "; ".join(f"{o.source or '?'}: {o.value:g}" for o in conflict.observations)
            result = replace(
                result,
                notes=(
                    *result.notes,
                    f"Các nguồn chênh lệch cho {result.latest.period.label}: {sources}.",
                ),
            )
    result = replace(result, as_of=as_of, first_year=_first_year(ctx))
    return replace(result, explanation=explain(result))


def assess_resolution(
    resolution: Resolution,
    catalogue: Catalogue,
    observations: Sequence[Observation] | ObservationSet,
    *,
    as_of: int,
    areas: Sequence[Area] = (),
    settings: AssessmentSettings | None = None,
) -> list[Assessment]:
    """Assess every target of a resolution, in the order of the file."""
    data = (
        observations if isinstance(observations, ObservationSet) else ObservationSet(observations, catalogue)
    )
    return [
        assess_target(
            target.revised(),  # the target as last amended
            catalogue.get(target.indicator),
            data,
            area=resolution.province,
            as_of=as_of,
            term_start=resolution.term[0],
            areas=areas,
            settings=settings,
        )
        for target in resolution.targets
    ]


@dataclass(frozen=True)
class Summary:
    """Counts of statuses (and verdicts, at the end of the term)."""

    total: int
    by_status: dict[Status, int]
    by_verdict: dict[Verdict, int]

    def sentence(self) -> str:
        """The summary as a report would write it: "3/31 chỉ tiêu đã đạt; 7/31 …"."""
        parts = [
            f"{count}/{self.total} chỉ tiêu {status.label.lower()}"
            for status, count in self.by_status.items()
            if count
        ]
        return "; ".join(parts) + "."


def summarise(assessments: Sequence[Assessment]) -> Summary:
    """Count assessments by status and verdict, in the order of the status list."""
    by_status = {s: sum(1 for a in assessments if a.status is s) for s in Status}
    by_verdict = {v: sum(1 for a in assessments if a.verdict is v) for v in Verdict}
    return Summary(len(assessments), by_status, by_verdict)
