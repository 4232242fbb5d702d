"""Claims a language model adds when it retells the caller's request as a letter, that the
request never makes, checked against that request:

- `request.reader_action`: something the reader did that the request never says they did
  ("I appreciate your prompt response", "thank you for your reply" when nobody wrote to us,
  "grateful for your help", "your patience while we investigated" when nobody waited, "the
  issue we discussed earlier" when nobody spoke).
  Thanks for patience, understanding, a message or for letting us know are left alone.
- `request.moved_date`: a date of the request told as the date of another event ("the delay
  in delivering your order on 3 May" when 3 May is when it was ordered).
- `request.restated_prevention`: an authorised prevention step said a second time, next to
  the sentence that states it, with content of its own ("a retry check that only processes
  the first payment" beside "payment retries now check whether the first payment went
  through"); or stated only that way, with a condition the step does not give (then said
  as the request gives it).
- `claims.overstated`: what the request gives as possible told as certain under the
  cautious posture ("which exposed your contact list" for details that "may have been
  viewed"), or a review or audit it gives as a step claimed as carried out ("we have
  implemented an independent review").
- `tone.formal_chat_greeting`: "Dear Zoe Carter" opening a chat.
- `tone.plural_voice`: "we would like to offer you" in a colleague's own letter, where one
  person writes and offers.

Each is an error with a safe fix: the clause or sentence removed, the date's phrase cut, the
greeting or the pronoun said as the channel or the writer would.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from functools import lru_cache
from typing import NamedTuple

from contract.catalog import get_catalog
from contract.models import Remedy
from contract.report import Finding, Fix
from guardrails.draft import Draft, Text
from guardrails.facts import extract_facts
from guardrails.lexicon import lexicon
from guardrails.regex_source import alternatives_needs, may_hold, needs
from guardrails.request_rules import (
    THIRD_PERSON,
    _alt,
    _by_first,
    group_recipient,
    quoted_offers,
)
from guardrails.spans import MAX_PER_RULE, SENTENCE_REACH, finding
from guardrails.supplied import stems, stems_in

READER_ACTION = "request.reader_action"
MOVED_DATE = "request.moved_date"
RESTATED_PREVENTION = "request.restated_prevention"
FORMAL_CHAT_GREETING = "tone.formal_chat_greeting"
PLURAL_VOICE = "tone.plural_voice"
REMEDY_AS_PREVENTION = "request.remedy_as_prevention"
INVENTED_EFFECT = "claims.invented_effect"
STOCK_PHRASE = "tone.stock_phrase"
SWAPPED_ORGANISATION = "claims.swapped_organisation"
OWNED_FAULT = "liability.owned_fault"
CIRCULAR_HARM = "tone.circular_harm"
KIND_LABEL = "artefacts.kind_label"
MINIMISED_HARM = "tone.minimised_harm"
OVERSTATED = "claims.overstated"
RULE_IDS = (
    READER_ACTION,
    MOVED_DATE,
    RESTATED_PREVENTION,
    REMEDY_AS_PREVENTION,
    FORMAL_CHAT_GREETING,
    PLURAL_VOICE,
    INVENTED_EFFECT,
    STOCK_PHRASE,
    SWAPPED_ORGANISATION,
    OWNED_FAULT,
    CIRCULAR_HARM,
    KIND_LABEL,
    MINIMISED_HARM,
    OVERSTATED,
)
"""The rules this module reports under its own ids; `reader_as_ours` reports
`request.third_person`, the request rules' id for the reader in the third person."""

# --- what the reader did --------------------------------------------------------------------

# Thanks for something the reader did: a reply, a report, help, quick action.
_THANKS = (
    r"(?:appreciat(?:e|ed|ing)|thank(?:s|ful|\s+you)(?:\s+(?:so|very)\s+much)?\s+for|"
    r"grateful\s+for|value)\s+"
)
# Where a thanks may start: found first (`str.find` is far quicker than a regex scan of the
# whole letter), so the whole pattern is tried only there.
_THANKS_AT = ("appreciat", "thank", "grateful", "value")


def _positions(low: str, words: tuple[str, ...], whole: frozenset[str] = frozenset()) -> list[int]:
    """Every position in `low` where one of `words` starts a word (and, for those in
    `whole`, ends one: "again" is not "against"), in order."""
    found = []
    for word in words:
        at = low.find(word)
        while at >= 0:
            after = at + len(word)
            if (not at or not low[at - 1].isalnum()) and (
                word not in whole or after == len(low) or not low[after].isalnum()
            ):
                found.append(at)
            at = low.find(word, at + 1)
    return sorted(found)


_READER_ACT = re.compile(
    _THANKS + r"your\s+(?P<quality>(?:prompt|quick|swift|timely|rapid|fast|immediate|speedy)\s+)?"
    r"(?P<noun>responses?|repl(?:y|ies)|action|attention|feedback|report|message|e-?mail|"
    r"letter|call|input|help|assistance|efforts?|diligence|vigilance|flexibility|"
    r"quick\s+thinking|note|complaint|post|comments?|question|enquiry|inquiry|"
    r"(?:continued\s+)?co-?operation)\b"
)
# "Thank you for your understanding and cooperation": the understanding may be thanked, the
# cooperation is something the reader did (`_READER_ACT` when it is thanked alone).
_AND_COOPERATION = re.compile(
    r"\byour\s+(?:patience|understanding)(?P<cut>\s+and\s+(?:your\s+)?(?:continued\s+)?"
    r"(?:co-?operation|support))\b"
)
# "your patience while we investigated": a wait, told as past, that the request may never
# describe. "Your patience while we put this right" (what happens now) is left alone.
_PATIENCE_WHILE = re.compile(
    r"\byour\s+patience\s+(?:while|whilst|as|during\s+the\s+time)\s+(?:we|i)\s+"
    r"(?:investigated|looked\s+into|checked|reviewed|resolved|sorted|fixed|worked|traced|"
    r"tracked|dealt\s+with|handled|were\s+\w+ing|was\s+\w+ing)\b[^.!?\n]*"
)
# A conversation with the reader told as having happened ("the refund issue we discussed
# earlier", "as discussed on the phone", "following our call"): invented when the request
# holds no message from them and says nothing of a talk.
_TALKED = re.compile(
    r"\b(?:(?:we|i)\s+(?:have\s+|had\s+)?(?:discussed|spoke\s+about|talked\s+about)"
    r"(?:\s+\w+){0,3}?\s+(?:earlier|previously|before|last\s+\w+|yesterday|on\s+the\s+phone)|"
    r"as\s+(?:we\s+|i\s+)?(?:discussed|mentioned\s+(?:on|during|in)\s+our)|"
    r"following\s+(?:up\s+on\s+)?our\s+(?:recent\s+|earlier\s+|phone\s+)?"
    r"(?:conversation|call|chat|discussion|meeting)|"
    r"as\s+you\s+can\s+see\s+from\s+the\s+(?:incident|request|summary|details))\b"
)
# The wronged reader asked to do the work: "we hope that you will assist with the issues",
# "we ask that you help us resolve this". (An offer to help them is the letter's own.)
_ASKED_TO_HELP = re.compile(
    r"\b(?:hope|ask|trust|expect|need|count\s+on|rely\s+on)\s+(?:that\s+)?you\s+"
    r"(?:will\s+|would\s+|can\s+|could\s+|to\s+)?(?:kindly\s+)?(?:assist|help|support|"
    r"co-?operate|work\s+with\s+us)\b|\b(?:need|ask\s+for|request)\s+your\s+(?:help|"
    r"assistance|support|co-?operation)\b"
)
# The rest of an opening clause, its comma and the next word's first letter.
_LEAD_CLAUSE = re.compile(r"[^,.!?\n]{0,40},\s+[a-z]")
_TALK_WORDS = ("discuss", "spoke", "talked", "following", "as you can see")
# Words of a request saying the reader told us something (a message, a call, a post).
_CONTACTED = frozenset(
    stems(
        "report reported told tell called call phoned rang emailed email wrote written contact "
        "contacted complained complaint posted post message messaged flagged flag asked raised "
        "noticed spotted alerted informed feedback reply replied response responded chat review"
    )
)
_SPOKE = frozenset(
    stems("discussed discussion spoke spoken talked conversation called phoned meeting met")
)
_WAITED = frozenset(
    stems(
        "delay delayed wait waited waiting late slow weeks days hours months still pending "
        "chased overdue queue hold"
    )
)
_CLAUSE_OPEN = re.compile(r"(?:,\s*(?:and|but|so)?|\s+(?:and|but|so))\s+(?=(?:i|we)\b)")


def _told(draft: Draft) -> frozenset[str]:
    """The stems of the incident's words, as the check's `Supplied` read them once."""
    supplied = draft.supplied
    return supplied.incident_stems if supplied is not None else frozenset()


def _clause_or_sentence(text: Text, start: int, end: int) -> tuple[tuple[int, int], Fix]:
    """Cut the clause that holds `start:end` (", and I appreciate your quick reply") when the
    sentence has a main clause before it; otherwise remove the sentence."""
    s_start, s_end = text.sentences.bounds(start, end)
    cut = None
    for opening in _CLAUSE_OPEN.finditer(text.low, s_start, start):
        cut = opening
    if cut is None or cut.start() - s_start < 12:
        return (start, end), Fix(action="remove_sentence")
    stop = s_end
    while stop > end and text.text[stop - 1] in ".!?":
        stop -= 1
    return (cut.start(), stop), Fix(action="replace", text="")


