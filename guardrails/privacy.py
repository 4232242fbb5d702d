"""Personal data that must never appear in a draft: payment card numbers (Luhn-checked, so
order numbers of the same length do not trip it) and US social-security-style numbers.
Requests for passwords or card numbers are a phrase rule in `packs/privacy.yaml`."""

from __future__ import annotations

import re

from contract.report import Finding, TextField
from guardrails.spans import finding

CARD_RULE = "privacy.card_number"
NATIONAL_ID_RULE = "privacy.national_id"

# Both start with the digit class so the engine can skip ahead to the next digit.
_CARD = re.compile(r"\d(?<![\d-]\d)(?:[ -]?\d){12,18}(?![\d-])")
_SSN = re.compile(
    r"\d(?<![\d-]\d)\d{2}(?<!000)(?<!666)(?<!9\d\d)-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])"
)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number satisfies."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# Digits kept and every other ASCII character a space: with spaces and hyphens removed
# first, a card number reads as one run of 13 or more digits and a national ID number as
# one of 9 or more. (A one-to-one table keeps `str.translate` on its fast ASCII path.)
_DIGIT_VIEW = str.maketrans({chr(c): chr(c) if chr(c).isdigit() else " " for c in range(128)})


def _longest_digit_run(text: str) -> int:
    """An upper bound, found in C, on the digits one card or ID number in `text` can hold."""
    if not text.isascii():
        return len(text)  # other scripts have digits too: no bound
    digits = text.replace(" ", "").replace("-", "").translate(_DIGIT_VIEW)
    return max(map(len, digits.split()), default=0)


def scan_privacy(text: str, field: TextField = "body") -> list[Finding]:
    """Card numbers and national ID numbers in `text`."""
    found: list[Finding] = []
    # Almost no letter holds a long run of digits, so both regex scans are usually skipped.
    longest = _longest_digit_run(text)
    cards = _CARD.finditer(text) if longest >= 13 else ()
    for match in cards:
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
    ids = _SSN.finditer(text) if longest >= 9 and text.count("-") >= 2 else ()
    for match in ids:
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
