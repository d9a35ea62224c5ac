"""Comparing drafted targets with an existing resolution file: the review step.

Each target of the file is paired with the drafted target that best matches it (the
same number, the same bound, the same indicator, overlapping words); then every field
that both state is compared. What is left over is *missing* from the draft (in the file
only) or *extra* (in the draft only).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chiso.targets import Comparator, Resolution, Target
from chiso.text import fold

from .extract import ExtractedTarget

FIELDS = ("kind", "comparator", "value", "low", "high", "unit", "year", "first_year", "change", "indicator")
_MATCH_FLOOR = 2.5


@dataclass(frozen=True)
class Difference:
    """A field on which a drafted target and the file's target disagree."""

    field: str
    draft: Any
    file: Any


@dataclass(frozen=True)
class Pair:
    """A target of the file and the drafted target matched with it."""

    target: Target
    draft: ExtractedTarget
    differences: tuple[Difference, ...]


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare_targets`."""

    pairs: tuple[Pair, ...]
    missing: tuple[Target, ...]
    extra: tuple[ExtractedTarget, ...]

    @property
    def agreeing(self) -> tuple[Pair, ...]:
        """Pairs with no difference."""
        return tuple(p for p in self.pairs if not p.differences)

    def summary(self) -> str:
        """One Vietnamese sentence: how many agree, differ, are missing or extra."""
        return (
            f"{len(self.agreeing)} chỉ tiêu khớp, {len(self.pairs) - len(self.agreeing)} chỉ tiêu khác, "
            f"{len(self.missing)} chỉ tiêu có trong tệp nhưng bản nháp không có, "
            f"{len(self.extra)} chỉ tiêu chỉ có trong bản nháp."
        )

    def record(self) -> dict[str, Any]:
        """The comparison as a JSON-ready dict."""
        return {
            "summary": self.summary(),
            "pairs": [
                {
                    "target": p.target.id,
                    "text": p.draft.text,
                    "differences": [
                        {"field": d.field, "draft": d.draft, "file": d.file} for d in p.differences
                    ],
                }
                for p in self.pairs
            ],
            "missing": [{"target": t.id, "text": t.text} for t in self.missing],
            "extra": [{"number": e.number, "text": e.text} for e in self.extra],
        }


def _file_value(target: Target, name: str) -> Any:
    value = getattr(target, "target_year" if name == "year" else name)
    return getattr(value, "value", value)


def _draft_value(draft: ExtractedTarget, name: str) -> Any:
    value = getattr(draft, name)
    return getattr(value, "value", value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return bool(a == b)


def differences(draft: ExtractedTarget, target: Target) -> tuple[Difference, ...]:
    """The fields on which ``draft`` and ``target`` disagree (bounds as the comparator uses them)."""
    out = []
    between = target.comparator is Comparator.BETWEEN or draft.comparator is Comparator.BETWEEN
    for name in FIELDS:
        if (name == "value" and between) or (name in {"low", "high"} and not between):
            continue
        file_value, draft_value = _file_value(target, name), _draft_value(draft, name)
        if name == "first_year" and file_value is None and draft_value is None:
            continue
        if not _same(draft_value, file_value):
            out.append(Difference(name, draft_value, file_value))
    return tuple(out)


def _words(text: str) -> set[str]:
    return {w for w in fold(text).replace("…", " ").split() if w.isalnum()}


def _bounds(t: Target | ExtractedTarget) -> tuple[float | None, ...]:
    return (t.value, t.low, t.high)


def _score(draft: ExtractedTarget, target: Target) -> float:
    a = _words(draft.restored_text or draft.text)
    b = _words(target.text)
    score = 4 * len(a & b) / len(a | b) if a | b else 0.0
    if draft.number and draft.number == target.number:
        score += 2
    if all(
        _same(x, y) if x is not None and y is not None else x is y
        for x, y in zip(_bounds(draft), _bounds(target), strict=True)
    ):
        score += 2
    if draft.indicator == target.indicator:
        score += 2
    if draft.kind is target.kind:
        score += 0.5
    if draft.unit == target.unit:
        score += 0.5
    return score


def compare_targets(drafts: Sequence[ExtractedTarget], resolution: Resolution) -> Comparison:
    """Pair ``drafts`` with ``resolution``'s targets and list what differs."""
    scored = sorted(
        ((_score(d, t), i, j) for i, d in enumerate(drafts) for j, t in enumerate(resolution.targets)),
        reverse=True,
    )
    used_drafts: set[int] = set()
    used_targets: set[int] = set()
    matches: dict[int, int] = {}
    for score, i, j in scored:
        if score < _MATCH_FLOOR:
            break
        if i in used_drafts or j in used_targets:
            continue
        used_drafts.add(i)
        used_targets.add(j)
        matches[j] = i
    pairs = tuple(
        Pair(t, drafts[matches[j]], differences(drafts[matches[j]], t))
        for j, t in enumerate(resolution.targets)
        if j in matches
    )
    missing = tuple(t for j, t in enumerate(resolution.targets) if j not in matches)
    extra = tuple(d for i, d in enumerate(drafts) if i not in used_drafts)
    return Comparison(pairs, missing, extra)
