"""Structured output negotiation against a respx-mocked server: `auto` steps from JSON schema to
JSON object mode to plain text when the server says it does not accept a `response_format`
(never retrying that answer) or when a structured answer holds no letter (the pipeline asks
again with a plain-text prompt), and remembers it; a forced mode never steps down.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx

from contract.models import DraftRequest
from prompts.render import render_draft
from service.composer import compose_draft
from service.errors import UpstreamBadOutput, UpstreamRejected, UpstreamUnavailable
from service.pipeline import Pipeline, build_pipeline
from service.providers.base import OutputModeUnusable
from service.providers.openai_compatible import OpenAICompatibleProvider, redact
from service.settings import Settings

pytestmark = pytest.mark.anyio

Body = Callable[..., dict[str, Any]]

GOOD_JSON = json.dumps({"subject": "Your late jacket", "body": "Dear Dana,\n\nWe are sorry."})
# What llama-cpp-python's server answers to a json_schema response_format.
LLAMA_REFUSAL = (
    "1 validation error for CreateChatCompletionRequest\nresponse_format.type\n"
    "  Input should be 'text' or 'json_object' [type=literal_error, input_value='json_schema']"
)


@pytest.fixture
def sleeps() -> list[float]:
    """Every backoff the provider waited; nothing sleeps for real."""
    return []


@pytest.fixture
async def make_provider(
    settings: Settings, sleeps: list[float]
) -> AsyncIterator[Callable[..., OpenAICompatibleProvider]]:
    built: list[OpenAICompatibleProvider] = []

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> OpenAICompatibleProvider:
        configured = Settings(
            **{
                **settings.model_dump(),
                "llm_api_key": "test-key-0123",
                "llm_timeout_s": 60.0,
                **overrides,
            }
        )
        provider = OpenAICompatibleProvider(configured, sleep=no_sleep)
        built.append(provider)
        return provider

    yield build
    for provider in built:
        await provider.aclose()


def _formats(route: respx.Route) -> list[str]:
    sent = [json.loads(call.request.content) for call in route.calls]
    return [payload.get("response_format", {}).get("type", "text") for payload in sent]


def _refusal(status: int, message: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"message": message, "type": "invalid"}})


@pytest.mark.parametrize(
    ("refusals", "settled", "structured"),
    [
        ([_refusal(500, LLAMA_REFUSAL)], "json_object", True),
        ([_refusal(400, "Unknown parameter: 'response_format'")], "json_object", True),
        (
            [
                _refusal(422, "json_schema is not supported"),
                _refusal(400, "response format json_object is not supported by this model"),
            ],
            "text",
            False,
        ),
    ],
)
async def test_auto_steps_down_on_a_capability_answer_and_remembers_it(
    refusals: list[httpx.Response],
    settled: str,
    structured: bool,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
    sleeps: list[float],
) -> None:
    ok = httpx.Response(200, json=chat_completion_body(GOOD_JSON))
    mocked_chat_completions.side_effect = [*refusals, ok, ok]
    provider = make_provider(llm_structured_output="auto")
    messages = render_draft(northwind_request)

    first = await provider.complete(messages, northwind_request)
    second = await provider.complete(messages, northwind_request)

    assert first.body == second.body == "Dear Dana,\n\nWe are sorry."
    steps = ["json_schema", "json_object", "text"][: len(refusals) + 1]
    assert _formats(mocked_chat_completions) == [*steps, settled]
    assert (provider.output_mode, provider.structured) == (settled, structured)
    assert sleeps == [], "a capability answer is never waited on and retried"


async def test_a_server_error_not_about_response_format_is_retried_not_negotiated(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _refusal(500, "CUDA out of memory")
    provider = make_provider(llm_structured_output="auto", retry_attempts=3, retry_base_delay_s=0)
    with pytest.raises(UpstreamUnavailable, match="after 3 attempts"):
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert _formats(mocked_chat_completions) == ["json_schema"] * 3
    assert provider.output_mode == "json_schema"


@pytest.mark.parametrize("mode", ["json_schema", "json_object"])
async def test_a_forced_mode_is_rejected_once_without_stepping_down(
    mode: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
    sleeps: list[float],
) -> None:
    mocked_chat_completions.return_value = _refusal(500, LLAMA_REFUSAL)
    provider = make_provider(llm_structured_output=mode)
    with pytest.raises(UpstreamRejected, match="AMENDS_LLM_STRUCTURED_OUTPUT=auto"):
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert _formats(mocked_chat_completions) == [mode]
    assert provider.output_mode == mode
    assert sleeps == []


async def test_text_mode_sends_no_response_format_even_on_errors_about_it(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _refusal(400, "response_format is required")
    provider = make_provider(llm_structured_output="text")
    with pytest.raises(UpstreamRejected, match="400"):
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert _formats(mocked_chat_completions) == ["text"]


@pytest.mark.parametrize(
    ("content", "subject", "body"),
    [
        (GOOD_JSON, "Your late jacket", "Dear Dana,\n\nWe are sorry."),
        ("Subject: Late jacket\n\nDear Dana, sorry.", "Late jacket", "Dear Dana, sorry."),
        ("Dear Dana, sorry.", None, "Dear Dana, sorry."),
    ],
)
async def test_auto_reads_json_or_text_whichever_the_server_sent(
    content: str,
    subject: str | None,
    body: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(200, json=chat_completion_body(content))
    provider = make_provider(llm_structured_output="auto")
    completion = await provider.complete(render_draft(northwind_request), northwind_request)
    assert (completion.subject, completion.body) == (subject, body)


@pytest.mark.parametrize(
    ("value", "mode"),
    [
        ("auto", "auto"),
        ("true", "json_schema"),
        ("false", "text"),
        ("json_object", "json_object"),
        (None, "auto"),
    ],
)
def test_the_setting_accepts_modes_and_the_old_booleans(
    value: str | None, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv("AMENDS_LLM_STRUCTURED_OUTPUT", raising=False)
    else:
        monkeypatch.setenv("AMENDS_LLM_STRUCTURED_OUTPUT", value)
    assert Settings(_env_file=None).llm_structured_output == mode


@pytest.mark.parametrize(
    ("text", "secret", "expected"),
    [
        ("'text' or 'json_object'", "t", "'text' or 'json_object'"),
        ("key te-1234 in te-12345678", "te-1234", "key te-1234 in te-12345678"),
        ("bad key sk-abcdefgh1 here", "sk-abcdefgh1", "bad key *** here"),
        ("sk-abcdefgh12 is not sk-abcdefgh1", "sk-abcdefgh1", "***2 is not ***"),
    ],
)
def test_only_a_key_sized_secret_is_redacted_and_only_exactly(
    text: str, secret: str, expected: str
) -> None:
    assert redact(text, secret) == expected


async def test_a_one_letter_key_does_not_mangle_error_messages(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = _refusal(404, "model 'test-model' not found")
    provider = make_provider(llm_api_key="t")
    with pytest.raises(UpstreamRejected) as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert "model 'test-model' not found" in caught.value.message


# A structured answer that holds no letter: what SmolLM2-135M writes when llama.cpp's grammar
# forces it into JSON.
BODILESS = [
    '{"id": 123, "title": "Sender", "authority_level": "Supervisor"}',
    "{}",
    '{"subject": "Sorry", "body": "   "}',
    '{"subject": "Sorry", "body": 5}',
    '```json\n{"title": "Sender"}\n```',
]


def _pipeline(provider: OpenAICompatibleProvider) -> Pipeline:
    settings = Settings(_env_file=None, on_failure="fallback", repair_attempts=1)
    return build_pipeline(settings, provider=provider)


def _sent_messages(route: respx.Route, index: int) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = json.loads(route.calls[index].request.content)["messages"]
    return messages


@pytest.mark.parametrize("content", BODILESS)
async def test_auto_steps_down_when_a_structured_answer_holds_no_letter(
    content: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    usage = {"prompt_tokens": 300, "completion_tokens": 12}
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body(content, usage=usage)
    )
    provider = make_provider(llm_structured_output="auto")
    with pytest.raises(OutputModeUnusable, match="asking again in 'json_object'") as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert (caught.value.prompt_tokens, caught.value.completion_tokens) == (300, 12)
    assert caught.value.code == "upstream_bad_output"
    assert (provider.output_mode, provider.structured) == ("json_object", True)
    assert _formats(mocked_chat_completions) == ["json_schema"]


async def test_a_bodiless_json_answer_is_asked_again_in_plain_text_and_that_letter_delivered(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    """llama-cpp-python refuses json_schema, SmolLM2 fills json_object with anything; the
    pipeline asks again in plain text, with a prompt for plain text, and keeps that mode."""
    letter = compose_draft(northwind_request)
    usage = {"prompt_tokens": 400, "completion_tokens": 20}
    text = httpx.Response(
        200,
        json=chat_completion_body(f"Subject: {letter.subject}\n\n{letter.body}", usage=usage),
    )
    mocked_chat_completions.side_effect = [
        _refusal(500, LLAMA_REFUSAL),
        httpx.Response(200, json=chat_completion_body(BODILESS[0], usage=usage)),
        text,
        text,
    ]
    provider = make_provider(llm_structured_output="auto")
    pipeline = _pipeline(provider)

    first = await pipeline.draft(northwind_request)
    second = await pipeline.draft(northwind_request)

    assert _formats(mocked_chat_completions) == ["json_schema", "json_object", "text", "text"]
    assert (provider.output_mode, provider.structured) == ("text", False)
    for draft in (first, second):
        assert (draft.meta.written_by, draft.meta.fallback) == ("model", False)
        assert (draft.subject, draft.body) == (letter.subject, letter.body)
        assert draft.guardrails.passed
    # The bodiless answer was a model call, and its tokens were spent.
    assert (first.meta.attempts, first.meta.usage.prompt_tokens) == (2, 800)
    assert (second.meta.attempts, second.meta.usage.prompt_tokens) == (1, 400)
    # The re-ask asks for a plain letter, not the JSON the model could not fill.
    plain = render_draft(northwind_request, structured=False)
    assert plain != render_draft(northwind_request, structured=True)
    for index in (2, 3):
        assert [m["content"] for m in _sent_messages(mocked_chat_completions, index)] == [
            m["content"] for m in plain
        ]


async def test_bodiless_answers_in_every_mode_end_in_the_fallback_after_three_calls(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(200, json=chat_completion_body("{}"))
    provider = make_provider(llm_structured_output="auto")
    draft = await _pipeline(provider).draft(northwind_request)
    assert _formats(mocked_chat_completions) == ["json_schema", "json_object", "text"]
    assert (draft.meta.written_by, draft.meta.attempts) == ("composer", 4)
    assert draft.meta.fallback_reason == (
        "upstream_bad_output: structured output has no non-empty string 'body'"
    )


@pytest.mark.parametrize("mode", ["json_schema", "json_object"])
async def test_a_forced_mode_keeps_treating_a_bodiless_answer_as_bad_output(
    mode: str,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body(BODILESS[0])
    )
    provider = make_provider(llm_structured_output=mode)
    with pytest.raises(UpstreamBadOutput, match="no non-empty string 'body'") as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert not isinstance(caught.value, OutputModeUnusable)
    assert provider.output_mode == mode

    draft = await _pipeline(provider).draft(northwind_request)
    assert _formats(mocked_chat_completions) == [mode, mode]
    assert (draft.meta.written_by, draft.meta.attempts) == ("composer", 2)
    assert provider.output_mode == mode


@pytest.mark.parametrize(
    ("content", "steps_down"),
    [
        # SmolLM2 in json_object mode, cut off at max_tokens: invented keys, no letter.
        ('{\n  "type": "story",\n  "authority_id": 183,\n  "title": "Ackno', True),
        ('```json\n{"title": "Sender", "description": {"type": "sto', True),
        # A letter that ran long: its body began, so the mode works and only the cap was hit.
        ('{"subject": "Your jacket", "body": "Dear Dana,\\n\\nWe are so', False),
        ("Dear Dana,\n\nWe are so", False),
    ],
)
async def test_a_cut_off_answer_steps_down_only_when_its_json_never_began_a_body(
    content: str,
    steps_down: bool,
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    usage = {"prompt_tokens": 1416, "completion_tokens": 500}
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body(content, finish_reason="length", usage=usage)
    )
    provider = make_provider(llm_structured_output="auto")
    with pytest.raises(UpstreamBadOutput, match="truncated") as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert isinstance(caught.value, OutputModeUnusable) is steps_down
    if isinstance(caught.value, OutputModeUnusable):
        assert (caught.value.prompt_tokens, caught.value.completion_tokens) == (1416, 500)
    assert provider.output_mode == ("json_object" if steps_down else "json_schema")


async def test_a_forced_mode_keeps_a_cut_off_bodiless_answer_as_bad_output(
    make_provider: Callable[..., OpenAICompatibleProvider],
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    northwind_request: DraftRequest,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body('{"type": "story", "ti', finish_reason="length")
    )
    provider = make_provider(llm_structured_output="json_object")
    with pytest.raises(UpstreamBadOutput, match="truncated") as caught:
        await provider.complete(render_draft(northwind_request), northwind_request)
    assert not isinstance(caught.value, OutputModeUnusable)
    assert provider.output_mode == "json_object"
