"""What the composer takes and gives: `ComposeOptions`, how a rewrite steers a draft, and
`ComposedDraft`, the finished subject and body.

They live apart from `compose` so that the channel builders (`letter`, `short_form`) and the
rewrite can share them without importing the dispatcher that calls those builders.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ComposedDraft:
    """A finished draft: the subject (None where the channel has none) and the body."""

    subject: str | None
    body: str


@dataclass(frozen=True)
class ComposeOptions:
    """How a rewrite steers the composer; a plain draft uses the defaults."""

    operation: str = "none"
    extra_lines: tuple[str, ...] = ()
    """Sentences that must appear (facts a rewrite carries over from the source draft)."""
