"""Remedies checked against their status: a remedy may be stated as done ("we have
refunded") only when its status is `done`, and every authorised remedy must be mentioned,
with its amount and code when it has them, in whatever notation the draft uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from contract.report import Finding, Fix
from guardrails.commitments import ANY_KIND, own_stems, says_own_words
from guardrails.draft import Draft, Text
from guardrails.facts import durations_in, facts_within, spelled_value, trie_regex
from guardrails.lexicon import lexicon
from guardrails.spans import finding
from guardrails.supplied import (
    RemedyFacts,
    Supplied,
    fact_value,
    plain,
    stems,
    words_said,
)

STATUS = "commitments.status"
OMITTED = "commitments.omitted_remedy"

_DONE_AUX = re.compile(
    r"(?:\bwe\s+have|\bwe['’]ve|\bi\s+have|\bi['’]ve|\b(?:has|have)\s+(?:now\s+|already\s+)?been|"
    r"\b(?:is|are)\s+now)\s+(?:now\s+|already\s+|just\s+)?$"
)


@dataclass(frozen=True, slots=True)
class _Words:
    """The word lists of `packs/commitments.yaml` this module reads, compiled once."""

    done: re.Pattern[str]
    """A remedy verb stated as done ("refunded"), found after a non-word character (which
    the engine skips to) rather than at every letter."""
    done_kinds: dict[str, frozenset[str]]
    kind_words: dict[str, re.Pattern[str]]


@lru_cache(maxsize=1)
def _words() -> _Words:
    words = lexicon()
    done_kinds = {
        verb: ANY_KIND
        if str(kinds).strip() == "any"
        else frozenset(k.strip() for k in str(kinds).split(","))
        for verb, kinds in words.mapping("remedy_done_verbs").items()
    }
    return _Words(
        done=re.compile(rf"[^\w](?=(?P<verb>{trie_regex(tuple(done_kinds))})\b)"),
        done_kinds=done_kinds,
        kind_words={
            kind: re.compile(str(pattern), re.IGNORECASE)
            for kind, pattern in words.mapping("remedy_kind_words").items()
        },
    )


# Ways of saying a remedy costs nothing, for remedies described as free: "your first box is
# on us" states "one free box". "That's on us" owns a mistake, so this/that/which/it do not.
_FREE_SAID = re.compile(
    r"(?<!feel\s)(?<!-)\bfree\b(?!\s+(?:to|from)\b)|"
    r"\b(?:complimentary|at\s+no\s+(?:extra\s+)?(?:cost|charge)|"
    r"on\s+the\s+house)\b|\b(?!(?:this|that|which|it)\b)[a-z]+\s+(?:is|are|will\s+be)\s+"
    r"on\s+us\b"
)


_COUNTED = re.compile(r"(\d+)\s+([a-z]+)")
_ONE = frozenset(("a", "an", "one", "single", "first"))  # "the first month's fee"
# Words that end the count's noun phrase: "a refund for the month" counts no month.
_NOT_BETWEEN = frozenset(
    {"of", "for", "the", "this", "that", "per", "each", "every", "to", "in", "on", "at"}
    | {"your", "our", "their", "his", "her", "its", "my", "and", "or"}
)


def count_stated(amount: str, low: str) -> bool:
    """Whether lower-cased `low` states a counted amount ("2 tickets", "1 month") as that
    count of the same thing, in digits or words, with at most two words between: "two free
    tickets", "a free return trip", "a month of Pro". "a refund for the month" does not state
    "1 month"."""
    counted = _COUNTED.fullmatch(amount.strip().lower())
    if counted is None:
        return False
    count, unit = int(counted.group(1)), counted.group(2)
    stem = unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit
    for unit_at in re.finditer(rf"\b{re.escape(stem)}s?\b", low):
        before = [
            w.strip("(),;:") for w in low[max(0, unit_at.start() - 40) : unit_at.start()].split()
        ]
        said = before[-1:]  # "a month"
        if len(before) > 1 and before[-1] not in _NOT_BETWEEN:
            said.append(before[-2])  # "two free tickets"
            if len(before) > 2 and before[-2] not in _NOT_BETWEEN:
                said.append(before[-3])  # "a free return trip"
        for word in said:
            value = int(word) if word.isdigit() else 1 if word in _ONE else spelled_value(word)
            if value == count:
                return True
    return False


_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)")
_FRACTIONS = {
    Decimal(50): re.compile(r"\bhalf\b"),
    Decimal(25): re.compile(r"\b(?:a|one)\s+quarter\b"),
    Decimal(75): re.compile(r"\bthree\s+quarters\b"),
}


def fraction_stated(amount: str, low: str) -> bool:
    """Whether lower-cased `low` says a percentage as the fraction it is: "half of the
    voyage fare" for "50%", "a quarter" for "25 percent"."""
    percent = _PERCENT.fullmatch(amount.strip().lower())
    pattern = _FRACTIONS.get(Decimal(percent.group(1))) if percent else None
    return pattern is not None and pattern.search(low) is not None


