"""What the caller's request supplied: the normalised facts a draft may state, the figures a
draft may quote as improvements, and the remedies it may offer. Built once per check from
the `DraftRequest`; the customer's own message is untrusted and never supplies anything."""

from __future__ import annotations

import re
from functools import lru_cache

from contract.models import DraftRequest, Remedy
from guardrails.fact_keys import FactKeys
from guardrails.facts import AMOUNT, extract_facts

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "was",
        "were",
        "your",
        "you",
        "our",
        "from",
        "have",
        "has",
        "had",
        "not",
        "but",
        "are",
        "its",
        "into",
        "than",
        "then",
        "them",
        "they",
        "their",
        "there",
        "been",
        "being",
        "which",
        "when",
        "what",
        "will",
        "would",
        "could",
        "should",
        "about",
        "after",
        "before",
        "over",
        "under",
        "again",
        "very",
        "more",
        "next",
        "order",
    }
)
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# A count and a unit of time anywhere in the request ("it would take five working days", "in
# the two weeks since the fix"): a draft quoting it as "within 5 working days" or "over two
# weeks" states a supplied fact, even though the request gave it no "within"/"over" lead.
# Found from the unit back to its count, which is faster than trying a word at every position.
_UNIT_OF_TIME = re.compile(r"\b(?:hour|day|week|month|minute)s?\b")
_COUNT_BEFORE = re.compile(r"[\w-]+\s+(?:(?:business|working)\s+)?$")
# "Working days" and "business days" are the same span of time.
_DAY_KINDS = {"working day": "business day", "business day": "working day"}


# Every ASCII character outside `[a-z0-9]` (after lowercasing) becomes a space.
_NON_WORD = str.maketrans(
    {chr(c): " " for c in range(128) if not ("a" <= chr(c) <= "z" or "0" <= chr(c) <= "9")}
)


def stems(text: str) -> set[str]:
    """Crude stems (first five letters) of the content words in `text`."""
    low = text.lower()
    # For ASCII text, `str.translate` and `split` (C loops) find the same `[a-z0-9]+` runs
    # as the regex; lowercased non-ASCII text can hold other characters, so it keeps it.
    words = low.translate(_NON_WORD).split() if low.isascii() else _WORD.findall(low)
    return {w[:5] for w in words if len(w) > 3 and w not in _STOP}


def bare_amount(raw: str | None) -> str | None:
    """The value of a remedy amount written without a currency ("14.95"), else None."""
    if not raw or AMOUNT.search(raw):
        return None
    match = _NUMBER.search(raw)
    if match is None:
        return None
    return f"{float(match.group().replace(',', '')):.2f}"


