"""Guardrail false positives on correct composer letters, one kind per test: each letter
states only what the request gives and must pass, while the same rule still catches the real
violation next to it (a change nobody authorised, an offer nobody authorised)."""

from __future__ import annotations

import pytest

from contract.models import DraftRequest, Remedy
from contract.report import Finding
from guardrails import check


def _request(**incident: str) -> DraftRequest:
    return DraftRequest.model_validate(
        {
            "scenario": "website_glitch",
            "channel": "email",
            "recipient": {"name": "Dana Whitfield"},
            "sender": {"name": "Priya Natarajan", "organization": "Bluebell Telecom"},
            "incident": {"summary": "your booking was lost", **incident},
            "remedies": [
                {"kind": "discount", "description": "15% off the next order", "status": "done"}
            ],
            "prevention": [{"description": "a weekly audit of hold queues"}],
        }
    )


def _rules(text: str, request: DraftRequest, rule: str) -> list[Finding]:
    report = check(text, channel="email", context=request)
    return [f for f in report.findings if f.rule == rule]


INVENTED = "request.invented_prevention"


def test_the_callers_cause_retold_is_not_an_invented_prevention_step() -> None:
    request = _request(cause="we changed the booking system and the old holds were lost")
    for text in (
        "This happened because we changed the booking system and the old holds were lost.",
        "The confirmed facts so far show that we changed the booking system and the old "
        "holds were lost, and our review is continuing.",
    ):
        assert _rules(text, request, INVENTED) == [], text


def test_a_remedy_in_the_callers_words_is_not_an_invented_prevention_step() -> None:
    request = _request()
    text = "We will set up 15% off the next order and confirm to you once it is done."
    assert _rules(text, request, INVENTED) == []


def test_a_change_beyond_the_callers_cause_is_still_invented() -> None:
    request = _request(cause="we changed the booking system and the old holds were lost")
    for text in (
        "We have changed the booking system to add a second check so that this cannot recur.",
        "We changed the booking system and the old holds were lost; we have also added a "
        "second check at the front desk to prevent a repeat.",
        "We have added a second check to the booking system to prevent a repeat.",
    ):
        assert [f.rule for f in _rules(text, request, INVENTED)] == [INVENTED], text


UNSUPPORTED = "commitments.unsupported_fact"


def _mortgage() -> DraftRequest:
    return DraftRequest.model_validate(
        {
            "scenario": "misleading_product_info",
            "channel": "letter",
            "recipient": {"name": "Mr Daniel Okafor"},
            "sender": {"name": "Priya Raman", "organization": "Kestrel Building Society"},
            "incident": {
                "summary": "He was quoted a fixed rate of 3.9% in his mortgage illustration "
                "but the offer letter showed 4.6%."
            },
            "remedies": [
                {
                    "kind": "other",
                    "description": "honour the 3.9% rate for the full five-year fixed term",
                    "status": "offered",
                }
            ],
        }
    )


def test_a_figure_restated_from_the_incident_beside_offer_letter_is_not_an_offer() -> None:
    text = (
        "You were quoted a fixed rate of 3.9% in your mortgage illustration, but the offer "
        "letter showed 4.6%."
    )
    report = check(text, channel="letter", context=_mortgage())
    assert [f.excerpt for f in report.findings if f.rule == UNSUPPORTED] == []


def test_a_figure_from_the_incident_offered_is_still_caught() -> None:
    for text in (
        "We would like to offer you the 4.6% rate for the full term.",
        "We offer 4.6% on the offer letter terms.",
        "The offer letter showed 4.6%, and we will honour 4.6% for the full term.",
    ):
        report = check(text, channel="letter", context=_mortgage())
        assert "4.6%" in [f.excerpt for f in report.findings if f.rule == UNSUPPORTED], text


