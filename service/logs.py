"""Structured logs: one JSON object per line, every line carrying the request's ID.

What goes into a log line is chosen field by field, never the request or the letter: the
request ID, the route, the status, the key's name, and for drafts the outcome, provider,
attempts, fallback, salvage rules, failed rule ids, latency and tokens. Customer text, names,
addresses and client IP addresses stay out, so the log can be shipped and kept freely.

`request_fields()` is the current request's bag of such fields: routes and error handlers
add to it, and `AccessLog` writes it as the request's one `request` line when the answer
has been sent.
"""

from __future__ import annotations

import logging
import logging.config
import sys
import time
from contextvars import ContextVar
from typing import Any, TextIO

from asgi_correlation_id import correlation_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract.models import Draft

log = logging.getLogger("amends.access")

_fields: ContextVar[dict[str, Any] | None] = ContextVar("amends_request_fields", default=None)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is at the time, as `logging.lastResort` does, so a
    swapped stream (a test's capture, a daemon's redirect) never leaves it writing to a
    closed file."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: object) -> None:
        pass


class RequestIdFilter(logging.Filter):
    """Stamps every record with the ID of the request it was logged under (None outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = correlation_id.get()
        return True


def log_config(level: str) -> dict[str, Any]:
    """`logging.config.dictConfig` for our loggers and uvicorn's, all as JSON lines."""
    handler = {"()": StderrHandler, "formatter": "json", "filters": ["request_id"]}
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            }
        },
        "handlers": {"json": handler},
        "root": {"handlers": ["json"], "level": level},
        "loggers": {
            # uvicorn's own handlers would print plain text; route them through ours.
            "uvicorn": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.access": {"handlers": [], "propagate": False},
            # The SDK logs whole requests at DEBUG, customer messages included.
            "openai": {"level": max(logging.INFO, logging.getLevelName(level))},
            "httpx": {"level": "WARNING"},
        },
    }


def configure_logging(level: str) -> None:
    logging.config.dictConfig(log_config(level))


def current_request_id() -> str | None:
    """The ID of the HTTP request being handled, or None outside one (the CLI, the eval)."""
    return correlation_id.get()


def request_fields() -> dict[str, Any]:
    """The current request's log fields (a throwaway dict outside a request)."""
    fields = _fields.get()
    return fields if fields is not None else {}


class AccessLog:
    """One `request` line per HTTP request: method, route, status, latency and the fields
    added while it was handled. Runs inside the request-ID middleware, so it has the ID."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        fields: dict[str, Any] = {}
        token = _fields.set(fields)
        status = 0

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": getattr(route, "path", None) or scope["path"][:200],
                    "status": status or 500,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                    **fields,
                },
            )
            _fields.reset(token)


def draft_fields(draft: Draft) -> dict[str, Any]:
    """A draft's log fields: how it was made, never what it says."""
    meta = draft.meta
    # Added by the salvage step; absent in older pipelines.
    salvage = getattr(meta, "salvage", None) or []
    failed = sorted({rule for attempt in meta.attempt_log for rule in attempt.failed_rules})
    if meta.fallback:
        outcome = "fallback"
    elif salvage:
        outcome = "salvaged"
    else:
        outcome = "passed"
    return {
        "outcome": outcome,
        "provider": meta.provider,
        "model": meta.model,
        "attempts": meta.attempts,
        "fallback": meta.fallback,
        "fallback_reason": meta.fallback_reason,
        "salvage": [f"{edit.rule}:{edit.action}" for edit in salvage],
        "failed_rules": failed,
        "draft_latency_ms": meta.latency_ms,
        "prompt_tokens": meta.usage.prompt_tokens,
        "completion_tokens": meta.usage.completion_tokens,
    }
