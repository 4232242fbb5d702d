"""Slips a small model makes when it retells the request as a letter (`letter_slips.py`):
the reader named in the third person, a done remedy told as still to come, terms added to a
remedy. Each letter below is shaped like one Qwen2.5-Coder-1.5B delivered in the model
eval; each rule must also leave the composer's letters and the reference letters alone (the
golden and composer sweeps and `test_reference_letters.py` run them)."""

from __future__ import annotations

import guardrails
from contract.models import DraftRequest
from contract.report import GuardrailReport
from service.salvage import salvage


def _request(**changes: object) -> DraftRequest:
    base: dict[str, object] = {
        "scenario": "custom",
        "audience": "customer",
        "channel": "email",
        "recipient": {"name": "Zoe Carter"},
        "sender": {"name": "Jamie", "organization": "Pulse Fitness"},
        "incident": {
            "summary": "The member was charged twice for her October membership.",
            "reference": "PF-11290",
        },
        "remedies": [
            {
                "kind": "refund",
                "description": "refund of the second charge",
                "amount": "$39.99",
                "status": "done",
            },
            {"kind": "other", "description": "a free guest pass", "status": "offered"},
        ],
    }
    base.update(changes)
    return DraftRequest.model_validate(base)


GYM = _request()


def _errors(body: str, request: DraftRequest, rule: str) -> list[tuple[str, str | None]]:
    report = guardrails.check(body, subject="Your membership", context=request)
    return [
        (f.excerpt, f.fix.text if f.fix is not None else None)
        for f in report.errors
        if f.rule == rule
    ]


def _salvaged(body: str, request: DraftRequest) -> tuple[str, GuardrailReport]:
    for _ in range(3):
        report = guardrails.check(body, subject="Your membership", context=request)
        if report.passed:
            break
        body = salvage("Your membership", body, report, request, request.channel).body
    return body, guardrails.check(body, subject="Your membership", context=request)


# --- the reader by name or pronoun ----------------------------------------------------------


def test_a_pronoun_the_request_used_for_the_reader_becomes_yours() -> None:
    body = "You were charged twice for her October membership."
    assert _errors(body, GYM, "request.third_person") == [("her", "your")]


def test_a_pronoun_for_someone_else_is_left_alone() -> None:
    request = _request(
        incident={
            "summary": "Our technician missed the visit because his van broke down.",
            "reference": "PF-11290",
        }
    )
    body = "Our technician missed the visit because his van broke down."
    assert _errors(body, request, "request.third_person") == []


def test_a_pronoun_the_reader_cannot_be_is_someone_elses() -> None:
    """A pronoun is the reader's only when it can be: not one of the other gender than the
    recipient's title ("his" to Mrs Adeyemi), and not one in a field where the customer
    speaks as "I" ("I had to carry him to the car": "him" is not the customer). A pronoun
    of the title's own gender, in the caller's third-person words, still is."""
    incident = {
        "summary": "pepper came back from his grooming with a burnt ear",
        "reference": "GR-4410",
        "impact": "I had to carry him to the car and drive straight to the vet",
    }
    body = "Pepper came back from his grooming with a burnt ear. You had to carry him to the car."
    titled = _request(recipient={"name": "mrs adeyemi"}, incident=incident)
    assert _errors(body, titled, "request.third_person") == []
    untitled = _request(recipient={"name": "Tunde Adeyemi"}, incident=incident)
    assert _errors("You had to carry him to the car.", untitled, "request.third_person") == []
    # The reader's own gender, in the caller's third-person words: still the reader.
    mr = _request(
        recipient={"name": "Mr Tunde Adeyemi"},
        incident={"summary": "He was billed twice for his grooming voucher.", "reference": "G-1"},
    )
    body = "We billed you twice for his grooming voucher."
    assert _errors(body, mr, "request.third_person") == [("his", "your")]
    # A pet the story names first: its pronoun is the pet's, whoever the reader is.
    dog = _request(
        recipient={"name": "Sam Okafor"},
        incident={"summary": "your dog came home from his stay with a cut paw", "reference": "1"},
    )
    body = "I'm sorry nobody told you about the cut from his stay."
    assert _errors(body, dog, "request.third_person") == []
    mrs = _request(recipient={"name": "Mrs Carter"})
    body = "You were charged twice for her October membership."
    assert _errors(body, mrs, "request.third_person") == [("her", "your")]


