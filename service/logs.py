"""Structured logs: one JSON object per line, every line carrying the request's ID.

What goes into a log line is chosen field by field, never the request or the letter: the
request ID, the route, the status, the key's name, and for drafts the outcome, provider,
attempts, fallback, salvage rules, failed rule ids, latency and tokens. Customer text, names,
addresses and client IP addresses stay out, so the log can be shipped and kept freely.

`request_fields()` is the current request's bag of such fields: routes and error handlers
add to it, and `AccessLog` writes it as the request's one `request` line when the answer
has been sent.

`AccessLog` is the outermost middleware and does the three things every request needs on
its way in and out in one pass: the request's ID, the `request` line, and the request's
Prometheus count and latency.
"""

from __future__ import annotations

import logging
import logging.config
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any, TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract.models import Draft
from service.metrics import Metrics

log = logging.getLogger("amends.access")

_fields: ContextVar[dict[str, Any] | None] = ContextVar("amends_request_fields", default=None)
_request_id: ContextVar[str | None] = ContextVar("amends_request_id", default=None)

REQUEST_ID_HEADER = b"x-request-id"
_PLAIN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")


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
        record.request_id = _request_id.get()
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
    return _request_id.get()


def request_fields() -> dict[str, Any]:
    """The current request's log fields (a throwaway dict outside a request)."""
    fields = _fields.get()
    return fields if fields is not None else {}


def acceptable_request_id(value: str) -> bool:
    """A caller's ID is kept if it is short and plain; anything else is replaced, so an ID
    can never smuggle a line break or markup into a log."""
    return _PLAIN_REQUEST_ID.fullmatch(value) is not None


class AccessLog:
    """Outermost middleware, for every HTTP request:

    - its ID: the caller's `X-Request-ID` if `acceptable_request_id`, else a new uuid4 hex,
      stamped on every log line written while it is handled and echoed on the answer;
    - one `request` line when it has been answered: method, route, status, latency and the
      fields added while it was handled;
    - its count and latency in `metrics`, by route template (never the raw path, so IDs in
      paths cannot grow the label set).

    The ID stays set after the request, for the catch-all error handler, which Starlette
    runs outside every middleware."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id_of(scope)
        _request_id.set(request_id)
        echoed = (REQUEST_ID_HEADER, request_id.encode("latin-1"))
        fields: dict[str, Any] = {}
        token = _fields.set(fields)
        status = 0

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), echoed]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None)
            latency = time.perf_counter() - started
            if self.metrics is not None:
                self.metrics.observe_request(
                    scope["method"], route or "unmatched", status or 500, latency
                )
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": route or scope["path"][:200],
                    "status": status or 500,
                    "latency_ms": round(latency * 1000, 2),
                    **fields,
                },
            )
            _fields.reset(token)


def _request_id_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            sent = value.decode("latin-1")
            if not sent:
                break
            if acceptable_request_id(sent):
                return str(sent)
            generated = uuid.uuid4().hex
            log.warning(
                "Generated new request ID (%s), since request header value failed validation",
                generated,
            )
            return generated
    return uuid.uuid4().hex


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
