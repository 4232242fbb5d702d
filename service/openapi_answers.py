"""The answers every operation can give because of the layers in front of it, documented once.

The server and the middleware answer some requests before any route runs: the server (431
for headers over the size limit, `service.http_server`), the access guard (401, 403, 429,
and 503 when the store cannot say whether a key is valid), the body gate (400, 408, 413, 415
for every method with a body), and validation (422 for any operation with parameters or a
body). Writing these into each route's `responses=` by hand is how a route ends up not
documenting an answer it gives, so `install_shared_answers` adds them to every operation of
the generated document, from the same facts the middleware works from (which paths are open,
which methods carry a body). A route's own description of a status wins over the shared one.

It also declares the `X-Request-ID` header on every operation (`service.logs.AccessLog`
does the work; declaring it here costs no dependency per request) and gives every 422 the
API's one error shape instead of FastAPI's default.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from fastapi import FastAPI

from service.http_errors import ErrorBody

BODY_METHODS = frozenset({"post", "put", "patch"})

_BODY = {
    "400": "The body is not UTF-8 text (`undecodable_body`)",
    "408": "The body did not arrive within the read timeout (`request_timeout`)",
    "413": "The body is over the size limit (`payload_too_large`)",
    "415": "The body is not declared as application/json (`unsupported_media_type`)",
}
_SERVER = {
    "431": "The request line and headers are over the size limit (`headers_too_large`); "
    "the connection is closed"
}
_INPUT = {"422": "Invalid input; `details` names each field (`invalid_request`)"}
_GUARDED = {
    "401": "No API key, or an unknown one, while keys are required "
    "(`api_key_required`, `invalid_api_key`)",
    "403": "The API key was revoked, or its role does not allow this operation "
    "(`api_key_revoked`, `reviewer_role_required`)",
    "429": "The key's rate limit or token budget is spent (`rate_limited`, "
    "`token_budget_spent`); `Retry-After` says when to retry",
    "503": "The store could not be reached (`store_unavailable`); see `Retry-After`",
}

REQUEST_ID_PARAMETER = {
    "name": "X-Request-ID",
    "in": "header",
    "required": False,
    "description": "Your ID for this request (1-128 of `A-Za-z0-9._:/+=@-`), echoed in the "
    "`X-Request-ID` answer header, `meta.request_id` and every log line. Absent or not of "
    "that form, the service generates one.",
    "schema": {"type": "string", "title": "X-Request-ID"},
}

_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
_FASTAPI_422 = "#/components/schemas/HTTPValidationError"


def shared_answers(
    path: str, method: str, has_input: bool, open_paths: Collection[str]
) -> dict[str, str]:
    """Status → description of what the layers in front of the route can answer."""
    answers: dict[str, str] = dict(_SERVER)
    if path not in open_paths:
        answers.update(_GUARDED)
    if method in BODY_METHODS:
        answers.update(_BODY)
    if has_input or method in BODY_METHODS:
        answers.update(_INPUT)
    return answers


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def document(spec: dict[str, Any], open_paths: Collection[str]) -> dict[str, Any]:
    """Add the shared answers and the request-ID header to every operation of `spec`."""
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            parameters = operation.setdefault("parameters", [])
            has_input = bool(parameters) or "requestBody" in operation
            if not any(p.get("name", "").lower() == "x-request-id" for p in parameters):
                parameters.append(dict(REQUEST_ID_PARAMETER))
            responses = operation.setdefault("responses", {})
            for status, description in shared_answers(path, method, has_input, open_paths).items():
                answer = responses.get(status)
                if answer is None:
                    responses[status] = _error_response(description)
                elif _FASTAPI_422 in str(answer):
                    responses[status] = _error_response(answer.get("description") or description)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in (
        ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        .pop("$defs", {})
        .items()
    ):
        schemas.setdefault(name, schema)
    schemas.setdefault(
        "ErrorBody",
        {
            k: v
            for k, v in ErrorBody.model_json_schema(
                ref_template="#/components/schemas/{model}"
            ).items()
            if k != "$defs"
        },
    )
    if _FASTAPI_422 not in str(spec.get("paths")):
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
    return spec


def install_shared_answers(app: FastAPI, open_paths: Collection[str]) -> None:
    """Make `app.openapi()` document the shared answers on every operation."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(generate(), open_paths)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
