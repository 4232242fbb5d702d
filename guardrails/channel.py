"""Channel form rules from the catalog: hard character limits (error), the target word range
(warning), and content a public channel must never carry (references, amounts, codes, the
recipient's name, personal data)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from contract.catalog import Channel
from contract.models import DraftRequest
from contract.report import Finding
from guardrails.facts import AMOUNT, code_spans
from guardrails.spans import finding

LENGTH_RULE = "channel.max_chars"
WORDS_RULE = "channel.word_range"
PUBLIC_RULES = {
    "reference": "channel.public_reference",
    "amount": "channel.public_amount",
    "code": "channel.public_code",
    "recipient_name": "channel.public_recipient_name",
    "personal_data": "channel.public_personal_data",
}
_WORD = re.compile(r"\S+")
_REFERENCE = re.compile(
    r"#\s?\d{3,}|\b(?:order|account|ticket|case|invoice|booking|reference|ref)\.?\s+"
    r"(?:number\s+|no\.?\s+|#\s?)?(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,}\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)")


def check_length(body: str, channel: Channel) -> list[Finding]:
    """Over `max_chars` is an error; outside the `words` range is a warning."""
    found: list[Finding] = []
    if channel.max_chars is not None and len(body) > channel.max_chars:
        found.append(
            finding(
                LENGTH_RULE,
                "error",
                f"{len(body)} characters; a {channel.label} message allows {channel.max_chars}.",
                body,
                channel.max_chars,
                len(body),
                "Shorten it: keep the apology, the specific issue and what has been done.",
            )
        )
    if channel.words is not None:
        low, high = channel.words
        count = len(body.split())
        if count > high:
            first_extra = list(_WORD.finditer(body))[high]
            found.append(
                finding(
                    WORDS_RULE,
                    "warning",
                    f"{count} words; a {channel.label} reads best at {low}-{high} words.",
                    body,
                    first_extra.start(),
                    len(body),
                    "Cut repetition and background; keep each element to a sentence or two.",
                )
            )
        elif count < low:
            found.append(
                finding(
                    WORDS_RULE,
                    "warning",
                    f"{count} words; a {channel.label} usually needs {low}-{high} words.",
                    body,
                    len(body),
                    len(body),
                    "Say more about what happened, what you have done and what changes.",
                )
            )
    return found


def _literal(text: str, needle: str | None) -> Iterator[tuple[int, int]]:
    if needle and len(needle) >= 3:
        for match in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text, re.IGNORECASE):
            yield match.span()


def _spans(kind: str, body: str, context: DraftRequest | None) -> Iterator[tuple[int, int]]:
    if kind == "reference":
        yield from (m.span() for m in _REFERENCE.finditer(body))
        if context is not None:
            yield from _literal(body, context.incident.reference)
    elif kind == "amount":
        yield from (m.span() for m in AMOUNT.finditer(body))
    elif kind == "code":
        yield from code_spans(body)
    elif kind == "recipient_name" and context is not None and context.recipient.name:
        yield from _literal(body, context.recipient.name)
        yield from _literal(body, context.recipient.name.split()[0])
    elif kind == "personal_data":
        own = (context.sender.contact or "").lower() if context is not None else ""
        yield from (m.span() for m in _EMAIL.finditer(body) if m.group().lower() not in own)
        yield from (m.span() for m in _PHONE.finditer(body) if m.group() not in own)
        if context is not None and context.recipient.name and " " in context.recipient.name:
            yield from _literal(body, context.recipient.name)


def check_public(body: str, channel: Channel, context: DraftRequest | None) -> list[Finding]:
    """Content the channel's `forbidden` list bans, because anyone can read the message."""
    found: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for kind in channel.forbidden:
        for start, end in _spans(kind, body, context):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            found.append(
                finding(
                    PUBLIC_RULES[kind],
                    "error",
                    f"A public {channel.label.lower()} must not contain {kind.replace('_', ' ')}.",
                    body,
                    start,
                    end,
                    "Keep specifics private: invite the person to continue by direct message.",
                )
            )
    return found
