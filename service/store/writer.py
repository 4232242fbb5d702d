"""Writing audit records off the request path: a bounded queue and one writer thread.

A request hands its record to the queue and is answered; the writer takes everything queued
at that moment and writes it as one transaction (one pipelined batch of INSERTs on
PostgreSQL), so the request pays for neither the round trip nor the commit. What this costs
and what it keeps:

- A full queue makes the request wait for room (backpressure), it never drops a record.
- A batch that fails is retried; a record that still cannot be written is logged with its
  ID and counted (`on_failure`, the `amends_audit_write_failures_total` metric), and the
  store reports `failing` until a write succeeds, so the requests after it are written
  synchronously and refused with 503 while the store is down.
- `flush()` waits until everything queued before it is written; the store calls it before
  every read, so a process always reads its own records.
- `close()` (service shutdown) writes what is queued before it returns.
- What a killed process (SIGKILL, out of memory) had queued is lost: at most the records of
  the last few milliseconds, and never more than the queue's capacity.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("amends.audit")

RETRY_DELAYS_S = (0.05, 0.25, 1.0)


@dataclass(frozen=True)
class Queued:
    record: Any
    """The `AuditRecord`."""
    reasons: list[str]
    on_failure: Callable[[], None] | None = None


class RecordWriter:
    def __init__(
        self,
        write: Callable[[Sequence[Queued]], None],
        capacity: int = 1024,
        max_batch: int = 256,
    ) -> None:
        self._write = write
        self._queue: queue.Queue[Queued | None] = queue.Queue(capacity)
        self._max_batch = max_batch
        self._changed = threading.Condition()
        self._queued = 0
        self._done = 0
        self._thread: threading.Thread | None = None
        self._closed = False
        self.failing = False
        """The last batch had a record that could not be written (cleared by a success)."""

    def submit(self, item: Queued, *, block: bool) -> bool:
        """Queue a record; False when the queue is full (or closed) and `block` is off."""
        with self._changed:
            if self._closed:
                return False
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="amends-audit-writer", daemon=True
                )
                self._thread.start()
            self._queued += 1
        try:
            self._queue.put(item, block=block)
        except queue.Full:
            with self._changed:
                self._queued -= 1
                self._changed.notify_all()
            return False
        return True

    @property
    def outstanding(self) -> int:
        return self._queued - self._done

    def flush(self, timeout_s: float = 30.0) -> None:
        """Wait until every record queued before this call is written (or given up on)."""
        with self._changed:
            target = self._queued
            self._changed.wait_for(lambda: self._done >= target, timeout_s)

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        with self._changed:
            self._closed = True
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def _run(self) -> None:
        stop = False
        while not stop:
            first = self._queue.get()
            if first is None:
                break
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            try:
                self._write_batch(batch)
            finally:
                with self._changed:
                    self._done += len(batch)
                    self._changed.notify_all()

    def _write_batch(self, batch: list[Queued]) -> None:
        failure: Exception | None = None
        for delay in (0.0, *RETRY_DELAYS_S):
            time.sleep(delay)
            try:
                self._write(batch)
            except Exception as exc:
                failure = exc
                continue
            self.failing = False
            return
        # One record may be what fails the batch: write the others one by one.
        failed = 0
        for item in batch if len(batch) > 1 else []:
            try:
                self._write([item])
            except Exception as exc:
                failure = exc
                self._lost(item, exc)
                failed += 1
        if len(batch) == 1:
            self._lost(batch[0], failure)
            failed = 1
        self.failing = failed > 0

    @staticmethod
    def _lost(item: Queued, exc: Exception | None) -> None:
        message = getattr(exc, "message", None) or str(exc)
        log.error(
            "audit record %s (%s) not written after retries: %s",
            item.record.id,
            item.record.kind,
            message,
        )
        if item.on_failure is not None:
            item.on_failure()
