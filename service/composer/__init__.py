"""The offline composer: deterministic apology drafting with no model.

It is the embedded default provider and the fallback when a model's drafts keep failing the
guardrails, so its drafts are complete, specific letters built only from the caller's facts.
How a letter is built, and how to change one sentence: README.md beside this file.
"""

from __future__ import annotations

from contract.models import DraftRequest, RewriteRequest
from service.composer.build import (
    FACT_KEYS,
    ComposedDraft,
    ComposeOptions,
    DoesNotFit,
    compose,
    fact_sentence,
)

__all__ = [
    "FACT_KEYS",
    "ComposeOptions",
    "ComposedDraft",
    "DoesNotFit",
    "compose_draft",
    "fact_sentence",
    "rewrite_draft",
]


def compose_draft(request: DraftRequest) -> ComposedDraft:
    """Write a draft for `request`. Byte-identical output for an identical request."""
    return compose(request)


def rewrite_draft(request: RewriteRequest) -> ComposedDraft:
    """Rewrite `request.draft` for the target tone, channel and operation, keeping its facts."""
    from service.composer.rewrite import rewrite

    return rewrite(request)
