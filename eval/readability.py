"""Text statistics for the supporting metrics: words, Flesch reading ease, apology phrases.

Flesch reading ease = 206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words).
Syllables are counted with a vowel-group heuristic (silent final "e", "-le" endings, a floor
of one per word); it is within a syllable or so of a dictionary on ordinary business English,
which is all a trend metric needs, and it keeps textstat and its dictionaries out of the deps.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_APOLOGY = re.compile(
    r"\b(?:sorry|apolog(?:y|ies|ise|ize|ised|ized|ising|izing)|regret(?:s|ful|fully)?)\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def sentence_count(text: str) -> int:
    pieces = [piece for piece in _SENTENCE_END.split(text) if _WORD.search(piece)]
    return max(len(pieces), 1)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final "e" (but not "-le"), at least one."""
    word = word.lower().replace("’", "'").split("'")[0]
    if not word:
        return 0
    if word.isdigit():
        return max(len(word), 1)
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith(("ed", "es")) and len(word) > 3 and word[-3] not in "aeiouydt" and count > 1:
        count -= 1
    return max(count, 1)


def flesch_reading_ease(text: str) -> float | None:
    """Flesch reading ease (higher is easier; 60-70 is plain English); None for no words."""
    tokens = words(text)
    if not tokens:
        return None
    syllable_total = sum(syllables(token) for token in tokens)
    return round(
        206.835
        - 1.015 * (len(tokens) / sentence_count(text))
        - 84.6 * (syllable_total / len(tokens)),
        2,
    )


def apology_phrases(text: str) -> int:
    """How often the draft says sorry, apologises or regrets."""
    return len(_APOLOGY.findall(text))


def length_fit(count: int, low: int, high: int) -> float:
    """1.0 inside [low, high]; outside, the shortfall or excess as a fraction, floored at 0."""
    if count < low:
        return round(max(count / low, 0.0), 4)
    if count > high:
        return round(max(1.0 - (count - high) / high, 0.0), 4)
    return 1.0
