"""Batch jobs end to end on a real store (each backend, see the `store` fixture): every recipient
drafted and checked on its own, failures listed, work spread over processes with the composer
and bounded with a model, and a stopped job resumed without drafting anything twice."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from contract.models import DraftRequest
from prompts.render import ChatMessage
from service.batches.runner import run_job
from service.batches.store import BatchStore, Job
from service.batches.work import AsyncDrafter, ProcessDrafter, SharedPool, choose_drafter
from service.pipeline import Pipeline, build_pipeline
from service.providers.base import Completion
from service.providers.base import Job as ProviderJob
from service.providers.offline import OfflineProvider
from service.settings import Settings
from service.store import Store, schema

pytestmark = pytest.mark.anyio


def offline_settings(**overrides: Any) -> Settings:
    return Settings(_env_file=None, provider="offline", **overrides)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline(offline_settings())


@pytest.fixture
def batches(store: Store) -> BatchStore:
    return BatchStore(store)


def recipients(count: int) -> list[dict[str, str | None]]:
    return [
        {
            "id": f"c{i}",
            "name": f"Customer{i} Lane",
            "reference": f"NW-{50000 + i}",
            "amount": f"${10 + i}.00",
        }
        for i in range(count)
    ]


def audit_count(store: Store) -> int:
    with store.engine.connect() as c:
        return int(c.execute(sa.select(sa.func.count()).select_from(schema.audit_records)).one()[0])


def assert_every_letter_is_its_recipients(batches: BatchStore, job: Job) -> None:
    rows = list(batches.results(job.id))
    assert [r.position for r in rows] == list(range(job.total))
    for row in rows:
        if row.status != "done":
            continue
        assert row.body is not None and row.report is not None
        for fact in (row.recipient["name"], row.recipient["reference"], row.recipient["amount"]):
            if fact:
                assert fact.split()[0] in row.body, (fact, row.body)
        assert row.report["passed"] is True
        assert {e["element"] for e in row.report["elements"] if e["present"]} >= {
            "acknowledgment",
            "regret",
            "amends",
        }


async def test_every_recipient_gets_a_checked_letter_and_a_bad_one_is_listed(
    batches: BatchStore, store: Store, pipeline: Pipeline, northwind_request: DraftRequest
) -> None:
    rows = recipients(5)
    rows.insert(2, {"id": "bad", "name": "Ann", "channel": "fax"})
    job = batches.create(northwind_request.model_dump(mode="json"), rows)
    assert (job.status, job.total, job.pending) == ("queued", 6, 6)

    job = await run_job(batches, job.id, settings=offline_settings(), pipeline=pipeline)

    assert (job.status, job.done, job.failed, job.pending) == ("done", 5, 1, 0)
    assert_every_letter_is_its_recipients(batches, job)
    failed = list(batches.results(job.id, only_failed=True))
    assert [(r.position, r.recipient["id"]) for r in failed] == [(2, "bad")]
    assert failed[0].error is not None and failed[0].error["code"] == "invalid_recipient"
    assert failed[0].error["details"][0]["field"] == "channel"
    assert audit_count(store) == 5


async def test_the_composer_spreads_a_batch_over_worker_processes(
    tmp_path: Path, northwind_request: DraftRequest, pipeline: Pipeline
) -> None:
    # One backend is enough here: the pool only changes where letters are drafted.
    batches = BatchStore(Store.open(f"sqlite+pysqlite:///{tmp_path / 'amends.db'}"))
    settings = offline_settings(batch_pool_threshold=10)
    template = northwind_request.model_dump(mode="json")
    drafter = choose_drafter(settings, pipeline, template, total=40, workers=2)
    assert isinstance(drafter, ProcessDrafter) and drafter.workers == 2
    small = choose_drafter(settings, pipeline, template, total=9, workers=2)
    assert isinstance(small, AsyncDrafter)
    job = batches.create(template, recipients(40))
    try:
        job = await run_job(batches, job.id, settings=settings, pipeline=pipeline, drafter=drafter)
    finally:
        drafter.close()
    assert (job.done, job.failed) == (40, 0)
    assert_every_letter_is_its_recipients(batches, job)


async def test_the_server_starts_one_composer_pool_and_reuses_it_for_every_batch(
    tmp_path: Path, northwind_request: DraftRequest, pipeline: Pipeline
) -> None:
    # Threads are running (as in the server), so the workers are spawned, not forked.
    batches = BatchStore(Store.open(f"sqlite+pysqlite:///{tmp_path / 'amends.db'}"))
    settings = offline_settings(batch_pool_threshold=10, batch_workers=2)
    shared = SharedPool(settings)
    template = northwind_request.model_dump(mode="json")
    other = northwind_request.model_copy(
        update={"sender": northwind_request.sender.model_copy(update={"name": "Zora Quill"})}
    ).model_dump(mode="json")
    try:
        first = batches.create(template, recipients(24))
        first = await run_job(
            batches, first.id, settings=settings, pipeline=pipeline, shared=shared
        )
        pool = shared.pool
        assert pool is not None and not pool.forked
        second = batches.create(other, recipients(12))
        second = await run_job(
            batches, second.id, settings=settings, pipeline=pipeline, shared=shared
        )
        assert shared.pool is pool and shared.started == 1, "the second batch reused the pool"
        # A dead worker breaks the pool; the next batch gets a new one.
        pool.broken = True
        assert shared.get() is not pool and shared.started == 2
    finally:
        shared.close()
    assert (first.done, first.failed, second.done, second.failed) == (24, 0, 12, 0)
    assert_every_letter_is_its_recipients(batches, first)
    assert_every_letter_is_its_recipients(batches, second)
    # Each batch's letters came from its own incident, although the workers were the same.
    assert all("Zora Quill" in (r.body or "") for r in batches.results(second.id))
    assert not any("Zora Quill" in (r.body or "") for r in batches.results(first.id))


class SlowModel:
    """A stand-in model: the composer's letter after a network-like wait, counting how many
    drafts are in flight at once."""

    name = "slow-model"
    model = "slow"
    can_repair = False
    structured = False

    def __init__(self) -> None:
        self.composer = OfflineProvider()
        self.in_flight = 0
        self.most = 0
        self.calls = 0

    async def complete(self, messages: list[ChatMessage], job: ProviderJob) -> Completion:
        self.in_flight += 1
        self.calls += 1
        self.most = max(self.most, self.in_flight)
        try:
            await asyncio.sleep(0.01)
            return await self.composer.complete(messages, job)
        finally:
            self.in_flight -= 1


async def test_with_a_model_drafts_in_flight_are_bounded(
    batches: BatchStore, northwind_request: DraftRequest
) -> None:
    settings = offline_settings(batch_concurrency=3)
    model = SlowModel()
    pipeline = build_pipeline(settings, provider=model)
    job = batches.create(northwind_request.model_dump(mode="json"), recipients(20))
    job = await run_job(batches, job.id, settings=settings, pipeline=pipeline)
    assert (job.done, job.failed) == (20, 0)
    assert model.calls == 20 and model.most == 3


async def test_a_stopped_job_resumes_without_drafting_anything_twice(
    batches: BatchStore, store: Store, pipeline: Pipeline, northwind_request: DraftRequest
) -> None:
    settings = offline_settings()
    template = northwind_request.model_dump(mode="json")
    job = batches.create(template, recipients(12))

    class Stop(Exception):
        pass

    def stop_after_first_chunk(current: Job) -> None:
        raise Stop

    drafter = AsyncDrafter(pipeline, template, concurrency=4, chunk_size=4)
    drafter.window = 1
    with pytest.raises(Stop):
        await run_job(
            batches,
            job.id,
            settings=settings,
            pipeline=pipeline,
            drafter=drafter,
            progress=stop_after_first_chunk,
        )
    stopped = batches.get(job.id)
    assert stopped is not None and (stopped.status, stopped.done, stopped.pending) == (
        "running",
        4,
        8,
    )
    assert batches.unfinished() == [job.id]

    job = await run_job(batches, job.id, settings=settings, pipeline=pipeline)
    assert (job.status, job.done, job.failed) == ("done", 12, 0)
    assert audit_count(store) == 12
    assert_every_letter_is_its_recipients(batches, job)
    assert batches.unfinished() == []


_FORK_PROBE = """
import asyncio, json, sys, threading
from service.batches.work import Item, ProcessDrafter
from service.pipeline import build_pipeline
from service.settings import Settings

