"""Classes written from how English says them, not from corpus strings: each class in the
team's own varied wordings, with its near misses. Ownership comes first because it decides
whether an outside cause, another party's failure or a member of staff is an explanation
(owned) or an excuse (not owned)."""

from __future__ import annotations

import pytest

from guardrails import check

FAMILIES = ("non_apology", "blame", "placeholder")


def errors(text: str) -> list[str]:
    report = check(text, channel="email")
    return [f.rule for f in report.errors if f.rule.split(".")[0] in FAMILIES]


def owns_responsibility(text: str) -> bool:
    report = check(text, channel="email")
    return any(e.element == "responsibility" and e.present for e in report.elements)


OUTSIDE = (
    "Our payment vendor had an outage and your card was charged twice.",
    "Our logistics partner misrouted your order.",
    "The storm knocked out power at the data centre.",
    "Due to the carrier's delay your order arrived late.",
    "The supplier sent the wrong parts.",
)

OWNING = (
    "We should've checked them before they went out.",
    "We really ought to have caught it.",
    "We are ultimately responsible for getting it to you.",
    "We're fully accountable.",
    "Our team should have spotted it.",
    "We hold ourselves accountable for that.",
    "That's no excuse: our backups should have kept you online.",
    "We weren't prepared, and we didn't catch it quickly enough.",
    "We need to do better, and we will.",
    "We didn't catch the duplicate charge.",
    "We take ownership of what happened.",
    "We weren't good enough here.",
    "We simply did not plan for the holiday volume.",
    "We underestimated the holiday volume.",
    "This one is on our team.",
    "I take full ownership of this.",
    "We got this one wrong.",
    "We did not tell you in time, and we should have.",
    "We have not lived up to the standard you expect from us.",
    "We make no excuses for it.",
)


@pytest.mark.parametrize("cause", OUTSIDE)
@pytest.mark.parametrize("owning", OWNING)
def test_an_owned_outside_cause_is_an_explanation(cause: str, owning: str) -> None:
    text = f"{cause} {owning} We are sorry."
    assert owns_responsibility(text), text
    assert errors(text) == [], text


@pytest.mark.parametrize(
    "disowning",
    [
        "We did not make any mistake here.",
        "If we made a mistake, we will fix it.",
        "We are not responsible for carrier delays.",
        "We don't believe we made an error.",
        "We couldn't have done anything differently.",
        "We are not accountable for the courier.",
        "We should have an update by Friday.",
        "We never failed to ship on time.",
        "We would never take responsibility for another company's parcels.",
    ],
)
def test_a_denied_conditional_or_expected_ownership_owns_nothing(disowning: str) -> None:
    text = f"Due to the carrier's delay your order arrived late. {disowning}"
    assert not owns_responsibility(text), text
    assert any(rule.startswith("blame.") for rule in errors(text)), text
