"""Wording rules of the composer that a reader notices at once: a place name or acronym in a
shouted phrase, an amount said twice, a dated offer, the customer's own "we", a contraction
typed without its apostrophe, two outcomes in one remedy."""

from __future__ import annotations

import re
from typing import Any

import guardrails
from contract.models import DraftRequest
from service.composer import compose_draft
from service.composer.caller import tame_case


def _request(**changes: Any) -> DraftRequest:
    base: dict[str, Any] = {
        "scenario": "custom",
        "channel": "email",
        "tone": "professional",
        "recipient": {"name": "Mo Haddad"},
        "sender": {"name": "Lina Park", "organization": "Wavelink Mobile"},
        "incident": {"summary": "your bill was wrong", "reference": "account 7781-220"},
        "remedies": [{"kind": "refund", "description": "the charge refunded", "status": "done"}],
    }
    base.update(changes)
    return DraftRequest.model_validate(base)


def _letter(request: DraftRequest) -> str:
    draft = compose_draft(request)
    report = guardrails.check(
        draft.body, subject=draft.subject, channel=request.channel, context=request
    )
    errors = [f.rule for f in report.findings if f.severity == "error"]
    assert not errors, (errors, draft.body)
    return draft.body


def test_a_shouted_phrase_keeps_place_names_acronyms_and_the_requests_own_names() -> None:
    assert tame_case("ROAMING IN CANADA AFTER A SIM SWAP") == "roaming in Canada after a SIM swap"
    body = _letter(
        _request(
            incident={
                "summary": "I WAS CHARGED FOR ROAMING IN THE UNITED STATES WITH MY WAVELINK PASS",
                "cause": "the Wavelink pass was not applied to your line",
                "reference": "account 7781-220",
            }
        )
    )
    assert "roaming in the United States with your Wavelink pass" in body


def test_an_amount_the_description_already_counts_is_not_repeated() -> None:
    remedies = [
        {
            "kind": "other",
            "description": "two free tickets",
            "amount": "2 tickets",
            "status": "offered",
        },
        {"kind": "credit", "description": "a month of Pro", "amount": "1 month", "status": "done"},
        {"kind": "discount", "description": "15 percent off", "amount": "15%", "status": "offered"},
        {"kind": "refund", "description": "a refund of the fee", "amount": "£20", "status": "done"},
    ]
    body = _letter(_request(remedies=remedies))
    for said in ("(2 tickets)", "(1 month)", "(15%)"):
        assert said not in body, body
    assert "the fee of £20" in body  # money not in the description is still stated


def test_a_dated_offer_says_what_happens_on_the_date() -> None:
    remedies = [
        {
            "kind": "replacement",
            "description": "a replacement jug",
            "status": "offered",
            "date": "3 May",
        },
        {
            "kind": "service",
            "description": "a call with our team",
            "status": "offered",
            "date": "Friday",
        },
    ]
    body = _letter(_request(remedies=remedies))
    assert "a replacement jug, and we can send it on 3 May." in body
    assert "a call with our team, and we can arrange it for Friday." in body


def test_a_customers_own_we_is_the_readers_side() -> None:
    body = _letter(
        _request(
            channel="social",
            recipient={"name": "@dana"},
            incident={"summary": "YOU CHARGED OUR TEAM FOR 40 SEATS WHEN WE ONLY HAVE 12"},
        )
    )
    assert "we charged your team for 40 seats when you only have 12." in body, body
    # Staff writing about the customer keep their words: "the print you sent to your sister".
    staff = "the print you sent to your sister was crushed in our depot"
    assert "you sent to your sister was crushed in our depot" in _letter(
        _request(incident={"summary": staff, "reference": "parcel SL-99"})
    )


def test_a_contraction_typed_without_its_apostrophe_gets_one() -> None:
    assert tame_case("he wasnt covered and i dont know") == "he wasn't covered and I don't know"


def test_two_outcomes_in_one_remedy_read_as_two_passives() -> None:
    remedy = {
        "kind": "other",
        "description": "the invoice cancelled and the final notice withdrawn",
        "status": "done",
    }
    body = _letter(_request(remedies=[remedy]))
    assert "the invoice has been cancelled and the final notice has been withdrawn" in body


