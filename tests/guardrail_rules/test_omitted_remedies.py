"""An authorised remedy counts as offered only when the draft states what defines it: its
amount or its code. Naming the kind ("a refund") while dropping the £900 does not."""

from __future__ import annotations

import pytest

import guardrails
from contract.models import DraftRequest

CONTEXT = DraftRequest.model_validate(
    {
        "scenario": "campaign_misalignment",
        "audience": "client",
        "channel": "email",
        "tone": "professional",
        "recipient": {"name": "Sophie Marsh"},
        "sender": {"name": "Omar Reyes", "organization": "Brightline Agency"},
        "incident": {
            "summary": "The spring campaign ran nationally instead of to the briefed audience.",
            "reference": "BL-331",
        },
        "remedies": [
            {
                "kind": "refund",
                "description": "refund of the first week's agency fee",
                "amount": "£900",
                "status": "done",
            },
            {
                "kind": "discount",
                "description": "10% off the relaunch",
                "code": "SPRING10",
                "status": "offered",
            },
            {
                "kind": "service",
                "description": "a weekly review call until the relaunch",
                "status": "offered",
            },
        ],
    }
)

LETTER = (
    "Dear Sophie,\n\nWe are sorry that the spring campaign BL-331 reached a national audience "
    "instead of the one you briefed; this was our mistake. {refund} {discount} We would also "
    "like to offer you a weekly review call until the relaunch. We have added a sign-off step "
    "on targeting before any campaign goes live, to help prevent a repeat.\n\n"
    "Please reply to this email with any questions.\n\nThank you for your patience.\n\n"
    "Kind regards,\nOmar Reyes\nBrightline Agency"
)
REFUND = "We have refunded the first week's agency fee of £900."
DISCOUNT = "We would like to offer you 10% off the relaunch with the code SPRING10."


def _omitted(body: str) -> list[str]:
    report = guardrails.check(body, subject="Your campaign BL-331", context=CONTEXT)
    return [f.message for f in report.findings if f.rule == "commitments.omitted_remedy"]


@pytest.mark.parametrize(
    ("refund", "discount", "expected"),
    [
        (REFUND, DISCOUNT, []),
        ("We have refunded the first week's agency fee.", DISCOUNT, ["its amount £900"]),
        (REFUND, "We would like to offer you 10% off the relaunch.", ["its code SPRING10"]),
        ("We have refunded the fee in full.", "", ["its amount £900", "its code SPRING10"]),
    ],
)
def test_an_amount_or_code_must_be_stated(refund: str, discount: str, expected: list[str]) -> None:
    messages = _omitted(LETTER.format(refund=refund, discount=discount))
    assert len(messages) == len(expected)
    for message, detail in zip(messages, expected, strict=True):
        assert detail in message


def test_a_remedy_without_amount_or_code_is_still_matched_by_its_description() -> None:
    body = LETTER.format(refund=REFUND, discount=DISCOUNT).replace(
        "We would also like to offer you a weekly review call until the relaunch. ", ""
    )
    assert _omitted(body) == [
        "Leaves out an authorised remedy: a weekly review call until the relaunch."
    ]


def _rules(body: str, channel: str = "email") -> list[str]:
    context = CONTEXT.model_copy(update={"channel": channel})
    report = guardrails.check(body, subject="Your campaign", channel=channel, context=context)
    return [f.rule for f in report.errors]


def test_a_private_letter_must_name_the_callers_reference() -> None:
    body = LETTER.format(refund=REFUND, discount=DISCOUNT)
    assert "facts.omitted_reference" not in _rules(body)
    without = body.replace("campaign BL-331", "campaign")
    assert "facts.omitted_reference" in _rules(without)
    # A public reply must not carry it, and a text message may leave it out for room.
    assert "facts.omitted_reference" not in _rules("We're sorry. Please DM us.", "social")
    assert "facts.omitted_reference" not in _rules("Sorry, we refunded £900. Reply here.", "sms")


def test_a_remedy_promised_for_a_date_must_give_the_date() -> None:
    context = CONTEXT.model_copy(
        update={
            "remedies": [
                *CONTEXT.remedies[:2],
                CONTEXT.remedies[2].model_copy(update={"date": "30 September"}),
            ]
        }
    )
    body = LETTER.format(refund=REFUND, discount=DISCOUNT)
    report = guardrails.check(body, subject="Your campaign BL-331", context=context)
    omitted = [f for f in report.findings if f.rule == "commitments.omitted_remedy"]
    assert [f.message for f in omitted] == [
        "Leaves out the date of an authorised remedy, 30 September: a weekly review call "
        "until the relaunch."
    ]
    assert omitted[0].severity == "error" and omitted[0].fix is not None
    assert omitted[0].fix.fact == "remedy:2"
    for dated in ("until the relaunch, from 30 September", "until the relaunch from September 30"):
        with_date = body.replace("until the relaunch.", dated + ".")
        report = guardrails.check(with_date, subject="Your campaign BL-331", context=context)
        assert "commitments.omitted_remedy" not in [f.rule for f in report.findings], dated


