"""The MCP server through the SDK's own client: in process, over streamable HTTP at the app's
`/mcp`, and over stdio (`amends mcp` as a subprocess). The tools must answer exactly what the
HTTP API answers for the same input."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from fastapi import FastAPI
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from contract.models import CheckRequest, DraftRequest, RewriteRequest
from service.app import create_app
from service.mcp_server import CATALOG_URI, build_mcp_server
from service.pipeline import Pipeline, build_pipeline
from service.settings import Settings

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parent.parent
BAD_LETTER = (
    "Hi Dana,\nWe are sorry if you feel let down. The courier is to blame, and this will "
    "never happen again. Here is $50 off with code FREE50.\nBest,\nPriya"
)


def _offline() -> Settings:
    return Settings(_env_file=None, provider="offline")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """One offline pipeline for the module: loading the rule packs is the slow part."""
    return build_pipeline(_offline())


@pytest.fixture
async def app(pipeline: Pipeline) -> AsyncIterator[FastAPI]:
    application = create_app(_offline(), pipeline=pipeline)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
async def mcp_client(pipeline: Pipeline) -> AsyncIterator[Client]:
    async with Client(build_mcp_server(pipeline)) as client:
        yield client


def _comparable(answer: dict[str, Any]) -> dict[str, Any]:
    """A draft without what differs between two runs of the same request: timing and ids."""
    meta = {k: v for k, v in answer["meta"].items() if k not in {"latency_ms", "id", "request_id"}}
    return {**answer, "meta": meta}


def _structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    content: dict[str, Any] = result.structured_content
    return content


async def test_the_four_tools_take_the_api_models_as_input_schemas(mcp_client: Client) -> None:
    tools = {tool.name: tool for tool in (await mcp_client.list_tools()).tools}
    assert set(tools) == {"draft_apology", "rewrite_apology", "check_apology", "list_catalog"}
    for name, model in (
        ("draft_apology", DraftRequest),
        ("rewrite_apology", RewriteRequest),
        ("check_apology", CheckRequest),
    ):
        schema = tools[name].input_schema
        assert schema["required"] == ["request"]
        model_schema = schema["$defs"][model.__name__]
        assert model_schema["properties"].keys() == model.model_json_schema()["properties"].keys()
        assert model_schema["additionalProperties"] is False
    assert tools["list_catalog"].input_schema.get("properties") == {}


async def test_descriptions_teach_which_facts_to_supply_and_that_commitments_are_authorised(
    mcp_client: Client,
) -> None:
    tools = {tool.name: tool for tool in (await mcp_client.list_tools()).tools}
    draft = tools["draft_apology"].description or ""
    for fact in ("incident.summary", "remedies", "amount", "code", "date", "status", "prevention"):
        assert fact in draft, fact
    assert "authorised" in draft and "Do not make up" in draft
    assert "context" in (tools["rewrite_apology"].description or "")
    assert "context" in (tools["check_apology"].description or "")
    assert all(tool.annotations and tool.annotations.read_only_hint for tool in tools.values())


async def test_draft_tool_answers_what_the_http_api_answers(
    mcp_client: Client, http: httpx.AsyncClient, northwind_request: DraftRequest
) -> None:
    body = northwind_request.model_dump(mode="json")
    via_mcp = _structured(await mcp_client.call_tool("draft_apology", {"request": body}))
    via_http = (await http.post("/v1/drafts", json=body)).json()
    assert _comparable(via_mcp) == _comparable(via_http)
    assert "SORRY15" in via_mcp["body"] and via_mcp["guardrails"]["passed"] is True


async def test_rewrite_tool_answers_what_the_http_api_answers(
    mcp_client: Client, http: httpx.AsyncClient, northwind_request: DraftRequest
) -> None:
    context = northwind_request.model_dump(mode="json")
    letter = (await http.post("/v1/drafts", json=context)).json()
    rewrite = {
        "draft": {"subject": letter["subject"], "body": letter["body"]},
        "context": context,
        "channel": "sms",
        "operation": "shorten",
    }
    via_mcp = _structured(await mcp_client.call_tool("rewrite_apology", {"request": rewrite}))
    via_http = (await http.post("/v1/rewrites", json=rewrite)).json()
    assert _comparable(via_mcp) == _comparable(via_http)
    assert via_mcp["channel"] == "sms" and len(via_mcp["body"]) < len(letter["body"])


async def test_check_tool_answers_what_the_http_api_answers(
    mcp_client: Client, http: httpx.AsyncClient, northwind_request: DraftRequest
) -> None:
    check = {
        "body": BAD_LETTER,
        "channel": "chat",
        "context": northwind_request.model_dump(mode="json"),
    }
    via_mcp = _structured(await mcp_client.call_tool("check_apology", {"request": check}))
    via_http = (await http.post("/v1/checks", json=check)).json()
    assert via_mcp == via_http
    rules = {finding["rule"] for finding in via_mcp["findings"]}
    assert via_mcp["passed"] is False
    assert {"non_apology.conditional", "guarantee.absolute"} <= rules


async def test_catalog_tool_and_resource_answer_what_the_http_api_answers(
    mcp_client: Client, http: httpx.AsyncClient
) -> None:
    via_http = (await http.get("/v1/catalog")).json()
    assert _structured(await mcp_client.call_tool("list_catalog", {})) == via_http
    resources = (await mcp_client.list_resources()).resources
    assert [str(r.uri) for r in resources] == [CATALOG_URI]
    contents = (await mcp_client.read_resource(CATALOG_URI)).contents
    assert json.loads(getattr(contents[0], "text", "")) == via_http


async def test_bad_input_is_a_tool_error_naming_the_field(mcp_client: Client) -> None:
    result = await mcp_client.call_tool(
        "draft_apology", {"request": {"incident": {"reference": "X-1"}, "tone": "smug"}}
    )
    assert result.is_error
    text = " ".join(getattr(block, "text", "") for block in result.content)
    assert "request.incident.summary" in text and "request.tone" in text


async def test_the_app_serves_the_tools_over_streamable_http_at_mcp(
    app: FastAPI, http: httpx.AsyncClient, northwind_request: DraftRequest
) -> None:
    body = northwind_request.model_dump(mode="json")
    transport = httpx2.ASGITransport(app=app)
    async with (
        httpx2.AsyncClient(transport=transport) as http2,
        Client(streamable_http_client("http://127.0.0.1:8000/mcp", http_client=http2)) as client,
    ):
        tools = {tool.name for tool in (await client.list_tools()).tools}
        via_mcp = _structured(await client.call_tool("draft_apology", {"request": body}))
    assert "draft_apology" in tools
    via_http = (await http.post("/v1/drafts", json=body)).json()
    assert _comparable(via_mcp) == _comparable(via_http)
    # The app's MCP drafts enter the audit trail like the API's.
    stored = await http.get(f"/v1/drafts/{via_mcp['meta']['id']}")
    assert stored.status_code == 200 and stored.json()["body"] == via_mcp["body"]


async def test_the_mounted_transport_refuses_a_foreign_host_header(http: httpx.AsyncClient) -> None:
    # DNS-rebinding protection: a page on another site must not reach a loopback server.
    response = await http.post(
        "/mcp",
        json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={"host": "evil.example", "accept": "application/json, text/event-stream"},
    )
    assert response.status_code in (400, 421), response.text


@pytest.mark.parametrize("method", ["GET", "DELETE", "PUT"])
async def test_the_mcp_endpoint_answers_anything_but_post_405_at_once(
    http: httpx.AsyncClient, method: str
) -> None:
    # GET used to open an event stream the stateless transport never wrote to, left open for
    # as long as the client kept it; the guard keeps a hang from stalling the suite.
    with anyio.fail_after(30):
        response = await http.request(
            method, "/mcp", headers={"accept": "application/json, text/event-stream"}
        )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_amends_mcp_serves_the_tools_over_stdio(northwind_request: DraftRequest) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMENDS_")}
    env["AMENDS_PROVIDER"] = "offline"
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "service.cli", "mcp"], cwd=str(ROOT), env=env
    )
    body = northwind_request.model_dump(mode="json")
    async with Client(params) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        draft = _structured(await client.call_tool("draft_apology", {"request": body}))
    assert tools == {"draft_apology", "rewrite_apology", "check_apology", "list_catalog"}
    assert draft["meta"]["provider"] == "offline" and "NW-48213" in draft["body"]
