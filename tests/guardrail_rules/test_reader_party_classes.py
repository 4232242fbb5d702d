"""Classes read from the misses and false errors of two real batches, each written here in the
team's own wordings (none is a corpus sentence), with near misses that must pass: intent
defences in any form, the reader's experience as the thing regretted, a named outside party
or carrier, staff singled out by role, normality and scale, the customer blamed, and the
elements in their plain real forms."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame", "placeholder")
JUSTIFICATION = "non_apology.justification"


def errors(text: str) -> set[str]:
    report = check(text, channel="email")
    return {f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES}


def present(text: str, element: str) -> bool:
    report = check(text, channel="email")
    return any(e.element == element and e.present for e in report.elements)


FLAGGED = [
    # Intent defences, any case and order.
    ("Those comments were NOT meant to upset anybody.", "non_apology.intent"),
    ("The slogan was never intended as a reference to any community.", "non_apology.intent"),
    ("I did not in any way mean to belittle the volunteers.", "non_apology.intent"),
    ("We always strive never to offend our guests.", "non_apology.intent"),
    ("I did not realise my joke could be taken so badly.", "non_apology.intent"),
    ("It was just a bad joke between colleagues.", "non_apology.intent"),
    ("What we did was entirely legitimate.", "non_apology.intent"),
    ("We were not involved in any part of that decision.", "non_apology.intent"),
    ("Sorry for the unintended hurtful wording in our newsletter.", "non_apology.intent"),
    # The reader's experience or situation as the thing regretted.
    ("We regret that many of you didn't have the evening you wanted.", "non_apology.reverse"),
    ("We're sorry you find yourself in this situation.", "non_apology.reverse"),
    ("Apologies for how things turned out at the launch.", "non_apology.reverse"),
    ("We apologise for any offence our poster might have caused.", "non_apology.reverse"),
    # Conditions on what was said.
    ("If something we wrote upset people then we apologise.", "non_apology.conditional"),
    # Normality, scale, rarity, inevitability, a bad day.
    ("It's perfectly normal to see a few teething problems after a move.", JUSTIFICATION),
    ("We operate one of the busiest delivery networks in the country.", JUSTIFICATION),
    ("Short outages cannot be entirely avoided on a network this size.", JUSTIFICATION),
    ("Honestly, our team just had a rough day.", JUSTIFICATION),
    ("Last night was an extraordinary event for the region.", JUSTIFICATION),
    # Closing the matter, filing the words.
    ("We consider this matter closed.", "non_apology.dismissal"),
    ("Your comments have been duly noted.", "non_apology.dismissal"),
    ("The harm, if any, would be a few extra emails.", "non_apology.minimising"),
    # A named or natural-worded outside party or carrier.
    ("After dispatch we must rely on Evri to get parcels to you on time.", "blame.third_party"),
    ("Once your order has left our warehouse it is in the courier's hands.", "blame.third_party"),
    ("There were serious problems at Heathrow on Friday.", "blame.third_party"),
    ("The faulty batch came from one of our growers.", "blame.third_party"),
    ("We are pushing the operator to do better next winter.", "blame.third_party"),
    ("That is an upstream bug in the parser.", "blame.third_party"),
    ("We were battered by freak winds all weekend.", "blame.circumstances"),
    ("This week brought unprecedented weather conditions.", "blame.circumstances"),
    # Staff singled out by role, or a few of them.
    ("The person who was responsible for the rota did not update it.", "blame.staff"),
    ("It came down to negligence on the part of the night manager.", "blame.staff"),
    ("The agent who handled your call is no longer with us.", "blame.staff"),
    ("It was posted in error by a member of our social team.", "blame.staff"),
    ("The trainee ignored our safety procedures.", "blame.staff"),
    ("This was the conduct of a handful of employees.", "blame.staff"),
    ("The captain did not check the forecast.", "blame.staff"),
    # The customer, the public or the household blamed.
    ("Travellers simply forget to check the baggage rules.", "blame.customer"),
    ("Could a member of your family have placed the order?", "blame.customer"),
    ("It was your party that refused to leave.", "blame.customer"),
    ("It's up to the customer to keep their software updated.", "blame.customer"),
    ("I'm sure you were aware of our opening hours.", "blame.disputes_account"),
    # The same classes in other words.
    ("I had no idea the comment would upset so many people.", "non_apology.intent"),
    ("We certainly did not set out to offend anyone.", "non_apology.intent"),
    ("Nobody here meant any harm by it.", "non_apology.intent"),
    ("The ad was supposed to be a celebration, not a provocation.", "non_apology.intent"),
    ("I was only trying to be funny.", "non_apology.intent"),
    ("We're sorry your visit didn't live up to what you'd hoped.", "non_apology.reverse"),
    ("We regret that your stay was not as relaxing as you wanted.", "non_apology.reverse"),
    ("We're sorry the new layout isn't to your liking.", "non_apology.reverse"),
    ("Delays of this kind are normal during the holiday season.", JUSTIFICATION),
    ("We ship well over two million parcels a year.", JUSTIFICATION),
    ("It was an unfortunate but unavoidable situation.", JUSTIFICATION),
    ("Most of our customers had no problems at all.", "non_apology.minimising"),
    ("We offer our deepest sympathies.", "non_apology.dismissal"),
    ("Unfortunately DPD failed to deliver your parcel on time.", "blame.third_party"),
    ("Your parcel is with the courier now, so any delay is theirs.", "blame.third_party"),
    ("We rely on our payment partner to process refunds.", "blame.third_party"),
    ("You must have typed the wrong postcode.", "blame.customer"),
    ("It seems you booked the wrong date.", "blame.customer"),
    ("The blender was damaged because it was not assembled correctly.", "blame.customer"),
    ("Our records show you did not call before the deadline.", "blame.disputes_account"),
]


@pytest.mark.parametrize(("text", "rule"), FLAGGED)
def test_class_is_flagged(text: str, rule: str) -> None:
    assert rule in errors(text), errors(text)


CLEAN = [
    # Mis-sent mail and plain facts about what was meant.
    "Sorry, this email was not meant for you; please ignore it.",
    "You were not meant to be charged for the second bag, and we have refunded it.",
    # Sorry for the feeling beside owned failure, or the writer's own act.
    "We got the dates wrong. We are sorry for the frustration this caused you.",
    "We are sorry to have let our members down with this update.",
    "We are sorry that you have been disappointed in our service. We made the wrong call.",
    # A question to the reader names no cause.
    "Sorry about that. Did the problem start with a particular courier?",
    # The writer's own code and words as the cause.
    "The tests failed due to conflicts with the latest release, and I have rebased it.",
    "I offended people due to a careless tweet, and I apologise for it.",
    # A cause given for a decision the writer made.
    "Due to the ice on the roads, we decided to close the depot early.",
    # What is usually so.
    "Forecasts are often uncertain because of the changing conditions in a storm.",
    # Help that sends nobody away.
    "It's up to you to decide whether you want a refund or a replacement.",
    "I recommend contacting your bank if the refund has not appeared in five days.",
    "We have reshipped your order with one of our couriers.",
    "We were not hit by the outage, and your account is safe.",
    # A retraction of earlier blame is ownership.
    "We wrongly stated that the outage was caused by our supplier. It was our own change.",
    "It was you who spotted the error, and we thank you for it.",
    "Our system shows you were already refunded on Monday.",
    "We offer our deepest sympathy for your loss.",
    "The parts were not fitted correctly by our engineer, and we will come back to fix them.",
    "You may have entered an old address; could you check it for us?",
    "We rely on your feedback to improve.",
    "The show was meant to start at eight, and we started late, which was our mistake.",
    "Sorry your parcel is late. Did you choose express delivery at checkout?",
    "Once your parcel has left us, you'll get a tracking email.",
    "Your adviser no longer works with us, so I have taken over your case.",
    "This reply was written by a member of our support team.",
    "It's common to see a pro-rata charge on your first bill.",
    "The meter was not installed correctly, and that is on us.",
    "The boxes were not stored correctly at our depot, so we are replacing them.",
    "If you booked the wrong date, reply and we will change it.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_near_miss_passes(text: str) -> None:
    assert not errors(text), errors(text)


ELEMENTS = [
    ("My last commit broke the build on Windows, sorry.", "responsibility"),
    ("I introduced a regression in the parser.", "responsibility"),
    ("We were clearly in the wrong here.", "responsibility"),
    ("We subjected you to hours of waiting.", "responsibility"),
    ("Our decision led to a lot of confusion.", "responsibility"),
    ("I recognise this outage was unacceptable.", "acknowledgment"),
    ("We're aware that some of you can't log in.", "acknowledgment"),
    ("Sorry for the trouble. Which browser are you using?", "invitation"),
    ("Sorry about that. Please fill in this form: https://example.com/claim", "invitation"),
]


@pytest.mark.parametrize(("text", "element"), ELEMENTS)
def test_element_in_plain_form_is_found(text: str, element: str) -> None:
    assert present(text, element)
