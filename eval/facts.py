"""Fact fidelity: the draft states every fact it must, none it must not, and no figure of its own.

Similarity to a reference barely moves when an amount or a code is wrong (FIELD-NOTES), so
facts are checked directly. Money is compared by value and currency (`$14.95`, `14.95 USD`
and `USD 14.95` are one amount), percentages by value, everything else as case-insensitive
text with typographic quotes and dashes folded.

"Unsupported figures" are money amounts, percentages and code-like tokens (`SORRY15`,
`NW-48213`) in the draft that appear nowhere in the request. The customer's own message is
left out of what counts as supplied: a figure the customer demanded is not an authorisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from contract.models import DraftRequest
from eval.cases import Facts

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_WORDS = {
    "usd": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "eur": "EUR",
    "euros": "EUR",
    "euro": "EUR",
    "gbp": "GBP",
    "pounds": "GBP",
    "pound": "GBP",
}
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONEY = re.compile(
    rf"(?P<sym>[$€£])\s?(?P<a>{_NUMBER})"
    rf"|(?P<pre>\b(?:USD|EUR|GBP))\s?(?P<b>{_NUMBER})"
    rf"|(?P<c>{_NUMBER})\s?(?P<post>USD|EUR|GBP|dollars?|euros?|pounds?)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<n>{_NUMBER})\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w-])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{2,}[A-Z0-9]")
_CODE_AFTER_WORD = re.compile(r"\b(?:code|coupon|voucher)\s+(?P<code>[A-Z][A-Z0-9-]{3,})\b")
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", " ": " "})

Money = tuple[str | None, Decimal]


def fold(text: str) -> str:
    """Lower-case, typographic quotes and dashes folded, whitespace collapsed."""
    return " ".join(text.translate(_FOLD).casefold().split())


def _amount(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "")).normalize()
    except InvalidOperation:  # pragma: no cover - the regex only admits digits
        return Decimal(0)


def money_in(text: str) -> list[Money]:
    """Every money amount in the text as (currency or None, normalised value)."""
    found: list[Money] = []
    for match in _MONEY.finditer(text):
        if match["sym"]:
            found.append((_SYMBOLS[match["sym"]], _amount(match["a"])))
        elif match["pre"]:
            found.append((match["pre"].upper(), _amount(match["b"])))
        else:
            found.append((_WORDS[match["post"].lower()], _amount(match["c"])))
    return found


def percents_in(text: str) -> list[Decimal]:
    return [_amount(match["n"]) for match in _PERCENT.finditer(text)]


def codes_in(text: str) -> list[str]:
    """Code-like tokens: upper-case with letters and digits, or a word named as a code."""
    codes = {match.group(0) for match in _CODE.finditer(text)}
    codes |= {match["code"] for match in _CODE_AFTER_WORD.finditer(text)}
    return sorted(codes)


def _same_money(a: Money, b: Money) -> bool:
    return a[1] == b[1] and (a[0] is None or b[0] is None or a[0] == b[0])


def mentions(text: str, needle: str) -> bool:
    """Whether the draft states `needle`: by value for money and percentages, else as text."""
    wanted_money = money_in(needle)
    if wanted_money and _MONEY.fullmatch(needle.strip()):
        return any(_same_money(wanted_money[0], got) for got in money_in(text))
    wanted_percent = percents_in(needle)
    if wanted_percent and _PERCENT.fullmatch(needle.strip()):
        return wanted_percent[0] in percents_in(text)
    return re.search(_phrase_pattern(fold(needle)), fold(text)) is not None


def _phrase_pattern(folded: str) -> str:
    """Left boundary always; inner words may take a plain inflection ("sign off" matches
    "signs off"); the last word is a prefix ("scan" matches "scanned"), except after a digit,
    so "SORRY15" does not match "SORRY150"."""
    words = folded.split(" ")
    parts = [
        re.escape(word) + ("(?:s|es|ed|d|ing)?" if word[-1:].isalpha() else "")
        for word in words[:-1]
    ]
    last = words[-1]
    parts.append(re.escape(last) + (r"(?!\d)" if last[-1:].isdigit() else ""))
    return r"(?<!\w)" + " ".join(parts)


def supplied_text(request: DraftRequest) -> str:
    """Every string of the request except the customer's own (untrusted) message."""
    data = request.model_dump(mode="json", exclude={"incident": {"customer_message"}})
    parts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return "\n".join(parts)


@dataclass
class FactCheck:
    """The outcome of the three fact gates for one draft."""

    missing: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    stated: int = 0
    required: int = 0


def unsupported_figures(draft: str, request: DraftRequest) -> list[str]:
    """Money, percentages and code-like tokens in the draft that the request never supplied."""
    source = supplied_text(request)
    allowed_money = money_in(source)
    allowed_percents = set(percents_in(source))
    allowed_codes = {code.casefold() for code in codes_in(source)} | set(fold(source).split())
    found: list[str] = []
    for match in _MONEY.finditer(draft):
        if not any(_same_money(money_in(match.group(0))[0], ok) for ok in allowed_money):
            found.append(match.group(0))
    for match in _PERCENT.finditer(draft):
        if _amount(match["n"]) not in allowed_percents:
            found.append(match.group(0))
    found += [code for code in codes_in(draft) if code.casefold() not in allowed_codes]
    return list(dict.fromkeys(found))


def check_facts(text: str, facts: Facts, request: DraftRequest) -> FactCheck:
    """Check subject and body together against the case's facts and the request's figures."""
    result = FactCheck(required=len(facts.must_state))
    for item in facts.must_state:
        options = [item] if isinstance(item, str) else item
        if any(mentions(text, option) for option in options):
            result.stated += 1
        else:
            result.missing.append(" | ".join(options))
    result.forbidden = [item for item in facts.must_not_state if mentions(text, item)]
    result.unsupported = unsupported_figures(text, request)
    return result
