"""The composer's invariant, over generated requests with real-world field shapes.

For every valid `DraftRequest` the composer returns a letter that states every authorised
fact the channel allows (each remedy's amount, code and date as given, the reference, the
recipient's name) and passes the guardrails; the only refusal is a `max_words` too small for
the request's facts, answered 422 naming the field (`DoesNotFit`).

`make test` runs a bounded number of examples; `make property` runs thousands
(AMENDS_PROPERTY_EXAMPLES) and prints how many of each finding it saw.

Every guardrail finding on a composer letter fails the test: the guardrail-side false
positives it once tolerated (amount notations, supplied dates read as deadlines, group
recipients read as names, an accented sender's signature, ...) are fixed, each with its own
test in tests/guardrail_rules/.
"""

from __future__ import annotations

import os
from collections import Counter

from hypothesis import HealthCheck, example, given, settings

import guardrails
from contract.catalog import get_catalog
from contract.models import DraftRequest
from guardrails.remedy_status import reference_said
from service.composer import DoesNotFit, compose_draft
from service.composer.build import amount_said
from tests.composer_meaning import meaning_problems
from tests.composer_requests import draft_requests, one_word_requests

EXAMPLES = int(os.environ.get("AMENDS_PROPERTY_EXAMPLES", "60"))
SEEN: Counter[str] = Counter()


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
            if not value or kind in forbidden:
                continue
            # An amount the description already counts ("two free tickets" for "2 tickets")
            # is stated once, as the guardrails' omission check reads it.
            said = amount_said(value, text) if kind == "amount" else value.lower() in text.lower()
            if not said:
                missing.append(f"{kind} {value!r}")
    reference = request.incident.reference
    said = reference_said(reference or "", " ".join(text.lower().split()))
    if reference and "reference" not in forbidden and not channel.public and not said:
        missing.append(f"reference {reference!r}")
    return missing


RUNS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The bounded run in `make test` is the same every time; `make property` explores.
    derandomize="AMENDS_PROPERTY_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@RUNS
@given(draft_requests())
# A one-word summary typed as a sentence, beside a reference the letter words as the
# reader's number ("your member number 40-2216"): once a 502 for a missing acknowledgment.
@example(
    DraftRequest.model_validate(
        {
            "channel": "sms",
            "recipient": {"name": "Rosa"},
            "sender": {"organization": "Bluebell Telecom"},
            "incident": {
                "summary": "Overbooking.",
                "reference": "MEMBER 40-2216",
                "impact": "my daughter's birthday dinner was ruined",
            },
            "remedies": [{"kind": "refund", "description": "refund of the booking fee"}],
        }
    )
)
@example(
    DraftRequest.model_validate(
        {
            "channel": "letter",
            "recipient": {"name": "Rosa"},
            "sender": {"organization": "Bluebell Telecom"},
            "incident": {"summary": " ".join(["Bug."] * 50), "reference": "MEMBER 40-2216"},
        }
    )
)
# A one-word summary in capitals in a public reply ("what happened with the OUTAGE") was
# read as a code after "with".
@example(
    DraftRequest.model_validate(
        {
            "channel": "social",
            "sender": {"organization": "Bluebell Telecom"},
            "incident": {"summary": "OUTAGE"},
        }
    )
)
def test_every_valid_request_gets_a_letter_that_passes(request: DraftRequest) -> None:
    _passes(request)


@RUNS
@given(one_word_requests())
# Once "the credit (¥1000)" did not count as the credit, because the impact spoke of a
# credit score; and "Callback" as a credit had no amends the guardrails could read.
@example(
    DraftRequest.model_validate(
        {
            "channel": "chat",
            "recipient": {"name": "Dr. Amara Okafor"},
            "sender": {"organization": "Bluebell Telecom"},
            "incident": {
                "summary": "the double charge on the March invoice",
                "impact": "I'm terrified this will wreck my credit score",
            },
            "remedies": [
                {"kind": "discount", "description": "Credit.", "amount": "¥1000"},
                {"kind": "credit", "description": "Callback", "amount": "£40", "status": "done"},
                {"kind": "service", "description": "Fix. Fix. Fix. Fix.", "status": "planned"},
            ],
            "prevention": [{"description": "2FA"}, {"description": "QA."}],
        }
    )
)
# A step's metric beside its one word ("the audit (hold times under 10 minutes)") was read as
# details added to another step, "a weekly audit of hold queues".
@example(
    DraftRequest.model_validate(
        {
            "channel": "chat",
            "incident": {"summary": "your parcel due on Thursday 3 June never arrived"},
            "remedies": [
                {"kind": "refund", "description": "REFUND OF THE BOOKING FEE", "date": "by Friday"}
            ],
            "prevention": [
                {"description": "Audit", "metric": "hold times under 10 minutes"},
                {"description": "A WEEKLY AUDIT OF HOLD QUEUES"},
            ],
        }
    )
)
# "I'll refund the FEE by Friday" (a planned remedy "FEE.") was read as telling the done
# remedy "Refund." as still to come: a word too short for a stem did not name its remedy.
@example(
    DraftRequest.model_validate(
        {
            "recipient": {"organization": "Harbour Logistics"},
            "sender": {"organization": "St Anne's Hospital Billing"},
            "incident": {"summary": "the double charge on the March invoice"},
            "remedies": [
                {
                    "kind": "refund",
                    "description": "Refund.",
                    "amount": "500 points",
                    "status": "done",
                },
                {"kind": "refund", "description": "FEE.", "date": "by Friday", "status": "planned"},
                {"kind": "refund", "description": "refund of the booking fee", "status": "done"},
            ],
        }
    )
)
def test_one_word_remedies_and_steps_get_a_letter_that_passes(request: DraftRequest) -> None:
    """A remedy or step described in one word, perhaps repeated up to the field's limit, is
    stated and recognised like any other (once "Fix" or "2FA" had no stem to be found by,
    and "Refund. Refund. ..." was not said the way it was written)."""
    _passes(request)


def _passes(request: DraftRequest) -> None:
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
    # No remedy or step turned around ("any late fee will be charged by us") or reordered.
    assert not meaning_problems(request, draft.body), (meaning_problems(request, draft.body), text)
    if request.max_words is not None:
        assert len(draft.body.split()) <= request.max_words
    report = guardrails.check(
        draft.body, subject=draft.subject, channel=request.channel, context=request
    )
    unexplained = [f"{f.rule}: {f.message} [{f.excerpt}]" for f in report.errors]
    assert not unexplained, (unexplained, request.model_dump_json(exclude_none=True), text)
    SEEN["passed"] += 1


def test_zz_report_property_counts() -> None:
    """Prints what the property run saw (run with -s); asserts the run happened."""
    print("\nproperty examples:", dict(SEEN))
    assert sum(SEEN.values()) > 0
