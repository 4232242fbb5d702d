"""The offline composer's entry point: writes a complete apology from a `DraftRequest`, with
no model.

`compose` picks the voice for the request's tone (and a rewrite's operation), sets up the
slot `Writer`, and hands it to the builder for the channel: `short_form` for SMS and social
replies, `letter` for email, letters, chat and public statements. Every sentence comes from
the phrase banks in phrases/; every figure, code, date and offer comes from the request,
rendered by `facts`, `remedies` and `prevention`. The customer's own message is never read:
it is untrusted text, and nothing in a draft depends on it.
"""

from __future__ import annotations

from contract.catalog import get_catalog
from contract.models import DraftRequest
from service.composer.draft import ComposedDraft, ComposeOptions
from service.composer.letter import compose_letter
from service.composer.short_form import compose_sms, compose_social
from service.composer.voice import voice_for
from service.composer.writer import Writer

__all__ = ["ComposeOptions", "ComposedDraft", "compose"]


def compose(request: DraftRequest, options: ComposeOptions | None = None) -> ComposedDraft:
    """Write the draft for `request`; the same request always gives the same text."""
    options = options or ComposeOptions()
    channel = get_catalog().channels[request.channel]
    voice = voice_for(
        request.tone, operation=options.operation, brand="brand_personality" in request.strategies
    )
    writer = Writer(request, channel, voice)
    if channel.key == "sms":
        return compose_sms(writer, options)
    if channel.key == "social":
        return compose_social(writer, options)
    return compose_letter(writer, options)
