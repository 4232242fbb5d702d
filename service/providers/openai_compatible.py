"""The provider for any OpenAI-compatible chat-completions server (OpenAI, Azure, vLLM, Ollama,
llama.cpp, LiteLLM).

One `complete` call is one logical request: transport faults are retried by the policy in
`service.providers.retry` (the SDK's own retries are off), and every failure leaves as one
of the `service.errors` Upstream* errors. The answer is read by `service.providers.answer`.

Structured output is negotiated when `AMENDS_LLM_STRUCTURED_OUTPUT=auto` (the default): the
provider asks for `json_schema`, then `json_object`, then plain text. A 400, 422 or 500 whose
body is about `response_format` is the server saying what it does not accept, not a transient
fault: it is not retried, the next mode is tried at once, and the provider remembers the step
down for every later call. A structured answer with no letter in it (JSON without a non-empty
string `body`, which a tiny model writes when a grammar forces it into JSON) is taken the same
way, as evidence the model cannot use that mode: the provider steps down, remembers it, and
raises `OutputModeUnusable` so the pipeline asks again with a prompt rendered for the new mode.
A forced mode never steps down; its refusal is `UpstreamRejected`, its bodiless answer
`UpstreamBadOutput`.

The API key is only handed to the SDK; error messages are scrubbed of it before they leave.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import time
from typing import Literal

import httpx
import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessageParam
from openai.types.chat.completion_create_params import ResponseFormat
from openai.types.shared_params import ResponseFormatJSONObject, ResponseFormatJSONSchema

from prompts.render import ChatMessage
from service.errors import (
    AmendsError,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from service.providers.answer import AnswerRules, BodilessAnswer, read_answer
from service.providers.base import Completion, Job, OutputModeUnusable
from service.providers.retry import (
    Clock,
    Deadline,
    RetryPolicy,
    Sleep,
    build_retrying,
    parse_retry_after,
)
from service.settings import Settings

logger = logging.getLogger(__name__)

OutputMode = Literal["json_schema", "json_object", "text"]
NEGOTIATION_ORDER: tuple[OutputMode, ...] = ("json_schema", "json_object", "text")

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Besides every 5xx: request timeout, conflict (OpenAI's lock contention) and rate limits."""

CAPABILITY_STATUS = frozenset({400, 422, 500})
"""Statuses servers use to refuse a `response_format` they do not support (llama.cpp: 500)."""

_ABOUT_RESPONSE_FORMAT = re.compile(
    r"response[_ ]?format|json[_ ]?schema|json[_ ]?object|structured output", re.IGNORECASE
)

MAX_ERROR_TEXT = 300
MIN_SECRET_CHARS = 8
"""Shorter "keys" are placeholders: scrubbing them would mangle every message that has those
letters ("t" in "text") while protecting nothing."""

DRAFT_SCHEMA: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {
        "name": "apology_draft",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {
                "subject": {"type": ["string", "null"]},
                "body": {"type": "string"},
            },
            "required": ["subject", "body"],
            "additionalProperties": False,
        },
    },
}
JSON_OBJECT: ResponseFormatJSONObject = {"type": "json_object"}


class _ModeRefused(Exception):
    """The server refused this call's `response_format`: a capability answer, never retried."""

    def __init__(self, mode: OutputMode, message: str) -> None:
        super().__init__(message)
        self.mode = mode
        self.message = message


def redact(text: str, secret: str) -> str:
    """`text` with every exact occurrence of `secret` replaced, when `secret` is key-sized."""
    if len(secret) >= MIN_SECRET_CHARS:
        text = text.replace(secret, "***")
    return text


