"""Shapes found in the fifth real batch (corpus/real.yaml, split fresh5_tune), written here in
the team's own words: each shape is caught, and its near neighbour that owns the harm is not."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame")


def errors(text: str) -> list[str]:
    report = check(text, channel="email")
    return [f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Our boarding was held up as a result of last night's storms.", "blame.circumstances"),
        ("Flights ran late because of severe weather at the hub.", "blame.circumstances"),
        (
            "Two weather systems over the coast led to most of the cancellations.",
            "blame.circumstances",
        ),
        # The narrative form of blame.outside_cause reads the whole subject ("air traffic
        # control restrictions slowed"), and the shorter finding of the family nested in it
        # is dropped.
        ("Air traffic control restrictions slowed every departure.", "blame.outside_cause"),
        ("Our limited ability to reach the depot meant the van stayed put.", "blame.circumstances"),
        ("The breach bore the hallmarks of an organised group.", "blame.circumstances"),
        ("It was a highly sophisticated attack on our servers.", "blame.circumstances"),
        # The whole cause ("a third-party hosting failure") is blame.outside_cause's finding;
        # blame.third_party's shorter one inside it is dropped as nested.
        ("The outage was caused by a third-party hosting failure.", "blame.outside_cause"),
        ("Those calls were made well above my head.", "blame.staff"),
        ("When we checked on your table, you said everything was lovely.", "blame.customer"),
        (
            "Most importantly, the vast majority of members remained unaffected.",
            "non_apology.minimising",
        ),
        ("Only a handful of customers were affected by the fault.", "non_apology.minimising"),
        ("We apologise for the worry and stress this could cause.", "non_apology.reverse"),
        ("We are sorry about the current situation.", "non_apology.passive"),
        ("The crew could not board anyone due to thunderstorms overhead.", "blame.circumstances"),
        ("Opening hours are shorter due to ongoing renovations.", "blame.circumstances"),
        (
            "It depended on the capacity of the local council to grit the roads.",
            "blame.circumstances",
        ),
        ("Sadly the landlord refused to honour our lease for the hall.", "blame.third_party"),
        (
            "We were just as disappointed as everyone when we were told the news.",
            "blame.third_party",
        ),
        ("We regret that our post was taken as a dig at the team.", "non_apology.reverse"),
        ("We apologise for having to move your booking.", "non_apology.reverse"),
        ("We only ask that you look at this from our side as well.", "non_apology.intent"),
        ("Sorry, but your card details were wrong.", "non_apology.but"),
        ("Sorry, but we cannot accept responsibility for the courier.", "non_apology.but"),
        ("We are sorry for the delay, but we trust you understand.", "non_apology.but"),
    ],
)
def test_the_shape_is_an_error(text: str, rule: str) -> None:
    assert rule in errors(text)


@pytest.mark.parametrize(
    "text",
    [
        # The cause named, and owned.
        "The storm closed the runway, and we should have rebooked you far sooner than we did.",
        "We sent the wrong parcel; the mistake was ours, not the courier's.",
        # An upstream cause told as such, in a letter that owns its part (the session's
        # ownership policy): the same sentence alone is blame, pinned below.
        "We should have told you about the hold-up sooner. It came from a supply shortage "
        "brought on by floods at the mill.",
        "A small number of customers were affected, and you were one of them; we are sorry.",
        "We are sorry for the frustration our late delivery caused.",
        "We cancelled the concert ourselves, and we are sorry; the hall was ours to book.",
        "We are sorry that we moved your booking without asking you first.",
        # "Sorry, but" with a remedy, an offer of help or a gap in what we know after it.
        "Sorry, but we'll have a replacement with you by Friday.",
        "Sorry, but I'll sort this out for you right now.",
        "Sorry but we could not find a booking under that name; could you send the reference?",
        "We apologise but aren't sure which order you mean; could you DM us the number?",
        "Apologies for the wait, but please reply with your postcode and we will check.",
    ],
)
def test_the_owning_neighbour_is_not(text: str) -> None:
    assert errors(text) == []


def test_an_upstream_cause_alone_is_blame_and_beside_ownership_is_not() -> None:
    """The ownership policy: with nothing owned, the passive "brought on by floods" puts the
    cause outside like the subject form does; a letter that owns its part may explain it."""
    alone = "The hold-up came from a supply shortage brought on by floods at the mill."
    assert "blame.outside_cause" in errors(alone)
    owned = "I am sorry: we should have warned you before you paid. " + alone
    assert errors(owned) == []
