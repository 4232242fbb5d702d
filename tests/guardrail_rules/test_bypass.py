"""Wordings that once talked their way past the guardrails: each, added to a letter that
otherwise passes, must draw an error, and the error must cover the offending words."""

from __future__ import annotations

import pytest
from guardrail_corpus import build_context

from contract.models import DraftRequest
from guardrails import check

LETTER = (
    "Dear Dana,\n\nWe're sorry that your winter jacket (order NW-48213) arrived nine days late "
    "and missed your hiking trip. A sorting fault at our regional warehouse held it up, and "
    "we take full responsibility for the delay. We have refunded the $14.95 express shipping "
    "fee, and we would like to offer you 15% off your next order with the code SORRY15. "
    "{extra} We have added a second barcode scan at the sorting step to help prevent this "
    "from happening again.\n\nReply to this email if there is anything else we can do. Thank "
    "you for your patience.\n\nWarm regards,\nPriya Natarajan\nNorthwind Outfitters"
)
SUBJECT = "Your order NW-48213"

# (sentence added to the letter, words an error must cover)
COMMITMENTS = [
    ("We will also send you five hundred dollars.", "five hundred dollars"),
    ("We will give you a full refund.", "full"),
    ("We will refund the full price of your order.", "full"),
    ("We will send you a brand-new jacket free of charge.", "free"),
    ("We will reimburse the cost of your trip.", "cost of"),
    ("We will compensate you for your losses.", "compensate"),
    ("You also get free shipping for life.", "free"),
    ("We are adding 500$ to your account.", "500$"),
    ("Here are 500 bucks for your trouble.", "500 bucks"),
    ("We will credit ¥50000 to your card.", "¥50000"),
    ("We will pay you CHF 500.", "CHF 500"),
    ("We will pay you ₹500.", "₹500"),
    ("Enjoy fifty percent off your next order.", "fifty percent"),
    ("Enjoy half off your next order.", "half off"),
    ("Use the code FREEJACKET at checkout.", "FREEJACKET"),
    ("We will also add 500 points to your account.", "500 points"),
    ("We will pay you $ 500 by Friday.", "$ 500"),
    ("We will pay you US$500.", "US$500"),
    ("We will pay you 500 euros.", "500 euros"),
    ("Enjoy twenty-five percent off.", "twenty-five percent"),
    # Goods and services offered without a figure or a remedy word.
    ("We'll send you a brand-new jacket.", "brand-new jacket"),
    ("We will send you a new jacket.", "new jacket"),
    ("You will get a new jacket from us.", "new jacket"),
    ("A brand-new jacket is on its way to you.", "brand-new jacket"),
    ("We will send you a second jacket as a gift.", "as a gift"),
    ("We'll upgrade your jacket to the premium model.", "upgrade your"),
    ("We will cover the cost of your trip.", "cover the cost"),
    ("We'll also waive your next delivery charge.", "waive"),
    ("A new pair of gloves is yours, on us.", "on us"),
    ("Your next five deliveries are on the house.", "on the house"),
    ("We will send a new pair at our expense.", "at our expense"),
    # An authorised refund does not authorise paying for something else.
    ("We'll pay for the repairs.", "pay for the repairs"),
    # A full refund in other words.
    ("You'll get your money back.", "money back"),
    ("We will reimburse every penny.", "every penny"),
]


@pytest.mark.parametrize(("sentence", "covered"), COMMITMENTS, ids=[c[0] for c in COMMITMENTS])
def test_unauthorised_commitments_draw_an_error(
    sentence: str, covered: str, jacket: DraftRequest
) -> None:
    body = LETTER.format(extra=sentence)
    report = check(body, subject=SUBJECT, context=jacket)
    at = body.index(sentence) + sentence.index(covered)
    assert any(
        f.rule.startswith("commitments") and f.start <= at and at + len(covered) <= f.end
        for f in report.errors
    ), [(f.rule, f.excerpt) for f in report.errors]


def test_the_benchmark_letter_passes_without_additions(jacket: DraftRequest) -> None:
    report = check(LETTER.format(extra=""), subject=SUBJECT, context=jacket)
    assert report.passed, [(f.rule, f.excerpt) for f in report.errors]


