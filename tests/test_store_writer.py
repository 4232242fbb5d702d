"""Audit records written off the request path (PostgreSQL's default): the store's writer thread
batches them, a process reads its own records at once, nothing is dropped silently, a full
queue holds the caller back, and shutdown writes what is queued."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.app import create_app
from service.settings import Settings
from service.store import Store, StoreUnavailable
from service.store.writer import Queued, RecordWriter
from tests.conftest import NORTHWIND_REQUEST
from tests.test_store import _record


def _no_retry_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("service.store.writer.RETRY_DELAYS_S", (0.0, 0.0))


def test_queued_records_are_batched_and_read_back_at_once(store: Store) -> None:
    records = [_record() for _ in range(40)]
    for i, record in enumerate(records):
        assert store.add_record_later(record, ["fallback"] if i % 3 == 0 else [])
    # No flush asked for: the read itself waits for what this process queued.
    for record in records:
        found = store.get_record(record.id)
        assert found is not None and found[0] == record
    assert store.count_pending_reviews() == 14
    assert {r.id for r, _ in store.pending_reviews()} == {r.id for r in records[::3]}


def test_a_record_that_cannot_be_written_is_logged_and_counted_and_the_rest_are_kept(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _no_retry_delays(monkeypatch)
    written: list[str] = []
    lost: list[str] = []

    def write(batch: Sequence[Queued]) -> None:
        if any(item.record.kind == "poison" for item in batch):
            raise StoreUnavailable("value too long")
        written.extend(item.record.id for item in batch)

    gate = threading.Event()
    writer = RecordWriter(lambda batch: (gate.wait(), write(batch))[1])
    good = [_record() for _ in range(5)]
    bad = _record(kind="poison")
    with caplog.at_level(logging.ERROR, logger="amends.audit"):
        for record in [good[0], good[1], bad, *good[2:]]:
            writer.submit(Queued(record, [], lambda r=record: lost.append(r.id)), block=True)
        gate.set()
        writer.flush()
    assert sorted(written) == sorted(r.id for r in good)
    assert lost == [bad.id]
    assert writer.failing
    assert f"audit record {bad.id} (poison) not written after retries: value too long" in (
        caplog.text
    )
    writer.submit(Queued(_record(), []), block=True)
    writer.flush()
    assert not writer.failing, "a successful write clears the failing state"
    writer.close()


def test_a_full_queue_refuses_without_blocking_and_holds_a_blocking_caller() -> None:
    gate = threading.Event()
    writer = RecordWriter(lambda batch: gate.wait(), capacity=2, max_batch=1)
    assert writer.submit(Queued(_record(), []), block=False)  # taken by the thread
    while writer._queue.qsize():
        pass
    assert writer.submit(Queued(_record(), []), block=False)
    assert writer.submit(Queued(_record(), []), block=False)
    assert not writer.submit(Queued(_record(), []), block=False), "the queue is full"
    waited = threading.Event()

    def blocked() -> None:
        writer.submit(Queued(_record(), []), block=True)
        waited.set()

    thread = threading.Thread(target=blocked)
    thread.start()
    assert not waited.wait(0.2), "a blocking caller waits for room"
    gate.set()
    thread.join(5)
    assert waited.is_set()
    writer.close()
    assert writer.outstanding == 0


def test_closing_the_store_writes_what_is_queued(store: Store, tmp_path: Path) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    other = Store.open(url)
    records = [_record() for _ in range(30)]
    for record in records:
        other.add_record_later(record, [])
    other.close()
    # Read through a different store object: nothing may rely on the writer's own flush.
    assert all(store.get_record(r.id) is not None for r in records)


async def _post(app: Any) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as client:
        return await client.post("/v1/drafts", json=NORTHWIND_REQUEST)


@pytest.mark.anyio
async def test_on_postgresql_a_lost_record_is_counted_and_the_next_request_is_refused(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_retry_delays(monkeypatch)
    app = create_app(Settings(_env_file=None, provider="offline"), store=store)
    if store.backend == "sqlite":
        # SQLite commits in tens of microseconds: its records are written before answering.
        assert app.state.recorder.inline_writes and not app.state.recorder.background_writes
        return
    assert app.state.recorder.background_writes

    def broken(*_: object, **__: object) -> None:
        raise StoreUnavailable("the store could not be reached: connection refused")

    monkeypatch.setattr(store, "_add_records", broken)
    monkeypatch.setattr(store._writer, "_write", broken)
    answered = await _post(app)
    assert answered.status_code == 200, "the record was queued before the store failed"
    store.flush()
    assert app.state.metrics.audit_failures._value.get() == 1
    # While the writer is failing, records are written before answering, so a request whose
    # record cannot be written is refused instead of answered untraceably.
    monkeypatch.setattr(store, "add_record", broken)
    refused = await _post(app)
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "store_unavailable"
    assert app.state.metrics.audit_failures._value.get() == 2


def test_durable_commits_are_written_before_answering(store: Store) -> None:
    app = create_app(Settings(_env_file=None, provider="offline", durable_commit=True), store=store)
    assert not app.state.recorder.background_writes
