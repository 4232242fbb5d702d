"""The caller's facts, made ready for sentences: names, the reference, the incident text, and
every remedy and prevention step rendered exactly as authorised.

Nothing here adds a fact. A remedy is said to be done only when its status is `done`, offered
when `offered`, and promised with its date when `planned`; amounts, codes and dates are copied
from the request verbatim. `fact_tokens` finds the figures and codes in any text, which the
rewrite uses to prove that nothing was lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prompts.catalog import get_catalog
from service.composer.phrases import topics
from service.models import DraftRequest, Prevention, Remedy

# Words that may start a caller's phrase and are safe to lower-case mid-sentence; anything
# else (a product or a person's name) keeps its capital.
_LOWERABLE = {
    "a",
    "an",
    "the",
    "your",
    "our",
    "we",
    "this",
    "that",
    "these",
    "those",
    "it",
    "its",
    "some",
    "several",
    "one",
    "two",
    "three",
    "four",
    "five",
    "there",
    "their",
    "they",
    "after",
    "before",
    "during",
    "when",
    "while",
    "because",
    "due",
    "since",
}
_DETERMINERS = {
    "a",
    "an",
    "the",
    "your",
    "our",
    "this",
    "that",
    "these",
    "those",
    "its",
    "their",
    "one",
    "two",
    "three",
    "four",
    "five",
    "any",
    "each",
    "every",
    "free",
}
_SUBJECTS = {"we", "our", "i", "my", "they"}
_MASS_NOUNS = {
    "shipping",
    "delivery",
    "support",
    "access",
    "training",
    "onboarding",
    "help",
    "credit",
    "assistance",
    "priority",
    "express",
    "expedited",
}

# Third-person wording a caller may use for the reader, and the second-person form.
_PERSON_SWAPS = (
    (r"\bthe (?:customer|client)'s\b", "your"),
    (r"\bthe (?:customer|client) (?:was|is)\b", "you were"),
    (r"\bthe (?:customer|client) has\b", "you have"),
    (r"\bthe (?:customer|client)\b", "you"),
)

_VERBS: dict[str, tuple[str, str]] = {
    # kind: (past participle for "done", base form for "planned")
    "refund": ("issued", "issue"),
    "credit": ("added", "add"),
    "discount": ("set up", "set up"),
    "replacement": ("sent", "send"),
    "expedite": ("arranged", "arrange"),
    "service": ("arranged", "arrange"),
    "other": ("arranged", "arrange"),
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

MONEY = r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|CAD|AUD)\b"
PERCENT = r"\b\d+(?:\.\d+)?\s?%"
CODE = r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]*[A-Z0-9]\b"
NUMBER = r"\d+(?:[.,:]\d+)*"
_TOKEN = re.compile(f"{MONEY}|{PERCENT}|{CODE}|{NUMBER}")


def fact_tokens(text: str) -> set[str]:
    """Amounts, percentages, codes/references and every other digit group in `text`."""
    return {m.group(0).strip() for m in _TOKEN.finditer(text)}


def clause(text: str) -> str:
    """A caller's phrase made ready for the middle of a sentence: no final stop, and a
    lower-case first letter when the first word is an ordinary one."""
    text = " ".join(text.split()).rstrip(" .;:")
    first = text.split(" ", 1)[0]
    if first.lower() in _LOWERABLE and not first.isupper():
        text = first.lower() + text[len(first) :]
    return text


def sentence(text: str) -> str:
    """A caller's phrase made into a sentence: capital first letter and a final stop."""
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text[-1:] in ".!?" else text + "."


def second_person(text: str) -> str:
    """Turn "the customer's trip" into "your trip" when writing to that customer."""
    for pattern, repl in _PERSON_SWAPS:
        text = re.sub(pattern, repl, text, flags=re.IGNORECASE)
    return text


def _shape(description: str) -> str:
    first = description.split(" ", 1)[0].lower()
    if first in _SUBJECTS:
        return "clause"
    words = description.lower().split()
    # "retraining the night shift" is an action; "matching pair of gloves" is a thing.
    if (
        first.endswith("ing")
        and first not in _MASS_NOUNS
        and len(words) > 1
        and words[1] in _DETERMINERS | {"all", "our", "my"}
    ):
        return "gerund"
    return "noun"


def definite(description: str) -> str:
    """A noun phrase that reads after a verb: "the refund of the shipping fee"."""
    text = clause(description)
    first = text.split(" ", 1)[0].lower()
    if first in _DETERMINERS or first[:1].isdigit() or first[:1] in "$€£¥":
        return text
    return "the " + text


def indefinite(description: str) -> str:
    """A noun phrase that reads after "offer you": "a refund", "15% off", "free shipping"."""
    text = clause(description)
    first = text.split(" ", 1)[0].lower()
    if first in _DETERMINERS or first in _MASS_NOUNS or not first[:1].isalpha():
        return text
    if text.split(" ", 1)[0].endswith("s") and not first.endswith("ss"):
        return text  # plural: "two extra months"
    return ("an " if first[0] in "aeiou" else "a ") + text