def test_an_incident_figure_may_be_restated_but_not_promised() -> None:
    context = build_context("jacket")
    assert context is not None
    told = context.model_copy(
        update={
            "incident": context.incident.model_copy(
                update={"impact": "the customer says an agent promised them $500"}
            )
        }
    )
    restated = check("You told us an agent had mentioned $500 to you.", channel="sms", context=told)
    promised = check("We will refund you $500.", channel="sms", context=told)
    assert not any(f.rule == "commitments.unsupported_fact" for f in restated.findings)
    assert any(
        f.rule == "commitments.unsupported_fact" and f.excerpt == "$500" for f in promised.errors
    )


# (text with hidden characters or accents, rule family, words an error must cover)
DISGUISED = [
    ("This will n\u200bever happen again.", "guarantee", "n\u200bever happen again"),
    ("We were neglig\u00e9nt with your order.", "liability", "neglig\u00e9nt"),
    ("The c\u200bourier is to blame.", "blame", "c\u200bourier is to blame"),
    ("We were ne\u0301gligent with your order.", "liability", "ne\u0301gligent"),
    ("This will never happen again\u00ad.", "guarantee", "never happen again"),
    ("We will refund \uff15\uff10\uff10 dollars.", "commitments", "\uff15\uff10\uff10 dollars"),
]


@pytest.mark.parametrize(("text", "family", "covered"), DISGUISED, ids=[d[2] for d in DISGUISED])
def test_hidden_characters_and_accents_do_not_defeat_the_rules(
    text: str, family: str, covered: str, jacket: DraftRequest
) -> None:
    report = check(text, channel="sms", context=jacket)
    at = text.index(covered)
    hits = [f for f in report.errors if f.rule.split(".")[0] == family]
    assert any(f.start <= at and at + len(covered) <= f.end for f in hits), [
        (f.rule, f.start, f.end, f.excerpt) for f in report.findings
    ]
    for f in report.findings:
        assert f.excerpt == text[f.start : f.end]


@pytest.mark.parametrize(
    "sentence",
    [
        "We will ensure this does not happen again.",
        "We will make sure it does not happen again.",
        "We will make certain this never happens again.",
        "We'll see to it that this doesn't happen again.",
        "We will guarantee it won't happen again.",
        "We promise this will not happen again.",
    ],
)
def test_one_guarantee_in_every_wording(sentence: str) -> None:
    report = check(sentence, channel="sms")
    assert any(f.rule == "guarantee.absolute" for f in report.errors), [
        (f.rule, f.excerpt) for f in report.findings
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "To ensure this does not happen again, every parcel is now scanned twice.",
        "To make sure it doesn't happen again, every parcel is now scanned twice.",
        "To make certain this does not recur, every parcel is now scanned twice.",
    ],
)
def test_the_aim_of_a_change_is_not_a_guarantee_in_any_wording(sentence: str) -> None:
    report = check(sentence, channel="sms")
    assert not any(f.rule == "guarantee.absolute" for f in report.findings)


def test_paying_for_what_a_remedy_names_is_authorised(jacket: DraftRequest) -> None:
    """ "We'll pay for ..." is an offer of its own unless an authorised remedy names what is
    paid for: the repairs a `service` remedy authorises may be promised in those words."""
    repairs = {"kind": "service", "description": "the repairs to your porch", "status": "offered"}
    data = jacket.model_dump()
    context = DraftRequest.model_validate(data | {"remedies": [*data["remedies"], repairs]})
    body = LETTER.format(extra="We'll pay for the repairs to your porch.")
    report = check(body, subject=SUBJECT, context=context)
    assert report.passed, [(f.rule, f.excerpt) for f in report.errors]
    body = LETTER.format(extra="We'll pay for a new fence.")
    report = check(body, subject=SUBJECT, context=context)
    unauthorised = [f.excerpt for f in report.errors if f.rule == "commitments.unauthorised_remedy"]
    assert unauthorised == ["pay for a new fence"]
