"""Running a batch job to the end: pending recipients are read from the store a chunk at a
time, drafted (see `work`), and each chunk's letters written back in one transaction, with a
bounded number of chunks in flight. Memory stays flat whatever the batch's size.

A job that stops halfway (the process killed, Ctrl-C in the CLI, the server restarted) keeps
every finished letter in the store; running it again drafts only the recipients still
pending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import anyio

from service.batches.store import BatchStore, Job
from service.batches.work import Drafter, ItemResult, SharedPool, choose_drafter
from service.pipeline import Pipeline
from service.settings import Settings

Progress = Callable[[Job], None]


async def run_job(
    batches: BatchStore,
    job_id: str,
    *,
    settings: Settings,
    pipeline: Pipeline,
    workers: int | None = None,
    progress: Progress | None = None,
    drafter: Drafter | None = None,
    shared: SharedPool | None = None,
) -> Job:
    """Draft every pending recipient of the job; answers the finished job."""
    job = await anyio.to_thread.run_sync(batches.get, job_id)
    if job is None:
        raise KeyError(job_id)
    if job.pending == 0:
        await anyio.to_thread.run_sync(batches.set_status, job_id, "done")
        return job
    await anyio.to_thread.run_sync(batches.set_status, job_id, "running")
    template = job.request["incident"]
    key_name = job.key_name  # each letter's audit record names the key that asked for it
    owned = drafter is None
    drafter = drafter or choose_drafter(settings, pipeline, template, job.pending, workers, shared)
    try:
        await _drain(batches, job_id, drafter, key_name, progress)
    finally:
        if owned:
            await anyio.to_thread.run_sync(drafter.close)
    await anyio.to_thread.run_sync(batches.set_status, job_id, "done")
    finished = await anyio.to_thread.run_sync(batches.get, job_id)
    assert finished is not None
    return finished


async def _drain(
    batches: BatchStore,
    job_id: str,
    drafter: Drafter,
    key_name: str | None,
    progress: Progress | None,
) -> None:
    in_flight: set[asyncio.Future[list[ItemResult]]] = set()
    cursor = -1
    exhausted = False
    try:
        while True:
            while not exhausted and len(in_flight) < drafter.window:
                items = await anyio.to_thread.run_sync(
                    batches.pending, job_id, cursor, drafter.chunk_size
                )
                if not items:
                    exhausted = True
                    break
                cursor = items[-1].position
                in_flight.add(asyncio.ensure_future(_awaited(drafter.submit(items))))
            if not in_flight:
                return
            finished, in_flight = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            for future in finished:
                await anyio.to_thread.run_sync(batches.save, job_id, future.result(), key_name)
            if progress is not None:
                job = await anyio.to_thread.run_sync(batches.get, job_id)
                if job is not None:
                    progress(job)
    finally:
        for future in in_flight:
            future.cancel()


async def _awaited(awaitable: Awaitable[list[ItemResult]]) -> list[ItemResult]:
    return await awaitable
