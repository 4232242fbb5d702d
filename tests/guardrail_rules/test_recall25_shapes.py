"""Shapes read from the misses and false errors of the held-out batches fresh23, fresh24 and
fresh25 (tests/data/real_fresh2{3,4,5}.yaml) after each was measured blind, written here in
the team's own words with their near misses: an apology refused outright; the extent shrunk
against a first estimate or told as a small share; effort, a forced act or a decision put
forward in place of the apology; pride with the writer named between; the failure called
normal; a purpose told instead of the effect; the reader's experience as the object; a named
customer's omission, silence or unticked box; information passed on from others; a supplier
that did not come; a failure placed in a provider's system; others hit too; a season or the
weather as the cause; the crews as the cause; "this was explained to her". The false errors of
those batches are near misses here: a length of time after "delayed by", a possibility told
in general, the complexity of the writer's own repair."""

from __future__ import annotations

import pytest
from test_recall11_shapes import elements, errors

CAUGHT = (
    # An apology refused outright, in any person or tense.
    ("We are not sorry that the shop closed early on Sunday.", "non_apology.refusal"),
    ("I won't apologise for enforcing the dress code.", "non_apology.refusal"),
    ("We make no apology for putting safety first.", "non_apology.refusal"),
    ("We have nothing to apologise for here.", "non_apology.refusal"),
    # The extent shrunk: against a first estimate, as a small share, or hedged and shrunk.
    ("Far fewer accounts were exposed than first reported.", "non_apology.minimising"),
    ("Only 2% of our deliveries were delayed last week.", "non_apology.minimising"),
    ("Any disruption was brief and has now passed.", "non_apology.minimising"),
    # Effort or the decision put forward in a message that owns nothing; pride with the
    # writer named between.
    ("Our kitchen team worked very hard to get every plate out.", "non_apology.justification"),
    ("We did what we had to do once the alert came in.", "non_apology.justification"),
    ("We, as a company, pride ourselves on our punctuality.", "non_apology.intent"),
    ("We are confident that we made the right decision.", "non_apology.justification"),
    # The apology for what the writer had to do, as though forced.
    ("We are sorry to have to move you all to a later sailing.", "non_apology.justification"),
    # The failure called normal.
    ("Unforeseen events will happen at a festival this size.", "non_apology.dismissal"),
    ("Unexpected things can happen at any large event.", "non_apology.dismissal"),
    # A purpose told instead of the effect.
    ("The poster was intended as a light-hearted nod to the season.", "non_apology.intent"),
    ("The post was meant to be humorous.", "non_apology.intent"),
    # The reader's experience as the object.
    ("We are sorry you had such an experience at our branch.", "non_apology.reverse"),
    # A named customer's omission, and a judgement of the reader's understanding.
    ("Mr Patel failed to return the signed form by the deadline.", "blame.customer"),
    ("Honestly, their lack of common sense is astonishing.", "blame.customer"),
    # Others blamed in natural wording.
    ("That is what we were given by the venue.", "blame.third_party"),
    ("Two of the vans we booked never turned up.", "blame.third_party"),
    ("The fault was in one of our suppliers' systems.", "blame.third_party"),
    ("The outage affected many other retailers as well.", "blame.third_party"),
    ("We are not the only company dealing with this.", "blame.third_party"),
    ("Our drivers were under huge pressure from the new schedule.", "blame.third_party"),
    # A season or the weather as the cause.
    ("It's the holiday season, so orders are running slower than usual.", "blame.circumstances"),
    ("The storm was completely unexpected.", "blame.circumstances"),
    ("Weeks of heavy rain left the car park flooded.", "blame.circumstances"),
    ("It was the worst snow we have ever seen.", "blame.circumstances"),
    ("The weather had been exceptionally bad all week.", "blame.circumstances"),
    # The crews as the cause, by what they were doing; someone presumed to have erred.
    ("Bins were missed due to our crews getting used to the new routes.", "blame.staff"),
    ("Someone must have entered the wrong postcode.", "blame.staff"),
    # The reader's silence or unticked box as the cause.
    ("We never had any word from the tenant about the leak.", "blame.disputes_account"),
    ("The signature option was not selected, so the driver left it.", "blame.disputes_account"),
    # The customer told they were told, in the third person.
    ("This was clearly explained to him at the counter.", "blame.disputes_account"),
)


PASSES = (
    # An apology that cannot be made big enough is not refused.
    "We cannot apologise enough for the mix-up with your order.",
    "We are not only sorry, we are putting it right today.",
    # Bad news told with regret.
    "We are sorry to have to tell you that the jacket is out of stock.",
    # A share told as the failure it is, and a delay told as longer than planned.
    "Only 40% of our trains ran on time this month.",
    "The refund took longer than we estimated, and I am sorry.",
    # Work under way, and effort beside an owned failure.
    "Our engineers are working hard to restore your service tonight.",
    "Our team worked hard on your order, but we sent the wrong size, and that is our mistake.",
    "Our team is proud of its record, and on Tuesday we let you down.",
    # A notice about the season that gives no excuse.
    "Please allow extra time for deliveries during the holiday season.",
    # The false errors of the blind batches: a length of time after "delayed by", a
    # possibility told in general, the complexity of the writer's own repair.
    "Your train was delayed by about 40 minutes this morning, and we are sorry.",
    "Your parcel was held up by 1 or 2 days at our depot.",
    "If an invoice is short, this might be due to a customer picking the wrong postage band.",
    "The repair is taking longer due to the complexity of the burst main.",
    # What we ordered, still to come; the reader kept waiting; a customer who received nothing.
    "We ordered a replacement part and it has not arrived yet; I will call you on Friday.",
    "We're so sorry you had to wait so long for a reply.",
    "Mr Okafor did not receive the parcel, so we have sent another.",
    # The weather ahead, and an error owned after a presumed one.
    "The forecast says heavy rain tomorrow, so please bring a coat to the open day.",
    "Someone on our team must have mistyped the address, and that is our error.",
)


@pytest.mark.parametrize(
    ("text", "rule"),
    CAUGHT + tuple((text, None) for text in PASSES),
    ids=[c[0][:40] for c in CAUGHT] + [f"passes: {t[:32]}" for t in PASSES],
)
def test_the_shape_is_caught_and_its_near_miss_passes(text: str, rule: str | None) -> None:
    """Each shape draws its rule's error; each near miss draws no error of the families the
    corpus measures."""
    found = errors(text)
    assert rule in found if rule else found == set(), found


def test_a_promise_that_it_never_happens_again_is_prevention() -> None:
    assert "prevention" in elements("We are changing the rota so this never happens again.")
    assert "prevention" not in elements("Nobody checked, so this never got fixed.")
