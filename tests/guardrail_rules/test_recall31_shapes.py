"""Readings of stop 31, written after fresh33 was read (14/61 blind before and after stop 30's
rules, with 4 false errors on 30 good items). Every wording here is the team's own, never a
corpus item's.

Precision first: four good letters drew errors because the reading missed what the writer
owned, or took the harm itself for a cause:

- a failing of the organisation's own running ("a lack of senior oversight", "our lack of
  planning") and our own way of working judged by its fault ("our overly strict checks") own
  the failure, so what follows is not an excuse;
- what matters more told as the writer's own admission ("the most important thing is that I
  accept I should not have") sets nothing aside;
- the writer's own causing of a feeling ("our regret for causing worry") beside a failure
  owned in the same or the sentence before is that failure's effect;
- the wait is the harm itself, as a delay is ("affected by the queues").
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

PRECISION = (
    # A failing of the organisation's own running owns the failure.
    (
        "A lack of senior oversight meant the complaints went unanswered for months. We know"
        " that due to the trust’s conduct some families will never trust the trust again.",
        None,
    ),
    ("Our lack of planning meant the queues went on for hours.", None),
    (
        "We understand that due to the contractor’s behaviour some residents will never trust"
        " the scheme again.",
        "blame",
    ),
    # What matters more told as the writer's own admission.
    (
        "However, the most important thing is that I accept I should not have signed the"
        " letter. I was wrong.",
        None,
    ),
    ("However, the most important thing is that the results are correct.", "non_apology"),
    # The writer's own causing of a feeling, beside a failure owned.
    (
        "We apologise to guests affected by our overly strict booking checks, and we regret"
        " causing them worry.",
        None,
    ),
    ("We regret causing our guests worry.", "non_apology"),
    ("Our poor drivers were stuck for hours due to the snow.", "blame"),
    # The wait is the harm itself.
    ("I apologise to every visitor who was held up by the queues this morning.", None),
    ("I apologise to every visitor who was held up by the storm this morning.", "blame"),
)


@pytest.mark.parametrize(("text", "family"), PRECISION)
def test_what_the_writer_owns_is_read(text: str, family: str | None) -> None:
    """A good letter draws no non-apology or blame error; a near miss with nothing owned
    still draws one of the family."""
    families = {rule.split(".")[0] for rule in errors(text)}
    assert family in families if family else not families, families