def reader_action(draft: Draft) -> list[Finding]:
    """Thanks for a reply, a report, help or speed the request never says the reader gave,
    and patience "while we investigated" when nobody waited."""
    request, text = draft.context, draft.body
    if request is None:
        return []
    low = text.low
    told = _told(draft)
    wrote = request.incident.customer_message is not None or bool(told & _CONTACTED)
    # In a chat or a public reply the reader is the one who wrote to us.
    wrote = wrote or draft.channel_key in ("chat", "social")
    found: list[Finding] = []
    for at in _positions(low, _THANKS_AT):
        match = _READER_ACT.match(low, at)
        if match is None:
            continue
        noun, quality = match.group("noun"), match.group("quality")
        if quality is not None:
            if set(stems(quality)) <= told:
                continue  # the request says how quickly the reader acted
        elif noun in _REPLY:
            if wrote:
                continue  # the reader did write to us
        elif noun in _CONTACT_NOUNS or noun == "attention" or set(stems(noun)) <= told:
            # Thanks for a message or for attention are normal in a reply to a complaint;
            # help the request gives ("she flagged the error") may be thanked.
            continue
        span, fix = _clause_or_sentence(text, match.start(), match.end())
        found.append(
            finding(
                READER_ACTION,
                "error",
                f"Thanks the reader for something the request never says they did "
                f"({text.text[match.start() : match.end()]}).",
                text.text,
                *span,
                "Leave out what the reader did unless the request says so.",
                fix=fix,
            )
        )
    if "operation" in low or "support" in low:
        for match in _AND_COOPERATION.finditer(low):
            found.append(
                finding(
                    READER_ACTION,
                    "error",
                    "Thanks the reader for cooperation or support the request never says they "
                    "gave.",
                    text.text,
                    *match.span("cut"),
                    "Leave out what the reader did unless the request says so.",
                    fix=Fix(action="replace", text=""),
                )
            )
    talked = request.incident.customer_message is not None or bool(told & _SPOKE)
    if not talked and any(word in low for word in _TALK_WORDS):
        for match in _TALKED.finditer(low):
            start, end = match.start(), match.end()
            fix = Fix(action="remove_sentence")
            s_start = text.sentences.bounds(start, end)[0]
            lead = _LEAD_CLAUSE.match(text.text, end) if start == s_start else None
            if lead is not None:
                # "As discussed on the phone, the shelf ...": the opening clause goes and the
                # sentence starts again at its next word.
                end = lead.end()
                fix = Fix(action="replace", text=text.text[end - 1].upper())
            found.append(
                finding(
                    READER_ACTION,
                    "error",
                    "Tells of a conversation with the reader that the request never mentions "
                    f"({text.text[match.start() : match.end()]}).",
                    text.text,
                    start,
                    end,
                    "Leave out talks with the reader unless the request says they happened.",
                    fix=fix,
                )
            )
    if "you" in low:
        for match in _ASKED_TO_HELP.finditer(low):
            found.append(
                finding(
                    READER_ACTION,
                    "error",
                    "Asks the reader to help put right what went wrong for them "
                    f"({text.text[match.start() : match.end()]}).",
                    text.text,
                    match.start(),
                    match.end(),
                    "Say what you are doing to put it right; ask nothing of the reader.",
                    fix=Fix(action="remove_sentence"),
                )
            )
    patience = _positions(low, ("your patience",)) if "patience" in low else []
    if patience and not told & _WAITED:
        matches = (_PATIENCE_WHILE.match(low, at) for at in patience)
        for match in (m for m in matches if m is not None):
            at = match.start() + len("your patience")
            found.append(
                finding(
                    READER_ACTION,
                    "error",
                    "Thanks the reader for waiting while we worked, when the request describes "
                    "no wait.",
                    text.text,
                    at,
                    match.end(),
                    "Thank the reader for their patience without saying what they waited for.",
                    fix=Fix(action="replace", text=""),
                )
            )
    return found


_REPLY = frozenset(("response", "responses", "reply", "replies"))
_CONTACT_NOUNS = frozenset(
    (
        "feedback",
        "report",
        "message",
        "email",
        "e-mail",
        "letter",
        "call",
        "note",
        "complaint",
        "post",
        "comment",
        "comments",
        "question",
        "enquiry",
        "inquiry",
        "input",
    )
)

# --- a date moved to another event ---------------------------------------------------------

# Events a date is told for, each with the words that name the same event.
_EVENT_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(word[:5] for word in words.split())
    for words in (
        "order ordered ordering purchase purchased bought buy booked booking book reserved",
        "deliver delivered delivery delivering arrive arrived arrival shipped ship shipping "
        "dispatched dispatch sent send sending posted received came reached reaching landed "
        "handed collected",
        "charge charged charging billed bill billing invoice invoiced debited paid payment",
        "cancel cancelled cancellation canceled",
        "leave left",
        "review",
        "meeting meet met",
        "appointment",
        "visit visited",
        "installation install installed",
        "session",
        "class",
        "dinner",
        "stay stayed",
        "flight flew",
        "trip",
        "party",
        "wedding",
        "birthday",
        "checkout",
        "check-in",
        "interview",
        "hearing",
        "refund refunded",
        "return returned",
        "renewal renewed renew",
        "outage",
        "launch launched",
        "deadline due",
    )
)
_EVENT_OF = {stem: group for group in _EVENT_GROUPS for stem in group}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# "... on 3 May": a date told as the day something happened.
_DATE_PREP = re.compile(r"\s+on\s+(?:the\s+)?\Z", re.IGNORECASE)


def _event(word: str) -> frozenset[str] | None:
    return _EVENT_OF.get(word.lower()[:5])


@lru_cache(maxsize=256)
def _request_dates(fields: tuple[str, ...]) -> dict[tuple[str, ...], frozenset[str]]:
    """Each date a request field ties to one event ("ordered on 3 May"): the date's key and
    the words of that event. A date after a word that names no event is tied to none."""
    tied: dict[tuple[str, ...], frozenset[str]] = {}
    for field in fields:
        for fact in extract_facts(field, field.lower(), codes=False):
            if fact.kind != "date":
                continue
            before = field[: fact.start]
            clause = max(before.rfind(mark) for mark in ".;:,")
            # Every event named in the clause before the date: "ordered on 3 May"; "arrived
            # for their stay on 21 August" (the arrival's date and the stay's).
            words = _WORD.findall(before, clause + 1)[-8:]
            groups = [g for g in (_event(w) for w in words) if g is not None]
            if groups:
                tied[fact.key] = tied.get(fact.key, frozenset()).union(*groups)
    return tied


def moved_date(draft: Draft) -> list[Finding]:
    """A date the request ties to one event ("ordered on 3 May") told in a sentence about
    another event and not that one ("the delay in delivering your order on 3 May")."""
    request, text = draft.context, draft.body
    if request is None:
        return []
    dates = [f for f in text.facts if f.kind == "date"]
    if not dates:
        return []
    incident = request.incident
    fields = tuple(f for f in (incident.summary, incident.cause, incident.impact) if f)
    tied = _request_dates(fields)
    if not tied:
        return []
    whole = _incident_date(incident.date)
    found: list[Finding] = []
    for fact in dates:
        event = tied.get(fact.key)
        if event is None or fact.key == whole:
            continue
        s_start, s_end = text.sentences.bounds(fact.start, fact.end)
        before = _WORD.findall(text.text, s_start, fact.start)[-8:]
        after = _WORD.findall(text.text[fact.end : s_end])[:8]
        window = [w.lower()[:5] for w in before + after]
        if any(w in event for w in window):
            continue  # the date stays with its event
        if not any(w in _EVENT_OF for w in window):
            continue  # no other event named with it
        lead = _DATE_PREP.search(text.text, s_start, fact.start)
        if lead is None:
            continue  # "instead of 30 June", "after the 30 June deadline": not an event's date
        date = text.text[fact.start : fact.end]
        found.append(
            _cut(
                text,
                (lead.start(), fact.end),
                f"Gives {date} as the date of another event than the one the request gives it for.",
            )
        )
        # The cut date leaves nothing for a later "on that day" to point back at.
        back = _ON_THAT_DAY.search(text.low, fact.end)
        if back is not None:
            found.append(
                _cut(
                    text,
                    back.span(),
                    f'Points back at {date} ("{back.group().strip()}"), which is given for '
                    "another event.",
                )
            )
    return found


_ON_THAT_DAY = re.compile(r"\s+on\s+(?:that|the\s+same)\s+(?:day|date|morning|evening)\b")


def _cut(text: Text, span: tuple[int, int], message: str) -> Finding:
    return finding(
        MOVED_DATE,
        "error",
        message,
        text.text,
        *span,
        "Give each date only with the event the request gives it for.",
        fix=Fix(action="replace", text=""),
    )


@lru_cache(maxsize=256)
def _incident_date(date: str | None) -> tuple[str, ...] | None:
    if not date:
        return None
    facts = [f for f in extract_facts(date, date.lower(), codes=False) if f.kind == "date"]
    return facts[0].key if facts else None


# --- a prevention step said again, wrongly --------------------------------------------------

# Words of a sentence about a repeat ("happen again", "prevent", "in future", "going
# forward", "similar incidents"), found with `str.find`: a regex scan of the whole letter
# costs several times more.
_CUE_WORDS = ("again", "prevent", "recur", "future", "going forward", "moving forward", "similar")
_WHOLE = frozenset(("again",))
_PREVENTION_WORDS = frozenset(
    stems(
        "taking take took steps step ensure ensuring make making sure happen happening happens "
        "again future prevent preventing prevention similar incident incidents issue issues "
        "problem problems situation occur occurring recur recurrence implement implementing "
        "implemented introduce introducing introduced committed commit continue continuing "
        "avoid going forward moving measure measures help helping much less likely work "
        "working place put putting new system process processes change changes changed "
        "this that these those ones error errors mistake mistakes time always never again "
        "additional further extra also addition does doing done made never ever once more "
        "very really truly fully today will would shall should could might must have been "
        "being here there what when where which while with within into onto upon just still "
        "every everything anything something sure certain hope hoping trust"
    )
)


# A sentence whose subject is the remedies ("These remedies are now in place to ensure
# that similar incidents do not occur again", "The refund will prevent this in future"):
# a refund or a credit puts this incident right; it prevents nothing.
_REMEDY_SUBJECT = re.compile(
    r"(?:(?:and|so|but|also|i\s+hope|we\s+hope|i\s+trust|we\s+trust)\s+)?(?:that\s+)?"
    r"(?:these|this|the|our|those|such|both|your)\s+(?:[a-z]+\s+)??(?P<noun>[a-z]+)"
    r"(?:\s+(?:and|or)\s+(?:[a-z]+\s+){0,2}?(?P<other>[a-z]+))?"
    r"\s+(?:is|are|will|should|would|have|has|can|help|helps|now|were|was|to)\b"
)
_REMEDY_NOUNS = frozenset(
    {
        "remedy",
        "remedies",
        "refund",
        "refunds",
        "credit",
        "credits",
        "compensation",
        "gesture",
        "gestures",
        "voucher",
        "vouchers",
        "discount",
        "discounts",
        "reimbursement",
        "reimbursements",
        "replacement",
        "replacements",
        "apology",
        "apologies",
    }
)