class Supplied:
    """The caller's facts, normalised for comparison with a draft.

    Only `remedies`, `codes` and `fact_text` are built up front; everything else is
    computed the first time a rule asks for it, because most checks need only some of it
    (a draft without figures never needs the parsed facts, one that mentions every remedy
    by kind never needs their stems). The request is read once, at construction, so a
    later change to the (mutable) `DraftRequest` does not change what is supplied."""

    __slots__ = (
        "_cache",
        "_context_texts",
        "_incident_texts",
        "_prevention",
        "codes",
        "fact_text",
        "remedies",
    )

    def __init__(self, context: DraftRequest) -> None:
        incident = context.incident
        self._incident_texts = [
            incident.summary,
            incident.reference,
            incident.cause,
            incident.impact,
            incident.date,
        ]
        self.remedies: tuple[Remedy, ...] = tuple(context.remedies)
        self._prevention = [(p.description, p.metric) for p in context.prevention]
        remedy_texts = [t for r in self.remedies for t in (r.description, r.amount, r.date, r.code)]
        prevention_texts = [t for pair in self._prevention for t in pair]
        self._context_texts = "\n".join(
            t for t in (*self._incident_texts, *remedy_texts, *prevention_texts) if t
        )
        self.codes = frozenset(
            t.upper() for t in (incident.reference, *(r.code for r in self.remedies)) if t
        )
        self.fact_text = self._context_texts.upper()
        self._cache: dict[str, object] = {}

    @property
    def facts(self) -> FactKeys:
        """The facts in the request's incident, remedies and prevention, parsed one kind at
        a time when `has` first asks about it: the request is new on every check, and a
        draft usually states one or two kinds of fact, or none."""
        if "facts" not in self._cache:
            # Spans of time without a lead word are handled by `_durations_in`; codes by
            # `codes` and `fact_text`.
            self._cache["facts"] = FactKeys(self._context_texts)
        return self._cache["facts"]  # type: ignore[return-value]

    @property
    def bare_amounts(self) -> frozenset[str]:
        if "bare" not in self._cache:
            self._cache["bare"] = frozenset(
                a for r in self.remedies if (a := bare_amount(r.amount))
            )
        return self._cache["bare"]  # type: ignore[return-value]

    @property
    def metrics(self) -> frozenset[str]:
        """The figures `prevention[].metric` supplies."""
        if "metrics" not in self._cache:
            text = "\n".join(metric for _, metric in self._prevention if metric)
            self._cache["metrics"] = (
                frozenset(f.key[0] for f in extract_facts(text) if f.kind in ("percent", "metric"))
                if text
                else frozenset()
            )
        return self._cache["metrics"]  # type: ignore[return-value]

    @property
    def incident_stems(self) -> frozenset[str]:
        if "incident" not in self._cache:
            self._cache["incident"] = frozenset(
                stems(" ".join(t for t in self._incident_texts if t))
            )
        return self._cache["incident"]  # type: ignore[return-value]

    @property
    def remedy_stems(self) -> tuple[frozenset[str], ...]:
        if "stems" not in self._cache:
            self._cache["stems"] = tuple(frozenset(stems(r.description)) for r in self.remedies)
        return self._cache["stems"]  # type: ignore[return-value]

    @property
    def remedy_amounts(self) -> tuple[str | None, ...]:
        if "amounts" not in self._cache:
            self._cache["amounts"] = tuple(_remedy_amount(r.amount) for r in self.remedies)
        return self._cache["amounts"]  # type: ignore[return-value]

    def has(self, kind: str, key: tuple[str, ...]) -> bool:
        if kind == "code":
            # A code fact of the request is a substring of its text, so `fact_text` (the
            # text uppercased) holds every one: the parsed facts are not needed.
            return key[0] in self.codes or key[0] in self.fact_text
        if key in self.facts.keys(kind):
            return True
        if kind == "amount":
            return key[0] in self.bare_amounts
        if kind == "duration":
            return key in _durations_in(self.fact_text)
        return False


def supplied_from(context: DraftRequest) -> Supplied:
    """Collect every fact the request supplied, from remedies, prevention and incident."""
    return Supplied(context)


@lru_cache(maxsize=256)
def _durations_in(text: str) -> frozenset[tuple[str, ...]]:
    """The key of every count and unit of time in the request's `text`, parsed by
    `extract_facts` itself after a "within" lead ("five working days" is read as "within five
    working days"), so both sides normalise alike; working and business days are one.
    Only a draft's deadline that the request did not give with a lead word gets here, so
    the usual check pays nothing for it; the cache serves a request checked again."""
    text = text.lower()
    spans = []
    for unit in _UNIT_OF_TIME.finditer(text):
        count = _COUNT_BEFORE.search(text, max(0, unit.start() - 24), unit.start())
        if count is not None:
            spans.append(f"within {text[count.start() : unit.end()]}")
    keys = {f.key for f in extract_facts("\n".join(spans)) if f.kind == "duration"}
    return frozenset(
        keys | {(count, _DAY_KINDS[unit]) for count, unit in keys if unit in _DAY_KINDS}
    )


def _remedy_amount(raw: str | None) -> str | None:
    """The value of a remedy's amount, with or without a currency."""
    if not raw:
        return None
    match = _NUMBER.search(raw)
    return None if match is None else f"{float(match.group().replace(',', '')):.2f}"
