"""What the caller's request supplied: the normalised facts a draft may state, the figures a
draft may quote as improvements, and the remedies it may offer. Built once per check from
the `DraftRequest`; the customer's own message is untrusted and never supplies anything."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from guardrails.facts import AMOUNT, extract_facts

if TYPE_CHECKING:
    from service.models import DraftRequest, Remedy

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset({
    "the", "and", "for", "with", "that", "this", "was", "were", "your", "you", "our", "from",
    "have", "has", "had", "not", "but", "are", "its", "into", "than", "then", "them", "they",
    "their", "there", "been", "being", "which", "when", "what", "will", "would", "could",
    "should", "about", "after", "before", "over", "under", "again", "very", "more", "next",
    "order",
})
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
# A count and a unit of time anywhere in the request ("it would take five working days", "in
# the two weeks since the fix"): a draft quoting it as "within 5 working days" or "over two
# weeks" states a supplied fact, even though the request gave it no "within"/"over" lead.
# Found from the unit back to its count, which is faster than trying a word at every position.
_UNIT_OF_TIME = re.compile(r"\b(?:hour|day|week|month|minute)s?\b")
_COUNT_BEFORE = re.compile(r"[\w-]+\s+(?:(?:business|working)\s+)?$")
# "Working days" and "business days" are the same span of time.
_DAY_KINDS = {"working day": "business day", "business day": "working day"}


def stems(text: str) -> set[str]:
    """Crude stems (first five letters) of the content words in `text`."""
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 3 and w not in _STOP}


def bare_amount(raw: str | None) -> str | None:
    """The value of a remedy amount written without a currency ("14.95"), else None."""
    if not raw or AMOUNT.search(raw):
        return None
    match = _NUMBER.search(raw)
    if match is None:
        return None
    return f"{float(match.group().replace(',', '')):.2f}"


@dataclass(frozen=True, slots=True)
class Supplied:
    """The caller's facts, normalised for comparison with a draft."""

    facts: frozenset[tuple[str, tuple[str, ...]]]
    bare_amounts: frozenset[str]
    metrics: frozenset[str]
    codes: frozenset[str]
    fact_text: str
    incident_stems: frozenset[str]
    remedies: tuple[Remedy, ...]
    remedy_stems: tuple[frozenset[str], ...]
    remedy_amounts: tuple[str | None, ...]

    def has(self, kind: str, key: tuple[str, ...]) -> bool:
        if (kind, key) in self.facts:
            return True
        if kind == "amount":
            return key[0] in self.bare_amounts
        if kind == "code":
            return key[0] in self.codes or key[0] in self.fact_text
        if kind == "duration":
            return key in _durations_in(self.fact_text)
        return False


def supplied_from(context: DraftRequest) -> Supplied:
    """Collect every fact the request supplied, from remedies, prevention and incident."""
    incident = context.incident
    incident_texts = [incident.summary, incident.reference, incident.cause, incident.impact,
                      incident.date]
    remedy_texts = [t for r in context.remedies for t in (r.description, r.amount, r.date, r.code)]
    prevention_texts = [t for p in context.prevention for t in (p.description, p.metric)]
    texts = [t for t in (*incident_texts, *remedy_texts, *prevention_texts) if t]
    # Spans of time without a lead word are given one ("within five working days"), so the
    # same scan parses them exactly as it parses a draft's deadlines.
    facts = {(fact.kind, fact.key) for fact in extract_facts("\n".join(texts))}
    metric_text = "\n".join(p.metric for p in context.prevention if p.metric)
    metrics = {f.key[0] for f in extract_facts(metric_text) if f.kind in ("percent", "metric")
               } if metric_text else set()
    codes = {t.upper() for t in (incident.reference, *(r.code for r in context.remedies)) if t}
    return Supplied(
        facts=frozenset(facts),
        bare_amounts=frozenset(a for r in context.remedies if (a := bare_amount(r.amount))),
        metrics=frozenset(metrics),
        codes=frozenset(codes),
        fact_text="\n".join(texts).upper(),
        incident_stems=frozenset(stems(" ".join(t for t in incident_texts if t))),
        remedies=tuple(context.remedies),
        remedy_stems=tuple(frozenset(stems(r.description)) for r in context.remedies),
        remedy_amounts=tuple(_remedy_amount(r.amount) for r in context.remedies),
    )


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
    return frozenset(keys | {(count, _DAY_KINDS[unit]) for count, unit in keys
                             if unit in _DAY_KINDS})


def _remedy_amount(raw: str | None) -> str | None:
    """The value of a remedy's amount, with or without a currency."""
    if not raw:
        return None
    match = _NUMBER.search(raw)
    return None if match is None else f"{float(match.group().replace(',', '')):.2f}"
