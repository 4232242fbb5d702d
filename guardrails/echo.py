"""Long verbatim echoes of the customer's own message. A draft that repeats a dozen or more
consecutive words of it has usually copied (or obeyed) the customer's text instead of
answering it, and may replay abuse or injected instructions back at them."""

from __future__ import annotations

import re

from guardrails.report import Finding
from guardrails.spans import finding

ECHO_RULE = "artefacts.echo"
ECHO_WORDS = 12
"""The shortest run of consecutive words, shared with the customer's message, that counts."""

_WORD = re.compile(r"[\w'’]+")


def scan_echo(body: str, customer_message: str | None) -> list[Finding]:
    """One finding per maximal run of at least `ECHO_WORDS` words copied from the message."""
    if not customer_message:
        return []
    source = [w.lower() for w in _WORD.findall(customer_message)]
    if len(source) < ECHO_WORDS:
        return []
    vocabulary = set(source)
    low = body.lower()
    # Lowercasing can change a string's length (and so its word split) for a few characters.
    words = _WORD.findall(low) if len(low) == len(body) else [
        w.lower() for w in _WORD.findall(body)
    ]
    # Only a stretch of body words that all occur in the message can hold an echo, which
    # rules out almost every position before any n-gram is built.
    runs: list[tuple[int, int]] = []  # word index ranges, end exclusive
    grams: set[tuple[str, ...]] | None = None
    index = 0
    while index < len(words):
        if words[index] not in vocabulary:
            index += 1
            continue
        stop = index
        while stop < len(words) and words[stop] in vocabulary:
            stop += 1
        if stop - index >= ECHO_WORDS:
            if grams is None:
                grams = {tuple(source[i : i + ECHO_WORDS])
                         for i in range(len(source) - ECHO_WORDS + 1)}
            for i in range(index, stop - ECHO_WORDS + 1):
                if tuple(words[i : i + ECHO_WORDS]) in grams:
                    if runs and runs[-1][1] >= i + ECHO_WORDS - 1:
                        runs[-1] = (runs[-1][0], i + ECHO_WORDS)
                    else:
                        runs.append((i, i + ECHO_WORDS))
        index = stop
    if not runs:
        return []
    matches = list(_WORD.finditer(body))
    return [
        finding(
            ECHO_RULE, "error",
            f"Repeats {last - first} consecutive words of the customer's own message verbatim.",
            body, matches[first].start(), matches[last - 1].end(),
            "Summarise the customer's concern in your own words instead of quoting it back.",
        )
        for first, last in runs
    ]
