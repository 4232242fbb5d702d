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

from prompts.catalog import get_catalog
from service.composer.grammar import clause, second_person, sentence
from service.composer.phrases import topics
from service.models import DraftRequest

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
