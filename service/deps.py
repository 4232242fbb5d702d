"""FastAPI dependencies, as `Annotated` aliases the routes use directly.

They are `async` although they do not await: FastAPI runs a plain `def` dependency in its
thread pool, and that hop cost more than the whole guardrail check on a busy worker.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from service.pipeline import Pipeline
from service.settings import Settings


async def _pipeline(request: Request) -> Pipeline:
    pipeline: Pipeline = request.app.state.pipeline
    return pipeline


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


PipelineDep = Annotated[Pipeline, Depends(_pipeline)]
SettingsDep = Annotated[Settings, Depends(_settings)]