def _rewrite(body: str, **target: str) -> str:
    from contract.models import RewriteRequest
    from service.composer import rewrite_draft

    request = RewriteRequest.model_validate({"draft": {"body": body}, **target})
    return rewrite_draft(request).body


def test_a_public_reply_made_from_a_text_leaves_out_a_code_without_digits() -> None:
    sms = (
        "About your ticket BB-7734: your coach broke down and you waited 4 hours. We're very "
        "sorry. This is on us. We'd like to offer you a free return trip. Your code is BBRETURN."
    )
    reply = _rewrite(sms, operation="none", channel="social")
    assert "BBRETURN" not in reply and "BB-7734" not in reply, reply


def test_a_chat_reply_expanded_without_context_keeps_its_facts_and_one_closing_question() -> None:
    request = _request(
        channel="chat",
        audience="client",
        incident={
            "summary": "37 of your drivers were paid at last year's overtime rate",
            "reference": "payroll run OCT-2024-NG",
            "cause": "the rate table was not updated when the new contract started",
            "impact": "your HR team spent two days answering grievances",
        },
    )
    chat = compose_draft(request).body
    longer = _rewrite(chat, operation="expand")
    assert longer.count("?") == 1 and longer.rstrip().endswith("?"), longer
    for fact in ("rate table was not updated", "two days answering grievances", "OCT-2024-NG"):
        assert fact in longer, (fact, longer)
    assert len(longer) <= 900


def test_a_cause_that_is_not_known_yet_is_not_told_as_a_confirmed_finding() -> None:
    for cause in ["we are still establishing how the data was lost", "We don't yet know why"]:
        for liability in ["cautious", "standard"]:
            request = _request(
                liability=liability,
                incident={"summary": "your bill was wrong", "cause": cause},
            )
            letter = _letter(request)
            said = cause[:1].upper() + cause[1:] + "."
            assert said in letter, letter
            assert "confirmed facts" not in letter and "because we" not in letter, letter


def test_a_day_or_month_typed_in_lower_case_is_capitalised() -> None:
    assert tame_case("i waited in all day tuesday for nothing") == (
        "I waited in all day Tuesday for nothing"
    )
    assert tame_case("delivered by 12 march, not 3 june") == "delivered by 12 March, not 3 June"
    # "march" alone may be the verb
    assert tame_case("the crews march on") == "the crews march on"


def test_a_text_lists_its_remedies_in_one_sentence_and_says_why_when_there_is_room() -> None:
    request = _request(
        channel="sms",
        tone="concise",
        recipient={"name": "Gary"},
        sender={"organization": "FlowRight Plumbing"},
        incident={
            "summary": "Our plumber missed your slot today.",
            "cause": "the job was assigned to an engineer who was off sick",
        },
        remedies=[
            {"kind": "refund", "description": "call-out fee", "amount": "£45", "status": "done"},
            {
                "kind": "expedite",
                "description": "first slot of the day",
                "status": "planned",
                "date": "tomorrow",
            },
            {
                "kind": "discount",
                "description": "off the repair",
                "amount": "10%",
                "status": "offered",
            },
        ],
    )
    body = _letter(request)
    assert "This is on us: the job was assigned to an engineer who was off sick." in body
    assert (
        "£45, we'll arrange the first slot of the day tomorrow, and we'd like to offer you 10%"
        in body
    )
    assert body.count("This is on us") == 1


def test_two_offers_in_a_text_share_one_offer() -> None:
    request = _request(
        channel="sms",
        tone="concise",
        recipient={"name": "Ruth"},
        sender={"organization": "Westisles Ferries"},
        incident={"summary": "Your sailing was cancelled.", "reference": "WF-88213"},
        remedies=[
            {"kind": "refund", "description": "full fare", "amount": "£38.50", "status": "done"},
            {"kind": "credit", "description": "voucher", "amount": "£15", "status": "offered"},
            {"kind": "other", "description": "a free car space", "status": "offered"},
        ],
    )
    body = _letter(request)
    assert "like to offer you a £15 voucher and a free car space." in body
    assert body.count("offer you") == 1


