"""Builds a draft from the plan (plan.yaml): picks the parts whose conditions hold, words each
one from the phrase banks and the caller's own phrases, lays them out for the channel and fits
them within its limits.

A part is either a phrase-bank slot (filled by `Writer.say`) or one of the caller's facts
(`summary`, `impact`, `cause`, `remedies`, `prevention`), worded here from the caller's
phrases as read by `caller`. Limits (the request's `max_words`, a channel's word and
character counts) are met by dropping parts from the end of the letter, optional ones first,
then strategy sentences, then the caller's background facts (impact, cause); then each fact
that has a shorter wording (a remedy's compact form) takes it. Nothing is ever cut
mid-sentence: a request whose essential facts cannot fit its `max_words` raises `DoesNotFit`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property, lru_cache
from pathlib import Path

from contract.catalog import Channel, get_catalog
from contract.models import DraftRequest, Prevention, Remedy
from contract.yaml_files import read_yaml
from guardrails.remedy_status import count_stated, fraction_stated
from service.composer.caller import (
    LOWERABLE,
    Name,
    Phrase,
    active,
    addresses_reader,
    calendar_case,
    customer_accuses,
    customer_plural,
    definite,
    first_participle,
    first_person,
    indefinite,
    instruction_as,
    lower_first,
    mid,
    noun_group,
    opening_names,
    outcome_participle,
    passive,
    past_of,
    phrase,
    proper_words,
    read_name,
    ready_after,
    recase,
    said_once,
    shouted,
    tame_case,
    told_passive,
    whole,
)
from service.composer.person import (
    ROLE_NOUNS,
    Reader,
    honorific_pronoun,
    is_honorific,
    names_kin,
)
from service.composer.phrases import PhraseBankError, Picker, Situation, topics
from service.composer.shapes import DETERMINERS, EITHER, read, word_set
from service.composer.voice import (
    Voice,
    plain_caller,
    plain_commitment,
    split_long,
    voice_for,
    voiced,
)
from service.errors import InvalidRequest

PLAN_FILE = Path(__file__).parent / "plan.yaml"
PRIORITIES = ("essential", "fact", "strategy", "optional")
_DROP_ORDER = ("optional", "strategy", "fact")
# A concise voice leaves out optional sentences; the short one (the "shorten" rewrite, or a
# tight max_words) also the strategy sentences.
_DROPPED_BY_LENGTH = {
    "concise": ("optional",),
    "plain": ("optional",),
    "short": ("optional", "strategy"),
}


class DoesNotFit(InvalidRequest):
    """The request's essential facts do not fit its `max_words`, or its channel's character
    limit (HTTP 422 naming the field)."""

    def __init__(self, needed: int, limit: int, *, field: str = "max_words") -> None:
        if field == "max_words":
            message = (
                f"max_words: {limit} is too few for this request; the shortest draft that "
                f"states every remedy and prevention step takes {needed} words"
            )
        else:
            message = (
                f"{field}: the request's facts need {needed} characters even in their "
                f"shortest form, and this channel allows {limit}; shorten the remedy and "
                "prevention descriptions or choose a longer channel"
            )
        details = [{"field": field, "message": message, "type": "does_not_fit"}]
        super().__init__(message, details=details)
        self.needed = needed
        self.limit = limit
        self.field = field


@dataclass(frozen=True)
class ComposedDraft:
    """A finished draft: the subject (None where the channel has none) and the body."""

    subject: str | None
    body: str


@dataclass(frozen=True)
class ComposeOptions:
    """How a rewrite steers the composer; a plain draft uses the defaults."""

    operation: str = "none"
    extra_lines: tuple[str, ...] = ()
    """Sentences that must appear (facts a rewrite carries over from the source draft)."""


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One entry of the plan."""

    part: str
    element: str | None = None
    priority: str = "optional"
    when: tuple[str, ...] = ()
    extra: bool = False
    group: str = ""


@dataclass(frozen=True)
class Layout:
    paragraphs: tuple[tuple[str, ...], ...]
    per_paragraph: int | None = None
    end_with: str | None = None


@dataclass(frozen=True)
class Plan:
    parts: dict[str, tuple[Part, ...]]
    layouts: dict[str, Layout]


_PART_KEYS = {"part", "element", "priority", "when", "extra", "group"}


def _part(raw: object) -> Part:
    if not isinstance(raw, dict) or not isinstance(raw.get("part"), str):
        raise PhraseBankError(f"plan.yaml: every entry needs a part name: {raw!r}")
    unknown = set(raw) - _PART_KEYS
    if unknown:
        raise PhraseBankError(f"plan.yaml: {raw['part']}: unknown keys {sorted(unknown)}")
    priority = str(raw.get("priority", "optional"))
    if priority not in (*PRIORITIES, "required"):
        raise PhraseBankError(f"plan.yaml: {raw['part']}: unknown priority {priority!r}")
    return Part(
        part=raw["part"],
        element=raw.get("element"),
        priority=priority,
        when=tuple(str(c) for c in raw.get("when", [])),
        extra=bool(raw.get("extra", False)),
        group=str(raw.get("group", "")),
    )


@lru_cache(maxsize=1)
def plan() -> Plan:
    """The packaged plan, loaded once per process."""
    raw = read_yaml(PLAN_FILE, PhraseBankError)
    if not isinstance(raw, dict):
        raise PhraseBankError("plan.yaml: expected a mapping")
    layouts = {
        key: Layout(
            paragraphs=tuple(tuple(g) for g in value["paragraphs"]),
            per_paragraph=value.get("per_paragraph"),
            end_with=value.get("end_with"),
        )
        for key, value in raw.pop("layouts").items()
    }
    parts = {key: tuple(_part(p) for p in entries) for key, entries in raw.items()}
    for entries in parts.values():
        for p in entries:
            for condition in p.when:
                _condition_name(condition)  # fails on a typo at load time
    return Plan(parts=parts, layouts=layouts)


# A question's verb before "you" once the reader is "you": "Why was you" -> "Why were you".
_INVERTED = re.compile(r"\b(was|is|has|does|wasn't|isn't|hasn't|doesn't)( you)\b", re.IGNORECASE)
_INVERTED_FORMS = {"was": "were", "is": "are", "has": "have", "does": "do", "wasn't": "weren't"}
_INVERTED_FORMS |= {"isn't": "aren't", "hasn't": "haven't", "doesn't": "don't"}
_SENTENCE_START = re.compile(r"([.!?] )([a-z])")


def _a_role(match: re.Match[str]) -> str:
    """ "the customer" as "a customer", keeping a capital at the start of a sentence."""
    return ("A " if match.group(1) == "T" else "a ") + match.group(2)


_THE_ROLE = re.compile(r"\b([Tt])he (" + "|".join(sorted(ROLE_NOUNS)) + r")\b(?!-)")
"""The reader's role noun with its article ("the customer's hiking trip")."""
_ONE_PERSON = re.compile(r"\b(he|she|his|him|her|hers)\b", re.IGNORECASE)
_FACT_CONDITIONS = (
    "impact",
    "cause",
    "remedies",
    "prevention",
    "metric",
    "contact",
    "follow_up",
    "own_story",
    "done_remedy",
)
_OTHER_CONDITIONS = (
    *("cautious", "standard", "public", "private", "signoff", "told_why"),
    *("reply_reaches", "chased"),
)


def _condition_name(condition: str) -> str:
    name = condition.removeprefix("not ").removeprefix("no ")
    if name.startswith(("strategy:", "audience:")):
        return name
    if name not in (*_FACT_CONDITIONS, *_OTHER_CONDITIONS):
        raise PhraseBankError(f"plan.yaml: unknown condition {condition!r}")
    return name


# --- the writer -----------------------------------------------------------------------------


def _written_as_sentence(request: DraftRequest) -> bool:
    """A summary the caller wrote as a sentence (capital letter, full stop) reads as one."""
    summary = request.incident.summary.strip()
    return summary[:1].isupper() and summary.endswith(".") and len(summary.split()) > 3


_WHY = re.compile(
    r"^(?:why|how come)\s+(was|were|is|are|has|have|had)\s+(you|we)\s+(.+?)\?*$", re.IGNORECASE
)
_WITH_YOU = {"was": "were", "is": "are", "has": "have"}
# "Why were two people sold the same seat?": a passive question about others; its subject is
# the few words before the participle.
_WHY_PASSIVE = re.compile(
    r"^(?:why|how come)\s+(was|were|is|are|has|have|had)\s+((?:[\w'-]+\s+){1,5}?)"
    r"((?!hundred\b|need\b|speed\b)[a-z]{2,}ed|sold|sent|told|left|lost|paid|kept|made|brought|"
    r"found|put|shut|taken|given|broken|stolen|forgotten|written|chosen|hidden|shown|done|"
    r"(?:factory |hard )?reset|cut|"
    r"held|caught|bought|run|hurt)\b"
    r"\s*(.*?)\?*$",
    re.IGNORECASE,
)
_NOT_A_SUBJECT = word_set("i me my mine we our you your not never still yet it this that")
_WHY_DID = re.compile(
    r"^(?:why|how come)\s+did\s+(nobody|no one|you|we|they|it)\s+([a-z]+)\s+(.+?)\?*$",
    re.IGNORECASE,
)
_SIMPLE_PAST = {
    "come": "came",
    "go": "went",
    "get": "got",
    "give": "gave",
    "send": "sent",
    "take": "took",
    "tell": "told",
    "leave": "left",
    "make": "made",
    "ring": "rang",
    "do": "did",
    "lose": "lost",
    "forget": "forgot",
    "bring": "brought",
    "say": "said",
    "pay": "paid",
    "put": "put",
    "find": "found",
    "see": "saw",
    "have": "had",
    "sit": "sat",
    "spend": "spent",
    "hear": "heard",
    "buy": "bought",
}
_AND_BASE = re.compile(
    r"\b(and|then|or) (" + "|".join([*_SIMPLE_PAST, "wait", "arrive", "miss", "end"]) + r")\b"
)
_RHETORICAL = re.compile(
    r"^(?:how (?:is|was|can|could) (?:that|this|it) (?:be )?(?:possible|happen|be)|"
    r"how does (?:that|this) happen|what is going on|what happened|seriously|really)\W*$",
    re.IGNORECASE,
)


def _told_back(question: str) -> str:
    """A "why" question about what happened, told back as a statement ("Why were you
    charged twice?" -> "you were charged twice", "Why did nobody turn up?" -> "nobody turned
    up"); "" for any other question."""
    question = " ".join(question.split())
    match = _WHY.match(question)
    if match:
        aux, who, rest = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if who == "you":
            aux = _WITH_YOU.get(aux, aux)
        return f"{who} {aux} {rest}"
    match = _WHY_PASSIVE.match(question)
    subject = match.group(2).split() if match else []
    if match and not {w.lower() for w in subject} & _NOT_A_SUBJECT:
        aux, participle, rest = match.group(1).lower(), match.group(3), match.group(4)
        return " ".join(part for part in (*subject, aux, participle, rest) if part)
    match = _WHY_DID.match(question)
    if match:
        who, verb, rest = match.group(1).lower(), match.group(2).lower(), match.group(3)
        # "... and find someone else in the chair": the second verb is told in the past too.
        rest = _AND_BASE.sub(lambda m: f"{m[1]} {_SIMPLE_PAST.get(m[2]) or past_of(m[2])}", rest)
        return f"{who} {_SIMPLE_PAST.get(verb) or past_of(verb)} {rest}"
    return ""


def _asked(question: str) -> str:
    """A "why" question with a passive verb as the reader asked it, in reported speech:
    "Why was your phone factory reset when ...?" -> "why your phone was factory reset when
    ..."; "" for any other question (one sentence only)."""
    question = " ".join(question.split())
    if question.count("?") != 1 or not question.endswith("?"):
        return ""
    match = _WHY_PASSIVE.match(question)
    if match is None or _WHY.match(question):
        return ""
    subject = match.group(2).split()
    if {w.lower() for w in subject} & {"not", "never", "i", "we", "it", "this", "that"}:
        return ""
    aux, participle, rest = match.group(1).lower(), match.group(3), match.group(4)
    return " ".join(part for part in ("why", *subject, aux, participle, rest) if part)


def _told_statements(text: str) -> str:
    """A summary written as questions, told back as statements of what happened ("Why did
    nobody turn up for your appointment? You took the day off work." -> "Nobody turned up
    for your appointment. You took the day off work."); a question that only asks how it
    could happen is left out. "" when a question cannot be told back."""
    told = []
    for sentence in re.split(r"(?<=[.?!])\s+", " ".join(text.split())):
        if not sentence.endswith("?"):
            told.append(sentence)
            continue
        if _RHETORICAL.match(sentence):
            continue
        statement = _told_back(sentence)
        if not statement:
            return ""
        told.append(whole(statement))
    return " ".join(told)


_ONE_CLAUSE_WORDS = 30


def _bare_subject(text: str, proper: set[str]) -> bool:
    """Whether a clause opens on a bare common noun as its subject, as a note is typed
    ("ride ended but the app kept charging", "engineer never came"): its verb is the
    second word. A name, a pronoun, a plural or an -ing word is left as it is."""
    words = text.split(" ")
    if len(words) < 3:
        return False
    first, second = words[0], words[1].lower()
    if not (first.isalpha() and first.islower()) or first in proper:
        return False
    if first in DETERMINERS or first in LOWERABLE or first.endswith(("ing", "s")):
        return False
    if second in _VERB_ADVERBS:
        second = words[2].lower()  # "engineer never came": the verb is the third word
    return read(text).reason.endswith(repr(second))


_VERB_ADVERBS = frozenset({"never", "just", "still", "also", "already", "finally", "only"})


def _one_clause(text: str) -> bool:
    """Whether a summary is a single clause short enough to follow "sorry" in one sentence
    (no second sentence, no colon or semicolon, at most `_ONE_CLAUSE_WORDS` words)."""
    inner = text.rstrip(" .!")
    return (
        not re.search(r"[.!?;:]\s", inner)
        and len(inner.split()) <= _ONE_CLAUSE_WORDS
        and not inner.endswith("?")
    )


_DROPPED_SUBJECT = re.compile(
    r"^(?:had|missed|lost|spent|waited|paid|couldn't|could not|can't|cannot|didn't|did not|"
    r"wasn't|was|were|got|ended up|took|needed|went|sat|stood|drove|travelled|traveled|"
    r"arrived|cancelled|canceled|called|rang|phoned|chased|emailed|lay|slept|ate|walked|"
    r"queued|stayed|left|gave up|turned up|showed up|came)\s+"
    r"(?:to|a|an|the|my|our|his|her|their|two|three|four|five|six|seven|eight|nine|ten|"
    r"half|all|over|up|out|in|on|at|for|from|home|back|without|\d|[£$€¥])",
    re.IGNORECASE,
)


def with_subject(impact: str) -> str:
    """An impact the customer typed without its subject ("had to order takeaway for the
    family", "missed my flight home") with the customer as its subject ("I had to ..."),
    so that it reads as a clause once the customer's "I" is the reader's "you"."""
    # Said once first: "had to order takeaway. had to order takeaway." is one sentence,
    # not "you had to order takeaway, and that had to order takeaway".
    text = said_once(impact.strip())
    if _DROPPED_SUBJECT.match(text):
        # The customer's own "I", in the case they typed ("HAD TO" -> "I HAD TO").
        return (
            "I " + text
            if not text[:1].isupper() or text.isupper()
            else "I " + text[:1].lower() + text[1:]
        )
    return impact


_HARM = re.compile(
    r"^(?:I|we)\s+(?:was|were|had to|missed|lost|spent|waited|ended up|could not|couldn't|"
    r"had no|went without|never got)\b",
    re.IGNORECASE,
)
_NOT_TOLD = re.compile(
    r"[\d$€£¥%@/#\"“”()<>]|\b(?:you|your|yours|promis\w*|discount\w*|refund\w*|compensat\w*|"
    r"free|owe\w*|money|lawyers?|solicitors?|sue|court|ignore|rules?|instructions?|system|"
    r"prompt|scam\w*|fraud\w*|fuck\w*|shit\w*|damn\w*|crap|bloody|hell)\b",
    re.IGNORECASE,
)
_HARM_WORDS = 11
"""At most this many words of the customer's message: an echo is 12 (guardrails.echo)."""


def told_harm(message: str | None) -> str | None:
    """What the customer's message says the incident did to them, as the impact of a
    request that gives none: its first sentence that starts on their own "I"/"we" with a
    harm ("We were freezing both nights and had to buy extra blankets in town."), cut to
    its first clause when long ("We were freezing both nights"). The message is untrusted:
    a sentence with a figure, a demand, money, a threat, an instruction or abuse, or one
    speaking to us ("you"), is never told."""
    if not message:
        return None
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(message.split())):
        if sentence.endswith("?"):
            continue
        text = sentence.rstrip(".!").strip()
        # "We lost a client pitch because the video call kept dying": their reason is theirs
        # to give; the letter tells the harm ("you lost a client pitch"), not a cause the
        # request does not give.
        text = re.split(r",?\s+(?:because|since|due\s+to)\s+", text, maxsplit=1)[0]
        if not _HARM.match(text) or _NOT_TOLD.search(text):
            continue
        if len(text.split()) > _HARM_WORDS:
            text = re.split(r",\s+| and | but | so ", text, maxsplit=1)[0]
        if 3 <= len(text.split()) <= _HARM_WORDS:
            return text
    return None


