"""Answers that are not a well-formed chat completion, or a draft too long to be a letter:
each is a typed `upstream_bad_output` (the composer's letter where fallback is on), never a 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from contract.models import DraftRequest
from service.app import create_app
from service.logs import RequestIdFilter
from service.pipeline import build_pipeline
from service.providers.openai_compatible import OpenAICompatibleProvider
from service.settings import Settings

pytestmark = pytest.mark.anyio

Body = Callable[..., dict[str, Any]]

GOOD = json.dumps({"subject": "Your late jacket", "body": "Dear Dana,\n\nWe are sorry."})


def _completion(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"content": GOOD}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 20},
    }
    body.update(changes)
    return body


MALFORMED: dict[str, tuple[httpx.Response, str]] = {
    "invalid_json": (
        httpx.Response(200, text='{"choices": [', headers={"content-type": "application/json"}),
        "not JSON",
    ),
    "html_with_200": (
        httpx.Response(
            200, text="<html><body>Bad gateway</body></html>", headers={"content-type": "text/html"}
        ),
        "not JSON",
    ),
    "json_string": (httpx.Response(200, json="all good"), "JSON str"),
    "choices_not_a_list": (
        httpx.Response(200, json=_completion(choices={"0": {"message": {"content": GOOD}}})),
        "list of 'choices'",
    ),
    "choice_without_message": (
        httpx.Response(200, json=_completion(choices=[{"index": 0, "finish_reason": "stop"}])),
        "no 'message'",
    ),
    "choice_not_an_object": (httpx.Response(200, json=_completion(choices=["hi"])), "no 'message'"),
    "content_as_parts": (
        httpx.Response(
            200,
            json=_completion(choices=[{"message": {"content": [{"type": "text", "text": GOOD}]}}]),
        ),
        "list of parts",
    ),
    "usage_not_integer": (
        httpx.Response(200, json=_completion(usage={"prompt_tokens": "ten"})),
        "usage.prompt_tokens",
    ),
    "usage_float": (
        httpx.Response(200, json=_completion(usage={"completion_tokens": 1.5})),
        "usage.completion_tokens",
    ),
    "usage_not_object": (httpx.Response(200, json=_completion(usage=[1, 2])), "'usage'"),
    "subject_too_long": (
        httpx.Response(
            200,
            json=_completion(
                choices=[
                    {"message": {"content": json.dumps({"subject": "S" * 100_000, "body": "B"})}}
                ]
            ),
        ),
        "over the limit",
    ),
    "body_too_long": (
        httpx.Response(
            200,
            json=_completion(
                choices=[
                    {"message": {"content": json.dumps({"subject": "S", "body": "12% " * 5000})}}
                ]
            ),
        ),
        "over the limit",
    ),
}


@pytest.fixture
def on_failure() -> str:
    return "fallback"


@pytest.fixture
async def client(settings: Settings, on_failure: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        **{**settings.model_dump(), "llm_api_key": "test-key-0123", "on_failure": on_failure}
    )
    provider = OpenAICompatibleProvider(settings)
    app = create_app(settings, build_pipeline(settings, provider=provider))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as test_client:
        yield test_client


@pytest.mark.parametrize("on_failure", ["reject"])
@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_with_fallback_off_a_malformed_answer_is_a_typed_bad_output(
    case: str,
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
) -> None:
    answer, reason = MALFORMED[case]
    mocked_chat_completions.return_value = answer
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 502, response.text
    error = response.json()["error"]
    assert error["code"] == "upstream_bad_output"
    assert reason in error["message"]
    assert mocked_chat_completions.call_count == 1, "bad output is not a transient fault"


@pytest.mark.parametrize("case", sorted(MALFORMED))
async def test_with_fallback_on_a_malformed_answer_yields_the_composers_letter(
    case: str,
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
) -> None:
    mocked_chat_completions.return_value = MALFORMED[case][0]
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    draft = response.json()
    assert draft["guardrails"]["passed"]
    assert draft["meta"]["fallback"] is True
    assert draft["meta"]["fallback_reason"].startswith("upstream_bad_output")


# Text of the model server's own that could echo a key or an account: never shown to a caller.
UPSTREAM_TEXT = "sk-proxy-4Q7Z account acme-prod"

QUOTING: dict[str, tuple[httpx.Response, str]] = {
    "page_not_json": (
        httpx.Response(
            200,
            text=f"<html>{UPSTREAM_TEXT}: proxy error</html>",
            headers={"content-type": "text/html"},
        ),
        "the model server's answer is not JSON",
    ),
    "usage_as_text": (
        httpx.Response(200, json=_completion(usage={"prompt_tokens": UPSTREAM_TEXT})),
        "the model server's usage.prompt_tokens is not a count",
    ),
    "refusal": (
        httpx.Response(
            200,
            json=_completion(
                choices=[{"finish_reason": "stop", "message": {"refusal": UPSTREAM_TEXT}}]
            ),
        ),
        "the model refused to write the draft",
    ),
}


@pytest.mark.parametrize("on_failure", ["reject", "fallback"])
@pytest.mark.parametrize("case", sorted(QUOTING))
async def test_the_model_servers_own_text_goes_to_the_log_only(
    case: str,
    on_failure: str,
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    caplog: pytest.LogCaptureFixture,
) -> None:
    answer, message = QUOTING[case]
    mocked_chat_completions.return_value = answer
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING):
        response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert UPSTREAM_TEXT not in response.text
    if on_failure == "reject":
        assert response.status_code == 502, response.text
        assert response.json()["error"]["message"] == message
    else:
        assert response.status_code == 200, response.text
        assert response.json()["meta"]["fallback_reason"] == f"upstream_bad_output: {message}"
    quoted = [r for r in caplog.records if UPSTREAM_TEXT in r.getMessage()]
    assert quoted, "the server's text is kept in the log"
    assert {getattr(r, "request_id", None) for r in quoted} == {response.headers["x-request-id"]}


# --- a real fake upstream over loopback: what the caller gets never holds the server's text --

CANARY = "canary-7f3q upstream-secret"


def _shapes() -> dict[str, tuple[int, str, str]]:
    """Each malformed shape as (status, content type, raw body), every one carrying CANARY."""
    as_json = "application/json"

    def completion(**changes: Any) -> str:
        return json.dumps(_completion(**changes))

    return {
        "invalid_json": (200, as_json, '{"choices": [{"message": {"content": "' + CANARY),
        "html_with_200": (200, "text/html", f"<html><body>{CANARY}: proxy error</body></html>"),
        "json_string": (200, as_json, json.dumps(CANARY)),
        "choices_not_a_list": (200, as_json, completion(choices=CANARY)),
        "choice_without_message": (
            200,
            as_json,
            completion(choices=[{"index": 0, "text": CANARY, "finish_reason": "stop"}]),
        ),
        "content_as_parts": (
            200,
            as_json,
            completion(choices=[{"message": {"content": [{"type": "text", "text": CANARY}]}}]),
        ),
        "usage_not_integer": (
            200,
            as_json,
            completion(usage={"prompt_tokens": CANARY, "completion_tokens": 3}),
        ),
    }


@pytest.fixture(scope="module")
def fake_upstream() -> Iterator[tuple[str, dict[str, str]]]:
    """A real HTTP server on a loopback port (in `AMENDS_TEST_PORTS` when set) answering every
    chat completion with the shape named in the returned dict's "shape"."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    from tests.live_server import free_port

    current: dict[str, str] = {"shape": "invalid_json"}
    shapes = _shapes()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            status, kind, raw = shapes[current["shape"]]
            payload = raw.encode("utf-8")
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", current
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("on_failure", ["reject", "fallback"])
async def test_a_real_upstream_answering_a_malformed_shape_is_never_quoted_to_the_caller(
    on_failure: str,
    settings: Settings,
    northwind_request: DraftRequest,
    fake_upstream: tuple[str, dict[str, str]],
) -> None:
    base_url, current = fake_upstream
    settings = Settings(
        **{**settings.model_dump(), "llm_base_url": base_url, "on_failure": on_failure}
    )
    provider = OpenAICompatibleProvider(settings)
    app = create_app(settings, build_pipeline(settings, provider=provider))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    answers: dict[str, httpx.Response] = {}
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as client:
        for shape in sorted(_shapes()):
            current["shape"] = shape
            answers[shape] = await client.post(
                "/v1/drafts", json=northwind_request.model_dump(mode="json")
            )
    await provider.aclose()
    for shape, response in answers.items():
        seen = response.text + " ".join(response.headers.values())
        assert "canary" not in seen.lower(), f"{shape}: the server's own text reached the caller"
        if on_failure == "reject":
            assert response.status_code == 502, (shape, response.text)
            error = response.json()["error"]
            assert error["code"] == "upstream_bad_output", shape
            assert error["message"].startswith("the model"), (shape, error["message"])
        else:
            assert response.status_code == 200, (shape, response.text)
            meta = response.json()["meta"]
            assert meta["written_by"] == "composer", shape
            assert meta["fallback_reason"].startswith("upstream_bad_output: the model"), shape
