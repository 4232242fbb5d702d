"""Extract and normalise the checkable facts in a text: amounts, percentages, dates,
deadlines, codes and improvement figures, so "$14.95", "USD 14.95" and "US$14.95" compare
equal, as do "3 March", "March 3rd" and "3rd of March", or "15%" and "15 percent".

These are structural patterns (number formats, month names), not phrase lists, so they live
here rather than in a YAML pack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from guardrails.fact_candidates import code_candidates, digit_led
from guardrails.scanner import build_scanner, lowered

_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "a$": "AUD",
    "aud": "AUD",
    "c$": "CAD",
    "cad": "CAD",
    "nz$": "NZD",
    "nzd": "NZD",
}
_MONTHS = {
    name: index
    for index, names in enumerate(
        [
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        ],
        start=1,
    )
    for name in names.split()
}
_COUNTS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "twenty-four": 24,
    "thirty": 30,
    "forty-eight": 48,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?"
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_PCT = r"\s?(?:%|percent\b|per\s+cent\b)"
_UNIT = r"(?:usd|eur|gbp|aud|cad|nzd|dollars?|euros?|pounds?)\b"
_SYMBOLS = ("us$", "a$", "c$", "nz$", "$", "€", "£", "usd", "eur", "gbp", "aud", "cad", "nzd")
_COUNT = r"(?:\d+|" + "|".join(sorted(_COUNTS, key=len, reverse=True)) + ")"
_DURATION_LEADS = (
    "within the next",
    "in the next",
    "inside of",
    "within",
    "inside",
    "under",
    "over",
    "in",
)
_DEADLINE_LEADS = ("by", "on", "before", "until")
# Two passes over the lowercased text find every kind of fact. Each alternative starts with a
# literal (or, in the digit pass, with the digit class), which lets the regex engine skip
# ahead on a first-character set; an empty named group at the end of each alternative names
# its kind. Values are parsed from the matched text afterwards.
DIGIT_LED = re.compile(
    r"[0-9](?:"
    r"\d*(?:\.\d+)?\s?(?:x|×|times)\s+(?:faster|quicker|fewer|more|better|less|lower|higher|"
    r"as\s+fast|as\s+many)\b(?P<mult>)"
    rf"|\d*(?:\.\d+)?{_PCT}(?P<pct>)"
    rf"|\d?(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?(?P<dday>)"
    r"|\d{3}-\d{2}-\d{2}\b(?P<iso>)"
    rf"|(?:\d{{0,2}}(?:,\d{{3}})+|\d*)(?:\.\d{{1,2}})?\s?{_UNIT}(?P<post>)"
    r")"
)
FACT_ALTERNATIVES: tuple[tuple[str, bool, str], ...] = tuple(
    [
        (
            rf"{'' if symbol[0] in '$€£' else chr(92) + 'b'}{re.escape(symbol)}\s?(?:{_NUM})",
            False,
            "fact:pre",
        )
        for symbol in _SYMBOLS
    ]
    + [
        (rf"\b{month}\b\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?", False, "fact:dmonth")
        for month in sorted(_MONTHS, key=len, reverse=True)
    ]
    + [
        (
            "\\b" + lead.replace(" ", r"\s+") + rf"\s+{_COUNT}\s+(?:business\s+|working\s+)?"
            r"(?:hours?|days?|weeks?|months?|minutes?)\b",
            False,
            "fact:dur",
        )
        for lead in _DURATION_LEADS
    ]
    + [
        (
            rf"\b{lead}\s+(?:this\s+|next\s+|the\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
            r"saturday|sunday|tomorrow|end\s+of\s+(?:the\s+)?(?:day|week|month))\b",
            False,
            "fact:wd",
        )
        for lead in _DEADLINE_LEADS
    ]
)
"""Lowercase regexes for the facts that start with a word or symbol, with the payload the
scanner reports for them; the rule set's scanner includes them so that one pass over a
draft finds rules, cues and facts together. Facts that start with a digit are found by
`DIGIT_LED` in `facts_from_hits`."""
FACT_SCANNER = build_scanner(FACT_ALTERNATIVES)
_DIGIT = re.compile(r"\d")
_NUMBER_IN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_MONTH_IN = re.compile(_MONTH)
_DAY_IN = re.compile(r"\d{1,2}")
_UNIT_IN = re.compile(r"us\$|a\$|c\$|nz\$|[$€£]|[a-z]+")
_COUNT_IN = re.compile(_COUNT + r"\s+(?:business\s+|working\s+)?(?:hour|day|week|month|minute)")
_DEADLINE_IN = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"tomorrow|end\s+of\s+(?:the\s+)?(?:day|week|month))"
)
_SYMBOL = "(?:" + "|".join(re.escape(s) for s in _SYMBOLS) + ")"
AMOUNT = re.compile(rf"{_SYMBOL}\s?(?:{_NUM})|(?:{_NUM})\s?{_UNIT}", re.IGNORECASE)
"""Any currency amount, for channels where amounts are forbidden outright."""
# Uppercase letters and digits, at least one of each (checked in code): SORRY15, NW-48213.
CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,}")
_CODE_SHAPE = re.compile(r"(?=.*\d)(?=.*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)*")
_TIME = re.compile(r"\d{1,2}(?:AM|PM)")
# An improvement figure is a percentage after a verb of change and "by" ("cut errors by 35%"),
# or a percentage followed by a comparative ("35% fewer errors"); checked around each
# percentage found, so the text is not scanned again.
_CHANGED_BY = re.compile(
    r"(?:reduc|cut|improv|increas|lower|decreas|boost|rais|sped|speed|halv|doubl|drop|fell|"
    r"fallen|shr[au]nk|slash|trimm?)\w*\b[^.!?\n]{0,60}?\bby\s+$"
)
_COMPARATIVE = re.compile(
    r"\s*(?:fewer|faster|less|more|lower|higher|reduction|improvement|increase|decrease|drop|"
    r"quicker|better)\b"
)


@dataclass(frozen=True, slots=True)
class Fact:
    """One normalised fact and where it is: `kind` is amount, percent, date, duration,
    weekday, code or metric; `key` is comparable across spellings."""

    kind: str
    key: tuple[str, ...]
    start: int
    end: int


def _money(number: str) -> str | None:
    try:
        return str(Decimal(number.replace(",", "")).quantize(Decimal("0.01")))
    except InvalidOperation:
        return None


def _number(raw: str) -> str:
    return format(Decimal(raw).normalize(), "f")


def is_word_start(low: str, start: int) -> bool:
    return start == 0 or not (low[start - 1].isalnum() or low[start - 1] in "_.,")


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    return match.group() if match else ""


def make_fact(kind: str, matched: str, start: int, end: int) -> Fact | None:
    """Parse one matched fact; `kind` is the marker group's name without its `_N` suffix."""
    if kind == "mult":
        return Fact("metric", (_number(_first(_NUMBER_IN, matched)) + "x",), start, end)
    if kind == "pct":
        return Fact("percent", (_number(_first(_NUMBER_IN, matched)),), start, end)
    if kind in ("pre", "post"):
        number = _first(_NUMBER_IN, matched)
        unit = _first(_UNIT_IN, matched.replace(number, " ", 1))
        value = _money(number)
        if value is None or unit not in _CURRENCIES:
            return None
        return Fact("amount", (value, _CURRENCIES[unit]), start, end)
    if kind in ("dday", "dmonth", "iso"):
        if kind == "iso":
            _, month_text, day_text = matched.split("-")
            month, day = int(month_text), int(day_text)
        else:
            month = _MONTHS[_first(_MONTH_IN, matched).rstrip(".")]
            day = int(_first(_DAY_IN, matched))
        valid = 1 <= month <= 12 and 1 <= day <= 31
        return Fact("date", (str(month), str(day)), start, end) if valid else None
    if kind == "dur":
        count_text = _first(_COUNT_IN, matched).split()
        count = count_text[0]
        number = str(_COUNTS[count]) if count in _COUNTS else str(int(count))
        return Fact("duration", (number, " ".join(count_text[1:])), start, end)
    if kind == "wd":
        return Fact("weekday", (" ".join(_first(_DEADLINE_IN, matched).split()),), start, end)
    return None


