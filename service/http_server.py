"""Serving the app with uvicorn, with a deadline and a size limit for request headers.

uvicorn closes idle keep-alive connections but sets no deadline on a request's headers: a
client that opens a connection and trickles a header byte at a time keeps its socket, and
enough of them exhaust the server (slowloris). `HeaderDeadlineProtocol` is uvicorn's httptools
protocol plus one timer: armed when a connection opens and whenever bytes of a new request
start to arrive, cancelled once the request line and headers are complete, and closing the
connection when it fires. The body's deadline is `service.request_body`'s job.

httptools keeps a header's bytes until the header ends and sets no limit on them either (a
70 MB header was read and answered). The protocol counts the bytes that arrive while a
request's headers are incomplete; past `max_header_bytes` it answers 431 in the API's error
shape and closes the connection. A chunk that completes one pipelined request and starts the
next is not counted, so the count can fall short by one read (at most 256 KiB), never over.
"""

from __future__ import annotations

import asyncio
import json
import logging

import uvicorn
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from service.logs import log_config
from service.settings import Settings, get_settings

log = logging.getLogger("amends.http")

APP_FACTORY = "service.app:create_app"


class HeaderDeadlineProtocol(HttpToolsProtocol):
    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, object],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        # Read here, not passed in, so every worker process builds the same protocol.
        settings = get_settings()
        self.header_timeout_s = settings.header_timeout_s
        self.max_header_bytes = settings.max_header_bytes
        self._header_timer: asyncio.TimerHandle | None = None
        self._awaiting_headers = True
        self._header_bytes = 0
        """Bytes of the current request's line and headers received so far."""
        self._restarted = False
        """Set when headers complete or a request ends while a chunk is being parsed."""
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # the rest of an oversized request, read only so the 431 is delivered
        if self._awaiting_headers and self._header_timer is None:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        self._restarted = False
        super().data_received(data)
        if not self._awaiting_headers or self.transport.is_closing():
            return
        # Still inside a request's headers: all of this chunk was header bytes, unless a
        # request ended within it (then only an unknown part was, and none is counted).
        self._header_bytes = 0 if self._restarted else self._header_bytes + len(data)
        if self._header_bytes > self.max_header_bytes:
            self._headers_too_large()

    def on_headers_complete(self) -> None:
        self._awaiting_headers = False
        self._header_bytes = 0
        self._restarted = True
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._awaiting_headers = True  # whatever comes next starts a new request
        self._header_bytes = 0
        self._restarted = True
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._header_timer = self.loop.call_later(self.header_timeout_s, self._headers_late)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_late(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            log.info(
                "closed a connection whose request headers took over %g s",
                self.header_timeout_s,
                extra={"reason": "header_timeout"},
            )
            self.transport.close()

    def _headers_too_large(self) -> None:
        self._disarm()
        log.info(
            "closed a connection whose request headers passed %d bytes",
            self.max_header_bytes,
            extra={"reason": "headers_too_large"},
        )
        if self.cycle is not None and not self.cycle.response_complete:
            self.transport.close()  # an earlier request is still being answered
            return
        # Closing at once with unread bytes would reset the connection and lose the answer:
        # send it, end the writing side, discard what still arrives, close in a second.
        self._refused = True
        self.transport.write(_too_large_answer(self.max_header_bytes))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(1.0, self.transport.close)


def _too_large_answer(limit: int) -> bytes:
    error = {
        "code": "headers_too_large",
        "message": f"request line and headers are larger than the limit of {limit} bytes",
        "details": {"limit_bytes": limit},
    }
    body = json.dumps({"error": error}).encode()
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run the API; with `workers` > 1, uvicorn starts that many processes on the port."""
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=HeaderDeadlineProtocol,
        loop="uvloop",
        timeout_keep_alive=settings.keep_alive_timeout_s,
        log_config=log_config(settings.log_level),
        access_log=False,  # `service.logs.AccessLog` writes one JSON line per request
        server_header=False,
    )