def _remedy_nouns(draft: Draft) -> frozenset[str]:
    """The remedy words above and the last word of each authorised remedy ("a new shelf")."""
    request = draft.context
    assert request is not None
    heads = {r.description.lower().split()[-1] for r in request.remedies if r.description.split()}
    return _REMEDY_NOUNS | {h.strip(".,;:") for h in heads}


def restated_prevention(draft: Draft) -> list[Finding]:
    """A sentence that says an authorised prevention step again, next to the sentence that
    states it, with words of its own that neither the step nor the incident holds; and a
    sentence about a repeat whose subject is the remedies (they put this incident right,
    they prevent nothing)."""
    request, text = draft.context, draft.body
    if request is None or not (request.prevention or request.remedies):
        return []
    low = text.low
    spans = text.sentences.spans
    # Only sentences about preventing a repeat can restate a step; most letters have one.
    candidates = sorted(
        {bisect_right(spans, (at, len(low))) - 1 for at in _positions(low, _CUE_WORDS, _WHOLE)}
        - {-1}
    )
    if not candidates:
        return []
    found: list[Finding] = []
    if request.remedies:
        nouns: frozenset[str] | None = None
        for index in candidates:
            start, end = spans[index]
            subject = _REMEDY_SUBJECT.match(low, start)
            if subject is None:
                continue
            nouns = _remedy_nouns(draft) if nouns is None else nouns
            if subject.group("noun") in nouns or subject.group("other") in nouns:
                found.append(
                    finding(
                        REMEDY_AS_PREVENTION,
                        "error",
                        "Tells the remedies as what prevents a repeat; they put this "
                        "incident right, and only the prevention steps prevent a repeat.",
                        text.text,
                        start,
                        end,
                        "Say what the remedies are, and state the prevention steps as given.",
                        fix=Fix(action="remove_sentence"),
                    )
                )
        if found:
            candidates = [i for i in candidates if spans[i][0] not in {f.start for f in found}]
    if not request.prevention:
        return found
    steps = _step_stems(tuple(step.description for step in request.prevention))
    cause = frozenset(stems(request.incident.cause or ""))
    numbers = [i for i, step in enumerate(request.prevention) if stems(step.description)]
    known: set[str] | None = None
    for index in candidates:
        start, end = spans[index]
        sentence = low[start:end]
        if not any(sum(stem in sentence for stem in step) >= 2 for step in steps):
            continue  # shares too few of any step's words to restate it
        have = frozenset(stems(sentence))
        if cause and len(have & cause) >= 0.8 * len(cause) and not _CONDITION.search(sentence):
            continue  # the cause told ("... ran the payment again"), in any frame of ours
        for number, step in zip(numbers, steps, strict=True):
            shared = len(have & step)
            if shared < 2 or shared < 0.25 * len(step):
                continue
            if shared >= 0.8 * len(step):
                continue  # the sentence states the step (perhaps with more words)
            if known is None:
                known = set(_told(draft)).union(*steps)
                for remedy in request.remedies:
                    known |= stems(remedy.description)
                for given in request.prevention:
                    # A step's metric is given too: "the audit (hold times under 10
                    # minutes)" beside "a weekly audit of hold queues" adds nothing.
                    known |= stems(given.metric or "")
            own = have - known - _PREVENTION_WORDS
            if not own:
                continue  # said again in the request's own words: repeated, not wrong
            if not _stated_elsewhere(low, spans, index, step):
                if (
                    len(own) >= 2
                    and shared < 0.65 * len(step)
                    and _CONDITION.search(sentence)
                    and not _CONDITION.search(request.prevention[number].description.lower())
                ):
                    # The only statement of the step, in words of its own and with a
                    # condition of its own ("a payment retry check that only processes the
                    # first payment if it goes through successfully"): an invented mechanism,
                    # said again as the request gives it.
                    found.append(
                        finding(
                            RESTATED_PREVENTION,
                            "error",
                            "States a prevention step in words the request does not give ("
                            + ", ".join(sorted(own))
                            + ").",
                            text.text,
                            start,
                            end,
                            "State the prevention step in the request's terms.",
                            fix=Fix(action="replace", fact=f"prevention:{number}"),
                        )
                    )
                    break
                continue  # a loose mention, not a statement: other rules handle that
            found.append(
                finding(
                    RESTATED_PREVENTION,
                    "error",
                    "Says a prevention step again with details the request does not give ("
                    + ", ".join(sorted(own))
                    + "); another sentence already states it.",
                    text.text,
                    start,
                    end,
                    "State each prevention step once, in the request's terms.",
                    fix=Fix(action="remove_sentence"),
                )
            )
            break
    return found


# A condition that narrows what a step does: "only processes ...", "unless ...".
_CONDITION = re.compile(r"\b(?:only|unless)\b")


def _stated_elsewhere(
    low: str, spans: list[tuple[int, int]], index: int, step: frozenset[str]
) -> bool:
    """Whether a sentence other than `spans[index]` holds nearly all of a step's words. A
    sentence is read for its words only when the step's stems all but appear in it."""
    need = 0.8 * len(step)
    for other, (start, end) in enumerate(spans):
        if other == index:
            continue
        sentence = low[start:end]
        if sum(stem in sentence for stem in step) >= need and len(stems(sentence) & step) >= need:
            return True
    return False


@lru_cache(maxsize=256)
def _step_stems(steps: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(stems(step)) for step in steps if stems(step))


# --- what the request gives as possible or to come, told as certain or done -----------------

# The request's hedge on what happened to the reader: "may have been viewed", "possibly seen".
_HEDGED = re.compile(
    r"\b(?:(?:may|might|could)\s+(?:have\s+)?been|possibly|potentially)\s+(?:\w+\s+)?"
    r"(?:exposed|compromised|accessed|viewed|seen|stolen|leaked|misused|downloaded|copied|read)\b"
)
# That harm told as certain: "which exposed your customer contact list".
_CERTAIN = re.compile(
    r"\b(?:exposed|exposing|exposure\s+of|compromised|accessed|viewed|seen|stolen|leaked|"
    r"misused|downloaded|copied)\b"
)
# A doubt or denial before the verb, in its sentence: "may have been", "at risk of being".
_DOUBT = re.compile(
    r"\b(?:may|might|could|possibl[ey]|potentially|risk|whether|if|no\s+evidence|not|never|"
    r"unlikely|cannot|can't|unauthori[sz]ed\s+people\s+may)\b"
)
# A review or audit claimed as carried out: "we have implemented an independent review".
_DONE_ACTIVITY = re.compile(
    r"\b(?:have|has|'ve)\s+(?:now\s+|already\s+|also\s+)?(?:implemented|completed|conducted|"
    r"carried\s+out|finished|performed|undertaken)\s+(?:an?\s+|the\s+|our\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?P<noun>review|audit|investigation|assessment|inspection|evaluation)\b"
)
_DONE_ACTIVITY_NEEDS = (needs(_DONE_ACTIVITY),)
"""What every `_DONE_ACTIVITY` match holds: a letter without it is not searched for one."""
_DONE_STEP = re.compile(
    r"\b(?:completed|carried\s+out|conducted|finished|done|has\s+been|have\s+been|was|were)\b"
)


OVERSTATED_CUE = (
    "expos",
    "compromis",
    "accessed",
    "viewed",
    "seen",
    "stolen",
    "leaked",
    "misused",
    "downloaded",
    "copied",
    "review",
    "audit",
    "investigation",
    "assessment",
    "inspection",
    "evaluation",
)
"""`overstated`'s cue (see `checker.Rule.cue`): the words it reads a letter for."""


def overstated(draft: Draft) -> list[Finding]:
    """What the request gives as possible told as certain, under the cautious posture ("which
    exposed your customer contact list" when the request says the details "may have been
    viewed"); and a review or audit the request gives as a step, with no word that it is
    done, claimed as carried out ("we have implemented an independent review of our access
    controls"). The apology sentence is said again as the composer tells what happened
    (another goes); the step's as the composer states the step."""
    request, text = draft.context, draft.body
    if request is None:
        return []
    found: list[Finding] = []
    incident = request.incident
    told = " ".join(t for t in (incident.summary, incident.cause, incident.impact) if t).lower()
    if request.liability == "cautious" and _HEDGED.search(told):
        plain = stems(_HEDGED.sub(" ", told))
        for match in _CERTAIN.finditer(text.low):
            start, end = text.sentences.bounds(match.start(), match.end())
            if match.group()[:5] in plain or _DOUBT.search(text.low, start, match.start()):
                continue
            apology = _APOLOGISES.search(text.low, start, end) is not None
            found.append(
                finding(
                    OVERSTATED,
                    "error",
                    f'States "{text.text[match.start() : match.end()]}" as certain; the request '
                    "says only that it may have happened.",
                    text.text,
                    match.start(),
                    match.end(),
                    "Say what happened as the request gives it, with its doubt.",
                    fix=Fix(action="replace", fact="acknowledgment")
                    if apology
                    else Fix(action="remove_sentence"),
                )
            )
    for match in (
        _DONE_ACTIVITY.finditer(text.low) if may_hold(_DONE_ACTIVITY_NEEDS, text.low) else ()
    ):
        noun = match.group("noun")
        steps = [
            i
            for i, step in enumerate(request.prevention)
            if noun in step.description.lower() and not _DONE_STEP.search(step.description.lower())
        ]
        if len(steps) != 1:
            continue
        found.append(
            finding(
                OVERSTATED,
                "error",
                f"Claims the {noun} as carried out; the request gives it as a step, not as done.",
                text.text,
                match.start(),
                match.end(),
                "State the step as the request gives it.",
                fix=Fix(action="replace", fact=f"prevention:{steps[0]}"),
            )
        )
    return found


_APOLOGISES = re.compile(r"\b(?:sorry|apolog|regret)")


# --- register --------------------------------------------------------------------------------

# "Dear Zoe Carter": a first and last name, as a form fills it in. "Dear Mrs Lowe" is a
# formal tone's chat greeting and stays.
_DEAR = re.compile(
    r"\A\s*Dear\s+(?!(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)\b)(?P<first>[A-Z][\w'’-]*)"
    r"(?:\s+[A-Z][\w'’-]*)+(?=\s*[,!\n])"
)