def test_the_reader_by_name_becomes_you_but_not_when_addressed() -> None:
    request = _request(recipient={"name": "Rosa Jimenez"}, audience="colleague")
    body = (
        "Dear Rosa,\n\nThis resulted in Rosa walking into the review unprepared. "
        "Rosa was not told. As a result, Rosa walked in blind. Thank you, Rosa."
    )
    assert _errors(body, request, "request.third_person") == [
        ("Rosa", "you"),
        ("Rosa was", "You were"),
        ("Rosa", "you"),
    ]


def test_a_name_before_a_verb_that_cannot_be_conjugated_has_no_fix() -> None:
    request = _request(recipient={"name": "Rosa Jimenez"})
    body = "Dear Rosa,\n\nI know Rosa needs the notes."
    assert _errors(body, request, "request.third_person") == [("Rosa", None)]


def test_the_readers_noun_copied_from_the_request_becomes_you() -> None:
    request = _request(
        audience="client",
        incident={
            "summary": "The March invoice charged the client for 40 licences although they "
            "hold 25.",
            "reference": "INV-2291",
        },
    )
    body = "The March invoice charged the client for 40 licences although they hold only 25."
    assert _errors(body, request, "request.third_person") == [
        ("the client", "you"),
        ("they", "you"),
    ]
    body = "The invoice was wrong, although they only hold 25 licences."
    assert _errors(body, request, "request.third_person") == [("they", "you")]
    colleague = request.model_copy(update={"audience": "colleague"})
    assert _errors(body, colleague, "request.third_person") == []


def test_pronouns_are_not_the_readers_when_the_request_names_someone_else() -> None:
    # "him" and "her" are Leo's and his grandmother's, not the colleague's the letter is to.
    nursery = _request(
        audience="colleague",
        recipient={"name": "Aoife"},
        incident={
            "summary": "I forgot to pass on that Leo's grandmother was collecting him.",
            "impact": "you had to turn her away at the door",
        },
    )
    body = "I forgot that Leo's grandmother was collecting him, so you had to turn her away."
    assert _errors(body, nursery, "request.third_person") == []
    # A son named in one field makes "his" in another field his, not the parent's.
    school = _request(
        recipient={"name": "Mrs Dube"},
        incident={
            "summary": "Her son was told he had failed.",
            "cause": "his mark was entered against another student",
        },
    )
    body = "We entered his mark against another student, and he was told he had failed."
    assert _errors(body, school, "request.third_person") == []
    # A friend named only in a remedy is no one in the story: "her" is still the reader's.
    gym = _request(
        remedies=[
            {
                "kind": "other",
                "description": "a free guest pass to bring a friend",
                "status": "offered",
            }
        ]
    )
    body = "You were charged twice for her October membership."
    assert _errors(body, gym, "request.third_person") == [("her", "your")]
    # A group or a place is not a person spoken of in the third person.
    tenants = _request(
        recipient={"name": "tenants of Alder Court"},
        incident={"summary": "The heating in Alder Court was off for nine days."},
    )
    body = "The heating in Alder Court was off for nine days."
    assert _errors(body, tenants, "request.third_person") == []


def test_role_nouns_in_steps_or_for_a_group_are_not_the_reader() -> None:
    # A prevention step is how we work for everyone: the patient file is not the reader.
    vet = _request(
        incident={"summary": "Biscuit was given the wrong vaccine."},
        prevention=[{"description": "every vaccine is scanned against the patient file"}],
    )
    body = "Every vaccine is now scanned against the patient file before it is given."
    assert _errors(body, vet, "request.third_person") == []
    # To "our passengers", the passenger in the story is one of them, not the reader.
    airline = _request(
        recipient={"name": "our passengers"},
        incident={
            "summary": "A passenger's wheelchair was damaged on flight AL 77.",
            "impact": "the passenger was left without a working wheelchair for two days",
        },
    )
    body = "We know that the passenger was left without a working wheelchair for two days."
    report = guardrails.check(body, subject="Flight AL 77", context=airline)
    assert not [f for f in report.errors if f.rule.startswith("request.")], report.errors


