"""The offline provider: the deterministic composer behind the `Provider` protocol.

It is the embedded default (no model, no network) and the pipeline's fallback. It writes
from the job itself, so the rendered messages are ignored, and a re-ask would return the same
text, hence `can_repair = False`.
"""

from __future__ import annotations

from contract.models import DraftRequest
from prompts.render import ChatMessage
from service.composer import compose_draft, rewrite_draft
from service.composer.phrases import letter_bank, topics, word_tables
from service.providers.base import Completion, Job


class OfflineProvider:
    """Drafts with `service.composer`; token usage is always zero."""

    name = "offline"
    model = "composer"
    can_repair = False
    structured = True  # the composer reads the job, not the prompt's answer format

    def __init__(self) -> None:
        # Read the phrase banks now, at start-up, rather than inside the first request.
        letter_bank(), topics(), word_tables()

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        """Compose a draft for a `DraftRequest`, or rewrite one for a `RewriteRequest`."""
        del messages  # the composer works from the job's fields, not from prompt text
        draft = compose_draft(job) if isinstance(job, DraftRequest) else rewrite_draft(job)
        return Completion(subject=draft.subject, body=draft.body, model=self.model)
