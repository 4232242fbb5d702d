"""What every drafting provider offers the pipeline: one async call from messages to text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from contract.models import DraftRequest, RewriteRequest
from prompts.render import ChatMessage
from service.errors import UpstreamBadOutput


@dataclass(frozen=True)
class Completion:
    """A draft as a provider returned it, before any guardrail has looked at it."""

    subject: str | None
    body: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class OutputModeUnusable(UpstreamBadOutput):
    """The model's answer in this output mode held no letter, and the provider has stepped
    down to the next mode for this and every later call: ask again with prompts rendered for
    the provider's new `structured`. Raised only where a lower mode exists (negotiation);
    elsewhere it is plain bad output. The tokens are what the unusable answer cost."""

    def __init__(self, message: str, *, prompt_tokens: int = 0, completion_tokens: int = 0) -> None:
        super().__init__(message)
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens


Job = DraftRequest | RewriteRequest
"""What the messages were rendered from; the offline composer works from this directly."""


class Provider(Protocol):
    name: str
    model: str
    can_repair: bool
    """False where a re-ask would return the same text (the deterministic composer)."""

    @property
    def structured(self) -> bool:
        """Whether prompts should ask for the JSON answer; may change as a server is learned."""
        ...

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        """Write a draft. Raises an `service.errors` Upstream* error when it cannot."""
        ...
