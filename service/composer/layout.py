"""Channel layouts: how the composer's sentences become an email, a letter, a chat reply, a
public statement, an SMS or a social reply, within each channel's limits.

Sentences arrive tagged with a priority. Limits are met by dropping optional sentences
(priority 2) first and strategy sentences (priority 1) only after those; sentences that carry
the caller's facts or a required element (priority 0) are never dropped here. Too-short
drafts are filled with the `extra` sentences the composer prepared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESSENTIAL, STRATEGY, OPTIONAL = 0, 1, 2


@dataclass(frozen=True)
class Line:
    """One sentence of the body and how much it matters."""

    text: str
    role: str
    priority: int = ESSENTIAL
    extra: bool = False
    """Only used to reach a channel's minimum length (or on an "expand" rewrite)."""


@dataclass
class Frame:
    """Everything around the sentences: greeting, sign-off, signature, and the limits."""

    greeting: str | None = None
    signoff: str | None = None
    signature: list[str] = field(default_factory=list)
    min_words: int = 0
    max_words: int | None = None
    max_chars: int | None = None
    sentences_per_paragraph: int | None = None
    """Chat keeps paragraphs to one or two sentences, as a person types them."""


def word_count(text: str) -> int:
    return len(text.split())


def _render(blocks: list[list[Line]], keep: set[int], frame: Frame) -> str:
    paragraphs: list[str] = []
    index = 0
    for block in blocks:
        kept: list[str] = []
        for line in block:
            if index in keep:
                kept.append(line.text)
            index += 1
        if not kept:
            continue
        step = frame.sentences_per_paragraph or len(kept)
        paragraphs.extend(" ".join(kept[i : i + step]) for i in range(0, len(kept), step))
    parts = [frame.greeting] if frame.greeting else []
    parts += paragraphs
    if frame.signoff or frame.signature:
        closing = [frame.signoff] if frame.signoff else []
        parts.append("\n".join(closing + frame.signature))
    return "\n\n".join(parts)


def _fits(text: str, frame: Frame) -> bool:
    if frame.max_chars is not None and len(text) > frame.max_chars:
        return False
    return frame.max_words is None or word_count(text) <= frame.max_words


def lay_out(blocks: list[list[Line]], frame: Frame, *, include_extras: bool) -> str:
    """Render the blocks, adding extras up to the minimum length and trimming to the limits."""
    lines = [line for block in blocks for line in block]
    keep = {i for i, line in enumerate(lines) if include_extras or not line.extra}
    extras = [i for i, line in enumerate(lines) if line.extra and i not in keep]
    text = _render(blocks, keep, frame)
    # The margin covers the greeting and signature, which a reader's count may leave out.
    target = frame.min_words + 12 if frame.min_words else 0
    for i in extras:
        if word_count(text) >= target:
            break
        trial = _render(blocks, keep | {i}, frame)
        if _fits(trial, frame):
            keep.add(i)
            text = trial
    # Trim from the end of the letter backwards: closing pleasantries go before the
    # explanation, and strategy sentences only when optional ones are exhausted.
    for priority in (OPTIONAL, STRATEGY):
        for i in reversed(range(len(lines))):
            if _fits(text, frame):
                return text
            if i in keep and lines[i].priority == priority:
                keep.discard(i)
                text = _render(blocks, keep, frame)
    return text


def fit_single(pieces: list[Line], limit: int, separator: str = " ") -> str:
    """One paragraph within `limit` characters: essential pieces first, then the others in
    their order of priority as long as they fit; the result keeps the pieces' order."""
    keep = {i for i, p in enumerate(pieces) if p.priority == ESSENTIAL}

    def render(chosen: set[int]) -> str:
        return separator.join(p.text for i, p in enumerate(pieces) if i in chosen)

    for priority in (STRATEGY, OPTIONAL):
        for i, piece in enumerate(pieces):
            if piece.priority == priority and len(render(keep | {i})) <= limit:
                keep.add(i)
    text = render(keep)
    if len(text) > limit:
        # Only reachable when the caller's facts alone exceed the channel: cut at a word.
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text
