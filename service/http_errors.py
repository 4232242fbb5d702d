"""Maps every error to `{"error": {"code", "message", "details"}}`, the one error shape of the API.

Validation errors name the field (`incident.summary`) and keep pydantic's message, which for
catalog keys lists the valid ones. Nothing a caller or an upstream model can cause reaches the
catch-all; it exists so that a bug still answers in the documented shape and is logged.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import AmendsError

log = logging.getLogger("amends")

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorBody(BaseModel):
    """The body of every non-2xx answer."""

    error: ErrorDetail


def error_response(
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message, details=details))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _field(loc: tuple[int | str, ...]) -> str:
    # FastAPI prefixes body errors with "body"; a field may itself be called body.
    parts = [str(p) for p in (loc[1:] if loc[:1] == ("body",) else loc)]
    return ".".join(parts) or "body"


def describe_validation(errors: list[Any]) -> list[dict[str, str]]:
    """Pydantic errors as plain JSON: the field path, the message, the error type."""
    return [
        {
            "field": _field(tuple(e.get("loc", ()))),
            # Our validators' messages are complete sentences; pydantic's prefix adds nothing.
            "message": str(e.get("msg", "")).removeprefix("Value error, "),
            "type": e.get("type", ""),
        }
        for e in errors
    ]


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = describe_validation(list(exc.errors()))
    first = details[0] if details else {"field": "body", "message": "invalid"}
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    message = f"{first['field']}: {first['message']}{more}"
    return error_response(422, "invalid_request", message, details)


async def _on_amends(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AmendsError)
    headers = None
    if exc.retry_after is not None:
        headers = {"Retry-After": str(max(1, round(exc.retry_after)))}
    return error_response(exc.status, exc.code, exc.message, exc.details, headers)


async def _on_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), None, exc.headers)


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    incident = uuid.uuid4().hex[:12]
    log.exception("unexpected error %s", incident, exc_info=exc)
    return error_response(
        500, "internal_error", f"unexpected error; reference {incident} in the service log"
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(AmendsError, _on_amends)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