@dataclass(frozen=True)
class RemedyWords:
    """The placeholder values one remedy contributes to its sentence."""

    values: dict[str, str]
    shape: str


def remedy_words(remedy: Remedy, *, first: bool) -> RemedyWords:
    """Placeholders for a remedy sentence; amount and date appear only when supplied and not
    already part of the description."""
    desc = remedy.description
    extra = f" ({remedy.amount})" if remedy.amount and remedy.amount not in desc else ""
    dated = remedy.date is not None and remedy.date not in desc
    shape = _shape(desc)
    done, plan = _VERBS[remedy.kind]
    if shape == "gerund":
        done, plan = "taken care of", "take care of"
    values = {
        "thing": definite(desc) if shape != "gerund" else clause(desc),
        "offer": indefinite(desc) if shape == "noun" else clause(desc),
        "verb_done": done,
        "verb_plan": plan,
        "extra": extra,
        "also": "" if first else " also",
        "on_date": f" on {remedy.date}" if dated else "",
        "date_note": f" ({remedy.date})" if dated else "",
        "date": remedy.date or "",
        "code": remedy.code if remedy.code and remedy.code not in desc else "",
    }
    return RemedyWords(values=values, shape=shape)


def clause_remedy(remedy: Remedy) -> str:
    """A remedy described as a whole clause ("we refunded the fee"), with its status made
    explicit, for descriptions that cannot follow a verb of ours."""
    label = {"done": "Already done", "offered": "On offer to you", "planned": "Planned"}
    parts = [sentence(remedy.description).rstrip(".")]
    for extra in (remedy.amount, remedy.code, remedy.date):
        if extra and extra not in remedy.description:
            parts.append(extra)
    when = f", by {remedy.date}" if remedy.status == "planned" and remedy.date else ""
    return f"{label[remedy.status]}{when}: " + ", ".join(parts) + "."


def compact_remedy(remedy: Remedy) -> str:
    """The shortest faithful form of a remedy, for SMS: kind, figures and status."""
    figures = " ".join(x for x in (remedy.amount, remedy.code) if x)
    head = _KIND_LABELS[remedy.kind] + (f" {figures}" if figures else "")
    if remedy.status == "done":
        return f"{head}: done{f' {remedy.date}' if remedy.date else ''}."
    if remedy.status == "planned":
        return f"{head}: coming{f' by {remedy.date}' if remedy.date else ''}."
    return f"{head}: yours if you want it{f' ({remedy.date})' if remedy.date else ''}."


def prevention_clause(step: Prevention) -> str:
    """A prevention step as the clause after "To help prevent this from happening again,"."""
    text = clause(step.description)
    shape = _shape(step.description)
    if shape == "clause":
        return text
    if shape == "gerund":
        return "we are " + text
    return "we are introducing " + text


@dataclass(frozen=True)
class IncidentFacts:
    """The request's facts as the composer words them, with public-channel redaction."""

    topic: str
    ref_noun: str
    values: dict[str, str]


def incident_facts(request: DraftRequest, *, public: bool) -> IncidentFacts:
    """Placeholder values for the sentence bank. On public channels, any caller text that
    carries the reference or the recipient's name is left out rather than edited."""
    entry = topics().get(request.scenario, {})
    topic = entry.get("topic") or "the " + get_catalog().scenarios[request.scenario].topic
    ref_noun = entry.get("ref_noun", "reference")
    inc = request.incident
    personal = [x for x in (inc.reference, request.recipient.name) if x]
    if request.recipient.name:
        personal += request.recipient.name.split()
    swap = second_person if request.audience in ("customer", "client") and not public else str

    def usable(text: str | None) -> str:
        if not text:
            return ""
        if public and any(p.lower() in text.lower() for p in personal):
            return ""
        return swap(text)

    name = request.recipient.name or ""
    summary = usable(inc.summary)
    values = {
        "topic": topic,
        "ref_noun": ref_noun,
        "reference": "" if public else inc.reference or "",
        "ref_phrase": "",
        "summary": sentence(summary) if summary else "",
        "summary_clause": clause(summary) if summary else "",
        "cause": clause(usable(inc.cause)) if usable(inc.cause) else "",
        "impact": clause(usable(inc.impact)) if usable(inc.impact) else "",
        "first_name": "" if public else name.split(" ", 1)[0],
        "full_name": "" if public else name,
        "recipient_org": request.recipient.organization or "",
        "org": request.sender.organization or "",
        "contact": request.sender.contact or "",
    }
    if inc.reference and not public:
        owner = "" if request.audience == "colleague" else "your "
        values["ref_phrase"] = f"{owner}{ref_noun} {inc.reference}"
    return IncidentFacts(topic=topic, ref_noun=ref_noun, values=values)
