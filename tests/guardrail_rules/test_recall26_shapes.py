"""Shapes read from the misses of fresh26 and fresh27 (tests/data/real_fresh2{6,7}.yaml) after
each was measured blind, written here in the team's own words, each with a near miss that must
pass: the harm hedged inside the apology; a hedged population regretted; feelings named, then
an apology with no object; intent and manner defended; the harm called unavoidable; the
unaffected counted; the rules kept; the problem denied; the complaint put down to not
understanding; the public's timing, choices or reading as the cause; disappointment in
another party; trouble told as everyone's; demand or pressure as the state of things. Also the
two known false errors: an outside party named first and the writer's own act given as the
reason, and "our" before a thing the writer runs."""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

CAUGHT = (
    # The harm hedged as maybe none, or caused by no one, inside the apology.
    ("We apologise sincerely for any upset to our regulars.", "non_apology.reverse"),
    ("I am sorry for the pain that has been caused.", "non_apology.reverse"),
    ("She apologised to everyone who might have felt insulted.", "non_apology.reverse"),
    ("We regret the embarrassment we may have unknowingly caused.", "non_apology.reverse"),
    ("We regret that any member who booked a court cannot play.", "non_apology.reverse"),
    ("I know this is hard for families, and I am sorry.", "non_apology.reverse"),
    # Intent and manner defended.
    ("Our intention was simply to start a conversation.", "non_apology.intent"),
    ("It would never be our aim to mock a customer.", "non_apology.intent"),
    ("We would never knowingly sell a faulty heater.", "non_apology.intent"),
    # The harm called unavoidable; the unaffected counted instead.
    ("Some delays to repairs were unavoidable this winter.", "non_apology.justification"),
    ("Repairs have inevitably slowed this winter.", "non_apology.minimising"),
    ("Most passengers on the route are having a smooth journey.", "non_apology.minimising"),
    ("While the majority of parcels arrived, a few did not.", "non_apology.minimising"),
    ("Only customers in the north-west region were affected.", "non_apology.minimising"),
    # The rules kept, good figures against the pressure.
    ("We complied fully with the licensing rules at every stage.", "non_apology.justification"),
    (
        "Our response times improved this month despite rising demand.",
        "non_apology.justification",
    ),
    # The problem denied, the complaint put down to not understanding.
    ("There are no known problems with the boiler range.", "non_apology.dismissal"),
    ("We are not experiencing any delays at the depot.", "non_apology.dismissal"),
    ("Those reviews will change once people read the terms.", "non_apology.dismissal"),
    # The public's timing, choices or reading as the cause.
    ("If you had booked in advance, you would have a seat.", "blame.customer"),
    ("Many parents left it until the last minute to apply.", "blame.customer"),
    ("Those who did not register in time missed out.", "blame.customer"),
    ("The forms were freely available all summer.", "blame.customer"),
    ("Residents can help us by putting bins out before 7am.", "blame.customer"),
    ("The critics simply misunderstood the recipe card.", "blame.customer"),
    # Disappointment in another party's failing.
    ("We are disappointed that the contractor did not finish on time.", "blame.third_party"),
    # Trouble told as everyone's; demand or pressure as the state of things.
    ("Like most airlines, we are short of crew this summer.", "blame.circumstances"),
    ("Demand at our branches remains very high.", "blame.circumstances"),
    ("We are seeing record levels of calls this week.", "blame.circumstances"),
    ("The backlog is a consequence of the current pressures.", "blame.circumstances"),
    ("The wait was simply down to the volume of requests.", "blame.circumstances"),
    ("We were caught out by a sudden change in the timetable.", "blame.circumstances"),
)


PASSES = (
    # A failure named as the object of the apology; a future aim.
    "We apologise for the delay to your boiler repair.",
    "Our intention is to refund you by Friday.",
    # Owned harm, and a known problem told as ours.
    "We caused real upset, and I am sorry for it.",
    "There is a problem with our boiler range, and we are recalling it.",
    # Like the reader, not like other businesses; demand told as a fact with no excuse.
    "Like many of you, we were shocked by the news.",
    "Tickets are available from the box office from Monday.",
    # The two known false errors: the writer's own act as the reason, and "our" before a
    # thing the writer runs.
    "The courier was late because we handed the parcel over a day late.",
    "Our platform lost some of your files, and we are restoring them now.",
    "The carrier was delayed because we shipped the parcel a day late.",
    "The bank declined the payment because we entered your card number incorrectly.",
    # A thing the writer runs, named as ours, is no other party.
    "Our hotel overbooked your room, and we have moved you to a suite at no charge.",
    "My shop sent the wrong item, so a replacement is on its way.",
)


@pytest.mark.parametrize(("text", "rule"), CAUGHT, ids=[c[0][:40] for c in CAUGHT])
def test_the_shape_is_caught(text: str, rule: str) -> None:
    assert rule in errors(text)


@pytest.mark.parametrize("text", PASSES, ids=[t[:40] for t in PASSES])
def test_the_near_miss_passes(text: str) -> None:
    """No error of the families the corpus measures."""
    assert not errors(text)


def test_an_outside_party_is_still_blamed_when_the_reason_is_not_ours() -> None:
    assert "blame.third_party" in errors("Our courier lost your parcel.")
    assert errors("The courier was late because we received a surge of orders.")
    assert "blame.third_party" in errors("The carrier lost your parcel as we shipped it on Monday.")
    assert "blame.verdict" in errors("Our partner hotel overbooked your room.")
