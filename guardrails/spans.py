"""Text positions shared by the rules: sentence bounds, negation and hedging before a match,
and building findings whose excerpt is always exactly `text[start:end]`."""

from __future__ import annotations

import re

from guardrails.report import Evidence, Finding, Severity, TextField

_NEGATORS = frozenset(
    {"not", "no", "never", "cannot", "nor", "without", "neither", "unable", "nothing", "none"}
)
_HEDGES = frozenset({"may", "might", "could", "perhaps", "possibly", "maybe", "if", "whether"})
# A clause ends at sentence punctuation, a semicolon, a line break or a contrasting "but":
# a "not" before one of these does not negate what follows it.
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]|\bbut\b|,\s*(?:and|so)\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’]+")
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?=\s|$))")
_LOOKBACK = 60


def preceding_words(text: str, start: int, count: int = 4) -> list[str]:
    """The last `count` lowercased words of the clause that ends at `start`."""
    window = text[max(0, start - _LOOKBACK) : start]
    breaks = list(_CLAUSE_BREAK.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    return [w.lower() for w in _WORD.findall(window)[-count:]]


def is_negated(text: str, start: int, *, hedged: bool = False) -> bool:
    """True when the clause before `start` negates it ("we are not", "we can't"), or, with
    `hedged`, weakens it ("we may", "if we could")."""
    for word in preceding_words(text, start):
        if word in _NEGATORS or word.endswith(("n't", "n’t")):
            return True
        if hedged and word in _HEDGES:
            return True
    return False


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around `start:end`, without surrounding whitespace: it starts
    after the last `.`, `!`, `?` followed by whitespace, or line break, before `start`."""
    left = max(0, start - 400)
    for match in _SENTENCE_END.finditer(text, left, start):
        left = match.end()
    right = len(text)
    for match in _SENTENCE_END.finditer(text, end):
        right = match.end() - (1 if match.group() == "\n" else 0)
        break
    while left < right and text[left].isspace():
        left += 1
    while right > left and text[right - 1].isspace():
        right -= 1
    if left > start or right < end:  # the match itself spans a break; keep it whole
        return start, end
    return left, right


def evidence(text: str, start: int, end: int, field: TextField = "body") -> Evidence:
    return Evidence(start=start, end=end, text=text[start:end], field=field)


def finding(
    rule: str,
    severity: Severity,
    message: str,
    text: str,
    start: int,
    end: int,
    suggestion: str | None,
    field: TextField = "body",
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
    )
