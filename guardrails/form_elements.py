"""The elements of a letter's form found line by line: the greeting on one of the first two
lines, the signature on one of the last three. Split from `elements`, which finds the rest."""

from __future__ import annotations

from contract.models import DraftRequest
from contract.report import EvidenceData
from guardrails.normalise import fold
from guardrails.spans import evidence


def greeting(
    body: str, lines: list[tuple[int, int]], cue: list[tuple[int, int]]
) -> EvidenceData | None:
    """A greeting cue at the very start of one of the first two lines."""
    starts = {start for start, _ in lines[:2]}
    for begin, _ in cue:
        if begin in starts:
            line_end = next(end for start, end in lines if start == begin)
            return evidence(body, begin, line_end)
    return None


def text_lines(body: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of `body`, without its surrounding whitespace."""
    spans, offset = [], 0
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            spans.append((start, start + len(stripped)))
        offset += len(line) + 1
    return spans


def signature(
    body: str, lines: list[tuple[int, int]], context: DraftRequest | None
) -> EvidenceData | None:
    """One of the last three lines: the one naming the sender or their organisation, or,
    without a request, a short line that does not read as a sentence."""
    names = []
    if context is not None:
        # The body is folded (accents stripped), so the names are folded the same way.
        names = [fold(n).text for n in (context.sender.name, context.sender.organization) if n]
    for start, end in reversed(lines[-3:] if len(lines) > 1 else []):
        line = body[start:end]
        if names:
            if any(name.lower() in line.lower() for name in names):
                return evidence(body, start, end)
        elif len(line) <= 60 and len(line.split()) <= 6 and not line.endswith((",", ":", "?")):
            return evidence(body, start, end)
    return None
