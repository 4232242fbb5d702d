"""A recipient's title is never taken for a first name, however it is written."""

from __future__ import annotations

import pytest

from contract.models import DraftRequest
from service.composer import compose_draft
from service.composer.person import is_honorific


@pytest.mark.parametrize("word", ["Dr", "dr.", "Prof.", "Mx.", "MS", "Sir", "Dame"])
def test_titles_with_or_without_a_full_stop_are_honorifics(word: str) -> None:
    assert is_honorific(word)


@pytest.mark.parametrize("word", ["Dana", "Drew", "Ms-", "Professor"])
def test_names_are_not_honorifics(word: str) -> None:
    assert not is_honorific(word)


@pytest.mark.parametrize("name", ["Prof. Ada Lovelace", "Mx. Sam Reed", "Dr Omar Haddad"])
@pytest.mark.parametrize("tone", ["friendly", "warm"])
def test_a_titled_recipient_is_greeted_with_title_and_surname(
    name: str, tone: str, northwind_request: DraftRequest
) -> None:
    request = northwind_request.model_copy(
        update={"recipient": northwind_request.recipient.model_copy(update={"name": name})}
    )
    request = request.model_copy(update={"tone": tone})
    greeting = compose_draft(request).body.splitlines()[0]
    title, surname = name.split()[0], name.split()[-1]
    assert greeting.endswith(f" {title} {surname},"), greeting


@pytest.mark.parametrize("name", ["resident", "Valued Customer", "Dear Customer", "PATIENT"])
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_a_role_word_typed_as_the_name_is_not_greeted_as_a_name(
    name: str, channel: str, northwind_request: DraftRequest
) -> None:
    request = northwind_request.model_copy(
        update={
            "recipient": northwind_request.recipient.model_copy(update={"name": name}),
            "channel": channel,
        }
    )
    body = compose_draft(request).body
    role = name.split()[-1].lower()
    assert role not in body.lower().replace("customer care", ""), body


@pytest.mark.parametrize("name", ["Sir", "Madam", "Sir or Madam", "Sir/Madam"])
def test_sir_or_madam_is_greeted_as_typed(name: str, northwind_request: DraftRequest) -> None:
    request = northwind_request.model_copy(
        update={
            "recipient": northwind_request.recipient.model_copy(update={"name": name}),
            "channel": "letter",
            "tone": "formal",
        }
    )
    greeting = compose_draft(request).body.splitlines()[0]
    assert greeting == f"Dear {name},", greeting


# --- names typed in capitals, references and the writer's voice (issue 9) --------------------


@pytest.mark.parametrize(
    ("typed", "kept", "lowered"),
    [
        ("THE 07:40 SAILING TO KIRKWALL WAS CANCELLED", "to Kirkwall was", ""),
        ("MY FLIGHT FROM SAN JOSE WAS DELAYED", "from San Jose was", ""),
        ("THE APPLICATION FOR PLOT 4 WAS LATE", "for Plot 4 was", ""),
        ("WE WAITED AT GATE 12 FOR 3 HOURS", "at Gate 12 for", ""),
        ("THE TRAIN TO THE AIRPORT NEVER CAME", "", "the train to the airport never came"),
        ("THE BUS TO WORK LEFT EARLY", "", "the bus to work left early"),
    ],
)
def test_a_name_typed_in_capitals_keeps_its_capital(typed: str, kept: str, lowered: str) -> None:
    from service.composer.caller import tame_case

    tamed = tame_case(typed)
    assert kept in tamed if kept else tamed == lowered, tamed


@pytest.mark.parametrize(
    ("typed", "tamed"),
    [
        # One word in capitals, alone or for stress in an ordinary phrase, is not shouted.
        ("OUTAGE", "outage"),
        ("LATE.", "late."),
        ("the flight was LATE again", "the flight was late again"),
        ("the parcel was NEVER delivered", "the parcel was never delivered"),
        # Acronyms keep their capitals: known ones, ones with no vowel, and inside a phrase
        # any word our own letters do not use as an ordinary word.
        ("HMRC", "HMRC"),
        ("GDPR", "GDPR"),
        ("the SAML signing certificate expired", "the SAML signing certificate expired"),
        ("our IKEA order was late", "our IKEA order was late"),
    ],
)
def test_one_word_in_capitals_is_tamed_unless_it_is_an_acronym(typed: str, tamed: str) -> None:
    from service.composer.caller import tame_case

    assert tame_case(typed) == tamed


