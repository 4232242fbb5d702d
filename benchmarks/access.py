"""Benchmark: what the key check and the rate limit add to one request.

Run with `.venv/bin/python benchmarks/access.py`. Drives `service.access.AccessGuard` in
process, in front of an app that answers at once, on a SQLite store in a temporary directory
(as `amends serve` uses by default), and prints the median and p99 time per request:

- without keys (the guard only learns that none exist),
- with a key on `POST /v1/checks` (key lookup, cached per process for a second, plus the
  request counted against the key's per-minute limit: from the process's reservation, with
  one store upsert per reserved block),
- with a key on `POST /v1/drafts` (plus the token-budget read, one SELECT kept for a second).

Both at the default limit (`AMENDS_KEY_REQUESTS_PER_MINUTE`, 120: blocks of 6), with the
guard's clock advanced so that the key stays just within its limit, and at an unlimited rate
(blocks of 100). The figures that count are the differences to the no-key run, as the
median and as the mean (the mean carries the store writes, spread over their blocks); the
target is at most 0.3 ms. PostgreSQL is measured too when `AMENDS_TEST_DATABASE_URL` names
one.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.access import AccessGuard  # noqa: E402
from service.keys import key_hash, new_key  # noqa: E402
from service.logs import AccessLog  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.store import Store  # noqa: E402

RUNS = 3000
TARGET_MS = 0.3


async def _ok(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def _time(app: Any, path: str, headers: list[tuple[bytes, bytes]]) -> list[float]:
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await app(dict(scope), receive, send)
        times.append((time.perf_counter() - started) * 1000)
    assert set(statuses) == {200}, set(statuses)
    return sorted(times)


Figures = tuple[float, float]
"""(median, mean) milliseconds per request"""


def _row(label: str, times: list[float], base: Figures | None = None) -> Figures:
    median, mean = statistics.median(times), statistics.fmean(times)
    p99 = times[int(len(times) * 0.99)]
    added = ""
    if base is not None:
        added = f"  adds {median - base[0]:.3f} ms (median), {mean - base[1]:.3f} ms (mean)"
    print(f"  {label:<40} median {median:.3f}  mean {mean:.3f}  p99 {p99:.3f} ms{added}")
    return median, mean


def _clock(per_minute: int) -> Any:
    """A clock that moves on 60/per_minute seconds at each reading, so that a key sending
    one request per reading stays just within its limit."""
    ticks = itertools.count()
    start = time.time()
    return lambda: start + next(ticks) * 60 / per_minute


async def _measure(store: Store, label: str) -> float:
    print(f"{label}:")
    base_app = AccessLog(AccessGuard(_ok, Settings(_env_file=None), lambda: store))
    base = _row("no keys", await _time(base_app, "/v1/checks", []))
    key = new_key()
    store.add_key(f"bench-{time.time_ns()}", key_hash(key))
    bearer = [(b"authorization", f"Bearer {key}".encode())]
    worst = 0.0
    default = Settings(_env_file=None).key_requests_per_minute
    for per_minute, clock in ((default, _clock(default)), (10**9, time.time)):
        # The benchmark measures the cost of counting, not of refusing: the key stays within
        # its limit, and its token budget is never reached.
        settings = Settings(_env_file=None, key_requests_per_minute=per_minute)
        app = AccessLog(AccessGuard(_ok, settings, lambda: store, clock=clock))
        limit = "default limit" if per_minute == default else "no limit"
        for path, what in (("/v1/checks", "key + rate"), ("/v1/drafts", "key + rate + budget")):
            median, mean = _row(f"{what}, {path} ({limit})", await _time(app, path, bearer), base)
            worst = max(worst, median - base[0], mean - base[1])
    return worst


def main() -> None:
    worst = []
    with tempfile.TemporaryDirectory() as data_dir:
        store = Store.open(Settings(_env_file=None, data_dir=Path(data_dir)))
        worst.append(asyncio.run(_measure(store, "SQLite (WAL) in the data directory")))
        store.close()
    url = os.environ.get("AMENDS_TEST_DATABASE_URL")
    if url:
        store = Store.open(url)
        worst.append(asyncio.run(_measure(store, "PostgreSQL")))
        store.close()
    else:
        print("PostgreSQL: not measured (AMENDS_TEST_DATABASE_URL is not set)")
    verdict = "met" if max(worst) <= TARGET_MS else "NOT met"
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; worst added "
        f"{max(worst):.3f} ms; target <= {TARGET_MS} ms (median and mean): {verdict}"
    )


if __name__ == "__main__":
    main()
