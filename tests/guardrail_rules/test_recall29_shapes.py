"""Readings of stop 29, written after fresh31 was read (13/33 while blind) with the read
corpus's remaining misses, grouped by what makes each a non-apology rather than by its words.
Every wording here is the team's own, never a corpus item's; each class has near misses that
must pass (the good letter that names an outside cause while owning its part, "if you have
any questions", a complaint called fair):

- the agent of a reason clause ("because / as ...") read whatever its verb's form: an
  irregular past ("because the hotel sold"), "as" with a failure in its clause, and "our"
  before another party ("as our payment processor sent ...");
- an outside cause as the subject of "means that / has meant", and a cause named among
  others ("a shortage of drivers combined with sickness") is still named;
- the same trouble told as everyone else's, without "like" ("other airlines are seeing the
  same delays", "not only a problem for us");
- the reader's act judged ("your comment was rude", "the review you left is unfair");
- the staff's failing told as what they were not doing, or as falling below the standard;
- the failure declared no fault of ours; anyone's intention held up as the defence;
- the writer as the target of someone else's campaign;
- the share that went well or an improvement told instead of the failure;
- an admission turned into its justification ("I accept ..., but honestly ...");
- the reader's feeling first in a list of what they went through, or as a harm that "may
  have been caused";
- the reader's own equipment or provider as the cause; our part told as done on time so the
  fault is the next party's; the reader told to excuse it; the failure denied its name.
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

CASES = (
    # The agent of a reason clause, in any verb form.
    ("We had to cancel because the caterer pulled out on Friday.", "blame.outside_cause"),
    ("Your card was declined because the bank froze all transfers.", "blame.outside_cause"),
    (
        "Your parcel came back to us because the courier took it to the old depot.",
        "blame.outside_cause",
    ),
    (
        "The refund was late as our payment partner sent it to the wrong bank.",
        "blame.outside_cause",
    ),
    (
        "Your room was given away as the booking site did not pass on your dates.",
        "blame.outside_cause",
    ),
    ("We are sorry: the parcel was late because we sent it a day late.", None),
    ("As the courier was running late, our driver rang you to explain.", None),
    ("Your order shipped as soon as the supplier sent us the part.", None),
    ("We know it arrived late because the courier lost it, and we should have chased them.", None),
    # An outside cause as the subject of "means that", alone or among others.
    (
        "Rising fuel prices and a lack of drivers mean that the route is suspended.",
        "blame.outside_cause",
    ),
    (
        "A regional shortage of engineers along with sickness has meant that visits slipped.",
        "blame.outside_cause",
    ),
    ("This means that your parcel will now arrive on Tuesday.", None),
    ("The new refund process means that it can take up to a week to reach you.", None),
    # Everyone else's trouble.
    (
        "Other hospitals have been facing the same pressures all winter.",
        "non_apology.justification",
    ),
    (
        "Delays like these are hitting every airline in Europe this summer.",
        "non_apology.justification",
    ),
    ("This isn't only a problem for our customers; it is national.", "non_apology.justification"),
    ("Long waits are not unique to our clinic.", "non_apology.justification"),
    ("Other customers were affected too, and we are writing to each of them.", None),
    # The reader's act judged.
    ("Your email to our staff was abusive and we will not answer it.", "blame.reader_conduct"),
    ("The complaint you filed last week is inaccurate in several places.", "blame.reader_conduct"),
    ("Writing such a review after one visit is deeply unfair to our team.", "blame.reader_conduct"),
    ("Your review was fair, and we are sorry we let you down.", None),
    ("Your feedback is helpful and we have shared it with the kitchen.", None),
    ("Your experience was unacceptable, and I am sorry.", None),
    # Staff failing told as a state.
    ("The delays happened as crews were not checking the rounds.", "blame.staff"),
    (
        "Your care was let down by staff members who fell well below the standards set.",
        "blame.staff",
    ),
    (
        "Our crews could not reach your road in the flood, and we should have told you.",
        None,
    ),
    # Not our fault; anyone's intention.
    ("The outage was at the data centre and through no fault of our own.", "blame.verdict"),
    ("I want to be clear that it was no fault of ours.", "blame.verdict"),
    ("Through no fault of your own, your booking was cancelled, and we are sorry.", None),
    ("It was never the chef's intention to offend anyone with the menu.", "non_apology.intent"),
    ("It is not the landlord's intent to evict anyone this winter.", "non_apology.intent"),
    # The target of a campaign.
    ("We were the target of a coordinated effort to discredit the show.", "blame.circumstances"),
    ("We suffered a cyber attack on Monday, and we are sorry we were not ready for it.", None),
    # The share that went well; an improvement told instead.
    ("More than 97 per cent of our buses left on time in March.", "non_apology.dismissal"),
    ("Eight out of ten parcels arrive without any delay.", "non_apology.dismissal"),
    (
        "There has been a sharp drop in the number of complaints this quarter.",
        "non_apology.dismissal",
    ),
    ("We have seen far fewer outages since the spring.", "non_apology.dismissal"),
    (
        "Over half the tickets are refunded, and we will refund the rest by Friday.",
        None,
    ),
    ("We made a mistake, and there has been a drop in complaints since we fixed it.", None),
    # An admission turned into its justification.
    ("We admit the ad went too far, but to be fair it got people talking.", "non_apology.but"),
    (
        "I acknowledge the tone was wrong, but the truth is the point needed making.",
        "non_apology.but",
    ),
    ("I accept it was a mistake, and I am sorry.", None),
    ("We know we got this wrong, but we are fixing it today.", None),
    # The reader's feeling first in a list, or as a harm that may have been caused.
    ("We regret the annoyance and upheaval you experienced.", "non_apology.reverse"),
    ("I apologise for the concern or confusion that this may have caused.", "non_apology.reverse"),
    ("We are sorry for the frustration our late delivery caused.", None),
    ("I'm sorry for the delay and the frustration it caused you.", None),
    # The reader's own equipment or provider as the cause.
    ("The upload may stall because your firewall is blocking our server.", "blame.reader_conduct"),
    ("You may want to check your router before writing to us again.", "blame.reader_conduct"),
    ("Refunds take up to five days because your bank has to process them.", None),
    ("If the page won't load, please check your settings or reply and we will help.", None),
    # Our part told as done on time, so the fault is the next party's.
    ("Our depots passed every parcel to the couriers in good time.", "blame.third_party"),
    ("We gave your parcel to the courier on time, but we wrote the wrong address on it.", None),
    # The reader told to excuse it.
    ("You need to understand that we are only three people.", "blame.circumstances"),
    ("You need to remember to bring your booking reference.", None),
    # The failure denied its name.
    ("Honestly, a typo in the log is hardly a bug.", "non_apology.dismissal"),
    ("It was a bug in our app, and we have fixed it.", None),
    # Plain invitations stay clean.
    ("If you have any questions, please reply to this email.", None),
)


# Readings added after the first landing of stop 29, from the read misses and the team's own
# probes of unseen wording: another party that failed to act (not inside an "if"), an outside
# cause that "made X impossible", a group of customers as the cause, the failure placed "not in
# our code", the apology made the lesser clause, the reader's sense of being wronged as the
# condition.
LATER_CASES = (
    ("The landlord's contractor did not repair the lift for a week.", "blame.outside_cause"),
    ("Our caterers failed to turn the ovens on in time.", "blame.outside_cause"),
    ("A possible cause is if the courier did not collect the parcel on time.", None),
    ("The flooding on the high street made deliveries impossible.", "blame.outside_cause"),
    ("Some visitors arrived after nine, which held up the whole tour.", "blame.reader_conduct"),
    ("Guests who did not book ahead caused the long wait at the door.", "blame.reader_conduct"),
    ("The crash came from a plug-in, not from our code.", "blame.verdict"),
    ("Your booking is not on our system yet; please send the reference.", None),
    (
        "While we regret the disruption, we must point out that the timetable was published.",
        "non_apology.but",
    ),
    ("While we are sorry for the delay, we have refunded your ticket in full.", None),
    ("If you think your claim was overlooked, send it again.", "non_apology.conditional"),
    ("If you feel unwell after the meal, please call us at once.", None),
    ("These things are outside of our hands.", "blame.outside_cause"),
)


@pytest.mark.parametrize(("text", "rule"), CASES + LATER_CASES)
def test_the_reading_decides(text: str, rule: str | None) -> None:
    """A sentence of the class draws its rule; a near miss draws no non-apology or blame
    error at all."""
    found = errors(text)
    if rule is None:
        assert not found, found
    else:
        assert rule in found, found
