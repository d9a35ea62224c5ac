"""A folded, OCR-repaired *shadow* of a text that remembers where each character came from.

The extractor never parses the text as written. It parses a shadow: lower case, no
diacritics, "đ" → "d", dashes unified, and the typical confusions of OCR on Vietnamese
repaired ("Pang" → "dang", "1én" → "len", "nim" → "nam", "t6i" → "toi", "x4" → "xa").
Every shadow character keeps the span of the original characters it stands for, so a
sentence found in the shadow is returned exactly as written.

Repair is guided by a lexicon (:mod:`chiso.extraction.vocabulary` plus the indicator
catalogue):

1. a token that is not a possible Vietnamese syllable ("ting", "ndm", "x4", "1¢") is
   replaced by the lexicon word reachable with the fewest OCR edits (digit ↔ letter,
   lost or misread diacritic letters such as ă → i, ư → ir/w, ơ → d/g);
2. in text without diacritics, a word that neither neighbour supports is replaced by a
   one-edit neighbour that the lexicon's word pairs do support ("tre len" → "tro len",
   "ben nam" → "den nam").

Limits, honestly: the lexicon is small (the vocabulary of target sentences), so repair
fixes the words that matter for parsing and leaves the rest alone or, rarely, changes a
rare correct word into a frequent one. The shadow is only ever parsed, never shown.
:func:`restore_diacritics` puts diacritics back on a sentence word by word from the same
lexicon; words it does not know stay without diacritics and must be corrected by hand.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from chiso.indicators import Catalogue
from chiso.text import fold, nfc

from .vocabulary import PHRASES, SYNONYMS

# --- the shadow ------------------------------------------------------------------------

_CHAR_MAP = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2012": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2212": "-",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u00a0": " ",
    "\t": " ",
    "\r": " ",
    "\u00ad": "",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _CHAR_MAP:
        return _CHAR_MAP[char]
    return fold(char)


@dataclass(frozen=True)
class Shadow:
    """Folded text; ``starts[i]``/``ends[i]`` give the original span behind character ``i``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind shadow characters ``start:end``."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return (self.starts[start], self.ends[end - 1])

    def slice(self, start: int, end: int) -> Shadow:
        """The part ``start:end``, keeping its link to the original."""
        return Shadow(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> Shadow:
        """Like :func:`re.sub`; a replacement maps onto the span of what it replaced."""
        edits = []
        for match in pattern.finditer(self.text):
            new = repl(match) if callable(repl) else match.expand(repl)
            if new != match.group(0):
                edits.append((match.start(), match.end(), new))
        return self.replace(edits)

    def replace(self, edits: list[tuple[int, int, str]]) -> Shadow:
        """Replace the non-overlapping spans ``(start, end, new)``, sorted by start."""
        if not edits:
            return self
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        last = 0
        for a, b, new in edits:
            out.append(self.text[last:a])
            starts.extend(self.starts[last:a])
            ends.extend(self.ends[last:a])
            if len(new) == b - a:
                starts.extend(self.starts[a:b])
                ends.extend(self.ends[a:b])
            elif new and b > a:
                starts.extend([self.starts[a]] * len(new))
                ends.extend([self.ends[b - 1]] * len(new))
            out.append(new)
            last = b
        out.append(self.text[last:])
        starts.extend(self.starts[last:])
        ends.extend(self.ends[last:])
        return Shadow("".join(out), tuple(starts), tuple(ends))


def fold_text(text: str) -> Shadow:
    """The folded shadow of ``text`` (lower case, no diacritics), linked to ``text``."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        for f in folded:
            out.append(f)
            starts.append(index)
            ends.append(index + 1)
    return Shadow("".join(out), tuple(starts), tuple(ends))


# --- detecting diacritics ----------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
# OCR engines without a Vietnamese model keep a few Latin accents ("é"); they do not
# produce horns, breves, hooks and dots below. Those are what marks real diacritics.
_VIETNAMESE_ONLY = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def has_diacritics(text: str) -> bool:
    """True when ``text`` is written with Vietnamese diacritics (not stripped, not OCR'd)."""
    words = _WORD.findall(nfc(text).lower())
    if not words:
        return False
    marked = [w for w in words if any(c in _VIETNAMESE_ONLY for c in w)]
    distinct = {c for w in marked for c in w if c in _VIETNAMESE_ONLY}
    return len(marked) / len(words) >= 0.2 and len(distinct) >= 3


# --- Vietnamese syllables ---------------------------------------------------------------

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_CLOSED = r"(?:a|e|i|o|u|y|ie|ye|uo|oo)"  # nuclei that take a final consonant
_OPEN = r"(?:ai|ao|au|ay|eo|eu|ia|iu|oi|ua|ui|uu|ieu|yeu|uoi|uou|ya|uya|uyu)"
_SYLLABLE = re.compile(
    rf"^{_ONSET}(?:(?:[ou])?{_CLOSED}(?:ch|nh|ng|[cmnpt])?|(?:[ou])?{_OPEN}|uy(?:ch|nh|[nt])?)$"
)
_BAD_RHYMES = re.compile(r"(?:ing|ic|yc|yng|onh|unh|och|uch|ynh|eng?h)$")


def is_syllable(token: str) -> bool:
    """Whether a folded token could be a Vietnamese syllable ("tang" yes, "ting" no)."""
    if not _SYLLABLE.match(token):
        return False
    return not (_BAD_RHYMES.search(token) and not token.endswith(("uynh", "uych", "inh", "ich")))


# --- the lexicon ------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z0-9¢€&¥@|]+|%|/|[^\sa-z0-9]")
_LETTERISH = re.compile(r"[a-z¢€&¥@|]")


def _context_key(token: str) -> str:
    return "#" if token.isdigit() else token


@dataclass
class Lexicon:
    """Known folded words, word pairs and accented forms (see the module docstring)."""

    words: Counter[str]
    pairs: Counter[tuple[str, str]]
    phrases: dict[tuple[str, ...], tuple[str, ...]]
    longest: int
    _cache: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict, repr=False)

    def knows(self, word: str) -> bool:
        """Whether ``word`` (folded) is a lexicon word."""
        return word in self.words

    def support(self, left: str | None, word: str, right: str | None) -> int:
        """How many known pairs ``word`` forms with its neighbours."""
        total = 0
        if left is not None:
            total += self.pairs[(left, word)]
        if right is not None:
            total += self.pairs[(word, right)]
        return total

    def nearest(self, token: str, max_cost: int) -> dict[str, int]:
        """The lexicon words fewest OCR edits away from ``token`` (at most ``max_cost``),
        each with the summed penalty of its edits."""
        key = (token, max_cost)
        if key not in self._cache:
            self._cache[key] = self._nearest(token, max_cost)
        return self._cache[key]

    def _nearest(self, token: str, max_cost: int) -> dict[str, int]:
        frontier = {token: 0}
        seen = {token}
        for _ in range(max_cost):
            found: dict[str, int] = {}
            for t, penalty in frontier.items():
                for variant, rank in _variants(t).items():
                    if variant not in seen and penalty + rank < found.get(variant, 1 << 30):
                        found[variant] = penalty + rank
            seen |= found.keys()
            hits = {w: p for w, p in found.items() if w in self.words}
            if hits:
                return hits
            frontier = {w: p for w, p in found.items() if len(w) <= len(token) + 1}
        return {}


def _phrase_sources(catalogue: Catalogue | None) -> Iterable[str]:
    yield from PHRASES
    for forms in SYNONYMS.values():
        yield from forms
    if catalogue is not None:
        for indicator in catalogue:
            yield indicator.name
            yield indicator.description


def build_lexicon(catalogue: Catalogue | None = None) -> Lexicon:
    """The lexicon from the shipped vocabulary and the names in ``catalogue``."""
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    forms: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    longest = 1
    for phrase in _phrase_sources(catalogue):
        accented = _PHRASE_TOKEN.findall(nfc(phrase.strip()))
        folded = [_fold_char_seq(t) for t in accented]
        keys = [_context_key(t) for t in folded]
        for token in folded:
            if _LETTERISH.search(token):
                words[token] += 1
        for a, b in itertools.pairwise(keys):
            pairs[(a, b)] += 1
        # Accented forms of every run of up to six tokens, for restoring diacritics.
        for i in range(len(keys)):
            if not folded[i].isalpha():
                continue
            for j in range(i + 1, min(i + 6, len(keys)) + 1):
                forms[tuple(keys[i:j])][tuple(t.lower() for t in accented[i:j])] += 1
                longest = max(longest, j - i)
    phrases = {key: counter.most_common(1)[0][0] for key, counter in forms.items()}
    return Lexicon(words, pairs, phrases, longest)


_PHRASE_TOKEN = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)*|[^\s\w]")


