"""Personal data that must never appear in a draft: payment card numbers (Luhn-checked, so
order numbers of the same length do not trip it) and US social-security-style numbers.
Requests for passwords or card numbers are a phrase rule in `packs/privacy.yaml`."""

from __future__ import annotations

import re

from contract.report import Finding, TextField
from guardrails.draft import Draft
from guardrails.spans import finding

CARD_RULE = "privacy.card_number"
NATIONAL_ID_RULE = "privacy.national_id"

# Both start with the digit class so the engine can skip ahead to the next digit.
_CARD = re.compile(r"\d(?<![\d-]\d)(?:[ -]?\d){12,18}(?![\d-])")
_SSN = re.compile(
    r"\d(?<![\d-]\d)\d{2}(?<!000)(?<!666)(?<!9\d\d)-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])"
)
# The same over an ASCII text, where `\d` is 0-9 either way: the engine tests a character
# against an ASCII class faster than against a Unicode category.
_CARD_ASCII = re.compile(_CARD.pattern, re.ASCII)
_SSN_ASCII = re.compile(_SSN.pattern, re.ASCII)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def scan_privacy(draft: Draft) -> list[Finding]:
    """Card numbers and national ID numbers in the body and subject."""
    found: list[Finding] = []
    for checked in draft.texts:
        found += _scan(checked.text, checked.field)
    return found


def _scan(text: str, field: TextField) -> list[Finding]:
    found: list[Finding] = []
    card, ssn = (_CARD_ASCII, _SSN_ASCII) if text.isascii() else (_CARD, _SSN)
    for match in card.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            found.append(
                finding(
                    CARD_RULE,
                    "error",
                    "Contains what looks like a full payment card number.",
                    text,
                    match.start(),
                    match.end(),
                    "Refer to the card by its last four digits only, e.g. 'the card ending 4242'.",
                    field,
                )
            )
    for match in ssn.finditer(text):
        found.append(
            finding(
                NATIONAL_ID_RULE,
                "error",
                "Contains what looks like a national identification (social security) number.",
                text,
                match.start(),
                match.end(),
                "Remove the number; refer to 'the details on your account' instead.",
                field,
            )
        )
    return found