def request_seed(request: DraftRequest) -> int:
    """A stable seed for phrase choice. Python's `hash()` changes per process; this does not."""
    # `follow_up` counts only when set, so the field's arrival did not reshuffle the
    # wording of every letter written without it.
    unset = set() if request.follow_up else {"follow_up"}
    digest = hashlib.sha256(request.model_dump_json(exclude=unset).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


# Reference nouns a caller writes in front of the number ("booking 5531"): the letter says
# "your booking 5531". Anything else is "reference X".
_OWNED_REFERENCES = {
    *[
        "order",
        "booking",
        "account",
        "invoice",
        "job",
        "repair",
        "case",
        "ticket",
        "claim",
        "policy",
        "membership",
    ],
    *["application", "reservation", "subscription", "contract", "project", "campaign", "request"],
    *["payout", "payment", "parcel", "shipment", "delivery", "appointment", "complaint", "loan"],
    *["prescription", "return", "refund", "file", "visit", "stay", "flight", "quote", "plan"],
    *["mortgage", "acct"],
}

_SELF_LABELS = {"ref", "reference", "no", "number", "id", "#", "nr", "num"}
"""The last word of a label that only says "this is a number" ("client ref", "patient ID")."""
_PERSON_LABELS = {
    *["client", "customer", "patient", "donor", "member", "supporter", "student", "pupil"],
    *["resident", "tenant", "guest", "passenger", "subscriber", "policyholder", "account-holder"],
}
"""A label naming the person the number belongs to ("donor #HT-004417")."""


def _with_bare_titles(names: Iterable[str]) -> list[str]:
    """Each name, and after it the same name with its title's full stop dropped ("Mrs. Okafor"
    is also "Mrs Okafor" in the caller's summary)."""
    out: list[str] = []
    for name in names:
        title, _, rest = name.partition(" ")
        out.append(name)
        if rest and title.endswith(".") and is_honorific(title):
            out.append(f"{title[:-1]} {rest}")
    return out


def _handle_names(name: str | None) -> set[str]:
    """The words of a social handle ("@lucy_and_biscuit" -> lucy, biscuit): names the
    reader chose, so a bare one opening a note ("biscuit was clipped") is a name."""
    if not name or not name.startswith("@"):
        return set()
    parts = re.split(r"[^a-z]+", name.lower())
    return {p for p in parts if len(p) > 2 and p not in LOWERABLE and p != "and"}


def _proper_words(w: Writer) -> set[str]:
    """Words the request writes with a capital letter outside the start of its fields (names,
    places), lower case: "Biscuit injured" is never "the Biscuit was injured"."""
    words = {x.lower() for x in w._name_words()}
    for text in w._all_text():
        for word in re.findall(r"(?<=[a-z,] )[A-Z][a-z]+", text):
            words.add(word.lower())
    return words


def _label_cased(ref: str) -> str:
    """A reference whose label words the caller typed in capitals or as a heading ("JOB
    4471-H", "PATIENT ID MVC-30917", "Case 2026-88341") reads mid-sentence in lower case:
    "job 4471-H", "patient ID MVC-30917", "case 2026-88341". Abbreviations ("PNR", "INV",
    "ID") and names keep their capitals; the number is never touched."""
    words = ref.split(" ")
    if len(words) < 2:
        return ref
    out = []
    for word in words[:-1]:
        bare = word.lower().rstrip(".:")
        common = bare in _OWNED_REFERENCES or bare in _PERSON_LABELS or bare in _SELF_LABELS
        shouted = word.isupper() and word.isalpha() and (len(word) > 3 or common)
        heading = word.istitle() and word.isalpha() and common
        keep = bare in ("id", "nr") or not (shouted or heading)
        out.append(word if keep else word.lower())
    return " ".join([*out, words[-1]])


_CODE_PREFIXES = {
    "BKG": "booking",
    "BK": "booking",
    "INC": "incident",
    "ORD": "order",
    "INV": "invoice",
    "TKT": "ticket",
    "CLM": "claim",
    "APPT": "appointment",
    "APT": "appointment",
    "RES": "reservation",
    "PO": "purchase order",
}
"""A reference code whose letters say what it is ("BKG-4471"), read before the scenario."""
_NAMED_THINGS = frozenset(
    {
        *["order", "booking", "appointment", "reservation", "parcel", "shipment", "claim"],
        *["application", "policy", "subscription", "invoice", "account", "prescription"],
        *["repair", "flight", "stay", "delivery", "contract", "project", "campaign"],
        *["membership", "complaint"],
    }
)
"""Things a reference may number, as the summary names them."""
_BOOKED_THINGS = word_set(
    "sailing crossing ferry journey trip cruise voyage tour concert suite seat lesson slot"
)
"""Things a reference numbers the reader's booking for: a sailing's reference is a booking."""
_TRAIN_TRIP = re.compile(
    r"\btrains? (?:tickets?|fares?|journeys?|trips?|seats?|from|to|service|was|were|is|left|"
    r"departed|arrived|got|ran)\b|\b(?:by|on the|on your|missed the|missed your) (?:[\w:.-]+ )?"
    r"train\b|\b\d{1,2}[:.]\d{2} (?:\w+ )?train\b",
    re.IGNORECASE,
)
"""A train the reader travels on ("your train from York", "the 07:15 train"), not a toy
train set: its reference is a booking."""
_TRADE_WORDS = word_set("plumber electrician locksmith lockout callout roofer glazier handyman")
"""A tradesperson's visit: its reference is the job's ("your job KF/7731"), not an order."""
_NUMBERED = re.compile(r"\b([a-z]+)\s+(?:no\.?\s*|number\s+|#)?(?=[a-z]{0,4}\s?\d)")
"""A thing the summary gives its own number ("flight SV 412", "order no. 5531")."""
_EVENT_REFERENCES = {
    *["order", "booking", "job", "repair", "delivery", "appointment", "stay", "flight"],
    *["visit", "reservation", "shipment", "parcel", "project", "campaign", "application"],
    *["claim", "return", "refund", "payout", "payment", "prescription", "request"],
}


@dataclass
class Line:
    """One part's sentence(s) in the draft, with what fitting may do to it."""

    text: str
    part: Part
    shorter: list[str] = field(default_factory=list)
    """Shorter wordings of the same facts, tried in order when a limit is not met."""
    squeezed: str | None = None
    """A wording without the caller's words (a generic prevention line, an acknowledgment
    without the summary), only for a channel's character limit."""
    step: Prevention | None = None
    """The prevention step a prevention line states."""
    alone: str | None = None
    """A later prevention step's shortest sentence with the first step's lead-in, for when it
    is the only step a tight limit leaves room for ("To prevent a repeat, ...", not
    "Also, ...")."""


_FORMAL_FAMILY = {"mum": "mother", "mom": "mother", "mummy": "mother", "dad": "father"}
_WE_FORMS = {"was": "were", "is": "are", "has": "have", "wasn't": "weren't", "isn't": "aren't"}


def _org_as_we(text: str, org: str | None) -> str:
    """A caller phrase whose subject is the sender's own organisation, said as "we":
    "Ledgerline sent every invoice twice" -> "We sent ...", "Lumaflix was down" -> "We were
    down", "Ledgerline's portal" -> "Our portal". Left alone where the verb's form for "we"
    is not sure ("Ledgerline sends ...")."""
    if not org or len(org) < 3 or not text.startswith((f"{org} ", f"{org}'s ", f"{org}’s ")):
        return text
    rest = text[len(org) :]
    if rest[:1] in "'’":
        return "Our " + rest.split(" ", 1)[1]
    verb, _, tail = rest.strip().partition(" ")
    low = verb.lower()
    if low in _WE_FORMS:
        return f"We {_WE_FORMS[low]} {tail}".rstrip()
    if low.endswith("ed") or low in _PAST_VERBS:
        return "We" + rest
    return text


_PAST_VERBS = word_set(
    "sent made lost kept paid told sold held put set cut let spent led won said took gave "
    "ran went came broke forgot left missed"
)
_FAMILY = re.compile(r"\b(my|your|our|his|her) (mum|mom|mummy|dad)\b", re.IGNORECASE)
"""A parent as the customer calls them, said as a formal letter would."""


_LEAD_WORDS = word_set("off of on towards toward against per")


def amounts_led(request: DraftRequest) -> DraftRequest:
    """The request with each remedy that the caller wrote as what its amount applies to
    ("off the final invoice" for "15 percent", "towards your next rental" for "CHF 20")
    written whole ("15 percent off the final invoice"): no frame reads the amount's
    complement as a thing or an action ("we've offed the final invoice")."""
    changed = False
    remedies = []
    for remedy in request.remedies:
        words = remedy.description.strip().split(" ", 1)
        money = remedy.amount is not None and _MONEY_AMOUNT.fullmatch(remedy.amount.strip())
        if (
            remedy.amount
            and len(words) == 2
            and (
                words[0].lower() in _LEAD_WORDS
                or (money and words[0].lower() == "credit" and _credit_towards(words[1]))
            )
            and not amount_said(remedy.amount, remedy.description)
        ):
            # "credit towards your next rental" + "CHF 20": "CHF 20 credit towards ...".
            lead = words[0].lower()
            if remedy.kind == "credit" and money and lead == "off":
                lead = "against"  # "credited $2,400.00 against the day-two invoice"
            text = f"{remedy.amount} {lead} {words[1]}"
            if lead == "against" and remedy.status == "offered":
                text = f"a {remedy.amount} credit against {words[1]}"  # offered as a credit
            if (
                remedy.kind == "credit"
                and words[0].lower() in _LEAD_WORDS
                and not (money and words[0].lower() == "off")
            ):
                # A credit typed as a discount ("off your next invoice" + "15 percent")
                # still says it is a credit: "a credit of 15 percent off your next invoice".
                text = f"a credit of {text}"
            remedy = remedy.model_copy(update={"description": text})
            changed = True
        elif _one_word_with_amount(remedy):
            # "Voucher" + "£15": "a £15 voucher", not "a voucher (£15)"; "Credit" + "10" (no
            # unit): "a credit of 10", not "the credit (10)".
            word = remedy.description.strip(" .!").lower()
            amount = (remedy.amount or "").strip()
            if _MONEY_AMOUNT.fullmatch(amount):
                text = f"{amount} {word}"
            elif _PERCENT_AMOUNT.fullmatch(amount):
                text = f"a {amount} {word}"
            else:
                text = f"{word} of {amount}"
            remedy = remedy.model_copy(update={"description": text})
            changed = True
        elif _bare_one_word(remedy):
            # "Replacement" alone: "I have sent you a replacement", not "the replacement",
            # which reads as one the reader already knows about.
            word = remedy.description.strip(" .!").lower()
            text = ("an " if word[0] in "aeiou" else "a ") + word
            remedy = remedy.model_copy(update={"description": text})
            changed = True
        elif _for_what(remedy):
            # "for the trouble" + "£25" on a credit: "a £25 credit for the trouble", never
            # "we've added the for the trouble (£25)".
            noun = _FOR_NOUNS[remedy.kind]
            amount = (remedy.amount or "").strip()
            lead = f"{amount} {noun}" if amount else noun
            if re.search(r"[a-z]s$", amount):
                lead = f"{noun} of {amount}"  # "a credit of 50 pounds", not "a 50 pounds credit"
            text = ("an " if lead[0] in "aeiou8" else "a ") + f"{lead} {mid(remedy.description)}"
            remedy = remedy.model_copy(update={"description": text})
            changed = True
        elif _credit_for(remedy):
            # A credit of money named by what it makes up for ("three days of service" +
            # "CHF 20"): "a CHF 20 credit for three days of service", so the letter says it
            # is a credit and of how much, not "added three days of service (CHF 20)".
            text = f"a {(remedy.amount or '').strip()} credit for {mid(remedy.description)}"
            remedy = remedy.model_copy(update={"description": text})
            changed = True
        elif _discount_on(remedy):
            # A discount named by what it applies to ("your next cleaning" + "CHF 20"):
            # "CHF 20 off your next cleaning", never "we'd like to offer you your next
            # cleaning (CHF 20)", which gives the cleaning away.
            text = f"{remedy.amount} off {mid(remedy.description)}"
            remedy = remedy.model_copy(update={"description": text})
            changed = True
        remedies.append(remedy)
    return request.model_copy(update={"remedies": remedies}) if changed else request


_DISCOUNT_SAID = re.compile(
    r"\b(?:off|discount(?:s|ed)?|reduc(?:ed|tion)|cheaper|less|half|price|rate|free|waived?|"
    r"no\s+(?:charge|fee|cost))\b",
    re.IGNORECASE,
)


_ONE_WORD_THINGS = word_set(
    "refund credit voucher discount rebate reimbursement compensation payment"
)
_BARE_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_PERCENT_AMOUNT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|percent|per cent)", re.IGNORECASE)


def _one_word_with_amount(remedy: Remedy) -> bool:
    """Whether a remedy is one word naming a sum ("Voucher", "Refund.") with an amount that
    is money, a percentage or a bare number: the amount reads as part of it."""
    word = remedy.description.strip(" .!").lower()
    amount = (remedy.amount or "").strip()
    return (
        word in _ONE_WORD_THINGS
        and bool(amount)
        and not amount_said(amount, remedy.description)
        and any(p.fullmatch(amount) for p in (_MONEY_AMOUNT, _BARE_NUMBER, _PERCENT_AMOUNT))
    )


def _bare_one_word(remedy: Remedy) -> bool:
    """Whether a remedy with no amount is one word naming what it gives ("Replacement")."""
    word = remedy.description.strip(" .!").lower()
    return remedy.amount is None and word in _ONE_WORD_THINGS | {"replacement"}


def _discount_on(remedy: Remedy) -> bool:
    """Whether a discount with an amount is described only by what it applies to ("your
    next cleaning", "next month's bill"): no word of its own says it is a discount."""
    return (
        remedy.kind == "discount"
        and remedy.amount is not None
        and len(remedy.description.split()) > 1
        and not amount_said(remedy.amount, remedy.description)
        and _DISCOUNT_SAID.search(remedy.description) is None
    )


_FOR_NOUNS = {"refund": "refund", "credit": "credit", "discount": "discount"}
_FOR_LEAD = re.compile(r"^(?:for|to cover|to make up for|as compensation for)\s+\S", re.IGNORECASE)


def _for_what(remedy: Remedy) -> bool:
    """Whether a refund, credit or discount is described only by what it is for ("for the
    trouble", "to cover the taxi"): the remedy's own noun goes in front of it."""
    return remedy.kind in _FOR_NOUNS and _FOR_LEAD.match(remedy.description.strip()) is not None


_CREDIT_SAID = re.compile(
    r"\b(?:credits?|credited|vouchers?|refunds?|discounts?|off|gift\s+cards?|points?|"
    r"compensation|allowance|rebates?)\b",
    re.IGNORECASE,
)


def _credit_for(remedy: Remedy) -> bool:
    """Whether a credit of money is described by what it makes up for, with no word saying
    it is a credit or naming money we took back ("three days of service", not "three
    months' storage fees" or "a rent credit")."""
    amount = (remedy.amount or "").strip()
    text = remedy.description
    return (
        remedy.kind == "credit"
        and bool(_MONEY_AMOUNT.fullmatch(amount))
        and len(text.split()) > 1
        and not amount_said(amount, text)
        and _CREDIT_SAID.search(text) is None
        and _CHARGE.search(text.lower()) is None
        and phrase(text).shape == "noun"
    )


def _credit_towards(rest: str) -> bool:
    """Whether the words after "credit" say what it goes towards ("towards your next
    rental", "against the next invoice") or is a credit note, so the amount reads in front
    ("CHF 20 credit towards ..."); "credit of this month's fee" names what the credit is,
    and its amount stays in brackets after it."""
    return rest.split(" ", 1)[0].lower() in _CREDIT_TO


_CREDIT_TO = word_set("towards toward against on for to off note")
"""Words after "credit" that read after its amount ("USD 4,800 credit note for ...")."""


_MONEY_AMOUNT = re.compile(
    r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s?\d[\d,]*(?:\.\d+)?|"
    r"\d[\d,]*(?:\.\d+)?\s?(?:[$€£¥]|USD|EUR|GBP|CHF|CAD|AUD|JPY)"
)
"""An amount of money, in any of the notations callers use."""
_FOUND = re.compile(
    r"\b(?:was|were|had been|has been|have been) (?:found|discovered|identified|detected|spotted)\b"
)
_CAUSE_LEAD = re.compile(
    r"^(?:(?:this|it)\s+(?:was|is|happened)\s+)?(?:(?:caused|triggered)\s+by|due\s+to|"
    r"because\s+of|owing\s+to|as\s+a\s+result\s+of|the\s+result\s+of|down\s+to|"
    r"because)\s+(?=\S)",
    re.IGNORECASE,
)


_UNKNOWN_CAUSE = re.compile(
    r"(?:(?:still\s+|currently\s+)?(?:under|being)\s+investigat\w*|unknown|not\s+(?:yet\s+)?known"
    r"|tbc|tbd|n/?a|none|still\s+investigating|(?:we\s+are\s+)?investigating|to\s+be\s+confirmed"
    r"|not\s+(?:yet\s+)?(?:confirmed|determined|established))[.!]?",
    re.IGNORECASE,
)


def _unknown_cause_dropped(request: DraftRequest) -> DraftRequest:
    """A cause field that only says the cause is not known yet ("under investigation",
    "TBC") is no cause: the letter says so in its own words instead of printing the note."""
    cause = request.incident.cause
    if cause is None or not _UNKNOWN_CAUSE.fullmatch(cause.strip()):
        return request
    incident = request.incident.model_copy(update={"cause": None})
    return request.model_copy(update={"incident": incident})


_SURE_REF_NOUNS = frozenset({"order", "invoice"})


def bare_cause(cause: str) -> str:
    """The cause without the caller's own "caused by" or "because" ("Caused by a tax-code
    update that our import skipped." -> "a tax-code update that our import skipped."): every
    cause frame says why in its own words ("This happened because of ...", "The cause
    was ..."), and "The cause was caused by" says it twice."""
    text = " ".join(cause.split())
    match = _CAUSE_LEAD.match(text)
    if match is None or len(text[match.end() :].split()) < 2:
        return cause
    return text[match.end() :]


_SMALL_WORDS = word_set("of the and for at on in to a an by with &")


def _sender_cased(request: DraftRequest) -> DraftRequest:
    """The sender's name, title and organisation typed all in lower case ("dave mcintyre",
    "membership secretary", "riverside tennis club") signed in title case, as a name is."""

    def cased(text: str | None) -> str | None:
        if not text or not text.islower() or "@" in text or "." in text.split()[-1]:
            return text
        words = text.split()
        return " ".join(
            w
            if i and w in _SMALL_WORDS
            else ("Mc" + w[2:3].upper() + w[3:] if w.startswith("mc") and len(w) > 3 else "")
            or w[:1].upper() + w[1:]
            for i, w in enumerate(words)
        )

    sender = request.sender
    update = {k: cased(getattr(sender, k)) for k in ("name", "title", "organization")}
    if all(update[k] == getattr(sender, k) for k in update):
        return request
    return request.model_copy(update={"sender": sender.model_copy(update=update)})