def test_a_sum_for_several_fees_is_said_inside_the_sentence() -> None:
    remedies = [
        {
            "kind": "refund",
            "description": "the foreign ATM fees you paid",
            "amount": "¥1000",
            "status": "done",
        }
    ]
    body = _letter(_request(remedies=remedies))
    assert "refunded the ¥1000 in foreign ATM fees you paid." in body
    assert "(¥1000)" not in body


def test_the_readers_own_expenses_are_reimbursed_not_refunded() -> None:
    remedies = [
        {"kind": "refund", "description": "interim expenses", "amount": "500$", "status": "done"}
    ]
    body = _letter(_request(remedies=remedies))
    assert "reimbursed 500$ for interim expenses" in body
    assert "refunded" not in body


def test_a_toy_train_is_not_a_booking_but_a_train_journey_is() -> None:
    toy = _request(
        incident={
            "summary": "the wooden train set you ordered for your son arrived broken",
            "reference": "FL-20931",
        }
    )
    assert "your order FL-20931" in _letter(toy)
    assert "booking" not in _letter(toy)
    trip = _request(
        incident={"summary": "your train from York was cancelled", "reference": "FL-20931"}
    )
    assert "your booking FL-20931" in _letter(trip)


def test_a_proactive_lead_does_not_say_some_of_this_is_done() -> None:
    body = _letter(_request(strategies=["proactive_solutions"]))
    assert "Some of this is already done" not in body


def test_a_sum_the_reader_paid_is_a_thing_we_refund_not_a_clause() -> None:
    remedies = [
        {
            "kind": "refund",
            "description": "the £35 you paid before appealing",
            "amount": "£35",
            "status": "done",
        }
    ]
    body = _letter(_request(remedies=remedies))
    assert "refunded the £35 you paid before appealing." in body, body


def test_the_customers_your_after_and_is_the_business() -> None:
    incident = {
        "summary": "MY PARCEL WAS IN THE BOX AND YOUR DRIVER SAYS HE DELIVERED IT",
        "reference": "account 7781-220",
    }
    body = _letter(_request(incident=incident))
    assert "your parcel was in the box and our driver says he delivered it" in body.lower()


def test_a_couple_typed_in_lower_case_keeps_both_titles_and_a_group_is_not_capitalised() -> None:
    couple = _letter(_request(recipient={"name": "mr and mrs okafor"}))
    assert "Mr and Mrs Okafor," in couple.split("\n")[0], couple
    parents = _letter(_request(recipient={"name": "Parents of Year 6"}, tone="warm"))
    assert "parents of Year 6," in parents.split("\n")[0], parents


def test_a_credit_in_spelled_out_pounds_reads_as_a_credit_of_that_sum() -> None:
    remedies = [
        {"kind": "credit", "description": "for the worry", "amount": "50 pounds", "status": "done"}
    ]
    body = _letter(_request(remedies=remedies))
    assert "a credit of 50 pounds for the worry" in body, body


def test_a_corrected_document_is_sent_and_a_franc_discount_takes_no_article() -> None:
    remedies = [
        {"kind": "other", "description": "the corrected translation", "status": "done"},
        {"kind": "discount", "description": "off this job", "amount": "CHF 600", "status": "done"},
        {"kind": "other", "description": "written confirmation", "status": "planned"},
    ]
    body = _letter(_request(remedies=remedies))
    assert "sent the corrected translation" in body, body
    assert "taken CHF 600 off this job" in body, body
    assert "send the written confirmation" in body, body


def test_a_cause_that_was_found_is_not_told_as_we_found_that_it_was_found() -> None:
    for tone in ("professional", "formal", "warm", "friendly"):
        incident = {
            "summary": "your concert was cancelled",
            "reference": "account 7781-220",
            "cause": "a structural fault was found in the stage rigging",
        }
        body = _letter(_request(incident=incident, tone=tone))
        assert "found that a structural fault was found" not in body, body