def formal_chat_greeting(draft: Draft) -> list[Finding]:
    """A chat that opens "Dear <full name>": a letter's greeting. (A text message over its
    length loses its greeting to salvage's trim anyway.)"""
    if draft.channel_key != "chat":
        return []
    tone = get_catalog().tones.get(draft.tone or "")
    if tone is not None and tone.formality == "formal":
        return []  # a formal tone's chat may open with the full name, as the composer's does
    text = draft.body
    match = _DEAR.match(text.text)
    if match is None:
        return []
    start = match.start() + len(match.group()) - len(match.group().lstrip())
    return [
        finding(
            FORMAL_CHAT_GREETING,
            "error",
            "Opens a chat with a letter's greeting.",
            text.text,
            start,
            match.end(),
            "Greet the reader by first name, as a chat does.",
            fix=Fix(action="replace", text=f"Hi {match.group('first')}"),
        )
    ]


_WE_OFFER = re.compile(
    r"\b[Ww]e(?P<verb>\s+would\s+like\s+to\s+offer|['’]d\s+like\s+to\s+offer|\s+(?:can|could)"
    r"\s+offer|\s+offer|\s+want\s+to\s+offer)\s+you\b"
)

PLURAL_VOICE_CUE = ("offer",)
"""`plural_voice`'s cue (see `checker.Rule.cue`): every `_WE_OFFER` match holds one."""


def plural_voice(draft: Draft) -> list[Finding]:
    """In a colleague's own letter, "we would like to offer you": one person writes and
    offers, so it is "I". A letter signed only by the organisation (no sender's name) has
    no one person to speak for it: "we" is its voice."""
    request = draft.context
    if request is None or request.audience != "colleague" or draft.channel_key == "social":
        return []
    if not request.sender.name:
        return []
    text = draft.body
    found = []
    for match in _WE_OFFER.finditer(text.text):
        verb = match.group("verb")
        found.append(
            finding(
                PLURAL_VOICE,
                "error",
                'Offers as "we" in a letter one colleague writes to another.',
                text.text,
                match.start(),
                match.end() - len(" you"),
                'Offer in your own voice: "I would like to offer you".',
                fix=Fix(action="replace", text="I" + verb),
            )
        )
    return found


# --- an effect the request never gives -------------------------------------------------------

# Verbs that tell what something did or does: a cost, a consequence, a benefit. After
# "which", "this" or a comma's participle they make a claim about an effect.
_EFFECT_VERBS = (
    r"caus(?:e|es|ed)|result(?:s|ed)?\s+in|le(?:d|ads?)\s+to|mean[st]?|creat(?:e|es|ed)|"
    r"ensur(?:e|es|ed)|guarantee[sd]?|allow(?:s|ed)?|enabl(?:e|es|ed)|help(?:s|ed)?|"
    r"sav(?:e|es|ed)|reduc(?:e|es|ed)|improv(?:e|es|ed)|increas(?:e|es|ed)|"
    r"minimi[sz](?:e|es|ed)|add(?:s|ed)?\s+to|costs?|br(?:ought|ings?)|forc(?:e|es|ed)|"
    r"impact(?:s|ed)?|affect(?:s|ed)?|disrupt(?:s|ed)?|prevent(?:s|ed)?|avoid(?:s|ed)?|"
    r"speeds?\s+up|sped\s+up|made|makes|gave|gives|put|puts|left|leaves"
)
# After a noun phrase ("the new scan will help"), only verbs that cannot tell an ordinary
# event ("the team left", "the courier brought").
_NOUN_EFFECT_VERBS = (
    r"caus(?:e|es|ed)|result(?:s|ed)?\s+in|le(?:d|ads?)\s+to|ensur(?:e|es|ed)|"
    r"guarantee[sd]?|allow(?:s|ed)?|enabl(?:e|es|ed)|help(?:s|ed)?|sav(?:e|es|ed)|"
    r"reduc(?:e|es|ed)|improv(?:e|es|ed)|minimi[sz](?:e|es|ed)|costs?|disrupt(?:s|ed)?|"
    r"prevent(?:s|ed)?|avoid(?:s|ed)?|speeds?\s+up|sped\s+up"
)
_EFFECT_INGS = (
    r"causing|resulting\s+in|leading\s+to|creating|ensuring|guaranteeing|allowing|enabling|"
    r"helping|saving|reducing|improving|increasing|minimi[sz]ing|adding\s+to|costing|"
    r"bringing|forcing|disrupting|preventing|avoiding|speeding\s+up|making|leaving|meaning"
)
# Words between the subject and its effect verb: "which has also caused", "this will help".
_AUX = (
    r"(?:(?:has|have|had|will|would|should|could|can|may|might|must|also|then|in\s+turn|"
    r"further|only|ultimately|inevitably|directly|unfortunately|certainly|undoubtedly|"
    r"surely|likely|not\s+only|therefore|now|hopefully|significantly|greatly)\s+){0,3}"
    r"(?:been\s+)?"
)
# Each form below starts with a literal letter (see `_by_first`), so the regex engine skips
# ahead to candidates; what may stand before it (a comma, ", and", a sentence's start) is
# read by `_effect_cues`.
_VERB_AFTER = rf"\s+{_AUX}(?:{_EFFECT_VERBS})"
_EFFECT_FORMS = (
    # "which caused", "which will ensure": a relative clause of effect; ", which has halved
    # our breakages": any deed told with "has", "will", "should".
    (
        "relative",
        re.compile(
            rf"which\s+(?:{_AUX}(?:{_EFFECT_VERBS})|(?:has|have|will|should|would|can|could)\s+"
            r"(?:already\s+|also\s+)?(?!been\b|not\b)[a-z]+)\b"
        ),
    ),
    # ", resulting in", ", ensuring that": a participle of effect after a comma.
    ("participle", re.compile(rf",\s*(?:{_EFFECT_INGS})\b")),
    # "so that we can", "in order to", "to ensure that": a purpose told as an outcome.
    (
        "purpose",
        re.compile(
            _by_first(
                [
                    r"so\s+that",
                    r"in\s+order\s+(?:to|that)",
                    r"to\s+(?:ensure|guarantee|make\s+sure|allow|enable|help\s+(?:us|you)|"
                    r"minimi[sz]e|reduce|improve|speed\s+up)",
                ],
                boundary=True,
            )
            + r"\b"
        ),
    ),
    # "as it may have put your customers' privacy at risk": an effect given as a reason.
    (
        "reason",
        re.compile(
            _by_first(
                [rf"{w}\s+(?:it|this|that){_VERB_AFTER}" for w in ("as", "since")], boundary=True
            )
            + r"\b"
        ),
    ),
    # "This caused additional costs", "The new scan will help": a sentence of effect about
    # the incident, a remedy or a step, told by a pointing subject or a short noun phrase.
    (
        "main",
        re.compile(
            _by_first(
                [
                    rf"{w}\s*{_AUX}(?:{_NOUN_EFFECT_VERBS}|mean[st]?)"
                    for w in ("this", "that", "it", "these", "those")
                ]
                + [
                    rf"{w}\s+(?:[a-z-]+\s+){{1,3}}?{_AUX}(?:{_NOUN_EFFECT_VERBS}|mean[st]?)"
                    for w in ("the", "our", "this", "these", "that", "those")
                ],
                boundary=True,
            )
            + r"\b"
        ),
    ),
)
_COMMA_AND = re.compile(r",\s*(?:and\s+)?\Z")
_COMMA_AND_REQUIRED = re.compile(r",\s*and\s+\Z")
_SPACES_BEFORE = re.compile(r"(?:,\s*|\s+)\Z")


class _Cue(NamedTuple):
    """One effect form found: its kind, its span with what stands before it (a comma), where
    its first word starts, and whether a comma stands before it."""

    kind: str
    start: int
    at: int
    end: int
    text: str
    comma: bool


def _effect_cues(low: str) -> list[_Cue]:
    """Every effect form in `low`, leftmost first and not overlapping, as one scan of all the
    forms would find them."""
    found: list[_Cue] = []
    for kind, pattern in _EFFECT_FORMS:
        for match in pattern.finditer(low):
            at = match.start()
            before = low[max(0, at - 12) : at]
            start, comma = at, False
            if kind == "relative":
                lead = _COMMA_AND.search(before)
                if lead is not None:
                    start, comma = at - len(lead.group()), True
            elif kind in ("purpose", "reason"):
                lead = _SPACES_BEFORE.search(before)
                if lead is None and not (kind == "purpose" and (at == 0 or low[at - 1] == "\n")):
                    continue
                if lead is not None:
                    start = at - len(lead.group())
                    comma = lead.group().startswith(",")
            elif kind == "main":
                lead = _COMMA_AND_REQUIRED.search(before)
                if lead is not None:
                    start, comma = at - len(lead.group()), True
                elif not (
                    at == 0
                    or low[at - 1] == "\n"
                    or (at >= 2 and low[at - 1].isspace() and low[at - 2] in ".!?")
                ):
                    continue
            found.append(_Cue(kind, start, at, match.end(), low[start : match.end()], comma))
    found.sort(key=lambda cue: cue.start)
    kept: list[_Cue] = []
    for cue in found:
        if not kept or cue.start >= kept[-1].end:
            kept.append(cue)
    return kept


# Where an effect's clause ends: the sentence's end, a semicolon or dash, or a new clause
# with its own subject (", and we", ", but I").
_EFFECT_END = re.compile(
    r"[.!?;:](?=\s|$)|\s[–—-]\s|\n|,\s*(?:and|but|so|while|although)\s+(?:we|i|you|our|the)\b"
    r"|,\s*(?:which|while|although)\b"
)
# The words of an effect that claim nothing of their own: repeats, apologies, making
# things right, the letter's own telling ("so that you know where things stand").
_EFFECT_GENERIC = frozenset(
    word[:5]
    for words in (
        "again repeat recurrence recurring similar future happen happening occur occurs risk",
        "likely unlikely less chance chances safeguard safeguards right place properly proper",
        "better things everyone anyone affected know knows understand understands aware stand",
        "informed clear clearly same kind sort type anything nothing something experience",
        "customers customer clients client people others someone reader work thing feel felt",
        "sure certain possible able unable need needs needed want wanted expect expected",
        "order orders sorry apology apologise apologize regret matter matters",
        "money time times effort hassle trouble additional extra fix fixed fixing found once",
        "resolved sorted good difficult position spot front",
        "apply applied applies using use used code redeem redeemed checkout valid",
    )
    for word in words.split()
)
_EFFECT_WORDS = frozenset(
    w[:5] for w in re.findall(r"[a-z]+", _EFFECT_VERBS + " " + _EFFECT_INGS) if len(w) > 3
)


