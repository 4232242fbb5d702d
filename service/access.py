"""Who may call, and how much: API keys, per-key request rate and model-token budget.

An ASGI middleware in front of every route but the open ones (`OPEN_PATHS`). Keys are
required as soon as one exists in the store, and always when the service listens beyond
loopback; until then, on loopback, anyone may call and nothing is
counted. With a key:

- `Authorization: Bearer <key>`: missing → 401 `api_key_required`, unknown → 401
  `invalid_api_key`, revoked → 403 `api_key_revoked`;
- the review queue (`/v1/reviews`, listing and deciding) needs a key created with
  `--role reviewer`; any other key gets 403 `reviewer_role_required`;
- at most `AMENDS_KEY_REQUESTS_PER_MINUTE` requests per key per minute (a fixed window in
  the store, so every worker and host counts against one limit) → 429 `rate_limited`;
- model tokens: a drafting request is refused with 429 `token_budget_spent` once the key has
  used `AMENDS_KEY_TOKEN_BUDGET` tokens in the current `AMENDS_KEY_TOKEN_WINDOW_S`; the tokens
  a request used (the `prompt_tokens` and `completion_tokens` its handler put in the
  request's log fields) are charged when it is answered.

Every 429 carries `Retry-After`: the seconds until the window turns. A key lookup and the
"does any key exist" answer are kept for `CACHE_S` per process, so a revoked key stops
working everywhere within that time.

Counting without a store write per request: a process reserves its requests from the key's
window in the store in blocks (`reservation_block`: a twentieth of the limit, 1 to 100), one
atomic upsert per block, and spends the block in memory; when half of it is spent, the next
block is reserved in the background, so a request seldom waits for the store. Every reservation
is counted in the shared window, so all processes together never admit more than the limit; a
block a process has not used up when the window turns is simply not spent, so with N processes
a key may be refused up to (N - 1) x (1.5 x block) requests early in the worst case (under 8%
of the limit per extra process). Once the store says the window is spent, the process answers
429 without asking again until the window turns. The token total is read with one SELECT (no
write), kept for `CACHE_S`, and a request's tokens are added to it in memory as they are
charged.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import AmendsError
from service.http_errors import error_response
from service.keys import key_hash
from service.logs import request_fields
from service.settings import Settings
from service.store import ApiKey, Store

T = TypeVar("T")

CACHE_S = 1.0
OPEN_PATHS = frozenset(
    {"/", "/healthz", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
)
"""Open to anyone: liveness, Prometheus' counters (no request or letter text), the API's
description, and the drafting page's shell (its calls to the API carry a key)."""
DRAFTING_PATHS = ("/v1/drafts", "/v1/rewrites", "/v1/batches", "/mcp")
"""Requests that can call the model, and so need token budget left."""
REVIEW_PATHS = ("/v1/reviews",)
"""The review queue and its decisions: for keys with the `reviewer` role only."""

_key_name: ContextVar[str | None] = ContextVar("amends_key_name", default=None)