def test_the_prompts_word_for_the_reader_becomes_you() -> None:
    body = "The impact of this incident on the recipient is that the recipient's data was seen."
    assert _errors(body, GYM, "request.third_person") == [
        ("the recipient", "you"),
        ("the recipient's", "your"),
    ]
    assert _errors("We told the recipient of the parcel.", GYM, "request.third_person") == []


# --- a done remedy told as still to come ----------------------------------------------------


def test_a_done_refund_told_as_to_come_is_said_again_as_done() -> None:
    body = "Hi Zoe,\n\nI will be refunding the second charge of $39.99 immediately.\n\nJamie"
    assert [e for e, _ in _errors(body, GYM, "commitments.done_as_future")] == ["will be refunding"]
    fixed, report = _salvaged(body, GYM)
    assert "will be refunding" not in fixed and "immediately" not in fixed
    assert "$39.99" in fixed
    assert not [f for f in report.errors if f.rule.startswith("commitments.done")]


def test_a_promise_of_something_else_in_the_sentence_is_not_the_remedy() -> None:
    body = "We refunded the second charge of $39.99. If you would like a receipt, I will send one."
    assert _errors(body, GYM, "commitments.done_as_future") == []


def test_an_offered_remedy_may_be_offered() -> None:
    body = "We would like to offer you a free guest pass."
    assert _errors(body, GYM, "commitments.done_as_future") == []


def test_a_remedy_of_the_same_kind_still_to_come_is_not_the_done_one() -> None:
    # The composer's letters for requests listing a refund done and another offered or
    # planned (the property sweep's shapes): the sentence to come is the other listing's.
    done = {"kind": "refund", "description": "We refunded the second charge.", "status": "done"}
    offered = {
        "kind": "refund",
        "description": "refund of the delivery charge",
        "status": "offered",
    }
    twice = {**done, "description": "refund of the delivery charge", "amount": "£40"}
    planned = {**offered, "status": "planned", "date": "by Friday"}
    body = "We would like to offer you a refund of the delivery charge."
    assert _errors(body, _request(remedies=[offered, done]), "commitments.done_as_future") == []
    body = "We will issue the refund of the delivery charge by Friday."
    assert _errors(body, _request(remedies=[twice, planned]), "commitments.done_as_future") == []
    # Named by its amount, the done one is still told as to come.
    charged = {**done, "amount": "£39.99"}
    body = "We will refund the second charge (£39.99) and the delivery charge."
    found = _errors(body, _request(remedies=[charged, offered]), "commitments.done_as_future")
    assert found, body


def test_an_amount_a_done_remedy_shares_with_one_to_come_names_neither() -> None:
    # The property sweep's shape: the same figure on a refund made and on something offered
    # or planned; each is stated with its amount, so the figure tells them apart no more.
    refunded = {
        "kind": "refund",
        "description": "REFUND OF THE BOOKING FEE",
        "amount": "€64.90",
        "status": "done",
    }
    credit = {"kind": "credit", "description": "credit", "amount": "€64.90", "status": "offered"}
    phone = {
        "kind": "replacement",
        "description": "the phone damaged in transit",
        "amount": "€64.90",
        "status": "planned",
    }
    rule = "commitments.done_as_future"
    body = "We have refunded the booking fee (€64.90). We would like to offer you credit (€64.90)."
    assert _errors(body, _request(remedies=[credit, refunded]), rule) == []
    body = "To make amends, we will replace the phone damaged in transit (€64.90)."
    assert _errors(body, _request(remedies=[refunded, phone]), rule) == []
    # An amount written as words ("full refund") on both, beside an offer with no long word.
    full = {**refunded, "description": "full refund of the tickets", "amount": "full refund"}
    discount = {**credit, "kind": "discount", "description": "15% off the next order"}
    discount["amount"] = "full refund"
    body = "We would like to offer you 15% off the next order (full refund)."
    assert _errors(body, _request(remedies=[full, discount]), rule) == []
    # The done one named by its own kind is still told as to come.
    body = "We will refund the booking fee (€64.90)."
    assert _errors(body, _request(remedies=[refunded, credit]), rule), body