settings = Settings(_env_file=None, provider="offline")
pipeline = build_pipeline(settings)
template = json.loads(sys.stdin.read())
if sys.argv[1] == "threaded":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
drafter = ProcessDrafter(settings, template, workers=2, pipeline=pipeline)
items = [Item(0, {"name": "Ada Brook"}), Item(1, {"name": "Ben Carr"})]


async def draft():
    return await drafter.submit(items)


results = asyncio.run(draft()) if drafter.forked else []
drafter.close()
print(json.dumps({
    "forked": drafter.forked,
    "letters": [[r.status, r.letter.body if r.letter else None] for r in results],
}))
"""


@pytest.mark.parametrize("mode", ["single", "threaded"])
def test_workers_are_forked_from_a_single_threaded_coordinator_and_never_beside_threads(
    mode: str, northwind_request: DraftRequest
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FORK_PROBE, mode],
        input=northwind_request.model_dump_json(),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["forked"] is (mode == "single")
    if mode == "single":
        (first, ada), (second, ben) = answer["letters"]
        assert (first, second) == ("done", "done")
        assert "Ada" in ada and "Ben" in ben


async def test_a_batch_letter_a_person_should_read_is_held_for_review(
    batches: BatchStore, store: Store, pipeline: Pipeline, northwind_request: DraftRequest
) -> None:
    cautious = northwind_request.model_copy(update={"liability": "cautious"})
    job = batches.create(cautious.model_dump(mode="json"), recipients(3))
    job = await run_job(batches, job.id, settings=offline_settings(), pipeline=pipeline)
    assert (job.done, job.failed) == (3, 0)
    held = {record.id: review for record, review in store.pending_reviews()}
    letters = [row.draft_id for row in batches.results(job.id)]
    assert set(letters) == set(held)
    assert all("cautious_posture" in review.reasons for review in held.values())