# "help prevent similar damage", "avoid a repeat of this": what a step is for, which is
# the incident not happening again, however the incident is named.
_AGAINST_REPEAT = re.compile(
    r"\b(?:prevent|avoid|stop|reduc|minimi[sz])\w*\s+(?:\w+\s+){0,4}?(?:similar|again|"
    r"repeats?|recurr\w*|such|(?:this|that|it)\s+from|(?:a|any)\s+(?:repeat|recurrence))\b"
)
# A purpose that is this incident not happening again, or not to anyone else: "to make
# sure it doesn't happen again", "so that no other customer receives an order like this".
_REPEAT_PURPOSE = re.compile(
    r"\b(?:again|recur\w*|repeats?|for\s+good|in\s+(?:the\s+)?future|going\s+forward|"
    r"no\s+(?:other|one\s+else)|anyone\s+else|any\s+other)\b"
)
_KEPT_FROM = re.compile(r"\s+you\s+(?:from|to)\b")
# "It means a lot": a feeling, not an effect.
_IDIOM = re.compile(r"\s*(?:a\s+(?:lot|great\s+deal)|so\s+much|the\s+world|everything)\b")


def _effect_known(draft: Draft) -> frozenset[str]:
    """The stems a told effect may use: everything the request says, the customer's own
    message included (the effect they told us of may be told back to them)."""
    request = draft.context
    assert request is not None
    incident = request.incident
    parts = [
        incident.summary,
        incident.cause,
        incident.impact,
        incident.customer_message,
        request.recipient.organization,
        request.sender.organization,
    ]
    parts += [_remedy_words(r) for r in request.remedies]
    parts += [f"{p.description} {p.metric or ''}" for p in request.prevention]
    return _known_stems(tuple(p for p in parts if p))


def _remedy_words(remedy: Remedy) -> str:
    return " ".join(v for v in (remedy.description, remedy.amount, remedy.code, remedy.date) if v)


_DIGITS = re.compile(r"\d+")


def _unsupported_figure(told: str, draft: Draft) -> bool:
    """Whether `told` holds a number the request never gives (the figure rules own it)."""
    numbers = _DIGITS.findall(told)
    if not numbers:
        return False
    request = draft.context
    assert request is not None
    given = set(_DIGITS.findall(request.model_dump_json()))
    return any(number not in given for number in numbers)


def _benefit_known(draft: Draft) -> frozenset[str]:
    """The stems a told benefit may use: the remedies' and steps' words."""
    request = draft.context
    assert request is not None
    parts = [_remedy_words(r) for r in request.remedies]
    parts += [f"{p.description} {p.metric or ''}" for p in request.prevention]
    return _known_stems(tuple(parts))


# The verbs of a benefit (what a remedy or step achieves), as against a consequence.
_BENEFIT = re.compile(
    r"ensur|guarante|allow|enabl|help|sav(?:e|es|ed|ing)\b|reduc|improv|minimi|prevent|avoid|"
    r"speed|sped|increas|make\s+sure|so\s+that|in\s+order"
)


@lru_cache(maxsize=256)
def _known_stems(parts: tuple[str, ...]) -> frozenset[str]:
    """The stems of `parts`, each also by its first four letters."""
    found = stems(" ".join(parts))
    return frozenset(found | {stem[:4] for stem in found})


def invented_effect(draft: Draft) -> list[Finding]:
    """A clause that tells an effect the request never gives: a cost or consequence of the
    incident (", which caused additional costs and delays for the project"), or a benefit of
    a remedy or step (", which ensures that we can quickly respond to changes in inventory
    levels"; "so that every parcel reaches you on time"). A clause told mostly in words the
    request does not hold is invented; one that restates the request, or says only that
    this should not happen again, is left alone."""
    request, text = draft.context, draft.body
    if request is None:
        return []
    low = text.low
    found: list[Finding] = []
    incident = request.incident
    cause = (
        stems(incident.cause) - stems(f"{incident.summary} {incident.impact or ''}")
        if incident.cause
        else set()
    )
    starts: list[int] = []  # of the findings so far, in order
    for match in _effect_cues(low):
        if len(starts) >= MAX_PER_RULE and match.start - SENTENCE_REACH > starts[MAX_PER_RULE - 1]:
            # Every later finding starts after the first `MAX_PER_RULE`: the report would
            # drop it (a long text may hold hundreds).
            break
        at = match.at
        s_start, s_end = text.sentences.bounds(at, match.end)
        stop = _EFFECT_END.search(low, match.end, s_end)
        end = stop.start() if stop is not None else s_end
        while end > match.end and low[end - 1] in ".!?":
            end -= 1
        if match.kind == "purpose" and not low[s_start:at].strip():
            # "To ensure that ..., we ...": the purpose ends at its comma.
            comma = low.find(",", match.end, end)
            end = comma if comma > 0 else end
        told = low[match.end : end]
        if match.kind != "purpose" and _is_cause(told, cause):
            # "You were charged twice, which resulted in a payment retry after the first
            # payment had already succeeded": the request's cause told as the effect.
            span, fix = _effect_fix(text, match, s_start, s_end, end)
            insort(starts, span[0])
            found.append(
                finding(
                    INVENTED_EFFECT,
                    "error",
                    f'Tells the cause the request gives as an effect ("{text.text[at:end]}").',
                    text.text,
                    *span,
                    "Tell the cause as the cause, or leave it out.",
                    fix=fix,
                )
            )
            continue
        if _IDIOM.match(told) or _AGAINST_REPEAT.search(low, match.start, end):
            continue
        if _KEPT_FROM.match(told):
            continue  # "prevented you from ...": request.invented_impact reads that
        if _unsupported_figure(told, draft):
            continue  # "which made deliveries 25% faster": the figure rules remove it
        purpose = match.kind == "purpose"
        if purpose and _REPEAT_PURPOSE.search(told):
            continue
        if _BENEFIT.search(match.text) is not None:
            # What a remedy or step achieves is the request's only when a remedy or step
            # says it: "ensuring that all shipments are on time" retells the incident's
            # words as a benefit nobody gave.
            known = _benefit_known(draft)
        else:
            known = _effect_known(draft)
        content = stems(told) - _EFFECT_GENERIC - _EFFECT_WORDS - _PREVENTION_WORDS - _OWNING_WORDS
        # Known by the first four letters: "walking" retells "walked".
        unknown = {stem for stem in content if stem[:4] not in known}
        if not unknown or len(unknown) * 2 < len(content) or (purpose and len(unknown) < 2):
            continue
        span, fix = _effect_fix(text, match, s_start, s_end, end)
        insort(starts, span[0])
        claim = text.text[at:end]
        found.append(
            # A purpose ("so that ...") says what we mean to happen, not what did: the
            # reviewer is shown it, and the letter is not held back for it.
            finding(
                INVENTED_EFFECT,
                "warning",
                f'Gives a purpose the request does not give ("{claim}").',
                text.text,
                *span,
                "Say what a remedy or step is for only as the request gives it.",
                fix=fix,
            )
            if purpose
            else finding(
                INVENTED_EFFECT,
                "error",
                f'Tells an effect the request does not give ("{claim}").',
                text.text,
                *span,
                "Tell what happened and what changes only as the request gives it.",
                fix=fix,
            )
        )
    return found


def _is_cause(told: str, cause: set[str]) -> bool:
    """Whether an effect clause's words are mostly the request's cause's own (three of its
    stems or more, and at least 60% of them)."""
    if len(cause) < 3:
        return False
    have = len(stems_in(told, cause))
    return have >= 3 and have * 10 >= 6 * len(cause)


# Words of owning a failure: "this error", "our mistake", "the problem".
_OWNING_WORDS = frozenset(
    word[:5]
    for words in (
        "error mistake oversight fault failure issue problem incident situation part side",
        "lapse slip inconvenience delay this that what happened our own system process team",
    )
    for word in words.split()
)


def _effect_fix(
    text: Text, match: _Cue, s_start: int, s_end: int, end: int
) -> tuple[tuple[int, int], Fix]:
    """Cut the effect's clause when a main clause stands before it (", which caused ..."
    goes, the sentence ends where it began); a sentence that opens with a purpose ("To
    ensure ..., we ...") loses that opening; otherwise the sentence goes."""
    start = max(match.start, s_start)
    at = match.at
    kind = match.kind
    before = text.text[s_start:at].strip(" ,")
    if kind == "main" and not match.comma:
        return (s_start, s_end), Fix(action="remove_sentence")
    if kind == "relative" and not match.comma and not before.endswith(","):
        # "the fault which caused ... has been fixed": where the clause ends is unknown.
        return (s_start, s_end), Fix(action="remove_sentence")
    if len(before) >= 12 and end >= _sentence_body_end(text, s_start, s_end):
        return (start, end), Fix(action="replace", text="")
    if kind == "purpose" and not before:
        # "To ensure that ..., we are adding a scan": the opening goes, its comma with it.
        comma = text.low.find(",", at, s_end)
        rest = comma + 1
        while 0 < rest < s_end and text.text[rest].isspace():
            rest += 1
        if comma > 0 and rest < s_end and text.text[rest].isalpha():
            return (at, rest + 1), Fix(action="replace", text=text.text[rest].upper())
    if len(before) >= 12 and text.low[end : end + 1] in (",", ";", " "):
        # A clause in the middle of the sentence: it goes, the rest of the sentence stays.
        return (start, end), Fix(action="replace", text="")
    return (s_start, s_end), Fix(action="remove_sentence")


def _sentence_body_end(text: Text, s_start: int, s_end: int) -> int:
    """Where a sentence's words end, before its closing punctuation."""
    stop = s_end
    while stop > s_start and text.text[stop - 1] in ".!?\"'’”) ":
        stop -= 1
    return stop


# --- stock phrases that presume --------------------------------------------------------------

