"""Reading numbers written the Vietnamese way ("1.462,5", "35,84%", "4,46") or by machines."""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

# "1.500" or "12.345.678": dots that group thousands, as Vietnamese writes integers.
_VI_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
_MACHINE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_BLANKS = {"", "-", "–", "—", "..", "...", "x", "n/a", "na"}


class NotANumber(ValueError):
    """A cell's text is not a number; the message is Vietnamese, for the user."""


def is_blank(text: str) -> bool:
    """True for cells that mean "no figure": empty, "-", "..", "x"."""
    return text.strip().lower() in _BLANKS


def parse_number(text: str | float | int | Decimal) -> float:
    """Read a number from a cell.

    Accepts Vietnamese formats ("1.462,5", "4,46", "35,84%", "1.500") and machine
    formats ("7.22", "1e3"). A dot followed by exactly three digits with no comma
    ("1.500") is a thousands separator, as in Vietnamese; write "1,5" or "1.50" for
    one and a half. Raises :class:`NotANumber` with a Vietnamese message otherwise.
    """
    if isinstance(text, bool):
        raise NotANumber("giá trị đúng/sai không phải là số")
    if isinstance(text, int | float | Decimal):
        number = float(text)
        if not math.isfinite(number):
            raise NotANumber("số không hữu hạn")
        return number
    raw = text.strip().replace("\u00a0", "").replace(" ", "").replace("−", "-")
    raw = raw.removesuffix("%")
    if not raw:
        raise NotANumber("ô trống, không có số")
    if _VI_GROUPED.match(raw):
        return float(raw.replace(".", ""))
    value: float | None
    if "," not in raw and _MACHINE.match(raw):
        value = float(raw)
    else:
        try:
            value = float(parse_decimal(raw, locale="vi", strict=True))
        except (NumberFormatError, InvalidOperation, ArithmeticError):
            value = None
    if value is None:
        raise NotANumber(f"“{text}” không phải là số (viết kiểu Việt Nam như 1.462,5 hoặc 35,84%)")
    if not math.isfinite(value):
        raise NotANumber(f"“{text}” không phải là số hữu hạn")
    return value
