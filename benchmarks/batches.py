"""Benchmark: a mass-incident batch drafted by the composer, end to end through the store.

Run with `.venv/bin/python benchmarks/batches.py` (`--recipients N`, `--workers W`). One
incident (the API.md example) goes to N recipients, each with their own name, reference,
refund amount and discount code; the job is created in a fresh SQLite store, drafted over W
worker processes (default: one per core) and every letter written back with its guardrail
report. Prints:

- letters per second over the whole job (worker start-up included) and once the pool is warm;
- that every letter was checked on its own: each stored report passed, and its letter carries
  that recipient's own name, reference, amount and code;
- memory: the resident size of the coordinator and of the workers at each tenth of the job;
  flat means the last tenth is no larger than the first by more than a few MiB;
- the machine's load before and after, since other work on a shared machine slows the figure.

The target is at least 300 letters per second on 2 cores, every letter checked, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from contract.models import DraftRequest  # noqa: E402
from service.batches.runner import run_job  # noqa: E402
from service.batches.store import BatchStore, Job  # noqa: E402
from service.pipeline import build_pipeline  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.store import Store  # noqa: E402

REQUEST_DATA: dict[str, Any] = json.loads(
    (ROOT / "tests" / "data" / "northwind_request.json").read_text(encoding="utf-8")
)


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def recipients(count: int) -> list[dict[str, str | None]]:
    return [
        {
            "id": f"cust-{i}",
            "name": f"Customer{i} Example",
            "reference": f"NW-{100000 + i}",
            "amount": f"${10 + i % 90}.{i % 100:02d}",
            "remedies.1.code": f"SORRY{i:05d}",
        }
        for i in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    load_before = os.getloadavg()
    settings = Settings(_env_file=None, provider="offline", batch_pool_threshold=1)
    pipeline = build_pipeline(settings)
    template = DraftRequest.model_validate(REQUEST_DATA).model_dump(mode="json")
    rows = recipients(args.recipients)

    with tempfile.TemporaryDirectory(prefix="amends-bench-") as tmp:
        store = Store.open(f"sqlite+pysqlite:///{tmp}/amends.db")
        batches = BatchStore(store)
        started = time.perf_counter()
        job = batches.create(template, rows)
        created = time.perf_counter() - started
        del rows

        samples: list[tuple[int, float, float]] = []
        first_letter: list[float] = []
        me = os.getpid()

        def progress(current: Job) -> None:
            finished = current.done + current.failed
            if not first_letter:
                first_letter.append(time.perf_counter())
            tenth = args.recipients // 10 or 1
            if not samples or finished // tenth > samples[-1][0] // tenth:
                workers = sum(rss_mib(c) for c in children(me))
                samples.append((finished, rss_mib(me), workers))

        run_started = time.perf_counter()
        job = asyncio.run(
            run_job(
                batches,
                job.id,
                settings=settings,
                pipeline=pipeline,
                workers=args.workers,
                progress=progress,
            )
        )
        elapsed = time.perf_counter() - run_started

        checked = matched = 0
        for row in batches.results(job.id):
            assert row.report is not None and row.body is not None, row.position
            checked += row.report["passed"] is True and "findings" in row.report
            facts = (
                row.recipient["name"].split()[0],
                row.recipient["reference"],
                row.recipient["amount"],
                row.recipient["remedies.1.code"],
            )
            matched += all(fact in row.body for fact in facts)
        store.close()

    warm = elapsed - (first_letter[0] - run_started) if first_letter else elapsed
    warm_letters = job.total - (samples[0][0] if samples else 0)
    load_after = os.getloadavg()
    print(f"recipients {job.total}, workers {args.workers}, cores {os.cpu_count()}")
    print(f"job stored in {created:.2f} s (recipients inserted into SQLite)")
    print(
        f"drafted {job.done}, failed {job.failed} in {elapsed:.2f} s: "
        f"{job.total / elapsed:.0f} letters/s overall, "
        f"{warm_letters / warm:.0f} letters/s once the workers were up"
    )
    print(
        f"checked: {checked} of {job.total} stored reports passed; "
        f"{matched} of {job.total} letters carry their own recipient's name, reference, "
        "amount and code"
    )
    print("memory (MiB)   letters  coordinator  workers")
    for finished, own, workers in samples:
        print(f"              {finished:7d}  {own:11.1f}  {workers:7.1f}")
    if len(samples) >= 3:
        growth = (samples[-1][1] + samples[-1][2]) - (samples[1][1] + samples[1][2])
        print(f"memory growth from the 2nd sample to the last: {growth:+.1f} MiB")
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(on a shared machine other processes take part of the {os.cpu_count()} cores)"
    )
    return 0 if job.failed == 0 and checked == job.total else 1


if __name__ == "__main__":
    sys.exit(main())
