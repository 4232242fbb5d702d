"""Find the elements of an apology (acknowledgment, responsibility, regret, amends,
prevention) and of its form (subject, greeting, invitation, close, signature), each with an
evidence span, and report the required ones that are missing.

Which elements are required comes from the channel's `required` list; amends are not
required when the caller's context authorises no remedy. Under the cautious posture only
ownership of the fix counts as responsibility (the packs mark which cues apply to which
posture). A cue preceded by a negation or hedge ("we are not", "we may") never counts, with
two exceptions: a conditional clause that ends before the cue ("If you were affected, please
contact us") does not weaken an invitation, an amends or a prevention cue, and an invitation
is not weakened by a hedge at all ("Could you send us a DM?"). A sentence that states one of
the request's authorised remedies is evidence of amends too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from contract.models import DraftRequest
from contract.report import (
    CORE_ELEMENTS,
    FORM_ELEMENTS,
    ElementData,
    EvidenceData,
    Finding,
    Fix,
    TextField,
)
from guardrails.draft import Draft
from guardrails.form_elements import greeting, signature, text_lines
from guardrails.lexicon import lexicon
from guardrails.remedy_status import reference_span
from guardrails.spans import SentenceBreaks, evidence, finding, is_negated
from guardrails.supplied import short_words_said, stems

MISSING_RULE = "elements.missing"
_OPENING = frozenset({"subject", "greeting", "acknowledgment", "regret", "responsibility"})
_NEEDS = {
    "acknowledgment": "Name the specific incident: the order or reference, and what went wrong.",
    "responsibility": 'Own it plainly, e.g. "we take full responsibility for the delay".',
    "regret": 'Say sorry for the specific effect: "we are sorry that your order arrived late".',
    "amends": "Say what you have done or are offering to put it right, as authorised.",
    "prevention": "Say what you have changed to help prevent a repeat.",
    "subject": "Give a plain subject line that names the issue.",
    "greeting": "Open with a greeting, using the recipient's name when known.",
    "invitation": 'Invite a reply, e.g. "reply to this email if there is anything else".',
    "close": 'End with a short positive close, e.g. "thank you for your patience".',
    "signature": "Sign with the sender's name (and title or organisation).",
}
_CAUTIOUS_NEEDS = (
    'Under the cautious posture, own the fix rather than the fault, e.g. "we are taking '
    'responsibility for putting this right".'
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_WORD = re.compile(r"[a-z0-9]+")
# Elements whose cue may follow a conditional clause: "If it helps, I'd like to set up a
# call" offers amends; "If you have questions, please reply" invites. Responsibility and
# regret may not: "If we got this wrong, we take responsibility" owns nothing.
_AFTER_CONDITION = frozenset({"amends", "prevention", "invitation", "close"})
# A clause opened by a conditional word and closed by a comma (the last one in it). It starts
# with the word itself, so the engine can skip ahead on its first letter; that the word is
# not the tail of another ("motif,") is checked in code.
_CONDITION = re.compile(r"(?:if|should|when|once|where)\b[^.!?;:\n]*,")
# "Oh no, Robin, sorry!": the interjection is not a negation of what follows.
_INTERJECTION = re.compile(r"\boh,?\s+no\b")
_LOOKBACK = 60
# Remedy kinds with no remedy word of their own in `packs/commitments.yaml` ("a call from the
# owner", "the proposal, attached"): only their description shows that they are offered.
# Refunds, credits, discounts and replacements are shown by their words already.
_UNWORDED_KINDS = frozenset({"expedite", "service", "other"})


@lru_cache(maxsize=1)
def _remedy_words() -> tuple[frozenset[str], re.Pattern[str], re.Pattern[str]]:
    """From `packs/elements.yaml`: remedy words that tell no remedy apart, and the words
    that make a sentence state a remedy as done or offered, or as only meant to happen."""
    words = lexicon()
    stated = [w for w in words.words("remedy_stated_words") if not w.startswith("'")]
    contractions = [w[1:] for w in words.words("remedy_stated_words") if w.startswith("'")]
    return (
        frozenset(words.words("remedy_stop_words")),
        re.compile(
            rf"\b(?:{'|'.join(map(re.escape, stated))})\b"
            rf"|['’](?:{'|'.join(map(re.escape, contractions))})\b"
        ),
        re.compile(rf"\b(?:{'|'.join(map(re.escape, words.words('remedy_unrealised_words')))})\b"),
    )


Cues = Mapping[str, list[tuple[int, int]]]
"""Element name -> (start, end) of every cue match, in text order."""


def _weakened(low: str, begin: int, element: str) -> bool:
    """True when the clause before `begin` negates or hedges the cue for `element`."""
    if low.startswith("which", begin):
        return False  # ", which is on us" opens its own clause: "it wasn't" is behind it
    window = low[max(0, begin - _LOOKBACK) : begin]
    if "oh" in window:
        window = _INTERJECTION.sub("oh", window)
    if element in _AFTER_CONDITION and "," in window:
        for condition in _CONDITION.finditer(window):
            if condition.start() == 0 or not window[condition.start() - 1].isalnum():
                # Only the words after the conditional clause can weaken the cue.
                window = window[condition.end() :]
                break
    return is_negated(window, len(window), hedged=element != "invitation")


def _first_cue(
    cue: list[tuple[int, int]], breaks: SentenceBreaks, low: str, element: str, start: int = 0
) -> EvidenceData | None:
    for begin, end in cue:
        if begin >= start and not _weakened(low, begin, element):
            return evidence(breaks.text, *breaks.bounds(begin, end))
    return None


def _remedy_stated(
    breaks: SentenceBreaks, low: str, context: DraftRequest | None
) -> EvidenceData | None:
    """The first sentence that states an authorised remedy of a kind without remedy words
    (`_UNWORDED_KINDS`), or described without its kind's word, in the request's own words: at
    least two of its description's stems (all of them when it has fewer), one of which the
    incident does not use, so a sentence retelling the incident is not mistaken for one; and
    the sentence must say what is done or offered (the pack's `remedy_stated_words`, not its
    `remedy_unrealised_words`)."""
    if context is None or not context.remedies:
        return None
    # A remedy whose description lacks its kind's word ("Callback" as a credit: "I've added
    # the callback to your account") shows amends only in its own words, like those kinds.
    unworded = [
        r
        for r in context.remedies
        if r.kind in _UNWORDED_KINDS or r.kind[:5] not in stems(r.description)
    ]
    if not unworded:
        return None
    incident = context.incident
    told = stems(" ".join(filter(None, [incident.summary, incident.cause, incident.impact])))
    stop, stated, unrealised = _remedy_words()
    wanted = [(want, want - told) for r in unworded if (want := stems(r.description) - stop)]
    # Too short for stems ("Fix"): its words, whole.
    short = [r.description for r in unworded if not stems(r.description)]
    body = breaks.text
    for sentence in _SENTENCE.finditer(body):
        said = sentence.group().lower()
        if not stated.search(said) or unrealised.search(said):
            continue
        if any(short_words_said(description, said) for description in short):
            at = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip())
            return evidence(body, *breaks.bounds(at, at))
        have = stems(said)
        for want, own in wanted:
            if (
                len(have & want) >= min(2, len(want))
                and (have & own or not own)
                and not _weakened(low, _first_word(low, sentence.start(), have & want), "amends")
            ):
                at = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip())
                return evidence(body, *breaks.bounds(at, at))
    return None


def _first_word(low: str, start: int, wanted: set[str]) -> int:
    """Where the first word with one of the `wanted` stems starts, at or after `start`."""
    for match in _WORD.finditer(low, start):
        if match.group()[:5] in wanted:
            return match.start()
    return start


def _amends_cues(cues: Cues) -> list[tuple[int, int]]:
    """Amends phrases and remedy words ("refund", "replacement") alike show amends."""
    spans = [
        span
        for name, found in cues.items()
        if name == "amends" or name.startswith("remedy_")
        for span in found
    ]
    return sorted(spans)


def _acknowledgment(
    breaks: SentenceBreaks, low: str, cue: list[tuple[int, int]], context: DraftRequest | None
) -> EvidenceData | None:
    body = breaks.text
    if context is not None:
        reference = context.incident.reference
        if reference:
            # As typed, or as the letter words it ("your member number 40-2216" for
            # "MEMBER 40-2216"), the way the omitted-reference check reads it.
            span = reference_span(reference, low)
            if span is not None:
                return evidence(body, *breaks.bounds(*span))
        incident = context.incident
        wanted = stems(" ".join(filter(None, [incident.summary, incident.impact])))
        need = 2 if len(wanted) >= 3 else 1
        for sentence in _SENTENCE.finditer(body):
            if len(stems(sentence.group()) & wanted) >= need:
                at = sentence.start() + len(sentence.group()) - len(sentence.group().lstrip())
                return evidence(body, *breaks.bounds(at, at))
    return _first_cue(cue, breaks, low, "acknowledgment")


def find_elements(draft: Draft) -> list[ElementData]:
    """Every core and form element with `required` and `present` and its evidence."""
    body, low, cues = draft.body.text, draft.body.low, draft.body.cues
    subject = draft.subject.text if draft.subject is not None else None
    channel, context = draft.channel, draft.context
    lines = text_lines(body)
    tail = lines[-4][0] if len(lines) >= 4 else 0
    tail = min(tail, len(body) // 2) if len(lines) >= 4 else 0
    breaks = draft.body.sentences
    found: dict[str, EvidenceData | None] = {
        "acknowledgment": _acknowledgment(breaks, low, cues.get("acknowledgment", []), context),
        "responsibility": _first_cue(cues.get("responsibility", []), breaks, low, "responsibility"),
        "regret": _first_cue(cues.get("regret", []), breaks, low, "regret"),
        "amends": _first_cue(_amends_cues(cues), breaks, low, "amends")
        or _remedy_stated(breaks, low, context),
        "prevention": _first_cue(cues.get("prevention", []), breaks, low, "prevention"),
        "subject": evidence(subject, 0, len(subject), "subject")
        if subject and subject.strip()
        else None,
        "greeting": greeting(body, lines, cues.get("greeting", [])),
        "invitation": _first_cue(cues.get("invitation", []), breaks, low, "invitation"),
        "close": _first_cue(cues.get("close", []), breaks, low, "close", tail),
        "signature": signature(body, lines, context),
    }
    required = set(channel.required)
    if context is not None and not context.remedies:
        required.discard("amends")
    # Without an authorised step, a letter has no change it may promise.
    if context is not None and not context.prevention:
        required.discard("prevention")
    return [
        {
            "element": name,
            "present": found[name] is not None,
            "required": name in required,
            "evidence": found[name],
        }
        for name in (*CORE_ELEMENTS, *FORM_ELEMENTS)
    ]


# Elements the composer can write from the caller's facts alone, for salvage to insert.
_COMPOSER_WRITES = frozenset(
    {"greeting", "signature", "invitation", "subject", "regret", "responsibility", "close"}
)


def _insert(name: str, context: DraftRequest | None, public: bool = False) -> Fix | None:
    """The caller fact that salvage may insert for a missing element, when there is one. A
    public reply names the incident without its reference, which must stay private."""
    if name in _COMPOSER_WRITES:
        return Fix(action="insert", fact=name)
    if context is None:
        return None
    if name == "amends" and context.remedies:
        return Fix(action="insert", fact="remedy:0")
    if name == "prevention" and context.prevention:
        return Fix(action="insert", fact="prevention:0")
    if name == "acknowledgment" and public:
        return Fix(action="insert", fact="acknowledgment")
    if name == "acknowledgment" and context.incident.reference:
        return Fix(action="insert", fact="reference")
    return None


def missing_findings(draft: Draft) -> list[Finding]:
    """An error per required element that is absent, at a zero-width span where it belongs."""
    body, liability = draft.body.text, draft.liability
    found = []
    for result in draft.elements:
        if not result["required"] or result["present"]:
            continue
        name = result["element"]
        need = _NEEDS[name]
        if name == "responsibility" and liability == "cautious":
            need = _CAUTIOUS_NEEDS
        at = 0 if name in _OPENING else len(body)
        field: TextField = "subject" if name == "subject" else "body"
        found.append(
            finding(
                MISSING_RULE,
                "error",
                f"Missing required element: {name}.",
                "" if field == "subject" else body,
                at if field == "body" else 0,
                at if field == "body" else 0,
                need,
                field,
                _insert(name, draft.context, draft.channel.public),
            )
        )
    return found
