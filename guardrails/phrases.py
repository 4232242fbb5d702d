"""Phrase-list families (liability, non-apologies, blame, guarantees, placeholders, model
artefacts, privacy requests, tone, and any pack a business adds): every match of an
applicable rule becomes a finding. Also the count-based over-apologising warning."""

from __future__ import annotations

import re

from contract.models import DraftRequest
from contract.report import Finding, Fix
from guardrails.draft import Draft
from guardrails.spans import MAX_PER_RULE, finding, is_negated
from guardrails.structure import owns

OVER_APOLOGY_RULE = "non_apology.over_apologising"
_VERDICT = re.compile(r"\b(?:blame[ds]?|fault|faults|responsible|responsibility)\b")
"""Words that make a blame match a verdict rather than an explanation."""
_APOLOGY = re.compile(r"\b(?:sorry|apolog(?:y|ies|ise|ize|ised|ized|ising|izing)|regrets?)\b")


def rule_findings(draft: Draft) -> list[Finding]:
    """Findings for the applicable, non-negated pack rule matches the scanner found."""
    found: list[Finding] = []
    owned: bool | None = None  # read once, and only when a rule asks
    for text in draft.texts:
        counts: dict[str, int] = {}
        for rule, start, end in text.hits:
            if not rule.applies(text.field, draft.liability, draft.tone, draft.channel_key):
                continue
            # An explanation beside ownership is not blame; a verdict ("the courier is to
            # blame", "it was their fault") stays one whatever else the message owns.
            if rule.unless_owned and not _VERDICT.search(text.low, start, end):
                if owned is None:
                    owned = owns(draft.body.low, draft)
                if owned:
                    continue
            if (
                rule.id == REVERSE_RULE
                and text is draft.body
                and _FEELING.search(text.low, start, end)
                and _owned_beside(draft, start)
            ):
                continue
            counts[rule.id] = counts.get(rule.id, 0) + 1
            if counts[rule.id] > MAX_PER_RULE:
                continue
            if rule.skip_negated and is_negated(text.low, start):
                continue
            found.append(
                finding(
                    rule.id,
                    rule.severity,
                    rule.why,
                    text.text,
                    start,
                    end,
                    rule.suggestion,
                    text.field,
                )
            )
    return found


REVERSE_RULE = "non_apology.reverse"
_FEELING = re.compile(
    r"\b(?:(?:for|about)\s+(?:the|your|all\s+the|all)\s+(?:frustrat|disappoint|upset|distress"
    r"|anger|annoy|worr|anxi|stress|inconvenien)|(?:have|has)\s+been\s+(?:disappointed|frustrated"
    r"|upset|let\s+down|inconvenienced)\b)"
)
"""A feeling named in a reverse apology ("sorry for the frustration", "sorry that you have
been disappointed in our service"), as opposed to how it was taken ("sorry you feel that
way")."""


def _owned_beside(draft: Draft, at: int) -> bool:
    """The sentence at `at`, or the one before or after it, owns a failure ("With the launch
    of Maps we fell short. We are sorry for the frustration this has caused", "sorry that you
    have been disappointed in our service. We were definitely in the wrong"): the feeling is
    the effect of what the writer owns, not the thing regretted in its place."""
    spans = draft.body.sentences.spans
    if not spans:
        return False
    k = next((i for i, (s, e) in enumerate(spans) if s <= at < e), len(spans) - 1)
    lo, hi = spans[max(0, k - 1)][0], spans[min(len(spans) - 1, k + 1)][1]
    cues = draft.body.cues.get("responsibility", [])
    low = draft.body.low
    if any(lo <= begin < hi and not is_negated(low, begin, hedged=True) for begin, _ in cues):
        return True
    return owns(low[lo:hi])


def allowed_apologies(word_count: int) -> int:
    """Three apologies fit any short message; a long letter earns one more per 100 words."""
    return 3 + max(0, (word_count - 200) // 100)


def over_apologising(draft: Draft) -> list[Finding]:
    """One warning at the first apology beyond what the letter's length can carry."""
    body, low = draft.body.text, draft.body.low
    # Counting the word stems first settles almost every letter without a regex scan.
    if low.count("sorry") + low.count("apolog") + low.count("regret") <= allowed_apologies(0):
        return []
    limit = allowed_apologies(len(body.split()))
    apologies = [m for m in _APOLOGY.finditer(low) if not is_negated(low, m.start())]
    if len(apologies) <= limit:
        return []
    extra = apologies[limit]
    return [
        finding(
            OVER_APOLOGY_RULE,
            "warning",
            f"{len(apologies)} apologies in one message; repeating sorry dilutes it "
            f"(at most {limit} fit a message this long).",
            body,
            extra.start(),
            extra.end(),
            "Apologise once, clearly and specifically; use the other sentences for what you "
            "have done and will do.",
        )
    ]


REPEATED_RULE = "artefacts.repeated_sentence"


def repeated_sentences(draft: Draft) -> list[Finding]:
    """A sentence of six or more words that the letter has already said, word for word
    (case and spacing aside): a model's loop or a double insertion. Removing the copy is
    always safe. A caller who repeats themselves (a summary said twice, the same step or code
    listed twice) is retold as given: a sentence carrying words the request gives more than
    once is not a repeat."""
    body = draft.body.text
    seen: set[str] = set()
    found: list[Finding] = []
    callers: list[str] | None = None
    for start, end in draft.body.sentences.spans:
        words = body[start:end].lower().split()
        if len(words) < 6:
            continue
        key = " ".join(words)
        if key not in seen:
            seen.add(key)
            continue
        callers = _caller_phrases(draft.context) if callers is None else callers
        bare = _unpersoned(key.rstrip(".!?"))
        if any(phrase in bare or bare in phrase for phrase in callers):
            continue
        found.append(
            finding(
                REPEATED_RULE,
                "error",
                "This sentence repeats one the letter has already said.",
                body,
                start,
                end,
                "Say it once.",
                fix=Fix(action="remove_sentence"),
            )
        )
    return found


def _caller_phrases(request: DraftRequest | None) -> list[str]:
    """The caller's texts (sentences, lowercased, without pronouns) and codes that the request
    gives more than once, which a letter may retell more than once."""
    if request is None:
        return []
    incident = request.incident
    texts = [incident.summary, incident.cause, incident.impact]
    texts += [remedy.description for remedy in request.remedies]
    texts += [step.description for step in request.prevention]
    phrases = (
        " ".join(part.lower().split()).rstrip(".!?")
        for text in texts
        if text
        for part in _CALLER_SENTENCE.split(text)
    )
    codes = [remedy.code.lower() for remedy in request.remedies if remedy.code]
    given = [_unpersoned(phrase) for phrase in phrases if len(phrase) >= 12] + codes
    # Only what the caller gave more than once may be retold more than once.
    return [phrase for phrase in set(given) if given.count(phrase) > 1]


# A retold sentence changes person ("She missed ..." -> "You missed ..."): compared without
# its pronouns.
_PRONOUN = re.compile(
    r"\b(?:i|me|my|you|your|yours|he|him|his|she|her|hers|we|us|our|they|them|their)\b ?"
)


def _unpersoned(text: str) -> str:
    return _PRONOUN.sub("", text).strip()


_CALLER_SENTENCE = re.compile(r"(?<=[.!?])\s+")