# "As a valued customer", "As you know", "As always": a relationship, shared knowledge or a
# history the request never gives, said the way form letters say it.
_STOCK = re.compile(
    _by_first(
        [
            rf"{w}\s+(?:a|an|one\s+of\s+our|our)\s+(?:(?:most\s+)?(?:valued|loyal|"
            r"long[\s-]?(?:standing|time)|important|treasured|respected|esteemed|regular|"
            r"cherished)\s+)+(?:customer|client|member|guest|partner|patient|subscriber|user|"
            r"shopper|colleague|reader|patron|resident|tenant)s?"
            for w in ("as", "being")
        ]
        + [
            r"as\s+(?:you\s+(?:(?:may|might|will|would|surely|probably|already)\s+)?(?:know|"
            r"be\s+aware|are\s+(?:(?:well|no\s+doubt)\s+)?aware|can\s+imagine|can\s+see|"
            r"have\s+(?:noticed|heard|seen)|(?:may|might)\s+have\s+(?:noticed|heard|seen))|"
            r"we\s+(?:all\s+)?know|always)",
            r"needless\s+to\s+say",
            # "As part of my commitment to providing excellent customer service, ..."
            r"as\s+part\s+of\s+(?:my|our)\s+(?:ongoing\s+)?commitment\s+to\s+(?:providing\s+|"
            r"delivering\s+|offering\s+)?(?:the\s+best|excellent|great|outstanding|exceptional|"
            r"quality|first[\s-]class|high[\s-]quality)\s+(?:customer\s+)?(?:service|care|"
            r"experience)s?",
            r"i(?:['’]m|\s+am)\s+sure\s+you(?:['’]re|\s+are)\s+(?:well\s+)?aware(?:\s+that)?",
            r"we(?:['’]re|\s+are)\s+sure\s+you(?:['’]re|\s+are)\s+(?:well\s+)?aware(?:\s+that)?",
        ],
        boundary=True,
    )
    + r"\b(?P<after>\s*,)?"
)
_COMMA_BEFORE = re.compile(r",\s*\Z")
# The reader called a valued or loyal customer anywhere else ("you are a valued customer").
_LOYALTY = re.compile(
    r"\b(?:a|our|such\s+a)\s+(?:(?:most\s+)?(?:valued|loyal|treasured|esteemed|cherished)\s+)+"
    r"(?:customer|client|member|guest|patient|subscriber|shopper|patron)s?\b"
    # "to show our appreciation for your business", "we value your custom"
    r"|\b(?:appreciation\s+(?:of|for)|value|appreciate)\s+your\s+(?:continued\s+)?"
    r"(?:business|custom|patronage|loyalty)\b"
)
_LOYALTY_NEEDS = alternatives_needs(_LOYALTY)
"""What a `_LOYALTY` match of each of its forms holds: a letter without any is not searched."""
_HISTORY = frozenset(
    stems("loyal loyalty years since long-standing longstanding regular member membership")
)


# "Thank you for understanding our situation": the wronged reader asked to sympathise with
# the business's own position.
_OUR_SITUATION = re.compile(
    r"\b(?:thank\s+you|thanks|(?:i|we)\s+(?:(?:really|truly|do)\s+)?(?:appreciate|value)|"
    r"(?:i|we)\s+(?:am|are)\s+grateful)\s+(?:you\s+)?(?:for\s+)?(?:your\s+)?understanding\s+"
    r"(?:of\s+)?(?:our|my)\s+(?:own\s+)?(?:situation|position|circumstances|difficulties|"
    r"challenges|constraints|predicament|limitations)\b"
)
# "I wanted to take a moment to apologise": the apology told as a favour of the writer's
# time. The lead-in goes and the apology stays ("I apologise for ...").
_TAKE_A_MOMENT = re.compile(
    r"\b(?:i|we)(?P<lead>(?:\s+(?:just\s+)?(?:wanted|want)|['’]d\s+like|\s+would\s+like)\s+"
    r"to\s+take\s+(?:a|this|a\s+(?:brief|quick|short))\s*(?:moment|minute|second)\s+to\s+)"
    r"(?=apologi[sz]e\b)"
)


def _favours(text: Text) -> list[Finding]:
    """Thanks for understanding the business's situation (the sentence goes), and an
    apology made "taking a moment" (the lead-in goes)."""
    low = text.low
    found: list[Finding] = []
    if "understanding" in low:
        for match in _OUR_SITUATION.finditer(low):
            s_start, s_end = text.sentences.bounds(match.start(), match.end())
            found.append(
                finding(
                    STOCK_PHRASE,
                    "error",
                    "Asks the reader to sympathise with the business's own situation "
                    f'("{text.text[match.start() : match.end()]}").',
                    text.text,
                    s_start,
                    s_end,
                    "Keep the letter on what happened to the reader.",
                    fix=Fix(action="remove_sentence"),
                )
            )
    if "moment" in low or "minute" in low or "second" in low:
        for match in _TAKE_A_MOMENT.finditer(low):
            start, end = match.span("lead")
            found.append(
                finding(
                    STOCK_PHRASE,
                    "error",
                    "Tells the apology as a moment of the writer's time "
                    f'("{text.text[match.start() : end].strip()}").',
                    text.text,
                    start,
                    end,
                    "Apologise plainly.",
                    fix=Fix(action="replace", text=" "),
                )
            )
    return found


def stock_phrase(draft: Draft) -> list[Finding]:
    """Form-letter phrases that presume what the request never gives: the reader as "a
    valued customer", knowledge they are told they share ("as you know"), a history ("as
    always"). The phrase goes and the sentence stays when it is an opening or an aside set
    off by commas; otherwise the sentence goes."""
    request, text = draft.context, draft.body
    low = text.low
    found = _well_wishes(text) + _own_offer_praised(text) + _favours(text)
    history = request is not None and _told_history(draft)
    for match in _STOCK.finditer(low):
        start = match.start()
        if history and not low.startswith("as part of", start):
            continue  # the request gives the reader's history: "as a loyal member" may stand
        end = match.start("after") if match.group("after") is not None else match.end()
        s_start, s_end = text.sentences.bounds(start, end)
        comma = _COMMA_BEFORE.search(low, max(0, start - 4), start)
        lead = comma.group() if comma is not None else None
        after = match.group("after")
        # The span of the phrase with the comma before it, when there is one.
        lead_start = comma.start() if comma is not None else start
        fix: Fix
        if start == s_start and after:
            # "As a valued customer, you ...": the opening goes; the next word takes its capital.
            rest = match.end()
            while rest < s_end and text.text[rest].isspace():
                rest += 1
            if rest >= s_end or not text.text[rest].isalpha():
                span, fix = (s_start, s_end), Fix(action="remove_sentence")
            else:
                span = (start, rest + 1)
                fix = Fix(action="replace", text=_capital(text.text, rest))
        elif lead and lead.startswith(",") and after:
            # "..., as you know, ...": the aside goes with one of its commas.
            span, fix = (lead_start, match.end()), Fix(action="replace", text="")
        elif lead and lead.startswith(",") and _at_sentence_end(text, end, s_end):
            span, fix = (lead_start, end), Fix(action="replace", text="")
        elif low.startswith("as always", start):
            continue  # "we are here for you as always": no form phrase set off on its own
        else:
            span, fix = (s_start, s_end), Fix(action="remove_sentence")
        found.append(
            finding(
                STOCK_PHRASE,
                "error",
                f'A form-letter phrase presumes what the request never gives ("'
                f'{text.text[start:end]}").',
                text.text,
                *span,
                "Speak to the reader about this incident; leave out stock phrases.",
                fix=fix,
            )
        )
    for match in () if history or not may_hold(_LOYALTY_NEEDS, low) else _LOYALTY.finditer(low):
        if any(f.start <= match.start() < f.end for f in found):
            continue
        s_start, s_end = text.sentences.bounds(match.start(), match.end())
        found.append(
            finding(
                STOCK_PHRASE,
                "error",
                "Calls the reader a valued or loyal customer, or thanks them for their "
                "business, a form-letter phrase "
                f'("{text.text[match.start() : match.end()]}").',
                text.text,
                s_start,
                s_end,
                "Speak to the reader about this incident; leave out stock phrases.",
                fix=Fix(action="remove_sentence"),
            )
        )
    return found


# "I hope this message finds you well": a stock wish that opens a form letter, filler before
# the apology.
_WELL_WISH = re.compile(
    r"(?:i|we)\s+(?:(?:do|really|sincerely|truly)\s+)?(?:hope|trust)\s+(?:that\s+)?"
    r"(?:(?:this|my|our)\s+(?:message|email|e-mail|letter|note|reply|response)\s+"
    r"(?:finds|reaches)\s+you(?:\s+(?:well|in\s+good\s+(?:health|spirits)|safe\s+and\s+well))?"
    r"|you(?:['’]re|\s+are|\s+have\s+been)\s+(?:(?:doing|keeping)\s+)?well"
    r"|all\s+is\s+well(?:\s+with\s+you)?"
    r"|you(?:['’]re|\s+are)\s+having\s+a\s+(?:good|great|lovely|nice)\s+(?:day|week)"
    # "I hope this apology and the offer are satisfactory to you": the reader told how to
    # take it.
    r"|(?P<verdict>this\s+(?:apology|letter|response|explanation|email)(?:\s+and\s+(?:the|our|this)"
    r"\s+\w+)?\s+(?:is|are|will\s+be)\s+(?:satisfactory|acceptable|sufficient|adequate)"
    r"(?:\s+(?:to|for)\s+you)?"
    r"|this\s+(?:apology|letter|gesture|offer)\s+(?:can|will|would)\s+(?:help\s+(?:to\s+)?)?"
    r"(?:make\s+(?:things|this|it)\s+right|make\s+up\s+for\s+(?:it|this|that))"
    r"(?:\s+(?:to|for)\s+you)?))\b"
)
# What follows the wish: another clause the sentence keeps ("..., and I am writing to"), or
# more of the wish ("and that your week is going smoothly").
_AFTER_WISH = re.compile(r"(?:\s*,\s*(?:and|but|so)?\s*|\s+(?:and|but|so)\s+)(?!that\b)(?=[a-z])")


# A greeting on the wish's line, in one sentence with it: "Hi Nora Quinn, I hope ...".
_GREETING_LEAD = re.compile(
    r"(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))\b[^.!?\n]{0,40},\s*"
)


