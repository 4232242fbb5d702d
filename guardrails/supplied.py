"""What the caller's request supplied, normalised for comparison with a draft.

Only `remedies` authorise an offer (and `prevention[].metric` an improvement figure): their
amounts, dates, codes and figures may be stated and promised. The incident's own figures
(summary, cause, impact, date) may be restated as what happened, never promised. The
customer's message is untrusted and supplies nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from contract.models import DraftRequest, Remedy
from guardrails.facts import (
    Fact,
    durations_in,
    extract_facts,
    number_value,
    weekdays_in,
    years_in,
)
from guardrails.lexicon import lexicon
from guardrails.normalise import fold, lowered

_LONG_WORD = re.compile(r"[a-z0-9]{4,}")
"""A run of four or more letters and digits: the same runs as `[a-z0-9]+` longer than three."""
_SPACES = re.compile(r"\s+")
_BARE = re.compile(r"[\d.,\s]+")
_FREE = re.compile(r"\b(?:free|complimentary|no\s+(?:extra\s+)?(?:cost|charge)|on\s+us|waiv\w*)\b")
_LETTERS = re.compile(r"[a-z]+")


def heads(words: str) -> set[str]:
    """Four-letter heads of the longer words: "in full", "fully" and "full" share "full"."""
    return {w[:4] for w in _LETTERS.findall(words) if len(w) >= 4}


def stems(text: str) -> set[str]:
    """Crude stems (first five letters) of the content words in `text`."""
    return set(_stems(text))


@lru_cache(maxsize=1024)
def _stems(text: str) -> frozenset[str]:
    # The request's texts repeat from check to check (a batch, a re-check after salvage).
    return frozenset({w[:5] for w in set(_LONG_WORD.findall(text.lower())) - _stop_words()})


_ANY_WORD = re.compile(r"[a-z0-9]+")


def short_words_said(description: str, low: str) -> bool:
    """Whether lowercase `low` uses every word of a `description` too short to have stems
    (a remedy "Fix", a step "2FA" or "QA"), each as a whole word. False when the
    description has stems: those are matched by stem."""
    return not stems(description) and words_said(description, low)


def words_said(description: str, low: str) -> bool:
    """Whether lowercase `low` uses every word of `description`, each as a whole word."""
    words = set(_ANY_WORD.findall(description.lower()))
    return bool(words) and all(
        re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", low) for word in words
    )


_RUN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
"""The characters of the runs `_LONG_WORD` finds."""


def stems_in(text: str, wanted: set[str]) -> set[str]:
    """`stems(text) & wanted`, found where each wanted stem starts a word instead of by
    reading every word of `text` (a stem is the first five characters of a run of four or
    more letters and digits that is not a stop word, so it is four or five long)."""
    low = text.lower()
    found = set()
    for stem in wanted:
        at = low.find(stem) if len(stem) in (4, 5) and _RUN_CHARS.issuperset(stem) else -1
        while at >= 0:
            if not (at and low[at - 1] in _RUN_CHARS):
                end = at + len(stem)
                while end < len(low) and low[end] in _RUN_CHARS:
                    end += 1
                if (len(stem) == 5 or end == at + 4) and low[at:end] not in _stop_words():
                    found.add(stem)
                    break
            at = low.find(stem, at + 1)
    return found


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return frozenset(lexicon().words("stop_words"))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


def retold_spans(low: str, told: tuple[str, ...]) -> list[tuple[int, int]]:
    r"""Where lowercase `low` copies one of the `told` texts (`Supplied.told`) word for word:
    the spans `re.finditer(rf"(?<!\w){re.escape(text)}(?!\w)", low)` finds for each, found
    without compiling a pattern per text (every request tells its own incident)."""
    spans = []
    for text in told:
        at = low.find(text) if text else -1  # `told` holds no empty text
        while at >= 0:
            end = at + len(text)
            if not (word_char(low, at - 1) or word_char(low, end)):
                spans.append((at, end))
                at = low.find(text, end)
            else:
                at = low.find(text, at + 1)
    return spans


def word_char(text: str, at: int) -> bool:
    r"""Whether `text[at]` exists and is a character `\w` matches."""
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


@lru_cache(maxsize=1024)
def plain(text: str) -> str:
    """Folded, lowercased, with single spaces: for literal comparisons."""
    return _SPACES.sub(" ", lowered(fold(text).text)).strip()


def fact_value(fact: Fact) -> Decimal | None:
    """The number a numeric fact states (amount, percent or quantity)."""
    if fact.kind not in ("amount", "percent", "quantity"):
        return None
    try:
        return Decimal(fact.key[0])
    except InvalidOperation:
        return None


@dataclass(frozen=True, slots=True)
class RemedyFacts:
    """One authorised remedy, normalised."""

    remedy: Remedy
    text: str
    """Description, amount, date and code, folded and lowercased."""
    keys: frozenset[tuple[str, tuple[str, ...]]]
    amount_keys: frozenset[tuple[str, tuple[str, ...]]]
    bare: Decimal | None
    """The amount's value when it was given without a unit ("10", "1,000")."""
    stems: frozenset[str]
    free: bool
    """Whether the remedy is described as free of charge."""
    heads: frozenset[str]
    """The `heads` of `text`."""


