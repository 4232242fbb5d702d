"""Valid requests in the shapes callers write them: a remedy's amount or date in any
notation is recognised when the letter states it, a group as recipient is not a name to
withhold, a summary quoting the customer is the caller's own text, and what the customer
posted publicly themselves is only a warning when a public reply repeats it."""

from __future__ import annotations

from typing import Any

import pytest
from guardrail_corpus import CONTEXTS

from contract.models import DraftRequest
from guardrails import check


def _request(**changes: Any) -> DraftRequest:
    data = {key: value for key, value in CONTEXTS["jacket"].items()}
    data["remedies"] = [dict(r) for r in data["remedies"]]
    data["incident"] = dict(data["incident"])
    for key, value in changes.items():
        data[key] = value
    return DraftRequest.model_validate(data)


LETTER = (
    "Dear Dana,\n\nWe're sorry that your winter jacket (order NW-48213) arrived nine days late. "
    "A sorting fault at our regional warehouse held it up, and we take full responsibility. "
    "We have refunded the $14.95 express shipping fee. {offer} We have added a second barcode "
    "scan at the sorting step to help prevent this from happening again.\n\nReply to this "
    "email if there is anything else we can do. Thank you for your patience.\n\n"
    "Warm regards,\nPriya Natarajan\nNorthwind Outfitters"
)

# (the remedy's amount as the caller wrote it, how the letter states it)
AMOUNTS = [
    ("15%", "15% off your next order"),
    ("15 percent", "15% off your next order"),
    ("15%", "fifteen percent off your next order"),
    ("10", "10% off your next order"),
    ("10.5", "a credit of $10.50"),
    ("1,000", "1000 points on your account"),
    ("500 points", "500 points on your account"),
    ("1 month", "one month of free delivery"),
    ("¥1000", "a ¥1,000 voucher"),
    ("CHF 20", "a CHF 20 voucher"),
    ("€64.90", "a €64.90 voucher"),
    ("500$", "a $500 voucher"),
    ("full refund", "a full refund of the order"),
]


@pytest.mark.parametrize(("amount", "stated"), AMOUNTS, ids=[a[0] for a in AMOUNTS])
def test_a_remedy_amount_is_recognised_in_any_notation(amount: str, stated: str) -> None:
    remedy = {"kind": "other", "description": "a goodwill gesture", "amount": amount}
    request = _request(remedies=[CONTEXTS["jacket"]["remedies"][0], remedy])
    body = LETTER.format(offer=f"We would also like to offer you {stated}.")
    report = check(body, subject="Your order NW-48213", context=request)
    assert report.passed, [(f.rule, f.excerpt, f.message) for f in report.errors]


def test_a_remedy_amount_left_out_is_still_reported() -> None:
    remedy = {"kind": "other", "description": "a goodwill gesture", "amount": "CHF 20"}
    request = _request(remedies=[CONTEXTS["jacket"]["remedies"][0], remedy])
    body = LETTER.format(offer="We would also like to offer you a goodwill gesture.")
    report = check(body, subject="Your order NW-48213", context=request)
    assert [f.rule for f in report.errors] == ["commitments.omitted_remedy"]


@pytest.mark.parametrize(
    ("date", "stated"),
    [
        ("Thursday", "by Thursday"),
        ("Wednesday 9 October", "on Wednesday 9 October"),
        ("tomorrow", "by tomorrow"),
        ("by Friday", "by Friday"),
        ("2026-10-09", "by 9 October"),
    ],
)
def test_a_remedy_date_is_recognised_in_any_notation(date: str, stated: str) -> None:
    remedy = dict(CONTEXTS["jacket"]["remedies"][1], date=date)
    request = _request(remedies=[CONTEXTS["jacket"]["remedies"][0], remedy])
    offer = f"We would like to offer you 15% off your next order with the code SORRY15 {stated}."
    report = check(LETTER.format(offer=offer), subject="Your order NW-48213", context=request)
    assert report.passed, [(f.rule, f.excerpt, f.message) for f in report.errors]