def test_a_summary_in_one_capitalised_word_reads_in_ordinary_case() -> None:
    """A one-word summary in capitals ("OUTAGE") is told in lower case; a name the request
    writes in capitals ("ACME Freight") keeps them."""
    for summary, org, said in [
        ("OUTAGE", "Bluebell Telecom", "what happened with the outage"),
        ("ACME", "ACME Freight", "the ACME"),
    ]:
        request = DraftRequest.model_validate(
            {"channel": "social", "sender": {"organization": org}, "incident": {"summary": summary}}
        )
        body = compose_draft(request).body
        assert said in body, body


def test_a_hash_reference_is_not_given_the_scenarios_noun() -> None:
    from tests.test_composer_messy import messy

    request = messy()["online_course_certificate_chat"]
    body = compose_draft(request).body
    assert "reference #LB-20931" in body and "account #LB-20931" not in body, body


def test_a_reference_for_a_journey_is_a_booking_not_the_scenarios_noun() -> None:
    from tests.test_composer_messy import messy

    ferry = messy()["ferry_cancellation_sms"]  # scenario cancelled_order, a sailing
    body = compose_draft(ferry).body
    assert "your booking WF-88213" in body and "order WF-88213" not in body, body
    manual = messy()["translation_dosage_error_client"]  # a "dosage table" is no booking
    assert "booking" not in compose_draft(manual).body


def test_an_sms_signed_by_the_organisation_says_we_and_a_colleagues_says_i() -> None:
    import re

    from tests.test_composer_sweep import COMBOS, sweep_request

    texts = [sweep_request(*c) for c in COMBOS if c[3] == "sms"]
    assert len(texts) > 50
    for request in texts:
        body = compose_draft(request).body
        speaks_as_i = re.search(r"\b(?:I|I've|I'm|I'll|I'd|me|my)\b", body)
        if request.audience == "colleague" and request.sender.name:
            assert body.endswith(f"- {request.sender.name}") or not body.rstrip().endswith(
                f"- {request.sender.organization}"
            ), body
        elif request.sender.organization:
            assert not speaks_as_i, body


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("OMG my hair is literally orange, I asked for ash blonde!!", "and I asked for"),
        ("why was I charged twice?!", "why was I charged twice?"),
    ],
)
def test_a_customers_outburst_is_told_calmly(typed: str, told: str) -> None:
    from service.composer.caller import tame_case

    tamed = tame_case(typed)
    assert told in tamed and "OMG" not in tamed and "!" not in tamed, tamed


def test_new_messy_letters_keep_who_is_who() -> None:
    """The buyer in a solicitor's letter is not the reader; a policy's "the customer" is
    every customer; a note ("500 business cards printed with ...") is told as a sentence."""
    from tests.test_composer_messy import messy

    cases = messy()
    probate = compose_draft(cases["solicitor_missed_probate_deadline_letter"]).body
    assert "the buyer may withdraw" in probate and "our ref HM/FAIR/0233" in probate, probate
    assert "no charge for the work" in probate and "set up no charge" not in probate
    storage = compose_draft(cases["self_storage_unit_opened_letter"]).body
    assert "by phone with the customer" in storage, storage
    cards = compose_draft(cases["print_shop_business_cards_email"]).body
    assert "The 500 business cards were printed with" in cards, cards


def test_they_after_the_readers_role_is_the_reader() -> None:
    """ "charged the client for 40 licences although they hold 25" written to that client
    says "you hold 25" (the guardrails reject "they" for the reader, and the composer had no
    letter for this request); "they" beside someone else named stays theirs."""
    import guardrails

    for summary, said, kept in [
        (
            "The March invoice charged the client for 40 user licences although they hold 25.",
            "although you hold 25",
            "they hold",
        ),
        (
            "We told the client that the courier would call, but they never did.",
            "but they never did",
            "",
        ),
    ]:
        request = DraftRequest.model_validate(
            {
                "scenario": "incorrect_invoice",
                "audience": "client",
                "channel": "email",
                "recipient": {"name": "Dr Imran Qureshi"},
                "sender": {"name": "Sofia Lind", "organization": "Clinicloud"},
                "incident": {"summary": summary, "reference": "INV-2291"},
            }
        )
        draft = compose_draft(request)
        assert said in draft.body, draft.body
        if kept:
            assert kept not in draft.body, draft.body
            report = guardrails.check(
                draft.body, subject=draft.subject, channel="email", context=request
            )
            assert report.passed, report.errors
