"""Benchmark: what writing the audit record adds to one request, on SQLite and PostgreSQL.

Run with `.venv/bin/python benchmarks/audit.py` (`make bench` runs it). The measured step is
everything the API does for the audit trail after the pipeline has produced a draft
(`Recorder.draft`), for a real composer draft of the API.md example: the request's
fingerprint, the record's JSON, and the committed INSERT on SQLite (and with durable commits);
on PostgreSQL in the default commit mode, handing the record to the store's writer thread,
which commits it in a batch just after. The CPU figure is the whole process's (writer thread
included), and the script checks that every record reached the table. The store's rate-window
upsert (one per request once limits are on) is timed as well. Target: at most 1 ms per request
(median) on each backend, in the default commit mode; `AMENDS_DURABLE_COMMIT=true` (every
commit waits for the disk's flush) is measured too, since there the disk decides.

Wall time on a shared machine includes waiting for a core, so the script also prints the CPU
time per request and the load average it ran under.

PostgreSQL is measured when `AMENDS_TEST_DATABASE_URL` names one
(`eval "$(bash .ci/postgres start)"`); otherwise the script says it was not measured.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contract.models import DraftRequest  # noqa: E402
from service.audit import Recorder  # noqa: E402
from service.metrics import Metrics  # noqa: E402
from service.pipeline import build_pipeline  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.store import Store, schema  # noqa: E402

WARMUP = 50
RUNS = 1000
TARGET_MS = 1.0

REQUEST = DraftRequest.model_validate_json(
    (ROOT / "tests" / "data" / "northwind_request.json").read_text(encoding="utf-8")
)


def _figures(timings: list[float]) -> str:
    timings = sorted(timings)
    median = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95)]
    return f"median {median:.3f} ms, p95 {p95:.3f} ms"


async def _time(step: Callable[[], Awaitable[object]], runs: int) -> tuple[list[float], float]:
    """Wall milliseconds of each run, and the process's CPU milliseconds per run."""
    for _ in range(WARMUP):
        await step()
    timings = []
    cpu = time.process_time()
    for _ in range(runs):
        start = time.perf_counter()
        await step()
        timings.append((time.perf_counter() - start) * 1000)
    return timings, (time.process_time() - cpu) * 1000 / runs


async def measure(store: Store, label: str) -> bool:
    settings = Settings(_env_file=None, provider="offline")
    recorder = Recorder(store, settings, Metrics())
    draft = await build_pipeline(settings).draft(REQUEST)
    size = len(draft.model_dump_json())

    written: list[str] = []

    async def audit() -> object:
        stored = await recorder.draft("draft", REQUEST, draft, None)
        written.append(stored.meta.id or "")
        return stored

    counter = iter(range(10**9))

    async def rate() -> object:
        bucket = f"bench:{next(counter) % 50}"
        return await asyncio.to_thread(store.hit, bucket, 60)

    audit_ms, audit_cpu = await _time(audit, RUNS)
    # On PostgreSQL the records are committed by the store's writer thread just after the
    # answers: wait for it, and count what reached the table.
    start = time.perf_counter()
    await asyncio.to_thread(store.flush)
    caught_up = (time.perf_counter() - start) * 1000
    with store.engine.connect() as c:
        stored = c.execute(
            sa.select(sa.func.count())
            .select_from(schema.audit_records)
            .where(schema.audit_records.c.id.in_(written))
        ).scalar_one()
    rate_ms, rate_cpu = await _time(rate, RUNS)
    median = statistics.median(audit_ms)
    print(
        f"{label}: audit record ({size:,}-byte draft), {RUNS} requests: "
        f"{_figures(audit_ms)}, CPU {audit_cpu:.3f} ms"
    )
    how = "before answering"
    if recorder.background_writes:
        how = f"by the writer thread, the last {caught_up:.0f} ms after the last answer"
    print(f"{label}: {stored:,} of {len(written):,} records in the table, committed {how}")
    if stored != len(written):
        print(f"{label}: RECORDS MISSING")
    print(f"{label}: rate-window upsert: {_figures(rate_ms)}, CPU {rate_cpu:.3f} ms")
    met = median <= TARGET_MS and stored == len(written)
    print(f"{label}: median <= {TARGET_MS} ms per request:", "met" if met else "NOT met")
    with store.engine.begin() as c:  # leave a shared database as it was
        c.execute(schema.audit_records.delete().where(schema.audit_records.c.id.in_(written)))
        c.execute(schema.rate_windows.delete().where(schema.rate_windows.c.bucket.like("bench:%")))
    return met


async def main() -> int:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    results = {}
    url = os.environ.get("AMENDS_TEST_DATABASE_URL")
    for durable in (False, True):
        mode = "durable commit" if durable else "default commit"
        with tempfile.TemporaryDirectory() as data_dir:
            settings = Settings(_env_file=None, data_dir=Path(data_dir), durable_commit=durable)
            sqlite = Store.open(settings)
            label = f"SQLite, {mode}"
            results[label] = await measure(sqlite, label)
            sqlite.close()
        if url:
            settings = Settings(_env_file=None, database_url=url, durable_commit=durable)
            postgres = Store.open(settings)
            label = f"PostgreSQL (loopback), {mode}"
            results[label] = await measure(postgres, label)
            postgres.close()
    if not url:
        print("PostgreSQL: not measured (set AMENDS_TEST_DATABASE_URL)")
    print(json.dumps({"target_met": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