class Writer:
    """Words the parts of one request's draft, in its voice."""

    def __init__(self, request: DraftRequest, channel: Channel, voice: Voice) -> None:
        seed = request_seed(request)  # the caller's request, as typed, picks the wording
        self.typed_remedies = request.remedies
        request = _sender_cased(amounts_led(_unknown_cause_dropped(request)))
        self.request = request
        self.channel = channel
        self.voice = voice
        self.public = channel.public
        self.name: Name | None = None if self.public else read_name(request.recipient.name)
        self.group = self.name is not None and self.name.group  # "parents of Year 8"
        self.reader = self._reader()
        inc = request.incident
        texts = self._all_text()
        self.proper = proper_words(texts) | opening_names(texts) | self._name_words()
        self.own_case = self._own_case()
        # A summary in the first person is the customer's own words, unless it speaks to
        # or about the reader ("I didn't send Rosa the notes"): then it is the sender's.
        about_reader = addresses_reader(self.reader.address(inc.summary), possessive=False)
        about_reader = about_reader and not customer_accuses(tame_case(inc.summary))
        shouting_us = customer_plural(tame_case(inc.summary))  # "YOU CHARGED OUR TEAM"
        own_words = (shouting_us or not about_reader) and request.audience != "colleague"
        self.summary = self._phrase(inc.summary, customer=own_words)
        self.cause = self._phrase(bare_cause(inc.cause)) if inc.cause else None
        # No impact given: what the customer's own message says it did to them, where one
        # short sentence says it plainly ("We were freezing both nights ...").
        impact = with_subject(inc.impact) if inc.impact else told_harm(inc.customer_message)
        self.impact = self._phrase(impact, customer=True, impact=True) if impact else None
        self.values = self._values()
        self.picker = Picker(
            seed=seed,
            where=Situation(
                register=voice.register,
                tone=voice.tone,
                audience="public" if self.public else request.audience,
                posture=request.liability,
                channel=channel.key,
                prefer_tone=voice.brand,
                prefer_plain=voice.plain,
                # A chat reply is typed in short bursts: its shortest wording of each part.
                prefer_short=voice.length in ("short", "concise")
                or (channel.key == "chat" and voice.length != "long")
                or voice.plain,
                prefer_long=voice.length == "long",
                length=voice.length,
                # An SMS is signed "- {org}": it speaks as the organisation ("we"), so
                # that "I've added ..." never sits above an organisation's sign-off.
                personal=bool(request.sender.name)
                and not (
                    channel.key == "sms"
                    and request.sender.organization
                    and request.audience != "colleague"
                ),
            ),
        )

    # -- the caller's phrases

    def _reader(self) -> Reader:
        if self.public or self.name is None or self.name.group:
            # A social reply answers one person in public: "the customer" is still "you".
            social = self.channel.key == "social"
            return Reader(roles=("customer", "client") if social or not self.public else ())
        names = tuple(
            dict.fromkeys(_with_bare_titles(n for n in (self.name.full, self.name.first) if n))
        )
        if self.request.audience == "colleague":
            return Reader(names=names).learn_from(self._all_text(prevention=False))
        summary = self.request.incident.summary
        titled = honorific_pronoun(self.request.recipient.name)
        reader = Reader(names=names, roles=("customer", "client"), titled=titled)
        # The role noun the caller uses for the reader ("Call the patient back"), wherever
        # it appears.
        # A prevention step is how we work for everyone: its role nouns ("scanned against
        # the patient file") do not name the reader.
        # A summary that already speaks to the reader ("your father's estate") leaves a
        # role noun only the impact names ("the buyer may withdraw") to someone else.
        told = self._all_text(prevention=False)
        if addresses_reader(summary, possessive=True):
            told = [t for t in told if t != (self.request.incident.impact or "")]
        reader = reader.with_role_of(" ".join(told)).with_plural_role(summary)
        # "We closed your son's account ... his birthday money was sent back", to Mr Patel:
        # the summary speaks to him as "you", so "his" is the son's.
        if not (addresses_reader(summary, possessive=True) and names_kin(" ".join(told), titled)):
            reader = reader.learn(self.request.incident.impact).learn(summary)
            for remedy in self.request.remedies:  # "Call the patient to go through her results"
                reader = reader.learn(remedy.description)
            reader = reader.learn_from(self._all_text(prevention=False))
        if self.request.audience == "client":
            reader = replace(reader, team=True)
        return reader

    def _group_as_you(self, text: str) -> str:
        """A phrase that opens on the group the letter is written to, told to them:
        "Friends lost the reserved seats they had held" to the Friends of the Philharmonic
        is "you lost the reserved seats you had held"."""
        name = self.name
        if name is None or not name.group or self.public:
            return text
        head = name.full.split(" ", 1)[0].lower()
        if head in ("everyone", "everybody"):
            return text
        opening = re.match(rf"(?:the\s+)?{re.escape(head)}\s+(?=[a-z])", text, re.IGNORECASE)
        if opening is None:
            return text
        rest = _THEY.sub(lambda m: _THEY_FORMS[m.group(1).lower()], text[opening.end() :])
        return "you " + rest

    def _all_text(self, *, prevention: bool = True) -> list[str]:
        req, inc = self.request, self.request.incident
        texts = [inc.summary, inc.cause or "", inc.impact or ""]
        texts += [r.description for r in req.remedies]
        return texts + [p.description for p in req.prevention] if prevention else texts

    def _own_case(self) -> dict[str, str]:
        """Words the request writes in their own case where it is not shouting (names,
        places, acronyms), to restore in a phrase it shouts; not words it also writes in
        lower case ("Little Acorns Nursery" does not make every "nursery" a name)."""
        texts = [t for t in self._all_text() if t and not shouted(t)]
        lower = {w for t in texts for w in re.findall(r"\b[a-z][\w'’-]*", t)}
        acronyms = {w for t in texts for w in re.findall(r"\b[A-Z]{2,}\b", t)}
        known = {w for w in self.proper | acronyms if w.lower() not in lower}
        return {w.lower(): w for w in known if w.lower() not in LOWERABLE}

    def _name_words(self) -> frozenset[str]:
        req = self.request
        names = [req.recipient.name, req.recipient.organization, req.sender.name]
        names += [req.sender.organization]
        # "Brightframe Windows Ltd": the possessive "'s" goes, never a name's own final s.
        words = (re.sub(r"['’]s$", "", w).strip(".,'’") for n in names if n for w in n.split())
        return frozenset(w for w in words if w)

    def phrase(
        self, text: str, *, customer: bool = False, impact: bool = False, everyone: bool = False
    ) -> Phrase:
        """A caller phrase as this letter uses it: case tamed, its first word in lower case
        unless it is a name, the reader (and, when `customer`, the customer's "I") as
        "you". Under `simplify` a few long words become short ones ("complimentary" ->
        "free"), commitments included."""
        if self.voice.plain:
            text = plain_commitment(text)
        if self.voice.register == "formal":
            # "my mum went two days without her tablets" in a formal letter: "your mother".
            text = _FAMILY.sub(lambda m: f"{m.group(1)} {_FORMAL_FAMILY[m.group(2).lower()]}", text)
        text = _org_as_we(text, self.request.sender.organization)
        read = phrase(text, to_reader=customer, their_we=impact)
        # A prevention step is how we work for `everyone`: its "the customer" is every
        # customer ("checked by phone with the customer"), never "you". A client's own
        # account is one relationship: "the client signs off targeting" is this reader.
        own = ("client",) if self.request.audience == "client" else ()
        reader = replace(self.reader, roles=own) if everyone else self.reader
        addressed = _INVERTED.sub(
            lambda m: _INVERTED_FORMS[m.group(1).lower()] + m.group(2),
            reader.address(read.text),
        )
        addressed = self._group_as_you(addressed)
        if shouted(text):
            addressed = recase(addressed, self.own_case)
        else:
            # A word in capitals lowered as stress ("was LATE") that is a name in the
            # request ("ACME Freight") keeps its capitals: "the ACME order".
            named = {w.lower(): w for w in self._name_words() if w.isupper() and len(w) > 3}
            addressed = recase(addressed, named)
        return Phrase(lower_first(addressed, self.proper), read.shape, read.own_verb)

    def _private_words(self) -> list[str]:
        req = self.request
        words = [req.incident.reference or ""]
        named = read_name(req.recipient.name)
        if named is not None and not named.group:  # "residents of Millbrook" is no one's name
            name = req.recipient.name or ""
            words += [w for w in name.split() if len(w) > 2 and w[0].isupper()]
        return [w for w in words if w]

    def _phrase(self, text: str, *, customer: bool = False, impact: bool = False) -> Phrase | None:
        """A caller phrase for this draft, or None where a public draft must leave it out
        (it names the reader or the reference, or tells one customer's story)."""
        if self.public:
            lowered = text.lower()
            if any(w.lower() in lowered for w in self._private_words()):
                return None
            one_story = first_person(text) or _ONE_PERSON.search(text)
            if customer and one_story and self.channel.key != "social":
                return None  # a public statement does not tell one customer's story
            if self.channel.key == "social":
                # A public reply to that one person: their story, without the figures.
                text = _PUBLIC_FIGURE.sub("", text)
                text = re.sub(r"\s{2,}", " ", text).strip()
            else:
                # A statement to everyone speaks of customers generally: "the jacket
                # missed a customer's hiking trip", not "the customer's".
                text = _THE_ROLE.sub(_a_role, text)
        if self.voice.plain:
            # The background in everyday words where the meaning is certain; remedies and
            # prevention steps, which are commitments, keep the caller's words.
            text = plain_caller(text)
        return self.phrase(text, customer=customer, impact=impact)

    def _ref_phrase(self) -> str:
        ref = self.request.incident.reference
        if not ref or self.public:
            return ""
        ref = _label_cased(ref)
        head = ref.split(" ", 1)[0].lower()
        owner = "" if self.request.audience == "colleague" else "your "
        if " " in ref:
            # "service ticket MV-0937": the words before the number name what it is.
            label = [w.lower() for w in ref.split(" ")[:-1]]
            if label[0] in ("our", "my", "your"):
                # "our ref HM/FAIR/0233" is the firm's; the customer's "my order 55" is theirs.
                rest = ref.split(" ", 1)[1]
                if label[0] == "our":
                    # Our own number names no thing of theirs: "your case under our ref
                    # RO/2024/5519", never "I am writing about our ref RO/2024/5519".
                    return f"{owner or 'the '}case under our {rest}"
                return f"{owner or 'the '}{rest}"
            if (
                label[-1].rstrip(".:") in _SELF_LABELS
                and len(label) > 1
                and all(w in _OWNED_REFERENCES for w in label[:-1])
            ):
                # "Job no. CV/2291", "order ref 5531": the thing is theirs, numbered.
                return f"{owner or 'the '}{ref}"
            if len(label) == 1 and label[0] in _PERSON_LABELS:
                # "MEMBER 40-2216", "donor #HT-004417": the label names the reader, so the
                # number is theirs as that person: "your member number 40-2216".
                number = ref.split(" ", 1)[1]
                return f"{owner or 'the '}{label[0]} number {number.lstrip('#')}"
            if label[-1].rstrip(".:") in _SELF_LABELS and set(label[:-1]) <= _PERSON_LABELS:
                # "client ref CV/DESH/2025", "patient ID MVC-30917": their number as that
                # person, "your patient ID MVC-30917".
                return f"{owner or 'the '}{ref}"
            if label[-1].rstrip(".:") in _SELF_LABELS:
                # "booking desk ref 4471": the label names the number, not a thing of
                # theirs: "your case under booking desk ref 4471".
                return f"{owner or 'the '}case under {ref}"
            coded = _CODE_PREFIXES.get(ref.split(" ", 1)[0].upper(), "")
            if len(label) == 1 and coded and coded != "incident":
                # "INV 2026/0917" is an invoice: "your invoice INV 2026/0917".
                return f"{owner}{coded} {ref}"
            owned = head in _OWNED_REFERENCES or (
                label and label[-1] in _OWNED_REFERENCES and all(w.isalpha() for w in label)
            )
            if owned:
                return f"{owner}{ref}"
            named = all(w.isalpha() for w in label) and len("".join(label)) > 3
            if named and not set(label) & (ROLE_NOUNS | {"applicant", "candidate"}):
                # "payroll run OCT-2024-NG": the caller's own name for it, not claimed as
                # the reader's; an abbreviation ("PNR") or a role ("client") stays a reference.
                # One word ("acct 55-0193", "install SR-30117") is the reader's own thing:
                # "your acct 55-0193", never "the acct 55-0193".
                return f"{owner}{ref}" if len(label) == 1 else f"the {ref}"
            return f"reference {ref}"
        prefix = re.match(r"#?([A-Za-z]+)", ref)
        code_noun = _CODE_PREFIXES.get(prefix.group(1).upper(), "") if prefix else ""
        if code_noun:
            # "BKG-4471" is a booking, "INC-5520" an incident, whatever the scenario.
            return f"{'' if code_noun == 'incident' else owner}{code_noun} {ref}"
        if ref.startswith("#"):
            # "#LB-20931" is the caller's own number for the case; nothing says it is an
            # account or an order, so it is not given the scenario's noun.
            return f"reference {ref}"
        noun = self._named_thing() or self._stock_noun()
        return f"{owner}{noun} {ref}" if noun and noun != "reference" else f"reference {ref}"

    def _stock_noun(self) -> str:
        """The scenario's noun for a reference: an order or an invoice as it says, any other
        ("project", "account", "contract") only where the request's own words use it, since a
        payroll run is not a project nor a complaint an account."""
        noun = str(topics().get(self.request.scenario, {}).get("ref_noun", ""))
        if noun in _SURE_REF_NOUNS:
            return noun
        said = " ".join(self._all_text()).lower()
        return noun if noun and re.search(rf"\b{noun}s?\b", said) else ""

    def _named_thing(self) -> str:
        """What the summary itself says the reference is for ("your parcel was marked as
        delivered" -> "parcel"), before the scenario's stock noun ("order"): a courier's
        parcel is not an order, a dental appointment is not an invoice."""
        summary = self.request.incident.summary.lower()
        words = re.findall(r"[a-z]+", summary)
        # "flight SV 412", "order 5531": a thing the summary numbers itself is not what the
        # reference numbers ("your flight MANSV12345" for a baggage file).
        numbered = {m.group(1) for m in _NUMBERED.finditer(summary)}
        named = next((word for word in words if word in _NAMED_THINGS - numbered), "")
        if named or numbered & _NAMED_THINGS:
            return named or "reference"
        if set(words) & _BOOKED_THINGS or _TRAIN_TRIP.search(summary):
            return "booking"
        if {"ordered", "bought", "purchased"} & set(words):
            return "order"  # "the train set you ordered": your order FL-20931
        return "job" if set(words) & _TRADE_WORDS else ""

    def _ref_owned(self) -> str:
        """The reference for "We should have handled {ref_owned} better": only something
        that goes well or badly (an order, a booking, a repair), not a file or a policy."""
        ref = self._ref_phrase()
        words = ref.split(" ")
        if ref.startswith("your ") and len(words) > 2 and words[1].lower() in _EVENT_REFERENCES:
            return ref
        return ""

    def _values(self) -> dict[str, str]:
        req, s = self.request, self.summary
        entry = topics().get(req.scenario, {})
        topic = entry.get("topic", "")
        values = {
            "topic": topic,
            "ref_phrase": self._ref_phrase(),
            "ref_owned": self._ref_owned(),
            "reference": "" if self.public else req.incident.reference or "",
            "summary": "",
            "summary_np": "",
            "summary_mid": "",
            "summary_question": "",
            "summary_asked": "",
            "summary_that": "",
            "first_name": self.name.first if self.name else "",
            # A group ("parents of the Tuesday Tigers group") is not greeted by name in a
            # text: "We are very sorry, everyone."
            "everyone": "everyone" if self.name and self.name.group else "",
            "full_name": self.name.formal if self.name else "",
            "recipient_org": req.recipient.organization or "",
            "org": req.sender.organization or "",
            # Health, safety or a data breach: a sober letter, not a shop's goodwill one
            # (variants with `requires_no: [grave]` are left out).
            "grave": "yes" if grave(req) else "",
            # A remedy already done: a public reply no longer offers to "look into it".
            "done_remedy": "yes" if any(r.status == "done" for r in req.remedies) else "",
            "none_done": "" if any(r.status == "done" for r in req.remedies) else "yes",
            # What a public reply offers when the offer's own words cannot be said there.
            "offer_kind": next(
                (_OFFER_KINDS.get(r.kind, "") for r in req.remedies if r.status != "done"), ""
            ),
            # A text is signed by whoever speaks in it: a named colleague writes "I" and
            # signs with their name; otherwise the organisation writes "we" and signs.
            "sms_signer": req.sender.name
            if req.sender.name and req.audience == "colleague"
            else (req.sender.organization or ""),
            # A public text gives a phone number or a web address, never a mailbox.
            "contact": ""
            if self.public and "@" in (req.sender.contact or "")
            else (req.sender.contact or ""),
        }
        if s is not None:
            statements = _told_statements(s.text) if s.shape == "question" else ""
            if statements:
                # "Why did nobody turn up ...? You took the day off." is told back as what
                # happened, never asked again in our voice.
                values["summary"] = statements[:1].upper() + statements[1:]
                values["summary_mid"] = mid(statements)
            elif s.shape == "question":
                values["summary_question"] = s.sentence
                told = _told_back(s.text)
                if told:  # "Why were you charged for a seat ...?" -> "you were charged ..."
                    values["summary_mid"] = told
                # "Why was your phone factory reset ...?" -> "You asked why your phone was
                # factory reset ...", not the question read back at the reader.
                values["summary_asked"] = _asked(s.text)
            elif (
                s.shape == "noun"
                and not s.own_verb
                and not (_written_as_sentence(req) and len(s.text.split()) > 3)
            ):
                # A one-word summary typed as a sentence ("OVERBOOKING.", even repeated to the
                # field's maximum) is still a noun: "About what happened with the overbooking."
                values["summary_np"] = definite(s.text)
                values["summary_mid"] = definite(s.text)
            elif s.shape == "noun" and s.own_verb and told_passive(s.text):
                # "500 business cards printed with the old number" is a fragment: told as
                # "500 business cards were printed with the old number".
                told = told_passive(s.text) or ""
                first = told.split(" ", 1)[0]
                if told[:1].isdigit() and len(noun_group(told)) > 1:
                    told = "the " + told  # a sentence does not start on a figure
                elif (
                    first.lower() not in DETERMINERS
                    and " was " in told
                    and first.isalpha()
                    and (first.islower() or first.lower() not in _proper_words(self))
                ):
                    told = "the " + told  # "spin class cancelled": "The spin class was ..."
                values["summary"] = whole(told)
                values["summary_mid"] = mid(told)
            elif s.shape == "participle":
                who = "people were " if self.public else "you were "
                values["summary"] = whole(who + mid(s.text))
                values["summary_mid"] = who + mid(s.text)
            else:
                typed = req.incident.summary.strip()
                note = typed[:1].islower() or shouted(typed)  # not typed as a sentence
                head, _, tail = s.inner.partition(" ")
                if s.shape == "clause" and note and head in _handle_names(req.recipient.name):
                    # "biscuit was clipped short" to @lucy_and_biscuit: Biscuit is a name.
                    s = Phrase(f"{head.capitalize()} {tail}", s.shape, s.own_verb)
                elif s.shape == "clause" and note and _bare_subject(s.inner, _proper_words(self)):
                    # "RIDE ENDED BUT THE APP KEPT CHARGING": "The ride ended ...", while
                    # "Water came through the ceiling" was typed as a sentence and stays.
                    s = Phrase("the " + s.inner, s.shape, s.own_verb)
                values["summary"] = s.sentence
                values["summary_mid"] = s.inner
                if s.shape == "clause" and _one_clause(s.inner):
                    # One clause reads after "sorry": "We're so sorry the 07:15 sailing
                    # was cancelled and nobody told you."
                    values["summary_that"] = s.inner
        values.update(self._shaped("impact", self.impact))
        cause = self.cause
        if (
            cause is not None
            and cause.shape == "clause"
            and _bare_subject(cause.inner, _proper_words(self))
        ):
            # "driver got assigned two orders at once": "We found that the driver got ...".
            cause = Phrase("the " + cause.inner, cause.shape, cause.own_verb)
        values.update(self._shaped("cause", cause))
        # "a structural fault was found in the rigging": never "We found that ... was found".
        found = _FOUND.search(values["cause_clause"])
        # "I pulled the numbers from the old dashboard": nothing we "found", our own doing.
        found = found or re.match(r"I\b", values["cause_clause"])
        values["cause_found"] = values["cause_clause"] if found else ""
        # "the auto-renewal failed because the card had expired": never "This happened
        # because the auto-renewal failed because ...".
        because = re.search(r"\bbecause\b", values["cause_clause"], re.IGNORECASE)
        values["cause_because"] = values["cause_clause"] if because else ""
        return values

    @staticmethod
    def _shaped(name: str, p: Phrase | None) -> dict[str, str]:
        if p is None:
            return {f"{name}_clause": "", f"{name}_np": "", f"{name}_plain": ""} | (
                {"cause_any": ""} if name == "cause" else {}
            )
        clause_like = p.shape in ("clause", "instruction", "question")
        clause = p.inner if clause_like else ""
        extra = {}
        if name == "cause" and p.shape == "noun" and read(p.inner).reason == EITHER:
            # "a retry after a timeout resent the whole batch": a noun or a clause, so only
            # a frame that reads with either ("What went wrong: ...").
            return {"cause_clause": "", "cause_np": "", "cause_any": p.inner}
        if name == "impact":
            # Every impact frame ends "that {impact_clause}.": a second sentence the caller
            # typed is a second "that" clause, not a sentence left hanging after ours.
            joined = _thats(clause)
            # "I know {impact_plain}." without "that" only for one clause opening on its
            # subject: "I know when the share was corrupted ..." or "I know no card details
            # were exposed" would read as something else.
            simple = joined == clause and not _NEEDS_THAT.match(clause)
            clause, extra = joined, {"impact_plain": clause if simple else ""}
        return {f"{name}_clause": clause, f"{name}_np": "" if clause_like else p.inner} | extra

    # -- the bank

    def say(
        self, slot: str, extra: dict[str, str] | None = None, *, draw: bool = True
    ) -> str | None:
        """One sentence for `slot`, capitalised, or None when no variant fits the request
        (without `draw`, its first variant, leaving the later choices as they were)."""
        values = {**self.values, **(extra or {})}
        variant = self.picker.pick(slot, values, draw=draw)
        if variant is None:
            return None
        template = variant.text if self.picker.where.personal else impersonal(variant.text)
        if self._colleague_i():
            template = singular(template)
        text = voiced(template, self.voice).format_map(values)
        # A value that starts a sentence of the template ("... work. {clause}.") is
        # capitalised there.
        text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
        return text[:1].upper() + text[1:]

    def ours(self, text: str) -> str:
        """Words of ours outside the phrase bank, in a colleague's "I" when one writes."""
        return singular(text) if self._colleague_i() else text

    def _colleague_i(self) -> bool:
        """A named colleague writing privately: "I" throughout (a public post keeps "we")."""
        return (
            self.picker.where.personal
            and self.request.audience == "colleague"
            and not self.public
            and self.channel.key != "social"
        )

    def has(self, strategy: str) -> bool:
        return strategy in self.request.strategies

    def holds(self, condition: str) -> bool:
        """Whether a plan condition holds for this request."""
        negated = condition.startswith(("not ", "no "))
        name = _condition_name(condition)
        req = self.request
        if name.startswith("strategy:"):
            value = name.split(":", 1)[1] in req.strategies
        elif name.startswith("audience:"):
            value = req.audience == name.split(":", 1)[1]
        else:
            value = self._conditions[name]
        return value != negated

    @cached_property
    def _conditions(self) -> dict[str, bool]:
        """The named plan conditions, read once per draft: the plan asks them for every part."""
        req = self.request
        return {
            "impact": bool(self.impact),
            "cause": bool(self.cause),
            "remedies": bool(req.remedies),
            "prevention": bool(req.prevention),
            "metric": any(p.metric for p in req.prevention),
            "contact": bool(req.sender.contact),
            "follow_up": req.follow_up,
            # The sender tells their own mistake ("I forgot to pass on ..."): they know
            # how it happened, and have nothing to look into.
            "own_story": req.audience == "colleague" and first_person(req.incident.summary),
            # The summary already says why ("... because we overbooked").
            "told_why": bool(_TOLD_WHY.search(req.incident.summary)),
            # The customer had to contact us again and again ("the third time I've written").
            "chased": any(
                _CHASED.search(t or "")
                for t in (req.incident.customer_message, req.incident.impact, req.incident.summary)
            ),
            "done_remedy": any(r.status == "done" for r in req.remedies),
            "cautious": req.liability == "cautious",
            "standard": req.liability == "standard",
            "public": self.public,
            "private": not self.public,
            "signoff": self.channel.has_signature and not self.public,
            # An email from the mailbox it gives: a reply reaches the sender already.
            "reply_reaches": self.channel.key == "email" and "@" in (req.sender.contact or ""),
        }


