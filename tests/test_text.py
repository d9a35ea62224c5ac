"""Tests of chiso.text: NFC, accent folding and Vietnamese number formatting."""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.numbers import parse_number
from chiso.text import fold, format_number, format_percent_points, nfc

# --------------------------------------------------------------------------------
# fold and nfc
# --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Thuỷ", "Thủy"),  # old and new tone placement
        ("Hoà", "Hòa"),
        ("Đảng", "dang"),
        ("ĐẢNG", "Đảng"),
        ("Cao Bằng", "cao bang"),
        ("Nguyễn", "nguyen"),
        ("Thu\u0309y", "Thủy"),  # decomposed (NFD) input
    ],
)
def test_fold_matches_names_by_meaning(a: str, b: str) -> None:
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đảng", "dang"),
        ("đường", "duong"),
        ("Thủy", "thuy"),
        ("Quý II/2026", "quy ii/2026"),
        ("6 tháng đầu năm", "6 thang dau nam"),
        ("Kinh tế – Xã hội", "kinh te – xa hoi"),
        ("GRDP", "grdp"),
        ("", ""),
    ],
)
def test_fold_strips_diacritics_and_lowercases(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_nfc_composes_decomposed_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Cao Bằng, Thủy, Đảng")
    assert decomposed != "Cao Bằng, Thủy, Đảng"
    assert nfc(decomposed) == "Cao Bằng, Thủy, Đảng"
    assert len(nfc(decomposed)) == len("Cao Bằng, Thủy, Đảng")


@settings(max_examples=200)
@given(st.text())
def test_fold_is_idempotent_and_has_no_combining_marks(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded))
    assert "đ" not in folded and "Đ" not in folded


@settings(max_examples=200)
@given(st.text())
def test_fold_ignores_normal_form(text: str) -> None:
    assert fold(unicodedata.normalize("NFD", text)) == fold(nfc(text))


# --------------------------------------------------------------------------------
# format_number
# --------------------------------------------------------------------------------

FORMATTED = [
    (1462.5, 2, "1.462,5"),
    (1462.50, 2, "1.462,5"),  # trailing zeros trimmed
    (4.46, 2, "4,46"),
    (1500, 2, "1.500"),
    (1500.0, 2, "1.500"),
    (2.0, 2, "2"),
    (12345678.9, 2, "12.345.678,9"),
    (1.23456789, 2, "1,23"),
    (1.23456789, 6, "1,234568"),
    (0.30000000000000004, 2, "0,3"),
    (0.0, 2, "0"),
    (-0.0, 2, "0"),
    (-1e-7, 2, "0"),  # rounds to zero: no "-0"
    (-3.2, 2, "-3,2"),
    (-1462.5, 2, "-1.462,5"),
    (-1500, 0, "-1.500"),
    (35.84, 1, "35,8"),
    (99.96, 1, "100"),
    (None, 2, "—"),
    (float("nan"), 2, "—"),
    (float("inf"), 2, "—"),
    (-math.inf, 2, "—"),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), FORMATTED)
def test_format_number_writes_vietnamese_style(value: float | None, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(("value", "decimals", "expected"), [(2.5, 0, "3"), (0.125, 2, "0,13")])
def test_format_number_rounds_half_up(value: float, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


@settings(max_examples=200)
@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(0, 6))
def test_format_number_never_fails_on_a_finite_float(value: float, decimals: int) -> None:
    text = format_number(value, decimals)
    assert text and text != "—"
    assert isinstance(parse_number(text), float)  # what chiso writes, chiso reads


@pytest.mark.parametrize(("value", "expected"), [(8.2, "8,2%"), (35.84, "35,84%"), (100, "100%")])
def test_format_percent_points(value: float, expected: str) -> None:
    assert format_percent_points(value) == expected


def test_format_percent_points_of_missing_value_is_a_dash() -> None:
    assert format_percent_points(None) == "—"
