"""Whose letter is it: after salvage, is what is left of the model's text still a letter
about the caller's incident?

Salvage can make almost any answer pass: it cuts what the checks flag and puts the caller's
facts in as the composer words them. From a model that writes about something else, what
comes out is the composer's sentences wrapped round the model's leftovers ("- The company
has sent you a request for help with their internet service; …"). That letter passes every
rule and is still not one anybody should send, nor one to count as the model's.

`disowned` reads the delivered letter sentence by sentence. A sentence is the model's when
most of its words come, in order, from the model's answer (`_from_model`); else it is
salvage's. A sentence of the model's is stray when it speaks of the reader or the business
as third parties, or of the answer itself ("the company", "a request", "Here is the
response"), or when it uses more words of its own than any apology letter uses (`_STOCK`)
and than twice the words it takes from the request's incident, remedies and steps
("We have moved every account onto a new loyalty platform"). It is grounded when it uses a
word of the request's and is not stray. The letter is not the model's when a stray sentence
is left, or when no grounded one is (salvage told every fact). Courtesy lines ("Thank you
for your patience.") are neither and leave the letter the model's.

A letter that took more than `_EDITS_PER_SENTENCE` salvage edits per sentence it kept is not
the model's either, whatever is left: salvage cut and patched an answer that ignored the
request until only a stitched text passed ("We hope that you will assist with the issues
you had while using our service").

The pipeline (`service.pipeline`) then treats the letter as failing: it re-asks with the
model's own answer and why, and falls back to the composer, saying so, if that fails too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from contract.models import DraftRequest
from guardrails.supplied import stems
from service.salvage import sentence_spans

_WORD = re.compile(r"\S+")
_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
_MIN_WORDS = 3
"""A shorter line (a name, "Best regards,", "Hi Kofi,") is no sentence to judge."""
_ASIDE = re.compile(
    r"\b(?:the|this|that)\s+(?:company|customer|client|recipient|sender|business|"
    r"organi[sz]ation|user)\b|\b(?:a|the|this|their|your)\s+request\b|"
    r"\bhere(?:\s+is|['’]s)\s+(?:the|your|my|a|an)\s+(?:(?:rewritten|revised|corrected|"
    r"new|updated|formal)\s+)?(?:response|letter|draft|message|email|reply|apology|answer|"
    r"version)\b|\bthe\s+(?:response|draft|instructions?)\b|"
    r"\bwrite\s+(?:a|an|the|this|your)\s+(?:formal\s+)?(?:apology|letter|response|message|"
    r"email|reply)\b|\ban?\s+example\s+of\b|</?[a-z_]+>|\bcustomer[_ ]message\b|"
    # The letter describing itself or apologies in general ("This apology is a professional
    # one.", "A good apology must be clear", "The message should still convey ...").
    r"\b(?:this|the(?:\s+above)?)\s+(?:apology|message|letter|email|draft)\s+(?:is|was)\s+"
    r"(?:not\s+)?(?:a|an|just|only)\b(?!\s+apolog)|\ba\s+good\s+apology\b|"
    r"\bthe\s+(?:above\s+)?apology\s+(?:is|was)\b|\bquoted\s+data\b|\bI\s+hope\s+this\s+helps\b|"
    r"\b(?:the|this|an?|your)\s+(?:apology|message|letter|email|draft)\s+(?:should|must|"
    r"needs?\s+to|has\s+to)\b|"
    # A checker's rule named in the letter ("This is about rule FN-20577.", from a re-ask's
    # "Rule elements.missing").
    r"\brules?\s+(?:[a-z_]+\.[a-z_]+|[a-z]{1,6}-\d)",
    re.IGNORECASE,
)
"""The reader or the business spoken of as third parties, or the answer speaking of
itself, its instructions or the writing of it ("You can't write a formal apology for this"),
or the prompt's markup ("<customer_message>"): no sentence of a letter to one person about
their incident. A sentence that quotes the customer's message back is one too (`_runs`)."""
_STOCK = (
    # courtesy and contact
    "understand understanding appreciate patience question questions concern concerns "
    "hesitate contact reach reply replying email letter writing assist assistance help hope "
    "look forward back hearing serving soon thank thanks feedback please know let attention "
    "bringing time best regards sincerely team "
    # the apology itself
    "inconvenience mistake error oversight serious matter issue situation incident happened "
    "sorry apologise apologize apology apologies regret express sincere truly deeply "
    "responsibility full accept acceptable take taking handling intended caused ideal right "
    "things frustration trouble disappointment down value valued "
    # amends and change in general words
    "make want would like offer offered willing confirm anything else need further addition "
    "additionally experience business future again ensure address following steps taken "
    "amount already processed applied using code discount refund refunded credit voucher "
    "advantage delay"
)
"""The words any apology letter may use whatever happened: a sentence made of them (with
the request's) says nothing beside the request's facts."""
_STRAY_WORDS = 8
"""A sentence naming none of the request's facts with this many other words of its own
is about something else."""
_EDITS_PER_SENTENCE = 4
"""More salvage edits than this per sentence delivered, and the letter is salvage's patchwork
of an answer that ignored the request: the 23 recorded Qwen2.5-Coder-1.5B letters needed at
most 2.4 (an SMS cut from 106 words to 51), the SmolLM2 SMS that CI delivered as nonsense
about 7 (36 edits)."""


