"""The assessment engine, kind by kind: inputs → the status a careful analyst would give."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.areas import Area
from chiso.assessment import Status, Verdict, assess_resolution, summarise
from chiso.indicators import Catalogue
from chiso.observations import DataStatus
from chiso.resolutions import bundled_resolutions, load_resolution
from tests.conftest import PROVINCE, make_target, obs, run, series

# --- level: GRDP per capita 75–80 million VND by 2030, base 50.73 in 2025 ------------------

PER_CAPITA = dict(
    indicator="grdp_per_capita",
    kind="level",
    comparator="between",
    low=75,
    high=80,
    unit="triệu đồng",
    base={"period": 2025, "value": 50.73},
)


def test_level_without_data_shows_base_and_required_path(catalogue: Catalogue) -> None:
    a = run(make_target(**PER_CAPITA), [], catalogue)
    assert a.status is Status.NO_DATA
    assert a.base is not None and a.base.value == 50.73
    assert [p.year for p in a.path] == [2025, 2026, 2027, 2028, 2029, 2030]
    assert a.path[-1].value == pytest.approx(75)
    # (75 / 50.73) ** (1/5) − 1 = 8.13 %/year: the milestones a yearly plan should set.
    assert a.required_rate == pytest.approx(8.1333, abs=1e-3)
    assert a.path[1].value == pytest.approx(50.73 * 1.081333, rel=1e-5)
    assert "8,13%/năm" in a.explanation


@pytest.mark.parametrize(
    ("value_2026", "status"),
    [
        (54.9, Status.ON_TRACK),  # +8.2 % ≥ required 8.13 %
        (53.5, Status.NEEDS_ACCELERATION),  # +5.5 %: R = 0.67
        (51.5, Status.OFF_TRACK),  # +1.5 %: R = 0.19
        (49.0, Status.REGRESSING),  # fell
        (76.0, Status.ACHIEVED),  # the bound is already met
    ],
)
def test_level_statuses(catalogue: Catalogue, value_2026: float, status: Status) -> None:
    a = run(make_target(**PER_CAPITA), series("grdp_per_capita", {2026: value_2026}), catalogue)
    assert a.status is status
    assert a.latest is not None and a.latest.value == value_2026


def test_level_ratio_is_the_open_sdg_ratio(catalogue: Catalogue) -> None:
    a = run(make_target(**PER_CAPITA), series("grdp_per_capita", {2026: 53.5}), catalogue)
    observed = 53.5 / 50.73 - 1
    required = (75 / 50.73) ** (1 / 5) - 1
    assert a.progress_ratio == pytest.approx(observed / required)
    assert a.observed_rate == pytest.approx(observed * 100)
    # The remaining four years must grow (75/53.5)^(1/4) − 1 a year.
    assert a.required_rate_remaining == pytest.approx(((75 / 53.5) ** 0.25 - 1) * 100)


@pytest.mark.parametrize(
    ("value_2030", "status", "verdict", "exceeded"),
    [
        (82.0, Status.ACHIEVED, Verdict.MET, True),
        (77.0, Status.ACHIEVED, Verdict.MET, False),
        (70.0, Status.OFF_TRACK, Verdict.BASICALLY_MET, False),  # 70/75 = 93 % ≥ 90 %
        (60.0, Status.OFF_TRACK, Verdict.NOT_MET, False),
    ],
)
def test_level_end_of_term(
    catalogue: Catalogue, value_2030: float, status: Status, verdict: Verdict, exceeded: bool
) -> None:
    data = series("grdp_per_capita", {2026: 54, 2027: 57, 2028: 58, 2029: 59, 2030: value_2030})
    a = run(make_target(**PER_CAPITA), data, catalogue, as_of=2030)
    assert a.verdict is verdict
    assert a.exceeded is exceeded
    if status is Status.ACHIEVED:
        assert a.status is Status.ACHIEVED


def test_level_as_of_ignores_later_years(catalogue: Catalogue) -> None:
    data = series("grdp_per_capita", {2026: 49.0, 2027: 80.0})
    assert run(make_target(**PER_CAPITA), data, catalogue, as_of=2026).status is Status.REGRESSING
    assert run(make_target(**PER_CAPITA), data, catalogue, as_of=2027).status is Status.ACHIEVED


def test_level_crossing_back_is_not_achieved(catalogue: Catalogue) -> None:
    data = series("grdp_per_capita", {2026: 60, 2027: 76, 2028: 73})
    a = run(make_target(**PER_CAPITA), data, catalogue, as_of=2028)
    assert a.status is not Status.ACHIEVED
    assert any("Đã từng đạt" in n for n in a.notes)


def test_level_projection_uses_weighted_trend(catalogue: Catalogue) -> None:
    data = series("grdp_per_capita", {2026: 55, 2027: 59.5, 2028: 64.4})
    a = run(make_target(**PER_CAPITA), data, catalogue, as_of=2028)
    # ~8.2 %/year sustained from 50.73 reaches about 75 in 2030.
    assert a.projection == pytest.approx(75.4, abs=1.0)
    assert a.projection_meets is True


def test_level_best_vintage_is_used_and_named(catalogue: Catalogue) -> None:
    data = [
        obs("grdp_per_capita", 2026, 53.0, status=DataStatus.ESTIMATE, source="Báo cáo ước"),
        obs("grdp_per_capita", 2026, 55.0, status=DataStatus.FINAL, source="Niên giám"),
    ]
    a = run(make_target(**PER_CAPITA), data, catalogue)
    assert a.latest is not None
    assert (a.latest.value, a.latest.status, a.latest.source) == (
        55.0,
        DataStatus.FINAL,
        "Niên giám",
    )
    assert "chính thức" in a.explanation


def test_conflicting_sources_are_noted(catalogue: Catalogue) -> None:
    data = [
        obs("grdp_per_capita", 2026, 53.0, source="Cục Thống kê"),
        obs("grdp_per_capita", 2026, 54.0, source="Báo Cao Bằng"),
    ]
    a = run(make_target(**PER_CAPITA), data, catalogue)
    assert any("chênh lệch" in n for n in a.notes)


def test_decrease_level_target(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="grdp_share_agriculture",
        kind="level",
        comparator="<",
        value=15,
        base={"period": 2025, "value": 19.72},
    )
    assert run(target, series("grdp_share_agriculture", {2026: 18.7}), catalogue).status is (Status.ON_TRACK)
    assert run(target, series("grdp_share_agriculture", {2026: 20.5}), catalogue).status is (
        Status.REGRESSING
    )
    assert run(target, series("grdp_share_agriculture", {2026: 14.9}), catalogue).status is (Status.ACHIEVED)
    # Exactly 15 is not "dưới 15%".
    assert run(target, series("grdp_share_agriculture", {2026: 15.0}), catalogue).status is not (
        Status.ACHIEVED
    )


def test_derived_indicator_is_assessed_from_its_inputs(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="grdp_share_nonfarm",
        kind="level",
        comparator=">",
        value=80,
        base={"period": 2025, "value": 76.61},
    )
    data = series("grdp_share_services", {2026: 58.5}) + series("grdp_share_industry", {2026: 20})
    a = run(target, data, catalogue)
    assert a.latest is not None and a.latest.value == pytest.approx(78.5)
    assert "grdp_share_services" in a.latest.source


def test_zero_and_negative_values_fall_back_to_linear(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="grdp_per_capita",
        kind="level",
        comparator=">=",
        value=10,
        base={"period": 2025, "value": 0},
    )
    a = run(target, series("grdp_per_capita", {2026: 2}), catalogue)
    assert a.rate_unit.endswith("/năm") and a.rate_unit != "%/năm"
    assert a.progress_ratio == pytest.approx(2 / 2)  # 2 a year observed, 10/5 = 2 required
    assert a.status is Status.ON_TRACK


# --- average growth -------------------------------------------------------------------

GROWTH = dict(indicator="grdp_growth", kind="average_growth", comparator=">=", value=10, unit="%/năm")


@pytest.mark.parametrize(
    ("rates", "status"),
    [
        ({2026: 10.5}, Status.ON_TRACK),
        ({2026: 9.6}, Status.ON_TRACK),  # R = 0.96
        ({2026: 7.2}, Status.NEEDS_ACCELERATION),  # R = 0.72
        ({2026: 5.0}, Status.OFF_TRACK),
        ({2026: -1.0}, Status.REGRESSING),
        ({2026: 30.0, 2027: 30.0}, Status.ACHIEVED),  # the 5-year index is already reached
        ({2026: 12.0, 2027: 6.0}, Status.ON_TRACK),  # geometric mean 8.96 %? no: see below
    ],
)
def test_growth_statuses(catalogue: Catalogue, rates: dict[int, float], status: Status) -> None:
    if rates == {2026: 12.0, 2027: 6.0}:
        status = Status.NEEDS_ACCELERATION  # (1.12 × 1.06)^(1/2) − 1 = 8.96 %: R = 0.896
    a = run(make_target(**GROWTH), series("grdp_growth", rates), catalogue, as_of=2027)
    assert a.status is status


def test_growth_numbers_and_explanation(catalogue: Catalogue) -> None:
    a = run(make_target(**GROWTH), series("grdp_growth", {2026: 7.2}), catalogue)
    assert a.observed_rate == pytest.approx(7.2)
    assert a.progress_ratio == pytest.approx(0.72)
    # The five-year index must reach 1.1^5; after 7.2 % the other four years need
    # (1.1^5 / 1.072)^(1/4) − 1 = 10.71 % a year.
    assert a.required_rate_remaining == pytest.approx(((1.1**5 / 1.072) ** 0.25 - 1) * 100)
    assert [p.value for p in a.path] == [10] * 5
    assert "10,71%/năm" in a.explanation
    assert "2027–2030" in a.explanation
    assert "7,2%" in a.explanation


def test_growth_geometric_mean(catalogue: Catalogue) -> None:
    rates = {2026: 8.0, 2027: 9.0, 2028: 12.0}
    a = run(make_target(**GROWTH), series("grdp_growth", rates), catalogue, as_of=2028)
    expected = ((1.08 * 1.09 * 1.12) ** (1 / 3) - 1) * 100
    assert a.observed_rate == pytest.approx(expected)
    assert a.measured == pytest.approx(expected)


def test_growth_end_of_term_verdicts(catalogue: Catalogue) -> None:
    full = {y: 10.2 for y in range(2026, 2031)}
    a = run(make_target(**GROWTH), series("grdp_growth", full), catalogue, as_of=2030)
    assert (a.status, a.verdict) == (Status.ACHIEVED, Verdict.MET)
    nearly = {y: 9.3 for y in range(2026, 2031)}
    a = run(make_target(**GROWTH), series("grdp_growth", nearly), catalogue, as_of=2030)
    assert a.verdict is Verdict.BASICALLY_MET
    weak = {y: 4.46 for y in range(2026, 2031)}
    a = run(make_target(**GROWTH), series("grdp_growth", weak), catalogue, as_of=2030)
    assert a.verdict is Verdict.NOT_MET


def test_growth_gap_in_years_is_reported(catalogue: Catalogue) -> None:
    a = run(make_target(**GROWTH), series("grdp_growth", {2026: 9, 2028: 11}), catalogue, as_of=2028)
    assert any("2027" in n for n in a.notes)


def test_growth_of_a_level_series(catalogue: Catalogue) -> None:
    target = make_target(indicator="budget_revenue", kind="average_growth", comparator=">=", value=12)
    data = series("budget_revenue", {2025: 3100, 2026: 3472})
    a = run(target, data, catalogue)
    assert a.observed_rate == pytest.approx(12.0)
    assert a.status is Status.ON_TRACK
    assert a.base is not None and a.base.value == 3100
    assert a.path[-1].value == pytest.approx(3100 * 1.12**5)


# --- average change in points: poverty −3 points a year ----------------------------------

POVERTY = dict(
    indicator="poverty_rate_multidim",
    kind="average_change",
    change="decrease",
    comparator=">",
    value=3,
    base={"period": 2025, "value": 20.1},
)


@pytest.mark.parametrize(
    ("value_2026", "status"),
    [
        (17.0, Status.ON_TRACK),  # −3.1 points
        (18.0, Status.NEEDS_ACCELERATION),  # −2.1: R = 0.7
        (19.1, Status.OFF_TRACK),  # −1: R = 0.33
        (20.5, Status.REGRESSING),
        (4.0, Status.ACHIEVED),  # −16.1 points already exceeds 5 × 3
    ],
)
def test_average_change_statuses(catalogue: Catalogue, value_2026: float, status: Status) -> None:
    a = run(make_target(**POVERTY), series("poverty_rate_multidim", {2026: value_2026}), catalogue)
    assert a.status is status


def test_average_change_numbers(catalogue: Catalogue) -> None:
    a = run(make_target(**POVERTY), series("poverty_rate_multidim", {2026: 17.6}), catalogue)
    assert a.observed_rate == pytest.approx(2.5)
    assert a.required_rate_remaining == pytest.approx((15 - 2.5) / 4)
    assert a.path[-1].value == pytest.approx(20.1 - 15)
    assert "giảm 2,5 điểm %" in a.explanation


def test_average_change_below_zero_is_flagged(catalogue: Catalogue) -> None:
    target = make_target(**{**POVERTY, "base": {"period": 2025, "value": 10}})
    a = run(target, [], catalogue)
    assert any("xem lại" in n for n in a.notes)


# --- change relative to base: ≥ 40 % fewer satellite school sites --------------------------

SITES = dict(
    indicator="satellite_school_sites",
    kind="relative_change",
    change="decrease",
    comparator=">=",
    value=40,
    base={"period": 2025},
)


def test_relative_change_reads_base_from_data(catalogue: Catalogue) -> None:
    a = run(make_target(**SITES), series("satellite_school_sites", {2025: 500, 2026: 420}), catalogue)
    assert a.bound == pytest.approx(300)
    assert a.measured == pytest.approx(16.0)  # 16 % fewer so far
    assert a.status is Status.ON_TRACK  # −16 % in a year vs −9.7 %/year needed


def test_relative_change_without_base_data(catalogue: Catalogue) -> None:
    a = run(make_target(**SITES), series("satellite_school_sites", {2026: 420}), catalogue)
    assert a.status is Status.NO_DATA
    assert any("năm gốc" in n for n in a.notes)


def test_relative_change_met(catalogue: Catalogue) -> None:
    data = series("satellite_school_sites", {2025: 500, 2027: 290})
    assert run(make_target(**SITES), data, catalogue, as_of=2027).status is Status.ACHIEVED


# --- every year ------------------------------------------------------------------------

PARTY = dict(indicator="party_org_good_share", kind="every_year", comparator=">=", value=80)
MEMBERS = dict(indicator="new_party_members", kind="every_year", comparator="between", low=1500, high=1600)


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ({2026: 82}, Status.ON_TRACK),
        ({2026: 78}, Status.NEEDS_ACCELERATION),
        ({2026: 78, 2027: 79}, Status.OFF_TRACK),
        ({2026: 78, 2027: 85}, Status.ON_TRACK),
    ],
)
def test_every_year_statuses(catalogue: Catalogue, values: dict[int, float], status: Status) -> None:
    a = run(make_target(**PARTY), series("party_org_good_share", values), catalogue, as_of=2027)
    assert a.status is status


def test_every_year_term_summary(catalogue: Catalogue) -> None:
    values = {2026: 81, 2027: 79, 2028: 83, 2029: 84, 2030: 85}
    a = run(make_target(**PARTY), series("party_org_good_share", values), catalogue, as_of=2030)
    assert [c.met for c in a.years] == [True, False, True, True, True]
    assert a.verdict is Verdict.NOT_MET  # 4/5 = 80 % < 90 %
    assert "4/5 năm đạt" in a.explanation
    all_met = {y: 85 for y in range(2026, 2031)}
    a = run(make_target(**PARTY), series("party_org_good_share", all_met), catalogue, as_of=2030)
    assert (a.status, a.verdict) == (Status.ACHIEVED, Verdict.MET)


def test_every_year_range_exceeded(catalogue: Catalogue) -> None:
    a = run(make_target(**MEMBERS), series("new_party_members", {2026: 1650}), catalogue)
    assert a.status is Status.ON_TRACK
    assert a.exceeded
    a = run(make_target(**MEMBERS), series("new_party_members", {2026: 1450}), catalogue)
    assert a.status is Status.NEEDS_ACCELERATION


# --- rank: PAR Index in the top 25 of 34 -----------------------------------------------------

PAR = dict(
    indicator="par_index_rank",
    kind="rank",
    comparator="<=",
    value=25,
    out_of=34,
    base={"period": 2025, "value": 30},
)


@pytest.mark.parametrize(
    ("rank", "status"),
    [
        (28, Status.ON_TRACK),
        (29, Status.ON_TRACK),
        (24, Status.ACHIEVED),
        (25, Status.ACHIEVED),
        (31, Status.REGRESSING),
        (30, Status.OFF_TRACK),
    ],
)
def test_rank_statuses(catalogue: Catalogue, rank: int, status: Status) -> None:
    a = run(make_target(**PAR), series("par_index_rank", {2026: rank}), catalogue)
    assert a.status is status
    assert a.rate_unit != "%/năm"  # ranks move linearly


def test_rank_beyond_number_of_provinces_is_noted(catalogue: Catalogue) -> None:
    a = run(make_target(**PAR), series("par_index_rank", {2026: 40}), catalogue)
    assert any("34" in n for n in a.notes)
    assert "hạng 40/34" in a.explanation


# --- share of units: > 90 % of communes with CB-HPI ≥ 90 -------------------------------------

AREAS = [
    Area(f"0{1000 + i}", f"Xã {i}", "xa" if i < 8 else "phuong", PROVINCE, border=i < 3) for i in range(10)
]
HPI = dict(
    indicator="hpi_score",
    kind="share_of_units",
    comparator=">",
    value=90,
    condition={"comparator": ">=", "value": 90},
)


def _hpi(values: list[float], year: int = 2026) -> list:
    return [obs("hpi_score", year, v, area=AREAS[i].code) for i, v in enumerate(values)]


def test_share_of_units_all_meet(catalogue: Catalogue) -> None:
    a = run(make_target(**HPI), _hpi([95] * 10), catalogue, areas=AREAS)
    assert a.status is Status.ACHIEVED
    assert a.coverage is not None
    assert (a.coverage.eligible, a.coverage.reported, a.coverage.meeting) == (10, 10, 10)


def test_share_of_units_missing_communes_count_as_not_meeting(catalogue: Catalogue) -> None:
    a = run(make_target(**HPI), _hpi([95] * 8), catalogue, areas=AREAS)
    assert a.coverage is not None
    assert a.coverage.missing_units == (AREAS[8].code, AREAS[9].code)
    assert a.latest is not None and a.latest.value == pytest.approx(80)
    assert any("2/10 đơn vị chưa có số liệu" in n for n in a.notes)


def test_share_of_units_exactly_90_is_not_above_90(catalogue: Catalogue) -> None:
    a = run(make_target(**HPI), _hpi([95] * 9 + [80]), catalogue, areas=AREAS)
    assert a.latest is not None and a.latest.value == pytest.approx(90)
    assert a.status is not Status.ACHIEVED


def test_share_of_units_trend(catalogue: Catalogue) -> None:
    data = _hpi([95] * 5 + [50] * 5, 2025) + _hpi([95] * 7 + [50] * 3, 2026)
    a = run(make_target(**HPI), data, catalogue, areas=AREAS)
    # 50 % → 70 % in one year, 8 points a year needed to pass 90 by 2030.
    assert a.base is not None and a.base.value == pytest.approx(50)
    assert a.progress_ratio == pytest.approx(20 / 8)
    assert a.status is Status.ON_TRACK


def test_share_of_units_eligibility_filter(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="border_boarding_school",
        kind="share_of_units",
        comparator=">=",
        value=100,
        eligible={"border": True},
        condition={"comparator": ">=", "value": 1},
    )
    data = [obs("border_boarding_school", 2026, 1, area=AREAS[i].code) for i in range(3)]
    data.append(obs("border_boarding_school", 2026, 0, area=AREAS[5].code))  # not a border unit
    a = run(target, data, catalogue, areas=AREAS)
    assert a.coverage is not None and a.coverage.eligible == 3
    assert a.status is Status.ACHIEVED
    xa_only = make_target(
        indicator="new_rural_standard",
        kind="share_of_units",
        comparator=">",
        value=35.84,
        eligible={"types": ["Xã"]},
        condition={"comparator": ">=", "value": 1},
    )
    data = [obs("new_rural_standard", 2026, 1, area=AREAS[i].code) for i in range(10)]
    a = run(xa_only, data, catalogue, areas=AREAS)
    assert a.coverage is not None and a.coverage.eligible == 8


# --- milestone -------------------------------------------------------------------------

HOSPITAL = dict(
    indicator="provincial_hospital_500_stage",
    kind="milestone",
    stages=[
        {"name": "Chủ trương đầu tư", "due": 2026},
        {"name": "Khởi công", "due": 2027},
        {"name": "Hoàn thành xây dựng", "due": 2029},
        {"name": "Đưa vào sử dụng", "due": 2030},
    ],
)


@pytest.mark.parametrize(
    ("done", "as_of", "status"),
    [
        (1, 2026, Status.ON_TRACK),
        (1, 2027, Status.NEEDS_ACCELERATION),
        (1, 2029, Status.OFF_TRACK),
        (4, 2029, Status.ACHIEVED),
        (2, 2027, Status.ON_TRACK),
    ],
)
def test_milestone(catalogue: Catalogue, done: int, as_of: int, status: Status) -> None:
    a = run(
        make_target(**HOSPITAL),
        series("provincial_hospital_500_stage", {as_of: done}),
        catalogue,
        as_of=as_of,
    )
    assert a.status is status
    assert sum(s.done for s in a.stages) == done


# --- the whole Cao Bằng resolution -----------------------------------------------------------


@pytest.fixture(scope="module")
def cao_bang() -> tuple:
    return load_resolution(bundled_resolutions()["cao-bang-2025-2030"])


def test_cao_bang_without_data_is_all_no_data_with_paths(cao_bang: tuple) -> None:
    resolution, catalogue = cao_bang
    results = assess_resolution(resolution, catalogue, [], as_of=2026)
    assert len(results) == len(resolution.targets) >= 30
    assert {a.status for a in results} == {Status.NO_DATA}
    per_capita = next(a for a in results if a.target.indicator == "grdp_per_capita")
    assert per_capita.path and per_capita.path[-1].value == pytest.approx(75)
    assert all(a.explanation for a in results)
    assert summarise(results).by_status[Status.NO_DATA] == len(results)


def test_cao_bang_with_figures(cao_bang: tuple) -> None:
    resolution, catalogue = cao_bang
    data = [
        obs("grdp_growth", 2026, 7.2, status=DataStatus.ESTIMATE),
        obs("grdp_per_capita", 2026, 55.2),
        obs("poverty_rate_multidim", 2025, 20.1),
        obs("poverty_rate_multidim", 2026, 17.0),
        obs("par_index_rank", 2025, 30),
        obs("par_index_rank", 2026, 20),
    ]
    by_id = {a.target.indicator: a for a in assess_resolution(resolution, catalogue, data, as_of=2026)}
    assert by_id["grdp_growth"].status is Status.NEEDS_ACCELERATION
    assert by_id["grdp_per_capita"].status is Status.ON_TRACK
    assert by_id["poverty_rate_multidim"].status is Status.ON_TRACK
    assert by_id["par_index_rank"].status is Status.ACHIEVED
    summary = summarise(list(by_id.values()))
    assert "chỉ tiêu đúng tiến độ" in summary.sentence()


# --- properties -------------------------------------------------------------------------

ORDER = [
    Status.REGRESSING,
    Status.OFF_TRACK,
    Status.NEEDS_ACCELERATION,
    Status.ON_TRACK,
    Status.ACHIEVED,
]
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(base=positive, bound=positive, a=finite, b=finite, decrease=st.booleans())
def test_better_latest_never_worse_status(
    catalogue: Catalogue, base: float, bound: float, a: float, b: float, decrease: bool
) -> None:
    indicator = "grdp_share_agriculture" if decrease else "grdp_per_capita"
    target = make_target(
        indicator=indicator,
        kind="level",
        comparator="<=" if decrease else ">=",
        value=bound,
        base={"period": 2025, "value": base},
    )
    worse, better = sorted([a, b], reverse=decrease)
    s_worse = run(target, series(indicator, {2027: worse}), catalogue, as_of=2027).status
    s_better = run(target, series(indicator, {2027: better}), catalogue, as_of=2027).status
    assert ORDER.index(s_better) >= ORDER.index(s_worse)


@settings(max_examples=100, deadline=None)
@given(a=st.floats(-50, 50), b=st.floats(-50, 50))
def test_higher_growth_never_worse_status(catalogue: Catalogue, a: float, b: float) -> None:
    low, high = sorted([a, b])
    s_low = run(make_target(**GROWTH), series("grdp_growth", {2026: low}), catalogue).status
    s_high = run(make_target(**GROWTH), series("grdp_growth", {2026: high}), catalogue).status
    assert ORDER.index(s_high) >= ORDER.index(s_low)


@settings(max_examples=100, deadline=None)
@given(base=positive, bound=positive, latest=positive, scale=st.floats(min_value=1e-3, max_value=1e3))
def test_status_is_invariant_to_units(
    catalogue: Catalogue, base: float, bound: float, latest: float, scale: float
) -> None:
    def status(k: float) -> Status:
        target = make_target(
            indicator="grdp_per_capita",
            kind="level",
            comparator=">=",
            value=bound * k,
            base={"period": 2025, "value": base * k},
        )
        return run(target, series("grdp_per_capita", {2026: latest * k}), catalogue).status

    assert status(1.0) is status(scale) or math.isclose(latest, bound, rel_tol=1e-6)


KINDS = [PER_CAPITA, GROWTH, POVERTY, SITES, PARTY, MEMBERS, PAR, HPI, HOSPITAL]


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(KINDS),
    values=st.lists(finite, min_size=0, max_size=6),
    as_of=st.integers(2025, 2032),
)
def test_no_exception_on_any_finite_input(
    catalogue: Catalogue, kind: dict, values: list[float], as_of: int
) -> None:
    target = make_target(**kind)
    data = [
        obs(target.indicator, 2025 + i, v, area=AREAS[i].code if kind is HPI else PROVINCE)
        for i, v in enumerate(values)
    ]
    a = run(target, data, catalogue, as_of=as_of, areas=AREAS)
    assert a.status in Status
    assert isinstance(a.explanation, str) and a.explanation


def test_growth_without_data_has_no_latest(catalogue: Catalogue) -> None:
    a = run(make_target(**GROWTH), [], catalogue)
    assert a.status is Status.NO_DATA
    assert a.latest is None
    assert "100" not in a.explanation


def test_growth_gap_is_filled_with_the_average_and_years_stay_in_place(catalogue: Catalogue) -> None:
    target = make_target(**GROWTH)
    a = run(target, series("grdp_growth", {2027: 9.0, 2028: 11.0}), catalogue, as_of=2028)
    mean = ((1.09 * 1.11) ** 0.5 - 1) * 100
    assert a.observed_rate == pytest.approx(mean)
    assert a.latest is not None and a.latest.period.year == 2028
    # Two remaining years (2029, 2030) must make up for three years at the mean.
    need = ((1.1**5 / (1 + mean / 100) ** 3) ** 0.5 - 1) * 100
    assert a.required_rate_remaining == pytest.approx(need)
    assert any("2026" in n and "tạm tính" in n for n in a.notes)


def test_figures_before_the_term_are_not_progress(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="poverty_rate_multidim", kind="average_change", change="decrease", comparator=">", value=3
    )
    a = run(target, series("poverty_rate_multidim", {2022: 25.0, 2023: 20.0}), catalogue)
    assert a.status is Status.NO_DATA
    assert a.latest is None


def test_single_figure_at_the_target_year_gets_a_verdict(catalogue: Catalogue) -> None:
    target = make_target(indicator="new_rural_communes", kind="level", comparator=">=", value=50)
    a = run(target, series("new_rural_communes", {2030: 6}), catalogue, as_of=2030)
    assert a.verdict is Verdict.NOT_MET
    assert a.status is Status.OFF_TRACK


def test_level_growth_uses_first_year(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="import_export_turnover", kind="average_growth", comparator="=", value=10, first_year=2026
    )
    data = series("import_export_turnover", {2022: 500, 2024: 700, 2025: 800, 2026: 880})
    a = run(target, data, catalogue)
    assert a.base is not None and a.base.period.year == 2025
    assert a.observed_rate == pytest.approx(10.0)


def test_sub_annual_figures_in_the_term_are_mentioned(catalogue: Catalogue) -> None:
    data = [obs("grdp_growth", "2025-H1", 6.6), obs("grdp_growth", "2026-H1", 6.9)]
    a = run(make_target(**GROWTH), data, catalogue)
    assert any("6 tháng đầu năm 2026" in n for n in a.notes)
    assert not any("2025" in n for n in a.notes)


def test_revisions_in_force_are_assessed(cao_bang: tuple) -> None:
    resolution, catalogue = cao_bang
    results = {a.target.id: a for a in assess_resolution(resolution, catalogue, [], as_of=2026)}
    assert results["7"].target.value == pytest.approx(39.62)  # raised by the adopted text
    assert results["7"].bound == pytest.approx(39.62)


def test_relative_change_range_decrease_uses_the_smaller_cut(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="satellite_school_sites",
        kind="relative_change",
        change="decrease",
        comparator="between",
        low=30,
        high=40,
        base={"period": 2025, "value": 100},
    )
    a = run(target, series("satellite_school_sites", {2027: 65}), catalogue, as_of=2027)
    assert a.bound == pytest.approx(70)
    assert a.status is Status.ACHIEVED


def test_growth_term_over_and_short_is_off_track(catalogue: Catalogue) -> None:
    rates = {y: 9.2 for y in range(2026, 2031)}
    a = run(make_target(**GROWTH), series("grdp_growth", rates), catalogue, as_of=2030)
    assert (a.status, a.verdict) == (Status.OFF_TRACK, Verdict.BASICALLY_MET)


def test_share_with_no_reporting_unit_is_no_data(catalogue: Catalogue) -> None:
    other = [obs("hpi_score", 2026, 95, area="99999")]  # a unit outside the province's list
    a = run(make_target(**HPI), other, catalogue, areas=AREAS)
    assert a.status is Status.NO_DATA
    assert a.latest is None


def test_projection_of_a_percentage_stays_within_100(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="health_insurance_coverage",
        kind="level",
        comparator=">=",
        value=100,
        base={"period": 2025, "value": 90},
    )
    a = run(target, series("health_insurance_coverage", {2026: 95, 2027: 99.5}), catalogue, as_of=2027)
    assert a.projection is not None and a.projection <= 100


def test_projection_of_a_falling_rate_is_not_cut_to_zero(catalogue: Catalogue) -> None:
    target = make_target(
        indicator="grdp_share_agriculture",
        kind="level",
        comparator="<",
        value=15,
        base={"period": 2025, "value": 19.72},
    )
    a = run(target, series("grdp_share_agriculture", {2026: 19.4, 2027: 19.1}), catalogue, as_of=2027)
    assert a.projection is not None and 17 < a.projection < 19
    assert a.projection_meets is False