def _fold_char_seq(text: str) -> str:
    return "".join(_fold_char(c) for c in text)


@lru_cache(maxsize=8)
def cached_lexicon(catalogue: Catalogue | None) -> Lexicon:
    """:func:`build_lexicon`, built once per catalogue object."""
    return build_lexicon(catalogue)


# --- OCR repair -------------------------------------------------------------------------

# What an OCR engine reads instead of a folded letter (or letters), cost 1 each.
_SINGLE: dict[str, tuple[str, ...]] = {
    "1": ("l", "i"),
    "6": ("o",),
    "4": ("a",),
    "8": ("e",),
    "0": ("o",),
    "3": ("a",),
    "&": ("a", "e"),
    "¢": ("e", "o"),
    "€": ("e",),
    "¥": ("y",),
    "@": ("a",),
    "|": ("l",),
    "b": ("o", "d"),
    "d": ("o", "a", "u", ""),
    "i": ("a", "u", "o", "l", ""),
    "e": ("o", "a", ""),
    "a": ("o", "u", "e", ""),
    "y": ("u",),
    "w": ("u", "uo", "o"),
    "g": ("o",),
    "q": ("o",),
    "p": ("d",),
    "o": ("a", "u"),
    "u": ("o", "a"),
    "c": ("e",),
    "l": ("i",),
}
_MULTI: dict[str, tuple[str, ...]] = {"ir": ("u",), "tr": ("u",), "ii": ("u",), "rn": ("m",), "it": ("u",)}


