"""Keys, limits and idempotency through the real app, on both store backends (SQLite always,
PostgreSQL when the test database is there)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx

from contract.models import DraftRequest
from service import access
from service.app import create_app
from service.composer import compose_draft
from service.errors import ModelBusy
from service.idempotency import body_fingerprint
from service.keys import key_hash, new_key
from service.pipeline import build_pipeline
from service.providers.base import Completion
from service.providers.concurrency import ConcurrencyLimited
from service.settings import Settings
from service.store import Store

pytestmark = pytest.mark.anyio

CHECK = {"body": "We are sorry your parcel was late; we have refunded the fee."}


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Key lookups are cached for a second per process; tests look again at once."""
    monkeypatch.setattr(access, "CACHE_S", 0.0)


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://amends.test")


def _key(store: Store, name: str = "helpdesk", role: str = "caller") -> str:
    key = new_key()
    store.add_key(name, key_hash(key), role)
    return key


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code
    return error


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(create_app(Settings(_env_file=None), store=store)) as test_client:
        yield test_client


async def test_on_loopback_without_keys_anyone_may_call(client: httpx.AsyncClient) -> None:
    assert (await client.post("/v1/checks", json=CHECK)).status_code == 200


async def test_once_a_key_exists_every_request_needs_one(
    client: httpx.AsyncClient, store: Store
) -> None:
    key = _key(store)
    missing = await client.post("/v1/checks", json=CHECK)
    _error(missing, 401, "api_key_required")
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    _error(
        await client.post("/v1/checks", json=CHECK, headers=_bearer("amends_nope")),
        401,
        "invalid_api_key",
    )
    _error(
        await client.post("/v1/checks", json=CHECK, headers={"Authorization": key}),
        401,
        "invalid_api_key",
    )
    assert (await client.post("/v1/checks", json=CHECK, headers=_bearer(key))).status_code == 200
    assert (await client.get("/healthz")).status_code == 200, "health stays open"
    assert (await client.get("/openapi.json")).status_code == 200


async def test_a_revoked_key_is_refused_with_403(client: httpx.AsyncClient, store: Store) -> None:
    key = _key(store)
    assert (await client.get("/v1/catalog", headers=_bearer(key))).status_code == 200
    assert store.revoke_key("helpdesk")
    error = _error(await client.get("/v1/catalog", headers=_bearer(key)), 403, "api_key_revoked")
    assert "helpdesk" in error["message"]


async def test_only_a_reviewer_key_may_read_or_decide_the_review_queue(
    client: httpx.AsyncClient, store: Store, northwind_request: DraftRequest
) -> None:
    caller, reviewer = _key(store, "helpdesk"), _key(store, "quality", role="reviewer")
    cautious = northwind_request.model_copy(update={"liability": "cautious"})
    written = await client.post(
        "/v1/drafts", json=cautious.model_dump(mode="json"), headers=_bearer(caller)
    )
    assert written.status_code == 200 and written.json()["review"]["status"] == "pending"
    draft_id = written.json()["meta"]["id"]
    approve = {"decision": "approve"}
    for refused in (
        await client.get("/v1/reviews", headers=_bearer(caller)),
        await client.post(f"/v1/reviews/{draft_id}", json=approve, headers=_bearer(caller)),
    ):
        error = _error(refused, 403, "reviewer_role_required")
        assert "--role reviewer" in error["message"]
    queue = await client.get("/v1/reviews", headers=_bearer(reviewer))
    assert [item["id"] for item in queue.json()["pending"]] == [draft_id]
    decided = await client.post(f"/v1/reviews/{draft_id}", json=approve, headers=_bearer(reviewer))
    assert decided.status_code == 200 and decided.json()["review"]["status"] == "approved"
    stored = store.get_record(draft_id)
    assert stored is not None and stored[1] is not None and stored[1].decided_by == "quality"
    drafted = await client.get(f"/v1/drafts/{draft_id}", headers=_bearer(caller))
    assert drafted.status_code == 200, "a caller may still read a stored draft"


