"""Commitments checked against the caller's facts.

Every amount, percentage, quantity, date, deadline and code a draft states must come from
the request: remedies (and prevention steps) authorise them; the incident's own figures may
be restated as what happened but never offered or promised. Improvement figures must come
from `prevention[].metric`. A remedy word (refund, credit, voucher, free...) needs an
authorised remedy of its kind, and words that widen it ("a full refund", "the cost of your
trip", "for life") must be the remedy's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from contract.models import DraftRequest
from contract.report import Finding, Fix
from guardrails.draft import Draft, Text
from guardrails.facts import (
    MAX_FACTS,
    Fact,
    durations_in,
    extract_metrics,
    facts_within,
    trie_regex,
    year_facts,
)
from guardrails.lexicon import lexicon
from guardrails.spans import MAX_PER_RULE, finding, negates, preceding_words
from guardrails.supplied import (
    RemedyFacts,
    Supplied,
    fact_value,
    heads,
    plain,
    retold_spans,
    stems,
)

UNSUPPORTED = "commitments.unsupported_fact"
METRIC = "commitments.unsupported_metric"
UNAUTHORISED = "commitments.unauthorised_remedy"
REMOVE = Fix(action="remove_sentence")

ANY_KIND = frozenset(
    {"refund", "credit", "discount", "replacement", "expedite", "service", "other"}
)
REMEDY_CUES: dict[str, frozenset[str]] = {
    "remedy_refund": frozenset({"refund"}),
    "remedy_credit": frozenset({"credit"}),
    "remedy_discount": frozenset({"discount"}),
    "remedy_replacement": frozenset({"replacement"}),
    "remedy_voucher": frozenset({"credit", "other"}),
    "remedy_compensation": ANY_KIND,
    "remedy_free": ANY_KIND,
    "remedy_goods": frozenset({"replacement", "service", "other"}),
    "remedy_upgrade": frozenset({"service", "expedite", "other"}),
}
"""Cue name (from `packs/commitments.yaml`) -> the remedy kinds that authorise it. A `free`
cue also needs a remedy described as free."""
_LETTERS = re.compile(r"[a-z]+")
_MESSAGES = {
    "amount": "States an amount ({}) that no remedy supplied.",
    "percent": "States a percentage ({}) that no remedy or metric supplied.",
    "quantity": "States a quantity ({}) that no remedy supplied.",
    "date": "States a date ({}) that no remedy or incident field supplied.",
    "duration": "Promises a deadline ({}) that no remedy supplied.",
    "weekday": "Promises a deadline ({}) that no remedy supplied.",
    "code": "Quotes a code or reference ({}) that the request did not supply.",
    "year": "Names a year ({}) that the request did not supply.",
}
_CLAUSE_END = re.compile(r"[.!?](?=\s|$)|[;:\n]|,\s|\s(?:and|but|so)\s")


@lru_cache(maxsize=1)
def _topic() -> tuple[re.Pattern[str], frozenset[str]]:
    """Words around a remedy word that make it a topic rather than a promise: "your refund
    request", "you asked for a refund"."""
    after = trie_regex(lexicon().words("topic_after"))
    return re.compile(rf"\s+(?:{after})\b"), frozenset(lexicon().words("topic_before"))


@lru_cache(maxsize=1)
def _price_words() -> frozenset[str]:
    """Words that show a percentage is a price change rather than an improvement figure:
    "we have reduced this report's fee by 10%" applies the authorised "10% off"."""
    return frozenset(lexicon().words("price_words"))


@lru_cache(maxsize=1)
def _promise() -> re.Pattern[str]:
    words = sorted(lexicon().words("promise_words"), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in word.split()) for word in words)
    return re.compile(rf"(?:\b|(?<=\w))(?:{alternatives})\b")


@lru_cache(maxsize=1)
def _noun_promise() -> re.Pattern[str]:
    """A promise word used as a noun naming a document ("the offer letter showed 4.6%")."""
    return re.compile(rf"(?:{trie_regex(lexicon().words('promise_noun_phrases'))})\b")


