"""Long verbatim echoes of the customer's own message. A draft that repeats a dozen or more
consecutive words of it has usually copied (or obeyed) the customer's text instead of
answering it, and may replay abuse or injected instructions back at them."""

from __future__ import annotations

import re

from contract.report import Finding
from guardrails.spans import finding

ECHO_RULE = "artefacts.echo"
ECHO_WORDS = 12
"""The shortest run of consecutive words, shared with the customer's message, that counts."""

_WORD = re.compile(r"[\w'’]+")
_STRETCH = b"\x01" * ECHO_WORDS
# Every ASCII character that is not part of a word (`[\w']`) becomes a space.
_NON_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "_'")}
)


def echo_words(low: str) -> list[str]:
    """`_WORD.findall(low)`, by `str.translate` and `str.split` (C loops rather than the
    regex engine's) when `low` is ASCII."""
    if low.isascii():
        return low.translate(_NON_WORD).split()
    return _WORD.findall(low)


def _lower_words(text: str) -> list[str]:
    """The lowercased words of `text` (`[\\w'’]+` runs)."""
    if text.isascii():
        return echo_words(text.lower())
    low = text.lower()
    # Lowercasing can change a string's length (and so its word split) for a few characters.
    if len(low) == len(text):
        return _WORD.findall(low)
    return [w.lower() for w in _WORD.findall(text)]


def scan_echo(body: str, customer_message: str | None) -> list[Finding]:
    """One finding per maximal run of at least `ECHO_WORDS` words copied from the message."""
    if not customer_message:
        return []
    source = (
        echo_words(customer_message.lower())
        if customer_message.isascii()
        else [w.lower() for w in _WORD.findall(customer_message)]
    )
    if len(source) < ECHO_WORDS:
        return []
    vocabulary = set(source)
    if body.isascii():
        # An echo needs 12 consecutive message words that all occur in the body; testing
        # each message word as a substring of the body is cheaper than splitting the body.
        low = body.lower()
        present = {word for word in vocabulary if word in low}
        if bytes(map(present.__contains__, source)).find(_STRETCH) < 0:
            return []
    words = _lower_words(body)
    # Only a stretch of body words that all occur in the message can hold an echo, which
    # rules out almost every position before any n-gram is built. Marking the words in C
    # and searching the marks for a long enough stretch usually ends the check here.
    if bytes(map(vocabulary.__contains__, words)).find(_STRETCH) < 0:
        return []
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
                grams = {
                    tuple(source[i : i + ECHO_WORDS]) for i in range(len(source) - ECHO_WORDS + 1)
                }
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
            ECHO_RULE,
            "error",
            f"Repeats {last - first} consecutive words of the customer's own message verbatim.",
            body,
            matches[first].start(),
            matches[last - 1].end(),
            "Summarise the customer's concern in your own words instead of quoting it back.",
        )
        for first, last in runs
    ]
