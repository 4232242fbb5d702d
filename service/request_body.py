"""ASGI middleware that admits a request body only if it is JSON, arrives in time and fits.

In order, for POST, PUT and PATCH:

- a body that is not declared as JSON (`application/json` or `application/*+json`) is 415,
  before a byte of it is read, except a form upload (`multipart/form-data`) on the paths
  whose route reads one (`upload_paths`: `POST /v1/batches` takes its recipients as a CSV
  file); an empty body with no content type passes, so the route can say which field is
  missing;
- the declared Content-Length over the limit is 413 at once, and so are the bytes that
  actually arrive past it (a chunked upload cannot slip past);
- the whole body must arrive within `read_timeout_s`, counted from the first `receive`: a
  client that trickles bytes is answered 408 and the connection is closed, so it cannot
  hold a worker's socket open (headers have their own deadline in `service.http_server`);
- a JSON body that is not UTF-8 is 400 `undecodable_body` (RFC 8259 JSON is UTF-8); a form
  upload's parts are decoded, and named when they cannot be, by the route.

The body is then replayed to the app in one piece.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.http_errors import error_response

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def is_form_upload(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "multipart/form-data"


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    kind, _, subtype = media_type.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


class _TooLarge(Exception):
    pass


class RequestBodyGate:
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        read_timeout_s: float,
        per_path: Mapping[str, int] | None = None,
        upload_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.read_timeout_s = read_timeout_s
        self.per_path = dict(per_path or {})
        """Paths with a size limit of their own (`/v1/batches` carries many recipients)."""
        self.upload_paths = upload_paths
        """Paths that also take `multipart/form-data` (their route parses and checks it)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        upload = scope["path"] in self.upload_paths and is_form_upload(content_type)
        if content_type and not upload and not is_json_media_type(content_type):
            await self._unsupported(content_type, scope, receive, send)
            return
        limit = self.per_path.get(scope["path"], self.max_bytes)
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._too_large(limit, scope, receive, send)
            return
        try:
            async with asyncio.timeout(self.read_timeout_s):
                body = await self._read(receive, limit)
        except TimeoutError:
            await self._too_slow(scope, receive, send)
            return
        except _TooLarge:
            await self._too_large(limit, scope, receive, send)
            return
        if body is None:  # the client went away
            return
        if body and not content_type:
            await self._unsupported(content_type, scope, receive, send)
            return
        try:
            if not upload:
                body.decode("utf-8")
        except UnicodeDecodeError as exc:
            await error_response(
                400,
                "undecodable_body",
                f"request body is not UTF-8 text (invalid byte at offset {exc.start})",
                {"offset": exc.start},
            )(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive, limit: int) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _unsupported(
        self, content_type: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        shown = content_type[:100] or "none"
        accepted = "content-type: application/json"
        if scope["path"] in self.upload_paths:
            accepted += ", or a form upload: multipart/form-data"
        response = error_response(
            415,
            "unsupported_media_type",
            f"request body must be JSON ({accepted}), not {shown}",
            {"content_type": content_type[:100] or None},
        )
        await response(scope, receive, send)

    async def _too_large(self, limit: int, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            "payload_too_large",
            f"request body is larger than the limit of {limit} bytes",
            {"limit_bytes": limit},
            # The rest of the body is never read, so the connection cannot be reused.
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)

    async def _too_slow(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            408,
            "request_timeout",
            f"request body did not arrive within {self.read_timeout_s:g} s",
            {"timeout_s": self.read_timeout_s},
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)
