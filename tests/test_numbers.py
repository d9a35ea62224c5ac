"""Tests of chiso.numbers: reading figures written the Vietnamese way or by machines."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from chiso.numbers import NotANumber, is_blank, parse_number
from chiso.text import format_number

READINGS = [
    # Vietnamese: dot groups thousands, comma marks decimals
    ("1.462,5", 1462.5),
    ("4,46", 4.46),
    ("35,84%", 35.84),
    ("35,84 %", 35.84),
    ("1.500", 1500.0),
    ("12.345.678", 12345678.0),
    ("1.000,25", 1000.25),
    ("10.000,00", 10000.0),
    ("-1.500", -1500.0),
    ("-3,2", -3.2),
    ("−3,2", -3.2),  # U+2212 MINUS SIGN, as Word writes it
    ("0,5", 0.5),
    ("1,5", 1.5),
    ("1 000", 1000.0),
    ("1\u00a0000", 1000.0),  # non-breaking space, as Excel exports it
    # machine formats
    ("7.22", 7.22),
    ("1.50", 1.5),
    ("0.500", 0.5),
    (".5", 0.5),
    ("+3", 3.0),
    ("00012", 12.0),
    (" 12 ", 12.0),
    ("1e3", 1000.0),
    ("1.5E3", 1500.0),
    ("1E-3", 0.001),
    ("12%", 12.0),
    ("0", 0.0),
]


@pytest.mark.parametrize(("text", "expected"), READINGS)
def test_parse_number_reads_vietnamese_and_machine_formats(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(3, 3.0), (2.5, 2.5), (Decimal("1462.5"), 1462.5), (-0.25, -0.25)],
)
def test_parse_number_passes_numbers_through(value: float | Decimal, expected: float) -> None:
    assert parse_number(value) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -math.inf, True, False])
def test_parse_number_rejects_non_finite_and_bool_values(value: float) -> None:
    with pytest.raises(NotANumber):
        parse_number(value)


@pytest.mark.parametrize("text", ["", "-", "..", "...", " ", "–", "—", "x", "X", "n/a", " - "])
def test_is_blank_recognises_no_figure_cells(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", ["0", "0,0", "1.500", "abc", "-1"])
def test_is_blank_is_false_for_figures_and_words(text: str) -> None:
    assert not is_blank(text)


ERRORS = [
    "abc",
    "1.2.3",
    "1.500.5",
    "1,2,3",
    "1.23,4",
    "10%/năm",
    "1,000.5",
    "1e",
    "e3",
    "1..2",
    "--1",
    "%",
    "-",
    "1.2e400",
    "²",
]


@pytest.mark.parametrize("text", ERRORS)
def test_parse_number_rejects_non_numbers_in_vietnamese(text: str) -> None:
    with pytest.raises(NotANumber) as info:
        parse_number(text)
    message = str(info.value)
    assert any(word in message for word in ("không phải là số", "không có số"))


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_parse_number_rejects_nan_and_infinity_text(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize("text", ["1E3.0", "1e3.0", "2E5.1", "1e3.000", "1e99999999.0"])
def test_parse_number_rejects_exponent_with_fraction(text: str) -> None:
    with pytest.raises(NotANumber):
        parse_number(text)


# --------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------


@settings(max_examples=200)
@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False, allow_infinity=False))
def test_format_number_output_reads_back(value: float) -> None:
    """What chiso writes for people (six decimals) chiso reads back.

    Rounding to six decimals moves a value by at most 5e-7; above 1e15 format_number
    switches to scientific notation with four significant digits on purpose.
    """
    text = format_number(value, 6)
    assert parse_number(text) == pytest.approx(value, rel=1e-6, abs=5.1e-7)


_NUMBERISH = st.lists(st.sampled_from([*"0123456789.,-+eE% ", "\u00a0", "−", "nan", "inf"]), max_size=12).map(
    "".join
)


@settings(max_examples=200)
@given(st.one_of(st.text(), _NUMBERISH))
@example("1E3.0")
def test_parse_number_raises_only_not_a_number(text: str) -> None:
    try:
        value = parse_number(text)
    except NotANumber:
        return
    assert isinstance(value, float)
