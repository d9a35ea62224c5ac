"""The indicator catalogue: what each figure means, how it is read and judged.

An indicator is either *observed* (figures are entered or imported for it) or
*derived*, defined by an arithmetic formula over other indicators, e.g. the non-farm
share of GRDP ``grdp_share_services + grdp_share_industry``.
"""

from __future__ import annotations

import ast
import graphlib
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chiso.errors import FormulaError, IndicatorNotFound
from chiso.text import nfc


class Direction(StrEnum):
    """Whether a higher or a lower value is better."""

    INCREASE = "increase"
    DECREASE = "decrease"


class Measure(StrEnum):
    """What kind of number an indicator holds; it decides how series are compared."""

    LEVEL = "level"  # an amount or a share at a moment or over a period
    GROWTH_RATE = "growth_rate"  # % change on the previous year (e.g. GRDP growth)
    RANK = "rank"  # position among provinces, 1 = best
    BINARY = "binary"  # 0/1 per unit, e.g. a commune meets the new-rural standard
    STAGE = "stage"  # number of milestone stages completed


class Indicator(BaseModel):
    """One indicator of the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    unit: str = ""
    direction: Direction = Direction.INCREASE
    measure: Measure = Measure.LEVEL
    frequency: Literal["year", "half", "quarter", "month"] = "year"
    levels: tuple[Literal["province", "commune"], ...] = ("province",)
    decimals: int = Field(default=2, ge=0, le=6)
    limit: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    formula: str | None = None
    description: str = ""

    @field_validator("name", "unit", "description")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @property
    def is_derived(self) -> bool:
        """True when the indicator is computed from others."""
        return self.formula is not None


_BINARY_OPS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


@dataclass(frozen=True)
class Formula:
    """A parsed arithmetic formula over indicator codes (+, −, ×, ÷, numbers, brackets)."""

    text: str
    tree: ast.expr
    names: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: str) -> Formula:
        """Parse ``text``; raise :class:`FormulaError` if it is not plain arithmetic."""
        try:
            tree = ast.parse(text, mode="eval").body
        except SyntaxError as exc:
            raise FormulaError(
                f"Công thức “{text}” sai cú pháp", f"Formula “{text}” is not valid syntax"
            ) from exc
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif not isinstance(
                node,
                ast.BinOp | ast.UnaryOp | ast.Constant | ast.Load | ast.operator | ast.UAdd | ast.USub,
            ) or (
                (isinstance(node, ast.BinOp) and type(node.op) not in _BINARY_OPS)
                or (isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.UAdd | ast.USub))
                or (isinstance(node, ast.Constant) and isinstance(node.value, bool))
            ):
                raise FormulaError(
                    f"Công thức “{text}” chỉ được dùng mã chỉ số, số và phép + − × ÷",
                    f"Formula “{text}” may only use indicator codes, numbers and + - * /",
                )
            if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
                raise FormulaError(
                    f"Công thức “{text}” chứa giá trị không phải số",
                    f"Formula “{text}” contains a non-numeric constant",
                )
        return cls(text, tree, frozenset(names))

    def evaluate(self, values: Mapping[str, float]) -> float | None:
        """Compute the formula; ``None`` when an input is missing or a division is by 0."""
        try:
            return self._eval(self.tree, values)
        except (KeyError, ZeroDivisionError):
            return None

    def _eval(self, node: ast.expr, values: Mapping[str, float]) -> float:
        if isinstance(node, ast.Constant):
            assert isinstance(node.value, int | float)  # parse() admits numbers only
            return float(node.value)
        if isinstance(node, ast.Name):
            return values[node.id]
        if isinstance(node, ast.UnaryOp):
            inner = self._eval(node.operand, values)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            op = _BINARY_OPS[type(node.op)]
            return op(self._eval(node.left, values), self._eval(node.right, values))
        raise AssertionError(ast.dump(node))  # pragma: no cover - parse() rejects it


class Catalogue:
    """A validated set of indicators, derived ones in dependency order."""

    def __init__(self, indicators: Iterable[Indicator]) -> None:
        self._by_code: dict[str, Indicator] = {}
        for indicator in indicators:
            self._by_code[indicator.code] = indicator
        self._formulas: dict[str, Formula] = {}
        for indicator in self._by_code.values():
            if indicator.formula is not None:
                formula = Formula.parse(indicator.formula)
                unknown = sorted(formula.names - self._by_code.keys())
                if unknown:
                    raise FormulaError(
                        f"Chỉ số “{indicator.code}”: công thức dùng mã chưa có trong danh mục: "
                        + ", ".join(unknown),
                        f"Indicator “{indicator.code}”: formula uses unknown codes: " + ", ".join(unknown),
                    )
                self._formulas[indicator.code] = formula
        sorter = graphlib.TopologicalSorter({code: f.names for code, f in self._formulas.items()})
        try:
            order = list(sorter.static_order())
        except graphlib.CycleError as exc:
            cycle = " → ".join(exc.args[1])
            raise FormulaError(
                f"Công thức của các chỉ số tạo vòng lặp: {cycle}",
                f"Derived indicator formulas form a cycle: {cycle}",
            ) from exc
        self._derived_order = [code for code in order if code in self._formulas]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def get(self, code: str) -> Indicator:
        """The indicator ``code``; raise :class:`IndicatorNotFound` if absent."""
        try:
            return self._by_code[code]
        except KeyError:
            raise IndicatorNotFound(code) from None

    def formula(self, code: str) -> Formula | None:
        """The parsed formula of a derived indicator, or ``None``."""
        return self._formulas.get(code)

    def merged(self, extra: Iterable[Indicator]) -> Catalogue:
        """A new catalogue with ``extra`` added (replacing same codes)."""
        return Catalogue([*self._by_code.values(), *extra])

    def derive(self, values: Mapping[str, float]) -> dict[str, float]:
        """Add every derived indicator computable from ``values`` (one area, one period)."""
        result = dict(values)
        for code in self._derived_order:
            if code in result:
                continue  # a reported figure wins over a computed one
            value = self._formulas[code].evaluate(result)
            if value is not None:
                result[code] = value
        return result

    def inputs_of(self, code: str) -> frozenset[str]:
        """The codes a derived indicator reads directly (empty for observed ones)."""
        formula = self._formulas.get(code)
        return formula.names if formula else frozenset()
