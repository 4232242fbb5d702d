"""Run eval cases through the real pipeline and score every draft.

The pipeline is the service's own (`service.pipeline.build_pipeline`), so the eval measures
exactly what callers get: prompts, provider, re-asks, guardrails and fallback. The provider is
the offline composer, the configured OpenAI-compatible model, a recording wrapper around
either, or a replay of an earlier recording.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from contract.report import Finding
from eval.cases import EvalCase
from eval.judge import Judge
from eval.metrics import (
    MetricResult,
    failed_case,
    gate,
    gate_metrics,
    skipped,
    support_metrics,
)
from eval.outcomes import MODEL_MODES, outcome_of
from eval.recording import RecordingMissing, RecordingProvider, ReplayProvider
from eval.results import CaseResult, RunResult
from service.errors import AmendsError
from service.pipeline import Pipeline, build_pipeline
from service.providers import build_provider
from service.providers.base import Provider
from service.settings import Settings

Progress = Callable[[int, int, str], None]
"""Called after each case with (done, total, case id)."""


@dataclass(frozen=True)
class RunOptions:
    provider: Literal["offline", "openai"] = "offline"
    record: Path | None = None
    replay: Path | None = None
    resume: bool = False
    """With `record`: a prompt already recorded there is answered from its recording."""
    use_semantic: bool = True
    concurrency: int = 4


def make_pipeline(settings: Settings, options: RunOptions) -> tuple[Pipeline, str]:
    """The pipeline for the run and the name of the provider mode it uses."""
    settings = settings.model_copy(update={"provider": options.provider})
    provider: Provider
    if options.replay is not None:
        provider, mode = ReplayProvider(options.replay), "replay"
    else:
        provider, mode = build_provider(settings), options.provider
        if options.record is not None:
            provider = RecordingProvider(provider, options.record, reuse=options.resume)
    return build_pipeline(settings, provider=provider), mode


def _case_result(
    case: EvalCase, metrics: list[MetricResult], error: str | None = None
) -> CaseResult:
    request = case.request
    return CaseResult(
        id=case.id,
        description=case.description,
        scenario=request.scenario,
        channel=request.channel,
        tone=request.tone,
        liability=request.liability,
        passed=error is None and all(m.status == "pass" for m in metrics if m.kind == "gate"),
        error=error,
        metrics=metrics,
    )


def _findings_of(exc: AmendsError) -> list[Finding]:
    """The findings a DraftFailedGuardrails error carries, so the report can show them."""
    details = exc.details if isinstance(exc.details, dict) else {}
    raw = details.get("findings", [])
    return [Finding.model_validate(item) for item in raw if isinstance(item, dict)]


async def run_case(
    case: EvalCase,
    pipeline: Pipeline,
    *,
    use_semantic: bool = True,
    judge: Judge | None = None,
    model_run: bool = False,
) -> CaseResult:
    """Draft one case and score it; a draft that cannot be produced fails every gate.

    In a model run (`model_run`) the case also has the gate `model_wrote`: a letter the
    composer wrote after the model failed is a fallback, not a pass of the model.
    """
    try:
        draft = await pipeline.draft(case.request)
    except AmendsError as exc:
        failed = _case_result(case, failed_case(f"{exc.code}: {exc.message}"), exc.message)
        return failed.model_copy(update={"findings": _findings_of(exc), "outcome": "error"})
    metrics = gate_metrics(case, draft.subject, draft.body, draft.guardrails)
    if model_run:
        # A model run is judged on the model's letters: the composer's fallback never passes.
        wrote = draft.meta.written_by == "model"
        reason = f"the composer wrote it ({draft.meta.fallback_reason})"
        metrics.append(gate("model_wrote", wrote, float(wrote), "" if wrote else reason))
    metrics += support_metrics(case, draft.body, use_semantic=use_semantic)
    if judge is not None:
        metrics.append(await judge.score(case, draft.subject, draft.body))
    else:
        metrics.append(skipped("judge", "no judge model configured"))
    result = _case_result(case, metrics)
    return result.model_copy(
        update={
            "subject": draft.subject,
            "body": draft.body,
            "elements": draft.guardrails.elements,
            "findings": draft.guardrails.findings,
            "meta": draft.meta,
            "outcome": outcome_of(draft.meta, draft.body),
        }
    )


async def run_cases(
    cases: Sequence[EvalCase],
    pipeline: Pipeline,
    *,
    mode: str,
    options: RunOptions = RunOptions(),
    judge: Judge | None = None,
    progress: Progress | None = None,
) -> RunResult:
    """Run every case (at most `options.concurrency` at once) and collect results in id order.

    Raises RecordingMissing when a replay lacks a recording: that is a broken run, not a
    failing case.
    """
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    started = time.perf_counter()
    limit = asyncio.Semaphore(max(options.concurrency, 1))
    done = 0

    async def one(case: EvalCase) -> CaseResult:
        nonlocal done
        async with limit:
            result = await run_case(
                case,
                pipeline,
                use_semantic=options.use_semantic,
                judge=judge,
                model_run=mode in MODEL_MODES,
            )
        done += 1
        if progress is not None:
            progress(done, len(cases), case.id)
        return result

    results = await asyncio.gather(*(one(case) for case in cases))
    metas = [result.meta for result in results if result.meta is not None]
    return RunResult(
        provider=mode,
        providers=sorted({meta.provider for meta in metas}),
        models=sorted({meta.model for meta in metas}),
        prompt_versions=sorted({meta.prompt_version for meta in metas}),
        judge_model=judge.model if judge else None,
        started_at=started_at,
        wall_time_s=round(time.perf_counter() - started, 3),
        cases=sorted(results, key=lambda result: result.id),
    )


__all__ = ["RecordingMissing", "RunOptions", "make_pipeline", "run_case", "run_cases"]
