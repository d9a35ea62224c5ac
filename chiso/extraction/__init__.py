"""Drafting a resolution's targets from its text.

``extract_targets(text, catalogue)`` finds the sentences that state quantified targets
and parses each into the target grammar (:mod:`chiso.targets`): kind, comparator, value
or range, unit, year, base, and a guess of the indicator with a confidence. It works the
same on text with diacritics, without them, and from OCR.

The steps, one module each:

- :mod:`~chiso.extraction.normalise` — a folded, OCR-repaired shadow of the text that
  keeps the offsets of the original (and restores diacritics for drafts);
- :mod:`~chiso.extraction.sentences` — headings, "(n)" items, sentences, clauses; which
  parts report results and which set targets;
- :mod:`~chiso.extraction.parse` — numbers, ranges, units, comparators, kinds, years;
- :mod:`~chiso.extraction.indicators` — the indicator guess;
- :mod:`~chiso.extraction.draft` — the draft resolution file (YAML);
- :mod:`~chiso.extraction.compare` — the review: draft against an existing file;
- :mod:`~chiso.extraction.documents` — reading .txt, .docx and text-layer .pdf files.

All of it is pure (no store, no web) except :mod:`documents`, which reads files.
"""

from __future__ import annotations

from .compare import Comparison, Difference, Pair, compare_targets
from .documents import READERS, read_document, register_reader
from .draft import HEADER, draft_resolution, target_ids
from .extract import ExtractedTarget, Extraction, detect_term, extract_targets

__all__ = [
    "HEADER",
    "READERS",
    "Comparison",
    "Difference",
    "ExtractedTarget",
    "Extraction",
    "Pair",
    "compare_targets",
    "detect_term",
    "draft_resolution",
    "extract_targets",
    "read_document",
    "register_reader",
    "target_ids",
]
