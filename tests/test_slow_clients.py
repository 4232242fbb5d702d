"""Slow clients against a real server on loopback: a connection that trickles its headers or
its body is cut off within the configured timeout, and the server keeps answering others."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import LiveServer, live_server

HEADER_TIMEOUT_S = 1.0
BODY_TIMEOUT_S = 1.0
MAX_HEADER_BYTES = 8192
SLACK_S = 2.0
"""Time allowed past the timeout on a busy two-core machine."""


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    env = {
        "AMENDS_HEADER_TIMEOUT_S": str(HEADER_TIMEOUT_S),
        "AMENDS_BODY_TIMEOUT_S": str(BODY_TIMEOUT_S),
        "AMENDS_MAX_HEADER_BYTES": str(MAX_HEADER_BYTES),
    }
    with live_server(env) as running:
        yield running


def _open(port: int, first_bytes: bytes) -> socket.socket:
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    if first_bytes:
        conn.sendall(first_bytes)
    return conn


def _seconds_until_closed(conns: list[socket.socket], started: float) -> tuple[float, bytes]:
    """Read every connection to EOF; the latest close, and what the last one was sent."""
    latest = 0.0
    answer = b""
    for conn in conns:
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        latest = max(latest, time.monotonic() - started)
        conn.close()
    return latest, answer


PARTIAL_HEADERS = b"POST /v1/checks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: applic"
PARTIAL_BODY = (
    b"POST /v1/checks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 60000\r\n\r\n" + b'{"body": "' + b"x" * 90
)


@pytest.mark.parametrize(
    ("first_bytes", "timeout_s", "answer"),
    [
        (b"", HEADER_TIMEOUT_S, b""),
        (PARTIAL_HEADERS, HEADER_TIMEOUT_S, b""),
        (PARTIAL_BODY, BODY_TIMEOUT_S, b"HTTP/1.1 408 "),
    ],
    ids=["silent", "partial headers", "partial body"],
)
def test_slow_clients_are_disconnected_within_the_timeout(
    server: LiveServer, first_bytes: bytes, timeout_s: float, answer: bytes
) -> None:
    started = time.monotonic()
    conns = [_open(server.port, first_bytes) for _ in range(30)]
    # Meanwhile an ordinary caller is served at once.
    assert httpx.get(f"{server.base_url}/healthz", timeout=5).status_code == 200
    latest, last_answer = _seconds_until_closed(conns, started)
    assert latest < timeout_s + SLACK_S, f"last slow connection closed after {latest:.2f} s"
    assert last_answer.startswith(answer), last_answer[:200]


def test_headers_trickled_a_byte_at_a_time_do_not_reset_the_deadline(
    server: LiveServer,
) -> None:
    conn = _open(server.port, b"G")
    started = time.monotonic()
    closed_after = None
    for byte in b"ET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 100:
        try:
            conn.sendall(bytes([byte]))
        except OSError:
            closed_after = time.monotonic() - started
            break
        time.sleep(0.1)
    conn.close()
    assert closed_after is not None, "the server kept a trickling connection open for 10 s"
    assert closed_after < HEADER_TIMEOUT_S + SLACK_S


def _answer(conn: socket.socket) -> bytes:
    answer = b""
    while chunk := conn.recv(65536):
        answer += chunk
    conn.close()
    return answer


def test_headers_past_the_size_limit_are_answered_431_and_closed(server: LiveServer) -> None:
    # One header that never ends: without a limit the server reads it for as long as it comes.
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 4 * MAX_HEADER_BYTES
    answer = _answer(_open(server.port, head))
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b'"code": "headers_too_large"' in answer


def test_headers_within_the_limit_and_a_body_in_the_same_read_are_answered(
    server: LiveServer,
) -> None:
    body = b'{"body": "' + b"x" * 2 * MAX_HEADER_BYTES + b'"}'
    head = (
        b"POST /v1/checks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Connection: close\r\nX-Pad: " + b"p" * (MAX_HEADER_BYTES - 200) + b"\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    answer = _answer(_open(server.port, head + body))
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:300]
