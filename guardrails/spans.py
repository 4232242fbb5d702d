"""Text positions shared by the rules: sentence bounds, negation and hedging before a match,
and building findings whose excerpt is always exactly `text[start:end]`."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from contract.report import EvidenceData, Finding, Fix, Severity, TextField
from guardrails.lexicon import lexicon

# A clause ends at sentence punctuation, a semicolon, a line break or a contrasting "but":
# a "not" before one of these does not negate what follows it. ("b(?<!\wb)" is "\bb" written
# so that every alternative starts with a character the engine can skip ahead to.)
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]|b(?<!\wb)ut\b|,\s*(?:and|so)\b", re.IGNORECASE)
# Runs of word characters and apostrophes (as one class with "’" in it, every character
# would be tested against a large character set).
_WORD = re.compile(r"(?:\w|['’])+")
_LOOKBACK = 60
MAX_PER_RULE = 20
"""Findings kept per rule and field: enough to show a pattern, and the answer (and the work
behind it) stays proportional to the draft however often it repeats one mistake."""
SENTENCE_REACH = 400
"""`SentenceBreaks.bounds` never starts more than this many characters before its span. A
rule that reads matches in text order, and whose findings lie in their match's sentence, can
stop once a match starts more than this past the start of its `MAX_PER_RULE`-th finding so
far (in text order): every later finding would be dropped by the report's cap."""


def preceding_words(text: str, start: int, count: int = 4) -> list[str]:
    """The last `count` lowercased words of the clause that ends at `start`."""
    window = text[max(0, start - _LOOKBACK) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    cut = breaks[-1].end() if breaks else 0
    return [w.lower() for w in _WORD.findall(window, cut)[-count:]]


@lru_cache(maxsize=1)
def _negators() -> tuple[frozenset[str], frozenset[str]]:
    words = lexicon()
    return frozenset(words.words("negators")), frozenset(words.words("hedges"))


def is_negated(text: str, start: int, *, hedged: bool = False) -> bool:
    """True when the clause before `start` negates it ("we are not", "we can't"), or, with
    `hedged`, weakens it ("we may", "if we could")."""
    return negates(preceding_words(text, start), hedged=hedged)


def negates(words: list[str], *, hedged: bool = False) -> bool:
    """`is_negated` for the words `preceding_words` read before a match."""
    negators, hedges = _negators()
    for word in words:
        if word in negators or word.endswith(("n't", "n’t")):
            return True
        if hedged and word in hedges:
            return True
    return False


def negator_starts(low: str) -> list[int]:
    """Where in `low` (a lowered text) a negator or an "n't" starts, in order. A clause
    before `start` that `is_negated` reads as negated has one of them within `_LOOKBACK`
    characters before `start` (see `may_be_negated`): a rule that reads many matches asks
    that first, a binary search, instead of reading the words before each."""
    negators, _ = _negators()
    found = []
    for word in (*negators, "n't", "n’t"):
        at = low.find(word)
        while at >= 0:
            found.append(at)
            at = low.find(word, at + 1)
    return sorted(found)


def may_be_negated(starts: list[int], start: int) -> bool:
    """Whether one of `starts` (from `negator_starts`) lies in the look-back before `start`;
    when none does, `is_negated(low, start)` is false."""
    at = bisect_left(starts, max(0, start - _LOOKBACK))
    return at < len(starts) and starts[at] < start


def _trimmed(text: str, left: int, right: int, start: int, end: int) -> tuple[int, int]:
    """The sentence `text[left:right]` without its surrounding white space, or the match
    `start:end` itself when a break falls inside it."""
    segment = text[left:right]
    left += len(segment) - len(segment.lstrip())
    right -= len(segment) - len(segment.rstrip()) if left < right else 0
    if left > start or right < end:  # the match itself spans a break; keep it whole
        return start, end
    return left, right


class SentenceBreaks:
    """The sentence-ending positions of one text (`.`, `!`, `?` before white space or the
    end, and line breaks), found once per check; `bounds(start, end)` is the sentence (or
    line) around a span, without its surrounding white space."""

    __slots__ = ("_ends", "spans", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        size = len(text)
        ends = []
        for char in ".!?\n":
            at = text.find(char)
            while at >= 0:
                if char == "\n" or at + 1 == size or text[at + 1].isspace():
                    ends.append(at)
                at = text.find(char, at + 1)
        ends.sort()
        self._ends = ends
        self.spans = self._spans()
        """Every sentence (or line) of the text, as [start, end) without surrounding white
        space, in order; empty ones are skipped."""

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        text, ends = self.text, self._ends
        left = max(0, start - SENTENCE_REACH)
        if start - 1 >= left and text[start - 1 : start] in (".", "!", "?", "\n"):
            at = start - 1
        else:
            index = bisect_left(ends, start) - 1
            at = ends[index] if index >= 0 and ends[index] >= left else -1
        left = at + 1 if at >= 0 else left
        index = bisect_left(ends, end)
        right = len(text) if index == len(ends) else ends[index] + (text[ends[index]] != "\n")
        return _trimmed(text, left, right, start, end)

    def _spans(self) -> list[tuple[int, int]]:
        text, left = self.text, 0
        found = []
        for at in [*self._ends, len(text) - 1]:
            right = at + 1
            segment = text[left:right]
            start = left + len(segment) - len(segment.lstrip())
            end = right - len(segment) + len(segment.rstrip())
            if start < end:
                found.append((start, end))
            left = right
        return found


def evidence(text: str, start: int, end: int, field: TextField = "body") -> EvidenceData:
    """An `Evidence` as plain data. Elements are validated all at once, with the report:
    one validation of nested dicts costs about half of building each model on its own
    (`model_construct` is slower still: it is pure Python)."""
    return {"start": start, "end": end, "text": text[start:end], "field": field}


def finding(
    rule: str,
    severity: Severity,
    message: str,
    text: str,
    start: int,
    end: int,
    suggestion: str | None,
    field: TextField = "body",
    fix: Fix | None = None,
) -> Finding:
    """A finding whose excerpt is cut from `text`, so span and excerpt cannot disagree."""
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        start=start,
        end=end,
        excerpt=text[start:end],
        suggestion=suggestion,
        field=field,
        fix=fix,
    )
