"""The provider for any OpenAI-compatible chat-completions server (OpenAI, Azure, vLLM, Ollama,
llama.cpp, LiteLLM).

One `complete` call is one logical request: transport faults are retried by the policy in
`service.providers.retry` (the SDK's own retries are off), and every failure leaves as one
of the `service.errors` Upstream* errors.

Output parsing, decided here:
- Structured output on: the answer must be the JSON object `{"subject", "body"}`, optionally
  wrapped in a ```json fence (some servers add one despite the schema). Anything else is
  `UpstreamBadOutput`, even when it looks like plain text: structured output is a setting,
  not a guess, and a server that ignores `response_format` should run with
  `AMENDS_LLM_STRUCTURED_OUTPUT=false` rather than have its answers half-trusted.
- Structured output off: plain text; a first line `Subject: ...` becomes the subject.
- Empty content, `finish_reason` "length" (truncated) or "content_filter", and refusals are
  `UpstreamBadOutput`: none of them is a draft worth checking.

The API key is only handed to the SDK; error messages are scrubbed of it before they leave.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time

import httpx
import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from openai.types.shared_params import ResponseFormatJSONSchema

from prompts.render import ChatMessage
from service.errors import (
    AmendsError,
    UpstreamBadOutput,
    UpstreamRejected,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from service.providers.base import Completion, Job
from service.providers.retry import (
    Clock,
    Deadline,
    RetryPolicy,
    Sleep,
    build_retrying,
    parse_retry_after,
)
from service.settings import Settings

RETRYABLE_STATUS = frozenset({408, 409, 429})
"""Besides every 5xx: request timeout, conflict (OpenAI's lock contention) and rate limits."""

MAX_ERROR_TEXT = 300

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

_FENCE = re.compile(r"^```[a-zA-Z]*[ \t]*\n(?P<inner>.*?)\n?```$", re.DOTALL)
# Tolerates Markdown emphasis around the label ("**Subject:** ..."), which models add unasked.
_SUBJECT_LINE = re.compile(
    r"^[*_#\s]*subject[*_\s]*:[*_\s]*(?P<subject>.*?)[*_\s]*$", re.IGNORECASE
)


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
        self._client = AsyncOpenAI(
            base_url=settings.llm_base_url,
            # Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
            api_key=self._secret or "unused",
            timeout=settings.llm_timeout_s,
            max_retries=0,  # retries live in the tenacity policy only
            http_client=http_client,
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool (an injected client is closed too)."""
        await self._client.close()

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        """One draft from the model; retries transient faults within the deadline."""
        deadline = Deadline(self._policy.deadline_s, self._clock)
        retrying = build_retrying(self._policy, deadline, sleep=self._sleep, rng=self._rng)
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._request(messages, deadline.remaining())
        except (UpstreamUnavailable, UpstreamTimeout) as exc:
            count = retrying.statistics.get("attempt_number", 1)
            raise type(exc)(
                f"{exc.message} (gave up after {count} attempt{'s' if count != 1 else ''})",
                retry_after=exc.retry_after,
            ) from exc
        return parse_completion(
            response, structured=self._settings.llm_structured_output, model=self.model
        )

    async def _request(self, messages: list[ChatMessage], remaining: float) -> ChatCompletion:
        """One HTTP attempt, bounded by the per-call timeout and what is left of the deadline."""
        timeout = min(self._settings.llm_timeout_s, remaining)
        structured = self._settings.llm_structured_output
        try:
            # The SDK's timeout bounds each socket operation; asyncio's bounds the whole
            # attempt, so a server that trickles bytes cannot hold the call past the deadline.
            async with asyncio.timeout(timeout):
                return await self._client.chat.completions.create(
                    model=self.model,
                    messages=[_to_param(m) for m in messages],
                    temperature=self._settings.llm_temperature,
                    max_tokens=self._settings.llm_max_tokens,
                    response_format=DRAFT_SCHEMA if structured else openai.omit,
                    timeout=timeout,
                )
        except (openai.APITimeoutError, TimeoutError) as exc:
            raise UpstreamTimeout(f"the model server did not answer within {timeout:.3g}s") from exc
        except openai.APIConnectionError as exc:
            reason = self._scrub(str(exc.__cause__ or exc))
            raise UpstreamUnavailable(f"cannot reach the model server: {reason}") from exc
        except openai.APIStatusError as exc:
            raise self._status_error(exc) from exc

    def _status_error(self, exc: openai.APIStatusError) -> AmendsError:
        status = exc.status_code
        message = f"the model server answered {status}: {self._scrub(_server_message(exc))}"
        if status == 408:
            return UpstreamTimeout(message)
        if status in RETRYABLE_STATUS or status >= 500:
            return UpstreamUnavailable(message, retry_after=parse_retry_after(exc.response.headers))
        return UpstreamRejected(message)

    def _scrub(self, text: str) -> str:
        """Never echo the key, even if a server or proxy quotes it back in an error."""
        if self._secret:
            text = text.replace(self._secret, "***")
        return text[:MAX_ERROR_TEXT]


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


def parse_completion(response: ChatCompletion, *, structured: bool, model: str) -> Completion:
    """Turn a chat completion into a `Completion`, or raise `UpstreamBadOutput` saying why."""
    if not response.choices:
        raise UpstreamBadOutput("the model returned no choices")
    choice = response.choices[0]
    if choice.finish_reason == "length":
        raise UpstreamBadOutput("truncated: the model hit max_tokens before finishing the draft")
    if choice.finish_reason == "content_filter":
        raise UpstreamBadOutput("the model server's content filter withheld the draft")
    if choice.message.refusal:
        raise UpstreamBadOutput(f"the model refused: {choice.message.refusal[:MAX_ERROR_TEXT]}")
    content = (choice.message.content or "").strip()
    if not content:
        raise UpstreamBadOutput("the model returned empty content")
    subject, body = _parse_json(content) if structured else _parse_text(content)
    usage = response.usage
    return Completion(
        subject=subject,
        body=body,
        model=response.model or model,
        prompt_tokens=usage.prompt_tokens if usage else 0,
        completion_tokens=usage.completion_tokens if usage else 0,
    )


def _parse_json(content: str) -> tuple[str | None, str]:
    fenced = _FENCE.match(content)
    text = fenced.group("inner") if fenced else content
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UpstreamBadOutput(
            f"structured output is on but the answer is not JSON ({exc.msg}); "
            "set AMENDS_LLM_STRUCTURED_OUTPUT=false if this server ignores response_format"
        ) from exc
    if not isinstance(data, dict):
        raise UpstreamBadOutput("structured output is not a JSON object")
    subject, body = data.get("subject"), data.get("body")
    if not isinstance(body, str) or not body.strip():
        raise UpstreamBadOutput("structured output has no non-empty string 'body'")
    if subject is not None and not isinstance(subject, str):
        raise UpstreamBadOutput("structured output has a 'subject' that is not a string or null")
    return (subject.strip() or None) if subject else None, body.strip()


def _parse_text(content: str) -> tuple[str | None, str]:
    first, _, rest = content.partition("\n")
    match = _SUBJECT_LINE.match(first.strip())
    if match is None:
        return None, content
    body = rest.strip()
    if not body:
        raise UpstreamBadOutput("the answer has a subject line but no body")
    return match.group("subject").strip() or None, body