def _public(**fields: object) -> DraftRequest:
    data: dict[str, object] = {
        "scenario": "delayed_delivery",
        "channel": "public_statement",
        "recipient": {"name": "our customers"},
        "sender": {"name": "Priya Natarajan", "organization": "Bluebell Telecom"},
        "incident": {"summary": "deliveries were delayed"},
        "remedies": [
            {"kind": "refund", "description": "refund of the delivery charge", "date": "2024-10-09"}
        ],
    }
    return DraftRequest.model_validate(data | fields)


def test_an_iso_date_in_a_public_statement_is_not_personal_data() -> None:
    text = (
        "Every delivery charge will be refunded by 2024-10-09; call 0161 555 0190 with questions."
    )
    report = check(text, channel="public_statement", context=_public())
    found = [f.excerpt for f in report.findings if f.rule == "channel.public_personal_data"]
    assert found == ["0161 555 0190"]


UNAUTHORISED = "commitments.unauthorised_remedy"


def test_the_callers_impact_retold_is_not_an_unauthorised_remedy() -> None:
    request = DraftRequest.model_validate(
        {
            "scenario": "custom",
            "channel": "chat",
            "sender": {"organization": "Northwind Outfitters"},
            "incident": {
                "summary": "overbooking",
                "impact": "you had to pay for a second night in a hotel",
            },
        }
    )
    retold = "We know you had to pay for a second night in a hotel, and we are sorry."
    report = check(retold, channel="chat", context=request)
    assert [f.excerpt for f in report.findings if f.rule == UNAUTHORISED] == []
    offered = retold + " We will pay for a taxi to the airport."
    report = check(offered, channel="chat", context=request)
    assert [f.excerpt for f in report.findings if f.rule == UNAUTHORISED] == ["pay for a"]


PINNED = [
    # (channel, recipient name, remedy, letter as the composer writes it): amounts in any
    # notation, a description in capitals or with a full stop, weekday and supplied dates,
    # a group recipient, an amount after "order", an amount in words. Each once a false
    # positive the property test tolerated; none may come back.
    (
        "letter",
        "Dana Whitfield",
        {
            "kind": "discount",
            "description": "15 PERCENT OFF THE NEXT ORDER.",
            "amount": "15 percent",
            "date": "Wednesday 9 October",
            "status": "planned",
        },
        "Dear Dana Whitfield,\n\nYour parcel arrived six days late. I am truly sorry. We will "
        "set up 15 percent off the next order on Wednesday 9 October.\n\nBest regards,\n"
        "Bluebell Telecom",
    ),
    (
        "public_statement",
        "our customers",
        {
            "kind": "discount",
            "description": "15% off the next order",
            "amount": "1,000",
            "date": "Thursday",
            "status": "planned",
        },
        "Your parcel arrived six days late. We apologise to everyone it affected. We will set "
        "up 15% off the next order (1,000) on Thursday. Our customers can get in touch with "
        "our support team.\n\nBluebell Telecom",
    ),
    (
        "email",
        "Dana Whitfield",
        {
            "kind": "refund",
            "description": "refund of the delivery charge",
            "amount": "full refund",
            "date": "14 March",
            "status": "done",
        },
        "Hello Dana,\n\nYour parcel arrived six days late. I am sorry we let you down. We have "
        "issued the refund of the delivery charge (full refund) on 14 March.\n\nBest regards,\n"
        "Bluebell Telecom",
    ),
    (
        "public_statement",
        "everyone who flew with us on 3 May",
        {"kind": "credit", "description": "credit", "amount": "500 points", "status": "done"},
        "Your parcel arrived six days late. We are sorry to everyone affected. We have added "
        "the credit (500 points).\n\nBluebell Telecom",
    ),
    (
        "letter",
        "Dana Whitfield",
        {"kind": "credit", "description": "CREDIT", "amount": "CHF 20", "status": "offered"},
        "Dear Dana Whitfield,\n\nYour parcel arrived six days late. I am truly sorry. We would "
        "like to offer you the credit (CHF 20).\n\nBest regards,\nBluebell Telecom",
    ),
]


