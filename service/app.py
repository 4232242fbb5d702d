"""The FastAPI application: thin routes over the pipeline, the guardrails and the catalog."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from contract.catalog import get_catalog
from contract.models import CheckRequest, Draft, DraftRequest, RewriteRequest
from contract.report import GuardrailReport
from service.body_limit import BodySizeLimit
from service.catalog_view import CatalogView, catalog_view
from service.deps import PipelineDep
from service.http_errors import ErrorBody, install_error_handlers
from service.pipeline import Pipeline, build_pipeline, check_request
from service.providers import close_provider
from service.settings import Settings, get_settings

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "Request body over the size limit"},
    422: {"model": ErrorBody, "description": "Invalid input; `details` names each field"},
}
_UPSTREAM: dict[int | str, dict[str, Any]] = {
    502: {"model": ErrorBody, "description": "The model's output was unusable, or no draft passed"},
    503: {"model": ErrorBody, "description": "The model could not be reached; see Retry-After"},
    504: {"model": ErrorBody, "description": "The model did not answer within the deadline"},
}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await close_provider(app.state.pipeline.provider)


def create_app(settings: Settings | None = None, pipeline: Pipeline | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level.upper())
    # The SDK logs whole requests at DEBUG, customer messages included; keep them out of logs.
    logging.getLogger("openai").setLevel(max(logging.INFO, logging.getLogger().level))
    app = FastAPI(
        lifespan=_lifespan,
        title="Amends",
        version="1.0.0",
        summary="Apology drafts that pass deterministic guardrails before anyone sees them.",
    )
    app.state.settings = settings
    app.state.pipeline = pipeline or build_pipeline(settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    install_error_handlers(app)

    @app.post("/v1/drafts", response_model=Draft, responses={**_ERRORS, **_UPSTREAM})
    async def create_draft(request: DraftRequest, pipeline: PipelineDep) -> Draft:
        """Write an apology draft from the incident's facts; it has passed the guardrails."""
        return await pipeline.draft(request)

    @app.post("/v1/rewrites", response_model=Draft, responses={**_ERRORS, **_UPSTREAM})
    async def create_rewrite(request: RewriteRequest, pipeline: PipelineDep) -> Draft:
        """Rewrite a draft into another tone, channel or length, keeping every fact."""
        return await pipeline.rewrite(request)

    @app.post("/v1/checks", response_model=GuardrailReport, responses=_ERRORS)
    async def create_check(request: CheckRequest, pipeline: PipelineDep) -> GuardrailReport:
        """Run the guardrails on any text and report elements and findings with spans."""
        return check_request(request, pipeline.rules)

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

    return app