def current_key_name() -> str | None:
    """The name of the API key the current request was made with (None without keys)."""
    return _key_name.get()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class AccessGuard:
    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        store: Callable[[], Store | None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.settings = settings
        self.store = store
        self.clock = clock
        self.public_bind = not is_loopback(settings.host)
        self._keys: dict[str, tuple[float, ApiKey | None]] = {}
        self._any_key: tuple[float, bool] = (-math.inf, False)
        self._blocks: dict[str, _Block] = {}
        self._refills: set[asyncio.Task[None]] = set()
        self._tokens: dict[str, tuple[float, int, int]] = {}
        """bucket → (read until, window start, tokens used as last read plus charged here)"""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        store = self.store()
        try:
            name = await self._admit(scope, store)
        except Refused as refused:
            request_fields()["error"] = refused.code
            await refused.response()(scope, receive, send)
            return
        except AmendsError as exc:  # the store could not answer
            request_fields()["error"] = exc.code
            await error_response(exc.status, exc.code, exc.public_message)(scope, receive, send)
            return
        if name is None:
            await self.app(scope, receive, send)
            return
        request_fields()["key"] = name
        scope.setdefault("state", {})["key_name"] = name  # the audit record names the caller
        token = _key_name.set(name)
        try:
            await self.app(scope, receive, send)
        finally:
            _key_name.reset(token)
            fields = request_fields()
            spent = int(fields.get("prompt_tokens", 0)) + int(fields.get("completion_tokens", 0))
            if spent and store is not None:
                await self._charge(store, name, spent)

    async def _admit(self, scope: Scope, store: Store | None) -> str | None:
        """The key's name, None where no key is needed, or `Refused`."""
        presented = _bearer(scope)
        if presented is None:
            if self.public_bind or await self._keys_exist(store):
                raise Refused(401, "api_key_required", self._required_message(store))
            return None
        if store is None:
            raise Refused(401, "invalid_api_key", "this service has no API keys")
        key = await self._lookup(store, presented)
        if key is None:
            raise Refused(401, "invalid_api_key", "the API key is not known")
        if not key.active:
            raise Refused(403, "api_key_revoked", f"the API key {key.name!r} was revoked")
        if scope["path"].startswith(REVIEW_PATHS) and key.role != "reviewer":
            raise Refused(
                403,
                "reviewer_role_required",
                f"the API key {key.name!r} has the role {key.role!r}; the review queue needs "
                "a key created with `amends keys create NAME --role reviewer`",
            )
        await self._count(store, key.name, scope)
        return key.name

    def _required_message(self, store: Store | None) -> str:
        message = "send an API key: Authorization: Bearer <key>"
        if self.public_bind:
            message += (
                " (this service listens beyond loopback, so every request needs one; "
                "create one with `amends keys create NAME`)"
            )
        return message

    async def _count(self, store: Store, name: str, scope: Scope) -> None:
        now = self.clock()
        limit = self.settings.key_requests_per_minute
        if not await self._take(store, f"requests:{name}", 60, limit, now):
            raise Refused(
                429,
                "rate_limited",
                f"more than {limit} requests a minute with this key",
                retry_after=_until_next(now, 60),
            )
        if scope["method"] == "POST" and scope["path"].startswith(DRAFTING_PATHS):
            window = self.settings.key_token_window_s
            budget = self.settings.key_token_budget
            if await self._tokens_used(store, f"tokens:{name}", window, now) >= budget:
                raise Refused(
                    429,
                    "token_budget_spent",
                    f"this key has used its {budget} model tokens for this {window} s window",
                    retry_after=_until_next(now, window),
                )

    async def _take(self, store: Store, bucket: str, window_s: int, limit: int, now: float) -> bool:
        """Admit one request against `bucket`'s limit: from this process's reservation when
        it has one for the current window, else by reserving the next block in the store.
        When half a block is left, the next one is reserved in the background, so that a
        request seldom waits for the store."""
        start = int(now // window_s * window_s)
        held = self._blocks.get(bucket)
        if held is None or held.start != start:
            if len(self._blocks) > 10_000:
                self._blocks = {b: h for b, h in self._blocks.items() if h.start == start}
            held = self._blocks[bucket] = _Block(start)
        block = reservation_block(limit)
        if held.left > 0:
            held.left -= 1
            if block > 1 and held.left <= block // 2 and not held.spent and held.refill is None:
                task = asyncio.create_task(self._refill(store, bucket, window_s, limit, now, held))
                held.refill = task
                self._refills.add(task)
                task.add_done_callback(self._refills.discard)
            return True
        if held.refill is not None:  # the next block is on its way: wait for it, not another
            await asyncio.shield(held.refill)
            if held.left > 0:
                held.left -= 1
                return True
        if held.spent:
            return False  # the store said this window is spent
        held.add(await self._reserve(store, bucket, window_s, limit, now))
        if held.left > 0:  # this reservation, or one made meanwhile
            held.left -= 1
            return True
        return False

    async def _reserve(
        self, store: Store, bucket: str, window_s: int, limit: int, now: float
    ) -> int:
        """Reserve the next block in the store; how many of its requests were granted."""
        block = reservation_block(limit)
        total = await _run(store, store.hit, bucket, window_s, block, now)
        return max(0, min(block, limit - (total - block)))

    async def _refill(
        self, store: Store, bucket: str, window_s: int, limit: int, now: float, held: _Block
    ) -> None:
        try:
            held.add(await self._reserve(store, bucket, window_s, limit, now))
        except AmendsError:  # the next request that finds the block empty asks again
            pass
        finally:
            held.refill = None

    async def _tokens_used(self, store: Store, bucket: str, window_s: int, now: float) -> int:
        start = int(now // window_s * window_s)
        cached = self._tokens.get(bucket)
        moment = time.monotonic()
        if cached is not None and cached[0] > moment and cached[1] == start:
            return cached[2]
        used = await _run(store, store.window_total, bucket, window_s, now)
        self._tokens[bucket] = (moment + CACHE_S, start, used)
        return used

    async def _charge(self, store: Store, name: str, spent: int) -> None:
        bucket, window = f"tokens:{name}", self.settings.key_token_window_s
        now = self.clock()
        used = await _run(store, store.hit, bucket, window, spent, now)
        start = int(now // window * window)
        cached = self._tokens.get(bucket)
        if cached is not None and cached[1] == start:
            self._tokens[bucket] = (cached[0], start, max(cached[2], used))

    async def _lookup(self, store: Store, presented: str) -> ApiKey | None:
        digest = key_hash(presented)
        now = time.monotonic()
        cached = self._keys.get(digest)
        if cached is not None and cached[0] > now:
            return cached[1]
        key = await _run(store, store.find_key, digest)
        if len(self._keys) > 10_000:  # unknown keys sent in bulk must not grow this forever
            self._keys.clear()
        self._keys[digest] = (now + CACHE_S, key)
        return key

    async def _keys_exist(self, store: Store | None) -> bool:
        if store is None:
            return False
        now = time.monotonic()
        if self._any_key[0] > now:
            return self._any_key[1]
        exists = any(key.active for key in await _run(store, store.list_keys))
        self._any_key = (now + CACHE_S, exists)
        return exists


class _Block:
    """This process's reservation of a key's requests in one window."""

    __slots__ = ("left", "refill", "spent", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.left = 0
        self.spent = False
        """The store granted nothing more in this window."""
        self.refill: asyncio.Task[None] | None = None
        """The reservation of the next block, while it is under way."""

    def add(self, granted: int) -> None:
        self.left += granted
        self.spent = self.spent or granted == 0


class Refused(Exception):
    def __init__(
        self, status: int, code: str, message: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after

    def response(self) -> Any:
        headers: dict[str, str] = {}
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="amends"'
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return error_response(self.status, self.code, self.message, headers=headers or None)


def reservation_block(limit: int) -> int:
    """How many requests a process reserves from the store at once: a twentieth of the
    limit, at least 1 (small limits are counted exactly) and at most 100."""
    return max(1, min(100, limit // 20))


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, credentials = str(value.decode("latin-1")).partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
            return ""  # present but not a bearer token: an invalid key, not a missing one
    return None


def _until_next(now: float, window_s: int) -> int:
    return max(1, math.ceil((now // window_s + 1) * window_s - now))


async def _run(store: Store, fn: Callable[..., T], *args: Any) -> T:
    """SQLite answers in tens of microseconds, less than a thread hop; a network database
    gets a worker thread so the event loop never waits on it."""
    if store.backend == "sqlite":
        return fn(*args)
    return await anyio.to_thread.run_sync(fn, *args)
