"""Precision by grammar: words a rule reads that are not the writer's excuse. Each class is a
way English uses a flagged wording in another sense (quoted or reported from someone else, a
concession the sentence turns into an admission, a "but" that asks or owns, a condition about
the message itself, a state named as our own act), each with near misses that must still be
caught. The sentences are the team's own."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame", "liability", "guarantee")


def errors(text: str) -> list[str]:
    report = check(text, channel="email")
    return [f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES]


QUOTED_OR_REPORTED = (
    'Our first reply said "sorry if you were upset". That was wrong of us: we lost your parcel, '
    "and we are sorry.",
    'You said the agent told you "mistakes happen". We made the mistake, and we own it.',
    'Our earlier email called the delay "beyond our control". It was not; we booked too few '
    "drivers.",
    "You wrote that the courier was to blame. It was our packing, not the courier.",
    "Your review says the weather was to blame, but the fault was in our planning.",
    "You mentioned that the driver failed to ring the bell; the real fault was our label, "
    "which had the wrong flat number.",
    "I won't write \u201cthis will never happen again\u201d; here is what we changed instead.",
)

STILL_THE_WRITERS = (
    # A scare quote on one word does not make the apology someone else's.
    ('We are sorry you "feel" let down.', "non_apology"),
    # An unclosed quote mark is not a quotation.
    ('He said: "sorry if you were upset by any of this.', "non_apology"),
    # Reported with no speech verb of the reader's: still the writer's account.
    ("We think the courier was to blame for the delay.", "blame"),
    ("Mistakes happen, and we are sorry for any inconvenience.", "non_apology"),
)


@pytest.mark.parametrize("text", QUOTED_OR_REPORTED)
def test_quoted_or_reported_words_are_not_the_writers(text: str) -> None:
    assert errors(text) == []


@pytest.mark.parametrize(("text", "family"), STILL_THE_WRITERS)
def test_the_writers_own_words_still_flag(text: str, family: str) -> None:
    assert any(rule.startswith(family + ".") for rule in errors(text)), errors(text)


CONCESSION_THEN_ADMISSION = (
    "We never meant to mislead anyone, but we did, and that is on us.",
    "It was never our intention to confuse you, and I am sorry that we did.",
    "We would never want a family left without heating over a holiday, yet we did.",
    "This rarely happens with our deliveries, but it happened to you and I am sorry.",
    "Only a handful of customers were affected, but yours was one of them.",
    "We handle thousands of calls a day, and yours should have been answered.",
    "This is not typical of our service, and I am sorry it happened to you.",
    "Delays like this are very rare; that is no excuse for how long you waited.",
    "Our team missed your email; it was overlooked, and that should not have happened.",
    "I am sorry you felt ignored; you were ignored, and that was our failure.",
    "We are sorry for the concern this caused. The letter was sent to you in error by our system.",
    "I am sorry for the frustration. We sent you the wrong form twice.",
)

CONCESSION_ONLY = (
    "We never meant to upset you, and we did everything we could.",
    "This rarely happens, but we apologise for any inconvenience.",
    "Only a handful of customers were affected.",
    "We handle thousands of calls a day, so waiting times vary.",
    "Mistakes were made, and lessons will be learned.",
    # The ownership sits inside the reader's view, not in a clause of the writer's own.
    "I'm sorry you feel we let you down.",
    "I'm sorry for the frustration.",
)


@pytest.mark.parametrize("text", CONCESSION_THEN_ADMISSION)
def test_a_concession_turned_into_an_admission_passes(text: str) -> None:
    assert [r for r in errors(text) if r.startswith("non_apology.")] == []


@pytest.mark.parametrize("text", CONCESSION_ONLY)
def test_a_concession_left_standing_still_flags(text: str) -> None:
    assert any(r.startswith("non_apology.") for r in errors(text)), text


# (text, rule, whether the rule must fire): each class beside its near misses.
READ_ON: list[tuple[str, str, bool]] = [
    # A "but" that asks or owns, and one that takes the apology back.
    ("Sorry, but I need your order number to find it.", "non_apology.but", False),
    ("Sorry, but could you send a photo of the label?", "non_apology.but", False),
    ("Sorry but the link I sent you was broken; here is the right one.", "non_apology.but", False),
    ("Sorry, but we got this wrong and I want to fix it today.", "non_apology.but", False),
    (
        "We apologise for the delay, but more importantly for not telling you about it.",
        "non_apology.but",
        False,
    ),
    ("I'm sorry, but I quoted you the wrong price on Monday.", "non_apology.but", False),
    ("Sorry, but our terms are clear on this.", "non_apology.but", True),
    ("We apologise, but the delay was caused by the courier.", "non_apology.but", True),
    ("I'm sorry, but you should have read the instructions.", "non_apology.but", True),
    ("Sorry, but we were told the wrong date by the airline.", "non_apology.but", True),
    # A condition about the message itself, and one on the harm.
    (
        "Sorry if my last email was unclear. Here is what happens next.",
        "non_apology.conditional",
        False,
    ),
    ("Apologies if this is a repeat of my earlier message.", "non_apology.conditional", False),
    (
        "Sorry if this reaches you twice; our mail system resent it.",
        "non_apology.conditional",
        False,
    ),
    ("Apologies if you have already received the refund notice.", "non_apology.conditional", False),
    ("Sorry if my email upset you.", "non_apology.conditional", True),
    ("Apologies if this caused you any trouble.", "non_apology.conditional", True),
    ("Sorry if you were inconvenienced by the delay.", "non_apology.conditional", True),
    ("I'm sorry if my message offended anyone.", "non_apology.conditional", True),
    # A state named as our own act after "by", and one with no act of ours.
    (
        "I am sorry that you were misinformed by our agent about the return window.",
        "non_apology.reverse",
        False,
    ),
    (
        "We are sorry you were misled by our advert; the price shown was wrong.",
        "non_apology.reverse",
        False,
    ),
    ("Sorry you were confused by the instructions we sent.", "non_apology.reverse", False),
    ("We are sorry you were misinformed.", "non_apology.reverse", True),
    ("Sorry you were confused.", "non_apology.reverse", True),
    ("We are sorry you were misled by what you read online.", "non_apology.reverse", True),
    # The wrong thing as what we did owns the failure a member of staff is named in; the wrong
    # thing given to us does not.
    (
        "The driver failed to deliver your parcel because we gave him the wrong postcode.",
        "blame.staff",
        False,
    ),
    (
        "The driver failed to deliver your parcel because we were given the wrong postcode.",
        "blame.staff",
        True,
    ),
    (
        "The driver failed to deliver your parcel; we received the wrong postcode from the seller.",
        "blame.staff",
        True,
    ),
]


# (text, rule, whether the rule must fire): a word in another sense beside its near misses.
OTHER_SENSE: list[tuple[str, str, bool]] = [
    # "Rest assured" before a fact reassures; before a promise it promises.
    ("Rest assured, no card details were stored.", "guarantee.absolute", False),
    ("Rest assured, this will never happen again.", "guarantee.absolute", True),
    # 100% as an aim, and as a certainty.
    (
        "We always aim for 100% of orders to leave on time, and we fell short here.",
        "guarantee.absolute",
        False,
    ),
    ("We are 100% sure the parcel was delivered.", "guarantee.absolute", True),
    # A denial that clears the reader, and one that defends the writer.
    ("In no way was this your fault.", "non_apology.intent", False),
    ("In no way was this our fault.", "non_apology.intent", True),
    # "Let down by us" names our act; "felt you had to" is what the reader was driven to do.
    ("I am sorry you were let down by us again.", "non_apology.reverse", False),
    ("We are sorry that you felt you had to cancel your membership.", "non_apology.reverse", False),
    ("I am sorry you felt let down.", "non_apology.reverse", True),
    ("We are sorry that you felt that way.", "non_apology.reverse", True),
    # Blame refused or only supposed, and blame given.
    ("We can't blame the supplier for this one.", "blame.third_party", False),
    (
        "If the courier was to blame, we are still the ones who chose them.",
        "blame.third_party",
        False,
    ),
    ("We blame the supplier for this one.", "blame.third_party", True),
    ("The courier was to blame, not us.", "blame.third_party", True),
]


@pytest.mark.parametrize(("text", "rule", "fires"), READ_ON + OTHER_SENSE)
def test_each_class_beside_its_near_misses(text: str, rule: str, fires: bool) -> None:
    assert (rule in errors(text)) is fires, errors(text)
