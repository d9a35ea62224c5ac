"""From a resolution's text to drafted targets: the steps of :mod:`chiso.extraction` in order."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from chiso.indicators import Catalogue, Direction
from chiso.targets import Comparator, TargetKind

from .indicators import Guess, IndicatorGuesser
from .normalise import Lexicon, Normalised, cached_lexicon, normalise, restore_diacritics
from .parse import ParsedTarget, find_years, parse_clause
from .sentences import Group, Mode, Sentence, segment

# Sentences that report what was done, even inside a part that sets targets.
_PAST = re.compile(r"\b(?:uoc dat|uoc tinh dat|da dat|dat duoc|da hoan thanh|nhiem ky qua|so voi cung ky)\b")
TERM_YEARS = 5  # a Party congress term


@dataclass(frozen=True)
class ExtractedTarget:
    """A target drafted from a sentence; see :meth:`record` for its JSON form.

    ``text`` is the part of the sentence that states this target and ``sentence`` the
    whole sentence, both as written in the input. ``restored_text`` is ``text`` with
    diacritics put back, given only when the input had none.
    """

    text: str
    sentence: str
    number: str
    section: str
    group: str | None
    line: int
    kind: TargetKind
    comparator: Comparator | None
    value: float | None
    low: float | None
    high: float | None
    unit: str
    year: int
    first_year: int | None
    base_period: int | None
    change: Direction | None
    out_of: int | None
    condition: tuple[Comparator, float] | None
    eligible_types: tuple[str, ...]
    eligible_border: bool | None
    fraction: tuple[int, int] | None
    quantities: tuple[tuple[float | None, float | None, float | None, str], ...]
    indicator: str | None
    indicator_name: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...]
    restored_text: str | None

    def record(self) -> dict[str, Any]:
        """The target as a JSON-ready dict (the ``extract-targets --format json`` item)."""
        bound: dict[str, Any] = (
            {"low": self.low, "high": self.high}
            if self.comparator is Comparator.BETWEEN
            else {"value": self.value}
        )
        out: dict[str, Any] = {
            "text": self.text,
            "sentence": self.sentence,
            "number": self.number,
            "section": self.section,
            "group": self.group,
            "line": self.line,
            "kind": self.kind.value,
            "comparator": self.comparator.value if self.comparator else None,
            **bound,
            "unit": self.unit,
            "year": self.year,
            "first_year": self.first_year,
            "base": {"period": str(self.base_period)} if self.base_period else None,
            "change": self.change.value if self.change else None,
            "out_of": self.out_of,
            "condition": (
                {"comparator": self.condition[0].value, "value": self.condition[1]}
                if self.condition
                else None
            ),
            "eligible": _eligible(self.eligible_types, self.eligible_border),
            "fraction": list(self.fraction) if self.fraction else None,
            "quantities": [
                {"value": v, "low": lo, "high": hi, "unit": u} for v, lo, hi, u in self.quantities
            ],
            "indicator": self.indicator,
            "indicator_name": self.indicator_name,
            "confidence": self.confidence,
            "alternatives": [{"indicator": c, "score": s} for c, s in self.alternatives],
        }
        if self.restored_text is not None:
            out["restored_text"] = self.restored_text
        return out


def _eligible(types: tuple[str, ...], border: bool | None) -> dict[str, Any] | None:
    if not types and border is None:
        return None
    out: dict[str, Any] = {}
    if types:
        out["types"] = list(types)
    if border is not None:
        out["border"] = border
    return out


@dataclass(frozen=True)
class Extraction:
    """What :func:`extract_targets` found: targets, the term, groups, and the input's form."""

    targets: tuple[ExtractedTarget, ...]
    term: tuple[int, int]
    accented: bool
    groups: dict[str, str]


@lru_cache(maxsize=8)
def _guesser(catalogue: Catalogue) -> IndicatorGuesser:
    return IndicatorGuesser(catalogue)