@lru_cache(maxsize=1)
def _extent() -> re.Pattern[str]:
    words = sorted(lexicon().words("extent_words"), key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in word.split()) for word in words)
    return re.compile(rf"\b(?:{alternatives})\b")


def _promised(text: Text, fact: Fact) -> bool:
    """Whether the sentence holding `fact` offers or promises something."""
    start, end = text.sentences.bounds(fact.start, fact.end)
    nouns = _noun_promise()
    return any(
        nouns.match(text.low, m.start(), end) is None
        for m in _promise().finditer(text.low, start, end)
    )


def unsupported_facts(draft: Draft) -> list[Finding]:
    """Figures, dates, deadlines and codes the request did not supply, or supplied only as
    part of the incident and are here offered or promised; improvement figures are judged
    only against `prevention[].metric`."""
    supplied = draft.supplied
    if supplied is None:
        return []
    found: list[Finding] = []
    for text in draft.texts:
        metrics = [
            m
            for m in extract_metrics(text.low, text.facts)
            if not _remedy_percent(text, m, supplied)
        ]
        for metric in metrics:
            if metric.key[0] not in supplied.metrics:
                found.append(
                    finding(
                        METRIC,
                        "error",
                        "Quotes an improvement figure that no prevention metric supplied.",
                        text.text,
                        metric.start,
                        metric.end,
                        'Describe the change itself ("we have added a second scan") without a '
                        "figure.",
                        text.field,
                        REMOVE,
                    )
                )
        spans = [(m.start, m.end) for m in metrics]
        unsupported = 0
        if len(text.facts) > MAX_FACTS:
            found.append(
                finding(
                    UNSUPPORTED,
                    "error",
                    f"States more than {MAX_FACTS} amounts, dates and codes; a draft with so "
                    "many cannot be checked.",
                    text.text,
                    text.facts[MAX_FACTS].start,
                    len(text.text),
                    "State only the amounts, dates, deadlines and codes the request supplied.",
                    text.field,
                )
            )
        checked = text.facts[:MAX_FACTS]
        for fact in [*checked, *year_facts(text.low, checked)]:
            if unsupported >= MAX_PER_RULE:
                break
            if fact.kind == "metric" or any(s <= fact.start and fact.end <= e for s, e in spans):
                continue
            if supplied.authorises(fact):
                continue
            excerpt = text.text[fact.start : fact.end]
            if supplied.in_incident(fact):
                if not _promised(text, fact):
                    continue
                message = f"Offers or promises a figure from the incident ({excerpt}); only "
                message += "remedies authorise an offer."
            else:
                message = _MESSAGES[fact.kind].format(excerpt)
            unsupported += 1
            found.append(
                finding(
                    UNSUPPORTED,
                    "error",
                    message,
                    text.text,
                    fact.start,
                    fact.end,
                    "State only the amounts, dates, deadlines and codes the request supplied.",
                    text.field,
                    REMOVE,
                )
            )
    return found


def _remedy_percent(text: Text, metric: Fact, supplied: Supplied) -> bool:
    """True when a would-be improvement figure is an authorised remedy's percentage applied
    to a price: the same number as a remedy's, and its words name a price ("reduced this
    report's fee by 10%"). A shared topic word is not enough: "reduced reporting errors by
    10%" is an improvement claim even when the remedy is "10% off this report's fee"."""
    if _price_words().isdisjoint(_LETTERS.findall(text.low, metric.start, metric.end)):
        return False
    return any(("percent", metric.key) in r.keys for r in supplied.remedies)


def _covers(cue: str, remedy: RemedyFacts) -> bool:
    """Whether a remedy word of this cue may stand for the authorised `remedy`."""
    return remedy.remedy.kind in REMEDY_CUES[cue] and (cue != "remedy_free" or remedy.free)