@pytest.mark.parametrize(("channel", "name", "remedy", "letter"), PINNED)
def test_composer_letters_once_misread_pass(
    channel: str, name: str, remedy: dict[str, str], letter: str
) -> None:
    request = DraftRequest.model_validate(
        {
            "scenario": "delayed_delivery",
            "channel": channel,
            "recipient": {"name": name},
            "sender": {"organization": "Bluebell Telecom"},
            "incident": {"summary": "your parcel arrived six days late"},
            "remedies": [remedy],
        }
    )
    report = check(letter, channel=channel, context=request)
    assert [(f.rule, f.excerpt) for f in report.findings if f.rule in _MISREAD] == []


_MISREAD = {
    "commitments.omitted_remedy",
    "commitments.unsupported_fact",
    "commitments.unauthorised_remedy",
    "channel.public_recipient_name",
    "channel.public_reference",
    "channel.public_personal_data",
}


def test_a_measured_share_of_100_percent_is_not_a_guarantee() -> None:
    """A prevention metric "100% of 48 regulated jobs" is a measured share the caller
    supplied, not an absolute promise; "100% sure" and "100% of orders will arrive" still
    are."""
    request = _request()
    rule = "guarantee.absolute"
    share = "The result so far: 100% of 48 regulated jobs since April went to approved staff."
    assert not _rules(f"Dear Dana,\n\nI am sorry. {share}", request, rule)
    for promise in ("We are 100% sure this is fixed.", "100% of orders will arrive on time."):
        assert _rules(f"Dear Dana,\n\nI am sorry. {promise}", request, rule), promise


def test_a_measured_result_told_in_the_past_is_not_a_guarantee() -> None:
    """A prevention metric told as what was measured ("100% of test failures paged within 10
    minutes") is a result, not a promise; whether the request supplied it is
    `commitments.unsupported_fact`'s to judge. The same figure told as what will happen is
    still an absolute promise."""
    step = {
        "description": "backup failures now page the on-call engineer",
        "metric": "100% of test failures paged within 10 minutes",
    }
    request = DraftRequest.model_validate({**_request().model_dump(), "prevention": [step]})
    result = "The result so far: 100% of test failures paged within 10 minutes."
    assert not _rules(f"Dear Dana,\n\nI am sorry. {result}", request, "guarantee.absolute")
    assert not _rules(
        f"Dear Dana,\n\nI am sorry. {result}", request, "commitments.unsupported_fact"
    )
    # Not supplied: the measured figure is still caught, by the rule for supplied facts.
    assert _rules(f"Dear Dana,\n\nI am sorry. {result}", _request(), "commitments.unsupported_fact")
    for promise in (
        "From now on 100% of test failures will be paged within 10 minutes.",
        "100% of backups are to be checked every night.",
    ):
        assert _rules(f"Dear Dana,\n\nI am sorry. {promise}", request, "guarantee.absolute"), (
            promise
        )


def test_the_customers_cant_retold_as_you_cant_is_not_an_impact_turned_around() -> None:
    """The impact "I can't hear my grandchildren on the phone" told to the reader ("you
    can't hear your grandchildren") keeps its negation; "can't" is a negation like
    "couldn't", and "hearing" in "the hearing aid" is not the verb. Telling the reader
    they could not do what they did is still caught."""
    request = _request(
        summary="the hearing aid you sent us for repair has been lost",
        impact="I have been without my aid for three weeks and I can't hear my grandchildren",
    )
    rule = "request.invented_impact"
    kept = "I know that you have been without your aid and you can't hear your grandchildren."
    assert not _rules(f"Dear Dana,\n\nI am sorry. {kept}", request, rule)
    did = _request(impact="you had to hear the news from a stranger")
    turned = "It left you unable to hear the news."
    assert _rules(f"Dear Dana,\n\nI am sorry. {turned}", did, rule)


