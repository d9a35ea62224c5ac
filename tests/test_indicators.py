"""Tests of chiso.indicators: formulas, the catalogue and the shipped indicator list."""

from __future__ import annotations

import operator
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.errors import FormulaError, IndicatorNotFound
from chiso.indicators import Catalogue, Direction, Formula, Indicator, Measure
from chiso.resolutions import default_catalogue
from chiso.text import nfc

VIETNAMESE_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


def indicator(code: str, formula: str | None = None) -> Indicator:
    """A minimal indicator; only its code and formula matter to the catalogue."""
    return Indicator(code=code, name=f"Chỉ số {code}", formula=formula)


# --------------------------------------------------------------------------------
# Formula
# --------------------------------------------------------------------------------

VALUES = {"a": 6.0, "b": 3.0, "c": 0.0}

EVALUATIONS = [
    ("a + b", {"a", "b"}, 9.0),
    ("a - b", {"a", "b"}, 3.0),
    ("a * b", {"a", "b"}, 18.0),
    ("a / b", {"a", "b"}, 2.0),
    ("a*2 - (b/4)", {"a", "b"}, 11.25),
    ("(a + b) * 100 / a", {"a", "b"}, 150.0),
    ("-a", {"a"}, -6.0),
    ("+a", {"a"}, 6.0),
    ("-(a - b)", {"a", "b"}, -3.0),
    ("100 - a", {"a"}, 94.0),
    ("1.5", set(), 1.5),
    ("a / c", {"a", "c"}, None),  # division by zero: no value
    ("a + missing", {"a", "missing"}, None),  # an input has no figure: no value
]


@pytest.mark.parametrize(("text", "names", "expected"), EVALUATIONS)
def test_formula_parses_and_evaluates(text: str, names: set[str], expected: float | None) -> None:
    formula = Formula.parse(text)
    assert formula.names == names
    assert formula.text == text
    result = formula.evaluate(VALUES)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


REJECTED = [
    ("abs(a)", "chỉ được dùng mã chỉ số, số và phép"),  # function call
    ("__import__('os')", "chỉ được dùng mã chỉ số, số và phép"),
    ("a.b", "chỉ được dùng mã chỉ số, số và phép"),  # attribute
    ("a[0]", "chỉ được dùng mã chỉ số, số và phép"),
    ("'x'", "không phải số"),  # string
    ("a + 'x'", "không phải số"),
    ("None", "không phải số"),
    ("1j", "không phải số"),
    ("2 ** 3", "chỉ được dùng mã chỉ số, số và phép"),  # power
    ("a // b", "chỉ được dùng mã chỉ số, số và phép"),
    ("a % b", "chỉ được dùng mã chỉ số, số và phép"),
    ("a < b", "chỉ được dùng mã chỉ số, số và phép"),
    ("a and b", "chỉ được dùng mã chỉ số, số và phép"),
    ("a if b else c", "chỉ được dùng mã chỉ số, số và phép"),
    ("lambda: 1", "chỉ được dùng mã chỉ số, số và phép"),
    ("[a]", "chỉ được dùng mã chỉ số, số và phép"),
    ("a +", "sai cú pháp"),
    ("", "sai cú pháp"),
    ("a = 1", "sai cú pháp"),
]