def _variants(token: str) -> dict[str, int]:
    """One-edit OCR variants of ``token``, each with a penalty (the rank of the confusion)."""
    out: dict[str, int] = {}
    for i, char in enumerate(token):
        for rank, new in enumerate(_SINGLE.get(char, ())):
            variant = token[:i] + new + token[i + 1 :]
            out[variant] = min(out.get(variant, rank), rank)
        for old, news in _MULTI.items():
            if token.startswith(old, i):
                for rank, new in enumerate(news):
                    variant = token[:i] + new + token[i + len(old) :]
                    out[variant] = min(out.get(variant, rank), rank)
    out.pop(token, None)
    out.pop("", None)
    return out


_UPPER_LINE_MIN_LETTERS = 4


def _upper_lines(original: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+", original):
        letters = [c for c in match.group(0) if c.isalpha()]
        if (
            len(letters) >= _UPPER_LINE_MIN_LETTERS
            and sum(c.isupper() for c in letters) / len(letters) >= 0.7
        ):
            spans.append(match.span())
    return spans


def _in_spans(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= position < b for a, b in spans)


# Repairs that need context a single token does not carry.
_CONTEXT_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[il1|]\\/[il1|]"), "m"),  # "NHlEl\/I" → "nhiem"
    (re.compile(r"\\/"), "v"),
    # "ti 1 ho ngheo", "ti 18 ho" → "ti le ho ..."
    (re.compile(r"(?<=\bt[iy]\s)[1il|][8e&€¢]?(?=\s+[a-z])"), "le"),
    (re.compile(r"\b[bp]en(?=\s+n[a-z]{1,3}\s+(?:19|20)\d\d)"), "den"),  # "Bén nam 2030"
    (re.compile(r"\bquoc\s+(?:16|1o|l6|io)\b"), "quoc lo"),
    (re.compile(r"\bnhat\s+1[2-4a&]\b"), "nhat la"),  # "nhất là", a frequent OCR "nhat 12"
    (re.compile(r"(?<=[a-z])-\n(?=[a-z])"), ""),  # a word hyphenated across lines
]


