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
