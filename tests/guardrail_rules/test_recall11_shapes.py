"""Shapes read from the misses and false errors of the fresh20 batch (tests/data/
real_fresh20.yaml), written here in the team's own words with their near misses: an intent
defence decided by its tense and object, a feeling alone as the apology's object, the upset
addressed first, the writer's own name as the one without control, the reader as the cause,
another party's failing as what the apology is for, blame inside an open condition, and the
elements in more of their real wordings."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame", "placeholder")


def errors(text: str) -> set[str]:
    report = check(text, channel="email")
    return {f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES}


def error_families(text: str) -> set[str]:
    """The families of the errors `errors` finds ("blame", "non_apology")."""
    return {rule.split(".")[0] for rule in errors(text)}


def elements(text: str) -> set[str]:
    report = check(text, channel="email")
    return {e.element for e in report.elements if e.present}


CAUGHT = (
    # An intent defence in the past, whatever its subject or number.
    ("The bakery had no intentions of causing offence with the window sign.", "non_apology.intent"),
    ("We had absolutely no intention of upsetting anyone.", "non_apology.intent"),
    ("We have no intention whatsoever of offending our regulars.", "non_apology.intent"),
    # A feeling alone as the object, with a bare participle after it.
    ("We are sorry for the distress caused.", "non_apology.reverse"),
    # Those upset addressed first, the apology after a comma or a dash.
    (
        "To any parents who were offended by our poster – we would like to offer our apologies.",
        "non_apology.reverse",
    ),
    ("To all the fans who felt hurt by the post, we are sorry.", "non_apology.reverse"),
    # The writer named in the third person as the one without control.
    ("The delays were deeply regrettable but beyond Northwind's control.", "blame.circumstances"),
    ("These storms are outside of the airline's control.", "blame.circumstances"),
    # The reader as the cause: a reason clause with the reader failing, or a judgement.
    ("You missed the slot because you didn't read the confirmation.", "blame.customer"),
    ("The table went to others because y'all couldn't turn up on time.", "blame.customer"),
    ("That was very unfair and petty of you.", "blame.customer"),
    # Another party's failing as what the apology is for, in a message that owns nothing.
    ("We apologise for the courier's carelessness.", "blame.outside_cause"),
    ("Sorry, truly, for their negligence on the day.", "blame.outside_cause"),
    # Another party late, with a longer description between.
    ("Our suppliers of fabric and thread were late again this month.", "blame.outside_cause"),
    # Read from fresh21: the regret told as the situation's quality, the extent shrunk inside
    # the apology, the harm weighed against a bigger one, the failure recast as proof, staff
    # acting alone, the reader's conduct put forward, the reader's choice from our records.
    ("It was an unfortunate situation for everyone involved.", "non_apology.unowned"),
    ("We apologise that the site was down for a brief period on Monday.", "non_apology.minimising"),
    ("Cancelling would have upset far more guests than it helped.", "non_apology.justification"),
    ("The alarms are proof that our sensors are working as designed.", "non_apology.justification"),
    ("The waiter took it upon himself to add the charge.", "blame.staff"),
    ("The order was changed without the store's knowledge.", "blame.staff"),
    ("We are not condoning the customer's language on the phone.", "blame.customer"),
    ("Our records show that you declined the insurance.", "blame.disputes_account"),
    # Read from fresh22: a failure made with no maker.
    ("We accept that errors were made in how your claim was handled.", "non_apology.passive"),
    # A counterfactual condition still blames; so does a consequent that judges the reader.
    ("If you had checked the size chart, this would not have happened.", "blame.customer"),
    ("If you are unhappy with that, next time you can report the fault earlier.", "blame.customer"),
    # The denial told as a kind of act (a model's letter to a colleague).
    ("I understand that this was not a planned action, but it matters.", "non_apology.intent"),
    ("It wasn't a deliberate decision to close your ticket.", "non_apology.intent"),
)


@pytest.mark.parametrize(("text", "rule"), CAUGHT, ids=[c[0][:40] for c in CAUGHT])
def test_the_shape_is_caught(text: str, rule: str) -> None:
    assert rule in errors(text)


PASSES = (
    # A promise about what comes next is not an intent defence.
    "We have no intention of charging you for the missed month.",
    "Our team has no intention of closing your account.",
    # The generic wording is a warning, not an error.
    "Sorry for any inconvenience that may have been caused.",
    # A feeling with its cause named is an apology for the cause.
    "Sorry for the frustration caused by our late delivery.",
    # A policy in an open condition, and its outcome.
    "If the delivery address was entered incorrectly, we are not responsible for the loss.",
    "Should the carrier fail to deliver by Friday, we will refund you in full.",
    # The reader's situation as the reason for our action, and kindness of the reader.
    "Because you didn't receive the parcel, we have sent another one today.",
    "It was very kind of you to write to us about the delay.",
    # Our own late reply, and another party's failing owned as ours to fix.
    "We are sorry for our late reply.",
    "We chose the courier, so their mistake is ours: we are sorry and have resent your order.",
    # A possible cause in general is not this failure's cause; an owned failure with a
    # short duration reported is not minimising; our own system named as having worked.
    "Orders can be late when the kitchen might be handling a large number of orders.",
    "The outage lasted a short period, and that was our failure: we are sorry.",
    "We took it upon ourselves to check every order again.",
    # A mistake with its maker named as us; a right reserved in the terms.
    "A mistake was made by us, and we are sorry.",
    "We reserve the right to move the tour date for circumstances beyond our control.",
    # A fact about the work, not a defence of intent.
    "The outage was not a planned maintenance window, and we are sorry.",
    # The reader's control, not the writer's.
    "Missing a connection for reasons outside the passenger's control is covered.",
)


@pytest.mark.parametrize("text", PASSES, ids=[t[:40] for t in PASSES])
def test_the_near_miss_passes(text: str) -> None:
    assert not errors(text)


FOUND = (
    ("We have let a great many of our customers down.", "responsibility"),
    ("Our backup system failed, and it should not have.", "responsibility"),
    ("We have not been able to provide the service you pay for.", "responsibility"),
    ("This should have been fixed sooner.", "responsibility"),
    ("We stuffed it up and we are sorry.", "responsibility"),
    ("This letter is me owning up to the mistake.", "responsibility"),
    ("I feel real remorse for what I wrote.", "regret"),
    ("The refund is taking longer than expected.", "acknowledgment"),
    ("This leak has had a serious impact on you.", "acknowledgment"),
    ("We're sorry you haven't received your shipment.", "acknowledgment"),
    ("We will be introducing additional checks on every order.", "prevention"),
    ("We are adding a second check to ensure this doesn't happen again.", "prevention"),
    ("We posted something careless and hurtful yesterday.", "responsibility"),
    ("We let down a lot of our regulars this month.", "responsibility"),
    ("We fell well short of the standard we set ourselves.", "responsibility"),
    ("This was a mistake, and the refund is on its way.", "responsibility"),
    ("We are sorry for having charged you the wrong fee.", "responsibility"),
    ("The move was not handled as well as it should have been.", "responsibility"),
    ("We are reassessing our supplier checks after this.", "prevention"),
)


@pytest.mark.parametrize(("text", "element"), FOUND, ids=[f[0][:40] for f in FOUND])
def test_the_element_is_found(text: str, element: str) -> None:
    assert element in elements(text)


def test_a_negated_or_hedged_element_is_not_found() -> None:
    assert "responsibility" not in elements("We don't believe our backup system failed.")
    assert "responsibility" not in elements("If this was a mistake, please tell us.")
    assert "responsibility" not in elements("It was a mistake by the courier.")
    assert "regret" not in elements("We feel no remorse at all.")


def test_an_apology_offered_is_not_amends() -> None:
    """ "We'd like to offer our sincere apologies" offers regret, not amends; an offer of
    something to the reader still is amends."""
    assert "amends" not in elements("We would like to offer our sincere apologies.")
    assert "amends" not in elements("We would like to offer our condolences to your family.")
    assert "amends" in elements("We would like to offer you a voucher for your next stay.")