def _amount_stated(text: Text, remedy: RemedyFacts, values: set[object]) -> bool:
    """Whether the draft states the remedy's amount: the same fact in any notation ("15%",
    "15 percent", "fifteen percent"; "¥1000", "1,000 yen"), the same number for an amount
    given bare ("10" matches "$10" or "10%"), the amount's own words ("full refund",
    "1 month"), its count in words ("2 tickets" as "two free tickets"), or the fraction the
    remedy's own words give for its percentage ("half of the voyage fare" for "50%")."""
    if remedy.amount_keys & {(f.kind, f.key) for f in text.facts}:
        return True
    if remedy.bare is not None and remedy.bare in values:
        return True
    amount = plain(remedy.remedy.amount or "")
    if durations_in(amount) & durations_in(text.low):
        return True
    low = " ".join(text.low.split())
    if fraction_stated(amount, plain(remedy.remedy.description)) and fraction_stated(amount, low):
        return True
    return bool(amount) and (amount in low or count_stated(amount, low))


def _mentions_directly(text: str, remedy: RemedyFacts, amounts: set[object]) -> bool:
    """Whether `text` mentions an authorised remedy by amount, code, kind word or a way of
    saying free: the cheap tests, tried before the description's stems."""
    facts = remedy.remedy
    if facts.amount and (remedy.bare in amounts or remedy.amount_keys & amounts):
        return True
    if facts.code and facts.code.lower() in text.lower():
        return True
    pattern = _words().kind_words.get(facts.kind)
    if pattern is not None and pattern.search(text):
        return True
    return remedy.free and bool(_FREE_SAID.search(text.lower()))


_NUMBER = re.compile(r"\d+")


def _date_stated(text: Text, remedy: RemedyFacts, keys: set[object]) -> bool:
    """Whether the draft gives the date a remedy is promised for ("by 30 September"), in
    any notation; true when the remedy has none. A promise without its date is not the one
    the caller made."""
    date = remedy.remedy.date
    if not date:
        return True
    dates = {key for key in remedy.keys if key[0] == "date"}
    if dates & keys:
        return True
    return plain(date) in " ".join(text.low.split())


def mentions_remedy(
    text: Text, start: int, end: int, remedy: RemedyFacts, *, by_kind: bool = True
) -> bool:
    """Whether `text[start:end]` (a sentence) mentions an authorised remedy: by its amount
    or code, its kind word (unless not `by_kind`), a way of saying free, or two words of its
    description."""
    sentence = text.text[start:end]
    amounts: set[object] = set()
    for fact in facts_within(text.facts, start, end):
        if fact.kind == "amount":
            amounts.add((fact.kind, fact.key))
            amounts.add(fact_value(fact))
    # A description too short for stems ("Fee.") is mentioned by its own words.
    if _says_short_description(sentence.lower(), remedy):
        return True
    if by_kind:
        return _mentions_directly(sentence, remedy, amounts) or _shares_stems(
            stems(sentence), remedy
        )
    facts = remedy.remedy
    if facts.amount and (remedy.bare in amounts or remedy.amount_keys & amounts):
        return True
    if facts.code and facts.code.lower() in sentence.lower():
        return True
    return _shares_stems(stems(sentence), remedy)