def test_a_sum_for_a_count_of_things_is_for_them_all() -> None:
    nights = [{"kind": "refund", "description": "both nights", "amount": "€640", "status": "done"}]
    assert "refunded €640 for both nights." in _letter(_request(remedies=nights))
    payments = [
        {
            "kind": "refund",
            "description": "the three payments",
            "amount": "£89.97",
            "status": "done",
        }
    ]
    assert "refunded £89.97 for the three payments." in _letter(_request(remedies=payments))


def test_a_rearranged_thing_is_organised_not_arranged() -> None:
    trip = [{"kind": "other", "description": "a rearranged trip in June", "status": "planned"}]
    body = _letter(_request(remedies=trip))
    assert "organise a rearranged trip in June" in body, body


def test_a_credit_typed_as_a_discount_says_it_is_a_credit() -> None:
    remedies = [
        {
            "kind": "credit",
            "description": "off your next invoice",
            "amount": "15 percent",
            "status": "offered",
        }
    ]
    body = _letter(_request(remedies=remedies))  # the guardrails read the credit in it
    assert "a credit of 15 percent off your next invoice" in body, body


def test_a_mortgage_account_is_the_readers() -> None:
    incident = {"summary": "your statement was wrong", "reference": "mortgage acct 7700-41923"}
    assert "your mortgage acct 7700-41923" in _letter(_request(incident=incident))


_STOCK_GOODWILL = ("make amends", "goodwill gesture", "the service you deserve")


def _dose_request(summary: str, **changes: Any) -> DraftRequest:
    return _request(
        channel="letter",
        strategies=["proactive_solutions"],
        incident={"summary": summary, "reference": "RX-40917"},
        remedies=[
            {"kind": "replacement", "description": "the correct tablets delivered to your home"}
            | {"status": "done"},
            {"kind": "discount", "description": "a free month of delivery", "status": "offered"},
        ],
        **changes,
    )


def test_a_health_or_safety_incident_is_told_soberly_not_as_a_shops_goodwill_letter() -> None:
    # The same remedies for a late parcel offer the free month as a goodwill gesture (the
    # replacement was owed, so it is "to set this right", not amends) ...
    late = _letter(_dose_request("your order arrived a week late"))
    assert "To set this right" in late and "goodwill gesture" in late, late
    # ... but never for a wrong dose, an injury, an allergic reaction or a data breach.
    for summary in (
        "the label on your prescription said 5mg when it should have said 3mg",
        "you were injured by a loose shelf in our store",
        "your son had an allergic reaction to a dish we said was nut-free",
        "a data breach exposed your address and phone number",
    ):
        for tone in ("professional", "empathetic", "luxury", "friendly", "warm", "tech"):
            body = _letter(_dose_request(summary, tone=tone))
            stock = [s for s in _STOCK_GOODWILL if s in body]
            assert not stock, (summary, tone, stock, body)
            assert "correct tablets" in body  # the remedy is still told


_NO_CAUSE = re.compile(r"still (?:establishing|looking into|finding out)|investigation into how")


def test_no_cause_line_only_when_the_request_truly_gives_no_cause() -> None:
    step = [{"description": "guests are now told about any building work when they book"}]
    incident = {"summary": "building work started next to your room at 7am"}
    # A prevention step says we know what to change: no "still establishing how".
    assert not _NO_CAUSE.search(_letter(_request(incident=incident, prevention=step)))
    # Without one, or under the cautious posture, the honest no-cause line stays.
    assert _NO_CAUSE.search(_letter(_request(incident=incident)))
    cautious = _letter(_request(incident=incident, prevention=step, liability="cautious"))
    assert _NO_CAUSE.search(cautious), cautious


def test_a_known_place_typed_in_lower_case_after_to_from_in_is_capitalised() -> None:
    assert tame_case("i fly to lagos on the 14th") == "I fly to Lagos on the 14th"
    assert tame_case("sent from new york to paris") == "sent from New York to Paris"
    # Only after "to", "from" or "in", and only names that are not also words.
    assert tame_case("the lagos office") == "the lagos office"
    assert tame_case("a trip to nice weather in reading") == "a trip to nice weather in reading"


