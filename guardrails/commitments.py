"""Commitments checked against the caller's facts: every amount, percentage, date, deadline
and code must have been supplied; improvement figures must come from `prevention[].metric`;
a remedy may be stated as done only when its status is `done`; every authorised remedy must
be mentioned; a remedy word with no authorised remedy of that kind is an unauthorised offer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from contract.report import Finding, TextField
from guardrails.facts import Fact, extract_facts, extract_metrics
from guardrails.remedy_status import ANY_KIND, OMITTED, STATUS, status_and_omissions
from guardrails.spans import finding, is_negated, preceding_words
from guardrails.supplied import Supplied, stems

UNSUPPORTED = "commitments.unsupported_fact"
METRIC = "commitments.unsupported_metric"
UNAUTHORISED = "commitments.unauthorised_remedy"
CONTEXT_RULES = (UNSUPPORTED, METRIC, STATUS, OMITTED, UNAUTHORISED)
__all__ = ["CONTEXT_RULES", "status_and_omissions", "unauthorised_remedies", "unsupported_facts"]

REMEDY_CUES: dict[str, frozenset[str]] = {
    "remedy_refund": frozenset({"refund"}),
    "remedy_credit": frozenset({"credit"}),
    "remedy_discount": frozenset({"discount"}),
    "remedy_replacement": frozenset({"replacement"}),
    "remedy_voucher": frozenset({"credit", "other"}),
    "remedy_free": ANY_KIND,
}
"""Cue name (from `packs/commitments.yaml`) -> the remedy kinds that authorise it."""
# Words around a remedy word that make it a topic rather than a promise: "your refund
# request", "the refund policy", "you asked for a refund".
_TOPIC_AFTER = re.compile(
    r"\s+(?:requests?|requested|policy|policies|status|process|form|"
    r"team|department|application|claims?|queue)\b"
)
_TOPIC_BEFORE = frozenset(
    {
        "requested",
        "request",
        "asked",
        "ask",
        "asking",
        "applied",
        "waiting",
        "awaiting",
        "await",
        "about",
        "chasing",
        "expecting",
    }
)
# Words that show a percentage is a price change rather than an improvement figure:
# "we have reduced this report's fee by 10%" applies the authorised "10% off".
_PRICE_WORDS = frozenset(
    {
        "fee",
        "fees",
        "price",
        "prices",
        "bill",
        "bills",
        "invoice",
        "invoices",
        "charge",
        "charges",
        "cost",
        "costs",
        "rate",
        "rates",
        "subscription",
        "total",
        "plan",
        "renewal",
    }
)
_LETTERS = re.compile(r"[a-z]+")
_MESSAGES = {
    "amount": "States an amount ({}) that no remedy or incident field supplied.",
    "percent": "States a percentage ({}) that no remedy, metric or incident field supplied.",
    "date": "States a date ({}) that no remedy or incident field supplied.",
    "duration": "Promises a deadline ({}) that no remedy supplied.",
    "weekday": "Promises a deadline ({}) that no remedy supplied.",
    "code": "Quotes a code or reference ({}) that the request did not supply.",
}


def _inside(fact: Fact, spans: list[tuple[int, int]]) -> bool:
    return any(start <= fact.start and fact.end <= end for start, end in spans)


def unsupported_facts(
    text: str, low: str, facts: list[Fact], supplied: Supplied, field: TextField
) -> list[Finding]:
    """Figures, dates, deadlines and codes the request did not supply; improvement figures
    are judged only against `prevention[].metric`. `facts` is `extract_facts(text, low)`."""
    found: list[Finding] = []
    metrics = [m for m in extract_metrics(low, facts) if not _remedy_percent(low, m, supplied)]
    for metric in metrics:
        if metric.key[0] not in supplied.metrics:
            found.append(
                finding(
                    METRIC,
                    "error",
                    "Quotes an improvement figure that no prevention metric supplied.",
                    text,
                    metric.start,
                    metric.end,
                    'Describe the change itself ("we have added a second scan") without a figure.',
                    field,
                )
            )
    spans = [(m.start, m.end) for m in metrics]
    for fact in facts:
        if fact.kind == "metric" or _inside(fact, spans) or supplied.has(fact.kind, fact.key):
            continue
        excerpt = text[fact.start : fact.end]
        found.append(
            finding(
                UNSUPPORTED,
                "error",
                _MESSAGES[fact.kind].format(excerpt),
                text,
                fact.start,
                fact.end,
                "State only the amounts, dates, deadlines and codes the request supplied.",
                field,
            )
        )
    return found


def _remedy_percent(low: str, metric: Fact, supplied: Supplied) -> bool:
    """True when a would-be improvement figure is an authorised remedy's percentage applied
    to a price: the same number as a remedy's, and its words name a price ("reduced this
    report's fee by 10%"). A shared topic word is not enough: "reduced reporting errors by
    10%" is an improvement claim even when the remedy is "10% off this report's fee"."""
    if _PRICE_WORDS.isdisjoint(_LETTERS.findall(low, metric.start, metric.end)):
        return False
    # Parsed only here, when a draft states a figure, rather than for every check.
    remedy_text = "\n".join(f"{r.description} {r.amount or ''}" for r in supplied.remedies)
    return any(f.kind == "percent" and f.key == metric.key for f in extract_facts(remedy_text))


def unauthorised_remedies(
    text: str,
    low: str,
    cues: Mapping[str, list[tuple[int, int]]],
    supplied: Supplied,
    field: TextField,
) -> list[Finding]:
    """Remedy words (refund, credit, voucher...) with no authorised remedy of that kind;
    `cues` are the scanner's cue matches in `text`."""
    found: list[Finding] = []
    kinds = {remedy.kind for remedy in supplied.remedies}
    for cue, allowed in REMEDY_CUES.items():
        if allowed & kinds:
            continue
        for start, end in cues.get(cue, ()):
            word = text[start:end]
            if is_negated(low, start) or _TOPIC_AFTER.match(low, end):
                continue
            if _TOPIC_BEFORE & set(preceding_words(low, start, 3)):
                continue
            word_stems = stems(word)
            if word_stems & supplied.incident_stems or any(
                word_stems & remedy for remedy in supplied.remedy_stems
            ):
                continue
            found.append(
                finding(
                    UNAUTHORISED,
                    "error",
                    f"Offers or mentions a remedy ({word}) that the request did not authorise.",
                    text,
                    start,
                    end,
                    "Offer only the remedies listed in the request, in their own terms.",
                    field,
                )
            )
    return found