def test_a_remedy_amount_after_a_month_in_its_description_is_authorised() -> None:
    """A credit "service credit for November" of "25%": the description's last word and the
    amount are separate fields, not the date "November 25", so "(25%)" is authorised."""
    request = _request().model_copy(
        update={
            "remedies": [
                Remedy(
                    kind="credit",
                    description="service credit for November",
                    amount="25%",
                    status="done",
                )
            ]
        }
    )
    letter = "Dear Dana,\n\nI am sorry. I have added the service credit for November (25%)."
    assert not _rules(letter, request, "commitments.unsupported_fact")


def test_a_perk_word_in_the_incident_told_back_is_not_a_perk() -> None:
    """ "We sent you a parking fine" retells the incident; "parking" is not offered. A free
    parking pass offered with no remedy naming it is still caught."""
    request = _request(summary="we sent you a parking fine for a bay you had a permit for")
    rule = "commitments.invented_perk"
    told = "We sent you a parking fine for a bay you had a permit for."
    assert not _rules(f"Dear Dana,\n\nI am sorry. {told}", request, rule)
    offered = "We would like to offer you free parking for a month."
    assert _rules(f"Dear Dana,\n\nI am sorry. {told} {offered}", request, rule)


def _remedy_request(remedy: dict[str, str], reference: str | None = None) -> DraftRequest:
    data = _request().model_dump(exclude_none=True)
    data["remedies"] = [remedy]
    if reference:
        data["incident"]["reference"] = reference
    return DraftRequest.model_validate(data)


def test_half_of_the_fare_states_a_fifty_percent_remedy() -> None:
    half = {"kind": "refund", "description": "half of the voyage fare", "amount": "50%"}
    request = _remedy_request({**half, "status": "done"})
    rule = "commitments.omitted_remedy"
    assert not _rules("We have refunded half of the voyage fare.", request, rule)
    # "half" elsewhere in the letter is not the remedy's figure.
    other = {**half, "description": "the voyage fare"}
    text = "We have refunded the voyage fare. You waited half an hour."
    assert _rules(text, _remedy_request({**other, "status": "done"}), rule)


def test_a_reference_said_as_the_readers_number_is_stated() -> None:
    remedy = {"kind": "discount", "description": "15% off the next order", "status": "done"}
    rule = "facts.omitted_reference"
    for reference, said in (
        ("MEMBER 40-2216", "your member number 40-2216"),
        ("DONOR #HT-004417", "your donor number HT-004417"),
    ):
        request = _remedy_request(remedy, reference)
        assert not _rules(f"We are writing about {said}.", request, rule), reference
        # The number alone, or under another label, is not the reference.
        number = said.rsplit(" ", 1)[1]
        assert _rules(f"We are writing about {number}.", request, rule), reference
        assert _rules(f"We are writing about your order {number}.", request, rule), reference


def test_a_reference_said_as_the_readers_number_names_the_incident() -> None:
    # A one-word summary beside a longer impact gives too few words of the incident to
    # find: the reference, worded as the reader's number, is what names it.
    data = _request().model_dump(exclude_none=True)
    data["channel"] = "sms"
    data["incident"] = {
        "summary": "Overbooking.",
        "reference": "MEMBER 40-2216",
        "impact": "my daughter's birthday dinner was ruined",
    }
    request = DraftRequest.model_validate(data)
    rest = " We are very sorry. This is on us. We have taken 15% off the next order."
    for said, found in (
        ("your member number 40-2216", True),
        ("MEMBER 40-2216", True),
        ("number 40-2216", False),  # the number without its label is not it
    ):
        text = f"About {said}: the overbooking.{rest}"
        report = check(text, channel="sms", context=request)
        missing = [f for f in report.findings if f.message.endswith("acknowledgment.")]
        assert bool(missing) != found, (said, [f.message for f in report.findings])


