"""Classes of non-apology and blame, each in several of the team's own wordings: the kind is
caught however it is worded, and its owning or harmless neighbour is not. Written from the
classes the fresh15 misses belong to, not from their strings."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame", "placeholder")


def errors(text: str) -> list[str]:
    report = check(text, channel="email")
    return [f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES]


@pytest.mark.parametrize(
    ("family", "text"),
    [
        # The people upset as the apology's object.
        ("non_apology", "I'm sorry to anyone we may have offended with the campaign."),
        ("non_apology", "Our apologies to everyone I hurt with those remarks."),
        ("non_apology", "We apologise to those whom we have unintentionally upset."),
        # The reaction told first, the apology for it after.
        ("non_apology", "Some of you were hurt by the post, and for that we apologise."),
        ("non_apology", "Many fans felt let down by the announcement; for this we are sorry."),
        ("non_apology", "People were upset by the video and we apologize for that."),
        # The harm hedged after the apology.
        ("non_apology", "We regret the post, insofar as it might have caused offence."),
        ("non_apology", "I am sorry, to whatever extent my words may have hurt anyone."),
        ("non_apology", "We apologise where this may have caused distress."),
        # Intent defences.
        ("non_apology", "This was not intentional."),
        ("non_apology", "The error wasn't deliberate and we hope you understand."),
        ("non_apology", "None of this was on purpose."),
        ("non_apology", "It was in no way intentional."),
        # The reader's feeling as what the writer does not want, owning nothing.
        ("non_apology", "We would never want you to feel that way."),
        ("non_apology", "We don't want our customers to feel ignored."),
        ("non_apology", "I really don't want anyone to feel unwelcome here."),
        # The duty placed with the other party to the sale.
        ("blame", "Your booking is with the airline, not with us."),
        ("blame", "The warranty is between you and the manufacturer."),
        ("blame", "That transaction was solely between the buyer and the seller."),
        # The customer's own choice as the cause.
        ("blame", "I can see you booked without travel insurance, so we can't cover this."),
        ("blame", "It looks like you checked out without the discount code."),
        # The complaint refused.
        ("blame", "You can't just walk in at closing time and demand a table."),
        ("blame", "You cannot expect us to refund a used item."),
        # Being busy as the reason.
        ("blame", "We've been swamped with calls since the sale started."),
        ("blame", "The store was inundated this morning."),
        ("blame", "We were extremely busy when tickets went on sale."),
        # An outside cause with a clause after it that names our own equipment.
        ("blame", "The outage is due to mains power where our exchange is located."),
        ("blame", "Service is down due to the electricity supplier where the mast is."),
    ],
)
def test_each_class_is_caught_in_other_wordings(family: str, text: str) -> None:
    assert any(rule.split(".")[0] == family for rule in errors(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "We are sorry to the customers we let down last week; we failed to ship on time.",
        "We're sorry that our courier lost your parcel, and we should have checked on it sooner.",
        "Water service was interrupted due to a main break on Elm Street; crews restored it.",
        "The road is closed due to a burst pipe; we expect to reopen it tomorrow.",
        "I'm sorry we were so busy that we missed your call; that is our mistake.",
        "I'm sorry you have been on hold. The lines are very busy tonight.",
        "Please don't feel you have to reply straight away.",
        "You can come into any branch and we will sort it out.",
        "You can return it without a receipt within 30 days.",
        "The booking you made is with us, and we'll change it now.",
    ],
)
def test_their_owning_or_harmless_neighbours_are_not(text: str) -> None:
    assert errors(text) == [], text


@pytest.mark.parametrize(
    ("family", "text"),
    [
        # The act itself denied as the problem.
        ("non_apology", "I apologise. It's not what we did that upset people."),
        ("non_apology", "Sorry, but it wasn't anything I did."),
        # What we pass on told as the other party's.
        ("blame", "We sell the kettles as supplied by the manufacturer."),
        ("blame", "The listing is shown as provided by the seller."),
        ("blame", "Subtitles are published as delivered by the studio."),
        # What staff found told as the customer's doing.
        ("blame", "Our engineer found signs of misuse on the handset."),
        ("blame", "The technician found the seal had been tampered with."),
        ("blame", "Housekeeping found food left out on the desk."),
    ],
)
def test_more_classes_are_caught_in_other_wordings(family: str, text: str) -> None:
    assert any(rule.split(".")[0] == family for rule in errors(text)), text


@pytest.mark.parametrize(
    "text",
    [
        # Owning in other words, so an outside cause told beside it is an explanation.
        "I'm sorry; being the one who caused this, I owe you better. The storm closed the road.",
        "We were the ones who caused this outage, though the storm made it worse.",
        "We were wrong, and the courier's delay made it worse.",
        "I'm accountable for this; the supplier's late parts made it worse.",
        "This never should have happened; the carrier's strike made it worse.",
        "Losing your data is unacceptable; the vendor's backup failed as well.",
        # Neighbours that say none of it.
        "We found the parcel at the depot and sent it on today.",
        "It's not what we planned, and we're sorry: we got the date wrong.",
    ],
)
def test_owning_in_other_words_makes_an_outside_cause_an_explanation(text: str) -> None:
    assert errors(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Being the one who caused this, I am sorry.",
        "We were wrong about the date.",
        "I'm sorry for the pain I caused.",
        "I'm accountable for what went wrong.",
        "We failed on our promise to keep you connected.",
        "I'm sorry I missed the appointment.",
        "This never should have happened.",
        "This data loss is absolutely unacceptable for us.",
    ],
)
def test_responsibility_in_its_common_real_variants(text: str) -> None:
    report = check(text, channel="email")
    assert any(e.element == "responsibility" and e.present for e in report.elements), text


@pytest.mark.parametrize(
    ("family", "text"),
    [
        # The writer's character or a joke defended in place of owning the act.
        ("non_apology", "That is not who I am."),
        ("non_apology", "This isn't who we are as a company."),
        ("non_apology", "Anyone who knows me knows I respect every fan."),
        ("non_apology", "I was only joking."),
        ("non_apology", "It was meant as a joke."),
        # Intent in other words.
        ("non_apology", "It was never our intent to offend."),
        ("non_apology", "It was not what we intended."),
        ("non_apology", "That isn't what I meant."),
        # The other party as the source of the news.
        ("blame", "Our third party service provider has advised that this issue was resolved."),
        # The customer's consent or details as the cause.
        ("blame", "As you agreed to our terms and conditions at checkout, the fee stands."),
        ("blame", "The address you provided was incorrect."),
        ("blame", "You entered the wrong card number."),
        ("blame", "No one was home to sign for the parcel."),
        ("blame", "You were not home when the driver called."),
    ],
)
def test_character_intent_and_customer_detail_classes(family: str, text: str) -> None:
    assert any(rule.split(".")[0] == family for rule in errors(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "We got this wrong, and that is not who we are. We are sorry.",
        "The man who knows us best is our postman.",
        "This is not what we planned, but the new date works.",
        "Sorry, we entered the wrong address.",
        "Thanks for confirming the address you provided is correct.",
        "You agreed to a callback, and we missed it; sorry.",
        "Please check the address you provided is correct.",
    ],
)
def test_their_owning_or_plain_neighbours_are_not(text: str) -> None:
    assert errors(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        # The condition first, in other words than "if".
        "Should anyone have been offended, we apologise.",
        "In the event that you were upset, we are sorry.",
        "Where offence was caused, we apologise.",
        "If anyone was hurt by this, my apologies.",
        # The apology, a comma, then the condition about offence.
        "I apologise, if I upset anyone.",
        # Those upset named first, then the apology.
        "To anyone who felt hurt, I am sorry.",
    ],
)
def test_conditions_and_reactions_in_either_order(text: str) -> None:
    assert any(rule.startswith("non_apology.") for rule in errors(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Sorry about this, if you can DM us we will help.",
        "If you need anything else, please reply.",
        "Where you were charged twice, we have refunded the charge.",
        "To everyone who wrote in, thank you.",
    ],
)
def test_a_condition_with_no_apology_for_offence_is_not(text: str) -> None:
    assert errors(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "Unfortunately the post office lost your parcel.",
        "Your card issuer declined the payment, so the order was cancelled.",
        "The hotel overbooked, which is why your room was given away.",
        "The local council shut the road, so our van could not reach you.",
        "Our courier partner has been struggling with staff shortages.",
    ],
)
def test_another_party_as_the_subject_of_the_failure_is_blame(text: str) -> None:
    assert any(rule.startswith("blame.") for rule in errors(text)), text


def test_another_partys_failure_beside_ownership_is_an_explanation() -> None:
    text = "The post office lost your parcel, but we should have sent it tracked; we are sorry."
    assert errors(text) == [], errors(text)


@pytest.mark.parametrize(
    ("family", "text"),
    [
        ("non_apology", "At no point did we set out to mislead anyone."),
        ("non_apology", "Hurting anyone was the last thing on our minds."),
        ("blame", "You didn't include your account number, so we couldn't process it."),
        ("blame", "The app crashed because your phone runs an old version."),
        ("blame", "Demand was so high that the site went down."),
    ],
)
def test_intent_customer_and_demand_in_plain_wordings(family: str, text: str) -> None:
    assert any(rule.split(".")[0] == family for rule in errors(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "If you didn't include your account number, please reply with it.",
        "Demand was so high that we ran out, and we should have ordered more; sorry.",
        "Your phone is supported, so the update should install.",
    ],
)
def test_a_question_or_an_owned_cause_is_not(text: str) -> None:
    assert errors(text) == [], errors(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am sorry that your dog had a reaction to the vaccine.",
        "We are sorry: Milo had an allergic reaction after his vaccination.",
        "We are very sorry that your daughter had an allergic reaction to the dessert.",
    ],
)
def test_a_body_s_reaction_is_a_harm_not_a_feeling(text: str) -> None:
    """Apologising for a physical reaction is apologising for the harm done."""
    report = check(text)
    assert not [f for f in report.findings if f.rule.startswith("non_apology")]
