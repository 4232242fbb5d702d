"""Readings of stop 33, written after fresh35's false errors were read (15/95 blind before and
after stop 32's rules, with 4 false errors on 31 good items). Every wording here is the team's
own, never a corpus item's.

Precision first: four good letters drew errors. Three were ownership read too narrowly, as in
every blind batch before; one took a person's suffering for an excuse:

- the failure named with the writer as its maker after "by" ("a misunderstanding by us", "an
  error made by me"), not by someone else ("a misunderstanding by the courier");
- the writer's own act on the matter as the apology's object ("I apologise for minimising
  the remark", "sorry for misrepresenting your views"), not the reader's act thanked ("thank
  you for replying", which had counted as owning too);
- the failure judged wrong by the writer beside the feeling apologised for ("This should not
  have happened, and we apologise for the distress it has caused", "That was unacceptable");
- "the victim of" told of a person other than the writer ("her son was the victim of the
  assault, not its perpetrator") excuses no one; told of the writer or its company ("we were
  the victim of a cyber attack", "the company fell victim of a vendor breach") it still does.
"""

from __future__ import annotations

import pytest
from test_recall11_shapes import error_families, errors

STORM = " Due to the storm, the depot closed early."

PRECISION = (
    # The failure named with the writer as its maker.
    ("Our notice was based on a misunderstanding by us." + STORM, None),
    ("The wrong date was an error made by me." + STORM, None),
    ("There was a misunderstanding by the courier." + STORM, "blame"),
    ("It was not an error by us." + STORM, "blame"),
    # The writer's own act on the matter as what the apology is for.
    (
        "I apologise for downplaying the complaint, which the courier's delay had caused.",
        None,
    ),
    ("We are sorry for misrepresenting your views in the newsletter." + STORM, None),
    ("Thank you for replying so quickly." + STORM, "blame"),
    ("Thanks for minimising the fuss." + STORM, "blame"),
    # The failure judged wrong beside the feeling apologised for.
    (
        "A reminder went out twice to every member. That should never have happened, and we"
        " apologise for the worry it caused.",
        None,
    ),
    (
        "The wrong invoice was posted to you. That was unacceptable, and I am sorry for the"
        " upset it caused.",
        None,
    ),
    ("We are sorry for the upset this has caused.", "non_apology"),
    (
        "We are sorry for the upset this has caused. Some people read it the wrong way.",
        "non_apology",
    ),
    # "The victim of" told of a person other than the writer.
    (
        "We wrote that the man started the fight. He was in fact the victim of the assault,"
        " and we apologise to him.",
        None,
    ),
    ("Our story named the pupil wrongly: the pupil was the victim of the theft.", None),
    ("We were the victim of a cyber attack, so the site was down.", "blame"),
    ("The company fell victim of a vendor breach last night.", "blame"),
)


@pytest.mark.parametrize(("text", "family"), PRECISION)
def test_an_owned_failure_or_a_victim_is_read(text: str, family: str | None) -> None:
    """The good letter draws no non-apology or blame error; its near miss, told of someone
    else or with nothing owned, draws an error of the family."""
    assert (family in error_families(text)) if family else not errors(text), errors(text)
