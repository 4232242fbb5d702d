"""Maps every error to `{"error": {"code", "message", "details"}}`, the one error shape of the API.

Validation errors name the field (`incident.summary`) and keep pydantic's message, which for
catalog keys lists the valid ones. Nothing a caller or an upstream model can cause reaches the
catch-all; it exists so that a bug still answers in the documented shape and is logged.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import AmendsError
from service.logs import current_request_id, request_fields

log = logging.getLogger("amends")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
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
    return [_describe(e) for e in errors]


def _describe(error: Any) -> dict[str, str]:
    if error.get("type") == "json_invalid":
        # FastAPI puts the character offset where a field name would be: ("body", 9).
        loc = tuple(error.get("loc", ()))
        where = f" at character {loc[1]}" if len(loc) == 2 and isinstance(loc[1], int) else ""
        reason = (error.get("ctx") or {}).get("error", "JSON decode error")
        return {
            "field": "body",
            "message": f"not valid JSON ({reason}{where})",
            "type": "json_invalid",
        }
    return {
        "field": _field(tuple(error.get("loc", ()))),
        # Our validators' messages are complete sentences; pydantic's prefix adds nothing.
        "message": str(error.get("msg", "")).removeprefix("Value error, "),
        "type": error.get("type", ""),
    }


TOO_DEEP = "JSON nested too deeply to read"
"""Python's JSON reader stops at about 1,000 levels of arrays and objects (RecursionError)."""


def too_deep_response() -> JSONResponse:
    request_fields()["error"] = "invalid_request"
    details = [{"field": "body", "message": TOO_DEEP, "type": "json_invalid"}]
    return error_response(422, "invalid_request", f"body: {TOO_DEEP}", details)


async def _on_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    request_fields()["error"] = "invalid_request"
    details = describe_validation(list(exc.errors()))
    first = details[0] if details else {"field": "body", "message": "invalid"}
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    message = f"{first['field']}: {first['message']}{more}"
    return error_response(422, "invalid_request", message, details)


def retry_after_header(seconds: float, cap_s: int) -> dict[str, str]:
    """`Retry-After` in whole seconds, at least 1 and at most `cap_s`, whatever the upstream
    asked for (an upstream's `1e308` must not become a 309-digit header)."""
    bounded = min(float(cap_s), seconds) if math.isfinite(seconds) else float(cap_s)
    return {"Retry-After": str(max(1, math.ceil(bounded)))}


async def _on_amends(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AmendsError)
    request_fields()["error"] = exc.code
    if exc.public_message != exc.message:
        # The full text may quote the upstream server; it stays in the log.
        log.warning("%s: %s", exc.code, exc.message, extra={"error": exc.code})
    headers = None
    if exc.retry_after is not None:
        headers = retry_after_header(exc.retry_after, request.app.state.settings.retry_after_cap_s)
    return error_response(exc.status, exc.code, exc.public_message, exc.details, headers)


async def _on_http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, RecursionError):
        # FastAPI's "There was an error parsing the body" for a body read as JSON.
        return too_deep_response()
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail), None, exc.headers)


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    # Starlette answers this one outside every middleware, so the request-ID header is set
    # here; the ID is also the reference to the log line with the traceback.
    request_id = current_request_id() or "-"
    log.exception("unexpected error", exc_info=exc)
    return error_response(
        500,
        "internal_error",
        f"unexpected error; reference {request_id} in the service log",
        headers={"X-Request-ID": request_id},
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(AmendsError, _on_amends)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
