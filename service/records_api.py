"""Routes over the store: stored drafts, the review queue, and `/metrics`."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from contract.models import Draft, ReviewDecision, ReviewQueue
from service.audit import Recorder
from service.deps import PipelineDep
from service.http_errors import ErrorBody
from service.metrics import Metrics


async def _recorder(request: Request) -> Recorder:
    # `async` so that FastAPI does not send every request through its thread pool for it.
    recorder: Recorder = request.app.state.recorder
    return recorder


RecorderDep = Annotated[Recorder, Depends(_recorder)]
DraftId = Annotated[str, Path(min_length=1, max_length=64, description="`meta.id` of a draft")]

_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No stored draft has this id (`draft_not_found`)"},
}

router = APIRouter()


@router.get("/v1/drafts/{draft_id}", response_model=Draft, responses=_NOT_FOUND)
async def read_draft(draft_id: DraftId, recorder: RecorderDep) -> Draft:
    """A stored draft or rewrite by its `meta.id`, with its review state; after an approved
    edit, the edited letter."""
    return await recorder.get(draft_id)


@router.get(
    "/v1/reviews",
    response_model=ReviewQueue,
)
async def list_reviews(
    recorder: RecorderDep,
    limit: Annotated[int, Query(ge=1, le=500, description="at most this many, oldest first")] = 100,
) -> ReviewQueue:
    """Letters waiting for a person: fell back, salvaged, with warnings, or cautious."""
    pending, total = await recorder.pending(limit)
    return ReviewQueue(pending=pending, total=total)


@router.post(
    "/v1/reviews/{draft_id}",
    response_model=Draft,
    responses={
        **_NOT_FOUND,
        409: {"model": ErrorBody, "description": "Already decided (`review_not_pending`)"},
        422: {
            "model": ErrorBody,
            "description": "Invalid decision (`invalid_request`: an edit without `body`, "
            "or `subject`/`body` with approve or reject, as the body's schema states), or an "
            "edit that fails the guardrails (`edit_failed_guardrails`, with the findings)",
        },
    },
)
async def decide_review(
    draft_id: DraftId,
    decision: ReviewDecision,
    recorder: RecorderDep,
    pipeline: PipelineDep,
    request: Request,
) -> Draft:
    """Approve, edit or reject a held letter. An edit is checked by the guardrails against the
    letter's facts and stored only if it passes."""
    return await recorder.decide(draft_id, decision, pipeline.rules, request)


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def read_metrics(request: Request) -> Response:
    """Counters, histograms and gauges for Prometheus (see docs/operations.md)."""
    metrics: Metrics = request.app.state.metrics
    text = await anyio.to_thread.run_sync(generate_latest, metrics.registry)
    return Response(text, media_type=CONTENT_TYPE_LATEST)
