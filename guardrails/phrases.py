"""Phrase-list families (liability, non-apologies, blame, guarantees, placeholders, model
artefacts, privacy requests, tone, and any pack a business adds): every match of an
applicable rule becomes a finding. Also the count-based over-apologising warning."""

from __future__ import annotations

import re

from contract.models import DraftRequest
from contract.report import Finding, Fix
from guardrails.draft import Draft, Text
from guardrails.spans import (
    MAX_PER_RULE,
    finding,
    is_negated,
    may_be_negated,
    negator_starts,
    preceding_words,
)
from guardrails.structure import (
    body_owns,
    hypothetical,
    own_reason,
    owned_after,
    owns,
    quoted_or_reported,
    writers_own,
)

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
            if counts.get(rule.id, 0) >= MAX_PER_RULE:
                continue  # capped: no later match of the rule is reported, so none is read
            if not rule.applies(text.field, draft.liability, draft.tone, draft.channel_key):
                continue
            # An explanation beside ownership is not blame; a verdict ("the courier is to
            # blame", "it was their fault") stays one whatever else the message owns.
            if rule.unless_owned and not _VERDICT.search(text.low, start, end):
                if owned is None:
                    owned = body_owns(draft)
                if owned:
                    continue
            if (
                rule.id == REVERSE_RULE
                and text is draft.body
                and _FEELING.search(text.low, start, end)
                and _owned_beside(draft, start)
            ):
                continue
            if rule.id.split(".")[0] in _VOICED and quoted_or_reported(text.low, start, end):
                continue
            # Blame inside an open condition states a policy, not a cause ("If the address
            # was entered incorrectly, we are not liable for the loss").
            if rule.id.startswith("blame.") and hypothetical(text.low, start):
                continue
            # Another party named, then the writer's own act given as the reason; or no other
            # party at all, a thing the writer runs named as ours ("our hotel overbooked").
            if rule.id.startswith("blame.") and (
                own_reason(text.low, end) or writers_own(text.low, start, end)
            ):
                continue
            if _reads_on(rule.id) and _read_on(draft, text, rule.id, start, end):
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


_VOICED = frozenset(("non_apology", "blame", "liability", "guarantee"))
"""Families that judge what the writer says: words quoted or reported from someone else
("you wrote that the courier was to blame", our earlier reply's "sorry if you were upset")
are not said by the writer."""

REVERSE_RULE = "non_apology.reverse"
_CONCESSIONS = frozenset(
    (
        "non_apology.justification",
        "non_apology.minimising",
        "non_apology.intent",
        "non_apology.dismissal",
        "non_apology.passive",
        REVERSE_RULE,
    )
)
"""Rules whose match is a concession or a feeling that the rest of its sentence may turn into
an admission ("this rarely happens, but it happened to you")."""
_BUT_RULE = "non_apology.but"
_CONDITIONAL_RULE = "non_apology.conditional"
_INTENT_RULE = "non_apology.intent"
_GUARANTEE_RULE = "guarantee.absolute"
_READ_ON = _CONCESSIONS | {_BUT_RULE, _CONDITIONAL_RULE, _INTENT_RULE, _GUARANTEE_RULE}

