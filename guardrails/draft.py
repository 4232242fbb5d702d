"""The per-check object every rule reads: the folded texts, what the rule set's scanner found
in them (rule matches, element cues), their facts and sentences, the channel, the caller's
request and what it supplied, and the elements found. Built once per check by `read`."""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.catalog import Channel
from contract.models import DraftRequest
from contract.report import ElementData, TextField
from guardrails.facts import MAX_FACTS, Fact, extract_facts
from guardrails.normalise import Folded, fold, lowered
from guardrails.ruleset import CompiledRule, RuleSet
from guardrails.spans import SentenceBreaks
from guardrails.supplied import Supplied

Spans = list[tuple[int, int]]


@dataclass(slots=True)
class Text:
    """One checked field (body or subject), folded for matching."""

    field: TextField
    folded: Folded
    text: str
    """The folded text: every span a rule reports is in it."""
    low: str
    hits: list[tuple[CompiledRule, int, int]]
    cues: dict[str, Spans]
    remedy_words: dict[str, Spans]
    """Every remedy cue, including those where an element cue or a rule won the scanner's
    match at the same place."""
    facts: list[Fact]
    """At most `MAX_FACTS + 1` facts: one more than are checked shows there were too many."""
    sentences: SentenceBreaks


@dataclass(slots=True)
class Draft:
    """Everything a rule may read about one check."""

    body: Text
    subject: Text | None
    channel: Channel
    channel_key: str
    context: DraftRequest | None
    supplied: Supplied | None
    liability: str
    tone: str | None
    rules: RuleSet
    elements: list[ElementData] = field(default_factory=list)
    owned: bool | None = None
    """Whether the body owns a failure (`structure.body_owns`): read once per check, when a
    rule first asks, after the elements are found."""

    @property
    def texts(self) -> list[Text]:
        return [self.body] if self.subject is None else [self.body, self.subject]


def _text(name: TextField, raw: str, rules: RuleSet, liability: str) -> Text:
    folded = fold(raw)
    text = folded.text
    low = lowered(text)
    hits: list[tuple[CompiledRule, int, int]] = []
    cues: dict[str, Spans] = {}
    remedy_words: dict[str, Spans] = {}
    for payload, start, end in rules.scanners[liability].matches(text, low):
        if isinstance(payload, CompiledRule):
            hits.append((payload, start, end))
        else:
            cues.setdefault(payload, []).append((start, end))
        if isinstance(payload, str) and payload.startswith("remedy_"):
            remedy_words.setdefault(payload, []).append((start, end))
        elif rules.remedy_words is not None:
            shadowed = rules.remedy_words.match(low, start)
            if shadowed is not None and shadowed.lastgroup is not None:
                span = shadowed.span(shadowed.lastgroup)
                remedy_words.setdefault(shadowed.lastgroup, []).append(span)
    return Text(
        field=name,
        folded=folded,
        text=text,
        low=low,
        hits=hits,
        cues=cues,
        remedy_words=remedy_words,
        facts=extract_facts(text, low, limit=MAX_FACTS + 1),
        sentences=SentenceBreaks(text),
    )


def read(
    body: str,
    subject: str | None,
    channel: Channel,
    channel_key: str,
    context: DraftRequest | None,
    rules: RuleSet,
) -> Draft:
    """Fold, scan and parse one draft for its rules."""
    liability = context.liability if context is not None else "standard"
    return Draft(
        body=_text("body", body, rules, liability),
        subject=_text("subject", subject, rules, liability) if subject else None,
        channel=channel,
        channel_key=channel_key,
        context=context,
        supplied=Supplied.of(context) if context is not None else None,
        liability=liability,
        tone=context.tone if context is not None else None,
        rules=rules,
    )