def _shares_stems(text_stems: set[str], remedy: RemedyFacts) -> bool:
    """Whether the text uses at least two of the remedy description's stems (all of them
    when it has fewer)."""
    wanted = remedy.stems
    return bool(wanted) and len(text_stems & wanted) >= min(2, len(wanted))


def _says_short_description(low: str, remedy: RemedyFacts) -> bool:
    """A description with no word long enough for a stem ("TV", "fix") is stated by its
    own words, each as a word of the text: "We would like to offer you a TV."."""
    return not remedy.stems and words_said(remedy.remedy.description, low)


def _own_words_said(
    text: Text, body_stems: set[str], index: int, supplied: Supplied, steps: list[str]
) -> bool:
    """Whether the body uses a word of the remedy's own (`commitments.own_stems`): one of
    them or a close inflection; "on us" for a remedy described as free; or the remedy's kind
    word in a sentence with another word of its description ("we've reimbursed the booking
    fee" for a refund of it). Its kind word in another sense ("I would like to express my
    regret" for priority production slots) or words it shares with the incident or a step
    ("production") are not enough."""
    remedy = supplied.remedies[index]
    said = set(body_stems)
    if remedy.free and _FREE_SAID.search(text.low):
        said |= stems("free")
    if says_own_words(said, own_stems(supplied, index, steps)):
        return True
    pattern = _words().kind_words.get(remedy.remedy.kind)
    if pattern is None:
        return False
    for match in pattern.finditer(text.text):
        start, end = text.sentences.bounds(match.start(), match.end())
        if stems(text.text[start:end]) & remedy.stems - stems(match.group()):
            return True
    return False


def _amount_only_retold(text: Text, remedy: RemedyFacts, incident: frozenset[str]) -> bool:
    """Whether every sentence giving the remedy's amount as a figure names neither the
    remedy's kind ("refund") nor a word of its description that the incident does not use:
    "which resulted in a total of $39.99" retells the charge, it does not refund it; "the
    $6.40 difference is back on your card" names the difference refunded. False when no
    sentence gives the figure (the amount was stated in words) or the remedy's kind has no
    word to look for."""
    pattern = _words().kind_words.get(remedy.remedy.kind)
    if pattern is None:
        return False
    spans = [
        text.sentences.bounds(f.start, f.end)
        for f in text.facts
        if (f.kind, f.key) in remedy.amount_keys
        or (remedy.bare is not None and fact_value(f) == remedy.bare)
    ]
    if remedy.bare is not None:
        # A bare figure as the caller wrote it ("1,000") is the amount even where the draft
        # reads no fact in it.
        amount = (remedy.remedy.amount or "").lower()
        at = text.low.find(amount) if amount else -1
        while at >= 0:
            end = at + len(amount)
            if not (text.low[at - 1 : at].isdigit() or text.low[end : end + 1].isdigit()):
                spans.append(text.sentences.bounds(at, end))
            at = text.low.find(amount, end)
    if not spans:
        return False
    for start, end in spans:
        sentence = text.text[start:end]
        if pattern.search(sentence) or stems(sentence) & (remedy.stems - incident):
            return False
        if remedy.free and _FREE_SAID.search(sentence.lower()):
            return False
        described = remedy.remedy.description
        if len(described.split()) == 1 and words_said(described, sentence.lower()):
            return False  # "the credit (¥1000)" for a remedy described as "Credit."
    return True


