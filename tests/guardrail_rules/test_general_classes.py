"""Classes written from how English says them, not from corpus strings: each class in the
team's own varied wordings, with its near misses. Ownership comes first because it decides
whether an outside cause, another party's failure or a member of staff is an explanation
(owned) or an excuse (not owned)."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame", "placeholder")


def errors(text: str) -> list[str]:
    report = check(text, channel="email")
    return [f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES]


def owns_responsibility(text: str) -> bool:
    report = check(text, channel="email")
    return any(e.element == "responsibility" and e.present for e in report.elements)


OUTSIDE = (
    "Our payment vendor had an outage and your card was charged twice.",
    "Our logistics partner misrouted your order.",
    "The storm knocked out power at the data centre.",
    "Due to the carrier's delay your order arrived late.",
    "The supplier sent the wrong parts.",
)

OWNING = (
    "We should've checked them before they went out.",
    "We really ought to have caught it.",
    "We are ultimately responsible for getting it to you.",
    "We're fully accountable.",
    "Our team should have spotted it.",
    "We hold ourselves accountable for that.",
    "That's no excuse: our backups should have kept you online.",
    "We weren't prepared, and we didn't catch it quickly enough.",
    "We need to do better, and we will.",
    "We didn't catch the duplicate charge.",
    "We take ownership of what happened.",
    "We weren't good enough here.",
    "We simply did not plan for the holiday volume.",
    "We underestimated the holiday volume.",
    "This one is on our team.",
    "I take full ownership of this.",
    "We got this one wrong.",
    "We did not tell you in time, and we should have.",
    "We have not lived up to the standard you expect from us.",
    "We make no excuses for it.",
    "Right now we failed at that, and for that I apologise.",
    "My bad, I should have tested the release first.",
    "Mea culpa: that release was ours.",
)


@pytest.mark.parametrize("cause", OUTSIDE)
@pytest.mark.parametrize("owning", OWNING)
def test_an_owned_outside_cause_is_an_explanation(cause: str, owning: str) -> None:
    text = f"{cause} {owning} We are sorry."
    assert owns_responsibility(text), text
    assert errors(text) == [], text


@pytest.mark.parametrize(
    "disowning",
    [
        "We did not make any mistake here.",
        "If we made a mistake, we will fix it.",
        "We are not responsible for carrier delays.",
        "We don't believe we made an error.",
        "We couldn't have done anything differently.",
        "We are not accountable for the courier.",
        "We should have an update by Friday.",
        "We never failed to ship on time.",
        "We would never take responsibility for another company's parcels.",
        "We failed to find your booking in our system.",
    ],
)
def test_a_denied_conditional_or_expected_ownership_owns_nothing(disowning: str) -> None:
    text = f"Due to the carrier's delay your order arrived late. {disowning}"
    assert not owns_responsibility(text), text
    assert any(rule.startswith("blame.") for rule in errors(text)), text


def _lines(block: str) -> list[tuple[str, str]]:
    """`+ text` must draw an error of the families, `- text` must draw none."""
    rows = [line.strip() for line in block.strip().splitlines()]
    return [(row[0], row[2:]) for row in rows if row and row[0] in "+-"]


HOSTILE_REPLIES = """
+ You were informed at check-in that the pool would be closed.
+ As you were clearly told by our staff, the room rate did not include breakfast.
+ You were made aware of the cancellation fee when you booked.
+ As stated in our policy, refunds are not given after 14 days.
+ Per our terms, cancellations within 24 hours are non-refundable.
+ As outlined in our terms and conditions, we cannot accept returns of opened items.
+ Our policy clearly states that deposits are non-refundable.
+ We have no record of you contacting us about this.
+ We have no record of any complaint being made during your stay.
+ This simply did not happen.
+ Your review is not an accurate account of your visit.
+ To set the record straight, our manager offered you a full refund.
+ For the benefit of other readers, we would like to clarify what actually happened.
+ What you fail to mention is that you arrived an hour late.
+ Our staff acted professionally at all times.
+ We stand by our team's decision.
+ We have checked our CCTV footage and it shows the table was cleaned.
+ We find it hard to believe that nobody helped you.
+ You were rude to our staff from the moment you arrived.
+ Perhaps we are not the right fit for you; we wish you luck finding somewhere else.
+ Thank you for your "feedback".
+ Thanks for taking the time to write a review, but we must disagree with most of it.
+ We appreciate your feedback, however the facts are quite different.
+ This is clearly displayed on our website.
- As per our refund policy, we have refunded the full amount to your card.
- We have no record of your booking under that email; could you DM us the reference?
- You were charged twice, and that was our error.
- We'd like to clarify that the charge was a temporary hold, but we should have explained it.
- Thank you for your feedback; we are sorry the soup was cold.
- Our terms allow a refund here, so we have sent it today.
- If you were told something different at the desk, that is our mistake.
"""

STAFF = """
+ The driver failed to follow the delivery instructions.
+ A staff member did not follow our procedures.
+ The technician forgot to reconnect your router.
+ This was due to an employee's error.
+ This was caused by human error on the part of one of our agents.
+ An individual employee acted outside our policies.
+ The employee concerned has been spoken to.
+ The staff member involved is no longer with the company.
+ The behaviour of this driver does not reflect our values.
+ One of our engineers mistakenly deleted the records.
+ The cashier incorrectly applied the discount.
+ The courier left the parcel at the wrong address.
+ The agent you spoke to gave you the wrong information.
- Our driver will call ahead before delivery.
- The technician will visit on Monday between 8 and 12.
- Our agent confirmed your booking this morning.
- Our driver left your parcel at the wrong address. That is our mistake, and we are sorry.
- The technician forgot to reconnect your router; we should have checked his work before he left.
- An engineer is on the way and will call you when he arrives.
- Our technician did not arrive as scheduled, and we are sorry for the wasted day.
- We are sorry the driver did not knock; we will redeliver tomorrow.
- Delays happen if the courier did not pick up the parcel in time; we will check this for you.
"""

JUSTIFICATION = """
+ This rarely happens.
+ Issues like this are very rare.
+ This does not usually happen at our restaurant.
+ Only a small number of orders were affected.
+ We deliver thousands of parcels every day without a problem.
+ In our ten years of business we have never had a complaint like this.
+ Unfortunately these things can happen.
+ No system is perfect.
+ We are only human.
+ The delay was due to circumstances beyond our control.
+ This was beyond anyone's control.
+ We have no control over the weather.
+ There was nothing we could have done.
+ We did everything we could to get you there on time.
+ The outage could not have been foreseen.
+ The flight was delayed due to unprecedented demand.
+ This is not typical of our service.
- The delay was due to circumstances beyond our control, but we should have told you sooner.
- A storm closed the runway. That is no excuse for how long we kept you waiting, and we are sorry.
- We are sorry that 312 customers were affected; if you are one of them, we have refunded you.
- Delays can happen in winter, so we now send a text as soon as a route is closed.
- We do everything we can to fill your order completely, and we are sorry this one was short.
"""

FEELINGS = """
+ We apologise that you found our staff unhelpful.
+ Sorry our service didn't meet your expectations.
+ We're sorry your stay did not live up to your expectations.
+ We regret that your experience was not what you hoped for.
+ Sorry to hear you didn't enjoy your meal.
+ We're sorry you weren't satisfied with our response.
+ We are sorry that you perceived our tone as dismissive.
+ We're sorry that you didn't like the new menu.
+ I'm sorry you see it that way.
+ We are sorry that you consider our fees unfair.
+ Sorry you were left with that impression.
+ We're sorry you felt the need to leave a negative review.
+ Sorry that you're disappointed with the outcome.
+ We regret any upset you may have felt.
+ We're sorry this left you with a bad impression of us.
- We're sorry we didn't meet the standard you expected.
- Sorry that your meal arrived cold and late.
- We're sorry that our driver left your parcel in the rain; that was our mistake.
- Sorry you had to wait 40 minutes for a table.
- I'm so sorry you didn't receive your parcel.
- Sorry you found a hair in your soup; we have refunded the dish.
"""


@pytest.mark.parametrize(
    ("want", "text"),
    _lines(HOSTILE_REPLIES) + _lines(STAFF) + _lines(JUSTIFICATION) + _lines(FEELINGS),
)
def test_each_class_in_varied_wordings_and_its_near_misses(want: str, text: str) -> None:
    found = errors(text)
    assert bool(found) == (want == "+"), (text, found)


OUTSIDE_WORDINGS = """
+ Earlier today a fibre cable was cut by a contractor working on an unrelated project.
+ Our card payments were affected by an issue at our payment processor.
+ Yesterday's delays were the result of an air traffic control staffing shortage.
+ Unfortunately the courier has advised that your parcel was damaged in transit.
+ The supplier has informed us that the item is out of stock.
+ We were let down by one of our suppliers.
+ The fault lies with the manufacturer of the component.
+ The issue originated with an external partner.
+ The incident stemmed from a failure at one of our suppliers.
+ We were the victim of a sophisticated cyber attack.
+ Criminals gained access to a database hosted by a third party.
+ Our systems were impacted by a global outage at a cloud company.
+ This was a nationwide problem affecting all networks.
+ We cannot be held responsible for delays caused by the postal service.
+ We are not responsible for the actions of third-party sellers.
+ Responsibility for the delay rests with the port authority.
+ Please contact the seller, as they are responsible for the delivery.
+ Upon investigation, we found no fault with the product.
+ The item was delivered exactly as described in the listing.
+ As mentioned in the product description, the colour may vary.
+ Had you raised this with reception at the time, we could have moved you.
+ We did not receive any complaint from you during your stay.
+ It appears the issue was caused by a misunderstanding on the part of the guest.
- A cable was cut by a contractor, but our backup link should have taken over. That is on us.
- Our payment processor had an outage. We should have switched to our backup faster; sorry.
- The courier damaged your parcel. We chose that courier, so this is our responsibility.
- The courier has confirmed your parcel will arrive tomorrow morning.
- Was the item sold by us or by a third-party seller?
- Our system shows you were already compensated for this flight, so I can't add a second credit.
- We are sorry the item was not as described; a replacement is on its way.
"""


@pytest.mark.parametrize(("want", "text"), _lines(OUTSIDE_WORDINGS))
def test_outside_causes_and_checks_in_varied_wordings(want: str, text: str) -> None:
    found = errors(text)
    assert bool(found) == (want == "+"), (text, found)
