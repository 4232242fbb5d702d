"""Benchmark: a mass-incident batch drafted by the composer, end to end through the store.

Run with `.venv/bin/python benchmarks/batches.py` (`--recipients N [N ...]`, `--workers W`). One
incident (the API.md example) goes to N recipients, each with their own name, reference,
refund amount and discount code; the job is created in a fresh SQLite store, drafted over W
worker processes (default: one per core) and every letter written back with its guardrail
report. Prints:

- letters per second once the worker pool is up, and from process start-up to the last letter
  (pipeline build, store and pool start-up included), with the CPU time per letter summed
  over every process;
- that every letter was checked on its own: each stored report passed, and its letter carries
  that recipient's own name, reference, amount and code;
- memory: the resident size of the coordinator and of the workers at each tenth of the job;
  flat means the last tenth is no larger than the first by more than a few MiB;
- the peak resident size of the coordinator and of the largest worker, for each batch size
  (by default 1,000 then 10,000, each in a fresh process): flat means about the same for both;
- the machine's load before and after, since other work on a shared machine slows the figure.

The target is at least 300 letters per second on 2 cores, every letter checked, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
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
from service.batches.work import choose_drafter  # noqa: E402
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


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident size of this process, and of its largest finished child (a worker)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def run_one(count: int, workers: int) -> int:
    """One batch of `count` recipients in this process; prints its figures."""
    load_before = os.getloadavg()
    cpu_before = os.times()
    setup_cpu_s = time.process_time()
    began = time.perf_counter()
    settings = Settings(_env_file=None, provider="offline", batch_pool_threshold=1)
    pipeline = build_pipeline(settings)
    setup_cpu_s = time.process_time() - setup_cpu_s
    template = DraftRequest.model_validate(REQUEST_DATA).model_dump(mode="json")
    rows = recipients(count)

    with tempfile.TemporaryDirectory(prefix="amends-bench-") as tmp:
        store = Store.open(f"sqlite+pysqlite:///{tmp}/amends.db")
        batches = BatchStore(store)
        started = time.perf_counter()
        job = batches.create(template, rows)
        created = time.perf_counter() - started
        del rows

        # As `amends batch` does: the workers start before any thread, so they are forked
        # from this warm process.
        pool_started = time.perf_counter()
        drafter = choose_drafter(settings, pipeline, template, job.total, workers)
        pool_up = time.perf_counter() - pool_started

        samples: list[tuple[int, float, float]] = []
        me = os.getpid()

        def progress(current: Job) -> None:
            finished = current.done + current.failed
            tenth = count // 10 or 1
            if not samples or finished // tenth > samples[-1][0] // tenth:
                workers_rss = sum(rss_mib(c) for c in children(me))
                samples.append((finished, rss_mib(me), workers_rss))

        run_started = time.perf_counter()
        run_cpu = time.process_time()
        job = asyncio.run(
            run_job(
                batches,
                job.id,
                settings=settings,
                pipeline=pipeline,
                progress=progress,
                drafter=drafter,
            )
        )
        elapsed = time.perf_counter() - run_started
        run_cpu = time.process_time() - run_cpu
        drafter.close()
        total_elapsed = time.perf_counter() - began

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

    cpu = os.times()
    cpu_s = (cpu.user - cpu_before.user) + (cpu.system - cpu_before.system)
    own_cpu_s = cpu_s
    cpu_s += (cpu.children_user - cpu_before.children_user) + (
        cpu.children_system - cpu_before.children_system
    )
    load_after = os.getloadavg()
    own_peak, worker_peak = peak_rss_mib()
    forked = getattr(drafter, "forked", None)
    print(f"recipients {job.total}, workers {workers}, cores {os.cpu_count()}")
    print(f"job stored in {created:.2f} s (recipients inserted into SQLite)")
    how = "forked from the warm coordinator" if forked else "spawned"
    print(f"worker pool up in {pool_up:.2f} s ({how})")
    print(
        f"drafted {job.done}, failed {job.failed} in {elapsed:.2f} s: "
        f"{job.total / elapsed:.0f} letters/s once the pool was up; "
        f"{job.total / total_elapsed:.0f} letters/s from process start-up to the last letter "
        f"({total_elapsed:.2f} s, pipeline build, store and pool start-up included)"
    )
    print(f"CPU: {cpu_s:.1f} s in all processes, {cpu_s / job.total * 1000:.2f} ms per letter")
    print(
        f"     coordinator {own_cpu_s:.1f} s ({own_cpu_s / job.total * 1000:.2f} ms per letter, "
        f"of which {setup_cpu_s:.1f} s building the pipeline and "
        f"{run_cpu / job.total * 1000:.2f} ms per letter while the job ran), workers "
        f"{cpu_s - own_cpu_s:.1f} s ({(cpu_s - own_cpu_s) / job.total * 1000:.2f} ms per letter)"
    )
    print(
        f"checked: {checked} of {job.total} stored reports passed; "
        f"{matched} of {job.total} letters carry their own recipient's name, reference, "
        "amount and code"
    )
    print("memory (MiB)   letters  coordinator  workers")
    for finished, own, workers_rss in samples:
        print(f"              {finished:7d}  {own:11.1f}  {workers_rss:7.1f}")
    if len(samples) >= 3:
        growth = (samples[-1][1] + samples[-1][2]) - (samples[1][1] + samples[1][2])
        print(f"memory growth from the 2nd sample to the last: {growth:+.1f} MiB")
    print(f"peak RSS: coordinator {own_peak:.1f} MiB, largest worker {worker_peak:.1f} MiB")
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(on a shared machine other processes take part of the {os.cpu_count()} cores)"
    )
    ok = job.failed == 0 and checked == job.total and matched == job.total
    print(f"PEAK {job.total} {own_peak:.1f} {worker_peak:.1f} {job.total / elapsed:.1f}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--recipients",
        type=int,
        nargs="+",
        default=[1_000, 10_000],
        help="batch sizes, each run in a fresh process (default: 1000 then 10000)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        return run_one(args.one, args.workers)

    status = 0
    peaks: list[str] = []
    for count in args.recipients:
        # A fresh process per size, so each peak RSS is that batch's own.
        command = [sys.executable, __file__, "--one", str(count), "--workers", str(args.workers)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        sys.stdout.write(
            "".join(
                line + "\n" for line in done.stdout.splitlines() if not line.startswith("PEAK ")
            )
        )
        sys.stderr.write(done.stderr[-2000:] if done.returncode else "")
        peaks += [line for line in done.stdout.splitlines() if line.startswith("PEAK ")]
        status = status or done.returncode
        print()
    print("peak RSS (MiB)  recipients  coordinator  largest worker  letters/s")
    for line in peaks:
        _, count, own, worker, rate = line.split()
        print(
            f"{'':16}{int(count):10d}  {float(own):11.1f}  {float(worker):14.1f}  "
            f"{float(rate):9.0f}"
        )
    return status


if __name__ == "__main__":
    sys.exit(main())
