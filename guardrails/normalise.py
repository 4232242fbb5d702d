"""Fold a text before matching, and map spans in the folded text back to the original.

Folding applies NFKC compatibility mapping (full-width digits, ligatures, no-break spaces),
drops format characters (zero-width spaces and joiners, soft hyphens, direction marks),
strips accents ("negligént" reads "negligent") and straightens curly quotes, character by
character, so that every folded character knows the original character it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char in _QUOTES:
        return _QUOTES[char]
    if unicodedata.category(char) == "Cf":
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", kept) if kept else ""


@dataclass(frozen=True, slots=True)
class Folded:
    """`text` folded, and for each folded character the index of its original character
    (`origin` is None when folding changed nothing)."""

    original: str
    text: str
    origin: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span `start:end`."""
        origin = self.origin
        if origin is None:
            return start, end
        size = len(self.original)
        first = origin[start] if start < len(origin) else size
        if end <= start:
            return first, first
        last = origin[end - 1] + 1 if end - 1 < len(origin) else size
        # An original character that folded into several (a ligature) is kept whole.
        return first, max(last, first)


def fold(text: str) -> Folded:
    """Fold `text` for matching (see the module docstring)."""
    if text.isascii():
        return Folded(text, text, None)
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = char if char.isascii() else _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    folded_text = "".join(parts)
    if folded_text == text:
        return Folded(text, text, None)
    return Folded(text, folded_text, tuple(origin))


def lowered(text: str) -> str:
    """`text.lower()` with one character per character, so spans stay valid (a few
    characters, such as 'İ', lowercase to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