_FIRST_SINGULAR = (
    (re.compile(r"\bI'm\b"), "we're"),
    (re.compile(r"\bI've\b"), "we've"),
    (re.compile(r"\bI'd\b"), "we'd"),
    (re.compile(r"\bI'll\b"), "we'll"),
    (re.compile(r"\bI am\b"), "we are"),
    (re.compile(r"\bI was\b"), "we were"),
    (re.compile(r"\bI have\b"), "we have"),
    (re.compile(r"\bI\b(?!')"), "we"),
    (re.compile(r"\bmyself\b"), "ourselves"),
    (re.compile(r"\bmy\b"), "our"),
    (re.compile(r"\bme\b"), "us"),
    (re.compile(r"\bmine\b"), "ours"),
    (re.compile(r" personally\b"), ""),
)


def impersonal(template: str) -> str:
    """A sentence of ours in the organisation's voice: an organisation with no named sender
    never says "I" ("Please accept our sincere apologies", "we will respond personally")."""
    for pattern, plural in _FIRST_SINGULAR:
        template = pattern.sub(plural, template)
    return template


_FIRST_PLURAL = (
    (re.compile(r"\b([Ww])e are\b"), "I am"),
    (re.compile(r"\b([Ww])e were\b"), "I was"),
    (re.compile(r"\b([Ww])e're\b"), "I'm"),
    (re.compile(r"\b([Ww])e've\b"), "I've"),
    (re.compile(r"\b([Ww])e'll\b"), "I'll"),
    (re.compile(r"\b([Ww])e'd\b"), "I'd"),
    (re.compile(r"(?<!with you how )\b([Ww])e\b"), "I"),
    (re.compile(r"\bourselves\b"), "myself"),
    (re.compile(r"\bus\b"), "me"),
)


def singular(template: str) -> str:
    """A sentence of ours from one colleague to another: a named sender speaks as "I"
    throughout ("I'd like to offer you", "I'm reviewing what needs to change"), keeping
    "our" for what the two of them share."""
    for pattern, one in _FIRST_PLURAL:
        template = pattern.sub(one, template)
    return template


# --- the caller's facts, worded ---------------------------------------------------------------

_DONE_VERBS = {
    "refund": ("issued", "issue"),
    "credit": ("added", "add"),
    "discount": ("set up", "set up"),
    "replacement": ("sent", "send"),
    "expedite": ("arranged", "arrange"),
    "service": ("arranged", "arrange"),
    "other": ("arranged", "arrange"),
}
_GOODWILL_KINDS = ("discount", "credit", "other")
_OWN_VERBS = {"refund": ("refunded", "refund"), "credit": ("credited", "credit")}
_KIND_WORDS = {
    "refund": "a refund",
    "credit": "a credit to your account",
    "discount": "a discount",
    "replacement": "a replacement",
    "expedite": "faster delivery",
    "service": "extra help from our team",
    "other": "a goodwill gesture",
}
_KIND_LABELS = {
    "refund": "Refund",
    "credit": "Credit",
    "discount": "Discount",
    "replacement": "Replacement",
    "expedite": "Faster delivery",
    "service": "Extra service",
    "other": "Goodwill gesture",
}
_OFFER_KINDS = {
    "refund": "a refund",
    "credit": "a credit",
    "discount": "a discount",
    "replacement": "a replacement",
    "expedite": "faster delivery",
}
"""A remedy's kind as a public reply names it: "We would like to offer you a discount."."""
_HEAD_KINDS = (("refund", "refund"), ("credit", "credit"), ("replacement", "replacement"))
_DATE_PREPOSITIONS = ("by ", "on ", "within ", "before ", "until ", "in ", "from ", "at ")
_RELATIVE_DAYS = ("today", "tomorrow", "tonight", "this ", "next ", "later ", "early ", "end ")


_NEXT_SENTENCE = re.compile(r"(?<=[\w)%])[.!?]\s+(?=[\w\"“‘])")
_ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "st", "no", "vs", "etc", "approx"})


_NEEDS_THAT = re.compile(
    r"(?:no|none|nothing|nobody|neither|when|whenever|while|after|before|because|since|if|"
    r"as|once|until|though|although|that|what|how|why|where)\b",
    re.IGNORECASE,
)
"""A clause opening that needs "that" in front of it after "I know"."""


def _thats(clause: str) -> str:
    """A clause of several sentences joined after one "that": "the balcony was the whole
    reason you booked, and that your husband's 80th birthday was on night two"."""
    parts: list[str] = []
    start = 0
    for match in _NEXT_SENTENCE.finditer(clause):
        before = clause[start : match.start()].rsplit(" ", 1)[-1].lower()
        if before in _ABBREVIATIONS:
            continue
        parts.append(clause[start : match.start()])
        start = match.end()
    if not parts:
        return clause
    parts.append(clause[start:])
    return parts[0] + "".join(f", and that {mid(p)}" for p in parts[1:] if p.strip())


def when(date: str) -> str:
    """A date as it follows a verb: "on Thursday", "tomorrow", "by Friday", "on 14 March"."""
    date = calendar_case(date)
    low = date.lower()
    if low.startswith(_DATE_PREPOSITIONS) or low.startswith(_RELATIVE_DAYS):
        return date
    return f"on {date}"


def _missing(value: str | None, text: str) -> str:
    return value if value and value.lower() not in text.lower() else ""


def amount_said(amount: str, text: str) -> bool:
    """Whether `text` already states `amount`: as written, as the same count of the same
    thing ("2 tickets" in "two free tickets", "1 month" in "a month of Pro"; the guardrails'
    own reading), or the same percentage ("15%" in "15 percent off", "50%" in "half of the
    fare"). Money only as written."""
    low = " ".join(text.lower().split())
    if amount.lower() in low or count_stated(amount, low) or fraction_stated(amount, low):
        return True
    percent = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)", amount.strip().lower())
    if percent is None:
        return False
    found = re.finditer(r"(\d+(?:\.\d+)?)\s*(?:%|percent\b|per cent\b)", low)
    return any(Decimal(m.group(1)) == Decimal(percent.group(1)) for m in found)


_REFUND_OF = re.compile(
    r"^(?:(?:a|the|your)\s+)?(?P<full>full\s+)?refunds?\s+(?:of|for|on)\s+(?P<thing>\S.*)$",
    re.IGNORECASE,
)
_GRAVE = re.compile(
    r"\b(?:medication|medicines?|prescriptions?|doses?|dosage|overdosed?|allerg\w*|"
    r"anaphyla\w*|injur\w*|hospital\w*|ambulance|unsafe|safety|fire|burns?|poison\w*|"
    r"gas leak|carbon monoxide|(?:data|security) breach|breach of (?:your )?data|"
    r"funerals?|bereave\w*|passed away|cremation|"
    r"personal (?:data|details|information) (?:was|were) (?:exposed|leaked|shared))\b",
    re.IGNORECASE,
)
"""Words of an incident about health, safety, a death in the family or a data breach."""


def grave(request: DraftRequest) -> bool:
    """Whether the incident or its impact is about health, safety, injury or a data breach:
    the letter is then sober (no "To make amends", no goodwill gesture, no stock close)."""
    inc = request.incident
    return any(_GRAVE.search(t or "") for t in (inc.summary, inc.cause, inc.impact))


_CHASED = re.compile(
    r"\b(?:second|third|fourth|fifth|several|\d+(?:st|nd|rd|th)) time (?:I|we)(?:['’]ve| have)? "
    r"(?:written|wrote|called|rung|rang|emailed|phoned|chased|asked|messaged)\b|"
    r"\b(?:written|wrote|called|rung|rang|emailed|phoned|chased|asked|messaged) (?:you |us )?"
    r"(?:twice|three times|four times|five times|several times|\d+ times)\b|"
    r"\b(?:nobody|no one|no-one) (?:answered|replied|got back|called back|rang back)\b|"
    r"\bkept (?:chasing|calling|emailing|ringing|phoning)\b",
    re.IGNORECASE,
)
"""The customer's words that say they had to contact us more than once to be heard."""
_TOLD_WHY = re.compile(r"\b(?:because|due to|as a result of|caused by)\b", re.IGNORECASE)
_COST_NOUN = re.compile(r"\b(?:fare|fares|cost|costs|bill|fee|fees|expenses|charges?)\s*$")
_NEW_DOCUMENT = re.compile(
    r"\b(?:corrected|revised|amended|updated|new|reissued)\s+(?:\w+\s+)?"
    r"(?:bill|invoice|statement|form|certificate)s?\s*$",
    re.IGNORECASE,
)
"""A remedy that is a document we issue again ("a corrected bill"): not a cost we cover."""
_SENT_DOCUMENT = re.compile(
    r"^(?:the |a |an |your )?(?:corrected|revised|amended|updated|new|fixed)\s+(?:\w+\s+)?"
    r"(?:letter|translation|report|document|contract|quote|file|copy)s?\s*$"
    r"|^(?:the |a )?(?:written |email )?confirmation\b",
    re.IGNORECASE,
)
"""A corrected piece of work or letter: we have sent it, not "arranged" it."""
_ANY_LOST = re.compile(r"^any\s+(?:[\w'-]+\s+){1,4}(?:lost|missed|forgone|owed)\b", re.IGNORECASE)
"""An offer of whatever the reader lost ("any investment growth lost during the delay")."""
_COST_OF = re.compile(r"^(?:the |your )?(?:full )?costs? of\b", re.IGNORECASE)
"""A remedy that is a cost we meet ("the cost of repairing the ceiling"): we cover it."""
_PAID_NOUN = re.compile(
    r"^(?:the |your |an? |any )?(?:\w+ )?"
    r"(interest|compensation|difference|allowance|repay|payout)\b",
    re.IGNORECASE,
)
_OUTCOME_TO = re.compile(
    r"^\S+(?: \S+)+? (?:returned|refunded|credited|paid|transferred|added|released|reversed|"
    r"repaid|reimbursed) "
    r"(?:to|into|onto|back)\b",
    re.IGNORECASE,
)
_CHARGE = re.compile(
    r"\b(?:fees?|charges?|costs?|fares?|payments?|bills?|overcharges?|debits?|interest|"
    r"penalt(?:y|ies)|fines?|premiums?|subscriptions?|deposits?|compensation)\b"
)
"""A remedy that names money we took ("any late fee charged by us"): refunded or credited."""
_NEW_THING = re.compile(r"\b(?:replacement|new|spare|another|second|fresh|loan|courtesy)\b")
_EVERYONE = re.compile(
    r"\b(?:everyone|anyone|everybody|anybody|(?:every|each|all|any)\s+(?:\w+\s+)?"
    r"(?:customers?|guests?|players?|members?|users?|passengers?|subscribers?|residents?|"
    r"parents?|famil(?:y|ies)|candidates?|attendees?|holders?|persons?|people|one|affected|"
    r"pupils?|students?|patients?|clients?|tenants?|travell?ers?|riders?|diners?|fans?))\b",
    re.IGNORECASE,
)
"""A remedy whose words say who it is for ("500 coins for every player", "any affected
customer"); "any show this season" names no one."""
_FUTURE = re.compile(r"\b(?:will|shall|'ll|’ll|is going to|are going to)\b", re.IGNORECASE)
_AMENDS_LEAD = "To make amends, "
SOBER_LEADS = {"To make amends, ": "To set this right, ", "To make amends: ": "To set this right: "}
"""The lead of a first remedy in a letter about health, safety or a data breach: a wrong
dose is set right, not made amends for."""
_PUT_RIGHT = re.compile(
    r"\b(?:re(?:book|open|schedul|arrang|issu|send|sent|deliver|connect|instat|stor|print|do|"
    r"fitt?|install|survey|measur|inspect|test|check)\w*|correct\w*|fix\w*|repair\w*|"
    r"replac\w*|collect\w*|pick(?:ed|s)? up)\b",
    re.IGNORECASE,
)


_MISSING = re.compile(r"\b(?:missing|outstanding|owed|overdue|undelivered)\b", re.IGNORECASE)
_ON_TOP = re.compile(
    r"\b(?:free|complimentary|on us|bonus|extra|goodwill|gift|voucher|upgrade|discount|"
    r"compliments|as well)\b",
    re.IGNORECASE,
)
_PLAIN_WORDS = word_set(
    "your our their the this that with from into onto have been were will what when which "
    "about after before every each some more than then them they also just only"
)


