"""The slot writer: fills phrase-bank slots for one request, in the draft's voice.

A `Writer` holds everything one draft's sentences depend on: the request, its channel, the
voice, the incident's placeholder values and a `Picker` seeded from the request, so the same
request always picks the same wording. Builders ask it for a slot's sentence (`say`) or for
that sentence as a layout `Line` (`line`).
"""

from __future__ import annotations

import hashlib

from contract.catalog import Channel
from contract.models import DraftRequest
from service.composer.facts import incident_facts
from service.composer.layout import ESSENTIAL, Line
from service.composer.person import is_honorific
from service.composer.phrases import Picker, Situation
from service.composer.voice import Voice, voiced


def request_seed(request: DraftRequest) -> int:
    """A stable seed for phrase choice. Python's `hash()` changes per process; this does not."""
    digest = hashlib.sha256(request.model_dump_json().encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


class Writer:
    """Fills slots from the phrase banks for one request."""

    def __init__(self, request: DraftRequest, channel: Channel, voice: Voice) -> None:
        self.request = request
        self.channel = channel
        self.voice = voice
        self.public = channel.public
        self.incident = incident_facts(request, public=self.public)
        self.values = dict(self.incident.values)
        reader = self.incident.reader
        self.remedies = [
            r.model_copy(update={"description": reader.address(r.description)})
            for r in request.remedies
        ]
        """The remedies, with the caller's words for the reader turned into "you"."""
        name = request.recipient.name or ""
        if name and is_honorific(name.split(" ", 1)[0]) and not self.public:
            self.values["first_name"] = name
        self.picker = Picker(
            seed=request_seed(request),
            where=Situation(
                register=voice.register,
                tone=voice.tone,
                audience="public" if self.public else request.audience,
                posture=request.liability,
                channel=channel.key,
                prefer_tone=voice.brand,
                prefer_plain=voice.plain,
                prefer_short=voice.length == "short",
            ),
        )

    def say(self, slot: str, extra: dict[str, str] | None = None) -> str | None:
        """One sentence for `slot`, capitalised, or None when no variant fits the request."""
        values = {**self.values, **(extra or {})}
        variant = self.picker.pick(slot, values)
        if variant is None:
            return None
        text = voiced(variant.text, self.voice).format_map(values)
        return text[:1].upper() + text[1:]

    def line(
        self,
        slot: str,
        role: str,
        priority: int = ESSENTIAL,
        *,
        extra: bool = False,
        values: dict[str, str] | None = None,
    ) -> list[Line]:
        """`slot`'s sentence as a layout line, or nothing when no variant fits."""
        text = self.say(slot, values)
        return [Line(text, role, priority, extra)] if text else []

    def has(self, strategy: str) -> bool:
        """Whether the request asked for `strategy`."""
        return strategy in self.request.strategies

    def required(self, element: str) -> bool:
        """Whether the channel requires `element` (so it may not be dropped as optional)."""
        return element in self.channel.required
