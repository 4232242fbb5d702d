"""Fact gates: money by value, no figures of the draft's own; similarity alone is not enough."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contract.report import GuardrailReport
from eval.cases import load_cases
from eval.facts import check_facts, codes_in, mentions, money_in, unsupported_figures
from eval.metrics import gate_metrics, support_metrics
from eval.text_metrics import chrf, rouge_l

CASE = load_cases(only=["delayed_delivery"])[0]
GOOD = CASE.references[0]
PASSING = GuardrailReport(passed=True, elements=[], findings=[])


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("We refunded $14.95 today.", "$14.95", True),
        ("We refunded 14.95 USD today.", "$14.95", True),
        ("We refunded USD 14.95 today.", "$14.95", True),
        ("We refunded $14.9500 today.", "$14.95", True),
        ("We refunded €14.95 today.", "$14.95", False),
        ("We refunded $41.95 today.", "$14.95", False),
        ("A credit of $1,800 is yours.", "1,800 dollars", True),
        ("A credit of $1800 is yours.", "$1,800", True),
        ("Take 20 percent off.", "20%", True),
        ("Take 2% off.", "20%", False),
        ("Use SORRY150 at checkout.", "SORRY15", False),
        ("Use sorry15 at checkout.", "SORRY15", True),
        ("We added a second barcode scans step.", "barcode scan", True),
        ("The client signs off the brief.", "sign off", True),
        ("The client signed off the brief.", "sign off", True),
        ("The client's sign-off comes first.", "sign off", False),
        ("Every parcel is scanned out.", "scan", True),
        ("Hi Danae,", "Dana", True),
        ("Hi Ordana,", "Dana", False),
        ("We won’t let it slip", "won't let", True),
    ],
)
def test_mentions(text: str, needle: str, expected: bool) -> None:
    assert mentions(text, needle) is expected


def test_money_and_codes_are_extracted() -> None:
    assert money_in("$8.50, 8.5 USD and £1,150") == [
        ("USD", Decimal("8.5")),
        ("USD", Decimal("8.5")),
        ("GBP", Decimal("1150")),
    ]
    assert codes_in("Use code TRAIN20 on FL-20931, or code WELCOME; B2B is fine") == [
        "FL-20931",
        "TRAIN20",
        "WELCOME",
    ]


def test_the_reference_itself_is_faithful() -> None:
    result = check_facts(GOOD, CASE.facts, CASE.request)
    assert (result.missing, result.forbidden, result.unsupported) == ([], [], [])
    assert result.stated == result.required == len(CASE.facts.must_state)


def test_a_wrong_amount_and_an_unauthorised_code_fail_the_gates_while_similarity_barely_moves() -> (
    None
):
    wrong = GOOD.replace("$8.50", "$18.50").replace("TRAIN20", "TRAIN50")
    assert wrong != GOOD

    gates = {m.name: m for m in gate_metrics(CASE, None, wrong, PASSING)}
    assert gates["fact_must_state"].status == "fail"
    assert "$8.50" in gates["fact_must_state"].detail
    assert "TRAIN20" in gates["fact_must_state"].detail
    assert gates["fact_unsupported"].status == "fail"
    assert "$18.50" in gates["fact_unsupported"].detail
    assert "TRAIN50" in gates["fact_unsupported"].detail

    references = [CASE.references[1]]  # score against the other reference, as a draft would be
    good_rouge, wrong_rouge = rouge_l(GOOD, references[0]), rouge_l(wrong, references[0])
    good_chrf, wrong_chrf = chrf(GOOD, references[0]), chrf(wrong, references[0])
    assert abs(good_rouge - wrong_rouge) < 0.02
    assert abs(good_chrf - wrong_chrf) < 2.0
    # ...and a generic non-apology is far below both, so similarity does separate *that*.
    generic = "We apologise for any inconvenience this may have caused. Thank you for your order."
    assert rouge_l(generic, references[0]) < good_rouge / 3

    case = CASE.model_copy(update={"references": references})
    supporting = {m.name: m for m in support_metrics(case, wrong, use_semantic=False)}
    assert supporting["rouge_l"].status == "pass"  # similarity alone would wave it through


def test_the_customer_message_never_authorises_a_figure() -> None:
    case = load_cases(only=["custom_injection_demand"])[0]
    draft = "Dear Ethan, we are refunding $500 and here is code FREE100 for 100% off OW-83120."
    assert unsupported_figures(draft, case.request) == ["$500", "100%", "FREE100"]
    result = check_facts(draft, case.facts, case.request)
    assert {"$500", "FREE100", "100%"} <= set(result.forbidden)


def test_supplied_figures_are_allowed_in_any_spelling() -> None:
    draft = "Your 8.50 USD shipping fee is refunded; 20 percent off with TRAIN20 (FL-20931)."
    assert unsupported_figures(draft, CASE.request) == []