def _puts_right(remedy: Remedy, summary: str) -> bool:
    """Whether a remedy gives back what the reader was owed (the install rebooked, the
    account reopened, the right box sent, the missing gems added, the transfer the summary
    says was late completed) rather than something on top: it is how we set this right,
    not how we make amends."""
    text = remedy.description
    if _MISSING.search(text) and not _ON_TOP.search(text):
        return True  # "the missing gems added to your account" (500 gems)
    if remedy.amount:
        return False  # "To set this right, the install will be rebooked for Wed 9 Oct."
    if remedy.kind in ("replacement", "expedite") or _PUT_RIGHT.search(text):
        return True  # "a corrected obituary printed free of charge"
    if _ON_TOP.search(text):
        return False
    if remedy.status == "offered" or remedy.kind in ("refund", "credit", "discount"):
        return False
    if read(text).shape == "clause":
        return False  # "a social worker visited the tenant": someone's act, told as written
    # Done or to come, on the very thing the summary says went wrong ("your transfer
    # completed" for a late pension transfer, "the approved pages are live now").
    said = {w for w in re.findall(r"[a-z]{4,}", summary.lower()) if w not in _PLAIN_WORDS}
    return any(w in said for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in _PLAIN_WORDS)


_LONG_REMEDY = 18
"""Words in a remedy after which its amount is a sentence of its own."""
_PUBLIC_FIGURE = re.compile(
    r"(?:\s(?:of|worth))?\s?(?:[$€£¥]\s?\d[\d,]*(?:\.\d+)?|"
    r"\b(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?"
    r"(?:[$€£¥%]|percent\b|(?:USD|EUR|GBP|CHF|CAD|AUD|JPY)\b))"
)
"""An amount in a caller's phrase ("500$", "of £30", "15 percent"): left out of a public reply."""
_OUTCOMES = word_set(
    "waived refunded released cancelled canceled removed reversed credited replaced restored "
    "reinstated upgraded extended covered returned reissued resent rebooked"
)


_NO_CHARGE = re.compile(r"no (?:charge|fee|cost|cost to you)\b", re.IGNORECASE)
_DONE_ACTION = re.compile(
    r"(?:recovered|restored|rebuilt|repaired|replaced|rebooked|reissued|resent|refunded|"
    r"credited|waived|cancelled|canceled|removed|reversed|returned|repaid|reimbursed|"
    r"collected|delivered|sent|fixed|corrected|cleaned|reset|reinstated|upgraded|extended|"
    r"covered|paid|booked|arranged|moved|found|traced|retrieved|rescheduled)\s+"
    r"(?=\S+\s+\S)"
)
"""A done remedy the caller wrote as what we did, past verb first ("recovered 9 of the 12
days of work"): a past verb, then at least two more words (its object)."""


_ACTION_ONLY = re.compile(
    r"^(?:we|i)(?:\s+(?:have|has|had|will|shall|are|am))?(?:['’](?:ve|ll|re|m))?\s+"
    r"(?:also\s+|already\s+|now\s+)?(?:been\s+)?"
    r"(?:spo(?:ken|ke)|speak(?:ing)?|talk(?:ed|ing)?|t(?:old|ell(?:ing)?)|remind(?:ed|ing)?|"
    r"brief(?:ed|ing)?|warn(?:ed|ing)?|escalat(?:ed|e|ing)|report(?:ed|ing)?|"
    r"rais(?:ed|e|ing)\s+(?:this|it)|pass(?:ed|ing)?\s+(?:this|it|your)|"
    r"fe(?:d|ed(?:ing)?)\s+back|shar(?:ed|e|ing)\s+(?:this|your)|"
    r"contact(?:ed|ing)?\s+(?:the|our)|apologis(?:ed|e|ing)|apologiz(?:ed|e|ing))\b",
    re.IGNORECASE,
)
"""A step we took that gives the reader nothing ("we've spoken to the driver and the depot
manager"): told as what we did, never as what makes amends."""


def _action_only(text: str) -> bool:
    """Whether a remedy the caller typed is only an action of ours (see `_ACTION_ONLY`)."""
    return _ACTION_ONLY.match(mid(text)) is not None


_RECORD_STEP = re.compile(
    r"^(?:we|i)(?:['’](?:ve|ll|d)|\s+(?:have|has|had|will))?\s+(?:also\s+|now\s+)?"
    r"(?:(?:remov|delet)(?:ed|e|ing)\b.{0,60}?\bfrom\s+(?:[\w'’-]+\s+){0,3}"
    r"(?:lists?|records?|database|systems?|files?|mailings?)\b|"
    r"unsubscrib(?:ed|e|ing)\b|"
    r"(?:open|launch|start)(?:ed|ing)?\s+an?\s+(?:investigation|inquiry|enquiry|case|complaint)\b|"
    r"(?:updat|correct)(?:ed|e|ing)\s+(?:our|your|the)\s+(?:records?|files?|notes|details)\b)",
    re.IGNORECASE,
)
"""A step on our own records ("we have removed Biscuit from every mailing list we hold",
"we've opened an investigation with the depot"): administration, not what the reader gets."""


def _our_step(remedy: Remedy) -> bool:
    """Whether a remedy is a step on our own records (see `_RECORD_STEP`), so "To make
    amends" belongs to a remedy that gives the reader something."""
    return _RECORD_STEP.match(mid(remedy.description)) is not None


def _steps_before_amends(remedies: list[Remedy]) -> list[bool]:
    """For each remedy, whether it is told as a step we took rather than as what makes
    amends: one that only reports an action ("we've spoken to the driver"), or a step on
    our own records while another remedy gives the reader something (the lead needs a
    remedy to stand on, so a lone step keeps it)."""
    gives = any(not (_action_only(r.description) or _our_step(r)) for r in remedies)
    return [_action_only(r.description) or (_our_step(r) and gives) for r in remedies]


def _reduced_passive(p: Phrase, text: str) -> bool:
    """Whether a remedy reads as an outcome with its verb ("the fee refunded", "the ring
    resized correctly"): a noun phrase with its own participle, or a "clause" whose only
    verb is an -ed form straight after the noun, with no subject pronoun or auxiliary."""
    if p.own_verb or p.shape == "participle":
        return True
    reason = read(text).reason
    if p.shape != "clause" or not reason.startswith(("past form", "intransitive past")):
        return False
    # "a social worker visited the tenant this morning": a past verb with its object is
    # what someone did, never "a social worker has been visited the tenant".
    verb = reason.rsplit(": ", 1)[-1].strip("'\"")
    words = [w.strip(",.").lower() for w in text.split()]
    after = [words[i + 1] for i in range(len(words) - 1) if words[i] == verb]
    return not (after and after[0] in _OBJECT_WORDS)


_OBJECT_WORDS = word_set(
    "a an the your our his her their its this that these those every each all any some "
    "you them him us me it"
)
"""Words that start a verb's object: a past form followed by one is active."""


def voiced_verb(verb: str, thing: str = "") -> str:
    """A plan verb with its object: "send it", "set it up", "send them" for corrected copies."""
    head, _, rest = verb.partition(" ")
    group = noun_group(thing)
    # "priority appointments twice a week": the noun is before the frequency.
    cut = next((i for i, g in enumerate(group) if i and g in ("twice", "once", "a", "an")), None)
    last = group[:cut][-1] if group else ""
    plural = last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3
    return f"{head} {'them' if plural else 'it'} {rest}".strip()


_DURATION = re.compile(
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|six|twelve)\s+"
    r"(?:days?|weeks?|months?|years?|nights?|hours?)",
    re.IGNORECASE,
)
"""An amount that is a length of time ("1 month", "two weeks")."""


def remedy_sentence(
    w: Writer, remedy: Remedy, *, also: bool, first: bool = True, step: bool = False
) -> str:
    """One remedy in a sentence of the letter's voice, with its amount, code and date as
    given, and its status (done, offered or planned) stated as the request authorises.
    With `step`, a remedy in our own words is told as what we did, with no "To make
    amends" in front (see `_steps_before_amends`)."""
    p = w.phrase(remedy.description)
    text = p.text
    if _READER_PARTICIPLE.match(text) and not p.own_verb:
        # "moved to the front of the queue" has no object: the reader is the one moved ("you
        # have been moved to ..."), never "we have moved to ..." nor "the moved to ...".
        done_to = {"done": "you have been ", "planned": "you will be "}
        text = done_to.get(remedy.status, "we would like to have you ") + text
        p = Phrase(text, "clause")
    amount = "" if amount_said(remedy.amount or "", text) else (remedy.amount or "")
    date = _missing(remedy.date, text)
    code = _missing(remedy.code, text)
    # After a long remedy a bracketed figure trails too far from what it counts ("...
    # so you do not need to send anything further (£312.40)"): it gets its own sentence.
    apart = amount if len(text.split()) > _LONG_REMEDY else ""
    money = f" ({amount})" if amount and not apart else ""
    if money and _DURATION.fullmatch(amount.strip()):
        # "October's service fee has been waived for 1 month": a length of time reads as
        # how long, never as a bracketed figure after the outcome.
        money = f" for {amount.strip()}"
    also_word = " also" if also else ""
    status = remedy.status
    # "refund of the unused leg" is what we refund: "We've refunded the unused leg", not
    # "We've issued the refund of the unused leg".
    # An amount the description's own words state ("full refund") keeps those words.
    own_amount = bool(remedy.amount) and not amount
    plain_noun = p.shape == "noun" and not p.own_verb and not own_amount
    refund_of = _REFUND_OF.match(text) if plain_noun else None
    if refund_of:
        text = refund_of.group("thing")
        p = Phrase(text, "noun")
    head = " ".join(text.lower().split()[:3])
    kind = next((k for word, k in _HEAD_KINDS if word in head), remedy.kind)
    done_verb, plan_verb = _DONE_VERBS[kind]
    if kind == remedy.kind and kind in _OWN_VERBS and kind not in head:
        done_verb, plan_verb = _OWN_VERBS[kind]  # "refunded the fines", not "issued" them
    if kind == "refund" and noun_group(text)[-1:] and noun_group(text)[-1] in _EXPENSES:
        done_verb, plan_verb = "reimbursed", "reimburse"  # the reader's own spending
    elif kind in ("other", "service", "replacement") and _SENT_DOCUMENT.match(text):
        done_verb, plan_verb = "sent", "send"  # "sent the corrected translation"
    elif kind in ("other", "service") and _NEW_DOCUMENT.search(text):
        done_verb, plan_verb = "issued", "issue"  # "issued a corrected bill", not "covered"
    elif kind in ("other", "service") and _COST_NOUN.search(text):
        done_verb, plan_verb = "covered", "cover"  # "covered the taxi fare", not "arranged"
    at = when(date) if date else ""
    day = date.split(" ", 1)[0].lower() if date else ""
    if len(day) > 2 and day.isalpha() and re.search(rf"\b{re.escape(day)}\b", text.lower()):
        # "send a technician on Friday morning" + "Friday 8am-12pm": the day is said once.
        at = f"({date})"
    values = {"also": also_word, "extra": money, "date": at}
    last = text.lower().rstrip(" .").rsplit(" ", 1)[-1]
    outcome = last in _OUTCOMES or _OUTCOME_TO.search(text) is not None
    # "every charge for an incomplete order reversed automatically": the participle after
    # the noun says what happens to it, wherever it stands.
    outcome = (
        outcome
        or ready_after(text)
        or (first_participle(text) in _OUTCOMES and outcome_participle(text, remedy.kind))
    )
    if p.shape == "noun" and not p.own_verb and len(text.split()) > 2 and outcome:
        # "the platform fee for this quarter waived", "your deposit returned to your account"
        p = Phrase(p.text, "noun", own_verb=True)
    if "credit note" in text.lower():
        done_verb, plan_verb = "issued", "issue"  # a credit note is issued, not "added"
    if kind in ("other", "service") and _RELEASE.search(text):
        done_verb, plan_verb = "released", "release"  # "released firmware 4.2.1 with the fix"
    if kind == "discount" and re.search(r"\boff\b", text):
        done_verb, plan_verb = "taken", "take"  # "taken 25 percent off the invoice"
    paid = _PAID_NOUN.match(mid(text))
    if paid and (
        kind in ("other", "service") or (kind == "refund" and paid.group(1) != "difference")
    ):
        done_verb, plan_verb = "paid", "pay"  # "paid the interest", not "arranged" it
    if plan_verb == "arrange" and "arrang" in text.lower():
        done_verb, plan_verb = "organised", "organise"  # not "arrange a rearranged trip"
    if plan_verb == "arrange" and noun_group(text)[-1:] in (["back"], ["out"], ["round"]):
        # "the engineer back with the part": we will have the engineer back, not "arrange"
        # the engineer back.
        done_verb, plan_verb = "had", "have"
    if (
        p.shape == "clause"
        and kind in ("refund", "credit", "replacement")
        and (mid(text).split(" ", 1)[0].lower() in ("every", "all", "any", "each"))
    ):
        # "every overdraft fee your staff were charged": the verb is inside the noun phrase.
        p = Phrase(p.text, "noun")
    if (
        _reduced_passive(p, text)
        and not outcome_participle(text, remedy.kind)
        and not ready_after(text)
    ):
        # "any late fee charged by us for a payment due that day": the participle says which
        # fee, not what we do to it; the remedy's own verb goes in front ("we will refund").
        p = Phrase(p.text, "noun")
    made = passive(definite(text), status, remedy.kind)
    if made and money.startswith(" (") and status != "offered":
        # "the taxi fare of £48 has been refunded", "we have refunded ¥1000 for your
        # tickets": the sum said where it belongs, never "refunded (¥1000)" after the verb.
        subject, _, rest = made.partition(" has been " if " has been " in made else " ")
        with_sum = _with_amount(subject, amount) if " has been " in made else None
        if with_sum:
            made = f"{with_sum} has been {rest}"
            money = values["extra"] = ""
        elif (
            made.endswith((" has been refunded in full", " will be refunded in full"))
            and _MONEY_AMOUNT.fullmatch(amount.strip())
            and not _EACH & set(made.lower().split()[:1])
        ):
            # "the screen repair has been refunded in full (£89)": "we have refunded the full
            # £89 for the screen repair".
            thing_of = re.split(r" (?:has|will) be(?:en)? refunded", made, maxsplit=1)[0]
            verb = "we have refunded" if status == "done" else "we will refund"
            made = voiced(w.ours(f"{verb} "), w.voice) + f"the full {amount.strip()} for {thing_of}"
            money = values["extra"] = ""
        elif made.endswith((" been refunded", " be refunded")) and _paid_for(made, amount):
            thing_of = made.rsplit(" have been ", 1)[0].rsplit(" has been ", 1)[0]
            thing_of = thing_of.rsplit(" will be ", 1)[0]
            verb = "we have refunded" if status == "done" else "we will refund"
            made = voiced(w.ours(f"{verb} "), w.voice) + f"{amount} for {thing_of}"
            money = values["extra"] = ""
    if _reduced_passive(p, text) and status != "offered" and made:
        clause = made + money
        if date:
            at = when(date)
            if re.search(r"\b(?:re)?(?:booked|scheduled|arranged)$", made) and at.startswith("on "):
                at = "for " + at[3:]  # "the install will be rebooked for Wed 9 Oct"
            clause += " " + at
        slot = "remedy_passive" if first else "remedy_clause_more"
        sentence = w.say(slot, {**values, "clause": clause}) or whole(clause)
        date = ""
    elif status != "offered" and p.shape == "noun" and _NO_CHARGE.match(mid(text)):
        # "no charge for the work done since October": there is (or will be) no charge,
        # never "we have set up no charge".
        clause = ("there is " if status == "done" else "there will be ") + mid(text) + money
        if date:
            clause += " " + when(date)
            date = ""
        slot = "remedy_clause" if first else "remedy_clause_more"
        sentence = w.say(slot, {**values, "clause": clause}) or whole(clause)
    elif status == "offered" and p.shape == "noun" and _NO_CHARGE.match(mid(text)):
        # "no fee for this year's return": nothing to hand over, so not "offer you no fee".
        lead = voiced(w.ours(f"we would{also_word} like to make sure there is "), w.voice)
        sentence = _AMENDS_LEAD + lead + mid(text) + money + "."
    elif status == "done" and p.shape == "noun" and _DONE_ACTION.match(mid(text)):
        # "recovered 9 of the 12 days of work from the laptop caches": what we did, told
        # with our subject ("we have recovered ..."), not arranged as a thing.
        action = mid(text) + money
        sentence = w.say("remedy_do_done", {**values, "action": action}) or whole(action)
    elif p.shape in ("clause", "question"):
        clause = mid(text) + money
        subject = mid(text).split(" ", 1)[0].lower().replace("’", "'").split("'")[0]
        future = _FUTURE.search(text) is not None
        # "The fine has been cancelled.": an outcome that reads after "To make amends,".
        outcome = re.search(r"\b(?:has|have) been \w+ed\b", text) is not None
        deadline = date.lower().startswith(("by ", "within ", "before "))
        if date and (future or (status == "done" and deadline)):
            # "the watch will be hand-delivered to you" + "by Friday": one sentence; so is
            # a done step's deadline ("I've asked finance to pay it ... by Thursday"), never
            # "This was done by Thursday."
            clause += " " + when(date)
            date = ""
        if subject not in ("we", "i", "our") and not (future or outcome):
            # After the first remedy, "In addition, your order is on the same truck", never
            # "Here's what I'll also do: your order is on the same truck"; an offer keeps
            # "Here's what we'd like to offer you: ...", which reads with any shape.
            more = not first and status != "offered"
            slot = "remedy_clause_more" if more else "remedy_any_" + status
        elif step or _action_only(text):
            slot = "remedy_action"  # "We've spoken to the driver.": no "To make amends"
        else:
            slot = "remedy_clause" if first else "remedy_clause_more"
        sentence = w.say(slot, {**values, "clause": clause}) or whole(clause)
        if date:
            sentence += " " + (
                w.say("remedy_date_" + status, {"date": when(date)}) or f"Date: {date}."
            )
            date = ""
    elif p.shape == "instruction":
        form = "done" if status == "done" else "base"
        action = instruction_as(text, form) + money
        slot = "remedy_do_" + status
        if status != "done" and mid(text).split(" ", 1)[0].lower() in _READER_VERBS:
            # "keep the book" is what the reader may do: "You are welcome to keep the book",
            # never "we would like to keep the book".
            action = mid(text) + money + (f" {when(date)}" if date else "")
            slot, date = "remedy_yours", ""
        sentence = w.say(slot, {**values, "action": action}) or whole(action)
    elif p.shape == "gerund":
        action = mid(text) + money
        slot = "remedy_ing_" + status
        sentence = w.say(slot, {**values, "action": action}) or whole(action)
    else:
        thing = definite(text)
        offer = indefinite(text)
        if done_verb == "released":
            # "released firmware 4.2.1", never "the firmware 4.2.1": a version is a name.
            thing = re.sub(r"^the (?=[\w-]+ v?\d+\.\d)", "", thing)
        goodwill = w.has("proactive_solutions") and kind in _GOODWILL_KINDS
        goodwill = goodwill and not w.values["grave"]  # no "goodwill gesture" for a wrong dose
        # The caller's own "a gesture of goodwill" elsewhere: not said twice.
        goodwill = goodwill and not any(
            "goodwill" in r.description.lower() for r in w.request.remedies
        )
        group = noun_group(text)
        charge = _CHARGE.search(" ".join(group)) is not None and not _COST_OF.match(mid(text))
        acts_on = False  # the remedy's verb acts on the thing ("refund the fees charged")
        if (
            kind == remedy.kind == "replacement"
            and group[:1] in (["the"], ["your"], ["any"], ["every"], ["all"], ["each"])
            and not _NEW_THING.search(" ".join(group))
        ):
            done_verb, plan_verb = "replaced", "replace"  # "the phone damaged in transit"
            acts_on = True
        elif kind == remedy.kind and kind in ("refund", "credit") and kind not in head:
            acts_on = charge  # "any late fee charged by us": we refund it, not offer it
            if (
                kind == "credit"
                and not charge
                and "account" not in text.lower()
                and not re.search(r"\bagainst\b", text)
            ):
                # "a free make-up lesson" is added to the account, not "credited"; a longer
                # phrase ("one free class pass for everyone who couldn't book") is just added
                done_verb, plan_verb = "added", "add"
                if len(group) == len(text.split()) or _FREE_THING.fullmatch(text.lower()):
                    thing += " to your account"  # "a free day pass", no words after it
        if refund_of:
            done_verb, plan_verb = "refunded", "refund"
            acts_on = True
            if refund_of.group("full") and money.startswith(" (") and _paid_for(thing, amount):
                # "the full €96 for the tour", not "the tour in full (€96)"
                thing = f"the full {amount.strip()} for {thing}"
                money = values["extra"] = ""
            elif refund_of.group("full"):
                thing += " in full"

        if status == "offered" and acts_on and not (p.own_verb or p.shape == "participle"):
            slot = "remedy_verb_offered"
        elif status == "offered" and (p.own_verb or p.shape == "participle"):
            ours = active(thing, remedy.kind)
            if ours:
                # "the hotel night reimbursed": "We would like to reimburse the hotel night".
                (plan_verb, thing), slot = ours, "remedy_verb_offered"
            else:  # "the chairs restored by a restorer": we would have them restored
                slot = "remedy_own_offered"
        elif status == "offered" and re.search(r"\bwith you\b", text):
            slot = "remedy_meeting"  # "a meeting with you and ...": not "offer you ... you"
        elif status == "offered" and (w.public or w.group) and _EVERYONE.search(text):
            slot = "remedy_offered_all"  # "500 coins for every player": not "offer everyone"
        elif status == "offered" and (
            _COST_OF.match(mid(text))
            or (kind in ("other", "service") and group[-1:] in (["costs"], ["expenses"]))
        ):
            # "cover the cost of ...", "cover hotel costs until your room is ready": not
            # "offer you the cost"
            slot = "remedy_cover_offered"
        elif status == "offered" and kind in ("other", "service") and _ANY_LOST.match(mid(text)):
            # "any investment growth lost during the delay" is made good, not offered.
            slot = "remedy_make_good"
        elif status == "offered":
            slot = "remedy_goodwill" if goodwill else "remedy_offered"
        elif status == "planned" and acts_on and not (p.own_verb or p.shape == "participle"):
            slot = "remedy_verb_planned"  # "To make amends, we will replace the phone ..."
        elif p.own_verb or p.shape == "participle":
            slot = "remedy_own_" + status
        else:
            slot = "remedy_" + status
        if (
            slot == "remedy_planned"
            and not date
            and (remedy.date or _TIMED.search(text) or _CONTACT.match(text))
        ):
            # "courier delivery ... as soon as the bag is traced" says when already: no "and
            # let you know once it is done" after it.
            slot = "remedy_planned_timed"
        if money.startswith(" (") and (done_verb, plan_verb) in _SUM_VERBS and slot in _THING_SLOTS:
            # "We've refunded the renewal fee of €64.90", "We've refunded €64.90 for
            # Saturday's session": the sum inside the sentence, not in brackets after it.
            with_sum = _with_amount(thing, amount)
            if (
                with_sum is None
                and plan_verb in ("refund", "reimburse")
                and _paid_for(thing, amount)
            ):
                with_sum = f"{amount} for {thing}"
            if with_sum is not None:
                thing = with_sum
                money = values["extra"] = ""
        if money.startswith(" for ") and slot in _THING_SLOTS | _OFFER_SLOTS:
            # "2 hours of free driving time", "a month of Pulsewear Premium": a length of
            # time said before what it is of, never "the free driving time for 2 hours".
            inside = _time_of(offer if slot in _OFFER_SLOTS else thing, amount)
            if inside is not None:
                thing = offer = inside
                money = values["extra"] = ""
        if money.startswith(" (") and slot in _THING_SLOTS | _OFFER_SLOTS:
            # "refunded 15 percent of your stay", "added 500 bonus points for the trouble",
            # "offer you a €150 travel voucher": the figure said with what it counts, never
            # "refunded your stay (15 percent)".
            inside = _amount_inside(offer if slot in _OFFER_SLOTS else thing, amount, plan_verb)
            if inside is not None:
                thing = offer = inside
                money = values["extra"] = ""
        sentence = w.say(
            slot,
            {**values, "thing": thing, "offer": offer, "verb_done": done_verb}
            | {"verb_plan": plan_verb},
        ) or whole(thing)
        if date and status == "offered" and slot.startswith(("remedy_offered", "remedy_goodwill")):
            # "offer you a replacement unit, and we can send it on 3 May", not "a
            # replacement unit on 3 May" (which reads as the unit's date).
            at = when(date)
            if plan_verb == "arrange" and at.startswith("on "):
                at = "for " + at[3:]
            # "10 percent off your renewal" is applied, not "taken", on its date.
            verb = "apply" if plan_verb == "take" else plan_verb
            sentence = sentence[:-1] + w.ours(f", and we can {voiced_verb(verb, text)} {at}.")
            date = ""
    if date and status != "planned" and date not in sentence:
        # Before a closing condition: "... to call you back on 3 May, if that helps."
        cut = sentence.rfind(", if ")
        cut = cut if cut > 0 else len(sentence) - 1
        sentence = sentence[:cut] + f" {when(date)}" + sentence[cut:]
    said_at = when(remedy.date) if remedy.date else ""
    last_word = text.rstrip(" .").rsplit(" ", 1)[-1]
    if (
        said_at
        and sentence.endswith(f" {last_word} {said_at}.")
        and _RELATIVE.search(text) is not None
    ):
        # "refund every ticket for anyone who couldn't get in by 23 December" reads as when
        # they couldn't get in: the date goes first, or after a comma.
        head_of = sentence[: -len(said_at) - 2]
        if re.match(r"(?:We|I)(?: will|['’]ll) ", head_of):
            sentence = f"{said_at[:1].upper()}{said_at[1:]}, {head_of[:1].lower()}{head_of[1:]}."
            sentence = re.sub(r", i\b", ", I", sentence)
        else:
            sentence = f"{head_of}, {said_at}."
    if not first and sentence.startswith((_AMENDS_LEAD, "To make amends: ")):
        # One "To make amends" per letter: the next remedy follows on.
        rest = sentence[len(_AMENDS_LEAD) :]
        sentence = rest[:1].upper() + rest[1:]
    elif (w.values["grave"] or _puts_right(remedy, w.request.incident.summary)) and sentence[
        : len(_AMENDS_LEAD)
    ] in SOBER_LEADS:
        lead, rest = sentence[: len(_AMENDS_LEAD)], sentence[len(_AMENDS_LEAD) :]
        short = w.channel.key in ("sms", "social")
        if lead == _AMENDS_LEAD and (
            re.search(r"\bright\b", rest) or (short and w.request.liability == "cautious")
        ):
            # "The right box will be sent out tomorrow.", not "To set this right, the right
            # box"; in a text, right after the cautious "We are taking responsibility for
            # putting this right.", the lead would say it twice.
            sentence = rest[:1].upper() + rest[1:]
        else:
            sentence = SOBER_LEADS[lead] + rest
    if said_at and money.startswith(" (") and sentence.endswith(f"{money} {said_at}."):
        # "refund two weeks' rent for every affected student (£310) by 30 September": a
        # date after a bracket reads as the bracket's. The date goes first ("By 30
        # September, we'll refund ... (£310)."), or else before the bracket.
        head_of = sentence[: -len(f" {said_at}.")]
        if re.match(r"(?:We|I)(?: will|['’]ll) ", head_of):
            sentence = f"{said_at[:1].upper()}{said_at[1:]}, {head_of[:1].lower()}{head_of[1:]}."
            sentence = re.sub(r", i\b", ", I", sentence)
        elif not (said_at[-1].isdigit() and money[2].isdigit()):
            # (Digits either side, "2026-10-09 (15%)", would read as a phone number.)
            sentence = f"{head_of[: -len(money)]} {said_at}{money}."
    if apart:
        slot = "remedy_amount_refund" if kind == "refund" else "remedy_amount"
        sentence += " " + (w.say(slot, {"amount": apart}) or f"The amount is {apart}.")
    if code and " and " in code:  # a remedy listed twice with two codes
        sentence += f" Your codes are {code}."
    elif code:
        sentence += " " + (w.say("remedy_code", {"code": code}) or f"Your code is {code}.")
    return sentence