# --- terms added to a remedy ----------------------------------------------------------------


def test_where_a_remedy_is_applied_must_be_the_requests() -> None:
    request = _request(
        remedies=[
            {
                "kind": "other",
                "description": "a corrected invoice for 25 licences",
                "status": "done",
            }
        ]
    )
    body = "We have already corrected the invoice for 25 licences, which is now included in the "
    body += "next invoice."
    assert _errors(body, request, "commitments.added_terms") == [
        (", which is now included in the next invoice", "")
    ]
    fixed, _ = _salvaged(body, request)
    assert "We have already corrected the invoice for 25 licences." in fixed
    assert "next invoice" not in fixed


def test_the_requests_own_placement_is_allowed() -> None:
    request = _request(
        remedies=[
            {
                "kind": "credit",
                "description": "credit on the next bill",
                "amount": "$25",
                "status": "done",
            }
        ]
    )
    body = "We have added the credit on the next bill ($25)."
    assert _errors(body, request, "commitments.added_terms") == []


def test_how_soon_is_flagged_only_in_a_remedy_sentence() -> None:
    body = "We have refunded the second charge of $39.99 immediately."
    assert _errors(body, GYM, "commitments.added_terms") == [(" immediately", "")]
    assert _errors("I looked into this immediately.", GYM, "commitments.added_terms") == []
    body = "I have refunded the second charge of $39.99, which should arrive soon."
    assert _errors(body, GYM, "commitments.added_terms") == [(", which should arrive soon", "")]


# --- remedies stated only by words other facts share ----------------------------------------


def test_a_remedy_is_not_stated_by_the_incidents_and_steps_words() -> None:
    request = _request(
        incident={
            "summary": "The customer ordered a sage-green kettle and received a navy one.",
            "reference": "HC-55102",
        },
        remedies=[
            {
                "kind": "replacement",
                "description": "the green kettle sent by express delivery",
                "status": "done",
            },
            {
                "kind": "other",
                "description": "a prepaid label to return the navy kettle",
                "status": "offered",
            },
        ],
        prevention=[{"description": "separate shelf locations and labels for each colour"}],
    )
    body = (
        "Dear Zoe,\n\nYou received a navy kettle instead of the green one. We have sent the "
        "green kettle by express delivery. We now keep separate shelf locations and labels for "
        "each colour.\n\nJamie"
    )
    report = guardrails.check(body, subject="Your kettle", context=request)
    fixes = [f.fix.fact for f in report.errors if f.fix is not None]
    assert "remedy:1" in fixes
    said = body.replace("by express delivery.", "by express delivery, with a prepaid label.")
    report = guardrails.check(said, subject="Your kettle", context=request)
    assert "commitments.omitted_remedy" not in {f.rule for f in report.errors}


# --- the request's words for a remedy copied into a sentence --------------------------------


def test_a_status_label_or_authorised_remedy_tag_is_cut_from_its_sentence() -> None:
    body = (
        "Hi Zoe,\n\nWe have refunded the second charge of $39.99 (already done). We would "
        "like to offer you a free guest pass as an authorised remedy.\n\nJamie"
    )
    report = guardrails.check(body, subject="Your membership", context=GYM)
    copied = [f for f in report.errors if f.rule == "artefacts.prompt_fields"]
    assert [(f.excerpt, f.fix.text if f.fix else None) for f in copied] == [
        (" (already done)", ""),
        (" as an authorised remedy", ""),
    ]
    fixed, _ = _salvaged(body, GYM)
    assert "We have refunded the second charge of $39.99." in fixed
    assert "We would like to offer you a free guest pass." in fixed


