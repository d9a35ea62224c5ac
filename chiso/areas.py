"""Administrative areas: provinces and communes with official GSO codes (DESIGN §5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from chiso.text import fold, nfc

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
    ``dac_khu`` (commune level); ``parent`` is the province code of a commune;
    ``valid_from`` is the day the unit came into being (1 July 2025 for the units of
    the two-tier reform), when known.
    """

    code: str
    name: str
    type: str
    parent: str | None = None
    border: bool = False
    population: int | None = None
    valid_from: dt.date | None = None

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


# Type words that open a unit's name, as written (NFC, lower case). Only the accented
# forms are stripped: folded, "Phường" and the place name "Phương" are the same word.
_NAME_PREFIXES = ("thành phố ", "đặc khu ", "phường ", "tỉnh ", "tp. ", "tp ", "xã ")


def name_key(name: str) -> str:
    """The key two spellings of one unit's name share: without its type word, folded.

    "Xã Đàm Thuỷ", "Đàm Thủy" and "dam thuy" give the same key; so do "Thành phố
    Hà Nội" and "Tp Hà Nội".
    """
    text = " ".join(nfc(name).lower().replace("-", " - ").split())
    for prefix in _NAME_PREFIXES:
        if text.startswith(prefix):
            text = text.removeprefix(prefix)
            break
    return fold(text)


def find_area(areas: Iterable[Area], text: str, *, parent: str | None = None) -> Area | None:
    """The area whose code is ``text``, or whose name matches it accent-folded.

    Names are compared with :func:`name_key`, so the type word and the placement of
    tone marks ("Thuỷ"/"Thủy", "Hoá"/"Hóa") do not matter; text typed without any
    diacritics ("xa dam thuy") also matches the whole folded name. ``parent`` limits
    the search to one province's communes (names repeat across provinces). ``None``
    when nothing, or more than one area, matches.
    """
    wanted = text.strip()
    candidates = [a for a in areas if parent is None or a.parent == parent]
    for area in candidates:
        if area.code == wanted:
            return area
    key = name_key(wanted)
    found = [a for a in candidates if name_key(a.name) == key]
    if not found and wanted.isascii():
        folded = " ".join(fold(wanted).split())
        found = [a for a in candidates if " ".join(fold(a.name).split()) == folded]
    return found[0] if len(found) == 1 else None
