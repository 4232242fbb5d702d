"""Benchmark: `POST /v1/checks` through one real worker at concurrency 50, over loopback.

Run with `.venv/bin/python benchmarks/http_checks.py [--requests N] [--concurrency C]`.
Starts `amends serve` (one worker) on a free port, sends a ~200-word letter with its request
as context (every rule runs), and prints latency percentiles and throughput. The target is a
p99 of at most 250 ms at concurrency 50. With `--key`, the server has an API key and every
request carries it, so the figure includes the key check and the rate limit.

The load comes from a minimal keep-alive HTTP/1.1 client on asyncio streams, so that on a
two-core machine the client takes as little of the CPU as it can from the server it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contract.models import DraftRequest  # noqa: E402
from service.composer import compose_draft  # noqa: E402
from service.keys import key_hash, new_key  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.store import Store  # noqa: E402
from tests.live_server import live_server  # noqa: E402


def _payload() -> bytes:
    data = json.loads((ROOT / "tests" / "data" / "northwind_request.json").read_text("utf-8"))
    request = DraftRequest.model_validate(data)
    letter = compose_draft(request)
    return json.dumps(
        {"subject": letter.subject, "body": letter.body, "channel": "email", "context": data}
    ).encode()


async def _client(
    port: int, request: bytes, count: int, latencies: list[float], statuses: dict[int, int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for _ in range(count):
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()
    await writer.wait_closed()


async def _load(port: int, body: bytes, total: int, concurrency: int, key: str | None) -> None:
    auth = f"Authorization: Bearer {key}\r\n".encode() if key else b""
    request = (
        b"POST /v1/checks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + auth
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    warm_latencies: list[float] = []
    await _client(port, request, 50, warm_latencies, {})
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    per_client = total // concurrency
    started = time.perf_counter()
    await asyncio.gather(
        *(_client(port, request, per_client, latencies, statuses) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p / 100 * len(ms)))]

    with_key = ", with an API key" if key else ""
    print(f"POST /v1/checks, one worker, concurrency {concurrency}, {len(ms)} requests{with_key}")
    print(f"  statuses: {dict(sorted(statuses.items()))}")
    print(f"  throughput: {len(ms) / elapsed:.0f} req/s")
    print(
        f"  latency ms: p50 {pct(50):.1f}  p90 {pct(90):.1f}  p99 {pct(99):.1f}  "
        f"max {ms[-1]:.1f}  mean {statistics.fmean(ms):.1f}"
    )
    print(f"  target p99 <= 250 ms: {'met' if pct(99) <= 250 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--key", action="store_true", help="require and send an API key")
    args = parser.parse_args()
    env = {"AMENDS_LOG_LEVEL": "warning"}
    key = None
    if args.key:
        # A key in the server's data directory, and a limit the run stays within, so every
        # request pays for the key check and for being counted, and none is refused.
        data_dir = tempfile.mkdtemp(prefix="amends-bench-")
        store = Store.open(Settings(_env_file=None, data_dir=data_dir))
        key = new_key()
        store.add_key("benchmark", key_hash(key))
        store.close()
        env |= {"AMENDS_DATA_DIR": data_dir, "AMENDS_KEY_REQUESTS_PER_MINUTE": "1000000"}
    with live_server(env) as server:
        cpu_before = server.cpu_seconds()
        asyncio.run(_load(server.port, _payload(), args.requests, args.concurrency, key))
        cpu = server.cpu_seconds() - cpu_before
        print(f"  server CPU per request: {cpu / (args.requests + 50) * 1000:.3f} ms")
    # p99 follows the machine's speed: on a shared machine, read it beside the load.
    print(f"  load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
