"""Long verbatim echoes of the customer's own message. A draft that repeats a dozen or more
consecutive words of it has usually copied (or obeyed) the customer's text instead of
answering it, and may replay abuse or injected instructions back at them. Words the caller
wrote in the request's own fields (a summary quoting the customer) are the caller's, not an
echo."""

from __future__ import annotations

import re

from contract.report import Finding, Fix
from guardrails.draft import Draft
from guardrails.normalise import fold, lowered
from guardrails.spans import finding

ECHO_RULE = "artefacts.echo"
ECHO_WORDS = 12
"""The shortest run of consecutive words, shared with the customer's message, that counts."""

_WORD = re.compile(r"[\w']+")
_ASCII_WORD = re.compile(r"[a-zA-Z0-9_']+")
r"""`_WORD` for an ASCII text (where `\w` is a-z, A-Z, 0-9 and _), about twice as fast."""


def _word_pattern(text: str) -> re.Pattern[str]:
    return _ASCII_WORD if text.isascii() else _WORD


def _words(text: str) -> list[str]:
    folded = lowered(fold(text).text)
    return _word_pattern(folded).findall(folded)


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + ECHO_WORDS]) for i in range(len(words) - ECHO_WORDS + 1)}


_STRETCH = re.compile(b"\x01{%d,}" % ECHO_WORDS)


def _stretches(words: list[str], vocabulary: set[str]) -> list[tuple[int, int]]:
    """Runs of at least `ECHO_WORDS` consecutive words that all occur in `vocabulary`: only
    they can hold an echo. (Words are marked 1 or 0 in bytes, and the runs of 1 found by a
    regex.)"""
    marks = bytes(map(vocabulary.__contains__, words))
    return [m.span() for m in _STRETCH.finditer(marks)]


def scan_echo(draft: Draft) -> list[Finding]:
    """One finding per maximal run of at least `ECHO_WORDS` words copied from the message
    and not from the caller's own fields."""
    context = draft.context
    if context is None or not context.incident.customer_message:
        return []
    message = _words(context.incident.customer_message)
    body = draft.body
    # A copied run is a run of the message's words that all occur in the body's text: most
    # messages have none, and the body's words are then never read.
    if not _stretches(message, {word for word in set(message) if word in body.low}):
        return []
    words = _word_pattern(body.low).findall(body.low)
    stretches = _stretches(words, set(message))
    if not stretches:
        return []
    matches = list(_word_pattern(body.low).finditer(body.low))
    incident = context.incident
    own = [incident.summary, incident.cause, incident.impact]
    own += [r.description for r in context.remedies]
    own += [p.description for p in context.prevention]
    grams = _grams(message) - _grams(_words("\n".join(t for t in own if t)))
    runs: list[tuple[int, int]] = []  # word index ranges, end exclusive
    for first, stop in stretches:
        for i in range(first, stop - ECHO_WORDS + 1):
            if tuple(words[i : i + ECHO_WORDS]) in grams:
                if runs and runs[-1][1] >= i + ECHO_WORDS - 1:
                    runs[-1] = (runs[-1][0], i + ECHO_WORDS)
                else:
                    runs.append((i, i + ECHO_WORDS))
    return [
        finding(
            ECHO_RULE,
            "error",
            f"Repeats {last - first} consecutive words of the customer's own message verbatim.",
            body.text,
            matches[first].start(),
            matches[last - 1].end(),
            "Summarise the customer's concern in your own words instead of quoting it back.",
            fix=Fix(action="remove_sentence"),
        )
        for first, last in runs
    ]
