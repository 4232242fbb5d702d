"""Two service processes sharing one PostgreSQL: what one writes, the other reads and decides.

Each process is a real `amends serve` on its own loopback port, started together against a
fresh database (so they also race to migrate it, under the advisory lock).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import NORTHWIND_REQUEST

AMENDS = Path(sys.executable).parent / "amends"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_ready(process: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"amends serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"amends serve at {base} did not answer within 90 s:\n{log.read_text()}")


@pytest.fixture
def two_services(fresh_postgres_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    processes: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    for name in ("a", "b"):
        port = _free_port()
        env = {
            **os.environ,
            "AMENDS_DATABASE_URL": fresh_postgres_url,
            "AMENDS_DATA_DIR": str(tmp_path / name),
            "AMENDS_PROVIDER": "offline",
            "AMENDS_HOST": "127.0.0.1",
            "AMENDS_PORT": str(port),
            "AMENDS_LOG_LEVEL": "warning",
        }
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(AMENDS), "serve"], env=env, stdout=out, stderr=subprocess.STDOUT
            )
        processes.append((process, f"http://127.0.0.1:{port}", log))
    try:
        for process, base, log in processes:
            _wait_ready(process, base, log)
        yield processes[0][1], processes[1][1]
    finally:
        for process, _, _ in processes:
            process.terminate()
        for process, _, _ in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_draft_written_through_one_process_is_read_and_reviewed_through_the_other(
    two_services: tuple[str, str],
) -> None:
    a, b = two_services
    cautious = {**NORTHWIND_REQUEST, "liability": "cautious"}
    written = httpx.post(f"{a}/v1/drafts", json=cautious, timeout=30)
    assert written.status_code == 200, written.text
    draft = written.json()
    draft_id = draft["meta"]["id"]

    read = httpx.get(f"{b}/v1/drafts/{draft_id}", timeout=10)
    assert read.status_code == 200
    assert read.json() == draft

    queue = httpx.get(f"{b}/v1/reviews", timeout=10).json()
    assert [item["id"] for item in queue["pending"]] == [draft_id]
    decided = httpx.post(f"{b}/v1/reviews/{draft_id}", json={"decision": "approve"}, timeout=10)
    assert decided.status_code == 200, decided.text

    assert httpx.get(f"{a}/v1/drafts/{draft_id}", timeout=10).json()["review"]["status"] == (
        "approved"
    )
    assert httpx.get(f"{a}/v1/reviews", timeout=10).json()["total"] == 0
    again = httpx.post(f"{a}/v1/reviews/{draft_id}", json={"decision": "reject"}, timeout=10)
    assert again.status_code == 409


def _amends(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The `amends` CLI against the shared database, as an operator runs it."""
    env = {**os.environ, "AMENDS_DATABASE_URL": url, "AMENDS_LOG_LEVEL": "warning"}
    return subprocess.run(
        [str(AMENDS), *args], env=env, capture_output=True, text=True, timeout=120, check=True
    )


def _status_within(url: str, key: str, expected: int, seconds: float) -> int:
    """The status of a check through `url` with `key`, asked until it is `expected` or
    `seconds` have passed (each process keeps a key lookup for up to a second)."""
    deadline = time.monotonic() + seconds
    while True:
        status = httpx.post(
            f"{url}/v1/checks",
            json={"body": "We are sorry your parcel was late."},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        ).status_code
        if status == expected or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def test_a_key_revoked_while_both_processes_use_it_is_refused_by_both(
    two_services: tuple[str, str], fresh_postgres_url: str
) -> None:
    """`amends keys create` makes a key both running processes accept at once; revoked
    (through the store they share, by the CLI), it is refused by both, A as well as B,
    within the one-second key cache, though both had just used it."""
    a, b = two_services
    key = _amends(fresh_postgres_url, "keys", "create", "support-desk").stdout.strip()
    assert key.startswith("amends_")
    for service in (a, b):
        assert _status_within(service, key, 200, 3) == 200
        anonymous = httpx.post(f"{service}/v1/checks", json={"body": "Sorry."}, timeout=10)
        assert anonymous.status_code == 401, "a key exists, so every caller needs one"
    _amends(fresh_postgres_url, "keys", "revoke", "support-desk")
    for service in (b, a):
        assert _status_within(service, key, 403, 3) == 403
        refused = httpx.post(
            f"{service}/v1/checks",
            json={"body": "Sorry."},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        assert refused.json()["error"]["code"] == "api_key_revoked"