async def test_beyond_loopback_a_key_is_required_even_before_one_exists(store: Store) -> None:
    app = create_app(Settings(_env_file=None, host="0.0.0.0"), store=store)
    async with _client(app) as client:
        error = _error(await client.post("/v1/checks", json=CHECK), 401, "api_key_required")
        assert "amends keys create" in error["message"]
        assert (await client.get("/healthz")).status_code == 200


async def test_the_rate_limit_is_per_key_and_answers_429_with_retry_after(store: Store) -> None:
    app = create_app(Settings(_env_file=None, key_requests_per_minute=3), store=store)
    first, second = _key(store, "first"), _key(store, "second")
    async with _client(app) as client:
        for _ in range(3):
            assert (await client.get("/v1/catalog", headers=_bearer(first))).status_code == 200
        limited = await client.get("/v1/catalog", headers=_bearer(first))
        _error(limited, 429, "rate_limited")
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        assert (await client.get("/v1/catalog", headers=_bearer(second))).status_code == 200


async def test_every_process_sharing_the_store_counts_against_one_limit(store: Store) -> None:
    settings = Settings(_env_file=None, key_requests_per_minute=4)
    key = _key(store)
    async with (
        _client(create_app(settings, store=store)) as one,
        _client(create_app(settings, store=store)) as two,
    ):
        statuses = [
            (await worker.get("/v1/catalog", headers=_bearer(key))).status_code
            for worker in (one, two, one, two, one)
        ]
    assert statuses == [200, 200, 200, 200, 429]


