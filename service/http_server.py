"""Serving the app with uvicorn, with a deadline for request headers.

uvicorn closes idle keep-alive connections but sets no deadline on a request's headers: a
client that opens a connection and trickles a header byte at a time keeps its socket, and
enough of them exhaust the server (slowloris). `HeaderDeadlineProtocol` is uvicorn's httptools
protocol plus one timer: armed when a connection opens and whenever bytes of a new request
start to arrive, cancelled once the request line and headers are complete, and closing the
connection when it fires. The body's deadline is `service.request_body`'s job.
"""

from __future__ import annotations

import asyncio
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
        self.header_timeout_s = get_settings().header_timeout_s
        self._header_timer: asyncio.TimerHandle | None = None
        self._awaiting_headers = True

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._awaiting_headers and self._header_timer is None:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._awaiting_headers = False
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._awaiting_headers = True  # whatever comes next starts a new request
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
