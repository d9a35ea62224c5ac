"""A resolution's structure: headings, groups, "(n)" items, sentences and clauses.

Works on the repaired shadow (:mod:`chiso.extraction.normalise`) line by line:

- **headings** set the section path: a Roman numeral ("III.", OCR'd as "I11." or "Il.")
  opens a part, "1.", "1.2." a numbered section, so a task-section target is numbered
  like "V.1.5". Upper-case lines and Roman headings also say whether what follows
  reports past results ("ĐÁNH GIÁ KẾT QUẢ …", "KẾT QUẢ ĐẠT ĐƯỢC") or sets targets
  ("MỤC TIÊU", "CHỈ TIÊU", "NHIỆM VỤ VÀ GIẢI PHÁP"); sentences in a results part are
  not targets, however many numbers they hold.
- **groups** are the "- Về kinh tế" lines of a target list;
- **items** are the "(1) … (2) …" enumerations, at a line start or inline;
- **sentences** end at ".", "!" or "?" before a capital letter, a digit or "(";
  **clauses** are the ";"-separated parts of a sentence.

Lines broken inside a word with a hyphen are joined; a page number alone on a line is
dropped.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from .normalise import Normalised

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman_value(text: str) -> int | None:
    letters = text.upper().replace("1", "I").replace("L", "I")
    if not letters or any(c not in _ROMAN for c in letters):
        return None
    total = 0
    for i, c in enumerate(letters):
        value = _ROMAN[c]
        total += -value if i + 1 < len(letters) and _ROMAN[letters[i + 1]] > value else value
    return total if 0 < total <= 20 else None


def _to_roman(value: int) -> str:
    out = ""
    for number, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out


class Mode(StrEnum):
    """Whether a part of the text sets targets or reports results."""

    TARGETS = "targets"
    REPORT = "report"


_REPORT_WORDS = re.compile(r"danh gia (?:ket qua|chung|tinh hinh)|ket qua (?:dat duoc|thuc hien)|bai hoc")
_TARGET_WORDS = re.compile(r"muc tieu|chi tieu|nhiem vu|giai phap|phuong huong|dinh huong")
_ROMAN_HEADING = re.compile(r"^\s*[~\-–•*o]?\s*([IVXLl1]{1,5})\s*\.\s*(\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")
_GROUP = re.compile(r"^\s*(?:[-+•*]|[a-z]\))\s*ve\s+(\S.{2,90}?)\s*:?\s*$")
_ITEM = re.compile(r"(?:^|(?<=[\s;:.,]))\((\d{1,2})\)(?=\s)")
_SENTENCE_END = re.compile(r"[.!?](?=\s+\S)")


@dataclass(frozen=True)
class Group:
    """A group line of a target list ("- Về kinh tế"): id and its shadow span."""

    id: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """One sentence, located in the shadow, with where it sits in the document."""

    start: int
    end: int
    clauses: tuple[tuple[int, int], ...]
    number: str
    section: str
    group: Group | None
    mode: Mode
    line: int
    part: Group | None = None


@dataclass
class _State:
    mode: Mode = Mode.TARGETS
    roman: str = ""
    numbered: str = ""
    numbered_title: str = ""
    item: str | None = None
    group: Group | None = None
    part: Group | None = None

    @property
    def section(self) -> str:
        return ".".join(p for p in (self.roman, self.numbered) if p)

    def number(self, item: str | None) -> str:
        """A sentence's number: "(3)" of the main target list is "3", elsewhere "III.3.1(3)"."""
        if item is not None and "chi tieu" in self.numbered_title:
            return item
        if item is not None:
            return f"{self.section}({item})" if self.section else item
        return self.section


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.6


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text)
    return "_".join(words[:6]) or "nhom"