def extract_targets(
    text: str, catalogue: Catalogue | None = None, *, term: tuple[int, int] | None = None
) -> Extraction:
    """Find the quantified targets of a resolution's text and parse each one.

    Works the same on text with diacritics, without them and from OCR. ``term`` is the
    resolution's term (start, end); by default it is read from the text: the end is the
    most frequent "đến năm …" year of the target sentences. Without ``catalogue`` no
    indicator is guessed.
    """
    lexicon = cached_lexicon(catalogue)
    doc = normalise(text, lexicon)
    sentences = [s for s in segment(doc) if s.mode is Mode.TARGETS]
    term = term or detect_term(doc, sentences)
    guesser = _guesser(catalogue) if catalogue is not None else None
    targets: list[ExtractedTarget] = []
    groups: dict[str, str] = {}
    for sentence in sentences:
        shadow = doc.shadow.text[sentence.start : sentence.end]
        if _PAST.search(shadow):
            continue
        years = find_years(shadow)
        found: list[tuple[int, ParsedTarget, int]] = []
        for c_start, c_end in sentence.clauses:
            clause = doc.shadow.text[c_start:c_end]
            parsed = parse_clause(
                clause,
                default_year=term[1],
                term_start=term[0],
                sentence_years=(years.deadline, years.period),
            )
            found.extend((c_start, p, i) for i, p in enumerate(parsed))
        if not found:
            continue
        group = sentence.group or sentence.part
        if group is not None and group.id not in groups:
            groups[group.id] = _group_name(doc, group, lexicon)
        first_subject = {c: p.subject for c, p, i in found if i == 0}
        for c_start, p, index in found:
            context = (
                p.context if index == 0 or p.sibling else f"{p.context} {first_subject.get(c_start, '')}"
            )
            guess = (
                guesser.guess(p.subject, context, kind=p.kind, unit=p.unit)
                if guesser is not None
                else Guess(None, 0)
            )
            targets.append(_target(doc, sentence, c_start, p, guess, catalogue, lexicon))
    return Extraction(tuple(targets), term, doc.accented, groups)


def detect_term(doc: Normalised, sentences: list[Sentence]) -> tuple[int, int]:
    """The term (start, end) a text sets targets for, read from its deadlines."""
    deadlines: Counter[int] = Counter()
    for sentence in sentences:
        for match in re.finditer(
            r"\bden nam ((?:19|20)\d\d)\b", doc.shadow.text[sentence.start : sentence.end]
        ):
            deadlines[int(match.group(1))] += 1
    if deadlines:
        end = max(deadlines, key=lambda y: (deadlines[y], y))
    else:
        periods = [
            int(m.group(2)) for m in re.finditer(r"((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)", doc.shadow.text)
        ]
        # Without any, the current term: Party congress terms end in years divisible by 5.
        end = max(periods) if periods else dt.date.today().year // TERM_YEARS * TERM_YEARS + TERM_YEARS
    return (end - TERM_YEARS, end)


def _span_text(doc: Normalised, start: int, end: int) -> tuple[int, int]:
    """Trim separators and a leading "và" off a shadow span."""
    text = doc.shadow.text
    while start < end and text[start] in " ,;:\n":
        start += 1
    if text.startswith("va ", start):
        start += 3
    while end > start and text[end - 1] in " ,;:\n.":
        end -= 1
    return start, end


def _target(
    doc: Normalised,
    sentence: Sentence,
    clause_start: int,
    p: ParsedTarget,
    guess: Guess,
    catalogue: Catalogue | None,
    lexicon: Lexicon,
) -> ExtractedTarget:
    start, end = _span_text(doc, clause_start + p.start, clause_start + p.end)
    indicator_name = ""
    if guess.code is not None and catalogue is not None:
        indicator_name = catalogue.get(guess.code).name
    restored = None
    if not doc.accented:
        restored = restore_diacritics(doc, start, end, lexicon)
        restored = restored[:1].upper() + restored[1:]
    return ExtractedTarget(
        text=doc.original_text(start, end),
        sentence=doc.original_text(sentence.start, sentence.end),
        number=sentence.number,
        section=sentence.section,
        group=group.id if (group := sentence.group or sentence.part) else None,
        line=sentence.line,
        kind=p.kind,
        comparator=p.comparator,
        value=p.value,
        low=p.low,
        high=p.high,
        unit=p.unit,
        year=p.year,
        first_year=p.first_year,
        base_period=p.base_period,
        change=p.change,
        out_of=p.out_of,
        condition=p.condition,
        eligible_types=p.eligible_types,
        eligible_border=p.eligible_border,
        fraction=p.fraction,
        quantities=tuple((q.value, q.low, q.high, q.unit) for q in p.quantities),
        indicator=guess.code,
        indicator_name=indicator_name,
        confidence=guess.confidence,
        alternatives=guess.alternatives,
        restored_text=restored,
    )


def _group_name(doc: Normalised, group: Group, lexicon: Lexicon) -> str:
    if doc.accented:
        name = doc.original_text(group.start, group.end)
    else:
        name = restore_diacritics(doc, group.start, group.end, lexicon)
    name = name.strip(" :.")
    if name.isupper():
        name = name.lower()
    return name[:1].upper() + name[1:]