_BUT_GOES_ON = re.compile(
    # A request the reader can answer: "sorry, but I need your order number", "sorry, but could
    # you send a photo".
    r"\s*,?\s*(?:(?:i|we)(?:\s+will|['’]ll)?\s+(?:need|require)\b|(?:could|can|would|will|may)"
    r"\s+(?:you|i|we)\b)"
    # The apology widened: "sorry for the delay, but more importantly for not telling you".
    r"|\s*,?\s*(?:more\s+importantly|above\s+all|most\s+of\s+all|even\s+more|also|especially)\b"
)
_MESSAGE = (
    r"(?:this|my|our|the)(?:\s+(?:last|previous|earlier|first|latest|original))?\s+(?:email|e-mail"
    r"|message|reply|note|letter|mail|answer|response|explanation|update)|this|it"
)
_ABOUT_THE_MESSAGE = re.compile(
    # "Sorry if my last email was unclear", "apologies if this is a repeat", "sorry if this
    # reaches you twice", "apologies if you have already received this": the writer's message
    # itself, not the harm, is in doubt.
    rf"\bif\s+(?:{_MESSAGE})\s+(?:was|is|wasn['’]t|isn['’]t|seemed|seems)\s+(?:(?:a\s+(?:bit|little)"
    r"|rather|too|not|quite)\s+)?(?:unclear|confusing|clear|long|brief|short|blunt|a\s+repeat"
    r"|a\s+duplicate|repetitive|hard\s+to\s+(?:follow|read|understand))\b"
    rf"|\bif\s+(?:{_MESSAGE})\s+(?:reaches|reached|arrives|arrived|comes|came)\s+(?:you\s+)?"
    r"(?:twice|more\s+than\s+once|again)\b"
    r"|\bif\s+you\s+(?:have\s+|['’]ve\s+)?(?:already|also)\s+(?:received|had|replied|heard|done"
    r"|sent|tried|seen|got)\b"
    r"|\bif\s+you\s+(?:get|got|receive|received|see|saw)\s+this\s+(?:twice|more\s+than\s+once"
    r"|again)\b"
)
_DONE_TO_THE_READER = re.compile(
    # "sorry you were misinformed by our agent", "misled by our advert": the act is named as
    # ours after "by", so the apology is for it.
    r"\s+by\s+(?:our|my|us|me|one\s+of\s+(?:our|my)|the\s+[a-z-]+\s+(?:we|on\s+our|from\s+our"
    r"|in\s+our|i))\b"
)


def _reads_on(rule_id: str) -> bool:
    return rule_id in _READ_ON or rule_id.startswith("blame.")


def _read_on(draft: Draft, text: Text, rule_id: str, start: int, end: int) -> bool:
    """The words after the match change what it says: a concession or a feeling turned into
    an admission in the same sentence, a "but" that asks or owns, a condition about the
    message itself, a state named as our own act ("misinformed by our agent")."""
    low = text.low
    sentence_end = text.sentences.bounds(start, end)[1]
    if rule_id in _CONCESSIONS and owned_after(low, end, sentence_end):
        return True
    if rule_id == _BUT_RULE:
        if _BUT_GOES_ON.match(low, end):
            return True
        return owns(low[end:sentence_end])
    if rule_id == _CONDITIONAL_RULE:
        at = low.rfind("if", start, end)
        return at >= 0 and _ABOUT_THE_MESSAGE.match(low, at) is not None
    if rule_id == REVERSE_RULE:
        if low.endswith(_DONE_BY, start, end) and _DONE_TO_THE_READER.match(low, end):
            return True
        return low.endswith(_FELT, start, end) and _COMPELLED.match(low, end) is not None
    if rule_id == _INTENT_RULE:
        return _EXONERATION.search(low, end, sentence_end) is not None
    if rule_id == _GUARANTEE_RULE:
        return _reassures_or_aims(low, start, end, sentence_end)
    if rule_id.startswith("blame."):
        before = preceding_words(low, start)
        # "We can't blame the supplier for this one": the blame refused.
        if low.startswith("blame", start) and is_negated(low, start):
            return True
        # "If the courier was to blame, we are still responsible": a verdict supposed, not
        # given. A counterfactual ("if the courier had turned up") still blames.
        return bool(before) and before[-1] in ("if", "whether") and " had " not in low[start:end]
    return False


_DONE_BY = ("misinformed", "misled", "misdirected", "confused", "let down")
_FELT = ("felt", "feel")
_COMPELLED = re.compile(
    # "sorry that you felt you had to cancel": what the reader was driven to do, not a feeling.
    r"\s+(?:that\s+)?(?:you|they)\s+(?:had|needed|have|need)\s+to\b|\s+(?:it\s+)?(?:necessary|compelled"
    r"|obliged|forced)\b"
)
_EXONERATION = re.compile(
    # "In no way was this your fault": the denial clears the reader, it defends nobody.
    r"\b(?:your|the\s+customer['’]s)\s+(?:own\s+)?(?:fault|mistake|error|doing|part)\b"
    r"|\byou\s+(?:were\s+)?(?:to\s+blame|at\s+fault)\b"
)
_PROMISED = re.compile(
    r"\b(?:will|won['’]t|shall|never|going\s+to|always|guarantee|make\s+sure|ensure|from\s+now)\b"
)
_AIMED = re.compile(
    r"\b(?:aim|aims|aiming|aimed|strive|strives|striving|try|tries|trying|tried|goal|target"
    r"|towards|hope|hoped|work\s+hard)\b"
)


