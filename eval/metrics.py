"""Per-draft metrics: the gates that decide pass/fail and the supporting signals around them.

Gates (a failure fails the case): `guardrails`, `required_elements`, `fact_must_state`,
`fact_must_not_state`, `fact_unsupported`, `channel_limits`.
Supporting (thresholds per case, see `cases.Thresholds`): `rouge_l`, `chrf`, `semantic`,
`length_fit`, `readability`, `apology_phrases`, and `judge` when a judge model is configured.

A metric that could not be computed is `skipped` or `error` with `value = None`: NaN is never
stored, so it can never leak into an average.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel

from contract.catalog import get_catalog
from contract.report import GuardrailReport
from eval import text_metrics
from eval.cases import EvalCase
from eval.facts import check_facts

Kind = Literal["gate", "support"]
Status = Literal["pass", "fail", "skipped", "error"]

GATES: tuple[str, ...] = (
    "guardrails",
    "required_elements",
    "fact_must_state",
    "fact_must_not_state",
    "fact_unsupported",
    "channel_limits",
)
SUPPORT_TOLERANCE: dict[str, float | None] = {
    "rouge_l": 0.05,
    "chrf": 5.0,
    "semantic": 0.03,
    "length_fit": 0.1,
    "readability": 10.0,
    "apology_phrases": None,
    "judge": 0.5,
}
"""How far a supporting metric may drop below the baseline before the run fails; None: the
metric has no better direction, so only a pass→fail flip counts as a regression."""


class MetricResult(BaseModel):
    name: str
    kind: Kind
    status: Status
    value: float | None = None
    threshold: float | None = None
    detail: str = ""


def finite(value: float | None) -> float | None:
    """The value, or None for NaN and infinities."""
    return value if value is not None and math.isfinite(value) else None


def gate(name: str, ok: bool, value: float, detail: str = "") -> MetricResult:
    return MetricResult(
        name=name, kind="gate", status="pass" if ok else "fail", value=value, detail=detail
    )


def support(
    name: str, value: float | None, ok: bool, threshold: float | None, detail: str = ""
) -> MetricResult:
    value = finite(value)
    if value is None:
        return MetricResult(name=name, kind="support", status="error", detail=detail or "no value")
    return MetricResult(
        name=name,
        kind="support",
        status="pass" if ok else "fail",
        value=round(value, 4),
        threshold=threshold,
        detail=detail,
    )


def skipped(name: str, reason: str) -> MetricResult:
    return MetricResult(name=name, kind="support", status="skipped", detail=reason)


def failed_case(error: str) -> list[MetricResult]:
    """Every gate as `error` for a case whose draft could not be produced."""
    return [MetricResult(name=name, kind="gate", status="error", detail=error) for name in GATES]


def gate_metrics(
    case: EvalCase, subject: str | None, body: str, report: GuardrailReport
) -> list[MetricResult]:
    request = case.request
    errors = sorted({finding.rule for finding in report.errors})
    required = [element for element in report.elements if element.required]
    missing = [element.element for element in required if not element.present]
    present = len(required) - len(missing)
    facts = check_facts(f"{subject or ''}\n{body}", case.facts, request)
    stated = facts.stated / facts.required if facts.required else 1.0
    return [
        gate("guardrails", report.passed, float(report.passed), ", ".join(errors)),
        gate(
            "required_elements",
            not missing,
            present / len(required) if required else 1.0,
            "missing: " + ", ".join(missing) if missing else "",
        ),
        gate(
            "fact_must_state",
            not facts.missing,
            stated,
            "missing: " + "; ".join(facts.missing) if facts.missing else "",
        ),
        gate(
            "fact_must_not_state",
            not facts.forbidden,
            float(len(facts.forbidden)),
            "stated: " + "; ".join(facts.forbidden) if facts.forbidden else "",
        ),
        gate(
            "fact_unsupported",
            not facts.unsupported,
            float(len(facts.unsupported)),
            "not in the request: " + ", ".join(facts.unsupported) if facts.unsupported else "",
        ),
        _channel_limits(case, body),
    ]


def _word_range(case: EvalCase) -> tuple[int, int] | None:
    channel = get_catalog().channels[case.request.channel]
    low, high = channel.words or (0, 0)
    if case.request.max_words is not None:
        # A caller's cap narrows the range from above; the floor relaxes with it, so a
        # 100-word cap on email (90-230) becomes 60-100, not an unreachable 90-100.
        high = min(high, case.request.max_words) if channel.words else case.request.max_words
        low = min(low, int(high * 0.6))
    return (low, high) if high else None


def _channel_limits(case: EvalCase, body: str) -> MetricResult:
    channel = get_catalog().channels[case.request.channel]
    tolerance = case.thresholds.words_tolerance
    count = text_metrics.word_count(body)
    problems = []
    if channel.max_chars is not None and len(body) > channel.max_chars:
        problems.append(f"{len(body)} characters > {channel.max_chars}")
    span = _word_range(case)
    if span is not None:
        low, high = math.floor(span[0] * (1 - tolerance)), math.ceil(span[1] * (1 + tolerance))
        if not low <= count <= high:
            problems.append(
                f"{count} words outside {low}-{high} ({span[0]}-{span[1]} ± {tolerance:.0%})"
            )
    measured = f"{count} words, {len(body)} characters"
    return gate(
        "channel_limits", not problems, float(not problems), "; ".join(problems) or measured
    )


def rouge_threshold(case: EvalCase) -> tuple[float, str]:
    if "rouge_l" in case.thresholds.model_fields_set:
        return case.thresholds.rouge_l, "set by the case"
    return text_metrics.calibrated_threshold(list(case.references), case.thresholds.rouge_l)


def support_metrics(case: EvalCase, body: str, *, use_semantic: bool = True) -> list[MetricResult]:
    limits = case.thresholds
    sim = text_metrics.similarity(body, list(case.references))
    rouge_bar, rouge_source = rouge_threshold(case)
    results = [
        support(
            "rouge_l",
            sim.rouge_l,
            sim.rouge_l >= rouge_bar,
            rouge_bar,
            f"best reference #{sim.best_reference + 1}; bar {rouge_source}",
        ),
        support("chrf", sim.chrf, sim.chrf >= limits.chrf, limits.chrf),
        _semantic(case, body) if use_semantic else skipped("semantic", "disabled (--no-semantic)"),
    ]
    fit, basis = _length_fit(case, body)
    results.append(support("length_fit", fit, fit >= limits.length_fit, limits.length_fit, basis))
    ease = text_metrics.flesch_reading_ease(body)
    results.append(
        support(
            "readability",
            ease,
            ease is not None and limits.readability_min <= ease <= limits.readability_max,
            limits.readability_min,
            f"Flesch reading ease, wanted {limits.readability_min:g}-{limits.readability_max:g}",
        )
    )
    count = text_metrics.apology_phrases(body)
    results.append(
        support(
            "apology_phrases",
            float(count),
            limits.apology_phrases_min <= count <= limits.apology_phrases_max,
            float(limits.apology_phrases_max),
            f"wanted {limits.apology_phrases_min}-{limits.apology_phrases_max}",
        )
    )
    return results


def _semantic(case: EvalCase, body: str) -> MetricResult:
    reason = text_metrics.semantic_available()
    if reason is not None:
        return skipped("semantic", reason)
    score = text_metrics.semantic_similarity(body, list(case.references))
    return support("semantic", score, score >= case.thresholds.semantic, case.thresholds.semantic)


def _length_fit(case: EvalCase, body: str) -> tuple[float, str]:
    span = _word_range(case)
    if span is not None:
        count = text_metrics.word_count(body)
        return text_metrics.length_fit(count, *span), f"{count} words, range {span[0]}-{span[1]}"
    limit = get_catalog().channels[case.request.channel].max_chars or 1
    low = limit // 3
    return text_metrics.length_fit(len(body), low, limit), f"{len(body)} chars, range {low}-{limit}"