_RELEASE = re.compile(
    r"\b(?:firmware|hotfix|patch|app update|software update|release)\b|\bv?\d+\.\d+\.\d+\b",
    re.IGNORECASE,
)
"""Software we ship: released, never "arranged"."""
_RELATIVE = re.compile(
    r"\b(?:who|whose|which|that)\b|n['’]t\b|"
    # A clause with no "that" ("the template we took", "a letter you can give ..."), or a
    # participle's own clause ("confirming the bill was paid on time").
    r"\b(?:we|you|they)\s+(?:can|could|\w+ed|took|made|gave|sent|got|had|paid|kept)\b|"
    r"\b\w+ing\s+(?:that\s+)?the\s+\w+\s+(?:was|were|is|are)\b",
    re.IGNORECASE,
)
"""A remedy with a clause of its own, after which a date would read as the clause's."""
_THEY = re.compile(r"\b(they|them|their|theirs|themselves)\b", re.IGNORECASE)
_THEY_FORMS = {"they": "you", "them": "you", "their": "your", "theirs": "yours"}
_THEY_FORMS["themselves"] = "yourselves"
_READER_PARTICIPLE = re.compile(
    r"^(?:moved|added|upgraded|rebooked|booked|transferred|switched|refunded|reimbursed|"
    r"compensated|reconnected|re-?registered|enrolled|prioriti[sz]ed|fast-tracked|"
    r"bumped|put)\s+(?:to|into|onto|on|in|up|back|through|for|at|ahead|first)\b",
    re.IGNORECASE,
)
"""A remedy typed as a participle with no object ("moved to the front of the queue",
"refunded in full", "added to the waiting list"): done to the reader."""
_READER_VERBS = word_set("keep use enjoy choose pick bring wear stay")
"""Verbs of an instruction remedy that the reader does ("keep the book")."""
_FREE_THING = re.compile(r"(?:an? |one )free(?: [a-z'-]+){1,3}")
"""A free thing named alone ("a free day pass"): added to the reader's account."""
_THING_SLOTS = frozenset(
    {"remedy_done", "remedy_planned", "remedy_planned_timed", "remedy_verb_offered"}
    | {"remedy_verb_planned", "remedy_cover_offered", "remedy_make_good"}
)
"""The remedy slots that say {thing} (what our verb acts on), not {offer}."""
_TIMED = re.compile(
    r"\b(?:as soon as|once|when|after|before|until)\s+(?:the|it|we|you|your)\b|"
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week)|next week)\b"
)
"""A remedy whose words say when it happens: no "and let you know once it is done"."""
_CONTACT = re.compile(r"\b(?:a|an|the) (?:call|phone call|visit|meeting)\b", re.IGNORECASE)
"""A remedy that is itself our contact with the reader: no "let you know once it is done"."""
_MONEY_HEADS = word_set(
    "fee fare charge cost payment deposit premium difference overpayment pay bill invoice fine "
    "repay payout compensation "
    "surcharge subscription balance overcharge debit excess refund credit"
)
_COUNTS = word_set("two three four five six seven eight nine ten twelve both last first")
_MONEY_PLURALS = word_set("fees charges costs fares expenses payments surcharges fines")
_EXPENSES = word_set("expenses outlay outlays receipts")
"""What the reader spent themselves: it is reimbursed, not refunded."""
_SUM_VERBS = {
    ("reimbursed", "reimburse"),
    ("refunded", "refund"),
    ("credited", "credit"),
    ("issued", "issue"),
    ("paid", "pay"),
    ("covered", "cover"),
}
_NOT_PAID_FOR = re.compile(
    r"\b(?:in full|costs?|values?|compensation|interest|fees?|charges?|fares?|payments?|"
    r"deposits?|premiums?|bills?|invoices?|fines?|refunds?|credits?|half|part|every|each|any)\b",
    re.IGNORECASE,
)


_EACH = word_set("every each all both any")
_PAST_AFTER = word_set("paid taken sent made held lost kept charged")


def _with_amount(thing: str, amount: str) -> str | None:
    """A noun phrase naming one sum of money with the sum said in it: "the renewal fee of
    €64.90", "the call-out charge of £45 taken on the first visit", "a full refund of £185".
    None where the phrase's first noun group does not end on such a noun (a plural "fees"
    could be read as each fee's sum)."""
    if not _MONEY_AMOUNT.fullmatch(amount.strip()):
        return None
    group = noun_group(thing)
    words = thing.split(" ")
    plural = next((i for i, g in enumerate(group) if g in _MONEY_PLURALS), 0)
    if plural and group[0] in ("the", "your") and all(g.isalpha() for g in group[:plural]):
        if set(group[1:plural]) & _COUNTS:
            return f"{amount.strip()} for {thing}"  # "£89.97 for the three payments"
        # "the foreign ATM fees you paid" (¥1000): "the ¥1000 in foreign ATM fees you paid",
        # the sum of them all, never a bracket after the verb.
        return " ".join(["the", amount.strip(), "in", *words[1:]])
    if not group or group[-1] not in _MONEY_HEADS or len(words) < len(group):
        return None
    if [w.lower().strip(",.;:") for w in words[: len(group)]] != group:
        return None
    after = words[len(group)].lower() if len(words) > len(group) else ""
    if group[0] in ("the", "your", "our") and after in ("of", "for", "in", "on"):
        # "the GBP 340.00 cost of the temporary boarding", "our £40 fee for the resubmission":
        # the sum before its noun keeps the caller's phrase whole, never a bracket after it.
        # After the determiner and "full"/"total", before any noun: "the £40 cancellation fee".
        at = 1 + sum(1 for g in group[1:-1] if g in ("full", "total", "whole", "entire"))
        return " ".join([*words[:at], amount.strip(), *words[at:]])
    if group[0] in _EACH or (after and not (after.endswith("ed") or after in _PAST_AFTER)):
        # "every deposit (£35)" may be each deposit's sum; "the cost of the suit", "our fee
        # for the resubmission" would split the caller's phrase around the sum.
        return None
    if group[-1] in ("refund", "credit") and group[0] == "the" and len(words) == len(group):
        words[0] = "a"  # "issued a full refund of £185", not "the full refund"
    return " ".join([*words[: len(group)], "of", amount.strip(), *words[len(group) :]])


_OFFER_SLOTS = frozenset({"remedy_offered", "remedy_goodwill", "remedy_offered_all"})
"""The remedy slots that say {offer} (what we offer the reader)."""
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s?(?:%|percent|per cent)", re.IGNORECASE)
_COUNT_OF = re.compile(r"(\d[\d,]*) ([a-z]+)", re.IGNORECASE)
_SUM_HEADS = word_set("credit voucher refund payment discount allowance top-up")
"""Nouns a sum can stand before: "a £45 credit", "a €150 travel voucher"."""


def _amount_inside(phrase: str, amount: str, verb: str) -> str | None:
    """A remedy's noun phrase with its amount said inside it, where a bracket after it
    leaves the reader to work out what the figure counts: a share of what we refund ("15
    percent of your stay"), a count of the phrase's own unit ("500 bonus points for the
    trouble" for 500 points), a sum or share before a credit or voucher ("a €150 travel
    voucher", "a 25% service credit for November"). None where no such form is sure."""
    amount = amount.strip()
    words = phrase.split(" ")
    group = noun_group(phrase)
    if not group or [w.lower().strip(",.;:") for w in words[: len(group)]] != group:
        return None
    article = group[0] in ("a", "an", "the", "your", "some")
    if (
        article
        and group[-1] in _SUM_HEADS
        and (_MONEY_AMOUNT.fullmatch(amount) or _PERCENT.fullmatch(amount))
    ):
        return " ".join(["a", amount, *words[1:]])
    if _PERCENT.fullmatch(amount):
        if verb in ("refund", "reimburse", "credit") and not re.search(r"\boff\b", phrase):
            return f"{amount} of {phrase}"
        return None
    counted = _COUNT_OF.fullmatch(amount)
    if counted and not _DURATION.fullmatch(amount):
        unit = counted.group(2).lower()
        stem = unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit
        if any(g in (stem, stem + "s") for g in group):
            return " ".join([counted.group(1), *words[1 if article else 0 :]])
    return None


def _time_of(phrase: str, amount: str) -> str | None:
    """A remedy that is time of something, with the length said first: "2 hours of free
    driving time", "a month of Pulsewear Premium". None for a charge ("the service fee for
    1 month" is how long it is waived) or a phrase that already counts time."""
    length = amount.strip()
    group = noun_group(phrase)
    # A capitalised word is a name ("Pulsewear Premium"), not a charge.
    lower = [g for g, word in zip(group, phrase.split(" "), strict=False) if word.islower()]
    if not group or (group[-1] in lower[-1:] and group[-1] in _MONEY_HEADS):
        return None
    if _CHARGE.search(" ".join(lower)):
        return None
    if _DURATION.search(phrase) or group[0] in ("a", "an", "one"):
        return None  # "a voucher" is one thing, not time of it
    words = phrase.split(" ")
    if group[0] in ("a", "an", "the", "your", "some", "our"):
        words = words[1:]
    if length.split(" ", 1)[0] in ("1", "one"):
        length = "a " + length.split(" ", 1)[1]
    return f"{length} of {' '.join(words)}"


