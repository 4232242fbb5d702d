"""`Idempotency-Key` on `POST /v1/drafts`: the same key within the window gets the same answer.

A caller that retries a draft after a timeout must not get (or pay for) a second, different
letter. The first request with a key claims it in the store with a fingerprint of its body;
its successful answer is stored and replayed, byte for byte the same JSON, with
`Idempotent-Replayed: true`, to every later request with that key and body from the same
API key within `AMENDS_IDEMPOTENCY_WINDOW_S`. The body is compared as JSON, so a client that
serialises the same request again with other spacing or key order is answered again too.
The same key with another body is 422
`idempotency_key_reused`; while the first request is still running, 409
`idempotency_in_progress` (retry after a moment). An answer that is not a success is not
kept, so the caller may retry with the same key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.access import current_key_name
from service.http_errors import error_response
from service.logs import request_fields
from service.store import Store, utcnow

HEADER = b"idempotency-key"
KEY_PATTERN = r"^[\x21-\x7e]{1,255}$"
"""Printable ASCII without spaces, 1-255 characters."""
_VALID = re.compile(KEY_PATTERN)
PATHS = frozenset({"/v1/drafts"})
ANONYMOUS = "-"
"""The key name recorded when the service runs without API keys."""


class Idempotency:
    def __init__(self, app: ASGIApp, store: Callable[[], Store | None], window_s: int) -> None:
        self.app = app
        self.store = store
        self.window = timedelta(seconds=window_s)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        store = self.store()
        key = _header(scope)
        if (
            store is None
            or key is None
            or scope["type"] != "http"
            or scope["method"] != "POST"
            or scope["path"] not in PATHS
            or not _VALID.match(key)  # the route answers 422 naming the header
        ):
            await self.app(scope, receive, send)
            return
        message = await receive()
        body = message.get("body", b"")
        fingerprint = body_fingerprint(body)
        owner = current_key_name() or ANONYMOUS
        earlier = store.claim_idempotency(owner, key, fingerprint)
        if earlier is not None and utcnow() - earlier.created_at > self.window:
            store.release_idempotency(owner, key)  # an expired record: start afresh
            earlier = store.claim_idempotency(owner, key, fingerprint)
        if earlier is not None:
            await self._answer_again(earlier, fingerprint, scope, receive, send)
            return
        request_fields()["idempotency"] = "first"
        captured: dict[str, Any] = {"status": 0, "body": []}

        async def capture(out: Message) -> None:
            if out["type"] == "http.response.start":
                captured["status"] = out["status"]
            elif out["type"] == "http.response.body":
                captured["body"].append(out.get("body", b""))
            await send(out)

        async def replay() -> Message:
            return message

        try:
            await self.app(scope, replay, capture)
        finally:
            status = captured["status"]
            if 200 <= status < 300:
                answer = json.loads(b"".join(captured["body"]))
                store.complete_idempotency(owner, key, status, answer)
            else:
                store.release_idempotency(owner, key)

    async def _answer_again(
        self, earlier: Any, fingerprint: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if earlier.fingerprint != fingerprint:
            request_fields()["error"] = "idempotency_key_reused"
            response = error_response(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used with a different request body",
            )
        elif earlier.status_code is None:
            request_fields()["error"] = "idempotency_in_progress"
            response = error_response(
                409,
                "idempotency_in_progress",
                "a request with this Idempotency-Key is still being answered; retry shortly",
                headers={"Retry-After": "1"},
            )
        else:
            request_fields()["idempotency"] = "replayed"
            from fastapi.responses import JSONResponse

            response = JSONResponse(
                earlier.response,
                status_code=earlier.status_code,
                headers={"Idempotent-Replayed": "true"},
            )
        await response(scope, receive, send)


def body_fingerprint(body: bytes) -> str:
    """SHA-256 of the body's JSON value (keys sorted, no spacing), or of its bytes if it is
    not JSON that can be read (the route then says why)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return hashlib.sha256(body).hexdigest()
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == HEADER:
            return str(value.decode("latin-1"))
    return None
