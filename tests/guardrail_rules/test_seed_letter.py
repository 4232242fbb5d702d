"""A guide letter, checked as a caller would send it.

The first customer template of the source guide (seeds/001, "delayed delivery") is
paraphrased below in our own words, with its placeholders filled in, and checked against a
request built to match it. The guide's letter quotes an improvement figure that a real
business would not necessarily have; that figure is the one error we expect, and it goes
away once the request supplies it as a prevention metric.
"""

from __future__ import annotations

from typing import Any

from contract.models import DraftRequest
from guardrails import check

SUBJECT = "Putting your delivery first"
BODY = "\n\n".join(
    [
        ("Dear Maya Lindqvist,"),
        (
            "We deeply regret how late your order OR-55120 has been. At Fjord Home we know you "
            "count on deliveries arriving when we say they will, and we take full accountability "
            "for letting you down."
        ),
        (
            "The delay came from supply chain disruption caused by unexpected storms along our "
            "shipping route. We have expedited your order and it will reach you by 18 March. To "
            "avoid delays like this, we have introduced real-time tracking and closer collaboration"
            " with our carriers, which has already made deliveries 25% faster."
        ),
        (
            "As a sign of our commitment, we have credited your account with $10. Thank you for "
            "your understanding, and please feel free to reach out at help@fjordhome.example if "
            "there is anything else we can help with."
        ),
        "Warm regards,\nTomas Berg\nCustomer Experience Manager\nFjord Home",
    ]
)

REQUEST: dict[str, Any] = {
    "scenario": "custom",
    "channel": "email",
    "tone": "warm",
    "recipient": {"name": "Maya Lindqvist"},
    "sender": {
        "name": "Tomas Berg",
        "title": "Customer Experience Manager",
        "organization": "Fjord Home",
        "contact": "help@fjordhome.example",
    },
    "incident": {
        "summary": "The order OR-55120 is running late because storms disrupted shipping.",
        "reference": "OR-55120",
        "cause": "supply chain disruption from storms on the shipping route",
    },
    "remedies": [
        {
            "kind": "expedite",
            "description": "expedited delivery of the order",
            "date": "18 March",
            "status": "done",
        },
        {"kind": "credit", "description": "account credit", "amount": "$10", "status": "done"},
    ],
    "prevention": [
        {
            "description": "real-time tracking and closer collaboration with carriers",
            "metric": None,
        },
    ],
}


def test_guide_letter_draws_only_the_invented_figure() -> None:
    report = check(BODY, subject=SUBJECT, context=DraftRequest.model_validate(REQUEST))
    errors = [(f.rule, f.excerpt) for f in report.errors]
    assert errors == [("commitments.unsupported_metric", "25% faster")]
    assert all(e.present for e in report.elements if e.required)


def test_guide_letter_passes_when_the_figure_is_supplied() -> None:
    request = dict(REQUEST)
    request["prevention"] = [
        {
            "description": "real-time tracking and closer collaboration with carriers",
            "metric": "deliveries 25% faster since the change",
        }
    ]
    report = check(BODY, subject=SUBJECT, context=DraftRequest.model_validate(request))
    assert report.passed, [(f.rule, f.excerpt) for f in report.errors]