def _widened(
    text: Text, start: int, end: int, remedies: list[RemedyFacts]
) -> tuple[int, int] | None:
    """The span of a word near a remedy word that widens the remedy beyond every authorised
    remedy of its kind ("a full refund", "reimburse the cost of your trip"), or None. A
    sentence that states the remedy's own amount ("the full $450.00") widens nothing."""
    sentence_start, sentence_end = text.sentences.bounds(start, end)
    amounts = {r_key for r in remedies for r_key in r.amount_keys}
    if any(
        (f.kind, f.key) in amounts for f in facts_within(text.facts, sentence_start, sentence_end)
    ):
        return None
    after = _CLAUSE_END.search(text.low, end, sentence_end)
    stop = after.start() if after is not None else sentence_end
    before = max(sentence_start, start - 24)
    for cut in _CLAUSE_END.finditer(text.low, before, start):
        before = cut.end()
    for match in _extent().finditer(text.low, before, min(stop, end + 60)):
        extent = heads(match.group())
        if not any(extent & remedy.heads for remedy in remedies):
            return match.span()
    return None


_PAY_FOR = re.compile(r"(?:pay|paying|paid)\s+for\s+(?:your|the|a|any)\s*$")


def _pays_for_other(text: Text, end: int, remedies: list[RemedyFacts]) -> tuple[int, int] | None:
    """The span of what "we'll pay for ..." pays for, when no authorised remedy names it
    ("pay for the repairs" beside a refunded shipping fee), or None: an authorised refund
    does not authorise paying for anything else."""
    if _PAY_FOR.search(text.low, max(0, end - 40), end) is None:
        return None
    _, stop = _clause(text, end, end)
    thing = stems(text.low[end:stop])
    if not thing or any(thing & remedy.stems for remedy in remedies):
        return None
    return end, stop


def _clause(text: Text, start: int, end: int) -> tuple[int, int]:
    """The clause around a span: from the last clause break before it to the next after."""
    sentence_start, sentence_end = text.sentences.bounds(start, end)
    left = sentence_start
    for cut in _CLAUSE_END.finditer(text.low, sentence_start, start):
        left = cut.end()
    after = _CLAUSE_END.search(text.low, end, sentence_end)
    return left, after.start() if after is not None else sentence_end


def _states_a_remedy(text: Text, start: int, end: int, supplied: Supplied) -> bool:
    """Whether the clause around a remedy word states an authorised remedy's own amount or
    code ("a credit of $10.50" for an `other` remedy of 10.5): the word then names that
    remedy, whatever its kind."""
    left, right = _clause(text, start, end)
    clause = " ".join(text.low[left:right].split())
    facts = facts_within(text.facts, left, right)
    keys = {(f.kind, f.key) for f in facts}
    values = {fact_value(f) for f in facts}
    for remedy in supplied.remedies:
        code, amount = remedy.remedy.code, plain(remedy.remedy.amount or "")
        if remedy.amount_keys & keys or (remedy.bare is not None and remedy.bare in values):
            return True
        if (code and code.lower() in clause) or (amount and amount in clause):
            return True
        # An amount that is a span of time ("1 month"), in any spelling ("one month").
        spans = durations_in(amount) if amount and not remedy.amount_keys else set()
        if spans and spans & durations_in(clause):
            return True
    return False


def own_stems(supplied: Supplied, index: int, steps: Iterable[str]) -> frozenset[str]:
    """The stems of remedy `index`'s description that the incident, the prevention `steps`
    and the other remedies do not use: the words that tell this remedy apart. Beside a step
    about "the signed production schedule" and a credit "against the next invoice", the
    remedy "priority production slots for the next two orders" has "priority", "slots" and
    "orders" of its own."""
    others = set(supplied.incident_stems)
    for at, remedy in enumerate(supplied.remedies):
        if at != index:
            others |= remedy.stems
    for step in steps:
        others |= stems(step)
    return supplied.remedies[index].stems - others


