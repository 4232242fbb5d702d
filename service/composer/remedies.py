"""Remedies as the draft states them: each refund, credit, replacement or gesture rendered
exactly as authorised, and the amends sentences built from them.

A remedy is said to be done only when its status is `done`, offered when `offered`, and
promised with its date when `planned`; amounts, codes and dates are copied from the request
verbatim and appear only when supplied and not already part of the description.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.models import Remedy
from service.composer.grammar import clause, definite, indefinite, sentence
from service.composer.layout import ESSENTIAL, OPTIONAL, STRATEGY, Line
from service.composer.shapes import read
from service.composer.writer import Writer

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

# Remedy kinds whose sentence has no word like "refund" or "replacement" to say what it is.
_PLAIN_KINDS = ("expedite", "service", "other")

# Offered remedy kinds that proactive solutions words as a goodwill gesture.
_GOODWILL_KINDS = ("discount", "credit", "service", "other")

_STATUS_SLOTS = {"done": "remedy_done", "planned": "remedy_planned", "offered": "remedy_offered"}

# A description that names a kind of its own ("refund of the agency fee" filed as a credit)
# takes that kind's verb: "issued the refund", not "added the refund".
_HEAD_KINDS = (("refund", "refund"), ("credit", "credit"), ("replacement", "replacement"))


@dataclass(frozen=True)
class RemedyWords:
    """The placeholder values one remedy contributes to its sentence."""

    values: dict[str, str]
    shape: str
    own_verb: bool = False
    """The description carries its own verb ("the kettle sent by express delivery")."""


def remedy_words(remedy: Remedy, *, first: bool) -> RemedyWords:
    """Placeholders for a remedy sentence; amount and date appear only when supplied and not
    already part of the description."""
    desc = remedy.description
    extra = f" ({remedy.amount})" if remedy.amount and remedy.amount not in desc else ""
    dated = remedy.date is not None and remedy.date not in desc
    reading = read(desc)
    form = reading.shape
    head = " ".join(desc.lower().split()[:3])
    kind = next((k for word, k in _HEAD_KINDS if word in head), remedy.kind)
    done, plan = _VERBS[kind]
    if form == "gerund":
        done, plan = "taken care of", "take care of"
    values = {
        "thing": definite(desc) if form != "gerund" else clause(desc),
        "offer": indefinite(desc) if form == "noun" else clause(desc),
        "verb_done": done,
        "verb_plan": plan,
        "extra": extra,
        "also": "" if first else " also",
        "on_date": f" on {remedy.date}" if dated else "",
        "date_note": f" ({remedy.date})" if dated else "",
        "date": remedy.date or "",
        "code": remedy.code if remedy.code and remedy.code not in desc else "",
    }
    return RemedyWords(values=values, shape=form, own_verb=reading.own_verb)


def clause_remedy(remedy: Remedy) -> str:
    """A remedy described as a whole clause ("we refunded the fee"), with its status made
    explicit, for descriptions that cannot follow a verb of ours."""
    label = {"done": "Already done", "offered": "On offer to you", "planned": "Planned"}
    parts = [clause(remedy.description)]
    for extra in (remedy.amount, remedy.code, remedy.date):
        if extra and extra not in remedy.description:
            parts.append(extra)
    when = f", by {remedy.date}" if remedy.status == "planned" and remedy.date else ""
    return f"{label[remedy.status]}{when}: " + ", ".join(parts) + "."


def compact_remedy(remedy: Remedy, *, described: bool = False) -> str:
    """A short faithful form of a remedy, for SMS: its kind (or, when `described`, the
    caller's own description), figures and status."""
    figures = " ".join(x for x in (remedy.amount, remedy.code) if x and x not in remedy.description)
    label = sentence(remedy.description).rstrip(".") if described else _KIND_LABELS[remedy.kind]
    head = label + (f" {figures}" if figures else "")
    if remedy.status == "done":
        return f"{head}: done{f' {remedy.date}' if remedy.date else ''}."
    if remedy.status == "planned":
        return f"{head}: coming{f' by {remedy.date}' if remedy.date else ''}."
    return f"{head}: yours if you want it{f' ({remedy.date})' if remedy.date else ''}."


def _remedy_slot(remedy: Remedy, *, goodwill: bool, own_verb: bool) -> str:
    """The phrase-bank slot for one remedy's sentence; `goodwill` words an offered discount,
    credit or service as a proactive gesture; `own_verb` picks the wording that puts no verb
    of ours in front of a description that has its own (an offer needs none)."""
    if goodwill and remedy.status == "offered" and remedy.kind in _GOODWILL_KINDS:
        return "remedy_goodwill"
    slot = _STATUS_SLOTS[remedy.status]
    if own_verb and remedy.status != "offered":
        slot += "_own"
    if remedy.status == "planned" and not remedy.date:
        slot += "_undated"
    return slot


def _remedy_line(w: Writer, slot: str, remedy: Remedy, values: dict[str, str]) -> list[Line]:
    """One remedy's sentence, with its code joined on so no layout can separate them."""
    text = w.say(slot, values)
    if text is None:
        return []
    if not values["also"] and remedy.kind in _PLAIN_KINDS:
        # "We have arranged a call" does not read as amends on its own; name the purpose.
        first = text.split(" ", 1)[0]
        keep = first == "I" or first.startswith("I'")
        text = "To make amends, " + (text if keep else text[:1].lower() + text[1:])
    code = w.say("remedy_code", values) if values["code"] else None
    return [Line(f"{text} {code}" if code else text, "amends")]


def remedy_sentences(w: Writer, *, goodwill: bool = False, only: int | None = None) -> list[Line]:
    """One amends sentence per remedy, in the request's order (or only remedy `only`,
    worded as if it stood alone)."""
    lines: list[Line] = []
    for index, remedy in enumerate(w.remedies):
        if only is not None and index != only:
            continue
        words = remedy_words(remedy, first=index == 0 or only is not None)
        if words.shape == "clause":
            lines.append(Line(clause_remedy(remedy), "amends"))
            continue
        slot = _remedy_slot(remedy, goodwill=goodwill, own_verb=words.own_verb)
        lines += _remedy_line(w, slot, remedy, words.values)
    return lines


def amends_lines(w: Writer) -> list[Line]:
    """The amends part of a letter-style draft: every remedy, or a sentence saying there is
    none yet, with the proactive-solutions lead when the strategy is on."""
    lines: list[Line] = []
    proactive = w.has("proactive_solutions")
    if proactive and any(r.status == "done" for r in w.request.remedies):
        lines += w.line("proactive_lead", "strategy", STRATEGY)
    lines += remedy_sentences(w, goodwill=proactive)
    if not w.request.remedies:
        lines += w.line("no_remedy", "amends", ESSENTIAL if w.required("amends") else OPTIONAL)
    return lines
