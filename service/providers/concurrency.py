"""A per-process cap on concurrent model calls.

However many requests a worker accepts, at most `slots` of them talk to the model at once; the
rest wait for a slot up to `wait_s` and are then refused with `ModelBusy` (a 503 with
`Retry-After`, or the composer's draft where fallback is on), so a burst of traffic cannot
fan out into an unbounded number of upstream calls and tokens.
"""

from __future__ import annotations

import asyncio

from prompts.render import ChatMessage
from service.errors import ModelBusy
from service.providers.base import Completion, Job, Provider


class ConcurrencyLimited:
    """Wraps a provider; everything but `complete` is the wrapped provider's."""

    def __init__(self, provider: Provider, slots: int, wait_s: float) -> None:
        self.inner = provider
        self.name = provider.name
        self.model = provider.model
        self.can_repair = provider.can_repair
        self.slots = slots
        self.wait_s = wait_s
        self._free = asyncio.Semaphore(slots)

    @property
    def structured(self) -> bool:
        return self.inner.structured

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        try:
            async with asyncio.timeout(self.wait_s):
                await self._free.acquire()
        except TimeoutError as exc:
            raise ModelBusy(
                f"all {self.slots} model-call slots of this worker stayed busy "
                f"for {self.wait_s:g} s",
                retry_after=1,
            ) from exc
        try:
            return await self.inner.complete(messages, job)
        finally:
            self._free.release()

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()