def repair(shadow: Shadow, original: str, lexicon: Lexicon, *, accented: bool) -> Shadow:
    """Repair OCR confusions in ``shadow`` (see the module docstring)."""
    upper = _upper_lines(original)

    def upper_l(match: re.Match[str]) -> str:
        # A lower-case "l" in an upper-case line is an "I" ("MUC TlEU").
        at = shadow.starts[match.start()]
        return "i" if original[at] == "l" and _in_spans(at, upper) else "l"

    shadow = shadow.sub(re.compile(r"l"), upper_l)
    for pattern, repl in _CONTEXT_RULES:
        shadow = shadow.sub(pattern, repl)
    tokens = list(_TOKEN.finditer(shadow.text))
    keys = [_context_key(t.group(0)) for t in tokens]
    skip = [not _LETTERISH.search(t.group(0)) or _is_acronym(t, shadow, original, upper) for t in tokens]
    changed: set[int] = set()

    def neighbours(index: int) -> tuple[str | None, str | None]:
        return (keys[index - 1] if index else None, keys[index + 1] if index + 1 < len(keys) else None)

    # 1. Tokens that cannot be Vietnamese syllables: the nearest lexicon word.
    for index, token in enumerate(keys):
        if skip[index] or lexicon.knows(token) or is_syllable(token):
            continue
        options = lexicon.nearest(token, 3 if len(token) >= 5 else 2)
        if options:
            left, right = neighbours(index)
            keys[index] = max(
                options, key=lambda w: (lexicon.support(left, w, right), -options[w], lexicon.words[w])
            )
            changed.add(index)
    # 2. Without diacritics, a word no neighbour supports: a supported one-edit neighbour.
    # Two rounds, so a repair can lean on a neighbour repaired after it ("dai se" → "doi so").
    for _round in range(0 if accented else 2):
        for index, token in enumerate(keys):
            if skip[index] or not token.isalpha():
                continue
            left, right = neighbours(index)
            if lexicon.support(left, token, right) > 0:
                continue
            # A known word changes only when the new one fits both neighbours.
            both = lexicon.knows(token)
            variants = _variants(token)
            options = {
                w: rank
                for w, rank in variants.items()
                if w in lexicon.words
                and (
                    lexicon.pairs[(left or "", w)] and lexicon.pairs[(w, right or "")]
                    if both
                    else lexicon.support(left, w, right)
                )
            }
            if options:
                keys[index] = max(
                    options, key=lambda w: (lexicon.support(left, w, right), -options[w], lexicon.words[w])
                )
                changed.add(index)
    edits = [(tokens[i].start(), tokens[i].end(), keys[i]) for i in sorted(changed)]
    return shadow.replace(edits)


def _is_acronym(match: re.Match[str], shadow: Shadow, original: str, upper: list[tuple[int, int]]) -> bool:
    a, b = shadow.original_span(*match.span())
    written = original[a:b]
    letters = [c for c in written if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and not _in_spans(a, upper)


# --- the whole step ---------------------------------------------------------------------


@dataclass(frozen=True)
class Normalised:
    """A text, its repaired shadow and whether it was written with diacritics."""

    original: str
    shadow: Shadow
    accented: bool

    def original_text(self, start: int, end: int) -> str:
        """The original text behind shadow ``start:end``, whitespace tidied."""
        a, b = self.shadow.original_span(start, end)
        return tidy(self.original[a:b])


def tidy(text: str) -> str:
    """Join words hyphenated across lines and collapse whitespace."""
    text = re.sub(r"(?<=[^\W\d_])-\n(?=[^\W\d_])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise(text: str, lexicon: Lexicon) -> Normalised:
    """Fold and repair ``text`` (NFC first); see the module docstring."""
    original = nfc(text)
    accented = has_diacritics(original)
    shadow = repair(fold_text(original), original, lexicon, accented=accented)
    return Normalised(original, shadow, accented)


# --- restoring diacritics -------------------------------------------------------------------


def restore_diacritics(normalised: Normalised, start: int, end: int, lexicon: Lexicon) -> str:
    """The shadow text ``start:end`` with diacritics put back from the lexicon.

    Longest known phrase first (numbers match any number, so "tu 90" reads "từ 90"),
    then the most frequent form of a single word. Case follows the original (a
    capitalised or all-capital word stays so); words the lexicon does not know stay
    folded. Meant for drafts of texts that had no diacritics.
    """
    shadow = normalised.shadow
    text = shadow.text[start:end]
    tokens = list(re.finditer(r"[a-z]+|\d+(?:[.,]\d+)*|[^\sa-z\d]", text))
    keys = [_context_key(t.group(0)) for t in tokens]
    forms: list[str] = [t.group(0) for t in tokens]
    i = 0
    while i < len(tokens):
        if not keys[i].isalpha():
            i += 1
            continue
        for n in range(min(lexicon.longest, len(tokens) - i), 0, -1):
            form = lexicon.phrases.get(tuple(keys[i : i + n]))
            if form is not None:
                break
        else:
            form, n = (forms[i],), 1
        for k in range(n):
            if keys[i + k].isalpha():
                match = tokens[i + k]
                a, b = shadow.original_span(start + match.start(), start + match.end())
                forms[i + k] = _match_case(form[k], normalised.original[a:b], first=i + k == 0)
        i += n
    out: list[str] = []
    cursor = 0
    for token, written in zip(tokens, forms, strict=True):
        out.append(text[cursor : token.start()])
        out.append(written)
        cursor = token.end()
    out.append(text[cursor:])
    return tidy(nfc("".join(out)))


def _match_case(word: str, written: str, *, first: bool = False) -> str:
    letters = [c for c in written if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return word.upper()
    # One capital letter in an OCR'd token ("I¢" for "lệ") is noise, not a proper noun.
    if letters and letters[0].isupper() and (len(letters) >= 2 or first):
        return word[:1].upper() + word[1:]
    return word