def test_a_sentence_said_twice_is_an_error_whose_fix_removes_the_copy() -> None:
    body = LETTER.format(refund=REFUND, discount=DISCOUNT)
    twice = body.replace(REFUND, f"{REFUND} {REFUND.upper()}")
    report = guardrails.check(twice, subject="Your campaign BL-331", context=CONTEXT)
    [copy] = [f for f in report.errors if f.rule == "artefacts.repeated_sentence"]
    assert copy.excerpt == REFUND.upper()
    assert copy.fix is not None and copy.fix.action == "remove_sentence"
    # Short formulas may recur ("Thank you.") without being a repeated sentence.
    assert "artefacts.repeated_sentence" not in _rules(body + "\n\nThank you again.")


def test_a_callers_own_words_retold_twice_are_not_a_repeat() -> None:
    step = "We are adding a targeting sign-off before launch."
    step_given = {"description": "a targeting sign-off before launch"}
    context = DraftRequest.model_validate(
        CONTEXT.model_dump() | {"prevention": [step_given, step_given]}
    )
    body = LETTER.format(refund=REFUND, discount=f"{DISCOUNT} {step} {step}")
    report = guardrails.check(body, subject="Your campaign BL-331", context=context)
    assert "artefacts.repeated_sentence" not in [f.rule for f in report.findings]


@pytest.mark.parametrize(
    ("amount", "said", "stated"),
    [
        ("2 tickets", "We would like to offer you two free tickets for any screening.", True),
        ("1 month", "I have credited a month of your desk membership.", True),
        ("1 month", "We have added 1 month to your plan.", True),
        ("3 months", "We would like to offer you two months of Pro.", False),
        ("1 month", "We would like to offer you a refund for the month.", False),
        ("1 trip", "We would like to offer you a free return trip on any route.", True),
        ("2 trips", "We would like to offer you a free return trip on any route.", False),
        ("1 month", "We would like to offer you a refund for the whole month.", False),
    ],
)
def test_a_counted_amount_may_be_stated_in_words(amount: str, said: str, stated: bool) -> None:
    context = CONTEXT.model_copy(
        update={
            "remedies": [
                CONTEXT.remedies[0].model_copy(
                    update={"kind": "other", "description": said, "amount": amount}
                )
            ]
        }
    )
    body = LETTER.format(refund=said, discount="")
    report = guardrails.check(body, subject="Your campaign BL-331", context=context)
    omitted = [f for f in report.findings if f.rule == "commitments.omitted_remedy"]
    assert (not omitted) is stated, omitted


def test_a_remedy_described_with_a_number_needs_the_number() -> None:
    call = CONTEXT.remedies[2].model_copy(
        update={"description": "a 30-minute weekly review call until the relaunch"}
    )
    context = CONTEXT.model_copy(update={"remedies": [*CONTEXT.remedies[:2], call]})
    body = LETTER.format(refund=REFUND, discount=DISCOUNT)
    report = guardrails.check(body, subject="Your campaign BL-331", context=context)
    omitted = [f for f in report.findings if f.rule == "commitments.omitted_remedy"]
    assert [f.fix.fact for f in omitted if f.fix] == ["remedy:2"]
    with_number = body.replace("a weekly review call", "a 30-minute weekly review call")
    report = guardrails.check(with_number, subject="Your campaign BL-331", context=context)
    assert "commitments.omitted_remedy" not in [f.rule for f in report.findings]


def test_a_bare_figure_stated_as_written_is_its_remedys_amount() -> None:
    """A remedy whose amount is a bare figure ("1,000") is stated where that figure stands
    beside it, even when another remedy's amount has the same value ("¥1000"); a letter
    that gives the figure only in the other remedy's sentence still leaves it out."""
    request = CONTEXT.model_copy(
        update={
            "remedies": [
                CONTEXT.remedies[1].model_copy(update={"code": None, "amount": "¥1000"}),
                CONTEXT.remedies[0].model_copy(
                    update={"kind": "credit", "description": "credit", "amount": "1,000"}
                ),
            ]
        }
    )
    offer = "We'd like to offer you 10% off the relaunch (¥1000)."
    for body, omitted in [
        (f"{offer} We'll add the credit (1,000) tomorrow.", False),
        (offer, True),
    ]:
        letter = LETTER.format(refund=body, discount="")
        report = guardrails.check(letter, subject="Your campaign BL-331", context=request)
        found = [f.message for f in report.findings if f.rule == "commitments.omitted_remedy"]
        assert bool(found) == omitted, (body, found)


def test_faster_delivery_names_an_expedite_remedy_beside_its_amount() -> None:
    """The composer's short name for an expedite remedy ("faster delivery £40") names it as
    "priority" or "express" do; the same figure beside no word for the remedy is still
    only the figure."""
    request = CONTEXT.model_copy(
        update={
            "remedies": [
                CONTEXT.remedies[0].model_copy(
                    update={
                        "kind": "expedite",
                        "description": "priority shipping on the corrected order",
                        "amount": "£40",
                    }
                )
            ]
        }
    )
    for said, omitted in [("Faster delivery £40, done.", False), ("It cost you £40.", True)]:
        letter = LETTER.format(refund=said, discount="")
        report = guardrails.check(letter, subject="Your campaign BL-331", context=request)
        found = [f.message for f in report.findings if f.rule == "commitments.omitted_remedy"]
        assert bool(found) == omitted, (said, found)
