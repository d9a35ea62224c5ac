"""Tests of chiso.periods: reading period codes and Vietnamese wordings, and ordering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.errors import InvalidPeriod
from chiso.periods import Period, PeriodKind, parse_period

# --------------------------------------------------------------------------------
# Reading: code or wording -> (code, label)
# --------------------------------------------------------------------------------

READINGS = [
    # codes
    ("2026", "2026", "năm 2026"),
    ("2026-H1", "2026-H1", "6 tháng đầu năm 2026"),
    ("2026-h2", "2026-H2", "6 tháng cuối năm 2026"),
    ("2026-Q1", "2026-Q1", "quý I/2026"),
    ("2026-q3", "2026-Q3", "quý III/2026"),
    ("2026-Q4", "2026-Q4", "quý IV/2026"),
    ("2026-M03", "2026-M03", "tháng 3/2026"),
    ("2026-m12", "2026-M12", "tháng 12/2026"),
    ("2026-9M", "2026-9M", "9 tháng đầu năm 2026"),
    ("2026-09M", "2026-9M", "9 tháng đầu năm 2026"),
    ("  2026-Q2 ", "2026-Q2", "quý II/2026"),
    # year-to-date codes that name a shorter period are that period
    ("2026-6M", "2026-H1", "6 tháng đầu năm 2026"),
    ("2026-3M", "2026-Q1", "quý I/2026"),
    ("2026-1M", "2026-M01", "tháng 1/2026"),
    ("2026-12M", "2026", "năm 2026"),
    # Vietnamese wordings, with diacritics
    ("năm 2026", "2026", "năm 2026"),
    ("Năm 2026", "2026", "năm 2026"),
    ("6 tháng đầu năm 2026", "2026-H1", "6 tháng đầu năm 2026"),
    ("6 THÁNG ĐẦU NĂM 2026", "2026-H1", "6 tháng đầu năm 2026"),
    ("6 tháng cuối năm 2026", "2026-H2", "6 tháng cuối năm 2026"),
    ("6 tháng năm 2026", "2026-H1", "6 tháng đầu năm 2026"),
    ("9 tháng đầu năm 2026", "2026-9M", "9 tháng đầu năm 2026"),
    ("9 tháng năm 2026", "2026-9M", "9 tháng đầu năm 2026"),
    ("3 tháng đầu năm 2026", "2026-Q1", "quý I/2026"),
    ("12 tháng năm 2026", "2026", "năm 2026"),
    ("Quý II/2026", "2026-Q2", "quý II/2026"),
    ("quý 2/2026", "2026-Q2", "quý II/2026"),
    ("QUÝ IV/2026", "2026-Q4", "quý IV/2026"),
    ("quý IV - 2026", "2026-Q4", "quý IV/2026"),
    ("quý II / 2026", "2026-Q2", "quý II/2026"),
    ("tháng 3/2026", "2026-M03", "tháng 3/2026"),
    ("Tháng 12/2026", "2026-M12", "tháng 12/2026"),
    ("tháng 03/2026", "2026-M03", "tháng 3/2026"),
    # without diacritics (typed on a keyboard without Telex/VNI)
    ("6 thang dau nam 2026", "2026-H1", "6 tháng đầu năm 2026"),
    ("6 thang cuoi nam 2026", "2026-H2", "6 tháng cuối năm 2026"),
    ("nam 2026", "2026", "năm 2026"),
    ("Quy II/2026", "2026-Q2", "quý II/2026"),
    ("quy 2/2026", "2026-Q2", "quý II/2026"),
    ("thang 7/2026", "2026-M07", "tháng 7/2026"),
    ("9 thang dau nam 2026", "2026-9M", "9 tháng đầu năm 2026"),
    # decomposed (NFD) input, as some keyboards and PDFs produce
    ("6 tha\u0301ng đa\u0302\u0300u na\u0306m 2026", "2026-H1", "6 tháng đầu năm 2026"),
]


@pytest.mark.parametrize(("text", "code", "label"), READINGS)
def test_parse_period_reads_code_and_wording(text: str, code: str, label: str) -> None:
    period = parse_period(text)
    assert (period.code, period.label) == (code, label)
    assert str(period) == code


def test_parse_period_accepts_a_year_as_int() -> None:
    assert parse_period(2026) == Period.annual(2026)
    assert parse_period(2026).is_annual


@pytest.mark.parametrize(
    "text",
    [
        # the wording of the General Statistics Office's own releases
        "Quý I năm 2026",
        "quý 1 năm 2026",
        "tháng 3 năm 2026",
    ],
)
def test_parse_period_reads_quarter_and_month_written_with_nam(text: str) -> None:
    assert parse_period(text).year == 2026


def test_first_six_months_is_the_first_half() -> None:
    assert parse_period("6 tháng đầu năm 2026") == parse_period("2026-H1")
    assert parse_period("2026-6M") == parse_period("2026-H1")
    assert parse_period("6 thang dau nam 2026").kind is PeriodKind.HALF


# --------------------------------------------------------------------------------
# Ordering
# --------------------------------------------------------------------------------

ORDERED = [
    ("2025", "2026-Q1"),
    ("2026-M01", "2026-Q1"),
    ("2026-M03", "2026-Q1"),
    ("2026-Q1", "2026-H1"),
    ("2026-H1", "2026-9M"),
    ("2026-Q3", "2026-9M"),
    ("2026-9M", "2026"),
    ("2026-H2", "2026"),
    ("2026-Q4", "2026"),
    ("2026", "2027-Q1"),
    ("2026-M11", "2026-M12"),
    ("2026-M12", "2026-Q4"),
]


@pytest.mark.parametrize(("earlier", "later"), ORDERED)
def test_periods_order_by_end_month(earlier: str, later: str) -> None:
    assert parse_period(earlier) < parse_period(later)
    assert parse_period(later) > parse_period(earlier)


def test_sorting_a_year_of_reports() -> None:
    codes = ["2026", "2026-9M", "2025", "2026-H1", "2026-Q1", "2027-Q1"]
    assert [p.code for p in sorted(parse_period(c) for c in codes)] == [
        "2025",
        "2026-Q1",
        "2026-H1",
        "2026-9M",
        "2026",
        "2027-Q1",
    ]


@pytest.mark.parametrize(
    ("shorter", "longer"),
    [
        ("2026-Q2", "2026-H1"),
        ("2026-M06", "2026-H1"),
        ("2026-M12", "2026-H2"),
        ("2026-Q4", "2026-H2"),
    ],
)
def test_periods_ending_together_order_by_length(shorter: str, longer: str) -> None:
    assert parse_period(shorter) < parse_period(longer)


# --------------------------------------------------------------------------------
# Invalid input
# --------------------------------------------------------------------------------

INVALID = [
    "",
    "   ",
    "abc",
    "26",
    "20266",
    "2026-Q5",
    "2026-Q0",
    "2026-H3",
    "2026-H0",
    "2026-M13",
    "2026-M00",
    "2026-M1",
    "2026-0M",
    "2026-13M",
    "2026 - Q1",
    "quý V/2026",
    "quý 5/2026",
    "quý 0/2026",
    "tháng 13/2026",
    "tháng 0/2026",
    "13 tháng đầu năm 2026",
    "0 tháng đầu năm 2026",
    "6 tháng đầu năm",
    "quý II",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid_period_raises_with_vietnamese_message(text: str) -> None:
    with pytest.raises(InvalidPeriod) as info:
        parse_period(text)
    assert "Không hiểu kỳ số liệu" in info.value.message_vi
    assert "Cannot read period" in info.value.message_en
    assert info.value.status == 400


def test_a_year_below_1000_is_rejected_or_round_trips() -> None:
    try:
        period = parse_period("0999")
    except InvalidPeriod:
        return
    assert parse_period(period.code) == period


# --------------------------------------------------------------------------------
# Property: code and label both read back to the same period
# --------------------------------------------------------------------------------

_MONTHS_IN = {PeriodKind.HALF: 6, PeriodKind.QUARTER: 3, PeriodKind.MONTH: 1}
_INDEX = {
    PeriodKind.HALF: st.integers(1, 2),
    PeriodKind.QUARTER: st.integers(1, 4),
    PeriodKind.MONTH: st.integers(1, 12),
    # 1, 3, 6 and 12 months from January are a month, a quarter, a half and a year
    PeriodKind.YEAR_TO_DATE: st.sampled_from([2, 4, 5, 7, 8, 9, 10, 11]),
}


@st.composite
def periods(draw: st.DrawFn) -> Period:
    year = draw(st.integers(1900, 2199))
    kind = draw(st.sampled_from(list(PeriodKind)))
    if kind is PeriodKind.YEAR:
        return Period.annual(year)
    index = draw(_INDEX[kind])
    end = index if kind is PeriodKind.YEAR_TO_DATE else index * _MONTHS_IN[kind]
    return Period(year, end, kind, index)


@settings(max_examples=200)
@given(periods())
def test_code_and_label_read_back(period: Period) -> None:
    assert parse_period(period.code) == period
    assert parse_period(period.label) == period


@settings(max_examples=200)
@given(periods(), periods())
def test_order_follows_end_month(a: Period, b: Period) -> None:
    if (a.year, a.end_month) < (b.year, b.end_month):
        assert a < b
