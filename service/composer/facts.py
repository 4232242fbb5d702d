"""The incident's facts, made ready for sentences, and the fact tokens found in any text.

`incident_facts` turns the request's names, reference, summary, cause and impact into the
placeholder values of the phrase banks, leaving out on public channels any caller text that
would name the reader or the reference. `fact_tokens` finds the figures and codes in a text,
which the rewrite uses to prove that nothing was lost. Nothing here adds a fact; remedies and
prevention steps are rendered by `remedies` and `prevention`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from contract.catalog import get_catalog
from contract.models import DraftRequest
from service.composer.grammar import clause, sentence, shape
from service.composer.person import Reader, is_honorific
from service.composer.phrases import topics

MONEY = r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?|\b\d[\d,]*(?:\.\d+)?\s?(?:USD|EUR|GBP|CAD|AUD)\b"
PERCENT = r"\b\d+(?:\.\d+)?\s?%"
CODE = r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]*[A-Z0-9]\b"
NUMBER = r"\d+(?:[.,:]\d+)*"
_TOKEN = re.compile(f"{MONEY}|{PERCENT}|{CODE}|{NUMBER}")


def fact_tokens(text: str) -> set[str]:
    """Amounts, percentages, codes/references and every other digit group in `text`."""
    return {m.group(0).strip() for m in _TOKEN.finditer(text)}


@dataclass(frozen=True)
class IncidentFacts:
    """The request's facts as the composer words them, with public-channel redaction."""

    topic: str
    ref_noun: str
    values: dict[str, str]
    reader: Reader
    """How the caller's third-person words for the reader are turned into "you"."""


def reader_for(request: DraftRequest, *, public: bool) -> Reader:
    """The reader of a private draft, having learnt from the summary and impact which
    pronoun (if any) the caller uses for them. A public text addresses no one."""
    if public:
        return Reader()
    name = (request.recipient.name or "").strip()
    first = name.split(" ", 1)[0]
    titled = is_honorific(first)
    names = tuple(dict.fromkeys(n for n in (name, "" if titled else first) if n))
    if request.audience == "colleague":
        return Reader(names=names)  # a colleague's phrases name many people: only their name
    summary = request.incident.summary
    reader = Reader(names=names, roles=("customer", "client")).with_role_of(summary)
    return reader.learn(request.incident.impact).learn(summary)


def _shaped(name: str, text: str) -> dict[str, str]:
    """`{name}` for either shape, plus `{name}_clause` or `{name}_np` for the shape it has,
    so that each sentence of the bank can ask for the shape its grammar needs."""
    if not text:
        return {name: "", f"{name}_clause": "", f"{name}_np": ""}
    is_clause = shape(text) == "clause"
    return {
        name: text,
        f"{name}_clause": text if is_clause else "",
        f"{name}_np": "" if is_clause else text,
    }


def topic_with_reference(topic: str, ref_noun: str, reference: str) -> str:
    """The topic with the reference placed after the topic's own mention of the reference
    noun ("the damage to your order GH-90017"), or "" when the topic does not mention it.
    A sentence that has this value names the reference once instead of adding "with your
    order GH-90017" to a topic that already says "your order"."""
    found = re.search(rf"\b{re.escape(ref_noun)}\b", topic) if reference else None
    if found is None:
        return ""
    return f"{topic[: found.end()]} {reference}{topic[found.end() :]}"


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
    reader = reader_for(request, public=public)

    def usable(text: str | None) -> str:
        if not text:
            return ""
        if public and any(p.lower() in text.lower() for p in personal):
            return ""
        return reader.address(text)

    name = request.recipient.name or ""
    summary = usable(inc.summary)
    values = {
        "topic": topic,
        "ref_noun": ref_noun,
        "reference": "" if public else inc.reference or "",
        "ref_phrase": "",
        "topic_ref": "",
        "summary": sentence(summary) if summary else "",
        "summary_clause": clause(summary) if summary else "",
        **_shaped("cause", clause(usable(inc.cause))),
        **_shaped("impact", clause(usable(inc.impact))),
        "first_name": "" if public else name.split(" ", 1)[0],
        "full_name": "" if public else name,
        "recipient_org": request.recipient.organization or "",
        "org": request.sender.organization or "",
        "contact": request.sender.contact or "",
    }
    if inc.reference and not public:
        owner = "" if request.audience == "colleague" else "your "
        values["ref_phrase"] = f"{owner}{ref_noun} {inc.reference}"
        values["topic_ref"] = topic_with_reference(topic, ref_noun, inc.reference)
    return IncidentFacts(topic=topic, ref_noun=ref_noun, values=values, reader=reader)