def test_what_the_reader_meant_a_thing_to_be_is_no_intent_defence() -> None:
    # The caller's impact told back: the loss of a present, not our purpose defended.
    request = _request(impact="it was meant as a birthday present")
    rule = "non_apology.intent"
    for text in (
        "I know that it was meant as a birthday present. We are sorry; this was our mistake.",
        "The vase was meant as a wedding gift. We are sorry; this was our mistake.",
    ):
        assert not _rules(text, request, rule), text
    text = "The campaign was intended as a celebration of Halloween. We are sorry."
    assert _rules(text, request, rule)


def test_an_incident_named_in_capitals_is_no_code_in_a_public_reply() -> None:
    # "with" introduces a code only right before it ("pay with SAVEBIG").
    data = _request().model_dump(exclude_none=True)
    data.update(channel="social", remedies=[], prevention=[], incident={"summary": "OUTAGE"})
    request = DraftRequest.model_validate(data)
    rule = "channel.public_code"
    for text in (
        "We are so sorry about what happened with the OUTAGE. We take full responsibility.",
        "We are so sorry about what happened with the GDPR breach. This was our mistake.",
    ):
        report = check(text, channel="social", context=request)
        assert not [f for f in report.findings if f.rule == rule], text
    for text in ("Use the code FREEJACKET at checkout.", "Pay with SAVEBIG next time."):
        report = check(text, channel="social", context=request)
        assert [f for f in report.findings if f.rule == rule], text


def test_a_remedy_described_in_one_short_word_is_stated_by_it() -> None:
    # "TV" has no word long enough for a stem: the letter states it by the word itself.
    request = _remedy_request({"kind": "replacement", "description": "TV", "status": "offered"})
    rule = "commitments.omitted_remedy"
    assert not _rules("We would like to offer you a TV.", request, rule)
    assert _rules("We would like to offer you a new television.", request, rule)


@pytest.mark.parametrize(
    ("name", "organization", "signed"),
    [
        ("Élodie Marchand", "Hotel Lumière", "Élodie Marchand\nHotel Lumière"),
        (None, "Hotel Lumière", "Hotel Lumière"),
        ("Zoë Brontë", "Café Noël", "Zoë Brontë"),
    ],
)
def test_a_signature_with_accented_names_is_found(
    name: str | None, organization: str, signed: str
) -> None:
    request = DraftRequest.model_validate(
        {
            "scenario": "website_glitch",
            "channel": "email",
            "recipient": {"name": "Dana Whitfield"},
            "sender": {"name": name, "organization": organization},
            "incident": {"summary": "your booking was lost"},
        }
    )
    body = "Dear Dana,\n\nWe lost your booking, and we are sorry.\n\nKind regards,\n" + signed
    elements = {e.element: e for e in check(body, channel="email", context=request).elements}
    assert elements["signature"].present
    unsigned = body.replace(signed, "The team")
    elements = {e.element: e for e in check(unsigned, channel="email", context=request).elements}
    assert not elements["signature"].present


def test_an_amount_taken_off_is_amends_whatever_its_notation() -> None:
    # A sum with its own commas and points ("$2,400.00") still reads as money taken off;
    # a sentence that only ends on a figure does not run on into the next one.
    start = "Dear Ana, we are sorry the van was late; that was our mistake. "
    end = " Reply to this email if anything is still wrong. Best, Tom"
    for amends, found in (
        ("We have taken $2,400.00 off the invoice.", True),
        ("We've knocked £40.50 off your bill.", True),
        ("We have taken CHF 1,200 off this job.", True),
        ("We have taken note of it. Off-peak trains run hourly.", False),
    ):
        report = check(start + amends + end, channel="email")
        missing = [f for f in report.findings if f.message.endswith("element: amends.")]
        assert bool(missing) != found, (amends, [f.message for f in report.findings])
