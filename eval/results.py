"""The shape of a run's results, as written by `--output-json` and read by `--compare`."""

from __future__ import annotations

from pydantic import BaseModel

from contract.models import DraftMeta
from contract.report import ElementResult, Finding
from eval.metrics import MetricResult

SCHEMA_VERSION = 1


class CaseResult(BaseModel):
    id: str
    description: str
    scenario: str
    channel: str
    tone: str
    liability: str
    passed: bool
    """Every gate passed (supporting metrics never fail a case on their own)."""
    error: str | None = None
    subject: str | None = None
    body: str | None = None
    elements: list[ElementResult] = []
    findings: list[Finding] = []
    meta: DraftMeta | None = None
    outcome: str | None = None
    """Who wrote the delivered letter and how (`eval.outcomes`); None in runs made before."""
    metrics: list[MetricResult] = []

    def metric(self, name: str) -> MetricResult | None:
        return next((metric for metric in self.metrics if metric.name == name), None)

    @property
    def failed_gates(self) -> list[MetricResult]:
        return [m for m in self.metrics if m.kind == "gate" and m.status != "pass"]


class RunResult(BaseModel):
    schema_version: int = SCHEMA_VERSION
    provider: str
    """What the run was asked to use: `offline`, `openai` or `replay`."""
    providers: list[str]
    """The providers that actually wrote the drafts (a fallback shows up here)."""
    models: list[str]
    prompt_versions: list[str]
    judge_model: str | None = None
    started_at: str
    wall_time_s: float
    cases: list[CaseResult]

    @property
    def passed(self) -> int:
        return sum(case.passed for case in self.cases)