def says_own_words(text_stems: set[str], own: frozenset[str]) -> bool:
    """Whether a text with `text_stems` uses one of a remedy's own stems or a close
    inflection of one ("slot" for "slots", "prioritised" for "priority"); true when the
    remedy has no word of its own. A remedy's kind word in another sense ("express my
    regret" for an expedite remedy) or a word it shares with the incident ("production")
    does not state it."""
    if not own:
        return True
    if text_stems & own:
        return True
    # Stems are a word's first five letters, so a four-letter word's stem is the word:
    # "slot" and "slots" share their first four.
    short = {s for s in own if len(s) == 4} | {s[:4] for s in own if len(s) == 5}
    return any((len(t) == 4 and t in short) or (len(t) == 5 and t[:4] in own) for t in text_stems)


def _names(context: DraftRequest | None) -> list[str]:
    """The request's names, in lower case: "Credit" in "Harbor Credit Union" offers nothing."""
    if context is None:
        return []
    people = (context.sender, context.recipient)
    return [n.lower() for p in people for n in (p.name, p.organization) if n]


def _occurrences(word: str, low: str) -> Iterator[tuple[int, int]]:
    """Where `word` (not empty) occurs in `low`, left to right, not overlapping (as
    `re.finditer(re.escape(word), low)` finds it, without compiling a pattern per name)."""
    at = low.find(word)
    while at >= 0:
        yield at, at + len(word)
        at = low.find(word, at + len(word))


def unauthorised_remedies(draft: Draft) -> list[Finding]:
    """Remedy words with no authorised remedy of their kind (or, for "free", no remedy
    described as free), and remedy words widened beyond what was authorised."""
    supplied = draft.supplied
    if supplied is None:
        return []
    found: list[Finding] = []
    told = supplied.told
    names = _names(draft.context)
    for text in draft.texts:
        low = text.low
        retold = retold_spans(low, told) + [span for n in names for span in _occurrences(n, low)]
        topic_after, topic_before = _topic()
        for cue in REMEDY_CUES:
            words = text.remedy_words.get(cue)
            if not words:
                continue
            covers = [_covers(cue, r) for r in supplied.remedies]
            for start, end in words:
                word = text.text[start:end]
                before = preceding_words(low, start)
                if negates(before) or topic_after.match(low, end):
                    continue
                if any(a <= start and end <= b for a, b in retold):
                    continue  # the incident retold: "you had to pay for a second night"
                if topic_before & set(before[-3:]):
                    continue
                if _states_a_remedy(text, start, end, supplied):
                    continue
                if not any(covers):
                    # A remedy word that names the incident ("your refund request") is
                    # not an offer; goods offered always are, whatever they name.
                    word_stems = stems(word) if cue != "remedy_goods" else set()
                    if word_stems & supplied.incident_stems or any(
                        word_stems & r.stems for r in supplied.remedies
                    ):
                        continue
                    message = f"Offers or mentions a remedy ({word}) that the request did not "
                    message += "authorise."
                    span = (start, end)
                else:
                    # A remedy of another kind that names the word ("full refund" as a
                    # remedy's amount) authorises it as well.
                    named = heads(word)
                    remedies = [
                        r
                        for r, c in zip(supplied.remedies, covers, strict=True)
                        if c or named & r.heads
                    ]
                    widened = _widened(text, start, end, remedies)
                    if widened is None and cue == "remedy_compensation":
                        widened = _pays_for_other(text, end, remedies)
                    if widened is None:
                        continue
                    span = (min(start, widened[0]), max(end, widened[1]))
                    extent = text.text[widened[0] : widened[1]]
                    message = f"Widens a remedy ({extent} … {word}) beyond what the request "
                    message += "authorised."
                found.append(
                    finding(
                        UNAUTHORISED,
                        "error",
                        message,
                        text.text,
                        *span,
                        "Offer only the remedies listed in the request, in their own terms.",
                        text.field,
                        REMOVE,
                    )
                )
    return found