@dataclass(frozen=True, slots=True)
class _IncidentFacts:
    """The facts (kind and key), weekdays and durations the incident states."""

    keys: frozenset[tuple[str, tuple[str, ...]]]
    weekdays: frozenset[str]
    durations: frozenset[tuple[str, ...]]


class Supplied:
    """The caller's facts: what remedies and prevention authorise, and what the incident
    states. The request is read once, at construction; `of` reads each distinct request
    once (a batch checks many letters for one incident, and the pipeline re-checks a
    salvaged letter against the same request)."""

    __slots__ = (
        "_incident_facts",
        "codes",
        "durations",
        "incident_stems",
        "incident_text",
        "keys",
        "metrics",
        "remedies",
        "told",
        "told_stems",
        "weekdays",
        "years",
    )

    def __init__(self, context: DraftRequest) -> None:
        incident = context.incident
        told = [incident.summary, incident.reference, incident.cause, incident.impact]
        incident_text = plain("\n".join(t for t in [*told, incident.date] if t))
        authorised = _authorised(ByValue(_authorised_key(context), context))
        self.remedies = authorised.remedies
        self.keys = authorised.keys
        self.weekdays = authorised.weekdays
        self.durations = authorised.durations
        self.metrics = authorised.metrics
        # A code may be quoted when the request holds it anywhere but the customer's
        # message: the reference is restated in every letter.
        self.codes = f"{authorised.text}\n{incident_text}".upper()
        self.incident_text = incident_text
        self.years = years_in("\n".join(_request_texts(context)))
        """Every year the request names, in any field (even inside a code)."""
        self._incident_facts: _IncidentFacts | None = None
        self.incident_stems = frozenset(stems(incident_text))
        fields = (incident.summary, incident.cause, incident.impact)
        whole = [t for t in (f.lower().strip(" .!?") for f in fields if f) if t]
        # A field of several sentences may be retold one sentence at a time (a field that
        # says one thing three times is told once); a sentence of a word or two is too
        # short to tell the incident.
        parts = [
            p
            for t in whole
            if _SENTENCE_BREAK.search(t)
            for p in (s.strip(" .!?") for s in _SENTENCE_BREAK.split(t))
            if len(p.split()) >= 4
        ]
        self.told = tuple(dict.fromkeys([*whole, *parts]))
        """The incident's summary, cause and impact, lowercased without a closing full stop,
        and each sentence of four or more words of one that has several: the caller's own
        telling of what happened, which a draft may retell word for word."""
        self.told_stems = frozenset(stems(" ".join(self.told)))

    @classmethod
    def of(cls, context: DraftRequest) -> Supplied:
        """`Supplied(context)`, read once per distinct value of the fields it reads."""
        incident = context.incident
        key = (
            incident.summary,
            incident.reference,
            incident.cause,
            incident.impact,
            incident.date,
            _authorised_key(context),
            tuple(_request_texts(context)),
        )
        # The key holds every field of every remedy, so the remedies read are equal to
        # this request's own.
        return _read(ByValue(key, context))

    def authorises(self, fact: Fact) -> bool:
        """Whether a remedy or prevention step supplied this fact."""
        if fact.kind == "code":
            return fact.key[0].upper() in self.codes
        if fact.kind == "weekday":
            return fact.key[0] in self.weekdays
        if fact.kind == "year":
            return fact.key[0] in self.years
        if fact.kind == "duration" and fact.key in self.durations:
            return True
        if (fact.kind, fact.key) in self.keys:
            return True
        value = fact_value(fact)
        return value is not None and any(r.bare == value for r in self.remedies)

    def in_incident(self, fact: Fact) -> bool:
        """Whether the incident states this fact (it may be restated, never promised)."""
        if self._incident_facts is None:
            # Read when a draft's fact is first looked up here: most drafts state none that
            # no remedy authorises.
            text = self.incident_text
            self._incident_facts = _IncidentFacts(
                keys=frozenset((f.kind, f.key) for f in extract_facts(text, text, codes=False)),
                weekdays=frozenset(weekdays_in(text)),
                durations=frozenset(durations_in(text)),
            )
        incident = self._incident_facts
        if fact.kind == "weekday":
            return fact.key[0] in incident.weekdays
        if fact.kind == "duration" and fact.key in incident.durations:
            return True
        return (fact.kind, fact.key) in incident.keys