def _well_wishes(text: Text) -> list[Finding]:
    """A sentence that opens with a stock wish for the reader's health or week: the wish
    goes, and the sentence with it unless another clause follows it."""
    low = text.low
    found: list[Finding] = []
    if "hope" not in low and "trust" not in low:
        return found
    # "...finds you well" opens a letter; "I hope this apology is satisfactory" ends one.
    for match in _WELL_WISH.finditer(low):
        start = match.start()
        s_start, s_end = text.sentences.bounds(start, match.end())
        greeted = start != s_start and _GREETING_LEAD.fullmatch(low, s_start, start) is not None
        if start != s_start and not greeted:
            continue
        rest = _AFTER_WISH.match(low, match.end(), s_end)
        fix: Fix
        if rest is not None and rest.end() < s_end:
            span = (start, rest.end() + 1)
            first = text.text[rest.end()]
            # After a greeting's comma only "I" keeps its capital: "Hi Nora, we are ...".
            fix = Fix(action="replace", text=first if greeted else first.upper())
        elif greeted:
            # "Hi Nora, I hope this message finds you well.": the greeting stays.
            span, fix = (start, s_end), Fix(action="replace", text="")
        else:
            span, fix = (s_start, s_end), Fix(action="remove_sentence")
        said = text.text[start : match.end()]
        found.append(
            finding(
                STOCK_PHRASE,
                "error",
                f'Tells the reader how to take the apology ("{said}").'
                if match.group("verdict")
                else f'Opens with a stock wish ("{said}"), filler before the apology.',
                text.text,
                *span,
                "Leave it to the reader to judge the apology."
                if match.group("verdict")
                else "Open with what happened and the apology.",
                fix=fix,
            )
        )
    return found


# The writer thanking themselves for their own offer: "I appreciate this offer and look
# forward to your feedback".
_OWN_OFFER = re.compile(
    r"(?:i|we)\s+(?:(?:really|truly|do)\s+)?(?P<praise>(?:appreciate|value)\s+(?:this|the|our|that)\s+"
    r"(?:offer|gesture|remedy|compensation)(?P<and>\s+and\s+(?=[a-z]))?)"
)


def _own_offer_praised(text: Text) -> list[Finding]:
    """The writer appreciating the offer they make: the words go ("I look forward to your
    feedback" is kept), or the sentence when nothing else is said in it."""
    found: list[Finding] = []
    if "appreciate" not in text.low and "value" not in text.low:
        return found
    for match in _OWN_OFFER.finditer(text.low):
        s_start, s_end = text.sentences.bounds(match.start(), match.end())
        if match.start() != s_start:
            continue
        if match.group("and"):
            span, fix = match.span("praise"), Fix(action="replace", text="")
        else:
            span, fix = (s_start, s_end), Fix(action="remove_sentence")
        found.append(
            finding(
                STOCK_PHRASE,
                "error",
                "Praises the business's own offer "
                f'("{text.text[match.start() : match.end("praise")].strip()}").',
                text.text,
                *span,
                "Make the offer; leave its worth to the reader.",
                fix=fix,
            )
        )
    return found


def _told_history(draft: Draft) -> bool:
    """Whether the request speaks of the reader's history with the business."""
    request = draft.context
    assert request is not None
    incident = request.incident
    parts = (incident.summary, incident.cause, incident.impact, incident.customer_message)
    return bool(_known_stems(tuple(p for p in parts if p)) & _HISTORY)


def _capital(text: str, at: int) -> str:
    """The letter at `at`, capitalised; "you" and other words keep their case after it."""
    return text[at].upper()


def _at_sentence_end(text: Text, end: int, s_end: int) -> bool:
    return not text.text[end:s_end].strip(" .!?")


# --- an organisation named as the other side's -----------------------------------------------


def swapped_organisation(draft: Draft) -> list[Finding]:
    """The sender's organisation named in apposition to something of the reader's ("the
    March invoice sent to your dental group, Clinicloud"): the name is cut with its commas.
    "Your supplier, Clinicloud" (a word for us, as the reader sees us) is left alone."""
    request, text = draft.context, draft.body
    name = request.sender.organization if request is not None else None
    if not name or name.lower() not in text.low:
        return []
    found: list[Finding] = []
    for match in _apposition(name.lower()).finditer(text.low):
        if stems(match.group("noun")) & _US_TO_THEM:
            continue
        found.append(
            finding(
                SWAPPED_ORGANISATION,
                "error",
                f"Names {text.text[match.start('name') : match.end('name')]}, the sender's "
                "organisation, as the reader's.",
                text.text,
                match.start("comma"),
                match.end(),
                "Name each organisation as the request gives it.",
                fix=Fix(action="replace", text=""),
            )
        )
    return found


# What the reader may call us: "your supplier, Clinicloud".
_US_TO_THEM = frozenset(
    stems(
        "supplier provider vendor partner host bank carrier insurer retailer seller store shop "
        "team contact agency firm agent broker landlord lender installer courier manufacturer "
        "maker brand"
    )
)


@lru_cache(maxsize=64)
def _apposition(name: str) -> re.Pattern[str]:
    """ "your <up to four words>, <name>" for a name in lowercase."""
    return re.compile(
        r"\byour\s+(?:[\w'’-]+\s+){0,3}(?P<noun>[\w'’-]+)(?P<comma>,\s*)"
        rf"(?P<name>{re.escape(name)})(?![\w'’-])(?:,(?=\s))?"
    )


# --- the reader as "our client" ----------------------------------------------------------------


_NOT_THE_READER = (
    r"(?!['’]|\s+(?:service|services|support|care|team|teams|desk|relations|experience|"
    r"success|portal|base|list|data|records?|accounts?)\b)"
)


@lru_cache(maxsize=2)
def _our_reader(audience: str) -> re.Pattern[str]:
    """ "our client's" (the reader's, said as a third party's), "our client" as the object
    of a verb that acts on the reader ("we contacted our client"), or "the guest" after
    "for", "with", "by", "causing" or "forcing" ("the licences held by the
    client", "inconvenience for the guest, as they needed
    treatment"; "causing the customer to be charged"), with a
    "they" that follows it after a conjunction, per audience."""
    words = lexicon()
    nouns = _alt(words.words(f"request_reader_nouns_{audience}"))
    verbs = _alt(words.words("request_reader_object_verbs"))
    return re.compile(
        rf"our\s+(?P<poss>(?:{nouns})['’]s)(?![\w'’])"
        rf"|(?<![\w-])(?:{verbs})(?:s|es|d|ed|ing)?\s+(?P<obj>our\s+(?:{nouns}))\b"
        + _NOT_THE_READER
        + rf"|(?<![\w-])(?:for|with|by|causing|forcing)\s+(?P<prep>the\s+(?:{nouns}))\b"
        + _NOT_THE_READER
        + r"(?:,?\s+(?:as|because|since|when|and|but|so|after|while)\s+(?P<they>they)\b)?"
    )


def reader_as_ours(draft: Draft) -> list[Finding]:
    """The reader named as one of our clients or customers in a private letter to them
    ("which exposed our client's customer contact list" to the client), or as "the guest"
    after "for" or "with": said as "your" (or "you"). Reported as `request.third_person`,
    the rule of the reader in the third person. Not for a colleague, a public reply or a
    recipient that is a group."""
    request, text = draft.context, draft.body
    if (
        request is None
        or request.audience == "colleague"
        or draft.channel.public
        or group_recipient(request)
    ):
        return []
    audience = "client" if request.audience == "client" else "customer"
    quoted = quoted_offers(text.low, request)
    found: list[Finding] = []
    for match in _our_reader(audience).finditer(text.low):
        spans: list[tuple[int, int, str]]
        if match.start() and text.low[match.start() - 1].isalnum():
            continue  # "our" inside a word: "your client's"
        if match.group("poss") is not None:
            spans = [(match.start(), match.end("poss"), "your")]
        elif match.group("obj") is not None:
            spans = [(match.start("obj"), match.end("obj"), "you")]
        else:
            spans = [(match.start("prep"), match.end("prep"), "you")]
            if match.group("they") is not None:
                spans.append((match.start("they"), match.end("they"), "you"))
        if any(s <= spans[0][0] and spans[0][1] <= e for s, e in quoted):
            continue
        for start, end, words in spans:
            excerpt = text.text[start:end]
            if excerpt[:1].isupper():
                words = words.capitalize()
            found.append(
                finding(
                    THIRD_PERSON,
                    "error",
                    f'Speaks of the reader in the third person ("{excerpt}") in a letter '
                    "addressed to them.",
                    text.text,
                    start,
                    end,
                    f'Address the reader directly: "{words}".',
                    fix=Fix(action="replace", text=words),
                )
            )
    return found


# --- responsibility for the incident under the cautious posture -----------------------------------

# "We take full responsibility for this incident": the fault owned, not the fix. What the
# cautious posture may own is putting it right ("responsibility for putting this right").
# What responsibility is taken for: the incident ("for this", "for the error", "for what
# happened") or nothing more; not the fix ("for the fix", "for putting this right") nor a
# role ("for your account").
_INCIDENT_TARGET = (
    r"(?:\s+for\s+(?:this|that|it|what\s+happened|all\s+of\s+this|"
    r"(?:the|this|that|our|your|any)\s+(?!(?:fix|fixes|response|remedy|remedies|follow[\s-]?up|"
    r"investigation|next\s+steps|repair|repairs|recovery|clean[\s-]?up|resolution|account|"
    r"accounts|team|service|relationship|communication|support|care)\b)\w+)\b"
    r"|(?=\s*[.!?,;\n]|$))"
)
_OWNED_FAULT = re.compile(
    r"\b(?:we|i)\s+(?:(?:fully|completely|must|will|do)\s+)?"
    r"(?:take|accept|assume|have\s+taken|have\s+accepted|are\s+taking|am\s+taking|"
    r"are\s+accepting|am\s+accepting|bear)\s+"
    r"(?:(?:full|complete|total|sole|all|the)\s+)?(?:responsibility|accountability|the\s+blame|"
    rf"blame){_INCIDENT_TARGET}"
    r"|\b(?:we\s+are|we['’]re|i\s+am|i['’]m)\s+(?:(?:fully|entirely|completely|solely)\s+)?"
    rf"(?:responsible|accountable|to\s+blame|at\s+fault){_INCIDENT_TARGET}"
)

OWNED_FAULT_CUE = ("respons", "accountab", "blame", "fault")
"""`owned_fault`'s cue (see `checker.Rule.cue`): every `_OWNED_FAULT` match holds one."""