def test_a_remedys_amount_only_in_the_retelling_is_not_the_remedy() -> None:
    body = (
        "Hi Zoe,\n\nYou were charged twice, which resulted in a total of $39.99. We would "
        "like to offer you a free guest pass.\n\nJamie"
    )
    report = guardrails.check(body, subject="Your membership", context=GYM)
    omitted = [f for f in report.errors if f.rule == "commitments.omitted_remedy"]
    assert [f.fix.fact for f in omitted if f.fix is not None] == ["remedy:0"]
    said = body.replace("We would", "We have refunded the $39.99. We would")
    report = guardrails.check(said, subject="Your membership", context=GYM)
    assert "commitments.omitted_remedy" not in {f.rule for f in report.errors}


def test_a_planned_remedy_told_as_done_is_said_again_as_planned() -> None:
    request = _request(
        remedies=[
            {
                "kind": "expedite",
                "description": "a priority visit",
                "date": "7 May, 8-10am",
                "status": "planned",
            }
        ]
    )
    body = "Hi Zoe,\n\nWe have expedited a priority visit on 7 May, 8-10am.\n\nJamie"
    fixed, report = _salvaged(body, request)
    assert "We have expedited" not in fixed and "7 May, 8-10am" in fixed
    assert "commitments.status" not in {f.rule for f in report.errors}


def test_a_remedy_word_inside_a_name_of_the_request_offers_nothing() -> None:
    # "Credit" in the sender's name is not a credit the request did not authorise.
    union = _request(sender={"organization": "Harbor Credit Union"})
    body = "This is a statement from Harbor Credit Union about your membership."
    assert _errors(body, union, "commitments.unauthorised_remedy") == []
    # The same word outside the name still is one.
    body = "We will also credit your account."
    assert _errors(body, union, "commitments.unauthorised_remedy") != []


# --- a cause, a consequence, an outcome, a perk the request never gave ------------------------

PARCEL = _request(
    recipient={"name": "Amal Haddad"},
    incident={
        "summary": "Your parcel arrived six days late.",
        "reference": "NW-2210",
        "cause": "our courier's depot flooded",
        "impact": "you had to buy a second gift for your niece's birthday",
    },
    remedies=[
        {
            "kind": "refund",
            "description": "refund of the shipping",
            "amount": "$8.50",
            "status": "done",
        },
        {
            "kind": "other",
            "description": "a free gift-wrap on your next order",
            "status": "offered",
        },
    ],
)
NO_CAUSE = PARCEL.model_copy(
    update={"incident": PARCEL.incident.model_copy(update={"cause": None})}
)


def test_a_cause_the_request_does_not_give_is_caught_and_removable() -> None:
    for body, request in [
        ("The parcel was late because a driver called in sick that week.", PARCEL),
        ("This happened due to a software update at the sorting centre.", PARCEL),
        ("The reason for this was a mislabelled pallet.", NO_CAUSE),
        ("The delay was the direct result of a holiday backlog.", PARCEL),
        ("The cause of the delay has not yet been identified.", NO_CAUSE),
        ("It was caused by heavy snow on the motorway, and we are sorry.", PARCEL),
    ]:
        errors = _errors(body, request, "request.invented_cause")
        assert len(errors) == 1, body
        fixed, report = _salvaged(f"Dear Amal,\n\n{body} We are sorry.", request)
        assert not [f for f in report.errors if f.rule == "request.invented_cause"], fixed


def test_a_cause_clause_after_a_comma_is_cut_not_the_sentence() -> None:
    body = "Your parcel arrived six days late, because of a strike at the port."
    assert _errors(body, PARCEL, "request.invented_cause") == [
        (", because of a strike at the port", "")
    ]


