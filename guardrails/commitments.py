"""Commitments checked against the caller's facts: every amount, percentage, date, deadline
and code must have been supplied; improvement figures must come from `prevention[].metric`;
a remedy may be stated as done only when its status is `done`; every authorised remedy must
be mentioned; a remedy word with no authorised remedy of that kind is an unauthorised offer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from guardrails.facts import Fact, extract_facts, extract_metrics
from guardrails.report import Finding, TextField
from guardrails.spans import finding, is_negated, preceding_words, sentence_bounds
from guardrails.supplied import Supplied, stems

UNSUPPORTED = "commitments.unsupported_fact"
METRIC = "commitments.unsupported_metric"
STATUS = "commitments.status"
OMITTED = "commitments.omitted_remedy"
UNAUTHORISED = "commitments.unauthorised_remedy"
CONTEXT_RULES = (UNSUPPORTED, METRIC, STATUS, OMITTED, UNAUTHORISED)

_ANY = frozenset({"refund", "credit", "discount", "replacement", "expedite", "service", "other"})
REMEDY_CUES: dict[str, frozenset[str]] = {
    "remedy_refund": frozenset({"refund"}),
    "remedy_credit": frozenset({"credit"}),
    "remedy_discount": frozenset({"discount"}),
    "remedy_replacement": frozenset({"replacement"}),
    "remedy_voucher": frozenset({"credit", "other"}),
    "remedy_free": _ANY,
}
"""Cue name (from `packs/commitments.yaml`) -> the remedy kinds that authorise it."""
# Words around a remedy word that make it a topic rather than a promise: "your refund
# request", "the refund policy", "you asked for a refund".
_TOPIC_AFTER = re.compile(r"\s+(?:requests?|requested|policy|policies|status|process|form|"
                          r"team|department|application|claims?|queue)\b")
_TOPIC_BEFORE = frozenset({"requested", "request", "asked", "ask", "asking", "applied",
                           "waiting", "awaiting", "await", "about", "chasing", "expecting"})
# A remedy stated as done: a past participle after "we have", "we've", "has been", "is now".
# The participle is searched first (a literal-led alternation is fast), the auxiliary after.
_DONE_VERB = re.compile(
    r"(?:refunded|reimbursed|reversed|credited|applied|replaced|shipped|dispatched|expedited|"
    r"waived|issued|processed|upgraded)\b"
)
_DONE_AUX = re.compile(
    r"(?:\bwe\s+have|\bwe['’]ve|\bi\s+have|\bi['’]ve|\b(?:has|have)\s+(?:now\s+|already\s+)?been|"
    r"\b(?:is|are)\s+now)\s+(?:now\s+|already\s+|just\s+)?$"
)
_DONE_KINDS: dict[str, frozenset[str]] = {
    "refunded": frozenset({"refund"}), "reimbursed": frozenset({"refund"}),
    "reversed": frozenset({"refund"}), "credited": frozenset({"credit"}),
    "applied": frozenset({"discount", "credit"}), "replaced": frozenset({"replacement"}),
    "shipped": frozenset({"replacement", "expedite"}),
    "dispatched": frozenset({"replacement", "expedite"}),
    "expedited": frozenset({"expedite"}), "upgraded": frozenset({"service", "other"}),
    "waived": frozenset({"refund", "credit", "discount", "other"}),
    "issued": _ANY, "processed": _ANY,
}
_KIND_WORDS: dict[str, re.Pattern[str]] = {
    "refund": re.compile(r"\brefund|\breimburs", re.IGNORECASE),
    "credit": re.compile(r"\bcredit(?!\s+card)", re.IGNORECASE),
    "discount": re.compile(r"\bdiscount|%\s+off\b|\bpercent\s+off\b", re.IGNORECASE),
    "replacement": re.compile(r"\breplac", re.IGNORECASE),
    "expedite": re.compile(r"\bexpedit|\bexpress\b|\bpriority\b", re.IGNORECASE),
}
# Words that show a percentage is a price change rather than an improvement figure:
# "we have reduced this report's fee by 10%" applies the authorised "10% off".
_PRICE_WORDS = frozenset({"fee", "fees", "price", "prices", "bill", "bills", "invoice",
                          "invoices", "charge", "charges", "cost", "costs", "rate", "rates",
                          "subscription", "total", "plan", "renewal"})
# Ways of saying a remedy costs nothing, for remedies described as free: "your first box is
# on us" states "one free box". "That's on us" owns a mistake, so this/that/which/it do not.
_FREE_DESCRIPTION = re.compile(r"\b(?:free|complimentary|at\s+no\s+cost|on\s+us)\b")
_FREE_SAID = re.compile(
    r"(?<!feel\s)(?<!-)\bfree\b(?!\s+(?:to|from)\b)|"
    r"\b(?:complimentary|at\s+no\s+(?:extra\s+)?(?:cost|charge)|"
    r"on\s+the\s+house)\b|\b(?!(?:this|that|which|it)\b)[a-z]+\s+(?:is|are|will\s+be)\s+"
    r"on\s+us\b"
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
            found.append(finding(
                METRIC, "error",
                "Quotes an improvement figure that no prevention metric supplied.",
                text, metric.start, metric.end,
                "Describe the change itself (\"we have added a second scan\") without a figure.",
                field,
            ))
    spans = [(m.start, m.end) for m in metrics]
    for fact in facts:
        if fact.kind == "metric" or _inside(fact, spans) or supplied.has(fact.kind, fact.key):
            continue
        excerpt = text[fact.start : fact.end]
        found.append(finding(
            UNSUPPORTED, "error", _MESSAGES[fact.kind].format(excerpt), text, fact.start,
            fact.end, "State only the amounts, dates, deadlines and codes the request supplied.",
            field,
        ))
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
            found.append(finding(
                UNAUTHORISED, "error",
                f"Offers or mentions a remedy ({word}) that the request did not authorise.",
                text, start, end,
                "Offer only the remedies listed in the request, in their own terms.", field,
            ))
    return found


def _mentions(text: str, index: int, supplied: Supplied, amounts: set[str],
              text_stems: set[str] | None = None) -> bool:
    remedy = supplied.remedies[index]
    value = supplied.remedy_amounts[index]
    if value is not None and value in amounts:
        return True
    if remedy.code and remedy.code.lower() in text.lower():
        return True
    pattern = _KIND_WORDS.get(remedy.kind)
    if pattern is not None and pattern.search(text):
        return True
    if _FREE_DESCRIPTION.search(remedy.description.lower()) and _FREE_SAID.search(text.lower()):
        return True
    wanted = supplied.remedy_stems[index]
    have = text_stems if text_stems is not None else stems(text)
    return bool(wanted) and len(have & wanted) >= min(2, len(wanted))


def status_and_omissions(
    body: str, low: str, facts: list[Fact], supplied: Supplied, check_omitted: bool
) -> list[Finding]:
    """Remedies stated as done before they are, and authorised remedies left out."""
    found: list[Finding] = []
    amounts = {f.key[0] for f in facts if f.kind == "amount"}
    for verb in _DONE_VERB.finditer(low):
        if verb.start() > 0 and low[verb.start() - 1].isalnum():
            continue
        aux = _DONE_AUX.search(low, max(0, verb.start() - 40), verb.start())
        if aux is None:
            continue
        start, end = sentence_bounds(body, aux.start(), verb.end())
        sentence = body[start:end]
        sentence_amounts = {f.key[0] for f in facts
                            if f.kind == "amount" and start <= f.start and f.end <= end}
        verb_kinds = _DONE_KINDS[verb.group()]
        about = [i for i in range(len(supplied.remedies))
                 if _mentions(sentence, i, supplied, sentence_amounts)
                 and supplied.remedies[i].kind in verb_kinds]
        if about and all(supplied.remedies[i].status != "done" for i in about):
            status = supplied.remedies[about[0]].status
            found.append(finding(
                STATUS, "error",
                f"States a remedy as already done, but its status is '{status}'.",
                body, aux.start(), verb.end(),
                "Offer it (\"we would like to offer\") or promise it with its date instead.",
            ))
    if check_omitted:
        body_stems = stems(body)
        for index, remedy in enumerate(supplied.remedies):
            if not _mentions(body, index, supplied, amounts, body_stems):
                found.append(finding(
                    OMITTED, "error",
                    f"Leaves out an authorised remedy: {remedy.description}.",
                    body, len(body), len(body),
                    f"Mention the remedy: {remedy.description}.",
                ))
    return found
