"""Remedies checked against their status: a remedy may be stated as done ("we have
refunded") only when its status is `done`, and every authorised remedy must be mentioned.
Split from `commitments` (which re-exports `status_and_omissions`)."""

from __future__ import annotations

import re

from contract.report import Finding
from guardrails.facts import Fact
from guardrails.spans import finding, sentence_bounds
from guardrails.supplied import Supplied, stems

STATUS = "commitments.status"
OMITTED = "commitments.omitted_remedy"

ANY_KIND = frozenset(
    {"refund", "credit", "discount", "replacement", "expedite", "service", "other"}
)
"""Every remedy kind."""

# A remedy stated as done: a past participle after "we have", "we've", "has been", "is now".
# The participle is found first (see `_done_verbs`), the auxiliary before it after.
_DONE_VERBS = (
    "refunded",
    "reimbursed",
    "reversed",
    "credited",
    "applied",
    "replaced",
    "shipped",
    "dispatched",
    "expedited",
    "waived",
    "issued",
    "processed",
    "upgraded",
)
_DONE_AUX = re.compile(
    r"(?:\bwe\s+have|\bwe['’]ve|\bi\s+have|\bi['’]ve|\b(?:has|have)\s+(?:now\s+|already\s+)?been|"
    r"\b(?:is|are)\s+now)\s+(?:now\s+|already\s+|just\s+)?$"
)
_DONE_KINDS: dict[str, frozenset[str]] = {
    "refunded": frozenset({"refund"}),
    "reimbursed": frozenset({"refund"}),
    "reversed": frozenset({"refund"}),
    "credited": frozenset({"credit"}),
    "applied": frozenset({"discount", "credit"}),
    "replaced": frozenset({"replacement"}),
    "shipped": frozenset({"replacement", "expedite"}),
    "dispatched": frozenset({"replacement", "expedite"}),
    "expedited": frozenset({"expedite"}),
    "upgraded": frozenset({"service", "other"}),
    "waived": frozenset({"refund", "credit", "discount", "other"}),
    "issued": ANY_KIND,
    "processed": ANY_KIND,
}
_KIND_WORDS: dict[str, re.Pattern[str]] = {
    "refund": re.compile(r"\brefund|\breimburs", re.IGNORECASE),
    "credit": re.compile(r"\bcredit(?!\s+card)", re.IGNORECASE),
    "discount": re.compile(r"\bdiscount|%\s+off\b|\bpercent\s+off\b", re.IGNORECASE),
    "replacement": re.compile(r"\breplac", re.IGNORECASE),
    "expedite": re.compile(r"\bexpedit|\bexpress\b|\bpriority\b", re.IGNORECASE),
}
# Ways of saying a remedy costs nothing, for remedies described as free: "your first box is
# on us" states "one free box". "That's on us" owns a mistake, so this/that/which/it do not.
_FREE_DESCRIPTION = re.compile(r"\b(?:free|complimentary|at\s+no\s+cost|on\s+us)\b")
_FREE_SAID = re.compile(
    r"(?<!feel\s)(?<!-)\bfree\b(?!\s+(?:to|from)\b)|"
    r"\b(?:complimentary|at\s+no\s+(?:extra\s+)?(?:cost|charge)|"
    r"on\s+the\s+house)\b|\b(?!(?:this|that|which|it)\b)[a-z]+\s+(?:is|are|will\s+be)\s+"
    r"on\s+us\b"
)


def _mentions_directly(text: str, index: int, supplied: Supplied, amounts: set[str]) -> bool:
    """Whether `text` mentions authorised remedy `index` by amount, code, kind word or a way
    of saying free: the cheap tests, tried before the description's stems."""
    remedy = supplied.remedies[index]
    value = supplied.remedy_amounts[index]
    if value is not None and value in amounts:
        return True
    if remedy.code and remedy.code.lower() in text.lower():
        return True
    pattern = _KIND_WORDS.get(remedy.kind)
    if pattern is not None and pattern.search(text):
        return True
    return bool(
        _FREE_DESCRIPTION.search(remedy.description.lower()) and _FREE_SAID.search(text.lower())
    )


def _shares_stems(text_stems: set[str], index: int, supplied: Supplied) -> bool:
    """Whether the text (by its stems) uses at least two of remedy `index`'s description
    stems (all of them when it has fewer)."""
    wanted = supplied.remedy_stems[index]
    return bool(wanted) and len(text_stems & wanted) >= min(2, len(wanted))


