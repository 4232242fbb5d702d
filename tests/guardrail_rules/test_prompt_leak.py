"""Scaffolding a small model copies from its instructions into the letter: the letter talking
about its own form, and the instructions' numbered list. Seen in SmolLM2's plain-text answers
("This apology is in plain text, no special formatting. ... 2. Take responsibility and state
that you made a mistake ...; 3. 4. 5. 6."); a letter's own figures and lists pass."""

from __future__ import annotations

import pytest

from guardrails import check

LEAK = "artefacts.prompt_leak"


def _leaks(body: str) -> list[str]:
    return [f.excerpt for f in check(body, channel="sms").findings if f.rule == LEAK]


@pytest.mark.parametrize(
    "body",
    [
        "Ref FN-20577: This apology is in plain text. We are sorry your order was late.",
        "We are sorry. Here it is with no special formatting.",
        "We are sorry your parcel was late. 3. 4. 5. 6. We have refunded $5.",
        "We are sorry. 2. Take responsibility and state that you made a mistake.",
        "Sorry for the delay.\n1. Acknowledge the problem first.",
        # A review of a letter in place of one (SmolLM2's text message)
        "This is about FN-20577. The above apology is a clear and professional one.",
        "A few minor tweaks could be made to enhance the tone and clarity of your message.",
    ],
)
def test_copied_instructions_are_caught(body: str) -> None:
    assert _leaks(body), body


@pytest.mark.parametrize(
    "body",
    [
        "Your password was stored in plain text, and we are sorry.",
        "We have refunded $12.50. 2 items were missing.",
        "Version 1.2.3 fixed the bug. We are sorry it took 3 days.",
        "We will: 1. refund the fee, 2. resend the order.",
        "We take responsibility for the delay and we are sorry.",
        "As set out above, we are sorry. We will improve the tone of our reminders.",
    ],
)
def test_a_letters_own_figures_and_lists_pass(body: str) -> None:
    assert not _leaks(body), body