def _request_texts(context: DraftRequest) -> list[str]:
    """Every free-text field of the request: the incident's, the customer's message, the
    names of the people and organisations, and the remedies' and steps' fields."""
    incident, people = context.incident, (context.recipient, context.sender)
    texts = [incident.summary, incident.reference, incident.cause, incident.impact]
    texts += [incident.date, incident.customer_message]
    texts += [value for person in people for value in person.model_dump().values()]
    for remedy in context.remedies:
        texts += [remedy.description, remedy.amount, remedy.date, remedy.code]
    for step in context.prevention:
        texts += [step.description, step.metric]
    return [t for t in texts if t]


class ByValue:
    """A request as a cache key: equal when the values `key` holds are (the fields a reader
    of the request reads), whatever the request object."""

    __slots__ = ("context", "key")

    def __init__(self, key: tuple[object, ...], context: DraftRequest) -> None:
        self.key, self.context = key, context

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ByValue) and other.key == self.key


@lru_cache(maxsize=256)
def _read(request: ByValue) -> Supplied:
    return Supplied(request.context)


@dataclass(frozen=True, slots=True)
class _Authorised:
    """What the remedies and prevention steps supply, normalised."""

    text: str
    """Every remedy and prevention field, folded, one per line."""
    keys: frozenset[tuple[str, tuple[str, ...]]]
    weekdays: frozenset[str]
    durations: frozenset[tuple[str, ...]]
    remedies: tuple[RemedyFacts, ...]
    metrics: frozenset[str]
    """The figures of the prevention steps (their metrics and their own words)."""


def _authorised_key(context: DraftRequest) -> tuple[object, ...]:
    """Every field of the remedies and prevention steps."""
    return (
        tuple(
            (r.kind, r.description, r.amount, r.date, r.code, r.status) for r in context.remedies
        ),
        tuple((step.description, step.metric) for step in context.prevention),
    )


@lru_cache(maxsize=256)
def _authorised(request: ByValue) -> _Authorised:
    """The remedies and steps of a request, read once per distinct value of them: requests
    that differ only in the incident's telling share them."""
    context = request.context
    # Each field is read on its own (`_field`), so one field's end and the next one's start
    # never read as one fact ("service credit for november" + "25%" is not the date
    # "november 25"), and a batch's letters, whose remedies differ only in an amount or a
    # code, read their shared fields once.
    fields: list[tuple[int, str, str]] = []  # (remedy index or -1, field, text)
    for index, remedy in enumerate(context.remedies):
        for name in ("description", "amount", "date", "code"):
            value = getattr(remedy, name)
            if value:
                fields.append((index, name, plain(value)))
    for step in context.prevention:
        fields.append((-1, "prevention", plain(step.description)))
        if step.metric:
            fields.append((-1, "metric", plain(step.metric)))
    read = [_field(text) for _, _, text in fields]
    by_field: dict[tuple[int, str], set[tuple[str, tuple[str, ...]]]] = {}
    for (index, name, _), (keys, _, _) in zip(fields, read, strict=True):
        if keys:
            by_field.setdefault((index, name), set()).update(keys)
    return _Authorised(
        text="\n.\n".join(text for _, _, text in fields),
        keys=frozenset().union(*(keys for keys, _, _ in read)),
        weekdays=frozenset().union(*(weekdays for _, weekdays, _ in read)),
        durations=frozenset().union(*(durations for _, _, durations in read)),
        remedies=tuple(
            _remedy(remedy, index, by_field) for index, remedy in enumerate(context.remedies)
        ),
        metrics=frozenset(
            key[0]
            for (index, name), keys in by_field.items()
            if name in ("metric", "prevention")
            for kind, key in keys
            if kind in ("percent", "metric")
        ),
    )


_FieldKeys = frozenset[tuple[str, tuple[str, ...]]]


@lru_cache(maxsize=1024)
def _field(text: str) -> tuple[_FieldKeys, frozenset[str], frozenset[tuple[str, ...]]]:
    """The facts (kind and key), weekdays and durations of one folded remedy or step field."""
    keys = frozenset((f.kind, f.key) for f in extract_facts(text, text, codes=False))
    return keys, frozenset(weekdays_in(text)), frozenset(durations_in(text))


def _remedy(
    remedy: Remedy, index: int, by_field: dict[tuple[int, str], set[tuple[str, tuple[str, ...]]]]
) -> RemedyFacts:
    text = plain(
        " ".join(t for t in (remedy.description, remedy.amount, remedy.date, remedy.code) if t)
    )
    amount = remedy.amount or ""
    amount_keys = frozenset(by_field.get((index, "amount"), ()))
    bare = None
    if amount and not amount_keys and _BARE.fullmatch(amount):
        bare = number_value(amount)
    keys = set().union(
        *(by_field.get((index, name), set()) for name in ("description", "amount", "date", "code"))
    )
    return RemedyFacts(
        remedy=remedy,
        text=text,
        keys=frozenset(keys),
        amount_keys=amount_keys,
        bare=bare,
        stems=frozenset(stems(remedy.description)),
        free=bool(_FREE.search(text)),
        heads=frozenset(heads(text)),
    )
