"""The transport retry policy for model calls: which failures to retry, how long to wait, when
to give up.

Retries live here and nowhere else (the OpenAI client is built with `max_retries=0`), so one
logical call never multiplies into attempts × SDK retries. The policy:

- retry only what the caller raises as transient (`UpstreamUnavailable`, `UpstreamTimeout`):
  timeouts, connection errors, 408/409/429 and 5xx answers;
- wait what the server asked for (`retry-after-ms`, else `Retry-After` in seconds or as an
  HTTP date) when it said; otherwise exponential backoff with "equal jitter": a random wait in
  [d/2, d] where d = min(max_delay, base × 2^(attempt-1)), so clients that failed together do
  not retry in lockstep, yet never retry at once;
- stop after `attempts` calls, or as soon as the next wait would reach the deadline. A wait
  that ends at or past the deadline would leave no time for the attempt it waits for, so
  the call fails now and carries the server's `retry_after` for the HTTP answer instead of
  sleeping out the caller's budget first.

Sleep, clock and random source are injectable so tests assert the waits without sleeping.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type

from service.errors import UpstreamTimeout, UpstreamUnavailable
from service.settings import Settings

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

TRANSIENT_ERRORS: tuple[type[Exception], ...] = (UpstreamUnavailable, UpstreamTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int
    deadline_s: float
    base_delay_s: float
    max_delay_s: float

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            attempts=settings.retry_attempts,
            deadline_s=settings.retry_deadline_s,
            base_delay_s=settings.retry_base_delay_s,
            max_delay_s=settings.retry_max_delay_s,
        )

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """The jittered wait after failed attempt number `attempt` (1-based)."""
        # Exponent capped so a large attempt count cannot overflow the float.
        ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** min(attempt - 1, 30))
        return rng.uniform(ceiling / 2, ceiling)


class Deadline:
    """A point in time on `clock`, fixed when the call starts."""

    def __init__(self, seconds: float, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._at = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._at - self._clock())


def parse_retry_after(
    headers: Mapping[str, str], now: Callable[[], float] = time.time
) -> float | None:
    """Seconds the server asked us to wait, or None when it did not say (or said nonsense).

    `retry-after-ms` (sent by OpenAI and Azure) is preferred for its precision; `Retry-After`
    may be delta-seconds or an HTTP date (RFC 9110 §10.2.3). `headers` should be
    case-insensitive, as `httpx.Headers` is.
    """
    raw_ms = headers.get("retry-after-ms")
    if raw_ms is not None:
        seconds = _non_negative(raw_ms)
        if seconds is not None:
            return seconds / 1000
    raw = headers.get("retry-after")
    if raw is None:
        return None
    seconds = _non_negative(raw)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now())


def _non_negative(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def build_retrying(
    policy: RetryPolicy,
    deadline: Deadline,
    *,
    sleep: Sleep = asyncio.sleep,
    rng: random.Random | None = None,
) -> AsyncRetrying:
    """A tenacity loop for one call; it re-raises the last transient error when it gives up."""
    source = rng or random.Random()

    def wait(state: RetryCallState) -> float:
        asked = _retry_after(state)
        return asked if asked is not None else policy.backoff(state.attempt_number, source)

    def stop(state: RetryCallState) -> bool:
        # tenacity computes the wait before asking stop, so the upcoming sleep is known here.
        out_of_attempts = state.attempt_number >= policy.attempts
        return out_of_attempts or state.upcoming_sleep >= deadline.remaining()

    def log_retry(state: RetryCallState) -> None:
        logger.warning(
            "model call attempt %d failed (%s); retrying in %.2fs",
            state.attempt_number,
            _error_of(state),
            state.upcoming_sleep,
        )

    return AsyncRetrying(
        sleep=sleep,
        stop=stop,
        wait=wait,
        retry=retry_if_exception_type(TRANSIENT_ERRORS),
        before_sleep=log_retry,
        reraise=True,
    )


def _error_of(state: RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None


def _retry_after(state: RetryCallState) -> float | None:
    error = _error_of(state)
    return error.retry_after if isinstance(error, UpstreamUnavailable) else None