def test_a_group_recipient_is_not_a_name_to_withhold() -> None:
    request = _request(channel="public_statement", recipient={"name": "our customers"})
    body = "Our customers deserve better. Our warehouse sorted parcels late, and we are sorry."
    report = check(body, channel="public_statement", context=request)
    assert not any(f.rule == "channel.public_recipient_name" for f in report.findings)
    person = _request(channel="public_statement", recipient={"name": "Will Hart"})
    named = check(
        "Will Hart, we are sorry. We will fix it.", channel="public_statement", context=person
    )
    names = [f.excerpt for f in named.errors if f.rule == "channel.public_recipient_name"]
    assert names == ["Will Hart"]


def test_a_summary_quoting_the_customer_is_not_an_echo() -> None:
    said = "I needed this jacket for my trip and it came after I got back. Really disappointed."
    incident = dict(CONTEXTS["jacket"]["incident"], summary=said, customer_message=said)
    request = _request(incident=incident)
    quoted = check(f"You told us: {said}", channel="sms", context=request)
    assert not any(f.rule == "artefacts.echo" for f in quoted.findings)
    own = dict(incident, summary="The jacket arrived nine days late.")
    echoed = check(f"You told us: {said}", channel="sms", context=_request(incident=own))
    assert any(f.rule == "artefacts.echo" for f in echoed.errors)


def test_what_the_customer_posted_publicly_is_a_warning_not_an_error() -> None:
    incident = dict(
        CONTEXTS["jacket"]["incident"],
        customer_message="Flight AC218 left without me and nobody at the gate helped.",
    )
    request = _request(channel="social", incident=incident)
    body = "We're so sorry about AC218 and the help you didn't get at the gate. Please DM us."
    report = check(body, channel="social", context=request)
    own = [f for f in report.findings if f.rule == "channel.public_code"]
    assert own and all(f.severity == "warning" for f in own)
    assert "public public" not in " ".join(f.message for f in report.findings)
    other = check(body.replace("AC218", "BA117"), channel="social", context=request)
    assert any(f.rule == "channel.public_code" for f in other.errors)


def test_a_code_the_summary_states_is_a_warning_and_the_reference_stays_private() -> None:
    incident = dict(
        CONTEXTS["jacket"]["incident"],
        summary="We issued your 1099-NEC forms with the wrong tax number on them.",
        reference="ENG-2025-118",
    )
    request = _request(channel="social", incident=incident)
    body = "We're so sorry we issued your 1099-NEC forms with the wrong number. Please DM us."
    report = check(body, channel="social", context=request)
    named = [f for f in report.findings if f.rule == "channel.public_code"]
    assert [(f.excerpt, f.severity) for f in named] == [("1099-NEC", "warning")]
    assert "a code from the incident's summary" in named[0].message
    leaked = check(body + " Your case is ENG-2025-118.", channel="social", context=request)
    assert any(f.excerpt == "ENG-2025-118" for f in leaked.errors)
    other = check(body.replace("1099-NEC", "BX-4471"), channel="social", context=request)
    assert any(f.rule == "channel.public_code" and f.excerpt == "BX-4471" for f in other.errors)


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("We reissued the 2025 1099 forms on Monday.", False),
        ("We issued 12 500 refunds.", False),
        ("Call Dana on 555-123-4567 today.", True),
        ("Call Dana on 020 7946 0958 today.", True),
        ("Call Dana on +44 7700 900123 today.", True),
    ],
)
def test_a_public_statement_reads_a_phone_number_not_a_year_beside_a_number(
    text: str, phone: bool
) -> None:
    request = _request(channel="public_statement", recipient={"name": "our customers"})
    report = check(text, channel="public_statement", context=request)
    found = any(f.rule == "channel.public_personal_data" for f in report.errors)
    assert found is phone


@pytest.mark.parametrize(
    "said",
    ["member number 55019283", "policy no. HX44190", "student ID 2019-44817", "card 4242-1881"],
)
def test_a_readers_own_number_is_kept_out_of_a_public_reply(said: str) -> None:
    request = _request(channel="social")
    body = f"We're so sorry about {said} being locked. Please DM us."
    report = check(body, channel="social", context=request)
    assert any(said in f.excerpt or f.excerpt in said for f in report.errors), report.findings