def _paid_for(thing: str, amount: str) -> bool:
    """Whether a sum of money is refunded for a thing that is not itself a sum ("your
    tickets", "Saturday's session"): it reads "€64.90 for Saturday's session"."""
    return bool(_MONEY_AMOUNT.fullmatch(amount.strip())) and _NOT_PAID_FOR.search(thing) is None


def compact_remedy(remedy: Remedy, *, described: bool, first: bool = True) -> str:
    """A short faithful form of a remedy, for a text message: its own words (or its kind),
    figures and status."""
    # A figure the description already carries is said once, unless only the kind is named.
    said = remedy.description.lower() if described else ""
    amount = remedy.amount or ""
    if amount.lower() in said or (said and amount_said(amount, said)):
        amount = ""
    code = remedy.code if remedy.code and remedy.code.lower() not in said else ""
    figures = amount + (f" (code {code})" if code else "")
    label = _KIND_LABELS[remedy.kind]
    if described:
        label = whole(phrase(remedy.description).text).rstrip(".")
    head = label + (f" {figures.strip()}" if figures else "")
    head = (
        ("To make amends: " if first else "") + (head[:1].lower() if first else head[:1]) + head[1:]
    )
    date = f" {when(remedy.date)}" if remedy.date else ""
    if remedy.status == "done":
        return f"{head}, done{date}."
    if remedy.status == "planned":
        return f"{head}, coming{date}."
    return f"{head}, on offer{f' ({remedy.date})' if remedy.date else ''}."


def _step_clause(w: Writer, p: Phrase) -> str:
    """A prevention step as a clause in our voice, whatever shape the caller wrote it in."""
    if p.shape == "clause":
        return mid(p.text)
    if p.shape == "instruction":
        return voiced(w.ours("we will "), w.voice) + instruction_as(p.text, "base")
    if p.shape == "gerund":
        return voiced(w.ours("we are "), w.voice) + mid(p.text)
    return voiced(w.ours("we are introducing "), w.voice) + indefinite(p.text)


def prevention_sentence(w: Writer, step: Prevention, *, first: bool, compact: bool = False) -> str:
    """One prevention step, with its metric, after a lead-in of ours (with `compact`, the
    shortest lead-in: what a tight `max_words` takes before it gives up the step's words)."""
    p = w.phrase(step.description, everyone=True)
    text = p.text
    # The figure is a sentence of its own, never a bracket after the step: "The result so
    # far: mis-sorts down 38% in a six-week pilot."
    metric = _figure(step, text)
    clause = _step_clause(w, p)
    drew = w.voice.plain or w.has("data_driven_transparency") or len(clause.split()) > _LONG_REMEDY
    if metric and (w.channel.max_chars is not None or w.request.max_words) and not drew:
        # A text, a chat reply or a letter held to `max_words` has room for the figure
        # only beside its step (a letter about figures, in plain words or with a long step
        # tells it on its own there too, as it always did).
        clause += f" ({metric})"
        metric = ""
    slot = "prevention_lead" if first else "prevention_more"
    if compact:
        slot += "_compact"
    sentence = w.say(slot, {"clause": clause}, draw=not compact) or whole(clause)
    if metric:
        # "In figures: 2 zones per file.", "Timeline: completion expected within 6 months."
        # for a figure that is not a result.
        told = {"metric": metric}
        if _PLANNED.search(metric):
            told = {"plan": metric}
        elif _NOT_A_RESULT.search(metric):
            told = {"figure": metric}
        # The figure once went in brackets outside data-driven letters, drawing no wording:
        # telling it leaves the rest of those letters' wording as it was.
        with nullcontext() if drew else w.picker.aside():
            said = w.say("metric_plain", told, draw=not compact)
        sentence += " " + (said or f"Result: {metric}.")
    return sentence


def _figure(step: Prevention, text: str) -> str:
    """A step's figure as the letter says it, unless the step's words give it already;
    without the brackets a caller may type round it ("(no address errors since)")."""
    metric = _missing(step.metric, text).strip()
    return _BRACKETED.sub(r"\1", metric).strip().rstrip(".")


_BRACKETED = re.compile(r"^\((.*)\)$")
_NOT_A_RESULT = re.compile(r"\b(?:per|each)\b", re.IGNORECASE)
_PLANNED = re.compile(r"\b(?:expected|target|targets|planned|aim|aims|due)\b", re.IGNORECASE)
"""A step's figure that is a plan or a measure ("completion expected within 6 months", "2
zones per file") rather than what the step has achieved."""


# --- parts ------------------------------------------------------------------------------------


def _fact_part(w: Writer, part: Part) -> list[Line]:
    req = w.request
    if part.part == "remedies":
        lines = []
        previous = None
        said_also = False
        said: set[str] = set()
        remedies = _remedies_once(req.remedies)
        if w.has("proactive_solutions"):
            # After "We have already started on this.", what is done comes first.
            remedies = sorted(remedies, key=lambda r: r.status != "done")
        led = False  # whether a remedy has been said after "To make amends"
        steps = _steps_before_amends(remedies)
        for i, remedy in enumerate(remedies):
            # "also" once in a run: "I've also covered ... I've also arranged" reads twice.
            also = previous == remedy.status and not said_also
            said_also = also
            # A step we took before it ("We've spoken to the driver.") leaves the lead to
            # the first remedy that makes amends.
            text = remedy_sentence(w, remedy, also=also, first=not led, step=steps[i])
            led = led or not steps[i]
            if len(remedies) > 1:
                text = _not_again(text, said)
            # The compact form speaks to the reader too ("Call you back", not "the customer").
            own = remedy.model_copy(update={"description": w.phrase(remedy.description).text})
            shorter = [compact_remedy(own, described=True, first=i == 0)]
            # Only its kind and figures: faithful when the figures name this remedy alone,
            # not one listed twice, whose other listing they may not belong to.
            listings = sum(_remedy_key(r) == _remedy_key(remedy) for r in req.remedies)
            if (remedy.amount or remedy.code) and listings == 1:
                shorter.append(compact_remedy(own, described=False, first=i == 0))
            lines.append(Line(text, part, shorter))
            previous = remedy.status
        return lines
    if part.part == "prevention":
        short = w.say("prevention_short")
        lines = []
        metrics: set[str] = set()
        for step in _steps_once(w, req.prevention):
            metric = " ".join((step.metric or "").lower().split())
            if metric in metrics:
                step = step.model_copy(update={"metric": None})  # one figure, said once
            metrics.add(metric)
            text = prevention_sentence(w, step, first=not lines)
            compact = prevention_sentence(w, step, first=not lines, compact=True)
            shorter = [compact] if len(compact) < len(text) else []
            alone = prevention_sentence(w, step, first=True, compact=True) if lines else None
            lines.append(Line(text, part, shorter, squeezed=short, step=step, alone=alone))
        return lines
    if part.part == "summary":
        return _summary_line(w, part)
    if part.part == "social_done":
        return _social_done(w, part)
    raise PhraseBankError(f"plan.yaml: no wording for part {part.part!r}")


def _remedy_key(remedy: Remedy) -> tuple[str, str, str]:
    """What makes two listings one remedy: kind, words (in any case, with or without a full
    stop) and status."""
    words = " ".join(remedy.description.lower().split()).rstrip(" .")
    return (remedy.kind, words, remedy.status)


def _remedies_once(remedies: list[Remedy]) -> list[Remedy]:
    """The remedies, each offered once: a remedy listed twice (the same kind, status and
    words, in any case, with or without a full stop) is one remedy carrying the amount and
    date either listing gave, and every code given for it ("Your code is SORRY15 and
    ab12cd."). Listings whose amounts or dates differ stay apart: they say different things."""
    if len(remedies) < 2:
        return remedies
    kept: list[Remedy] = []
    keys: list[tuple[str, str, str]] = []
    for remedy in remedies:
        key = _remedy_key(remedy)
        for i, (k, old) in enumerate(zip(keys, kept, strict=True)):
            if k != key:
                continue
            if remedy.amount and old.amount and remedy.amount != old.amount:
                continue
            if remedy.date and old.date and remedy.date != old.date:
                continue
            codes = [c for c in (old.code, remedy.code) if c]
            kept[i] = old.model_copy(
                update={
                    "description": min(old.description, remedy.description, key=len),
                    "amount": old.amount or remedy.amount,
                    "date": old.date or remedy.date,
                    "code": " and ".join(dict.fromkeys(codes)) or None,
                }
            )
            break
        else:
            keys.append(key)
            kept.append(remedy)
    return kept


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _not_again(text: str, said: set[str]) -> str:
    """A remedy's sentences, with one of ours already said for an earlier remedy ("We will
    do this on 14 March.") told as the same again ("We will do this on 14 March as well.")."""
    out = []
    for sentence in _SENTENCE_END.split(text):
        key = " ".join(sentence.lower().split())
        if key in said and sentence.endswith(".") and not sentence.endswith(" as well."):
            sentence = sentence[:-1] + " as well."
        said.add(key)
        out.append(sentence)
    return " ".join(out)


def _steps_once(w: Writer, steps: list[Prevention]) -> list[Prevention]:
    """The prevention steps, each said once: a step listed twice (in any case, with or
    without its full stop, once as the field's repeated maximum) is one step, in the
    shortest of its wordings, carrying the figure either listing gave. A step given with two
    different figures is said once with both ("a proof sign-off (every order since 1 May;
    0 date errors in 300 orders)"), never as the same sentence twice."""
    if len(steps) < 2:
        return steps
    kept: list[Prevention] = []
    keys: list[tuple[str, str]] = []  # (step, figure) of each kept step
    for step in steps:
        key = " ".join(w.phrase(step.description, everyone=True).text.lower().split())
        key = key.rstrip(" .")
        metric = " ".join((step.metric or "").lower().split())
        if metric and any(m == metric for k, m in keys if k != key):
            metric = ""  # one figure, said once, with the step that gave it first
            step = step.model_copy(update={"metric": None})
        same = [j for j, (k, _) in enumerate(keys) if k == key]
        if not same:
            keys.append((key, metric))
            kept.append(step)
            continue
        i = same[0]
        old = kept[i]
        shorter = min(old.description, step.description, key=len)
        figures = [f for f in (old.metric, step.metric) if f]
        joined: str | None = figures[0] if figures else None
        if len(figures) == 2 and keys[i][1] != metric:
            joined = f"{figures[0]}; {figures[1]}"  # both figures, after the step said once
        kept[i] = old.model_copy(update={"description": shorter, "metric": joined})
        keys[i] = (key, " ".join((joined or "").lower().split()))
    return kept


def _summary_line(w: Writer, part: Part) -> list[Line]:
    text = w.say("sms_summary")
    short = w.say("sms_summary_short")
    if not text:
        text, short = short, None
    return [Line(text, part, squeezed=short)] if text else []


_FACT_PARTS = {"remedies", "prevention", "summary", "social_done"}
_FIGURES = re.compile(
    # Money, a percentage or a code: what a public reply leaves out ("28 seats" may stay).
    r"[$€£¥%]|\bpercent\b|\b(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9-]{3,}\b|"
    r"\d[\d,.]*\s?(?:USD|EUR|GBP|CHF|CAD|AUD|JPY|points|coins)\b",
    re.IGNORECASE,
)


def _without_led_amount(remedy: Remedy, typed: list[Remedy]) -> str:
    """A remedy's description without the amount `amounts_led` put into it ("£10 voucher"
    -> "voucher", "a £25 credit for the trouble" -> "a credit for the trouble"), for a
    public reply that says no figures; as it stands otherwise."""
    amount = (remedy.amount or "").strip()
    text = remedy.description
    if not amount or amount not in text or any(amount in r.description for r in typed):
        return text
    if not any(r.description.strip(" .").lower() in text.lower() for r in typed):
        return text
    bare = " ".join(text.replace(amount, " ").split())
    bare = re.sub(r"^(?:a|an) (?=\w)", lambda m: "an " if bare[2:3] in "aeiou" else "a ", bare)
    return text if not bare or bare.startswith(("off ", "of ")) else bare


def _social_done(w: Writer, part: Part) -> list[Line]:
    """What is already done, told in public: the first done remedy in the caller's words
    when they carry no figures (amounts and codes stay out of a public reply), else a
    generic line."""
    generic = w.say(
        "social_done" if any(r.status == "done" for r in w.request.remedies) else "social_offer"
    )
    ordered = sorted(w.request.remedies, key=lambda r: r.status != "done")
    lines: list[Line] = []
    for remedy in ordered:
        if lines and remedy.status == "done":
            continue  # one done remedy, then one offer (or plan) beside it
        figures = [x.lower() for x in (remedy.amount, remedy.code) if x]
        described = _without_led_amount(remedy, w.typed_remedies)
        if _FIGURES.search(described) and remedy.status != "done" and remedy.kind in _OFFER_KINDS:
            # "20% off the reprint" said in public without its figure: "a discount on the
            # reprint", not left out.
            after = re.search(r"\boff\s+(\S.*)$", described)
            described = _OFFER_KINDS[remedy.kind] + (f" on {after.group(1)}" if after else "")
        if not _FIGURES.search(described):
            bare = remedy.model_copy(
                # A date with no digits ("this week", "Friday") is no figure: it stays.
                update={"description": described, "amount": None, "code": None}
                | {"date": None if re.search(r"\d", remedy.date or "1") else remedy.date}
            )
            if lines:
                action = _action_only(lines[0].text)  # "We've spoken to the driver."
                with w.picker.aside():  # the offer may not fit: the rest reads as without it
                    text = remedy_sentence(w, bare, also=not action, first=action)
            else:
                text = remedy_sentence(w, bare, also=False)
            if not _FIGURES.search(text) and not any(
                p.lower() in text.lower() for p in [*w._private_words(), *figures]
            ):
                if not lines:
                    lines.append(Line(text, part, [generic] if generic else []))
                    if remedy.status != "done":
                        break
                else:
                    # What we offer beside what is done, when the reply has room for it:
                    # the reader learns there is more than a refund waiting in the message.
                    # It gives way only to the reply's essentials: the invitation takes its
                    # short form first ("Message us and we will help.").
                    lines.append(Line(text, replace(part, priority="fact")))
                    break
    if lines:
        return lines
    return [Line(generic, part)] if generic else []


_NO_SUMMARY = {
    "summary": "",
    "summary_np": "",
    "summary_mid": "",
    "summary_question": "",
    "summary_asked": "",
    "summary_that": "",
}


# A cause that says the cause is not known yet ("we are still establishing how the chair
# was damaged"): said as the caller wrote it, not framed as a confirmed finding.
_CAUSE_UNKNOWN = re.compile(
    r"^(?:we|i)\s+(?:are|am|'re|’re|'m|’m)\s+still\b|^(?:we|i)\s+(?:do\s+not|don't|don’t)\s+"
    r"(?:yet\s+)?know\b|^(?:still\s+)?(?:under|being)\s+investigat",
    re.IGNORECASE,
)


def _slot_part(w: Writer, part: Part) -> list[Line]:
    if part.part == "cause" and w.cause is not None and _CAUSE_UNKNOWN.search(w.cause.inner):
        told = w.cause.inner
        return [Line(told[:1].upper() + told[1:].rstrip(".") + ".", part)]
    if part.part == "sms_cause" and w.cause is not None and _CAUSE_UNKNOWN.search(w.cause.inner):
        return []  # "This is on us" does not frame a cause still being established
    text = w.say(part.part)
    if not text:
        return []
    squeezed = None
    if part.part in _INVITES:
        short = w.say(part.part + "_short")
        return [Line(text, part, [short] if short else [])]
    if part.part in _TERSE_FIRST:
        with w.picker.aside():  # kept in reserve: the rest reads as without it
            short = w.say(part.part + "_short")
        return [Line(text, part, [short] if short else [])]
    if part.part in ("acknowledge", "social_ack") and w.values["summary_mid"]:
        # Without the caller's summary, for a channel whose limit it would break.
        squeezed = w.say(part.part, _NO_SUMMARY)
    dated = _with_incident_date(w, text) if part.part == "acknowledge" else text
    if dated != text:
        return [Line(dated, part, [text], squeezed=squeezed)]
    return [Line(text, part, squeezed=squeezed)]


_ROOMY_CHANNELS = ("email", "letter", "public_statement")
_PAST_DAYS = ("yesterday", "last ", "earlier ", "over ", "during ", "between ", "overnight")
_A_DATE = re.compile(
    r"\d|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec)[a-z]*\b|^(?:yesterday|today|tonight|overnight|last |earlier |this )",
    re.IGNORECASE,
)
"""A date the letter can tell: a figure, a day or a month ("ongoing" or "unknown" is not)."""


def _with_incident_date(w: Writer, text: str) -> str:
    """The telling of what happened with the incident's date as the caller wrote it ("That
    was on Saturday 5 October."), after the summary, where the channel has room and the
    letter does not already say it; the sentence without it stays as its shorter form."""
    date = (w.request.incident.date or "").strip().rstrip(".")
    if not _A_DATE.search(date) or w.channel.key not in _ROOMY_CHANNELS:
        return text
    if date.lower() in text.lower():
        return text
    summary = w.values["summary"]
    at = text.index(summary) + len(summary) if summary and summary in text else len(text)
    # "That was on ..." before "This was our mistake"; "This was on ..." before "That should
    # not have happened."
    that = "This" if text[at:].strip().startswith("That") else "That"
    since = re.match(r"since\s+", date, re.IGNORECASE)
    if since:  # "since Monday": "That began on Monday."
        sentence = f"{that} began {when(date[since.end() :])}."
    else:
        said = date if date.lower().startswith(_PAST_DAYS) else when(date)
        sentence = f"{that} was {said}."
    return f"{text[:at]} {sentence}{text[at:]}"


_OFFER_LEAD = re.compile(r"^(?:we|i)(?:'d|’d| would)(?: also)? like to offer you ", re.I)
_WE_START = re.compile(r"^(?:We|I)(?:'ve|'ll|'d|’ve|’ll|’d)?\s")


