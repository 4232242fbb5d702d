"""Whose words a caller's phrase is, read from the phrase itself: the reader named with a
title in the summary, the sender owning a duty in their own "I", the customer accusing the
business with "you" — and the small slips that came with them (a month after "the", a
cause field that only says the cause is not known, a customer's own reason told as ours)."""

from __future__ import annotations

from typing import Any

import guardrails
from contract.models import DraftRequest
from service.composer import compose_draft


def _request(**incident: Any) -> dict[str, Any]:
    return {
        "scenario": "custom",
        "audience": "customer",
        "channel": "email",
        "tone": "warm",
        "recipient": {"name": "Jay"},
        "sender": {"name": "Kim Lee", "organization": "PulseFit"},
        "incident": incident,
        "remedies": [{"kind": "refund", "description": "refund of the fee", "status": "done"}],
    }


def _letter(data: dict[str, Any]) -> str:
    request = DraftRequest.model_validate(data)
    draft = compose_draft(request)
    report = guardrails.check(
        draft.body, subject=draft.subject, channel=request.channel, context=request
    )
    assert report.passed, [f.rule for f in report.errors]
    return draft.body


def test_a_reader_named_with_a_titled_name_and_her_pronoun_is_you() -> None:
    data = _request(
        summary="we charged Mrs Okafor twice for her dog Biscuit's surgery on 14 November",
        impact="£642.80 left her account twice, a week before her rent was due",
    )
    data["recipient"] = {"name": "Mrs. J. Okafor"}
    body = _letter(data)
    assert "charged you twice for your dog Biscuit's surgery" in body
    assert "left your account twice, a week before your rent was due" in body
    assert "Okafor twice" not in body and " her " not in body


def test_the_senders_own_duty_in_the_first_person_stays_theirs() -> None:
    body = _letter(
        _request(
            summary="I didn't call back with the quote for the boiler like I promised on Monday"
        )
    )
    assert "I didn't call back with the quote for the boiler like I promised on Monday." in body
    assert "you promised" not in body


def test_a_customer_accusing_the_business_is_turned_to_the_reader() -> None:
    for summary in (
        "I cancelled my membership in september but you kept taking the monthly fee",
        "cancelled my membership in september but you kept taking the monthly fee",
    ):
        body = _letter(_request(summary=summary))
        assert (
            "You cancelled your membership in September but we kept taking the monthly fee." in body
        ), body


def test_a_month_is_not_given_an_article() -> None:
    data = _request(summary="Your membership fee was taken after you had cancelled")
    data["remedies"] = [
        {
            "kind": "refund",
            "description": "refund for October and November",
            "amount": "£59.98",
            "status": "done",
        }
    ]
    body = _letter(data)
    assert "£59.98 for October and November" in body and "the October" not in body


def test_a_subject_with_a_relative_clause_is_a_sentence_of_its_own() -> None:
    body = _letter(
        _request(
            summary="players who bought gem packs during the 1.8.2 update lost them when the "
            "server rolled back",
            cause="a database rollback to a snapshot taken before the purchases were recorded",
        )
    )
    assert "Players who bought gem packs during the 1.8.2 update lost them" in body
    assert "what happened with players" not in body
    assert "is that a database rollback" not in body


def test_a_cause_field_saying_the_cause_is_unknown_is_not_printed() -> None:
    for cause in ("under investigation", "Unknown.", "TBC", "not yet known"):
        body = _letter(_request(summary="Your class booking was cancelled twice", cause=cause))
        assert cause.rstrip(".").lower() not in body.lower(), body


def test_the_customers_own_reason_for_their_loss_is_not_told_as_a_cause() -> None:
    body = _letter(
        _request(
            summary="Wifi on the 3rd floor dropped repeatedly for a week",
            customer_message="We lost a client pitch because the video call kept dying. "
            "Third time I'm reporting this.",
        )
    )
    assert "you lost a client pitch" in body and "kept dying" not in body


def test_a_reference_is_not_given_a_scenario_noun_the_request_never_uses() -> None:
    data = _request(summary="November salaries for 212 of your staff were paid three days late")
    data.update(scenario="missed_deadline", audience="client")
    data["incident"]["reference"] = "PC-HBL-1125"
    assert "reference PC-HBL-1125" in _letter(data)
    data["incident"]["summary"] = "The website project was handed over three days late"
    assert "your project PC-HBL-1125" in _letter(data)
    data["incident"]["summary"] = "Your membership renewed although you had cancelled it"
    assert "your membership PC-HBL-1125" in _letter(data)


def _with_remedy(description: str, status: str, kind: str = "other") -> dict[str, Any]:
    data = _request(summary="our crew damaged your upright piano while moving it on Tuesday")
    data["remedies"] = [{"kind": kind, "description": description, "status": status}]
    return data


def test_an_offer_with_its_own_participle_is_told_with_our_verb() -> None:
    # "we would like to have the hotel night reimbursed" reads as if someone else pays.
    cases = [
        ("the hotel night reimbursed", "refund", "reimburse the hotel night"),
        ("a lemon drizzle cake delivered free tomorrow", "replacement", "deliver a lemon"),
        ("a piano restorer's assessment paid by us", "service", "pay for a piano restorer's"),
        ("the taxi fare paid by us", "other", "pay the taxi fare"),
    ]
    for description, kind, wording in cases:
        body = _letter(_with_remedy(description, "offered", kind))
        assert wording in body, body
        assert "like to have" not in body and "glad to have" not in body and "by us" not in body


def test_an_offer_done_by_someone_else_keeps_its_agent() -> None:
    body = _letter(_with_remedy("the piano restored by a restorer of your choice", "offered"))
    assert "have the piano restored by a restorer of your choice" in body


def test_a_done_remedy_that_says_ready_is_a_sentence_of_its_own() -> None:
    body = _letter(_with_remedy("prescription ready for collection from 2pm today", "done"))
    assert "prescription is ready for collection from 2pm today." in body
    assert "arranged the prescription" not in body


def test_a_client_named_by_role_without_an_article_is_the_reader() -> None:
    data = _request(
        summary="the domain expired on 1 December even though auto-renew was on",
        impact="client's website and email were down for about 19 hours",
    )
    data["audience"] = "client"
    body = _letter(data)
    assert "your website and email were down for about 19 hours" in body
    assert "client's" not in body


def test_after_saying_work_has_started_what_is_done_comes_first() -> None:
    data = _request(summary="the car you booked was not ready at the desk")
    data["strategies"] = ["proactive_solutions"]
    data["remedies"] = [
        {"kind": "refund", "description": "the hotel night reimbursed", "status": "offered"},
        {"kind": "refund", "description": "30 percent of the rental refunded", "status": "done"},
    ]
    body = _letter(data)
    started = body.index("already")
    assert started < body.index("30 percent") < body.index("reimburse the hotel night")