async def test_processes_reserve_requests_in_blocks_and_never_admit_over_the_limit(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Limit 100: each process reserves blocks of 5 in the store instead of writing once per
    request; together the two admit exactly 100 and refuse the rest."""
    settings = Settings(_env_file=None, key_requests_per_minute=100)
    assert access.reservation_block(100) == 5
    key = _key(store)
    writes: list[int] = []
    hit = store.hit

    def counted_hit(*args: Any) -> int:
        writes.append(1)
        return hit(*args)

    monkeypatch.setattr(store, "hit", counted_hit)
    async with (
        _client(create_app(settings, store=store)) as one,
        _client(create_app(settings, store=store)) as two,
    ):
        statuses = [
            (await worker.get("/v1/catalog", headers=_bearer(key))).status_code
            for _ in range(65)
            for worker in (one, two)
        ]
    assert statuses.count(200) == 100 and statuses[100:] == [429] * 30
    # 20 blocks of 5 reserved the 100; each process then asked once more and learnt that the
    # window is spent, and from then on refused without asking the store.
    assert len(writes) == 22


def _answer(request: DraftRequest, body: Callable[..., dict[str, Any]]) -> httpx.Response:
    letter = compose_draft(request)
    content = json.dumps({"subject": letter.subject, "body": letter.body})
    usage = {"prompt_tokens": 700, "completion_tokens": 250}
    return httpx.Response(200, json=body(content, usage=usage))


async def test_a_key_that_spent_its_token_budget_gets_429_until_the_window_turns(
    settings: Settings,
    store: Store,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Callable[..., dict[str, Any]],
) -> None:
    settings = settings.model_copy(update={"key_token_budget": 1500})
    app = create_app(settings, build_pipeline(settings), store=store)
    mocked_chat_completions.return_value = _answer(northwind_request, chat_completion_body)
    key = _key(store)
    payload = northwind_request.model_dump(mode="json")
    async with _client(app) as client:
        first = await client.post("/v1/drafts", json=payload, headers=_bearer(key))
        assert first.status_code == 200 and first.json()["meta"]["usage"]["prompt_tokens"] == 700
        second = await client.post("/v1/drafts", json=payload, headers=_bearer(key))
        assert second.status_code == 200, "950 of 1500 tokens were spent: still under budget"
        spent = await client.post("/v1/drafts", json=payload, headers=_bearer(key))
        error = _error(spent, 429, "token_budget_spent")
        assert "1500" in error["message"] and int(spent.headers["Retry-After"]) >= 1
        checked = await client.post("/v1/checks", json=CHECK, headers=_bearer(key))
        assert checked.status_code == 200, "a check calls no model and needs no budget"
    assert mocked_chat_completions.call_count == 2


async def test_the_same_idempotency_key_gets_the_same_answer(
    client: httpx.AsyncClient, northwind_request: DraftRequest
) -> None:
    payload = northwind_request.model_dump(mode="json")
    headers = {"Idempotency-Key": "ticket-4711-reply-1"}
    first = await client.post("/v1/drafts", json=payload, headers=headers)
    again = await client.post("/v1/drafts", json=payload, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    fresh = await client.post("/v1/drafts", json=payload, headers={"Idempotency-Key": "other"})
    assert fresh.json()["meta"]["id"] != first.json()["meta"]["id"]
    # The same request serialised again, with other spacing and key order, is the same body.
    reordered = json.dumps(dict(reversed(payload.items())), indent=2).encode()
    replayed = await client.post(
        "/v1/drafts",
        content=reordered,
        headers={**headers, "content-type": "application/json"},
    )
    assert replayed.status_code == 200 and replayed.json() == first.json()
    assert replayed.headers["Idempotent-Replayed"] == "true"
    changed = {**payload, "tone": "formal"}
    _error(
        await client.post("/v1/drafts", json=changed, headers=headers),
        422,
        "idempotency_key_reused",
    )


async def test_an_idempotency_key_still_being_answered_is_a_409(
    client: httpx.AsyncClient, store: Store, northwind_request: DraftRequest
) -> None:
    body = json.dumps(northwind_request.model_dump(mode="json")).encode()
    store.claim_idempotency("-", "in-flight", body_fingerprint(body))
    response = await client.post(
        "/v1/drafts",
        content=body,
        headers={"Idempotency-Key": "in-flight", "content-type": "application/json"},
    )
    _error(response, 409, "idempotency_in_progress")
    assert response.headers["Retry-After"] == "1"


async def test_a_failed_request_does_not_keep_its_idempotency_key(
    client: httpx.AsyncClient, northwind_request: DraftRequest
) -> None:
    payload = northwind_request.model_dump(mode="json")
    headers = {"Idempotency-Key": "retry-me"}
    bad = {**payload, "max_words": 5}
    _error(await client.post("/v1/drafts", json=bad, headers=headers), 422, "invalid_request")
    fixed = await client.post("/v1/drafts", json=bad | {"max_words": None}, headers=headers)
    assert fixed.status_code == 200, "the failed first try did not keep the key"
    again = await client.post("/v1/drafts", json=bad | {"max_words": None}, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"


class _HeldProvider:
    """Answers only once `release` is set, so calls pile up while a test looks."""

    name, model, can_repair, structured = "held", "held-model", True, True

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.running = 0
        self.most = 0

    async def complete(self, messages: Any, job: Any) -> Completion:
        self.running += 1
        self.most = max(self.most, self.running)
        await self.release.wait()
        self.running -= 1
        return Completion(subject="s", body="b", model=self.model)


async def test_model_calls_beyond_the_cap_wait_for_a_slot_then_are_refused() -> None:
    inner = _HeldProvider()
    limited = ConcurrencyLimited(inner, slots=2, wait_s=0.2)
    calls = [asyncio.create_task(limited.complete([], None)) for _ in range(3)]  # type: ignore[arg-type]
    done, _ = await asyncio.wait(calls, timeout=5, return_when=asyncio.FIRST_COMPLETED)
    (refused,) = done
    error = refused.exception()
    assert isinstance(error, ModelBusy) and error.status == 503 and error.retry_after == 1
    assert inner.most == 2, "never more than two calls at once"
    inner.release.set()
    finished = await asyncio.gather(*(c for c in calls if c is not refused))
    assert [c.model for c in finished] == ["held-model", "held-model"]
