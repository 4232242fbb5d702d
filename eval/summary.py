"""Aggregates over a run: per-metric means over the values that exist, and status counts.

A metric whose value is missing (skipped, error) is counted as such and left out of the mean;
a mean over no values is None ("n/a"), never NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from eval.metrics import GATES
from eval.results import RunResult


@dataclass(frozen=True)
class MetricSummary:
    name: str
    kind: str
    mean: float | None
    values: int
    passed: int
    failed: int
    skipped: int
    errors: int


def mean(values: list[float | None]) -> float | None:
    """The mean of the finite values; None if there are none."""
    usable = [v for v in values if v is not None and math.isfinite(v)]
    return sum(usable) / len(usable) if usable else None


def summarise(run: RunResult) -> list[MetricSummary]:
    names: dict[str, str] = {}
    for case in run.cases:
        for metric in case.metrics:
            names.setdefault(metric.name, metric.kind)
    ordered = [n for n in GATES if n in names] + [n for n in names if n not in GATES]
    summaries = []
    for name in ordered:
        results = [m for case in run.cases for m in case.metrics if m.name == name]
        summaries.append(
            MetricSummary(
                name=name,
                kind=names[name],
                mean=mean([m.value for m in results if m.status in ("pass", "fail")]),
                values=sum(m.value is not None for m in results),
                passed=sum(m.status == "pass" for m in results),
                failed=sum(m.status == "fail" for m in results),
                skipped=sum(m.status == "skipped" for m in results),
                errors=sum(m.status == "error" for m in results),
            )
        )
    return summaries


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"