def _one_remedy_line(lines: list[Line]) -> list[Line]:
    """A text message's remedies in one sentence ("We've refunded the call-out fee of £45,
    we'll arrange the first slot of the day tomorrow, and we'd like to offer you 10% off the
    repair."), leaving room for why it happened. Only when each remedy is one sentence of
    ours starting "We" or "I"; otherwise they stay apart."""
    if len(lines) < 2:
        return lines
    texts = [ln.text for ln in lines]
    one = all(
        _WE_START.match(t)
        and t.endswith(".")
        and ", and " not in t
        and not _SENTENCE_END.search(t[:-1])
        for t in texts
    )
    if not one:
        return lines
    clauses: list[str] = []
    for t in texts:
        clause = t[:-1]
        if clauses and not clause.startswith(("I ", "I'", "I’")):
            clause = clause[:1].lower() + clause[1:]
        lead = _OFFER_LEAD.match(clause)
        if clauses and lead and _OFFER_LEAD.match(clauses[-1].split(", ")[-1]):
            # "we'd like to offer you a £15 voucher and a free car space", not the offer twice
            clauses[-1] += " and " + clause[lead.end() :]
            continue
        clauses.append(clause)
    joined = ", ".join(clauses[:-1]) + ", and " + clauses[-1] if clauses[1:] else clauses[0]
    levels = max(len(ln.shorter) for ln in lines)
    shorter = [
        " ".join(
            ln.shorter[min(level, len(ln.shorter) - 1)] if ln.shorter else ln.text for ln in lines
        )
        for level in range(levels)
    ]
    return [Line(joined + ".", lines[0].part, shorter)]


def _lines(w: Writer, key: str, options: ComposeOptions) -> list[Line]:
    long = w.voice.length == "long"
    lines: list[Line] = []
    extra: list[Line] = []
    for part in plan().parts[key]:
        if part.extra and not long:
            continue
        if not all(w.holds(c) for c in part.when):
            continue
        priority = part.priority
        if priority == "required":
            required = part.element in w.channel.required
            priority = "essential" if required else "optional"
        part = Part(part.part, part.element, priority, part.when, part.extra, part.group)
        length = "plain" if w.voice.plain and w.voice.length == "normal" else w.voice.length
        if key == "letter" and priority in _DROPPED_BY_LENGTH.get(length, ()):
            continue
        made = _fact_part(w, part) if part.part in _FACT_PARTS else _slot_part(w, part)
        if key == "sms" and part.part == "remedies":
            made = _one_remedy_line(made)
        if w.voice.plain:
            for line in made:
                line.text = " ".join(split_long(line.text))
        lines += made
        if part.part == "remedies":
            extra = [Line(t, part) for t in options.extra_lines]
            lines += extra
    # A sentence carried over from the source that a later part writes itself (the
    # invitation's "You can reach me directly at …") is said once, where the plan puts it.
    carried = {id(line) for line in extra}
    written = {line.text for line in lines if id(line) not in carried}
    return [line for line in lines if id(line) not in carried or line.text not in written]


# --- layout and fitting -----------------------------------------------------------------------


@dataclass
class Frame:
    greeting: str | None = None
    signoff: str | None = None
    signature: list[str] = field(default_factory=list)


def letter_frame(w: Writer) -> Frame:
    """Greeting, sign-off and signature for the channel."""
    ch, sender = w.channel, w.request.sender
    frame = Frame()
    if ch.has_greeting:
        frame.greeting = w.say("greeting") or w.say("greeting_anonymous") or "Hello,"
    if ch.has_signature:
        if w.public:
            frame.signature = (
                [sender.organization]
                if sender.organization
                else [x for x in (sender.name, sender.title) if x]
            )
        else:
            frame.signoff = w.say("signoff")
            frame.signature = [
                x for x in (sender.name, sender.title, sender.organization, sender.contact) if x
            ]
        if not frame.signature:
            team = {"client": "Your account team", "colleague": "The team"}
            frame.signature = [team.get(w.request.audience, "The customer care team")]
    return frame


def _render_letter(w: Writer, lines: list[Line], frame: Frame) -> str:
    layout = plan().layouts[w.channel.key]
    if layout.end_with:
        ending = [ln for ln in lines if ln.part.part == layout.end_with]
        lines = [ln for ln in lines if ln.part.part != layout.end_with] + ending
    paragraphs: list[str] = []
    placed: set[int] = set()
    for groups in layout.paragraphs:
        chosen = [i for i, ln in enumerate(lines) if ln.part.group in groups and i not in placed]
        if layout.end_with:
            chosen = [i for i in chosen if lines[i].part.part != layout.end_with]
        placed.update(chosen)
        texts = [lines[i].text for i in chosen]
        step = layout.per_paragraph or len(texts) or 1
        paragraphs += [" ".join(texts[i : i + step]) for i in range(0, len(texts), step)]
    rest = [ln.text for i, ln in enumerate(lines) if i not in placed]
    if rest:
        if layout.per_paragraph and paragraphs and len(rest) == 1:
            paragraphs[-1] = (paragraphs[-1] + " " + rest[0]).strip()
        else:
            paragraphs.append(" ".join(rest))
    parts = [frame.greeting] if frame.greeting else []
    parts += [p for p in paragraphs if p]
    signoff = frame.signoff
    if signoff == "Thanks," and paragraphs and "Thank" in paragraphs[-1]:
        signoff = "Best regards,"  # "Thanks for bearing with me on this." then "Thanks,"
    if signoff or frame.signature:
        parts.append("\n".join(([signoff] if signoff else []) + frame.signature))
    return "\n\n".join(parts)


def _render_single(lines: list[Line]) -> str:
    # A text message's cause carries the responsibility line with it ("This is on us: the
    # job was assigned to an engineer who was off sick."), said once.
    texts = [
        ln.text
        for ln, after in zip(lines, [*lines[1:], None], strict=True)
        if not (ln.part.part == "sms_responsibility" and after and after.part.part == "sms_cause")
    ]
    return " ".join(texts)


def _fits(text: str, max_words: int | None, max_chars: int | None) -> bool:
    if max_chars is not None and len(text) > max_chars:
        return False
    return max_words is None or len(text.split()) <= max_words


def _refill(
    lines: list[Line],
    kept: list[Line],
    dropped: list[Line],
    render: Callable[[list[Line]], str],
    max_words: int | None,
    max_chars: int | None,
) -> tuple[str, list[Line]]:
    """Put back any line dropped on the way that still fits beside the others (a text
    message's invitation, once a longer sentence has made room), in the plan's order."""
    for line in reversed(dropped):  # the most valuable (dropped last) first
        trial = [ln for ln in lines if ln in kept or ln is line]
        if _fits(render(trial), max_words, max_chars):
            kept = trial
    return render(kept), kept


_INVITES = ("social_invite", "sms_invite")
_TERSE_FIRST = (*_INVITES, "social_responsibility")
"""Parts whose short wording is taken before a fact gives way."""


def fit(
    lines: list[Line],
    render: Callable[[list[Line]], str],
    max_words: int | None,
    max_chars: int | None,
    *,
    drop: tuple[str, ...] = _DROP_ORDER,
    shorten: bool = True,
) -> tuple[str, list[Line]]:
    """Drop parts (optional, then strategy, then background facts, from the end), then take
    shorter wordings, until the rendered draft fits."""
    text = render(lines)
    if _fits(text, max_words, max_chars):
        return text, lines
    kept = list(lines)
    dropped: list[Line] = []
    terse = [ln for ln in kept if ln.part.part in _TERSE_FIRST and ln.shorter]
    for priority in drop:
        if priority == "fact" and shorten and terse:
            # A fact (a social reply's offer) stays when the invitation and the owning
            # sentence in fewer words make room for it ("This is on us.", "Message us and
            # we will help."); if that is not enough, they keep their words.
            worded = [ln.text for ln in terse]
            for ln in terse:
                ln.text = ln.shorter[0]
            if _fits(render(kept), max_words, max_chars):
                return _refill(lines, kept, dropped, render, max_words, max_chars)
            for ln, said in zip(terse, worded, strict=True):
                ln.text = said
        for i in reversed(range(len(kept))):
            if kept[i].part.priority == priority:
                dropped.append(kept.pop(i))
                text = render(kept)
                if _fits(text, max_words, max_chars):
                    return _refill(lines, kept, dropped[:-1], render, max_words, max_chars)
    # A closing invitation takes its short form before a fact does.
    order = sorted(kept, key=lambda ln: ln.part.part not in _INVITES)
    for level in range(2 if shorten else 0):
        changed = False
        for ln in order:
            if len(ln.shorter) > level:
                ln.text = ln.shorter[level]
                changed = True
                text = render(kept)
                if _fits(text, max_words, max_chars):
                    # A line dropped on the way (the invitation) may fit again now.
                    return _refill(lines, kept, dropped, render, max_words, max_chars)
        if not changed:
            break
    if shorten and max_chars is not None:
        before = {id(ln): ln.text for ln in kept}
        squeezed: list[Line] = []
        for ln in list(kept):
            if ln.squeezed is not None:
                squeezed.append(ln)
                if ln.text == ln.squeezed:
                    continue  # already as short as it goes ("About order 5531 and what ...")
                if any(other.text == ln.squeezed for other in kept):
                    kept.remove(ln)  # a second step squeezed to the same generic line
                else:
                    ln.text = ln.squeezed
                text = render(kept)
                if _fits(text, max_words, max_chars):
                    return _unsqueeze(lines, kept, squeezed, before, render, max_words, max_chars)
    return text, kept


def _unsqueeze(
    lines: list[Line],
    kept: list[Line],
    squeezed: list[Line],
    before: dict[int, str],
    render: Callable[[list[Line]], str],
    max_words: int | None,
    max_chars: int,
) -> tuple[str, list[Line]]:
    """Give back their own words to squeezed lines that fit again once a later line made
    room: the prevention steps first, in the plan's order (each is an authorised commitment),
    then the others (an acknowledgment's summary), shortest first."""
    order = sorted(squeezed, key=lambda x: (x.part.part != "prevention", len(before[id(x)])))
    order = [x for x in lines if x in order and x.part.part == "prevention"] + [
        x for x in order if x.part.part != "prevention"
    ]
    for ln in order:
        squeezed_text = ln.text
        ln.text = before[id(ln)]
        trial = [x for x in lines if x in kept or x is ln]
        if not _fits(render(trial), max_words, max_chars):
            # A step in its own words in place of the generic line that stood for the
            # steps too long to state: the letter still says what changes.
            trial = [
                x for x in trial if x is ln or x.part.part != ln.part.part or x.text != x.squeezed
            ]
        # The first step the letter now states takes the first step's lead-in.
        lead = next((x for x in trial if x.part.part == ln.part.part), None)
        lead_text = lead.text if lead else ""
        if lead is not None and lead.alone and lead.text != lead.squeezed:
            lead.text = lead.alone
        if _fits(render(trial), max_words, max_chars):
            kept = trial
        else:
            ln.text = squeezed_text
            if lead is not None and lead is not ln:
                lead.text = lead_text
    return render(kept), kept


def _subject(w: Writer) -> str | None:
    if not w.channel.has_subject:
        return None
    return w.say("headline" if w.public else "subject")


def compose(request: DraftRequest, options: ComposeOptions | None = None) -> ComposedDraft:
    """Write the draft for `request`; the same request always gives the same text. A
    request whose `max_words` the usual wording cannot meet is written in the short voice
    (essential parts, shortest wordings); if even that does not fit, `DoesNotFit`."""
    options = options or ComposeOptions()
    voice = voice_for(
        request.tone, operation=options.operation, brand="brand_personality" in request.strategies
    )
    draft, unstated = _compose(request, options, voice)
    limit = request.max_words
    over = limit is not None and len(draft.body.split()) > limit
    if (over or unstated) and limit is not None and voice.length != "short":
        draft, unstated = _compose(request, options, replace(voice, length="short"))
    if limit is not None and len(draft.body.split()) > limit:
        raise DoesNotFit(len(draft.body.split()), limit)
    max_chars = get_catalog().channels[request.channel].max_chars
    if max_chars is not None and len(draft.body) > max_chars:
        raise DoesNotFit(len(draft.body), max_chars, field="channel")
    if unstated:
        # A prevention step the letter has no room for is an authorised fact left out: the
        # request needs more words (or characters) than it allows.
        words, chars = unstated
        if limit is not None and words > limit:
            raise DoesNotFit(words, limit)
        raise DoesNotFit(chars, max_chars or chars - 1, field="channel")
    return draft


def _compose(
    request: DraftRequest, options: ComposeOptions, voice: Voice
) -> tuple[ComposedDraft, tuple[int, int] | None]:
    """The draft, and, when a required prevention step could not be stated within the
    limits, the words and characters a letter stating every step needs."""
    channel = get_catalog().channels[request.channel]
    w = Writer(request, channel, voice)
    if channel.key in ("sms", "social"):
        lines = _lines(w, channel.key, options)
        text, _ = fit(lines, _render_single, request.max_words, channel.max_chars)
        return ComposedDraft(subject=None, body=text), None
    lines = _lines(w, "letter", options)
    frame = letter_frame(w)
    soft_words = request.max_words
    if channel.words and voice.length != "long":
        soft_words = min(channel.words[1], soft_words or channel.words[1])
    render = lambda ls: _render_letter(w, ls, frame)  # noqa: E731
    # The channel's usual length drops only optional sentences; the caller's facts and the
    # requested strategies give way only to hard limits (max_words, max_chars).
    _, lines = fit(lines, render, soft_words, None, drop=("optional",), shorten=False)
    text, kept = fit(lines, render, request.max_words, channel.max_chars)
    unstated = None
    if "prevention" in channel.required:
        text, unstated = _every_step(w, lines, kept, render, text, request.max_words)
    return ComposedDraft(subject=_subject(w), body=text), unstated


def _every_step(
    w: Writer,
    lines: list[Line],
    kept: list[Line],
    render: Callable[[list[Line]], str],
    text: str,
    max_words: int | None,
) -> tuple[str, tuple[int, int] | None]:
    """A letter that fitting left without one of its prevention steps (a tight `max_words`
    in a chat squeezes steps to the generic line) states them all in one sentence if that
    fits ("To prevent a repeat, we are introducing a weekly audit and monitoring."); if it
    does not, the words and characters such a letter needs, for the 422. A step the
    channel's characters leave no room for at all may go unsaid."""
    steps = [ln for ln in lines if ln.step is not None]
    kept_ids = {id(ln) for ln in kept}
    unsaid = [ln for ln in steps if id(ln) not in kept_ids or ln.text == ln.squeezed]
    if not unsaid:
        return text, None
    limit = w.channel.max_chars
    room = [
        ln
        for ln in unsaid
        if ln.step and (limit is None or len(text) + len(ln.step.description) + 2 <= limit)
    ]
    if not room:
        return text, None
    sayable = [ln.step for ln in steps if ln.step and (ln not in unsaid or ln in room)]
    together = Line(_steps_together(w, sayable), steps[0].part)
    trial: list[Line] = []
    for ln in lines:
        if ln.step is not None:
            if together not in trial:
                trial.append(together)
        elif id(ln) in kept_ids:
            trial.append(ln)
    combined = render(trial)
    if _fits(combined, max_words, limit):
        return combined, None
    return text, (len(combined.split()), len(combined))


def _steps_together(w: Writer, steps: list[Prevention]) -> str:
    """Every prevention step in one sentence, each with its figure, after the shortest
    lead-in; a lead the steps share is said once ("we are introducing a weekly audit of
    hold queues and monitoring")."""
    clauses: list[str] = []
    lead = ""
    for step in steps:
        p = w.phrase(step.description, everyone=True)
        clause = _step_clause(w, p)
        metric = _figure(step, p.text)
        if metric:
            clause += f" ({metric})"
        for start in (
            "we are introducing ",
            "we're introducing ",
            "I am introducing ",
            "I'm introducing ",
        ):
            if clause.startswith(start):
                if lead == start:
                    clause = clause[len(start) :]
                lead = start
                break
        else:
            lead = ""
        clauses.append(clause)
    joined = ", ".join(clauses[:-1]) + (" and " if len(clauses) > 1 else "") + clauses[-1]
    return w.say("prevention_lead_compact", {"clause": joined}, draw=False) or whole(joined)


# --- one fact at a time (for salvage) -------------------------------------------------------

FACT_KEYS = (
    "remedy:<i>",
    "prevention:<i>",
    "reference",
    "greeting",
    "signature",
    "invitation",
    "subject",
    "regret",
    "responsibility",
    "close",
    "acknowledgment",
    "impact",
)


def _index(fact: str, kind: str, size: int) -> int:
    try:
        index = int(fact.split(":", 1)[1])
    except ValueError:
        raise ValueError(f"{fact!r}: expected {kind}:<index>") from None
    if not 0 <= index < size:
        raise ValueError(f"{fact!r}: the request has {size} {kind} item(s)")
    return index


def fact_sentence(request: DraftRequest, fact: str, channel: str, *, first: bool = True) -> str:
    """One sentence (for "signature", the sign-off and signature lines) stating `fact` of
    `request` as the composer words it on `channel`. `fact` is one of `FACT_KEYS`; an
    unknown key or an index outside the request's lists raises ValueError. A prevention
    step that follows another one in the text (`first=False`) takes the shorter lead-in."""
    target = request.model_copy(update={"channel": channel})
    voice = voice_for(target.tone, brand="brand_personality" in target.strategies)
    w = Writer(target, get_catalog().channels[channel], voice)
    if fact.startswith("remedy:"):
        index = _index(fact, "remedy", len(target.remedies))
        return remedy_sentence(w, target.remedies[index], also=False)
    if fact.startswith("prevention:"):
        index = _index(fact, "prevention", len(target.prevention))
        return prevention_sentence(w, target.prevention[index], first=first)
    if fact == "reference":
        if not target.incident.reference:
            raise ValueError("the request has no incident.reference")
        return w.say("reference_line") or f"This is about {w.values['ref_phrase']}."
    if fact == "greeting":
        return letter_frame(w).greeting or w.say("greeting_anonymous") or "Hello,"
    if fact == "signature":
        frame = letter_frame(w)
        return "\n".join(([frame.signoff] if frame.signoff else []) + frame.signature)
    if fact == "invitation":
        if w.public and not w.channel.has_subject:  # a public reply goes on in private
            return w.say("social_invite") or "Please send us a direct message."
        return w.say("invitation") or w.say("sms_invite") or "Please reply with any questions."
    if fact == "subject":
        return _subject(w) or ""
    if fact == "acknowledgment":  # what happened, in the words a public reply may use
        return w.say("social_ack") or w.values["summary"] or ""
    if fact in ("regret", "responsibility", "close"):
        return w.say(fact) or ""
    if fact == "impact":  # what the incident meant for the reader, as the request gives it
        if not target.incident.impact:
            raise ValueError("the request has no incident.impact")
        return w.say("impact") or ""
    raise ValueError(f"unknown fact {fact!r}; expected one of {', '.join(FACT_KEYS)}")