@dataclass(frozen=True)
class Sentence:
    text: str
    model: bool
    """Most of its words are the model's (else salvage wrote it)."""
    source: str
    """The stretch of the model's answer its words come from ("" if none)."""
    facts: int
    """How many of the request's incident, remedy and step words it uses."""
    told: int
    """How many of those are the incident's own (summary, cause, impact, reference, date)."""
    other: frozenset[str]
    """The stems of its words that are neither the request's nor any letter's (`_STOCK`)."""
    aside: bool
    """It speaks of the reader or the business as third parties, or of itself (`_ASIDE`)."""

    @property
    def stray(self) -> bool:
        """A sentence of the model's about something other than the request."""
        if not self.model:
            return False
        if self.aside:
            return True
        return len(self.other) >= _STRAY_WORDS and len(self.other) > 2 * self.facts

    @property
    def grounded(self) -> bool:
        """A sentence of the model's that tells something of the incident: a remedy or a step
        copied from the facts alone tells the reader nothing of what happened to them."""
        return self.model and self.told > 0 and not self.stray


def sentences(answer: str, delivered: str, request: DraftRequest) -> list[Sentence]:
    """The sentences of the `delivered` body (a line of fewer than three words, such as a
    greeting or a name, is none), each marked as the model's (from its `answer`) or
    salvage's, with what it names."""
    own = _from_model(answer, delivered)
    incident, facts, known = _request_stems(request)
    quoted = _runs(request.incident.customer_message or "")
    found = []
    for start, end in sentence_spans(delivered):
        words = list(_WORD.finditer(delivered, start, end))
        if len(words) < _MIN_WORDS:
            continue
        text = delivered[start:end]
        have = stems(_ADDRESS.sub(" ", text.lower()))
        theirs = [own[m.start()] for m in words if m.start() in own]
        found.append(
            Sentence(
                text=text,
                model=len(theirs) * 2 > len(words),
                source=answer[theirs[0][0] : theirs[-1][1]] if theirs else "",
                facts=len(have & facts),
                told=len(have & incident),
                other=frozenset(have - facts - known),
                aside=_ASIDE.search(text) is not None or bool(_runs(text) & quoted),
            )
        )
    return found


@dataclass(frozen=True)
class Disowned:
    """Why a letter is not the model's: a message for the re-ask and the fallback reason,
    and the stray sentence, when that is the reason."""

    message: str
    sentence: str = ""


def disowned(answer: str, delivered: str, request: DraftRequest, edits: int = 0) -> Disowned | None:
    """Why the `delivered` letter, made by salvage from the model's `answer` with `edits`
    edits, is not the model's letter; None when it is."""
    count = len(sentence_spans(delivered))
    if edits > _EDITS_PER_SENTENCE * count:
        return Disowned(
            f"The draft needed {edits} corrections for a letter of {count} sentences: write "
            "it again for this channel, telling only the incident, remedies and steps given."
        )
    found = sentences(answer, delivered, request)
    stray = next((s for s in found if s.stray), None)
    if stray is not None:
        what = (
            "speaks of the reader, the business or the letter itself as someone else"
            if stray.aside
            else "tells none of the incident's facts"
        )
        return Disowned(
            f"This sentence {what}: write to the reader about the incident given.", stray.source
        )
    if not any(s.grounded for s in found):
        return Disowned(
            "No sentence of the draft tells what happened: write about the incident given, "
            "then the remedies and the steps in the facts."
        )
    return None


def _from_model(answer: str, delivered: str) -> dict[int, tuple[int, int]]:
    """For each word of `delivered` that is one of `answer`'s words in order (a difflib
    alignment of the two word sequences), by its start: that word's span in `answer`."""
    theirs = list(_WORD.finditer(answer))
    words = list(_WORD.finditer(delivered))
    matcher = SequenceMatcher(
        None, [m.group() for m in theirs], [m.group() for m in words], autojunk=False
    )
    own = {}
    for block in matcher.get_matching_blocks():
        for i in range(block.size):
            own[words[block.b + i].start()] = theirs[block.a + i].span()
    return own


_RUN = 5
"""A sentence sharing this many words in a row with the customer's message quotes it back."""


def _runs(text: str) -> set[tuple[str, ...]]:
    """Every run of `_RUN` consecutive words of `text`, lowercased."""
    words = re.findall(r"[a-z0-9@'’-]+", text.lower())
    return {tuple(words[i : i + _RUN]) for i in range(len(words) - _RUN + 1)}


def _request_stems(request: DraftRequest) -> tuple[set[str], set[str], set[str]]:
    """The stems of the request's incident; of its incident, remedies and steps; and of the
    people's names and `_STOCK`, words a letter may use without naming anything new."""
    incident = request.incident
    texts = [incident.summary, incident.reference, incident.cause, incident.impact]
    texts += [incident.date]
    told = set().union(*(stems(t.lower()) for t in texts if t))
    for remedy in request.remedies:
        texts += [remedy.description, remedy.amount, remedy.date, remedy.code]
    for step in request.prevention:
        texts += [step.description, step.metric]
    names = [str(v) for p in (request.recipient, request.sender) for v in p.model_dump().values()]
    facts = set().union(*(stems(t.lower()) for t in texts if t))
    return told, facts, stems(" ".join([*names, _STOCK]).lower())