def _reassures_or_aims(low: str, start: int, end: int, sentence_end: int) -> bool:
    """ "Rest assured, no payment details were taken" reassures about a fact and promises
    nothing; "we always aim for 100% of orders to leave on time" states an aim. Either with a
    promise ("rest assured, this will never happen again") still flags."""
    if low.startswith("rest", start):
        return _PROMISED.search(low, end, sentence_end) is None
    if low.startswith("100", start):
        clause = preceding_words(low, start, count=6)
        return any(_AIMED.fullmatch(word) for word in clause)
    return False


_FEELING = re.compile(
    r"\b(?:(?:for|about)\s+(?:the|your|all\s+the|all)\s+(?:frustrat|disappoint|upset|distress"
    r"|anger|annoy|worr|anxi|stress|inconvenien|concern|alarm|confusion)"
    r"|(?:have|has)\s+been\s+(?:disappointed|frustrated"
    r"|upset|let\s+down|inconvenienced)\b)"
    r"|\bknow\s+(?:it|this|that)\b"
    r"|(?:for|about)\s+(?:everything|all|all\s+that|what)\s+(?:you|your|they|those)\b"
    r"|\bthere\s+(?:are|were|is|was|have\s+been)\b"
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
    # At most `_BESIDE` characters either side: a text of one endless sentence stays linear.
    lo, hi = max(lo, at - _BESIDE), min(hi, at + _BESIDE)
    cues = draft.body.cues.get("responsibility", [])
    low = draft.body.low
    if any(lo <= begin < hi and not is_negated(low, begin, hedged=True) for begin, _ in cues):
        return True
    # "We haven't been able to find out what went wrong. I know this is disappointing and I
    # apologise": the feeling points back to what the writer could not do, not to a
    # situation with no one in it.
    if _KNOWN.match(low, at) and _INABILITY.search(low, lo, at):
        return True
    # "An email was sent in error. This clearly should not have happened and we apologise
    # for the distress it has caused": the writer judges the failure wrong, and the feeling
    # is its effect.
    if _JUDGED_WRONG.search(low, lo, hi):
        return True
    return owns(low[lo:hi])


_JUDGED_WRONG = re.compile(
    r"\b(?:this|that|it|which)\s+(?:(?:clearly|simply|certainly|obviously|absolutely|really)\s+)?"
    r"(?:should|must)(?:\s+not|\s+never|n['’]t)\s+have\s+(?:happened|occurred|been\s+(?:sent"
    r"|allowed|published|posted|shared|released|printed|said|made))\b"
    r"|\b(?:this|that|it)\s+(?:was|is)\s+(?:(?:completely|totally|simply|clearly|wholly)\s+)?"
    r"(?:unacceptable|inexcusable|indefensible|not\s+acceptable)\b"
)
"""The writer's own judgement that the failure was wrong: "this should not have happened",
"that was unacceptable"."""


_KNOWN = re.compile(r"(?:i|we)\s+know\b")


_INABILITY = re.compile(
    r"\b(?:we|i)\s+(?:(?:have|has|had)(?:\s+not|n['’]t)\s+been\s+able|(?:were|was|are|am)(?:\s+not"
    r"|n['’]t)\s+able|(?:have\s+been\s+|had\s+been\s+|were\s+|was\s+|are\s+|am\s+)?unable"
    r"|could(?:\s+not|n['’]t)|cannot|can['’]t)\b"
)
"""The writer telling what it could not do: "we haven't been able to", "I was unable to"."""


_BESIDE = 400


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
    negators = negator_starts(low)
    apologies = [
        m
        for m in _APOLOGY.finditer(low)
        if not (may_be_negated(negators, m.start()) and is_negated(low, m.start()))
    ]
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
        if len(found) == MAX_PER_RULE:
            break  # all a report keeps (the first ones): a text said over is not read on
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
