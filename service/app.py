"""The FastAPI application: thin routes over the pipeline, the guardrails and the catalog."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.routing import Route

from contract.catalog import get_catalog
from contract.models import CheckRequest, Draft, DraftRequest, RewriteRequest
from contract.report import GuardrailReport
from service.access import OPEN_PATHS, AccessGuard
from service.audit import Recorder
from service.batches.api import batch_lifespan
from service.batches.api import router as batch_router
from service.catalog_view import CatalogView, catalog_view
from service.deps import PipelineDep
from service.http_errors import ErrorBody, install_error_handlers
from service.idempotency import KEY_PATTERN, Idempotency
from service.logs import AccessLog, configure_logging, draft_fields, request_fields
from service.mcp_server import MCPEndpoint, build_mcp_server, mcp_transport
from service.metrics import Metrics
from service.openapi_answers import install_shared_answers
from service.pipeline import Pipeline, build_pipeline, check_request
from service.providers import close_provider
from service.records_api import RecorderDep
from service.records_api import router as records_router
from service.request_body import RequestBodyGate
from service.settings import Settings, get_settings
from service.store import Store

STATIC_DIR = Path(__file__).parent / "static"

_UPSTREAM: dict[int | str, dict[str, Any]] = {
    502: {"model": ErrorBody, "description": "The model's output was unusable, or no draft passed"},
    503: {"model": ErrorBody, "description": "The model could not be reached; see Retry-After"},
    504: {"model": ErrorBody, "description": "The model did not answer within the deadline"},
}


_STORED_DRAFT_LINKS = {
    "ReadStoredDraft": {
        "operationRef": "#/paths/~1v1~1drafts~1{draft_id}/get",
        "parameters": {"draft_id": "$response.body#/meta/id"},
        "description": "`meta.id` names the stored draft",
    },
    "DecideReview": {
        "operationRef": "#/paths/~1v1~1reviews~1{draft_id}/post",
        "parameters": {"draft_id": "$response.body#/meta/id"},
        "description": "a draft held for review (`review.status: pending`) is decided by its id",
    },
}


async def _idempotency_key_header(
    idempotency_key: Annotated[
        str | None,
        Header(
            pattern=KEY_PATTERN,
            description="Your key for this draft (1-255 printable ASCII characters). The same "
            "key with the same body within the idempotency window gets the same answer "
            "(`Idempotent-Replayed: true`); with another body, 422.",
        ),
    ] = None,
) -> None:
    """Declares (and validates) the header; `service.idempotency` does the work."""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The guardrails' scanners compile in seconds: done before the first request is taken,
    # so no caller waits for them and a health check means ready.
    await asyncio.to_thread(app.state.pipeline.rules.compile_all)
    purge = asyncio.create_task(app.state.recorder.purge_forever())
    async with mcp_transport(app), batch_lifespan(app):
        yield
    purge.cancel()
    await close_provider(app.state.pipeline.provider)
    # Audit records still queued for the store's writer are written before shutdown ends.
    if app.state.owns_store:
        await asyncio.to_thread(app.state.store.close)
    else:
        await asyncio.to_thread(app.state.store.flush)


def create_app(
    settings: Settings | None = None, pipeline: Pipeline | None = None, store: Store | None = None
) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    app = FastAPI(
        lifespan=_lifespan,
        title="Amends",
        version="1.0.0",
        summary="Apology drafts that pass deterministic guardrails before anyone sees them.",
    )
    app.state.settings = settings
    app.state.pipeline = pipeline or build_pipeline(settings)
    # The store is opened (the SQLite file created, migrations run) before the first request.
    app.state.owns_store = store is None
    app.state.store = store or Store.open(settings)
    app.state.metrics = metrics = Metrics()
    metrics.watch_review_queue(app.state.store.count_pending_reviews)
    app.state.recorder = Recorder(app.state.store, settings, metrics)

    # The last added runs first: request ID, access log and metrics, keys and limits, the
    # body gate, idempotency.
    def store_of() -> Store:
        opened: Store = app.state.store
        return opened

    app.add_middleware(Idempotency, store=store_of, window_s=settings.idempotency_window_s)
    app.add_middleware(
        RequestBodyGate,
        max_bytes=settings.max_body_bytes,
        read_timeout_s=settings.body_timeout_s,
        per_path={"/v1/batches": settings.batch_max_body_bytes},
        upload_paths=frozenset({"/v1/batches"}),
    )
    app.add_middleware(AccessGuard, settings=settings, store=store_of)
    app.add_middleware(AccessLog, metrics=metrics)
    install_error_handlers(app)
    # What the middleware above can answer is documented on every operation in one place.
    install_shared_answers(app, OPEN_PATHS)
    # The drafting, checking and catalog routes are registered first: a request is matched
    # against the routes in order, and these are the busiest.

    @app.post(
        "/v1/drafts",
        response_model=Draft,
        responses={
            **_UPSTREAM,
            200: {"links": _STORED_DRAFT_LINKS},
            409: {"model": ErrorBody, "description": "The Idempotency-Key is still being answered"},
        },
        dependencies=[Depends(_idempotency_key_header)],
    )
    async def create_draft(
        request: DraftRequest, pipeline: PipelineDep, recorder: RecorderDep, http: Request
    ) -> Draft:
        """Write an apology draft from the incident's facts; it has passed the guardrails.
        It is stored (`meta.id`) before it is returned, and `review` says whether a person
        should read it first."""
        draft = await recorder.upstream(pipeline.draft(request))
        request_fields().update(draft_fields(draft))
        return await recorder.draft("draft", request, draft, http)

    @app.post("/v1/rewrites", response_model=Draft, responses=_UPSTREAM)
    async def create_rewrite(
        request: RewriteRequest, pipeline: PipelineDep, recorder: RecorderDep, http: Request
    ) -> Draft:
        """Rewrite a draft into another tone, channel or length, keeping every fact."""
        draft = await recorder.upstream(pipeline.rewrite(request))
        request_fields().update(draft_fields(draft))
        return await recorder.draft("rewrite", request, draft, http)

    @app.post("/v1/checks", response_model=GuardrailReport)
    async def create_check(request: CheckRequest, http: Request) -> Response:
        """Run the guardrails on any text and report elements and findings with spans. The
        check is recorded; `X-Record-ID` names the record."""
        # The hottest route: the check run inline (it takes a few
        # milliseconds, less than a hop to a thread and back costs a loaded worker), and the
        # report encoded once, for the record and for the answer.
        state = app.state
        report = check_request(request, state.pipeline.rules)
        report_json = report.model_dump_json()
        record_id = await state.recorder.check(request, report, http, report_json=report_json)
        return Response(
            report_json, media_type="application/json", headers={"X-Record-ID": record_id}
        )

    @app.get("/v1/catalog", response_model=CatalogView)
    async def read_catalog() -> CatalogView:
        """List the scenarios, audiences, tones, channels, strategies, postures and operations."""
        return catalog_view(get_catalog())

    @app.get("/healthz")
    async def healthz(pipeline: PipelineDep) -> dict[str, str]:
        """Liveness, with the provider and model drafts will come from."""
        return {
            "status": "ok",
            "provider": pipeline.provider.name,
            "model": pipeline.provider.model,
        }

    app.include_router(records_router)
    app.state.mcp = build_mcp_server(app.state.pipeline, app.state.recorder)
    app.router.routes.append(Route("/mcp", MCPEndpoint()))
    app.include_router(batch_router)

    @app.get("/", include_in_schema=False)
    async def drafting_page() -> FileResponse:
        """The drafting page: plain HTML and JavaScript over this API."""
        return FileResponse(STATIC_DIR / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
