"""The HTTP edge: request IDs, JSON logs, media types, body deadlines, Retry-After and what
an upstream's error text may (not) reach a caller."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx

from contract.models import DraftRequest
from service.app import create_app
from service.http_errors import retry_after_header
from service.pipeline import build_pipeline
from service.providers.openai_compatible import OpenAICompatibleProvider
from service.settings import Settings

pytestmark = pytest.mark.anyio

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _client(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://amends.test")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with _client(create_app(Settings(_env_file=None, body_timeout_s=0.3))) as test_client:
        yield test_client


@pytest.fixture
def northwind(northwind_request: DraftRequest) -> dict[str, Any]:
    return northwind_request.model_dump(mode="json")


def _log_lines(err: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


# --- request IDs ---------------------------------------------------------------------------


async def test_a_request_id_is_generated_when_absent(client: httpx.AsyncClient) -> None:
    first = (await client.get("/healthz")).headers["X-Request-ID"]
    second = (await client.get("/healthz")).headers["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("ticket-4711", True),
        ("0f8fad5b-d9cb-469f-a165-70867728950e", True),
        ("zendesk:12345/7", True),
        ("x" * 129, False),
        ("<script>", False),
        ("two words", False),
    ],
)
async def test_a_callers_request_id_is_echoed_if_plain_else_replaced(
    client: httpx.AsyncClient, sent: str, kept: bool
) -> None:
    echoed = (await client.get("/healthz", headers={"X-Request-ID": sent})).headers["X-Request-ID"]
    assert (echoed == sent) is kept
    if not kept:
        assert HEX_ID.fullmatch(echoed)


@pytest.mark.parametrize(
    ("path", "kwargs", "status"),
    [
        ("/v1/drafts", {"json": {"incident": {}}}, 422),
        ("/v1/checks", {"content": b"hello", "headers": {"content-type": "text/plain"}}, 415),
        ("/v1/nothing", {}, 404),
    ],
)
async def test_error_answers_echo_the_request_id(
    client: httpx.AsyncClient, path: str, kwargs: dict[str, Any], status: int
) -> None:
    method = "GET" if path == "/v1/nothing" else "POST"
    headers = {**kwargs.pop("headers", {}), "X-Request-ID": "req-1"}
    response = await client.request(method, path, headers=headers, **kwargs)
    assert response.status_code == status
    assert response.headers["X-Request-ID"] == "req-1"


async def test_an_unexpected_error_names_the_request_id_as_its_reference() -> None:
    app = create_app(Settings(_env_file=None))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    async with _client(app) as client:
        response = await client.get("/boom", headers={"X-Request-ID": "req-boom"})
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-boom"
    assert "req-boom" in response.json()["error"]["message"]


# --- logs ----------------------------------------------------------------------------------


async def test_each_request_logs_one_json_line_with_the_draft_outcome_and_no_customer_text(
    client: httpx.AsyncClient, northwind: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = await client.post("/v1/drafts", json=northwind, headers={"X-Request-ID": "r-42"})
    assert response.status_code == 200
    err = capsys.readouterr().err
    lines = [line for line in _log_lines(err) if line["message"] == "request"]
    assert len(lines) == 1, err
    line = lines[0]
    assert line["request_id"] == "r-42"
    assert line["path"] == "/v1/drafts" and line["status"] == 200 and line["method"] == "POST"
    assert line["outcome"] == "passed" and line["provider"] == "offline"
    assert line["attempts"] == 1 and line["fallback"] is False and line["failed_rules"] == []
    assert line["prompt_tokens"] == 0 and isinstance(line["latency_ms"], float)
    for private in ("Dana", "Whitfield", "winter jacket", "NW-48213", "SORRY15", "care@"):
        assert private not in err


async def test_a_rejected_request_logs_its_error_code(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    await client.post("/v1/drafts", json={"incident": {"summary": ""}})
    (line,) = [x for x in _log_lines(capsys.readouterr().err) if x["message"] == "request"]
    assert line["status"] == 422 and line["error"] == "invalid_request"
    assert HEX_ID.fullmatch(line["request_id"])


# --- bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("application/merge-patch+json", 200),
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("multipart/form-data; boundary=x", 415),
        (None, 415),
    ],
)
async def test_only_json_bodies_are_accepted(
    client: httpx.AsyncClient, content_type: str | None, status: int
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    body = json.dumps({"body": "We are sorry the parcel was late."}).encode()
    response = await client.post("/v1/checks", content=body, headers=headers)
    assert response.status_code == status, response.text
    if status == 415:
        assert response.json()["error"]["code"] == "unsupported_media_type"


async def test_a_body_that_is_not_utf8_is_a_documented_400(client: httpx.AsyncClient) -> None:
    body = '{"body": "caf\u00e9"}'.encode("latin-1")
    response = await client.post(
        "/v1/checks", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "undecodable_body" and error["details"] == {"offset": 13}
    spec = (await client.get("/openapi.json")).json()
    for path in ("/v1/drafts", "/v1/rewrites", "/v1/checks"):
        assert {"400", "415"} <= set(spec["paths"][path]["post"]["responses"])


@pytest.mark.parametrize("path", ["/v1/checks", "/v1/drafts", "/v1/rewrites"])
async def test_a_body_that_is_not_json_is_named_as_such(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.post(
        path, content=b'{"body": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith("body: not valid JSON (")
    assert [d["field"] for d in error["details"]] == ["body"]


@pytest.mark.parametrize("path", ["/v1/checks", "/v1/drafts"])
async def test_json_nested_past_what_the_reader_can_follow_is_a_422_not_a_500(
    client: httpx.AsyncClient, path: str
) -> None:
    deep = b'{"body": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = await client.post(path, content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "nested too deeply" in error["message"]


async def test_a_body_that_trickles_in_is_cut_off_with_a_408(client: httpx.AsyncClient) -> None:
    async def slowly() -> AsyncIterator[bytes]:
        yield b'{"body": "'
        await asyncio.sleep(2)
        yield b'late"}'

    response = await client.post(
        "/v1/checks", content=slowly(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 408
    assert response.json()["error"]["code"] == "request_timeout"
    assert response.headers["connection"] == "close"


# --- upstream errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "sent"),
    [(7, "7"), (0.2, "1"), (7.4, "8"), (1e308, "120"), (float("inf"), "120"), (500, "120")],
)
def test_retry_after_is_whole_seconds_between_one_and_the_cap(asked: float, sent: str) -> None:
    assert retry_after_header(asked, 120) == {"Retry-After": sent}


def _model_client(settings: Settings, on_failure: str) -> httpx.AsyncClient:
    async def no_sleep(_: float) -> None:
        return None

    settings = settings.model_copy(update={"on_failure": on_failure})
    provider = OpenAICompatibleProvider(settings, sleep=no_sleep)
    return _client(create_app(settings, build_pipeline(settings, provider=provider)))


async def test_an_upstreams_huge_retry_after_reaches_the_caller_capped(
    settings: Settings, northwind: dict[str, Any], mocked_chat_completions: respx.Route
) -> None:
    mocked_chat_completions.return_value = httpx.Response(429, headers={"Retry-After": "1e308"})
    async with _model_client(settings, "reject") as client:
        response = await client.post("/v1/drafts", json=northwind)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "120"


LEAKY = {"error": {"message": "Incorrect API key provided: sk-proj-ab***************wxyz."}}


@pytest.mark.parametrize(
    ("answer", "status"),
    [(httpx.Response(401, json=LEAKY), 502), (httpx.Response(500, json=LEAKY), 503)],
)
async def test_upstream_error_text_never_reaches_the_caller(
    settings: Settings,
    northwind: dict[str, Any],
    mocked_chat_completions: respx.Route,
    capsys: pytest.CaptureFixture[str],
    answer: httpx.Response,
    status: int,
) -> None:
    mocked_chat_completions.return_value = answer
    async with _model_client(settings, "reject") as client:
        rejected = await client.post("/v1/drafts", json=northwind)
    async with _model_client(settings, "fallback") as client:
        replaced = await client.post("/v1/drafts", json=northwind)
    assert rejected.status_code == status
    assert "model server" in rejected.json()["error"]["message"]
    assert replaced.status_code == 200
    assert replaced.json()["meta"]["fallback_reason"].startswith("upstream_")
    for answer_text in (rejected.text, replaced.text):
        assert "sk-proj" not in answer_text and "Incorrect API key" not in answer_text
    assert "Incorrect API key" in capsys.readouterr().err, "the operator still sees it"


# --- what every operation documents -------------------------------------------------------


def test_every_operation_documents_what_the_layers_in_front_of_it_answer() -> None:
    """The access guard, the body gate and validation answer before a route runs; their
    statuses are documented on every operation, including one added after the app is built
    (as the next router will be), and every error answer has the API's error shape."""
    app = create_app(Settings(_env_file=None))

    @app.post("/v1/added-later")
    async def added_later(payload: dict[str, int]) -> dict[str, int]:
        return payload

    spec = app.openapi()
    operations = [
        (path, method, operation)
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 10
    for path, method, operation in operations:
        responses = operation["responses"]
        names = {p["name"].lower() for p in operation.get("parameters", [])}
        assert "x-request-id" in names, (method, path)
        assert "431" in responses, (method, path)
        if path not in {"/healthz", "/metrics"}:
            assert {"401", "403", "429", "503"} <= set(responses), (method, path)
        if method == "post":
            assert {"400", "408", "413", "415", "422"} <= set(responses), (method, path)
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (path, status)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    review = spec["paths"]["/v1/reviews/{draft_id}"]["post"]["responses"]
    assert "edit_failed_guardrails" in review["422"]["description"], "a route's own words win"


async def test_the_guardrails_are_compiled_before_the_first_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Compiling the scanners takes seconds: the app's start-up does it, not a caller."""
    from guardrails import RuleSet

    compiled: list[RuleSet] = []
    monkeypatch.setattr(RuleSet, "compile_all", lambda self: compiled.append(self))
    app = create_app(Settings(_env_file=None))
    assert compiled == []
    async with app.router.lifespan_context(app):
        assert compiled == [app.state.pipeline.rules]
