"""One fact of a request as a single sentence in the letter's voice (`fact_sentence`).

Salvage uses it to insert a fact a model's letter left out; the sentence is the one the
composer itself would write for that fact on that channel.
"""

from __future__ import annotations

from contract.catalog import get_catalog
from contract.models import DraftRequest
from service.composer.letter import invitation_line, letter_frame
from service.composer.prevention import step_line
from service.composer.remedies import remedy_sentences
from service.composer.voice import voice_for
from service.composer.writer import Writer

FACT_KEYS = ("remedy:<i>", "prevention:<i>", "reference", "greeting", "signature", "invitation")


def _index(fact: str, kind: str, size: int) -> int:
    try:
        index = int(fact.split(":", 1)[1])
    except ValueError:
        raise ValueError(f"{fact!r}: expected {kind}:<index>") from None
    if not 0 <= index < size:
        raise ValueError(f"{fact!r}: the request has {size} {kind} item(s)")
    return index


def fact_sentence(request: DraftRequest, fact: str, channel: str) -> str:
    """One sentence (for "signature", the sign-off and signature lines) stating `fact` of
    `request` as the composer words it on `channel`. `fact` is one of `FACT_KEYS`; an
    unknown key or an index outside the request's lists raises ValueError."""
    target = request.model_copy(update={"channel": channel})
    w = Writer(
        target,
        get_catalog().channels[channel],
        voice_for(target.tone, brand="brand_personality" in target.strategies),
    )
    if fact.startswith("remedy:"):
        index = _index(fact, "remedy", len(target.remedies))
        lines = remedy_sentences(w, only=index)
        return lines[0].text
    if fact.startswith("prevention:"):
        index = _index(fact, "prevention", len(target.prevention))
        return step_line(w, target.prevention[index], first=True)[0].text
    if fact == "reference":
        if not target.incident.reference:
            raise ValueError("the request has no incident.reference")
        return w.say("reference_line") or f"This is about {w.values['ref_phrase']}."
    if fact == "greeting":
        return letter_frame(w).greeting or w.say("greeting_anonymous") or "Hello,"
    if fact == "signature":
        frame = letter_frame(w)
        return "\n".join(([frame.signoff] if frame.signoff else []) + frame.signature)
    if fact == "invitation":
        lines = invitation_line(w)
        return lines[0].text if lines else "Please reply with any questions."
    raise ValueError(f"unknown fact {fact!r}; expected one of {', '.join(FACT_KEYS)}")
