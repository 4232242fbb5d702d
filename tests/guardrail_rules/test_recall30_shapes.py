"""Readings of stop 30, written after fresh32 was read (10/43 blind before stop 29's rules,
11/43 after, with 3 false errors on 29 good items). Every wording here is the team's own,
never a corpus item's.

Precision first: three good letters drew errors because the reading missed what the writer
owned or what a feeling pointed back to:

- the writer's own act done by mistake ("I opened it by mistake", "we charged you twice in
  error") owns it, so a defence after it is not the message's excuse;
- our own preparation told as not enough ("our planning did not go far enough", "our
  response was inadequate") owns the failure, so an event named as the trigger is not blame;
- "I know this is disappointing and I apologise" after what the writer could not do ("we
  have not been able to trace it") points back to that, not to a situation with no one in it.
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import errors

PRECISION = (
    # The writer's own act done by mistake owns it: a defence after it is no excuse.
    ("I moved your booking to Friday by mistake, and that was not my purpose at all.", None),
    ("We charged you twice in error; the system was simply busy that day.", None),
    ("We accidentally cancelled your table, and it was never our aim to bother you.", None),
    # Not when the mistake was done to us, or the reader's act is supposed.
    ("We were moved to Friday by mistake, and that was not our purpose at all.", "non_apology"),
    ("I think you sent it to us by mistake, and that was not our purpose.", "non_apology"),
    # Our own preparation told as not enough owns the failure.
    (
        "The opening-day rush led to long queues at the gate. Our planning for the day did not"
        " go far enough.",
        None,
    ),
    (
        "The storm led to three days without power; our response was inadequate and we are sorry.",
        None,
    ),
    ("The storm led to three days without power across the town.", "blame"),
    # A feeling that points back to what the writer could not do.
    (
        "We have not been able to trace your parcel. I know this is frustrating and I am sorry.",
        None,
    ),
    (
        "We were unable to find the cause of the fault. We know it is disappointing and we"
        " apologise.",
        None,
    ),
    ("I know this is frustrating and I apologise.", "non_apology"),
    (
        "The courier closed the depot. I know it is disappointing and I apologise.",
        "non_apology",
    ),
)


@pytest.mark.parametrize(("text", "family"), PRECISION)
def test_what_the_writer_owns_or_could_not_do_is_read(text: str, family: str | None) -> None:
    """A good letter draws no non-apology or blame error; a near miss with nothing owned
    still draws one of the family."""
    found = errors(text)
    if family is None:
        assert not found, found
    else:
        assert any(rule.startswith(family + ".") for rule in found), found