def facts_from_hits(text: str, low: str, hits: Iterable[tuple[str, int, int]]) -> list[Fact]:
    """Parse the scanner's `fact:*` hits in `text`, its digit-led facts and its codes into
    facts, in text order."""
    facts: list[Fact] = []
    found = [
        (payload[5:], start, end) for payload, start, end in hits if payload.startswith("fact:")
    ]
    for kind, start, end in found + digit_led(text, low, DIGIT_LED):
        if not is_word_start(low, start):
            continue
        fact = make_fact(kind, low[start:end], start, end)
        if fact is not None:
            facts.append(fact)
    facts += [Fact("code", (text[start:end],), start, end) for start, end in code_spans(text)]
    facts.sort(key=lambda fact: (fact.start, fact.end))
    return facts


def extract_facts(text: str, low: str | None = None) -> list[Fact]:
    """Every amount, percentage, date, deadline and code in `text`, in text order; improvement
    multipliers ("2x faster") come back as `metric` facts. `low` is `lowered(text)`."""
    low = low if low is not None else lowered(text)
    return facts_from_hits(text, low, FACT_SCANNER.matches(text, low))


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` quotes a code: uppercase letters and digits, at least one of each."""
    if _DIGIT.search(text) is None:
        return []
    spans = []
    for start, end in code_candidates(text, CODE):
        token = text[start:end]
        if (
            is_word_start(text, start)
            and (end == len(text) or not text[end].isalnum())
            and _CODE_SHAPE.fullmatch(token)
            and not _TIME.fullmatch(token)
        ):
            spans.append((start, end))
    return spans


def extract_metrics(low: str, facts: list[Fact]) -> list[Fact]:
    """Improvement figures ("reduced errors by 35%", "35% fewer", "2x faster") among `facts`
    (from `extract_facts` on the same text), keyed by their number ("35", "2x")."""
    metrics = [fact for fact in facts if fact.kind == "metric"]
    for fact in facts:
        if fact.kind != "percent":
            continue
        before = _CHANGED_BY.search(low, max(0, fact.start - 90), fact.start)
        if before is not None:
            metrics.append(Fact("metric", fact.key, before.start(), fact.end))
        elif (after := _COMPARATIVE.match(low, fact.end)) is not None:
            metrics.append(Fact("metric", fact.key, fact.start, after.end()))
    return metrics