def omissions(draft: Draft) -> list[Finding]:
    """Authorised remedies the draft leaves out.

    A remedy with an amount or a code is only mentioned when that amount or code is: its
    description words alone ("refund", "first week's fee") may stand in the draft for
    another reason, and a letter that drops the £900 has not made the offer. Remedies with
    neither are matched by kind word or description, as the status check does. Only when
    the channel requires amends.
    """
    supplied = draft.supplied
    if supplied is None or not any(
        e["element"] == "amends" and e["required"] for e in draft.elements
    ):
        return []
    text = draft.body
    values: set[object] = {v for f in text.facts if (v := fact_value(f)) is not None}
    body_stems: set[str] | None = None
    steps = [step.description for step in draft.context.prevention] if draft.context else []
    found: list[Finding] = []
    for index, remedy in enumerate(supplied.remedies):
        facts = remedy.remedy
        if facts.amount or facts.code:
            if facts.amount and not _amount_stated(text, remedy, values):
                missing = f"its amount {facts.amount}"
            elif facts.amount and _amount_only_retold(text, remedy, supplied.incident_stems):
                missing = f"its amount {facts.amount} as the remedy"
            elif facts.code and facts.code.lower() not in text.low:
                missing = f"its code {facts.code}"
            else:
                continue
            message = f"Leaves out an authorised remedy, or {missing}: {facts.description}."
            suggestion = f"State the remedy with {missing}: {facts.description}."
        else:
            keys: set[object] = {(f.kind, f.key) for f in text.facts}
            body_stems = stems(text.text) if body_stems is None else body_stems
            mentioned = _own_words_said(text, body_stems, index, supplied, steps) and (
                _mentions_directly(text.text, remedy, keys)
                or _shares_stems(body_stems, remedy)
                or _says_short_description(text.low, remedy)
            )
            if mentioned and not set(_NUMBER.findall(facts.description)) <= set(
                _NUMBER.findall(text.text)
            ):
                mentioned = False  # "a call" is not the "30-minute call" authorised
            if mentioned and _date_stated(text, remedy, keys):
                continue
            if mentioned:
                message = (
                    f"Leaves out the date of an authorised remedy, {facts.date}: "
                    f"{facts.description}."
                )
                suggestion = f"State the remedy with its date {facts.date}: {facts.description}."
            else:
                message = f"Leaves out an authorised remedy: {facts.description}."
                suggestion = f"Mention the remedy: {facts.description}."
        found.append(
            finding(
                OMITTED,
                "error",
                message,
                text.text,
                len(text.text),
                len(text.text),
                suggestion,
                fix=Fix(action="insert", fact=f"remedy:{index}"),
            )
        )
    return found


def status(draft: Draft) -> list[Finding]:
    """Remedies stated as done before they are."""
    supplied = draft.supplied
    if supplied is None:
        return []
    text = draft.body
    low = text.low
    found: list[Finding] = []
    for found_verb in _words().done.finditer(" " + low):
        verb_start, verb_end = found_verb.start("verb") - 1, found_verb.end("verb") - 1
        aux = _DONE_AUX.search(low, max(0, verb_start - 40), verb_start)
        if aux is None:
            continue
        start, end = text.sentences.bounds(aux.start(), verb_end)
        sentence = text.text[start:end]
        amounts: set[object] = set()
        for fact in facts_within(text.facts, start, end):
            if fact.kind == "amount":
                amounts.add((fact.kind, fact.key))
                amounts.add(fact_value(fact))
        verb_kinds = _words().done_kinds[found_verb.group("verb")]
        about = [
            r
            for r in supplied.remedies
            if r.remedy.kind in verb_kinds
            and (_mentions_directly(sentence, r, amounts) or _shares_stems(stems(sentence), r))
        ]
        if about and all(r.remedy.status != "done" for r in about):
            # One remedy: its sentence said again with the remedy's own status.
            fix = (
                Fix(action="replace", fact=f"remedy:{supplied.remedies.index(about[0])}")
                if len(about) == 1
                else None
            )
            found.append(
                finding(
                    STATUS,
                    "error",
                    f"States a remedy as already done, but its status is "
                    f"'{about[0].remedy.status}'.",
                    text.text,
                    aux.start(),
                    verb_end,
                    'Offer it ("we would like to offer") or promise it with its date instead.',
                    fix=fix,
                )
            )
    return found + _offered_before(draft, supplied)