def _mentions(text: str, index: int, supplied: Supplied, amounts: set[str]) -> bool:
    return _mentions_directly(text, index, supplied, amounts) or _shares_stems(
        stems(text), index, supplied
    )


def _omissions(body: str, supplied: Supplied, amounts: set[str]) -> list[Finding]:
    """Authorised remedies the draft leaves out.

    A remedy with an amount or a code is only mentioned when that amount or code is: its
    description words alone ("refund", "first week's fee") may stand in the draft for
    another reason, and a letter that drops the £900 has not made the offer. Remedies with
    neither are matched by kind word or description, as the status check does.
    """
    found: list[Finding] = []
    # The body's stems are computed once, and only if a cheap test leaves a remedy unmentioned.
    body_stems: set[str] | None = None
    low = body.lower()
    for index, remedy in enumerate(supplied.remedies):
        value = supplied.remedy_amounts[index]
        if value is not None or remedy.code:
            if value is not None and value not in amounts:
                missing = f"its amount {remedy.amount}"
            elif remedy.code and remedy.code.lower() not in low:
                missing = f"its code {remedy.code}"
            else:
                continue
            found.append(
                finding(
                    OMITTED,
                    "error",
                    f"Leaves out an authorised remedy, or {missing}: {remedy.description}.",
                    body,
                    len(body),
                    len(body),
                    f"State the remedy with {missing}: {remedy.description}.",
                )
            )
            continue
        if _mentions_directly(body, index, supplied, amounts):
            continue
        body_stems = stems(body) if body_stems is None else body_stems
        if not _shares_stems(body_stems, index, supplied):
            found.append(
                finding(
                    OMITTED,
                    "error",
                    f"Leaves out an authorised remedy: {remedy.description}.",
                    body,
                    len(body),
                    len(body),
                    f"Mention the remedy: {remedy.description}.",
                )
            )
    return found


def _done_verbs(low: str) -> list[tuple[int, int, str]]:
    """(start, end, verb) of each `_DONE_VERBS` participle followed by a word boundary, in
    text order: what `(?:refunded|...|upgraded)\\b` finds with `finditer`. No participle is
    a prefix or a suffix of another, so matches never compete or overlap, and `str.find`
    per word (a C scan) finds them far faster than the alternation, which the regex engine
    tries at every position."""
    if "ed" not in low:
        return []
    found = []
    for verb in _DONE_VERBS:
        at = low.find(verb)
        while at >= 0:
            end = at + len(verb)
            if end == len(low) or not (low[end].isalnum() or low[end] == "_"):
                found.append((at, end, verb))
                at = low.find(verb, end)  # `finditer` resumes after a match
            else:  # "dispatchedispatched": the next one may start inside this one
                at = low.find(verb, at + 1)
    found.sort()
    return found


def status_and_omissions(
    body: str, low: str, facts: list[Fact], supplied: Supplied, check_omitted: bool
) -> list[Finding]:
    """Remedies stated as done before they are, and authorised remedies left out."""
    found: list[Finding] = []
    amounts = {f.key[0] for f in facts if f.kind == "amount"}
    for verb_start, verb_end, verb in _done_verbs(low):
        if verb_start > 0 and low[verb_start - 1].isalnum():
            continue
        aux = _DONE_AUX.search(low, max(0, verb_start - 40), verb_start)
        if aux is None:
            continue
        start, end = sentence_bounds(body, aux.start(), verb_end)
        sentence = body[start:end]
        sentence_amounts = {
            f.key[0] for f in facts if f.kind == "amount" and start <= f.start and f.end <= end
        }
        verb_kinds = _DONE_KINDS[verb]
        about = [
            i
            for i in range(len(supplied.remedies))
            if _mentions(sentence, i, supplied, sentence_amounts)
            and supplied.remedies[i].kind in verb_kinds
        ]
        if about and all(supplied.remedies[i].status != "done" for i in about):
            status = supplied.remedies[about[0]].status
            found.append(
                finding(
                    STATUS,
                    "error",
                    f"States a remedy as already done, but its status is '{status}'.",
                    body,
                    aux.start(),
                    verb_end,
                    'Offer it ("we would like to offer") or promise it with its date instead.',
                )
            )
    if check_omitted:
        found += _omissions(body, supplied, amounts)
    return found