def segment(doc: Normalised) -> list[Sentence]:
    """Split a normalised document into sentences with their section, group and mode."""
    shadow = doc.shadow.text
    state = _State()
    sentences: list[Sentence] = []
    paragraph: list[tuple[int, int]] = []  # line spans, in the shadow

    def flush() -> None:
        if paragraph:
            start, end = paragraph[0][0], paragraph[-1][1]
            sentences.extend(_sentences(doc, start, end, state, line_starts))
            paragraph.clear()

    line_starts = [0, *(m.end() for m in re.finditer("\n", doc.original))]
    position = 0
    for line in shadow.split("\n"):
        a, b = position, position + len(line)
        position = b + 1
        if not line.strip():
            flush()
            continue
        if line.strip().isdigit():
            continue  # a page number
        oa, ob = doc.shadow.original_span(a, b)
        written = doc.original[oa:ob]
        roman = _ROMAN_HEADING.match(written)
        if roman and _roman_value(roman.group(1)) and _upper(roman.group(2)):
            flush()
            state.roman = _to_roman(_roman_value(roman.group(1)) or 0)
            title = re.match(r"^[^.]{0,8}\.\s*", line)
            t_start = a + (title.end() if title else 0)
            state.part = Group(_slug(shadow[t_start:b]), t_start, b)
            state.numbered = state.numbered_title = ""
            state.item = None
            state.group = None
            _switch_mode(state, line)
            continue
        if _upper(written):
            flush()
            _switch_mode(state, line)
            continue
        group = _GROUP.match(line)
        if group:
            flush()
            state.group = Group(_slug(group.group(1)), a + group.start(1), a + group.end(1))
            state.item = None
            continue
        numbered = _NUMBERED.match(line)
        written_numbered = _NUMBERED.match(written)
        if numbered and written_numbered and written[written_numbered.end() :][:1].isupper():
            flush()
            state.numbered = numbered.group(1)
            state.numbered_title = line[numbered.end() :]
            state.item = None
            state.group = None
            a += numbered.end()
        paragraph.append((a, b))
    flush()
    return sentences


def _switch_mode(state: _State, heading: str) -> None:
    if _REPORT_WORDS.search(heading):
        state.mode = Mode.REPORT
    elif _TARGET_WORDS.search(heading):
        state.mode = Mode.TARGETS


def _sentences(
    doc: Normalised, start: int, end: int, state: _State, line_starts: list[int]
) -> list[Sentence]:
    text = doc.shadow.text
    # Items: "(1) …" opens item 1 until the next marker.
    parts: list[tuple[int, int, str | None]] = []
    cursor, item = start, state.item
    for match in _ITEM.finditer(text, start, end):
        if match.start() > cursor:
            parts.append((cursor, match.start(), item))
        item = match.group(1)
        cursor = match.end()
    parts.append((cursor, end, item))
    state.item = item
    out: list[Sentence] = []
    for a, b, part_item in parts:
        for s, e in _split_sentences(doc, a, b):
            clauses = tuple(_clauses(text, s, e))
            line = bisect.bisect_right(line_starts, doc.shadow.original_span(s, e)[0])
            number = state.number(part_item)
            out.append(
                Sentence(s, e, clauses, number, state.section, state.group, state.mode, line, state.part)
            )
    return out


def _split_sentences(doc: Normalised, start: int, end: int) -> list[tuple[int, int]]:
    text = doc.shadow.text
    spans = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        following = re.match(r"\s+(\S)", text[match.end() : end])
        if following is None:
            continue
        at = match.end() + following.start(1)
        written = doc.original[doc.shadow.original_span(at, at + 1)[0]]
        if written.isupper() or written.isdigit() or written in "(-–•":
            spans.append((cursor, match.end()))
            cursor = at
    spans.append((cursor, end))
    return [(a, b) for a, b in (_strip(text, a, b) for a, b in spans) if b > a]


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    for match in re.finditer(";", text[start:end]):
        spans.append((cursor, start + match.start()))
        cursor = start + match.end()
    spans.append((cursor, end))
    return [(a, b) for a, b in (_strip(text, a, b) for a, b in spans) if b > a]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \n\t-•*":
        start += 1
    while end > start and text[end - 1] in " \n\t.;,":
        end -= 1
    return start, end
