"""Shapes read by class from the misses of fresh30a, fresh28 and fresh29
(tests/data/real_fresh{28,29,30}.yaml) after each was measured blind, written here in the
team's own words, each class with near misses that must pass: the reader's reading as the
object of the apology; the act apologised for as necessary; a regret with no one regretting;
the harm regretted as what occurred; the wording hedged; the harm set aside for what matters
more; the failures set against what still worked; the writer's view, motive or character
defended; a future benefit in place of the apology; others doing damage to our plant; the
strikers' choice; others do it too; the cause named outright as weather, demand or a strike; a
reaction to someone else; the customers' own failing as the cause. CLASS_VARIANTS are the
same classes, and the issue's other classes (minimisers, a hedged few, a hand forced, a
promise with nothing in it), in wordings no batch used. Also the two false errors of those
batches: harm the writer says they caused, and "our poor judgement"."""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

CAUGHT = (
    # The reader's reading as the object, with any "mis-" verb of reception.
    ("Sorry you've misunderstood our returns policy.", "non_apology.reverse"),
    ("We regret that you misread the booking terms.", "non_apology.reverse"),
    ("Sorry some of you got the wrong impression from the poster.", "non_apology.reverse"),
    # The act apologised for as necessary.
    ("I apologise for the fact that it was necessary to close the pool.", "non_apology.reverse"),
    # A regret with no one regretting; the harm as what occurred.
    ("The late delivery is deeply regretted.", "non_apology.passive"),
    ("We regret the loss of your photos that occurred last week.", "non_apology.passive"),
    # The wording hedged as what could have been better.
    ("I could have phrased it better, so here is my apology.", "non_apology.passive"),
    # The harm set aside for what matters more; failures set against what still worked.
    (
        "We regret the worry. But the most important thing is that your data is safe.",
        "non_apology.minimising",
    ),
    (
        "Despite these delays, we are still sending most parcels on time.",
        "non_apology.minimising",
    ),
    ("The crews are still successfully collecting around 98% of bins.", "non_apology.dismissal"),
    ("Last month 96% of our trains ran on time.", "non_apology.dismissal"),
    # The writer's view, motive or character defended in place of the act.
    ("I never thought there was a problem with the advert.", "non_apology.dismissal"),
    ("We didn't see it that way at the time.", "non_apology.dismissal"),
    ("I saw it as a bit of fun.", "non_apology.dismissal"),
    ("My motivation was always to help the club.", "non_apology.dismissal"),
    ("I am a very passionate person about this shop.", "non_apology.dismissal"),
    ("Maybe we cared too much about the details.", "non_apology.dismissal"),
    # A future benefit in place of the apology.
    (
        "Once the new platform is bedded in, members will see far fewer errors.",
        "non_apology.dismissal",
    ),
    # An unintended misunderstanding.
    ("We hope any accidental misunderstandings can be cleared up.", "non_apology.intent"),
    # Others doing damage to our plant; the strikers' choice; others do it too.
    ("Builders keep damaging our cables on the estate.", "blame.third_party"),
    ("A lorry hit the telegraph poles outside the exchange.", "blame.third_party"),
    ("The drivers' union chose to walk out on a Friday.", "blame.third_party"),
    ("This fee is also charged by other gyms such as ours.", "non_apology.intent"),
    ("Industry-wide, we have seen the same shortages.", "blame.third_party"),
    # The cause named outright; a reaction to someone else.
    ("The main reason for the delays was the snow.", "blame.circumstances"),
    ("The root cause was demand over the holiday.", "blame.circumstances"),
    ("It was just a reaction to the shouting in the queue.", "blame.circumstances"),
    # The customers' own failing as the cause.
    ("Many calls reach us because people did not read the letter.", "blame.reader_conduct"),
    ("Refunds take longer as some guests did not check their details.", "blame.reader_conduct"),
)