def test_a_shouted_measure_is_lowered_and_an_organisations_name_is_no_common_word() -> None:
    body = _letter(
        _request(
            sender={"name": "Paula Nwosu", "organization": "Brightframe Windows Ltd"},
            incident={
                "summary": "THE BAY WINDOW UNITS WERE 40MM TOO NARROW FOR THE OPENING",
                "reference": "order BF/2024/0917",
            },
        )
    )
    assert "The bay window units were 40mm too narrow for the opening." in body, body


def test_an_offer_the_reader_takes_up_is_theirs_not_ours() -> None:
    keep = {"kind": "other", "description": "keep the book", "status": "offered"}
    body = _letter(_request(remedies=[keep]))
    assert "welcome to keep the book." in body, body
    assert "like to keep the book" not in body, body


def test_a_credit_typed_as_a_sum_off_a_bill_is_credited_against_it() -> None:
    credit = {
        "kind": "credit",
        "description": "off the day-two invoice",
        "amount": "$2,400.00",
        "status": "done",
    }
    body = _letter(_request(remedies=[credit]))
    assert "credited $2,400.00 against the day-two invoice" in body, body
    body = _letter(_request(remedies=[{**credit, "status": "offered"}]))
    assert "a $2,400.00 credit against the day-two invoice" in body, body
    # A percentage off is still a credit of that percentage ("a credit of 15 percent off").
    body = _letter(_request(remedies=[{**credit, "amount": "15 percent", "status": "offered"}]))
    assert "a credit of 15 percent off the day-two invoice" in body, body


def test_a_date_goes_first_after_a_remedy_with_a_clause_of_its_own() -> None:
    refund = {
        "kind": "refund",
        "description": "every ticket for anyone who couldn't get in",
        "status": "planned",
        "date": "by 23 December",
    }
    body = _letter(_request(remedies=[refund]))
    assert "By 23 December, we will refund every ticket for anyone who couldn't get in." in body
    # Without a clause of its own the date stays at the end.
    refund = {**refund, "description": "the tickets"}
    body = _letter(_request(remedies=[refund]))
    assert "refund the tickets by 23 December" in body, body


def test_a_bare_word_of_the_readers_handle_opening_a_note_is_a_name() -> None:
    body = _letter(
        _request(
            channel="social",
            recipient={"name": "@lucy_and_biscuit"},
            sender={"organization": "Waggy Tails Grooming"},
            incident={"summary": "biscuit was clipped short all over when you asked for a trim"},
        )
    )
    assert "sorry Biscuit was clipped" in body, body
    # A bare common noun still takes "the".
    body = _letter(
        _request(channel="social", incident={"summary": "engineer never came to fix the line"})
    )
    assert "the engineer never came" in body.lower(), body


def test_a_purchase_order_reference_is_named() -> None:
    body = _letter(_request(incident={"summary": "lunch arrived late", "reference": "PO 55-1038"}))
    assert "your purchase order PO 55-1038" in body, body


def test_the_impact_after_i_know_keeps_that_only_where_the_clause_needs_it() -> None:
    def impact_line(impact: str) -> str:
        for seed in range(12):
            body = _letter(
                _request(
                    tone="friendly",
                    recipient={"name": f"Mo Haddad{'e' * seed}"},
                    incident={"summary": "your bill was wrong", "impact": impact},
                )
            )
            line = next((s for s in re.split(r"(?<=\.) ", body) if s.startswith("I know")), "")
            if line:
                return line
        return ""

    assert impact_line("you had to phone your bank twice") == (
        "I know you had to phone your bank twice."
    )
    # "I know no card details ..." or "I know when ..." would read as something else.
    assert impact_line("no card details were exposed").startswith("I know that no card")
    assert impact_line("when the bill came you had to borrow money").startswith("I know that when")


def test_a_customer_who_had_to_chase_us_hears_that_they_should_not_have() -> None:
    message = "This is the third time I've written. Do you actually read these?"
    incident = {"summary": "your claim has waited 9 weeks", "customer_message": message}
    body = _letter(_request(incident=incident))
    assert re.search(r"You should(?: not|n't) have had to (?:chase us|contact us more)", body)
    incident = {"summary": "your claim has waited 9 weeks", "customer_message": "Why so slow?"}
    body = _letter(_request(incident=incident))
    assert "should not have had to" not in body and "shouldn't have had to" not in body