@pytest.mark.parametrize(("text", "message"), REJECTED)
def test_formula_rejects_anything_but_arithmetic(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as info:
        Formula.parse(text)
    assert message in info.value.message_vi
    assert f"“{text}”" in info.value.message_vi


@pytest.mark.parametrize("text", ["~a", "not a"])
def test_formula_rejects_bitwise_and_logical_not(text: str) -> None:
    with pytest.raises(FormulaError):
        Formula.parse(text)


# A random arithmetic expression over three codes, with its reference value computed
# by Python itself (None when a division by zero occurs anywhere).
_OPS: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_NAMES = {"x_a": 2.0, "x_b": -3.5, "x_c": 0.0}


def _leaf() -> st.SearchStrategy[tuple[str, float | None]]:
    names = st.sampled_from(sorted(_NAMES)).map(lambda n: (n, _NAMES[n]))
    numbers = st.integers(0, 1000).map(lambda n: (str(n), float(n)))
    return names | numbers


def _combine(
    children: st.SearchStrategy[tuple[str, float | None]],
) -> st.SearchStrategy[tuple[str, float | None]]:
    def build(
        left: tuple[str, float | None], op: str, right: tuple[str, float | None]
    ) -> tuple[str, float | None]:
        text, lv, rv = f"({left[0]} {op} {right[0]})", left[1], right[1]
        if lv is None or rv is None or (op == "/" and rv == 0):
            return text, None
        return text, _OPS[op](lv, rv)

    def negate(child: tuple[str, float | None]) -> tuple[str, float | None]:
        return f"-{child[0]}", None if child[1] is None else -child[1]

    return st.builds(build, children, st.sampled_from(sorted(_OPS)), children) | children.map(negate)


@settings(max_examples=200)
@given(st.recursive(_leaf(), _combine, max_leaves=8))
def test_formula_evaluates_like_arithmetic(expression: tuple[str, float | None]) -> None:
    text, expected = expression
    result = Formula.parse(text).evaluate(_NAMES)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------


def test_catalogue_names_every_unknown_code() -> None:
    with pytest.raises(FormulaError) as info:
        Catalogue([indicator("a"), indicator("total", "a + zz + yy")])
    assert "total" in info.value.message_vi
    assert "chưa có trong danh mục: yy, zz" in info.value.message_vi
    assert "unknown codes: yy, zz" in info.value.message_en


@pytest.mark.parametrize(
    ("indicators", "codes"),
    [
        ([indicator("a", "b"), indicator("b", "a")], {"a", "b"}),
        ([indicator("a", "a + 1")], {"a"}),
        ([indicator("a", "b"), indicator("b", "c * 2"), indicator("c", "a")], {"a", "b", "c"}),
    ],
)
def test_catalogue_names_a_cycle(indicators: list[Indicator], codes: set[str]) -> None:
    with pytest.raises(FormulaError) as info:
        Catalogue(indicators)
    message = info.value.message_vi
    assert message.startswith("Công thức của các chỉ số tạo vòng lặp: ")
    cycle = message.split(": ", 1)[1].split(" → ")
    assert set(cycle) == codes
    assert cycle[0] == cycle[-1]  # the cycle is written closed: a → b → a
    assert "cycle" in info.value.message_en


def test_catalogue_derives_in_dependency_order() -> None:
    # "a" needs "b", which needs "x": listed in the wrong order on purpose.
    catalogue = Catalogue([indicator("a", "b * 2"), indicator("b", "x + 1"), indicator("x")])
    assert catalogue.derive({"x": 1.0}) == {"x": 1.0, "b": 2.0, "a": 4.0}
    assert catalogue.inputs_of("a") == {"b"}
    assert catalogue.inputs_of("x") == frozenset()


def test_catalogue_get_unknown_code_raises_indicator_not_found() -> None:
    catalogue = Catalogue([indicator("a")])
    with pytest.raises(IndicatorNotFound) as info:
        catalogue.get("zz")
    assert info.value.status == 404
    assert "“zz”" in info.value.message_vi


def test_merged_adds_and_replaces_without_touching_the_original() -> None:
    base = Catalogue([indicator("a"), indicator("b")])
    replacement = Indicator(code="b", name="Chỉ số mới", unit="%")
    merged = base.merged([replacement, indicator("c")])
    assert {i.code for i in merged} == {"a", "b", "c"}
    assert merged.get("b").name == "Chỉ số mới"
    assert base.get("b").name == "Chỉ số b"
    assert "c" not in base


# --------------------------------------------------------------------------------
# The shipped catalogue
# --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return default_catalogue()


@pytest.mark.parametrize(
    ("services", "industry", "nonfarm"),
    [
        # Cao Bằng 2025 as the draft political report states it: 56,21% + 20,40%
        (56.21, 20.40, 76.61),
        (50.0, 30.0, 80.0),
        (0.0, 0.0, 0.0),
    ],
)
def test_derive_computes_nonfarm_share(
    shipped: Catalogue, services: float, industry: float, nonfarm: float
) -> None:
    values = {"grdp_share_services": services, "grdp_share_industry": industry}
    derived = shipped.derive(values)
    assert derived["grdp_share_nonfarm"] == pytest.approx(nonfarm)
    assert values == {"grdp_share_services": services, "grdp_share_industry": industry}


def test_derive_keeps_a_reported_value(shipped: Catalogue) -> None:
    values = {
        "grdp_share_services": 56.21,
        "grdp_share_industry": 20.40,
        "grdp_share_nonfarm": 77.0,
    }
    assert shipped.derive(values)["grdp_share_nonfarm"] == 77.0


def test_derive_needs_every_input(shipped: Catalogue) -> None:
    assert "grdp_share_nonfarm" not in shipped.derive({"grdp_share_services": 56.21})


SHIPPED_CODES = [
    "grdp_growth",
    "grdp_per_capita",
    "grdp_share_services",
    "grdp_share_industry",
    "grdp_share_agriculture",
    "grdp_share_nonfarm",
    "budget_revenue",
    "investment_realized",
    "digital_economy_share",
    "digital_economy_core_share",
    "poverty_rate_multidim",
    "new_rural_standard",
    "satellite_school_sites",
    "boarding_school",
    "border_boarding_school",
    "out_of_province_health_cost",
    "hpi_score",
    "online_public_service_rate",
    "specialized_db_connected_share",
    "par_index_rank",
    "dti_rank",
    "party_org_good_share",
    "new_party_members",
]


@pytest.mark.parametrize("code", SHIPPED_CODES)
def test_shipped_catalogue_has_code(shipped: Catalogue, code: str) -> None:
    assert code in shipped
    assert shipped.get(code).code == code


def test_shipped_catalogue_derived_indicators(shipped: Catalogue) -> None:
    assert [i.code for i in shipped if i.is_derived] == ["grdp_share_nonfarm"]
    assert shipped.inputs_of("grdp_share_nonfarm") == {
        "grdp_share_services",
        "grdp_share_industry",
    }


@pytest.mark.parametrize(
    ("code", "direction", "measure"),
    [
        ("grdp_growth", Direction.INCREASE, Measure.GROWTH_RATE),
        ("grdp_share_agriculture", Direction.DECREASE, Measure.LEVEL),
        ("poverty_rate_multidim", Direction.DECREASE, Measure.LEVEL),
        ("satellite_school_sites", Direction.DECREASE, Measure.LEVEL),
        ("out_of_province_health_cost", Direction.DECREASE, Measure.LEVEL),
        ("par_index_rank", Direction.DECREASE, Measure.RANK),
        ("dti_rank", Direction.DECREASE, Measure.RANK),
        ("new_rural_standard", Direction.INCREASE, Measure.BINARY),
        ("border_boarding_school", Direction.INCREASE, Measure.BINARY),
    ],
)
def test_shipped_indicator_direction_and_measure(
    shipped: Catalogue, code: str, direction: Direction, measure: Measure
) -> None:
    found = shipped.get(code)
    assert (found.direction, found.measure) == (direction, measure)


def test_shipped_names_are_nfc_vietnamese(shipped: Catalogue) -> None:
    for item in shipped:
        assert item.name == nfc(item.name), item.code
        assert item.description == nfc(item.description), item.code
        has_diacritic = any(c in VIETNAMESE_LETTERS for c in item.name.lower())
        assert has_diacritic or item.name.isupper(), item.name


def test_shipped_value_ranges_are_consistent(shipped: Catalogue) -> None:
    for item in shipped:
        if item.minimum is not None and item.maximum is not None:
            assert item.minimum < item.maximum, item.code
        if item.limit is not None:
            assert item.minimum is None or item.limit >= item.minimum, item.code
            assert item.maximum is None or item.limit <= item.maximum, item.code
        if item.measure is Measure.RANK:
            assert item.direction is Direction.DECREASE, item.code
        if item.measure is Measure.BINARY:
            assert (item.minimum, item.maximum) == (0, 1), item.code
            assert "commune" in item.levels, item.code