def test_the_requests_own_cause_or_owning_words_are_not_invented() -> None:
    for body in [
        "Your parcel was late because our courier's depot flooded.",
        "The delay was caused by flooding at our courier's depot.",
        "This was due to an error on our part.",
        "The cause was ours.",
        "Because of your message, we now check every depot.",
    ]:
        assert _errors(body, PARCEL, "request.invented_cause") == [], body


def test_a_consequence_the_impact_does_not_give_or_turns_around_is_caught() -> None:
    for body in [
        # the impact says the reader did buy a second gift
        "The delay stopped you from buying a second gift for the birthday.",
        "You were unable to buy another present in time.",
        # nothing in the request says so
        "It prevented you from attending the party with your family.",
        "This left you without a way to contact the school.",
        "The late parcel led to problems with your employer.",
        "It caused you a great deal of trouble at work.",
    ]:
        errors = _errors(body, PARCEL, "request.invented_impact")
        assert len(errors) == 1, body
    for body in [
        "You had to buy a second gift for your niece's birthday, and I am sorry.",
        "You could not give the present on the day your parcel arrived six days late.",
        # how the reader may have felt is empathy, not a claim
        "The delay caused you real frustration, and I am sorry.",
    ]:
        assert _errors(body, PARCEL, "request.invented_impact") == [], body


def test_a_consequence_the_impact_gives_negated_is_not_turned_around() -> None:
    """The summary's "hearing aid" shares a root with "hear"; the impact says the reader
    can't hear, so the letter retelling that is the request's own impact."""
    request = _request(
        recipient={"name": "Albert Finch"},
        incident={
            "summary": "the hearing aid you sent us for repair has been lost",
            "reference": "RP-11873",
            "impact": "I have been without my hearing aid and I can't hear my grandchildren",
        },
    )
    body = "I know you have been without your hearing aid and you can't hear your grandchildren."
    assert _errors(body, request, "request.invented_impact") == []
    turned = "The loss stopped you from hearing your grandchildren."
    assert _errors(turned, request, "request.invented_impact") == []


def test_an_outcome_or_cost_terms_no_remedy_gives_are_removed() -> None:
    for body in [
        "This will make sure you never wait for a parcel again.",
        "It will allow you to shop with us with complete confidence.",
        "That should let you enjoy the next order without any extra costs.",
    ]:
        errors = _errors(body, PARCEL, "commitments.added_terms")
        assert errors and errors[0][1] is None, body
    body = "We have refunded the shipping ($8.50). Your next order ships with no further charges."
    assert _errors(body, PARCEL, "commitments.added_terms") == [("with no further charges", None)]
    # a remedy said to cost nothing is the remedy
    body = "We have refunded the shipping ($8.50), at no cost to you."
    assert _errors(body, PARCEL, "commitments.added_terms") == []


def test_a_perk_no_remedy_names_is_caught_when_offered_or_held_as_the_readers() -> None:
    for body in [
        "We would like to offer you a room upgrade on your next stay.",
        "We have added loyalty points to your account.",
        "We are sorry about the late checkout of your room.",
        "Please enjoy free shipping on us next time.",
        "We have sent you a bottle of wine as a token of our regret.",
        "We have waived the delivery fee on your next order.",
        "You will receive priority support from now on.",
    ]:
        errors = _errors(body, PARCEL, "commitments.invented_perk")
        assert len(errors) == 1, body
    for body in [
        "We would like to offer you a free gift-wrap on your next order.",
        "A late checkout by another guest was not passed on.",
        "We did not give you an upgrade.",
    ]:
        assert _errors(body, PARCEL, "commitments.invented_perk") == [], body


def test_a_perk_word_the_incident_itself_names_is_the_story_not_a_gift() -> None:
    request = _request(
        incident={
            "summary": "we sent you a parking fine for a bay you had a valid permit for",
            "reference": "PCN AD40028817",
        },
    )
    body = "We sent you a parking fine for a bay you had a valid permit for. I am sorry."
    assert _errors(body, request, "commitments.invented_perk") == []
    # the same sentence is still a gift where the incident is about something else
    assert (
        len(_errors("We have sent you free parking for a month.", GYM, "commitments.invented_perk"))
        == 1
    )


