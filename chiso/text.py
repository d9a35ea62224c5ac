"""Vietnamese text helpers: normalisation, accent folding and number formatting."""

from __future__ import annotations

import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

_LOCALE = "vi"


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC, the form chiso stores and shows."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Fold Vietnamese text for matching: lower case, no diacritics, đ → d.

    "Thuỷ" and "Thủy", "Đảng" and "dang" fold to the same string, so names are
    matched by meaning rather than by the bytes a keyboard happened to produce.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()


def format_number(value: float | None, decimals: int = 2) -> str:
    """Format a number the Vietnamese way ("1.462,5"), trimming trailing zeros.

    ``decimals`` is the most digits shown after the comma.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if abs(value) >= 1e15:
        # Scientific notation, with enough digits that it reads back as a finite number.
        return f"{value:.6e}".replace(".", ",")
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    # Half away from zero, as Excel and Vietnamese tables round (Babel would round half to even).
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format_decimal(exact, format=pattern, locale=_LOCALE, decimal_quantization=False)
    return "0" if text in {"-0", "−0"} else text


def format_percent_points(value: float | None, decimals: int = 2) -> str:
    """Format a value followed by a percent sign, e.g. "8,2%"."""
    text = format_number(value, decimals)
    return text if text == "—" else f"{text}%"