# "We also offered a free fitting", "We have already offered you a night": an offer told as
# made before this letter. The span to reword starts at "have" when there is one.
_OFFERED = re.compile(
    r"\b(?:we|i)(?P<verb>(?P<have>\s+have|['’]ve)?(?P<also>\s+also)?(?(have)(?:\s+already)?)"
    r"\s+offered)\b(?!\s+to\b)"
)


def _offered_span(match: re.Match[str]) -> tuple[int, int]:
    """ "offered", or from "have" on ("have already offered")."""
    start = match.start("verb") if match.group("have") else match.end() - len("offered")
    return start, match.end()


def _offer_now(match: re.Match[str]) -> str:
    """The words that offer it now in place of `_offered_span`."""
    if not match.group("have"):
        return "offer"
    return (" also" if match.group("also") else "") + " offer"


def _offered_before(draft: Draft, supplied: Supplied) -> list[Finding]:
    """A remedy the request lists as offered, told in the past ("We also offered a free
    fitting and alterations"): the reader was never offered it before; the letter offers
    it now ("We also offer ...")."""
    text = draft.body
    if "offered" not in text.low:
        return []
    found: list[Finding] = []
    for match in _OFFERED.finditer(text.low):
        end = text.sentences.bounds(match.start(), match.end())[1]
        have = stems(text.low[match.end() : end])
        if not any(
            r.remedy.status == "offered" and _shares_stems(have, r) for r in supplied.remedies
        ):
            continue
        found.append(
            finding(
                STATUS,
                "error",
                "Tells an offered remedy as offered before this letter.",
                text.text,
                *_offered_span(match),
                'Offer it now ("we offer", "we would like to offer").',
                fix=Fix(action="replace", text=_offer_now(match)),
            )
        )
    return found


OMITTED_REFERENCE = "facts.omitted_reference"


def reference_said(reference: str, low: str) -> bool:
    """Whether lower-cased `low` gives the reference: as typed, or its number (with or
    without "#") with each word of its label in the few words before it ("your member number
    40-2216" for "MEMBER 40-2216", "your donor number HT-004417" for "DONOR #HT-004417")."""
    return reference_span(reference, low) is not None


def reference_span(reference: str, low: str) -> tuple[int, int] | None:
    """Where lower-cased `low` gives the reference, as `reference_said` reads it: the
    reference as typed, or its number (the label's words stand before it)."""
    words = reference.lower().split()
    typed = " ".join(words)
    at = low.find(typed)
    if at >= 0:
        return at, at + len(typed)
    number = words[-1].lstrip("#") if words else ""
    if len(words) < 2 or not any(c.isdigit() for c in number):
        return None
    for found in re.finditer(rf"(?<![\w/-])#?{re.escape(number)}(?![\w/-])", low):
        before = low[max(0, found.start() - 60) : found.start()].split()[-4:]
        if all(label in before for label in words[:-1]):
            return found.start(), found.end()
    return None


def omitted_reference(draft: Draft) -> list[Finding]:
    """The caller's reference (order, booking, case number) left out of a private letter that
    has room for it: the reader needs it to find the matter again. Public channels must not
    carry it, and an SMS may leave it out for room."""
    context, channel = draft.context, draft.channel
    reference = context.incident.reference if context is not None else None
    if not reference or channel.public or channel.words is None:
        return []
    text = draft.body
    if reference_said(reference, " ".join(text.low.split())):
        return []
    return [
        finding(
            OMITTED_REFERENCE,
            "error",
            f"Leaves out the reference {reference}.",
            text.text,
            0,
            0,
            f"Name the reference {reference} where the letter says what went wrong.",
            fix=Fix(action="insert", fact="reference"),
        )
    ]