def test_the_readers_organisation_and_a_pronoun_for_it_become_you() -> None:
    request = _request(
        audience="client",
        recipient={"name": "Dr Lena Brandt", "organization": "Brandt Physio"},
        incident={
            "summary": "The renewal billed the client twice although they paid in May.",
            "reference": "INV-77",
        },
    )
    body = "The renewal notice sent to Brandt Physio was wrong, billing them a second time."
    assert _errors(body, request, "request.third_person") == [
        ("Brandt Physio", "you"),
        ("them", "you"),
    ]
    assert _errors("Our renewal billed them twice.", request, "request.third_person") == [
        ("them", "you")
    ]
    # the organisation named without a pronoun for it, or a pronoun for someone else
    for body in [
        "We value the years Brandt Physio has worked with us.",
        "We told them at the bank to stop the second charge.",
    ]:
        assert _errors(body, request, "request.third_person") == [], body


def test_contact_details_the_request_does_not_give_are_caught() -> None:
    request = PARCEL.model_copy(
        update={"sender": PARCEL.sender.model_copy(update={"contact": "care@northwind.example"})}
    )
    for body in [
        "Please call us on 0800 555 0199 if you need anything.",
        "You can reach me at amal.care@northwind.example at any time.",
        "Track the new parcel at https://northwind.example/track.",
    ]:
        errors = _errors(body, request, "request.invented_contact")
        assert len(errors) == 1 and errors[0][1] is None, body
    for body in [
        "Write to care@northwind.example whenever suits you.",
        "Your order NW-2210 of 21 August for $8.50 has been refunded.",
    ]:
        assert _errors(body, request, "request.invented_contact") == [], body


def test_a_phone_number_does_not_run_across_a_sentence_or_line_break() -> None:
    """Digits on either side of a sentence break ("... 8830. 500 more ...") or a line break
    are two numbers, not one phone number; a number written with dots or spaces inside it
    is still one, and still caught when the request does not give it."""
    for body in [
        "The cards were printed with the old number ending 8830. 500 new cards are on the way.",
        "Your order 2210 arrived late.\n1200 orders were affected that day.",
    ]:
        assert _errors(body, PARCEL, "request.invented_contact") == [], body
    for body in ["Call us on 0800.555.0199 at any time.", "Call us on 0800 555 0199. We can help."]:
        assert len(_errors(body, PARCEL, "request.invented_contact")) == 1, body


def test_one_sentence_of_a_field_retold_is_the_incident_not_an_offer() -> None:
    """An impact of several sentences ("you had to pay for a second night in a hotel", said
    three times) retold one sentence at a time is the incident, not a remedy offered; a
    remedy offered beside it, or instead of it, is still caught."""
    stay = "you had to pay for a second night in a hotel."
    request = _request(
        incident={"summary": "Your train was cancelled.", "impact": f"{stay} {stay} {stay}"},
        remedies=[],
    )
    body = "We know that you had to pay for a second night in a hotel."
    assert _errors(body, request, "commitments.unauthorised_remedy") == []
    for offer in [
        "You had to pay for a second night in a hotel, so we will refund it.",
        "We will refund you for a second night in a hotel.",
    ]:
        assert _errors(offer, request, "commitments.unauthorised_remedy") != [], offer


def test_an_amount_told_as_a_total_the_request_never_gives_is_cut() -> None:
    body = "You were charged twice, which came to a total of $39.99. We are sorry."
    assert _errors(body, GYM, "request.invented_impact") == [
        (", which came to a total of $39.99", "")
    ]
    assert _errors("We refunded $8.50 in total.", GYM, "request.invented_impact") != []
    assert (
        _errors("We have refunded the second charge of $39.99.", GYM, "request.invented_impact")
        == []
    )
    totals = GYM.model_copy(
        update={"incident": GYM.incident.model_copy(update={"impact": "a total of $79.98"})}
    )
    assert _errors(body, totals, "request.invented_impact") == []