# The same classes in wordings no batch used, written to test that a rule holds its class
# rather than its example; and the other classes the issue names, in new words.
CLASS_VARIANTS = (
    ("We are not alone in this; other clinics face the same shortages.", "blame.third_party"),
    ("This is a problem across the whole sector right now.", "blame.third_party"),
    ("The heavy snow meant our vans could not leave the depot.", "blame.outside_cause"),
    ("Unfortunately the customer entered the wrong postcode.", "blame.reader_conduct"),
    ("Regrettably, some errors occurred during the upgrade.", "non_apology.passive"),
    ("I never thought there was anything wrong with the sign.", "non_apology.dismissal"),
    ("Once the new website has settled in, you will see fewer faults.", "non_apology.dismissal"),
    ("Our drivers followed the guidance we were given.", "non_apology.intent"),
    ("Should you have been affected, please accept our apologies.", "non_apology.conditional"),
    ("The fault affected very few account holders.", "non_apology.minimising"),
    ("The booking page was only briefly unavailable.", "non_apology.minimising"),
    (
        "A small number of members may have noticed slower loading.",
        "non_apology.minimising",
    ),
    ("Errors were found in a handful of invoices.", "non_apology.minimising"),
    ("It was a minor hiccup with the card reader.", "non_apology.justification"),
    ("We had no choice but to close the car park.", "non_apology.justification"),
    ("Our hands are tied by the licence conditions.", "non_apology.justification"),
    ("We will take appropriate action where necessary.", "non_apology.dismissal"),
    ("We apologise to anyone who may have been inconvenienced.", "non_apology.reverse"),
    ("Apologies for the wait, but that is our procedure.", "non_apology.but"),
    (
        "You decided to write a review instead of calling the shop.",
        "blame.reader_conduct",
    ),
    ("Demand for the sale was far higher than forecast.", "blame.circumstances"),
    ("The double charge was a one-off.", "non_apology.dismissal"),
    ("We acted fully within our rights under the lease.", "non_apology.intent"),
)


PASSES = (
    # The reader's view of what we did wrong, owned; our necessity told plainly.
    "Sorry we misread your order and sent the wrong colour.",
    "We misunderstood your request, and I am sorry.",
    "It was necessary to close the pool for repairs, and we should have told you sooner.",
    # Regret owned; the wording owned.
    "We regret that we lost your photos last week.",
    "I should have worded that more carefully, and I am sorry.",
    # What matters next is an action; this reader's order, not failures in general.
    "The most important thing now is to get your refund to you.",
    "Despite the delay, we can still deliver your sofa on Friday.",
    # Progress on the affected, told as such.
    "Service is back for 95% of homes, and we are working on the rest.",
    # A belief owned as wrong; a motive for the next step.
    "Mistakenly, we did not believe there was a risk, and we were wrong.",
    "We see it as our job to put this right.",
    # Our own people cutting our own line; a contractor we own up to.
    "Our engineers cut the old line so the new one could go in.",
    # Harm the writer says they caused; poor judgement owned.
    "I am sorry for any hurt that I caused.",
    "We accept the criticism of our poor judgement, and we apologise.",
    # The customers' view told without blame.
    "We changed the letter because we wrote it badly.",
    # Near misses of the class variants: owned, or the harm told as it is known.
    "We made a mistake, and it was a minor error, but we have written to everyone affected.",
    "Errors occurred because we ran the wrong update, and I am sorry.",
    "Some customers may have lost service this afternoon because of a fault at our exchange.",
    "Because you did not receive the email, we have sent it again by post.",
    "We changed the form because people did not understand our wording, which was our fault.",
    "We had no choice but to refund you in full, and we were glad to.",
    "I'm sorry: there was a small error in your bill, which we made, and we have corrected it.",
    "As a one-off gesture, we have added a month of free service to your account.",
    "Despite the delay, your order will still arrive before the wedding.",
)


@pytest.mark.parametrize(("text", "rule"), CAUGHT, ids=[c[0][:40] for c in CAUGHT])
def test_the_shape_is_caught(text: str, rule: str) -> None:
    assert rule in errors(text)


@pytest.mark.parametrize(("text", "rule"), CLASS_VARIANTS, ids=[c[0][:40] for c in CLASS_VARIANTS])
def test_the_class_holds_in_new_words(text: str, rule: str) -> None:
    assert rule in errors(text)


@pytest.mark.parametrize("text", PASSES, ids=[t[:40] for t in PASSES])
def test_the_near_miss_passes(text: str) -> None:
    """No error of the families the corpus measures."""
    assert not errors(text)
