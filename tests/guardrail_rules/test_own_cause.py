"""A cause told without ownership is blame (`blame.outside_cause`). Where it is the cause the
request itself gives, the business has named it as its own: salvage mends the letter by
adding the composer's ownership line, so a model letter is not re-asked and replaced for
telling the cause it was given. A cause the request does not give keeps no fix."""

from __future__ import annotations

import guardrails
from contract.models import DraftRequest
from guardrails.structure import OUTSIDE_CAUSE_RULE
from service.salvage import salvage

REQUEST = DraftRequest.model_validate(
    {
        "scenario": "billing_error",
        "channel": "sms",
        "tone": "concise",
        "recipient": {"name": "Nadia"},
        "sender": {"organization": "Larchmoor Savings"},
        "incident": {
            "summary": "Your standing order to the gym was paid twice on 9 May.",
            "cause": "A nightly transfer job restarted and sent the whole file again.",
        },
        "remedies": [
            {
                "kind": "refund",
                "description": "the second payment",
                "amount": "£42.00",
                "status": "done",
            }
        ],
    }
)

TOLD = (
    "Hi Nadia, your standing order to the gym was paid twice on 9 May due to a nightly "
    "transfer job restarting and sending the whole file again. We're very sorry. We've refunded "
    "the second payment of £42.00. Larchmoor Savings"
)


def _outside(body: str) -> list[guardrails.Finding]:
    report = guardrails.check(body, channel="sms", context=REQUEST)
    return [f for f in report.errors if f.rule == OUTSIDE_CAUSE_RULE]


def test_the_requests_own_cause_told_unowned_is_mended_by_owning_it() -> None:
    found = _outside(TOLD)
    assert found and found[0].fix is not None and found[0].fix.fact == "responsibility"
    report = guardrails.check(TOLD, channel="sms", context=REQUEST)
    edited = salvage(None, TOLD, report, REQUEST, "sms")
    assert edited.body != TOLD and "nightly transfer job restarting" in edited.body
    after = guardrails.check(edited.body, channel="sms", context=REQUEST)
    assert _outside(edited.body) == [] and after.passed, after.errors


def test_a_cause_the_request_does_not_give_keeps_no_fix() -> None:
    body = TOLD.replace(
        "due to a nightly transfer job restarting and sending the whole file again",
        "due to the payment processor sending a duplicate file",
    )
    found = _outside(body)
    assert found and all(f.fix is None for f in found)
