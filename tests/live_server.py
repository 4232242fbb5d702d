"""A real `amends serve` process on a free loopback port, for tests that need real sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A free loopback port: the first of `AMENDS_TEST_PORTS` ("8480-8499") that is free when
    that is set, so that runs on a shared machine stay in their own range; else any."""
    first, _, last = os.environ.get("AMENDS_TEST_PORTS", "0").partition("-")
    for candidate in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port: int = probe.getsockname()[1]
            return port
    raise RuntimeError(f"no free port in AMENDS_TEST_PORTS={first}-{last or first}")


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def live_server(env: dict[str, str], startup_s: float = 120.0) -> Iterator[LiveServer]:
    """Start the server with `env` (AMENDS_* settings) and yield where it listens."""
    port = free_port()
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AMENDS_")},
        "AMENDS_LOG_LEVEL": "warning",
        "AMENDS_DATA_DIR": tempfile.mkdtemp(prefix="amends-live-"),
        **env,
    }
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "service.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=ROOT,
            env=full_env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + startup_s
            while True:
                try:
                    if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    err = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"amends serve did not start: {err}")
                time.sleep(0.1)
            yield LiveServer(base_url, port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