def owned_fault(draft: Draft) -> list[Finding]:
    """Under the cautious posture, responsibility taken for the incident itself ("We take
    full responsibility for this incident"): a statement of fault, and not the ownership of
    the fix that the posture's responsibility element asks for. The sentence is said again
    as the composer says responsibility under that posture; a sentence that also carries a
    caller's figure, code or date is left for the re-ask."""
    request, text = draft.context, draft.body
    if request is None or draft.liability != "cautious":
        return []
    found: list[Finding] = []
    for match in _OWNED_FAULT.finditer(text.low):
        s_start, s_end = text.sentences.bounds(match.start(), match.end())
        if any(s_start <= f.start < s_end for f in text.facts):
            fix = None
        else:
            fix = Fix(action="replace", fact="responsibility")
        found.append(
            finding(
                OWNED_FAULT,
                "error",
                "Under the cautious posture, takes responsibility for the incident itself "
                f'("{text.text[match.start() : match.end()]}") rather than for putting it '
                "right.",
                text.text,
                match.start(),
                match.end(),
                'Own the fix: "we are taking responsibility for putting this right".',
                fix=fix,
            )
        )
    return found


# --- a harm said to cause itself -------------------------------------------------------------

_HARMS = (
    "inconvenience|disruption|frustration|trouble|stress|disappointment|delay|hassle|distress|"
    "confusion|worry|annoyance|difficulty|difficulties|upset|anxiety"
)
# "this inconvenience caused you some inconvenience": a harm as the cause of itself.
_CIRCULAR = re.compile(
    rf"\b(?:this|the|that|such|any|our)\s+(?:\w+\s+)?(?P<cause>{_HARMS})\s+"
    r"(?:(?:has|have|had|may\s+have|might\s+have|could\s+have|must\s+have|will\s+have)\s+)?"
    r"(?:caused|created|brought|meant|led\s+to|resulted\s+in|put\s+you\s+through)\s+"
    r"(?:(?:you|for\s+you|to\s+you)\s+)?(?:(?:some|any|a\s+lot\s+of|a\s+great\s+deal\s+of|much|great|considerable|"
    r"significant|real|an?|the|so\s+much|such)\s+)?(?:\w+\s+)?"
    rf"(?P<effect>{_HARMS})\b"
)
_NEXT_CLAUSE = re.compile(r",\s*(?:and|but|so)\s+(?=\w)")

CIRCULAR_HARM_CUE = ("caused", "created", "brought", "meant", "led", "resulted", "put")
"""`circular_harm`'s cue (see `checker.Rule.cue`): every `_CIRCULAR` match holds one (its
verb)."""


def circular_harm(draft: Draft) -> list[Finding]:
    """A harm said to cause itself ("I understand that this inconvenience caused you some
    inconvenience"): it says nothing, and reads as a form. The clause goes when another
    clause follows it (", and I am sorry for ..."), else the sentence."""
    text = draft.body
    found: list[Finding] = []
    for match in _CIRCULAR.finditer(text.low):
        cause, effect = match.group("cause"), match.group("effect")
        if cause[:6] != effect[:6]:
            continue
        s_start, s_end = text.sentences.bounds(match.start(), match.end())
        after = _NEXT_CLAUSE.match(text.low, match.end())
        if after is not None and not text.low[s_start : match.start()].count(","):
            span, fix = (
                (s_start, after.end() + 1),
                Fix(action="replace", text=text.text[after.end()].upper()),
            )
        else:
            span, fix = (s_start, s_end), Fix(action="remove_sentence")
        found.append(
            finding(
                CIRCULAR_HARM,
                "error",
                f'Says a harm caused itself ("{text.text[match.start() : match.end()]}").',
                text.text,
                *span,
                "Say what happened to the reader in the request's words, or leave it out.",
                fix=fix,
            )
        )
    return found


# --- a remedy's kind copied as a label ---------------------------------------------------------

# "1. Expedite: The correct cups were delivered ...": the request lists each remedy as
# "kind: description", and a small model copies the kind as a label.
_KIND_LABEL = re.compile(
    r"(?m)^[ \t]*(?:\d{1,2}[.)]|[-*•])?[ \t]*(?P<label>(?i:refund|credit|discount|replacement|"
    r"expedite|service|other))[ \t]*:[ \t]+(?=\S)"
)


# "... on any ready-to-wear suit as a service.": the kind said after the remedy. Only the
# kinds that are no natural English there ("as a replacement" is).
_KIND_AFTER = re.compile(r"[ \t]+as\s+an?\s+(?P<label>service|other|expedite)(?=[.!?])")


# "Incident: Handoff Notes for Carver Account": a heading of the request's facts copied as
# the subject's label.
_SUBJECT_LABEL = re.compile(
    r"\A\s*(?:incident|scenario|summary|subject|apology|re)\s*:\s*(?=\S)", re.IGNORECASE
)


def kind_label(draft: Draft) -> list[Finding]:
    """A remedy's kind from the request used as a line's label ("Other: Collection of the
    wrong cups ...") or said after the remedy ("alterations on any suit as a service"): the
    label goes, the line keeps its words."""
    request, text = draft.context, draft.body
    labelled = draft.subject is not None and ":" in draft.subject.text
    if request is None or (":" not in text.text and " as a" not in text.low and not labelled):
        return []
    kinds = {remedy.kind for remedy in request.remedies}
    found: list[Finding] = []
    subject = draft.subject
    label = _SUBJECT_LABEL.match(subject.text) if subject is not None else None
    if subject is not None and label is not None:
        found.append(
            finding(
                KIND_LABEL,
                "error",
                f'Labels the subject line with a heading ("{label.group().strip()}").',
                subject.text,
                label.start(),
                label.end(),
                "Name the issue plainly, without a label.",
                field="subject",
                fix=Fix(action="replace", text=""),
            )
        )
    for match in _KIND_LABEL.finditer(text.text):
        if match.group("label").lower() not in kinds:
            continue
        first = text.text[match.end()]
        found.append(
            finding(
                KIND_LABEL,
                "error",
                f'Labels a line with the request\'s kind of remedy ("{match.group("label")}:").',
                text.text,
                match.start("label"),
                match.end() + 1,
                "Write the remedy as a sentence of the letter, without the request's labels.",
                fix=Fix(action="replace", text=first.upper()),
            )
        )
    for match in _KIND_AFTER.finditer(text.low):
        if match.group("label") not in kinds:
            continue
        found.append(
            finding(
                KIND_LABEL,
                "error",
                "Names the request's kind of remedy after it "
                f'("{text.text[match.start() : match.end()].strip()}").',
                text.text,
                match.start(),
                match.end(),
                "Write the remedy as a sentence of the letter, without the request's labels.",
                fix=Fix(action="replace", text=""),
            )
        )
    return found


# --- a harm the request names, called an inconvenience ---------------------------------------

_SLIGHT = r"(?:(?:great|considerable|significant|unnecessary|serious|any|some|real)\s+)?"
# "for the inconvenience caused by our cancellation", "for any inconvenience this may have
# caused", "for this inconvenience": the harm named as the thing apologised for.
_INCONVENIENCE_FOR = re.compile(
    rf"(?<=\bfor\s)(?:the|this|any|all\s+the|such)\s+{_SLIGHT}inconvenience"
    r"(?:\s+(?:(?:that|which)\s+)?(?:(?:this|it|that)\s+)?(?:(?:may|might|could)\s+have\s+|"
    r"has\s+|have\s+)?caused(?:\s+(?:to\s+)?you)?)?(?P<by>\s+by\s+(?=\w))?"
)
# "the delay and inconvenience", "the delay and the inconvenience this caused": a second harm
# word that only softens the first.
_AND_INCONVENIENCE = re.compile(
    r"\s+and\s+(?:the\s+|any\s+)?inconvenience(?:\s+(?:(?:this|it)\s+)?(?:(?:may|might|could)\s+"
    r"have\s+)?caused(?:\s+you)?)?(?=[\s.,;!?])"
)
_INCONVENIENCE = re.compile(r"\binconvenience\b")
_CLAUSE_END = re.compile(r"\s*(?:[.,;!?]|\s+and\b|\s+to\s+you\b|$)")


def _impact_told(draft: Draft) -> bool | None:
    """Whether the letter states the request's impact (half of the impact's own words,
    those the summary and cause do not also have); None when the request gives no impact
    with words of its own."""
    incident = draft.context.incident if draft.context is not None else None
    impact = incident.impact if incident is not None else None
    if incident is None or not impact:
        return None
    own = stems(impact) - stems(f"{incident.summary} {incident.cause or ''}")
    if len(own) < 2:
        return None
    return len(stems_in(draft.body.low, own)) * 2 >= len(own)


MINIMISED_HARM_CUE = ("inconvenience",)
"""`minimised_harm`'s cue (see `checker.Rule.cue`): the word it reads a letter for."""


def minimised_harm(draft: Draft) -> list[Finding]:
    """The harm the request gives (`incident.impact`: "he had to find another suit at short
    notice for his wedding") called an inconvenience in a letter that never says what it
    was. The letter gets the composer's sentence for the impact (after the apology); "the
    inconvenience caused by our cancellation" becomes "our cancellation", "any inconvenience
    this may have caused" becomes "this", and "the delay and inconvenience" "the delay". A
    letter that states the impact may still say "inconvenience" (the request's words are
    there); one whose request gives no impact is left to `non_apology.generic_inconvenience`."""
    text = draft.body
    if _impact_told(draft) is not False:
        return []
    found: list[Finding] = []
    message = (
        "Calls the harm an inconvenience and never says what it meant for the reader, "
        "which the request gives."
    )
    suggestion = "Say what happened to the reader in the request's words."
    for match in _INCONVENIENCE_FOR.finditer(text.low):
        if match.group("by"):
            fix = Fix(action="replace", text="")
        elif _CLAUSE_END.match(text.low, match.end()):
            fix = Fix(action="replace", text="this")
        else:
            continue
        found.append(
            finding(MINIMISED_HARM, "error", message, text.text, *match.span(), suggestion, fix=fix)
        )
    for match in _AND_INCONVENIENCE.finditer(text.low):
        fix = Fix(action="replace", text="")
        found.append(
            finding(MINIMISED_HARM, "error", message, text.text, *match.span(), suggestion, fix=fix)
        )
    if _INCONVENIENCE.search(text.low) is not None:
        # Where the impact is missing: at the end, apart from the wording edits above.
        end = len(text.text)
        fix = Fix(action="insert", fact="impact")
        found.append(
            finding(MINIMISED_HARM, "error", message, text.text, end, end, suggestion, fix=fix)
        )
    return found
