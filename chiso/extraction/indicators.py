"""Guessing which catalogue indicator a target sentence measures.

Each indicator is a bag of folded words and word pairs from its name (and the synonyms
in :mod:`chiso.extraction.vocabulary`, same weight) and its description (lower weight),
weighted by inverse document frequency over the catalogue (TF-IDF). A target's subject
("ti le ho ngheo da chieu") is scored against every indicator by cosine similarity; the
clause's shared context ("khu vuc kinh te tu nhan …") counts at a lower weight. The
target's kind and unit then favour indicators that can carry it: a rank target a rank
indicator, a share of communes a commune-level 0/1 indicator, a milestone a stage
indicator.

``confidence`` is the top score tempered by its margin over the runner-up, in [0, 1].
Under about 0.2 the guess is a hint, not an answer.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from chiso.indicators import Catalogue, Indicator, Measure
from chiso.targets import TargetKind
from chiso.text import fold

from .vocabulary import SYNONYMS

_STOP = frozenset(
    {"va", "cua", "cac", "trong", "cho", "voi", "duoc", "co", "la", "the", "nay", "do", "tren", "duoi"}
    | {"tu", "den", "nam", "dat", "muc", "theo", "nhung", "mot", "so", "ve", "tai", "hoac", "khi", "da"}
    | {"se", "phan", "dau", "bao", "dam", "tinh"}
)


def _terms(text: str) -> Counter[str]:
    words = [w for w in re.findall(r"[a-z0-9]+", fold(text)) if not w.isdigit()]
    terms: Counter[str] = Counter(w for w in words if w not in _STOP)
    terms.update(f"{a} {b}" for a, b in itertools.pairwise(words) if not (a in _STOP and b in _STOP))
    return terms


def _add(into: dict[str, float], terms: Counter[str], weight: float) -> None:
    for term, count in terms.items():
        into[term] = into.get(term, 0.0) + weight * count


@dataclass(frozen=True)
class Guess:
    """An indicator guess: the code, its score in [0, 1] and the runner-up codes."""

    code: str | None
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()


class IndicatorGuesser:
    """Scores target subjects against a catalogue (see the module docstring)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        documents: dict[str, dict[str, float]] = {}
        for indicator in catalogue:
            doc: dict[str, float] = {}
            for text in (indicator.name, *SYNONYMS.get(indicator.code, ())):
                _add(doc, _terms(text), 1.0)
            _add(doc, _terms(indicator.description), 0.35)
            documents[indicator.code] = doc
        frequency: Counter[str] = Counter(t for doc in documents.values() for t in doc)
        total = len(documents) or 1
        self._idf = {t: math.log(1 + total / n) for t, n in frequency.items()}
        self._vectors = {code: self._weigh(doc) for code, doc in documents.items()}

    def _weigh(self, terms: dict[str, float]) -> dict[str, float]:
        vector = {t: math.log1p(c) * self._idf.get(t, 0.0) for t, c in terms.items() if c > 0}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {t: v / norm for t, v in vector.items()}

    def guess(
        self, subject: str, context: str = "", *, kind: TargetKind | None = None, unit: str = ""
    ) -> Guess:
        """The best indicator for a target ``subject`` (folded or not)."""
        query: dict[str, float] = {}
        _add(query, _terms(subject), 1.0)
        _add(query, _terms(context), 0.4)
        vector = self._weigh(query)
        scores: list[tuple[float, str]] = []
        for indicator in self.catalogue:
            doc = self._vectors[indicator.code]
            score = sum(w * doc.get(t, 0.0) for t, w in vector.items())
            scores.append((score * _fit(indicator, kind, unit), indicator.code))
        scores.sort(reverse=True)
        if not scores or scores[0][0] <= 0:
            return Guess(None, 0.0)
        top, code = scores[0]
        second = scores[1][0] if len(scores) > 1 else 0.0
        confidence = min(1.0, top) * (0.6 + 0.4 * (top - second) / top)
        alternatives = tuple((c, round(s, 3)) for s, c in scores[1:4] if s > 0)
        return Guess(code, round(confidence, 3), alternatives)


def _fit(indicator: Indicator, kind: TargetKind | None, unit: str) -> float:
    """How well an indicator can carry a target of this kind and unit (a multiplier)."""
    factor = 1.0
    is_rank = indicator.measure is Measure.RANK
    if kind is TargetKind.RANK:
        factor *= 1.3 if is_rank else 0.4
    elif is_rank:
        factor *= 0.5
    if kind is TargetKind.SHARE_OF_UNITS:
        if "commune" not in indicator.levels:
            factor *= 0.3
        else:
            factor *= 1.4 if indicator.measure is Measure.BINARY else 1.2
    elif indicator.measure is Measure.BINARY:
        factor *= 0.6
    if kind is TargetKind.MILESTONE:
        factor *= 1.3 if indicator.measure is Measure.STAGE else 0.5
    elif indicator.measure is Measure.STAGE:
        factor *= 0.5
    if unit.startswith("%") or unit.startswith("điểm %"):
        if kind in {TargetKind.LEVEL, TargetKind.EVERY_YEAR, TargetKind.AVERAGE_CHANGE}:
            factor *= 1.1 if indicator.unit == "%" else 0.7
    elif unit and kind in {TargetKind.LEVEL, TargetKind.EVERY_YEAR}:
        base = unit.split("/")[0]
        factor *= 1.2 if indicator.unit and fold(indicator.unit).startswith(fold(base)) else 0.8
    return factor
