"""Qwen2.5-Coder-1.5B's recorded letters on eleven requests outside the eval set
(eval/recordings/qwen-new-requests), replayed through today's guardrails and salvage: the
issue's targets for a real model (fallback at most 30%, at most 1.5 model calls per letter,
no error-level finding delivered), and the defects read in these letters by hand are not
delivered again."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from eval.cases import load_cases
from eval.outcomes import headline
from eval.results import CaseResult
from eval.runner import RunOptions, make_pipeline, run_cases
from service.settings import Settings

RECORDING = Path(__file__).resolve().parents[1] / "eval" / "recordings" / "qwen-new-requests"


@pytest.fixture(scope="module")
def replayed() -> dict[str, CaseResult]:
    options = RunOptions(provider="openai", replay=RECORDING, use_semantic=False, concurrency=2)
    # A busy machine must not turn a slow check into a deadline error: no model is waiting.
    settings = Settings(repair_attempts=2, on_failure="fallback", draft_deadline_s=900)
    pipeline, mode = make_pipeline(settings, options)
    cases = load_cases(RECORDING / "cases")
    result = asyncio.run(run_cases(cases, pipeline, mode=mode, options=options))
    return {case.id: case for case in result.cases}


def test_every_letter_is_the_models_within_the_issues_targets(
    replayed: dict[str, CaseResult],
) -> None:
    assert len(replayed) == 11
    figures = headline(
        [case.meta for case in replayed.values()], [case.body for case in replayed.values()]
    )
    assert figures.rate("fallback") == 0, "every letter is the model's"
    calls = figures.calls_per_delivered
    assert calls is not None and calls <= 1.5
    for case in replayed.values():
        assert case.meta is not None and case.meta.written_by == "model", case.id
        assert not [f.rule for f in case.findings if f.severity == "error"], case.id


def _body(replayed: dict[str, CaseResult], case: str) -> str:
    body = replayed[case].body
    assert body is not None
    return body


def test_invented_grading_benefits_and_repeats_are_not_delivered(
    replayed: dict[str, CaseResult],
) -> None:
    pet = _body(replayed, "pet_insurance_breach")
    assert "significant security risk" not in pet
    assert "regular updates" not in pet, "a benefit of the monitoring nobody authorised"
    assert len(re.findall(r"12 months of identity monitoring", pet)) == 1
    assert "PAWSAFE" in pet
    restaurant = _body(replayed, "restaurant_wrong_allergy_chat")
    assert "put an end to" not in restaurant
    agency = _body(replayed, "agency_campaign_client")
    assert "We value your feedback" not in agency
    bank = _body(replayed, "bank_double_debit_sms")
    assert "regret to inform" not in bank.lower()


def test_inserted_amends_follow_the_telling_and_leave_this_meant_with_its_sentence(
    replayed: dict[str, CaseResult],
) -> None:
    restaurant = _body(replayed, "restaurant_wrong_allergy_chat")
    assert re.search(r"nut allergy\. This meant that your partner", restaurant), restaurant
    step = restaurant.index("allergy notes now print in red")
    assert step > restaurant.index("This meant"), "the step follows the telling"
    sofa = _body(replayed, "furniture_damaged_sofa")
    told = sofa.index("The sofa arrived with a torn arm")
    assert told < sofa.index("15%") and told < sofa.index("corner protectors are now mandatory")


def test_no_doubled_greeting_or_ownership_and_the_harm_is_the_readers(
    replayed: dict[str, CaseResult],
) -> None:
    wifi = _body(replayed, "cowork_wifi_chat")
    assert wifi.startswith("Hi Leo,\n\nI ") and wifi.lower().count("full responsibility") == 1
    assert "caused me" not in wifi and "my phone" not in wifi
    assert "caused me" not in _body(replayed, "dental_double_booking")
    books = _body(replayed, "bookshop_signed_edition")
    assert books.count("£6.95") == 1 and "courier To make amends" not in books
