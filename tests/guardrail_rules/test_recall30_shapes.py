"""Readings of stop 30, written after fresh32 was read (10/43 blind before stop 29's rules,
11/43 after, with 3 false errors on 29 good items). Every wording here is the team's own,
never a corpus item's.

Precision first: three good letters drew errors because the reading missed what the writer
owned or what a feeling pointed back to:

- the writer's own act done by mistake ("I opened it by mistake", "we charged you twice in
  error") owns it, so a defence after it is not the message's excuse;
- our own preparation told as not enough ("our planning did not go far enough", "our
  response was inadequate") owns the failure, so an event named as the trigger is not blame;
- "I know this is disappointing and I apologise" after what the writer could not do ("we
  have not been able to trace it") points back to that, not to a situation with no one in it.

Then fresh32's 32 missed passages, grouped by what makes each a non-apology or blame rather
than by its words, each class with our own sentences and near misses:

- what the reader went through as the apology's object ("sorry for all that you have been
  through"), sorry that a state exists among people ("sorry there are fans who ..."), the
  hedged harm after the person apologised to ("to Mrs Hale for any upset caused"), a feeling
  about "what happened" in place of the regret, and the regret of a thing done by no one ("it
  is regrettable that the wrong prices were shown", "we regret that your evening was spoiled");
- the writer's feeling set beside the reader's ("nobody is more disappointed than we are");
- good news told instead of the failure: faults that "have fallen", "of little comfort", the
  other party's good record, the first failure in years;
- the complained-of charge as merely fair, the decision as business sense, the reader's loss
  doubted; the act called well meant; the offence put on how it is taken or called a
  misunderstanding;
- another party's side or decision ("a fault on their end", "we don't set the dates; the
  courier does"), and trust in its part let down ("will actually deliver");
- the reader's character, repeated acts, ignored advice, old reports and details judged ("your
  poor manners", "you keep reopening", "the address provided"), users who cannot follow
  instructions, complaints counted against the reader, the public's reports as the burden;
- outside causes in new forms: declared beyond us, an attacker ("appears to have been
  hacked"), another customer's act ("when a guest refused"), the whole trade's volumes, a harm
  caught anywhere.
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

PRECISION = (
    # The writer's own act done by mistake owns it: a defence after it is no excuse.
    ("I moved your booking to Friday by mistake, and that was not my purpose at all.", None),
    ("We charged you twice in error; the system was simply busy that day.", None),
    ("We accidentally cancelled your table, and it was never our aim to bother you.", None),
    # Not when the mistake was done to us, or the reader's act is supposed.
    ("We were moved to Friday by mistake, and that was not our purpose at all.", "non_apology"),
    ("I think you sent it to us by mistake, and that was not our purpose.", "non_apology"),
    # Our own preparation told as not enough owns the failure.
    (
        "The opening-day rush led to long queues at the gate. Our planning for the day did not"
        " go far enough.",
        None,
    ),
    (
        "The storm led to three days without power; our response was inadequate and we are sorry.",
        None,
    ),
    ("The storm led to three days without power across the town.", "blame"),
    # A feeling that points back to what the writer could not do.
    (
        "We have not been able to trace your parcel. I know this is frustrating and I am sorry.",
        None,
    ),
    (
        "We were unable to find the cause of the fault. We know it is disappointing and we"
        " apologise.",
        None,
    ),
    ("I know this is frustrating and I apologise.", "non_apology"),
    (
        "The courier closed the depot. I know it is disappointing and I apologise.",
        "non_apology",
    ),
)


@pytest.mark.parametrize(("text", "family"), PRECISION)
def test_what_the_writer_owns_or_could_not_do_is_read(text: str, family: str | None) -> None:
    """A good letter draws no non-apology or blame error; a near miss with nothing owned
    still draws one of the family."""
    found = errors(text)
    if family is None:
        assert not found, found
    else:
        assert any(rule.startswith(family + ".") for rule in found), found


CLASSES = (
    ("We are so sorry for all that you have been through this year.", "non_apology.reverse"),
    ("I'm sorry for everything your family has had to go through.", "non_apology.reverse"),
    ("We lost your bags for a week, and I am sorry for everything you went through.", None),
    ("We are sorry there are still families who have not been rehoused.", "non_apology.reverse"),
    ("I'm truly sorry that there are customers who missed out on tickets.", "non_apology.reverse"),
    (
        "We are sorry there are still customers waiting for refunds; we did not process them in"
        " time.",
        None,
    ),
    (
        "We would like to apologise to Mrs Hale and her family for any upset caused.",
        "non_apology.reverse",
    ),
    ("We apologise to Mrs Hale for any upset caused by our mistake.", None),
    ("We deeply regret what happened at the concert.", "non_apology.unowned"),
    ("I feel terrible about what happened on Saturday.", "non_apology.unowned"),
    ("We sent the wrong medicine and I deeply regret what happened.", None),
    ("We are every bit as frustrated as you are about the delays.", "non_apology.justification"),
    ("We were as shocked as you when we were told the hall was closed.", "blame.third_party"),
    ("Nobody is more disappointed than we are.", "non_apology.justification"),
    ("I share your frustration with the roadworks.", "non_apology.justification"),
    ("We let you down, and we are as disappointed as you are.", None),
    (
        "Although it will be of little comfort, the line has been more reliable this year than"
        " last.",
        "non_apology.justification",
    ),
    (
        "The number of cancelled trains has fallen by a third since last spring.",
        "non_apology.justification",
    ),
    ("Your bill has fallen by four pounds because we refunded the charge.", None),
    ("Our courier has an excellent record for reliability.", "non_apology.justification"),
    ("This was the first outage in many years.", "non_apology.justification"),
    ("You have a good record with us, so we have waived the fee.", None),
    ("It looks like a stock issue on the supplier's side.", "blame.third_party"),
    ("There seems to be a fault on their end.", "blame.third_party"),
    ("There was a fault on our end and we have fixed it.", None),
    ("There seems to be a problem on the website's end, and our developers are fixing it.", None),
    ("We don't decide the delivery dates; the courier does.", "blame.third_party"),
    ("Postage prices are set by the carriers, not by us.", "blame.third_party"),
    ("We don't set a minimum order, so you can buy a single card.", None),
    (
        "We need to be able to trust that our suppliers will actually deliver what they promise.",
        "blame.third_party",
    ),
    ("Your lack of patience with our staff says a lot.", "blame.customer"),
    ("Your review only shows your poor manners.", "blame.reader_conduct"),
    ("Your poor experience at the desk is on us, and we are sorry.", None),
    ("You keep reopening the same ticket after we answer it.", "blame.reader_conduct"),
    ("You are ignoring what we told you about the update.", "blame.reader_conduct"),
    ("You are not following the steps I sent you last week.", "blame.reader_conduct"),
    ("Sorry you keep getting logged out; we are fixing the bug.", None),
    ("You keep asking for updates and you deserve them; I am sorry we have been slow.", None),
    (
        "Users who cannot follow the setup guide fill our queue with the same question.",
        "blame.reader_conduct",
    ),
    ("Reports like this only waste our time.", "blame.reader_conduct"),
    ("You complained about nearly everything during your stay.", "blame.reader_conduct"),
    ("You complained about the noise, and you were right to.", None),
    (
        "It would help our team if they were not flooded with calls about the same fault.",
        "blame.reader_conduct",
    ),
    ("The snow and ice are clearly beyond our control.", "blame.circumstances"),
    ("The storm was outside of our hands.", "blame.circumstances"),
    ("Your request is outside our returns window, so we cannot refund it.", None),
    ("This may be down to an error in the postcode you gave us.", "blame.reader_conduct"),
    ("There was an issue with the address provided at checkout.", "blame.reader_conduct"),
    ("There was an error with the address we printed on the label, and we have resent it.", None),
    ("Our booking page appears to have been hacked over the weekend.", "blame.circumstances"),
    ("We were hacked by criminals last night.", "blame.circumstances"),
    ("Your account may have been hacked; please reset your password.", None),
    ("The show started late when a guest refused to leave the stage area.", "blame.circumstances"),
    (
        "Our train was held at Reading when a passenger tried to force the doors open.",
        "blame.circumstances",
    ),
    ("The train was held when a passenger fell ill, and our staff helped them off.", None),
    ("Every courier in the country is handling record volumes this month.", "blame.circumstances"),
    ("You could have picked up the virus anywhere, at home or at work.", "blame.circumstances"),
    ("You can get help anywhere in the app by tapping the question mark.", None),
    ("The new queue system was well meant.", "non_apology.intent"),
    ("The change was well intended but poorly explained.", "non_apology.intent"),
    ("Apparently the joke is now seen as insulting by some.", "non_apology.dismissal"),
    ("It seems our slogan is being read as offensive in some places.", "non_apology.dismissal"),
    ("We understand why the post was seen as hurtful, and we were wrong to publish it.", None),
    ("Cancelling made more business sense than running at a loss.", "non_apology.justification"),
    (
        "Honestly, I don't think the guests would have enjoyed a half-empty show.",
        "non_apology.justification",
    ),
    ("The higher fee simply reflects what the service costs us.", "non_apology.justification"),
    (
        "Our choice of words has caused some misunderstanding among readers.",
        "non_apology.dismissal",
    ),
    ("The wrong date on our website caused confusion, and that was our mistake.", None),
    ("It is regrettable that the wrong prices were shown to our members.", "non_apology.unowned"),
    ("We regret that your evening was spoiled by the power cut.", "non_apology.unowned"),
    ("We regret that your evening was spoiled by our mistake.", None),
    ("We regret that your holiday was disrupted, and we have refunded the two nights.", None),
    ("It is unfortunate that we sent the wrong prices, and we are sorry.", None),
    ("You are the most unreasonable guest we have had all year.", "blame.customer"),
    ("Honestly, you were being very rude to our waiter.", "blame.customer"),
    ("You are not unreasonable to ask for a refund, and we have sent it.", None),
    ("You are right, and we are sorry.", None),
)


# A second round, read from the older batches' remaining misses as classes and written in our
# own words: the failure told as what happens to anyone, most people's good experience told
# instead, disappointment that another party did not act, another party's duty ("incumbent
# on", "had one job"), "created by" read as a cause link, the reader told not to complain.
LATER_CASES = (
    ("Slips like this can happen to any team, even the best.", "non_apology.justification"),
    ("These things happen to the best of us.", "non_apology.justification"),
    ("It could happen to anyone, but it happened to you and we are sorry.", None),
    ("The vast majority of our guests have a great stay with us.", "non_apology.minimising"),
    (
        "Most passengers were having a smooth journey through the terminal.",
        "non_apology.minimising",
    ),
    ("Most guests have a great stay, and yours should have been one of them; we are sorry.", None),
    ("We are disappointed that the landlord has not acted on the damp.", "blame.third_party"),
    ("We are frustrated the council and its contractors did not respond.", "blame.third_party"),
    ("We are disappointed that we did not act sooner, and we are sorry.", None),
    ("We are disappointed your parcel did not arrive; we have sent another.", None),
    ("It is incumbent on the hotel to keep its rooms safe.", "blame.third_party"),
    ("The caterers had one job and that was to turn up.", "blame.third_party"),
    ("The outage was created by the app developer.", "blame.outside_cause"),
    ("Your new account was created by our team this morning.", None),
    ("The delay was created by our own scheduling error, and we are sorry.", None),
    (
        "Please do not complain about the portion sizes when the menu lists them.",
        "blame.reader_conduct",
    ),
    ("Please don't hesitate to complain if anything is wrong.", None),
)


@pytest.mark.parametrize(("text", "rule"), CLASSES + LATER_CASES)
def test_the_class_reading_decides(text: str, rule: str | None) -> None:
    """A sentence of the class draws its rule; a near miss (the same shape owned, done by us,
    or about something else) draws no non-apology or blame error at all."""
    found = errors(text)
    if rule is None:
        assert not found, found
    else:
        assert rule in found, found
