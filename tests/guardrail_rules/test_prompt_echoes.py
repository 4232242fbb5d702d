"""The prompt's words said back to the reader, and an offer made to wait on the reader's word.

- `tone.cliche` (a warning salvage polishes): a lead-in that names the request's parts ("The
  cause of the issue was that ...", "Prevention steps have been taken to ensure that ...")
  goes and the next word takes the capital; a sentence that names the reference as a field
  ("The reference number for this order is HO-5521.") is said as the composer says it.
- `commitments.added_terms` (an error): "please confirm whether you are willing to accept this
  offer", when the request asks for no such thing: the sentence goes.

The letters are the catering request's of `test_model_wording.py`, worded for these tests.
"""

from __future__ import annotations

import pytest

from guardrails.letter_slips import ADDED_TERMS
from guardrails.model_wording import CLICHE
from tests.guardrail_rules.test_model_wording import (
    _AMENDS,
    LAUNCH,
    _found,
    _letter,
    _request,
    _salvaged,
)

VAN = _request(cause="our van left the depot late")


@pytest.mark.parametrize(
    ("middle", "after"),
    [
        (
            "The cause of the delay was that our van left the depot late.",
            "Our van left the depot late.",
        ),
        (
            "The root cause of this issue is that our van left the depot late.",
            "Our van left the depot late.",
        ),
    ],
)
def test_a_lead_in_naming_the_cause_as_a_field_goes(middle: str, after: str) -> None:
    body = _letter(middle)
    assert _found(body, CLICHE, VAN) == [middle[: -len(after) + 1]]
    fixed, report = _salvaged(body, VAN)
    assert report.passed, [f.rule for f in report.errors]
    assert after in fixed and middle not in fixed


def test_a_lead_in_naming_the_prevention_steps_goes() -> None:
    amends = (
        "We've refunded the delivery charge of £45. Prevention steps have been taken to "
        "ensure that every event order now leaves the kitchen two hours early."
    )
    assert _found(_letter("", amends), CLICHE)
    fixed, report = _salvaged(_letter("", amends))
    assert report.passed, [f.rule for f in report.errors]
    assert "Prevention steps" not in fixed
    assert fixed.count("every event order now leaves the kitchen two hours early") == 1


def test_the_reference_named_as_a_field_is_said_as_the_composer_says_it() -> None:
    echo = "The reference number for this order is HO-5521."
    # The letter names it already: the echo goes.
    body = _letter(echo)
    assert echo in _found(body, CLICHE)
    fixed, report = _salvaged(body)
    assert report.passed and echo not in fixed
    assert fixed.count("HO-5521") == 1
    # The only mention: said as the composer says it.
    body = body.replace("This is about your order HO-5521. ", "")
    fixed, report = _salvaged(body)
    assert report.passed and echo not in fixed
    assert fixed.count("HO-5521") == 1 and "about reference HO-5521." in fixed


@pytest.mark.parametrize(
    "middle",
    [
        # Not a field named back: the cause told in the letter's own words, a reference
        # quoted inside a longer sentence.
        "The delay was caused by our van leaving the depot late.",
        "Your order HO-5521 is the one we mean here.",
        "The cause was simple: our van left late.",
    ],
)
def test_wordings_that_echo_no_field_are_left(middle: str) -> None:
    assert not [e for e in _found(_letter(middle), CLICHE) if middle[:12] in e]


@pytest.mark.parametrize(
    "middle",
    [
        "Please confirm whether you are willing to accept this offer.",
        "Let us know if you would like to take up the offer and we will arrange it.",
    ],
)
def test_an_offer_made_to_wait_on_the_readers_word_goes(middle: str) -> None:
    body = _letter("", _AMENDS + " " + middle)
    assert _found(body, ADDED_TERMS)
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert middle not in fixed and "£45" in fixed


def test_the_branches_after_a_condition_go_with_it() -> None:
    # Qwen2.5-Coder's shape on the dental request: after the condition went, "If so, please
    # reply." was left pointing at nothing and "Otherwise, ..." offered what nobody gave.
    middle = (
        "Please confirm whether you are willing to accept this offer. If so, please reply to "
        "this email. Otherwise, I will be happy to book another time for you."
    )
    body = _letter("", _AMENDS + " " + middle)
    assert len(_found(body, ADDED_TERMS)) == 3
    fixed, report = _salvaged(body)
    assert report.passed, [f.rule for f in report.errors]
    assert "If so" not in fixed and "Otherwise" not in fixed and "another time" not in fixed
    assert "£45" in fixed


def test_an_acceptance_the_request_asks_for_is_left() -> None:
    remedy = LAUNCH.remedies[0].model_copy(
        update={"description": "refund of the delivery charge once you accept the offer"}
    )
    request = LAUNCH.model_copy(update={"remedies": [remedy]})
    body = _letter(
        "",
        "We will refund the delivery charge of £45. Please confirm whether "
        "you are willing to accept this offer.",
    )
    assert not _found(body, ADDED_TERMS, request)
