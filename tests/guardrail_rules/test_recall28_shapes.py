"""Classes of stop 28, written after fresh30b (the half of fresh30 that stop 27's rules did not
move, 7/16) and the older misses were read as classes, while fresh31 stayed blind. Each class
is stated in the team's own words, never a corpus item's, with near misses that must pass:

- an apology addressed to a group defined by its belief or reaction, in either order;
- the reader's ordeal as the object of the apology, with the reader as its only agent;
- the harm shrunk by the share that went well or the small share that did not;
- the failure told as normal: in its nature, everyone's lot, others' worse conduct let pass;
- effort and ignorance as the defence;
- the cause shared with the whole trade ("like many retailers");
- told wrong or told what to do by someone else;
- the reader's or everyone's conduct as a counterfactual cause, and the customer's silence;
- the reader's time regretted as not good, with no act of ours;
- the failure given a small name ("teething troubles");
- physical damage by others (cut cables, power cuts, fallen trees) as the cause;
- the issue's other classes in wordings no batch used: the mistake excused by its kind, the
  harm shrugged off as fate, not told by others, victims too;
- and, for precision, an act the writer owns as an accident is not an intent defence.

fresh31 was collected by the same session that wrote these rules, so its wording was known to
the writer: patterns whose only motive was a fresh31 item were left out."""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

CAUGHT = (
    # A group defined by its belief or reaction, the apology after it or before it.
    (
        "To anyone who thinks the new menu went too far, we apologise.",
        "non_apology.reverse",
    ),
    (
        "For all those who felt the tribute was clumsy, I am sorry.",
        "non_apology.reverse",
    ),
    (
        "Our apologies to anybody who found the billboard distasteful.",
        "non_apology.reverse",
    ),
    ("I'm sorry to people who were upset by the sketch.", "non_apology.reverse"),
    # The reader's ordeal as the object, the reader its only agent.
    (
        "We apologise for the fact that you had to go through the appeal twice.",
        "non_apology.reverse",
    ),
    ("Apologies for you having to complain again.", "non_apology.reverse"),
    ("We're sorry this was your experience at the spa.", "non_apology.reverse"),
    ("We are sorry Mrs Okafor had this experience on the ferry.", "non_apology.reverse"),
    # The share that went well, or a small failed share, told in place of the harm.
    (
        "The majority of households are now reconnected to the network.",
        "non_apology.minimising",
    ),
    ("Over 97% of our trains ran on time last week.", "non_apology.minimising"),
    ("Fewer than 2 per cent of members saw the wrong balance.", "non_apology.minimising"),
    ("The error cost less than £3 per household.", "non_apology.minimising"),
    # The failure told as normal.
    ("Glitches like this can happen with any app.", "non_apology.minimising"),
    ("Slips like this happen from time to time in a busy kitchen.", "non_apology.minimising"),
    ("Roadworks are by their nature unpredictable.", "non_apology.minimising"),
    ("Every airline has cancellations in winter.", "non_apology.minimising"),
    ("It is a nationwide problem.", "non_apology.minimising"),
    ("Players make worse tackles that go unpunished every week.", "non_apology.minimising"),
    # Effort and ignorance as the defence.
    (
        "Our team has been working incredibly hard for three years on this launch.",
        "non_apology.justification",
    ),
    ("We were completely unaware of the fault in the batch.", "non_apology.justification"),
    ("We had no way of knowing the tank was leaking.", "non_apology.justification"),
    ("The flooding could not have been foreseen.", "non_apology.justification"),
    # The cause shared with the whole trade.
    ("Like many hospitals, we are short of porters this winter.", "blame.circumstances"),
    # Told wrong or told what to do by someone else.
    ("We were misled by the wholesaler about the stock.", "blame.third_party"),
    ("I was instructed by the regional office to refuse the voucher.", "blame.third_party"),
    # The reader's or everyone's conduct as a counterfactual cause; the customer's silence.
    (
        "If members had renewed online, we would have had time to print the cards.",
        "blame.reader_conduct",
    ),
    ("If you arrived before ten, you got a sunbed.", "blame.reader_conduct"),
    ("Dr Varga has not replied to our three letters.", "blame.reader_conduct"),
    ("You never returned our calls about the fitting.", "blame.reader_conduct"),
    # The reader's time regretted as not good, with no act of ours.
    (
        "We regret that your party did not have a pleasant evening at the inn.",
        "non_apology.reverse",
    ),
    # The failure given a small name.
    ("There were a few teething problems with the new checkout.", "non_apology.minimising"),
    ("The app had a minor glitch on Monday.", "non_apology.minimising"),
    # Physical damage by others as the cause, in a message that owns nothing.
    ("The outage was the result of two fibre cuts near the depot.", "blame.outside_cause"),
    ("Fallen trees brought down the lines to the village.", "blame.outside_cause"),
    # The other classes in wordings no batch used.
    ("It was an honest mistake by the booking desk.", "non_apology.minimising"),
    ("Missing the slot was an understandable oversight.", "non_apology.minimising"),
    ("It is what it is, and the match went ahead.", "non_apology.dismissal"),
    ("Accidents happen on busy platforms.", "non_apology.dismissal"),
    ("We were never informed that the venue had changed.", "blame.third_party"),
    ("Nobody told us the bridge was shut.", "blame.third_party"),
    ("We too were victims of the card skimming.", "blame.third_party"),
)


@pytest.mark.parametrize(("text", "rule"), CAUGHT)
def test_the_class_is_caught(text: str, rule: str) -> None:
    assert rule in errors(text)


PASSES = (
    # Those affected are the people harmed: an apology to them is not about a reaction.
    "We apologise to everyone who was affected by the outage.",
    "I'm sorry to everyone who had their order cancelled.",
    "To everyone who waited in the rain on Saturday, we are truly sorry.",
    # Our act as the object, the reader a patient of it.
    "We're sorry we made you complain twice before we acted.",
    "I'm sorry you had to wait, because we lost your paperwork.",
    # A share as a plain fact or a plan, not set against the harm.
    "We will refund 100% of the booking fee.",
    "About half of our engineers are on the repair.",
    "Most of the fault was in our own software, and we have fixed it.",
    # Normality words that minimise nothing.
    "The new valve is by design easier to reach.",
    "We will tell you what happens next.",
    "Other customers' orders were not affected by your change of address.",
    # Effort as the plan, and knowledge owned.
    "We are working hard to restore the service tonight.",
    "We did our best to reach you by phone, and we should have written sooner.",
    "We knew about the fault and should have warned you.",
    # Being told, as a plain report of what the reader asked.
    "You asked us to hold the parcel, and we did.",
    # A condition that tells the reader what to do next, not what they should have done.
    "If you paid by card, you will get the refund automatically.",
    "If you booked through an agent, please contact them for the new times.",
    # Our silence, and a good time hoped for.
    "We have not replied to your letter yet, and that is our failing.",
    "We hope you have a pleasant stay next time.",
    # A fibre cut we made ourselves, owned.
    "Our engineers caused the fibre cut while digging, and we are sorry.",
    # Honesty, fate and being told, with nothing excused.
    "To be honest, the mistake was ours and we are sorry.",
    "We will tell you as soon as we are informed by the lab.",
    "Nobody should have to chase a refund, and we are sorry you did.",
    # An act the writer owns as an accident.
    "Sorry, I pushed changes I didn't intend to push; reverting now.",
)


@pytest.mark.parametrize("text", PASSES)
def test_the_near_miss_passes(text: str) -> None:
    assert not errors(text)
