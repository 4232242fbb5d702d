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
    # The clause starts after the last break. Most windows hold no comma and no "but", so
    # the last punctuation break (found by `rfind`) is the answer without a regex scan.
    cut = max(window.rfind("."), window.rfind("!"), window.rfind("?"), window.rfind(";"),
              window.rfind(":"), window.rfind("\n")) + 1
    tail = window[cut:]
    # ", and" can also span the cut when the break before the cut is a line break.
    if "," in tail or "b" in tail or "B" in tail or (window[cut - 1 : cut] == "\n"
                                                      and "," in window):
        breaks = list(_CLAUSE_BREAK.finditer(window))
        cut = breaks[-1].end() if breaks else 0
    return [w.lower() for w in _WORD.findall(window, cut)[-count:]]


def is_negated(text: str, start: int, *, hedged: bool = False) -> bool:
    """True when the clause before `start` negates it ("we are not", "we can't"), or, with
    `hedged`, weakens it ("we may", "if we could")."""
    for word in preceding_words(text, start):
        if word in _NEGATORS or word.endswith(("n't", "n’t")):
            return True
        if hedged and word in _HEDGES:
            return True
    return False


def _is_break(text: str, at: int, stop: int) -> bool:
    """Whether `text[at]` ends a sentence as `_SENTENCE_END` sees it when the text is cut at
    `stop`: a line break, or `.!?` followed by whitespace or the cut."""
    return text[at] == "\n" or at + 1 == stop or text[at + 1].isspace()


def _last_break(text: str, low: int, stop: int) -> int:
    """The last sentence-ending character in `text[low:stop]`, or -1."""
    high = stop
    while True:
        at = max(text.rfind(".", low, high), text.rfind("!", low, high),
                 text.rfind("?", low, high), text.rfind("\n", low, high))
        if at < 0 or _is_break(text, at, stop):
            return at
        high = at


def _next_break(text: str, low: int) -> int:
    """The first sentence-ending character at or after `low`, or -1."""
    size = len(text)
    while True:
        found = [at for at in (text.find(".", low), text.find("!", low), text.find("?", low),
                               text.find("\n", low)) if at >= 0]
        if not found:
            return -1
        at = min(found)
        if _is_break(text, at, size):
            return at
        low = at + 1


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or line) around `start:end`, without surrounding whitespace: it starts
    after the last `.`, `!`, `?` followed by whitespace, or line break, before `start`."""
    # `str.rfind`/`str.find` locate the candidates; `_SENTENCE_END` states the same rule.
    left = max(0, start - 400)
    at = _last_break(text, left, start)
    left = at + 1 if at >= 0 else left
    at = _next_break(text, end)
    right = len(text) if at < 0 else at + (0 if text[at] == "\n" else 1)
    segment = text[left:right]
    left += len(segment) - len(segment.lstrip())
    right -= len(segment) - len(segment.rstrip()) if left < right else 0
    if left > start or right < end:  # the match itself spans a break; keep it whole
        return start, end
    return left, right


def evidence(text: str, start: int, end: int, field: TextField = "body") -> Evidence:
    # Validated construction (in pydantic-core) measures about twice as fast as
    # `model_construct`, which is pure Python, so the models are built the ordinary way.
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
