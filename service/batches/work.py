"""Drafting a batch's letters: each recipient's request built, drafted through the pipeline and
checked by the guardrails on its own, in chunks.

With the offline composer the work is CPU-bound, so chunks go to a pool of processes, one per
core, each with its own pipeline. With a model the work waits on the network, so chunks run in
the caller's event loop with a bounded number of drafts in flight; the pipeline's retry layer
honours the model server's 429 and `Retry-After`.

Every recipient yields exactly one `ItemResult`, `done` or `failed` with the error: nothing is
dropped, whatever goes wrong.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from contract.models import CheckRequest, DraftRequest
from service.audit import draft_record, review_reasons
from service.batches.recipients import recipient_request
from service.composer import compose_draft
from service.errors import AmendsError
from service.pipeline import Pipeline, build_pipeline, check_request
from service.settings import Settings
from service.store import AuditRecord

Recipient = Mapping[str, str | None]


@dataclass(frozen=True)
class Item:
    """One recipient to draft for: its position in the batch and its facts."""

    position: int
    recipient: Recipient


@dataclass(frozen=True)
class ItemResult:
    """What became of one recipient: the letter, or why there is none. Plain data, so that it
    crosses process boundaries cheaply."""

    position: int
    status: Literal["done", "failed"]
    letter: AuditRecord | None = None
    """The letter's audit record (`service.audit.draft_record`, the API's builder), with the
    request, report and meta already encoded as JSON by the worker that drafted it, so that
    what crosses back to the coordinator is a few strings, and the coordinator only writes
    them (naming the job's key)."""
    error: dict[str, Any] | None = None
    review: tuple[str, ...] = ()
    """Why a person should read the letter before it is sent (as for any API draft); the
    letter is then held in the review queue."""


async def draft_item(
    pipeline: Pipeline,
    template: Mapping[str, Any],
    item: Item,
    keep_customer_message: bool = False,
) -> ItemResult:
    request = recipient_request(template, item.recipient)
    if isinstance(request, list):
        first = request[0]
        message = f"{first['field']}: {first['message']}"
        error = {"code": "invalid_recipient", "message": message, "details": request}
        return ItemResult(item.position, "failed", error=error)
    try:
        draft = await pipeline.draft(request)
    except AmendsError as exc:
        error = {"code": exc.code, "message": exc.message, "details": exc.details}
        return ItemResult(item.position, "failed", error=error)
    except Exception as exc:  # a bug must fail one letter, listed, not the whole batch
        error = {"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"}
        return ItemResult(item.position, "failed", error=error)
    if not draft.guardrails.passed:  # the pipeline never returns one; a batch checks anyway
        error = {"code": "draft_failed_guardrails", "message": "the letter failed the checks"}
        return ItemResult(item.position, "failed", error=error)
    reasons = tuple(review_reasons(draft, request))
    letter = draft_record("draft", request, draft, keep_customer_message=keep_customer_message)
    return ItemResult(item.position, "done", letter, review=reasons)


class Drafter(Protocol):
    """Drafts one chunk of items; a batch keeps `window` chunks in flight."""

    window: int
    chunk_size: int

    def submit(self, items: Sequence[Item]) -> Awaitable[list[ItemResult]]: ...

    def close(self) -> None: ...


class AsyncDrafter:
    """Drafts in the caller's event loop with at most `concurrency` drafts in flight: for a
    model, whose drafts wait on the network."""

    def __init__(
        self,
        pipeline: Pipeline,
        template: Mapping[str, Any],
        concurrency: int,
        chunk_size: int = 16,
        keep_customer_message: bool = False,
    ) -> None:
        self.pipeline = pipeline
        self.template = template
        self.keep = keep_customer_message
        self.limit = asyncio.Semaphore(concurrency)
        # Letters are stored a chunk per transaction; the semaphore, not the chunk, bounds
        # how many drafts are in flight.
        self.chunk_size = max(chunk_size, concurrency)
        self.window = 2

    async def _one(self, item: Item) -> ItemResult:
        async with self.limit:
            return await draft_item(self.pipeline, self.template, item, self.keep)

    async def _chunk(self, items: Sequence[Item]) -> list[ItemResult]:
        return list(await asyncio.gather(*(self._one(item) for item in items)))

    def submit(self, items: Sequence[Item]) -> Awaitable[list[ItemResult]]:
        return asyncio.ensure_future(self._chunk(items))

    def close(self) -> None:
        return None


# -- the process pool (composer) --------------------------------------------------------------

_worker: tuple[Pipeline, asyncio.AbstractEventLoop] | None = None
_coordinator_pipeline: Pipeline | None = None
"""The warm pipeline a forking coordinator hands to the workers it forks."""


class _InlineExecutor(ThreadPoolExecutor):
    """A worker process's default executor: runs the call at once in the calling thread. The
    pipeline checks a letter in a thread so that a server's event loop stays free; a batch
    worker has nothing else to run, and the hop would cost it CPU on every letter."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


def _worker_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    loop.set_default_executor(_InlineExecutor())
    return loop


def _init_worker(settings: Settings) -> None:
    global _worker
    # Ctrl-C is the coordinator's to handle: it stops the pool and keeps what is finished.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (build_pipeline(settings), _worker_loop())


def _init_forked_worker() -> None:
    """A worker forked from a coordinator that warmed its pipeline: the catalog, phrase banks,
    rule packs and compiled patterns are the parent's, shared copy-on-write."""
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert _coordinator_pipeline is not None, "the coordinator did not warm a pipeline to fork"
    _worker = (_coordinator_pipeline, _worker_loop())


def _warm(pipeline: Pipeline, template: Mapping[str, Any]) -> None:
    """Compose and check the incident's own letter once, synchronously (no thread may start
    before a fork), so every lazily loaded table and pattern is loaded before the workers are
    forked and none of them loads it again."""
    request = DraftRequest.model_validate(template)
    letter = compose_draft(request)
    check_request(
        CheckRequest.model_construct(
            subject=letter.subject, body=letter.body, channel=request.channel, context=request
        ),
        pipeline.rules,
    )


def _noop() -> None:
    return None


def _draft_chunk(
    template: Mapping[str, Any], items: Sequence[Item], keep_customer_message: bool
) -> list[ItemResult]:
    assert _worker is not None, "the worker was not initialised"
    pipeline, loop = _worker

    async def run() -> list[ItemResult]:
        return [await draft_item(pipeline, template, item, keep_customer_message) for item in items]

    return loop.run_until_complete(run())


def _failed_chunk(items: Sequence[Item], exc: BaseException) -> list[ItemResult]:
    error = {"code": "worker_failed", "message": f"{type(exc).__name__}: {exc}"}
    return [ItemResult(item.position, "failed", error=error) for item in items]


class WorkerPool:
    """Composer worker processes, one per core, each with its own warm pipeline; started once
    and reused by every batch (the incident travels with each chunk).

    Built from the coordinator's own composer `pipeline` while the coordinator runs a single
    thread (the CLI and the benchmark, before their event loop starts), the workers are forked
    from it once it is warm, and start at once. Otherwise (the server, whose threads' locks a
    fork would copy mid-use) each worker is spawned and builds its own pipeline, a few seconds
    of CPU per worker, paid once per server process (`SharedPool`), not per batch.
    """

    def __init__(
        self,
        settings: Settings,
        workers: int | None = None,
        pipeline: Pipeline | None = None,
        template: Mapping[str, Any] | None = None,
    ) -> None:
        global _coordinator_pipeline
        self.workers = workers or os.cpu_count() or 1
        self.forked = (
            pipeline is not None
            and pipeline.provider.name == "offline"
            and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods()
        )
        if self.forked:
            assert pipeline is not None and template is not None
            _warm(pipeline, template)
            _coordinator_pipeline = pipeline
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_init_forked_worker,
            )
            # Fork every worker now, while this is still the only thread.
            for _ in range(self.workers):
                self.executor.submit(_noop).result()
        else:
            # spawn, not fork: the service process has threads, and a forked copy of their
            # locks can deadlock a worker.
            self.executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(settings.model_copy(update={"provider": "offline"}),),
            )
        self.broken = False

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class SharedPool:
    """The server's one composer pool: started by the first batch that needs it, reused by
    every later one, replaced if a worker died, shut down with the app."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers
        self.pool: WorkerPool | None = None
        self.started = 0
        """How many pools were started (1 unless a worker died)."""

    def get(self) -> WorkerPool:
        if self.pool is None or self.pool.broken:
            if self.pool is not None:
                self.pool.close()
            self.pool = WorkerPool(self.settings, self.workers)
            self.started += 1
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None


class ProcessDrafter:
    """Drafts one batch's chunks on a `WorkerPool`: its own (closed with the batch), or a shared
    one that outlives it."""

    def __init__(
        self,
        settings: Settings,
        template: Mapping[str, Any],
        workers: int | None = None,
        chunk_size: int = 64,
        pipeline: Pipeline | None = None,
        pool: WorkerPool | None = None,
    ) -> None:
        self.owns_pool = pool is None
        self.pool = pool or WorkerPool(settings, workers, pipeline, template)
        self.template = dict(template)
        self.keep = settings.store_customer_message
        self.forked = self.pool.forked
        self.workers = self.pool.workers
        self.chunk_size = chunk_size
        self.window = 2 * self.pool.workers

    def submit(self, items: Sequence[Item]) -> Awaitable[list[ItemResult]]:
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(
                self.pool.executor, _draft_chunk, self.template, list(items), self.keep
            )
        except BrokenProcessPool as exc:
            self.pool.broken = True
            done: asyncio.Future[list[ItemResult]] = loop.create_future()
            done.set_result(_failed_chunk(items, exc))
            return done
        return _guard(future, items, self.pool)

    def close(self) -> None:
        if self.owns_pool:
            self.pool.close()


async def _guard(
    future: Awaitable[list[ItemResult]], items: Sequence[Item], pool: WorkerPool
) -> list[ItemResult]:
    try:
        return await future
    except asyncio.CancelledError:
        raise
    except Exception as exc:  # a crashed worker fails its chunk's letters, listed
        if isinstance(exc, BrokenProcessPool):
            pool.broken = True  # a shared pool is replaced before the next batch
        return _failed_chunk(items, exc)


def choose_drafter(
    settings: Settings,
    pipeline: Pipeline,
    template: Mapping[str, Any],
    total: int,
    workers: int | None = None,
    shared: SharedPool | None = None,
) -> Drafter:
    """A process pool for the composer (the `shared` one when given; none when the batch is too
    small to pay for one), or a bounded async drafter for a model."""
    if pipeline.provider.name == "offline":
        workers = workers or settings.batch_workers or os.cpu_count() or 1
        if total >= settings.batch_pool_threshold and workers > 1:
            if shared is not None:
                return ProcessDrafter(settings, template, pool=shared.get())
            return ProcessDrafter(settings, template, workers, pipeline=pipeline)
        return AsyncDrafter(
            pipeline, template, 1, keep_customer_message=settings.store_customer_message
        )
    return AsyncDrafter(
        pipeline,
        template,
        settings.batch_concurrency,
        keep_customer_message=settings.store_customer_message,
    )


ProgressHook = Callable[[int, int], None]