class OpenAICompatibleProvider:
    """Drafts with a chat-completions model; `can_repair` because a re-ask changes the text."""

    name = "openai"
    can_repair = True

    def __init__(
        self,
        settings: Settings,
        *,
        http_client: httpx.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.model = settings.llm_model
        self._settings = settings
        self._secret = settings.llm_api_key.get_secret_value()
        self._policy = RetryPolicy.from_settings(settings)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        setting = settings.llm_structured_output
        self.negotiating = setting == "auto"
        self._modes: list[OutputMode] = list(NEGOTIATION_ORDER) if setting == "auto" else [setting]
        self._client = AsyncOpenAI(
            base_url=settings.llm_base_url,
            # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
            api_key=self._secret or "unused",
            timeout=settings.llm_timeout_s,
            max_retries=0,  # retries live in the tenacity policy only
            http_client=http_client,
        )

    @property
    def output_mode(self) -> OutputMode:
        """The mode the next call asks for: the best one the server has not refused."""
        return self._modes[0]

    @property
    def structured(self) -> bool:
        """Whether prompts should ask for the JSON answer (`False` once down to plain text)."""
        return self.output_mode != "text"

    async def aclose(self) -> None:
        """Close the HTTP connection pool (an injected client is closed too)."""
        await self._client.close()

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        """One draft from the model; retries transient faults within the deadline."""
        deadline = Deadline(self._policy.deadline_s, self._clock)
        while True:
            mode = self.output_mode
            try:
                raw = await self._with_retries(messages, mode, deadline)
            except _ModeRefused as refused:
                self._step_down(refused)
                continue
            rules = AnswerRules(
                strict_json=not self.negotiating and mode != "text",
                max_subject_chars=self._settings.llm_max_subject_chars,
                max_body_chars=self._settings.llm_max_body_chars,
            )
            try:
                return read_answer(raw, rules, model=self.model)
            except BodilessAnswer as bodiless:
                if not self.negotiating or mode == "text":
                    raise
                self._drop(mode, f"the model's answers in it hold no letter ({bodiless.message})")
                raise OutputModeUnusable(
                    f"{bodiless.message} in response_format {mode!r}; "
                    f"asking again in {self.output_mode!r}",
                    prompt_tokens=bodiless.prompt_tokens,
                    completion_tokens=bodiless.completion_tokens,
                ) from bodiless

    def _step_down(self, refused: _ModeRefused) -> None:
        if not self.negotiating or len(self._modes) == 1:
            raise UpstreamRejected(
                f"{refused.message} (response_format {refused.mode!r} is not accepted; "
                "set AMENDS_LLM_STRUCTURED_OUTPUT=auto to negotiate)"
            )
        self._drop(refused.mode, "the model server does not accept it")

    def _drop(self, mode: OutputMode, why: str) -> None:
        # Another request may have stepped down already; only ever remove this mode.
        if mode in self._modes and len(self._modes) > 1:
            self._modes.remove(mode)
        logger.warning("response_format %r: %s; using %r from now on", mode, why, self.output_mode)

    async def _with_retries(
        self, messages: list[ChatMessage], mode: OutputMode, deadline: Deadline
    ) -> str:
        retrying = build_retrying(self._policy, deadline, sleep=self._sleep, rng=self._rng)
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._request(messages, mode, deadline.remaining())
        except (UpstreamUnavailable, UpstreamTimeout) as exc:
            count = retrying.statistics.get("attempt_number", 1)
            raise type(exc)(
                f"{exc.message} (gave up after {count} attempt{'s' if count != 1 else ''})",
                retry_after=exc.retry_after,
            ) from exc
        raise AssertionError("unreachable: tenacity either returns or re-raises")

    async def _request(
        self, messages: list[ChatMessage], mode: OutputMode, remaining: float
    ) -> str:
        """One HTTP attempt, bounded by the per-call timeout and what is left of the deadline."""
        timeout = min(self._settings.llm_timeout_s, remaining)
        try:
            # The SDK's timeout bounds each socket operation; asyncio's bounds the whole
            # attempt, so a server that trickles bytes cannot hold the call past the deadline.
            async with asyncio.timeout(timeout):
                # The raw answer, not the SDK's unvalidated model of it: see providers.answer.
                response = await self._client.chat.completions.with_raw_response.create(
                    model=self.model,
                    messages=[_to_param(m) for m in messages],
                    temperature=self._settings.llm_temperature,
                    max_tokens=self._settings.llm_max_tokens,
                    response_format=_response_format(mode),
                    timeout=timeout,
                )
                return response.http_response.text
        except (openai.APITimeoutError, TimeoutError) as exc:
            raise UpstreamTimeout(f"the model server did not answer within {timeout:.3g}s") from exc
        except openai.APIConnectionError as exc:
            reason = self._scrub(str(exc.__cause__ or exc))
            raise UpstreamUnavailable(f"cannot reach the model server: {reason}") from exc
        except openai.APIStatusError as exc:
            raise self._status_error(exc, mode) from exc

    def _status_error(self, exc: openai.APIStatusError, mode: OutputMode) -> Exception:
        status = exc.status_code
        explanation = _server_message(exc)
        message = f"the model server answered {status}: {self._scrub(explanation)}"
        if (
            mode != "text"
            and status in CAPABILITY_STATUS
            and _ABOUT_RESPONSE_FORMAT.search(explanation)
        ):
            return _ModeRefused(mode, message)
        return _transport_error(status, message, exc)

    def _scrub(self, text: str) -> str:
        """Never echo the key, even if a server or proxy quotes it back in an error."""
        return redact(text, self._secret)[:MAX_ERROR_TEXT]


def _transport_error(status: int, message: str, exc: openai.APIStatusError) -> AmendsError:
    if status == 408:
        return UpstreamTimeout(message)
    if status in RETRYABLE_STATUS or status >= 500:
        return UpstreamUnavailable(message, retry_after=parse_retry_after(exc.response.headers))
    return UpstreamRejected(message)


def _response_format(mode: OutputMode) -> ResponseFormat | openai.Omit:
    if mode == "json_schema":
        return DRAFT_SCHEMA
    if mode == "json_object":
        return JSON_OBJECT
    return openai.omit


def _to_param(message: ChatMessage) -> ChatCompletionMessageParam:
    if message["role"] == "system":
        return {"role": "system", "content": message["content"]}
    if message["role"] == "assistant":
        return {"role": "assistant", "content": message["content"]}
    return {"role": "user", "content": message["content"]}


def _server_message(exc: openai.APIStatusError) -> str:
    """The server's own explanation: `error.message` in OpenAI's shape, else the raw body."""
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("message")
        return str(inner) if inner else json.dumps(body)[:MAX_ERROR_TEXT]
    if isinstance(body, str) and body:
        return body
    return exc.response.reason_phrase or "no details"
