"""Administrative areas: provinces and communes with official GSO codes (DESIGN §5)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chiso.text import fold

# Area types by folded Vietnamese name → code used in files and eligibility filters.
AREA_TYPES = {
    "tinh": "tinh",
    "thanh pho": "thanh_pho",
    "xa": "xa",
    "phuong": "phuong",
    "dac khu": "dac_khu",
}
AREA_TYPE_LABELS = {
    "tinh": "Tỉnh",
    "thanh_pho": "Thành phố",
    "xa": "Xã",
    "phuong": "Phường",
    "dac_khu": "Đặc khu",
}


@dataclass(frozen=True)
class Area:
    """A province or a commune-level unit.

    ``type`` is one of ``tinh``, ``thanh_pho`` (provincial level) or ``xa``, ``phuong``,
    ``dac_khu`` (commune level); ``parent`` is the province code of a commune.
    """

    code: str
    name: str
    type: str
    parent: str | None = None
    border: bool = False
    population: int | None = None

    @property
    def is_commune(self) -> bool:
        """True for xã, phường and đặc khu."""
        return self.type in {"xa", "phuong", "dac_khu"}


def normalise_type(text: str) -> str:
    """Map a written type ("Xã", "phuong", "Đặc khu") to its code; ``ValueError`` if unknown."""
    key = " ".join(fold(text).replace("_", " ").split())
    if key in AREA_TYPES:
        return AREA_TYPES[key]
    raise ValueError(f"loại đơn vị “{text}” không hợp lệ; dùng: Tỉnh, Thành phố, Xã, Phường, Đặc khu")


def eligible_units(
    areas: Iterable[Area], province: str, *, types: Iterable[str] = (), border: bool | None = None
) -> list[Area]:
    """The commune-level units of ``province`` that pass an eligibility filter."""
    wanted = {normalise_type(t) for t in types}
    return [
        a
        for a in areas
        if a.is_commune
        and a.parent == province
        and (not wanted or a.type in wanted)
        and (border is None or a.border == border)
    ]
