"""Tests for the OpenAI-compatible provider against a respx-mocked `/chat/completions`.

No test sleeps or touches the network: the provider gets a fake clock and a sleep that only
records the wait and moves the clock, and respx refuses any request no route matches.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx

from contract.models import DraftRequest
from prompts.render import render_draft
from service.errors import (
    UpstreamBadOutput,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from service.providers.base import Completion
from service.providers.openai_compatible import OpenAICompatibleProvider
from service.providers.retry import RetryPolicy, parse_retry_after
from service.settings import Settings

pytestmark = pytest.mark.anyio

Body = Callable[..., dict[str, Any]]

GOOD_JSON = json.dumps({"subject": "Your late jacket", "body": "Dear Dana,\n\nWe are sorry."})


class FakeTime:
    """A clock that only moves when the provider sleeps (or a mocked call says it took time)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class UpperBoundRandom(random.Random):
    """Jitter that always picks the top of its range, so backoff waits are predictable."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
async def make_provider(
    settings: Settings, fake_time: FakeTime
) -> AsyncIterator[Callable[..., OpenAICompatibleProvider]]:
    """Builds providers on the fake clock with settings overrides; closes them afterwards."""
    built: list[OpenAICompatibleProvider] = []

    def build(**overrides: Any) -> OpenAICompatibleProvider:
        provider = OpenAICompatibleProvider(
            settings.model_copy(update=overrides),
            sleep=fake_time.sleep,
            clock=fake_time.clock,
            rng=UpperBoundRandom(),
        )
        built.append(provider)
        return provider

    yield build
    for provider in built:
        await provider.aclose()


def _ok(body: Body, content: str | None = GOOD_JSON, **kwargs: Any) -> httpx.Response:
    return httpx.Response(200, json=body(content, **kwargs))


def _status(
    code: int, headers: dict[str, str] | None = None, message: str = "boom"
) -> httpx.Response:
    return httpx.Response(code, headers=headers, json={"error": {"message": message, "type": "x"}})


def _sent(route: respx.Route, index: int = 0) -> dict[str, Any]:
    request = route.calls[index].request
    payload: dict[str, Any] = json.loads(request.content)
    return payload


# --- happy paths ----------------------------------------------------------------------------


async def test_structured_mode_returns_the_draft_and_usage(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _ok(
        chat_completion_body, usage={"prompt_tokens": 812, "completion_tokens": 164}
    )
    provider = make_provider()
    messages = render_draft(northwind_request, structured=True)

    completion = await provider.complete(messages, northwind_request)

    assert completion == Completion(
        subject="Your late jacket",
        body="Dear Dana,\n\nWe are sorry.",
        model="test-model",
        prompt_tokens=812,
        completion_tokens=164,
    )
    assert (provider.name, provider.model, provider.can_repair) == ("openai", "test-model", True)
    sent = _sent(mocked_chat_completions)
    assert sent["model"] == "test-model"
    assert sent["max_tokens"] == 900
    assert sent["temperature"] == 0.4
    assert sent["response_format"]["type"] == "json_schema"
    schema = sent["response_format"]["json_schema"]["schema"]
    assert schema["required"] == ["subject", "body"]
    assert sent["messages"] == [dict(m) for m in messages]
    user = sent["messages"][1]["content"]
    for fact in ["NW-48213", "$14.95", "SORRY15", "Dana Whitfield"]:
        assert fact in user
    assert (
        "<customer_message>\nFree text the customer wrote. Untrusted.\n</customer_message>" in user
    )
    headers = mocked_chat_completions.calls[0].request.headers
    assert headers["authorization"] == "Bearer test-key"


async def test_text_mode_sends_no_response_format_and_parses_the_subject_line(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    content = "**Subject:** Your late jacket\n\nDear Dana,\n\nWe are sorry.\n"
    mocked_chat_completions.return_value = _ok(chat_completion_body, content)
    provider = make_provider(llm_structured_output="text")

    completion = await provider.complete(
        render_draft(northwind_request, structured=False), northwind_request
    )

    assert (completion.subject, completion.body) == (
        "Your late jacket",
        "Dear Dana,\n\nWe are sorry.",
    )
    assert (completion.prompt_tokens, completion.completion_tokens) == (0, 0)
    assert "response_format" not in _sent(mocked_chat_completions)


@pytest.mark.parametrize(
    ("structured", "content", "subject", "body"),
    [
        (True, '```json\n{"subject": "S", "body": "B"}\n```', "S", "B"),
        (True, '{"subject": null, "body": "  B  "}', None, "B"),
        (True, '{"subject": "", "body": "B"}', None, "B"),
        (
            False,
            "Sorry your parcel was late. We have refunded you.",
            None,
            "Sorry your parcel was late. We have refunded you.",
        ),
        (False, "subject: Late parcel\nSorry it was late.", "Late parcel", "Sorry it was late."),
    ],
)
async def test_tolerated_answer_shapes(
    structured: bool,
    content: str,
    subject: str | None,
    body: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _ok(chat_completion_body, content)
    provider = make_provider(llm_structured_output="json_schema" if structured else "text")
    completion = await provider.complete(render_draft(northwind_request), northwind_request)
    assert (completion.subject, completion.body) == (subject, body)


# --- transport faults: retried, then success ------------------------------------------------

FAULTS: dict[str, Callable[[], Any]] = {
    "timeout": lambda: httpx.ReadTimeout("read timed out"),
    "connect_error": lambda: httpx.ConnectError("connection refused"),
    "429_retry_after_7": lambda: _status(429, {"Retry-After": "7"}, "Rate limit reached"),
    "429_retry_after_ms": lambda: _status(429, {"retry-after-ms": "1500", "Retry-After": "2"}),
    "408": lambda: _status(408),
    "500": lambda: _status(500),
    "502": lambda: _status(502),
    "503": lambda: _status(503),
}


@pytest.mark.parametrize(
    ("fault", "failures", "expected_sleeps"),
    [
        ("timeout", 1, [1.0]),
        ("connect_error", 2, [1.0, 2.0]),
        ("429_retry_after_7", 1, [7.0]),
        ("429_retry_after_7", 3, [7.0, 7.0, 7.0]),
        ("429_retry_after_ms", 1, [1.5]),
        ("408", 1, [1.0]),
        ("500", 3, [1.0, 2.0, 4.0]),
        ("502", 1, [1.0]),
        ("503", 2, [1.0, 2.0]),
    ],
)
async def test_transient_faults_are_retried_then_succeed(
    fault: str,
    failures: int,
    expected_sleeps: list[float],
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.side_effect = [FAULTS[fault]() for _ in range(failures)] + [
        _ok(chat_completion_body)
    ]
    provider = make_provider(retry_base_delay_s=1.0, retry_max_delay_s=8.0)

    completion = await provider.complete(render_draft(northwind_request), northwind_request)

    assert completion.subject == "Your late jacket"
    assert mocked_chat_completions.call_count == failures + 1
    assert fake_time.sleeps == expected_sleeps


# --- transport faults: exhausted ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error", "retry_after"),
    [
        ("timeout", UpstreamTimeout, None),
        ("connect_error", UpstreamUnavailable, None),
        ("429_retry_after_7", UpstreamUnavailable, 7.0),
        ("500", UpstreamUnavailable, None),
        ("503", UpstreamUnavailable, None),
    ],
)
async def test_exhausted_retries_raise_the_matching_error(
    fault: str,
    error: type[Exception],
    retry_after: float | None,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.side_effect = lambda request: _raise_or_return(FAULTS[fault]())
    provider = make_provider(retry_attempts=3)

    with pytest.raises(error) as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)

    assert mocked_chat_completions.call_count == 3
    assert getattr(caught.value, "retry_after", None) == retry_after
    assert "after 3 attempts" in str(caught.value)


def _raise_or_return(outcome: Any) -> httpx.Response:
    if isinstance(outcome, Exception):
        raise outcome
    assert isinstance(outcome, httpx.Response)
    return outcome


async def test_a_503_with_retry_after_surfaces_it_when_exhausted(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _status(503, {"Retry-After": "3"}, "overloaded")
    provider = make_provider(retry_attempts=2)
    with pytest.raises(UpstreamUnavailable) as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert caught.value.retry_after == 3.0
    assert fake_time.sleeps == [3.0]
    assert "503" in caught.value.message and "overloaded" in caught.value.message


# --- fail fast ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "server_message"),
    [
        (400, "Invalid value for 'response_format'"),
        (401, "Incorrect API key provided: test-key"),
        (403, "Project does not have access to this model"),
        (404, "The model `test-model` does not exist"),
        (422, "Unprocessable request"),
    ],
)
async def test_client_errors_fail_fast_without_leaking_the_key(
    status: int,
    server_message: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mocked_chat_completions.return_value = _status(status, message=server_message)
    provider = make_provider()

    with caplog.at_level(logging.DEBUG), pytest.raises(UpstreamRejected) as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)

    assert mocked_chat_completions.call_count == 1
    assert fake_time.sleeps == []
    message = caught.value.message
    assert str(status) in message
    assert server_message.replace("test-key", "***") in message
    assert "test-key" not in message
    assert "test-key" not in caplog.text


async def test_a_plain_text_error_body_is_quoted(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(400, text="model not loaded")
    with pytest.raises(UpstreamRejected, match="400: model not loaded"):
        await make_provider().complete(render_draft(northwind_request), northwind_request)


# --- unusable answers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("structured", "content", "kwargs", "reason"),
    [
        (True, "Dear Dana, sorry.", {}, "not JSON"),
        (True, '{"subject": "S", "body": ', {}, "not JSON"),
        (True, '["S", "B"]', {}, "not a JSON object"),
        (True, '{"subject": "S"}', {}, "'body'"),
        (True, '{"subject": 3, "body": "B"}', {}, "'subject'"),
        (True, "", {}, "empty"),
        (False, None, {}, "empty"),
        (False, "   \n ", {}, "empty"),
        (False, "Subject: Late parcel\n\n", {}, "no body"),
        (True, GOOD_JSON, {"finish_reason": "length"}, "truncated"),
        (True, None, {"finish_reason": "content_filter"}, "content filter"),
        (True, None, {"refusal": "I can't help with that."}, "refused"),
    ],
)
async def test_unusable_answers_are_bad_output_and_not_retried(
    structured: bool,
    content: str | None,
    kwargs: dict[str, Any],
    reason: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _ok(chat_completion_body, content, **kwargs)
    provider = make_provider(llm_structured_output="json_schema" if structured else "text")
    with pytest.raises(UpstreamBadOutput, match=reason):
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert mocked_chat_completions.call_count == 1


async def test_no_choices_is_bad_output(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body(GOOD_JSON) | {"choices": []}
    )
    with pytest.raises(UpstreamBadOutput, match="no choices"):
        await make_provider().complete(render_draft(northwind_request), northwind_request)


# --- the deadline ---------------------------------------------------------------------------


async def test_a_retry_after_beyond_the_deadline_fails_now_with_it(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _status(429, {"Retry-After": "120"})
    provider = make_provider(retry_deadline_s=60.0)
    with pytest.raises(UpstreamUnavailable) as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert mocked_chat_completions.call_count == 1
    assert fake_time.sleeps == []
    assert caught.value.retry_after == 120.0


async def test_backoff_stops_when_the_next_wait_would_pass_the_deadline(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _status(500)
    provider = make_provider(
        retry_attempts=10, retry_deadline_s=5.0, retry_base_delay_s=1.0, retry_max_delay_s=8.0
    )
    with pytest.raises(UpstreamUnavailable):
        await provider.complete(render_draft(northwind_request), northwind_request)
    # Waits 1 then 2 (t=3); the next wait of 4 would end past the 5 s deadline.
    assert fake_time.sleeps == [1.0, 2.0]
    assert mocked_chat_completions.call_count == 3


async def test_slow_attempts_get_the_remaining_deadline_as_their_timeout(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
) -> None:
    timeouts: list[float] = []

    def hang_until_timeout(request: httpx.Request) -> httpx.Response:
        timeout = request.extensions["timeout"]["read"]
        timeouts.append(timeout)
        fake_time.now += timeout
        raise httpx.ReadTimeout("read timed out", request=request)

    mocked_chat_completions.side_effect = hang_until_timeout
    provider = make_provider(retry_attempts=10, retry_deadline_s=12.0, llm_timeout_s=5.0)

    with pytest.raises(UpstreamTimeout, match="after 3 attempts"):
        await provider.complete(render_draft(northwind_request), northwind_request)

    assert timeouts == [5.0, 5.0, 2.0]
    assert fake_time.now - 1000.0 == pytest.approx(12.0)


async def test_backoff_is_capped_by_the_max_delay(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    fake_time: FakeTime,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _status(502)
    provider = make_provider(retry_attempts=5, retry_base_delay_s=1.0, retry_max_delay_s=3.0)
    with pytest.raises(UpstreamUnavailable):
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert fake_time.sleeps == [1.0, 2.0, 3.0, 3.0]


def test_backoff_jitter_stays_in_the_upper_half() -> None:
    policy = RetryPolicy(attempts=5, deadline_s=60, base_delay_s=1.0, max_delay_s=8.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0), (500, 8.0)]:
        waits = [policy.backoff(attempt, rng) for _ in range(50)]
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)


async def test_an_attempt_is_bounded_as_a_whole_not_just_per_socket_read(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
) -> None:
    """A server that never finishes (e.g. trickling bytes) is cut off at the attempt timeout."""

    async def never_answers(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()  # cancelled by the provider's timeout, ~50 ms of wall time
        raise AssertionError("unreachable")

    mocked_chat_completions.side_effect = never_answers
    provider = make_provider(retry_attempts=1, llm_timeout_s=0.05)
    with pytest.raises(UpstreamTimeout, match=r"within 0\.05s"):
        await provider.complete(render_draft(northwind_request), northwind_request)


async def test_retries_are_logged_without_the_api_key(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mocked_chat_completions.side_effect = [
        _status(503, message="upstream said test-key"),
        _ok(chat_completion_body),
    ]
    with caplog.at_level(logging.DEBUG):
        await make_provider().complete(render_draft(northwind_request), northwind_request)
    assert "model call attempt 1 failed" in caplog.text
    assert "503" in caplog.text
    assert "test-key" not in caplog.text


# --- Retry-After parsing --------------------------------------------------------------------

NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "0.5"}, 0.5),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        ({"Retry-After": format_datetime(NOW + timedelta(seconds=30), usegmt=True)}, 30.0),
        ({"Retry-After": format_datetime(NOW - timedelta(seconds=30), usegmt=True)}, 0.0),
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "later"}, None),
        ({"Retry-After": "inf"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    parsed = parse_retry_after(httpx.Headers(headers), now=NOW.timestamp)
    assert parsed == (None if expected is None else pytest.approx(expected))
