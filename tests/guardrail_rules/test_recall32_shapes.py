"""Readings of stop 32, written after fresh34 was read (9/77 blind before and after stop 31's
rules, with 4 false errors on 29 good items). Every wording here is the team's own, never a
corpus item's.

Precision first: four good letters drew errors because the reading missed what the writer
owned, or read an outcome as a cause:

- the writer's own part admitted ("I accept that I may have affected the result", "we admit
  that we misjudged it"), not what reached them ("we accept that we received it late");
- the writer's own conduct as what the apology or the shame is for ("sorry for the way I
  acted", "disappointed with how we handled it"), not pride in it;
- a failure of forethought owned ("we did not think it through"), so an intent denial before
  "but" concedes to it;
- the organisation's own running judged short ("communication between our team and the
  clubs was sub-par", "our planning was poor");
- "the result of" as the object of a verb ("affected the result of the match") names an
  outcome, not a cause; and a failure adverb before a gerund ("in mistakenly awarding") has
  the main clause's doer, not a subject of its own.

Because all four were ownership read too narrowly, we also probed ownership told in other
natural words of our own, each before an outside cause ("Due to the storm, the depot closed
early"): 25 of 50 such letters drew blame. The readings added own the act judged by its manner
("we handled it badly", "I acted hastily", "we responded too slowly", "we did a poor job"), the
act judged as ours ("that was wrong of us"), our people or words judged ("I was careless", "our
staff were rude to you", "what I said was hurtful"), the wrong thing given without "the" ("I
gave you incorrect information", "we shipped a broken update"), being late or slow ("we took
far too long"), our word not kept, our own standards not met, what we could have handled
better, idioms of owning ("we hold our hands up", "we took our eye off the ball", "we cut
corners") and verbs that are failures in themselves ("we double-booked", "I misspoke"). A
second round of 69 such letters (31 of them drew blame after the first readings) added our own
people or systems as the doers ("our engineer missed the appointment", "our system charged you
twice"; not "our courier", nor "one of our drivers" singled out), the thing done "by us in
error", and more failure verbs and phrases ("we kept you in the dark", "you deserved better
from us"). Each reading has a near miss told of someone else.

Then fresh34's 68 missed passages, grouped by what makes each a non-apology or blame; each
class is written with our own sentences and a near miss:

- the condition in either order, with the wish to apologise ("where that has happened, I want
  to apologise"), and the apology addressed to a group marked by a hedge or a reaction ("to
  everyone involved that may have been affected", "to all who had a bad experience", "or who
  have taken offence");
- intent denied in other words: the aim ("we were not trying to"), ill will ("it wasn't any
  ill-intention"), the intention told with its object ("our intention with the appeal was
  to"), the hindsight of what was known ("based on the information available to us at the
  time"); the charge denied by character ("I am not a bigot");
- failure called inevitable or universal ("mistakes are going to happen", "understanding that
  they may happen", "to err is human", "sometimes those efforts fall short");
- the share still served or the majority satisfied, the failure "kept to a minimum" or "a last
  resort"; effort as the defence ("worked day and night", "after months of hard work", "despite
  the best efforts of the crew");
- an outside cause in natural wording: a shortage suffered ("we are suffering with the
  nationwide driver shortage", "driver shortages continue to impact"), a rising trouble as the
  frame ("with the rise in covid cases"), the weather called unpredictable after the event,
  others' verdict or decision ("have deemed the stage unsafe", "taken by the promoters, not the
  council"), reliance on others' word ("we relied on the weather service"), one person's
  refusal ("an individual player refused to"), trouble guessed at another ("something must be
  going on with the payment firm");
- a regrettable run of events ("a regrettable series of events").

Last, probes of our own for what a blind batch may hold, each with a near miss: another
party's trouble told as its state ("the post office has been very slow lately", "our delivery
partner has had a difficult week"), its act done "without telling us", the rule or decision
placed with another ("the manufacturer's policy, not ours", "made by head office"), the staff
member's newness as the reason, the information called clear so that the fault is the
reader's, the workload or the size of the team as the reason, most orders on time or "only a
small number", every other firm facing the same, and high winds as an outside cause.

These moved no passage of the older read batches (676/736 before and after): they are tuned on
fresh34, and fresh35, measured outside the tree, is the figure for them.
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import error_families, errors

PRECISION = (
    # The writer's own part admitted.
    (
        "Due to the new timetable, I accept that I may have misled some of you about the"
        " times, and for that I apologise.",
        None,
    ),
    ("Due to the new timetable, the times in the guide changed.", "blame"),
    ("Due to the new timetable, we accept that we received your form late.", "blame"),
    # Our own conduct as the object of the apology.
    (
        "I apologise for the way I acted at the desk. That is not who I want to be.",
        None,
    ),
    ("That is not who we are as a company.", "non_apology"),
    ("We are proud of how we handled the move. That is not who we are.", "non_apology"),
    # A failure of forethought owned after the intent denial.
    (
        "It was not something we did on purpose, but we did not think it through.",
        None,
    ),
    ("It was not something we did on purpose, but the timing was unlucky.", "non_apology"),
    # Our own running judged short, the writer after the noun.
    (
        "Communication between our booking team and the schools hit by the storm was"
        " sub-par, and some parents heard nothing.",
        None,
    ),
    ("The schools hit by the storm heard nothing for two days.", "blame"),
    # An outcome, not a cause.
    ("I may have affected the result of the vote.", None),
    ("The cancellation was the result of the storm.", "blame"),
    ("Yesterday, in wrongly sending the reminder, I caused a great deal of worry.", None),
    ("The council had wrongly sent the reminder to every household.", "blame"),
)


@pytest.mark.parametrize(("text", "family"), PRECISION)
def test_an_owned_failure_or_an_outcome_is_read(text: str, family: str | None) -> None:
    """The good letter draws no non-apology or blame error; its near miss, with nothing
    owned, draws an error of the family."""
    assert (family in error_families(text)) if family else not errors(text)


CLASSES = (
    ("Where that has happened, I want to apologise.", "non_apology.conditional"),
    ("If our timetable confused anyone, I would like to apologise.", "non_apology.conditional"),
    ("Where the timetable is wrong, please tell us and we will fix it.", None),
    (
        "We apologise to everyone at the fair that may have been affected by the delay.",
        "non_apology.reverse",
    ),
    ("We apologise to all who had a bad experience at the fair.", "non_apology.reverse"),
    (
        "We apologise to any members who were called twice, or who have taken offence at it.",
        "non_apology.reverse",
    ),
    ("We apologise to all the families who were affected by the delay.", None),
    ("We were not trying to make a link with that group.", "non_apology.intent"),
    ("There was certainly no ill intent on the part of the staff.", "non_apology.intent"),
    ("Our intention with the new timetable was to cut waiting times.", "non_apology.intent"),
    ("There were no ill effects from the leak.", None),
    (
        "The choice was made on the information available to us at the time.",
        "non_apology.intent",
    ),
    ("I am not a bigot, and I regret the post.", "non_apology.dismissal"),
    ("Mistakes are going to happen when people are busy.", "non_apology.dismissal"),
    ("We cleaned the stands understanding that slips may happen.", None),
    ("Staff work long shifts understanding that mistakes may happen.", "non_apology.dismissal"),
    ("To err is human.", "non_apology.dismissal"),
    ("Sometimes our plans fall short.", "non_apology.dismissal"),
    ("We are still running over 90% of our planned trains.", "non_apology.dismissal"),
    (
        "Our agents called every family, the majority of whom had their refund settled in a week.",
        "non_apology.dismissal",
    ),
    ("Closing the pool early is kept to a minimum.", "non_apology.dismissal"),
    ("Cancelling a class remains a last resort.", "non_apology.dismissal"),
    ("Our volunteers worked day and night to clear the site.", "non_apology.justification"),
    (
        "After many weeks of hard work and planning, the fair opened late.",
        "non_apology.justification",
    ),
    (
        "Despite the best efforts of our ground staff, the pitch was not fit to play.",
        "non_apology.justification",
    ),
    ("Our engineers are working around the clock to restore the service.", None),
    ("We are suffering with the national shortage of drivers.", "blame.circumstances"),
    ("We are experiencing staff shortages this week.", "blame.circumstances"),
    ("Staff shortages continue to affect the ward.", "blame.circumstances"),
    ("With the rise in flu cases, the clinic has fewer nurses.", "blame.circumstances"),
    ("With sickness rising, the crews cannot cover every round.", "blame.circumstances"),
    ("This storm proved to be unpredictable.", "blame.circumstances"),
    ("We did not plan for the staff shortages, and we should have.", None),
    ("The fire officers have deemed the hall unsafe for the audience.", "blame.third_party"),
    ("We have deemed the hall unsafe and moved the show.", None),
    (
        "The decision to close the pool was made by the trust that owns it, not the club.",
        "blame.third_party",
    ),
    ("We relied on the national forecasting service and the county office.", "blame.third_party"),
    ("We relied on our own checks, and they missed it.", None),
    ("But one of the drivers refused to take the route.", "blame.staff"),
    ("Something must be going on with the card processor.", "blame.third_party"),
    ("Something must be wrong with our app; I will fix it today.", None),
    ("It was a regrettable series of events.", "non_apology.unowned"),
)


STORM = " Due to the storm, the depot closed early."

OWNED_IN_OTHER_WORDS = (
    ("We handled it badly.", "The courier handled it badly."),
    ("I acted hastily.", "The council acted hastily."),
    ("We responded far too slowly.", "The bank responded far too slowly."),
    ("We did a poor job of telling you.", "They did a poor job of telling you."),
    ("That was wrong of us.", "That was wrong of them."),
    ("I was careless.", "The driver was careless."),
    ("Our staff were rude to you.", "Their staff were rude to you."),
    ("What I said was hurtful.", "What you said was hurtful."),
    ("I gave you incorrect information.", "The airline gave you incorrect information."),
    ("We took far too long to reply.", "The courier took far too long to reply."),
    ("We did not keep our promise.", "The hotel did not keep its promise."),
    ("This falls well below our standards.", "The service fell below the standards we expect."),
    ("We could have handled this much better.", "Nobody could have handled this better."),
    ("We hold our hands up.", "We hold the door for you."),
    ("We double-booked your room.", "The hotel double-booked your room."),
    ("My apologies for causing it.", "My apologies for the wait."),
    ("We were late.", "We were late in hearing from the courier."),
    ("Our engineer missed the appointment.", "Our courier missed the appointment."),
    ("Our system charged you twice.", "Your bank charged you twice."),
    ("Our team lost your paperwork.", "The council lost your paperwork."),
    ("We mixed up your order.", "The warehouse mixed up your order."),
    ("We kept you in the dark.", "The airline kept you in the dark."),
    ("You deserved better from us.", "You deserved better from the airline."),
    ("The email was sent by us in error.", "The email was sent by the bank in error."),
)


@pytest.mark.parametrize(("owned", "other"), OWNED_IN_OTHER_WORDS)
def test_ownership_in_other_words_is_read(owned: str, other: str) -> None:
    """Owned, the outside cause after it is an explanation; told of someone else, it is
    still blame."""
    assert not errors(owned + STORM)
    assert "blame" in error_families(other + STORM)


PROBES = (
    ("The post office has been very slow lately.", "blame.outside_cause"),
    ("Our delivery partner has had a difficult week.", "blame.outside_cause"),
    ("Our team has had a difficult week, and we let you down.", None),
    ("High winds stopped the ferry from sailing.", "blame.outside_cause"),
    ("The airline changed the schedule without telling us.", "blame.third_party"),
    ("We changed the schedule without telling you, and that was wrong of us.", None),
    ("That is the manufacturer's policy, not ours.", "blame.third_party"),
    ("The decision was made by head office.", "blame.third_party"),
    ("The agent you spoke to was new.", "blame.staff"),
    ("A new member of staff processed your order.", "blame.staff"),
    ("The agent you spoke to will call you back today.", None),
    ("The instructions were clear on the box.", "blame.reader_conduct"),
    ("We will make sure the instructions are clear on the box.", None),
    ("We receive thousands of emails a day.", "non_apology.justification"),
    ("We are only a small team.", "non_apology.justification"),
    ("Every retailer is facing the same problem.", "non_apology.justification"),
    ("Most customers received their orders on time.", "non_apology.dismissal"),
    ("It was only a small number of orders.", "non_apology.dismissal"),
    ("Most customers will receive a refund by Friday.", None),
)


@pytest.mark.parametrize(("text", "rule"), CLASSES + PROBES)
def test_a_class_or_probe_draws_its_rule(text: str, rule: str | None) -> None:
    """A sentence of a fresh34 class or of a probe draws its rule; a near miss (owned, a
    remedy, done by us, or about something else) draws no non-apology or blame error."""
    found = errors(text)
    assert (rule in found) if rule else not found, found
