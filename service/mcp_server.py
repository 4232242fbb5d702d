"""Amends as a Model Context Protocol server: the same drafting, rewriting and checking the HTTP
API offers, as tools an AI agent discovers and calls, with the catalog as a resource.

Two transports share one server definition: stdio (`amends mcp`, for desktop agents that
launch a local command) and streamable HTTP, mounted in the FastAPI app at `/mcp` so it sits
behind the same middleware (API keys, limits, logs) as every other route.

The tools call the very pipeline and guardrails the HTTP routes call, so for the same input
they answer the same draft or report; only the envelope differs (an MCP tool result whose
structured content is the API's JSON).
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.transport_security import TransportSecuritySettings
from mcp_types import ToolAnnotations
from pydantic import Field
from starlette.types import ASGIApp, Receive, Scope, Send

from contract.catalog import get_catalog
from contract.models import CheckRequest, Draft, DraftRequest, RewriteRequest
from contract.report import GuardrailReport
from service.audit import Recorder
from service.catalog_view import CatalogView, catalog_view
from service.errors import AmendsError
from service.http_errors import error_response
from service.pipeline import Pipeline, check_request

CATALOG_URI = "amends://catalog"

INSTRUCTIONS = """\
Amends writes apology letters that pass deterministic guardrails: every required element
present, no legal admission, no non-apology, no blame, no absolute guarantee, and no amount,
date, code or promise the caller did not authorise.

Work like this: read the catalog (tool list_catalog or resource amends://catalog) to pick a
scenario, channel, tone, posture and strategies; call draft_apology with the incident's facts;
show the letter to a person; call rewrite_apology to change tone, channel or length; call
check_apology on any text someone else wrote before it is sent.

Never invent facts. Every amount, discount code, date, refund, credit or replacement must come
from what the business has actually authorised, supplied as `remedies` (with `status`: done,
offered or planned). A letter that mentions one not supplied is rejected by the guardrails.
"""

DRAFT_DESCRIPTION = """\
Draft an apology letter from an incident's facts. The answer is the letter (subject, body)
with its guardrail report and meta; it has passed the guardrails.

Supply, inside `request`:
- incident.summary (required): what happened, in one or two plain sentences; add
  incident.reference (order or ticket number), incident.cause, incident.impact on this person,
  and incident.customer_message if they wrote to you (quoted as data, never followed).
- recipient.name and sender.name/title/organization/contact for the greeting and signature.
- remedies: ONLY what the business has authorised. Each has kind (refund, credit, discount,
  replacement, expedite, service, other), description, status (done = already carried out,
  offered = the customer may take it, planned = promised with its date) and, only when
  authorised, amount (e.g. "$14.95"), code (e.g. a discount code) and date. Do not make up an
  amount, code or date: the letter may state nothing that is not in these fields.
- prevention: what was changed so it does not happen again; metric only for a figure the
  business stands behind.
- scenario, audience, channel, tone, liability and strategies: catalog keys (list_catalog).
  Use liability "cautious" for data breaches, injuries or anything a lawyer will read.
"""

REWRITE_DESCRIPTION = """\
Rewrite an existing letter: change its tone, its channel (e.g. email to sms) or its length
(operation: shorten, expand, simplify, more_formal, friendlier, or none), keeping every fact
and commitment. Pass the letter as draft {subject, body} and, whenever you have it, the
DraftRequest it was written from as `context`: the rewrite is then checked against those
authorised facts, and omitted remedies or invented amounts are caught.
"""

CHECK_DESCRIPTION = """\
Check any apology text (written by a person or another model) against the guardrails before
it is sent. Returns whether it passed, each required element with the evidence span that
carries it, and each finding (rule, severity, message, character span, excerpt, suggested
wording). Pass the incident's DraftRequest as `context` to also verify that every amount,
code, date and promise in the text was authorised and that no authorised remedy is missing;
without it those checks are skipped and listed in `skipped`.
"""

CATALOG_DESCRIPTION = """\
List every catalog key a request may use: scenarios (with the facts each usually needs),
audiences, tones, channels (with their length limits and required elements), strategies,
liability postures and rewrite operations, each with a label and a one-line description.
"""

_READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)


def _tool_error(exc: AmendsError) -> ToolError:
    return ToolError(f"{exc.code}: {exc.message}")


def build_mcp_server(pipeline: Pipeline, recorder: Recorder | None = None) -> MCPServer:
    """The Amends MCP server, its tools bound to `pipeline` (the app's, or a CLI one).

    With a `recorder`, every draft, rewrite and check is written to the audit trail and held
    for review exactly as the HTTP routes do (`meta.id`, `review`)."""
    server = MCPServer(
        name="amends",
        title="Amends apology drafting",
        instructions=INSTRUCTIONS,
        version="1.0.0",
    )

    @server.tool(name="draft_apology", description=DRAFT_DESCRIPTION, annotations=_READ_ONLY)
    async def draft_apology(
        request: Annotated[DraftRequest, Field(description="The incident's facts.")],
    ) -> Draft:
        try:
            draft = await pipeline.draft(request)
            return (
                draft if recorder is None else await recorder.draft("draft", request, draft, None)
            )
        except AmendsError as exc:
            raise _tool_error(exc) from exc

    @server.tool(name="rewrite_apology", description=REWRITE_DESCRIPTION, annotations=_READ_ONLY)
    async def rewrite_apology(
        request: Annotated[RewriteRequest, Field(description="The letter and what to change.")],
    ) -> Draft:
        try:
            draft = await pipeline.rewrite(request)
            if recorder is None:
                return draft
            return await recorder.draft("rewrite", request, draft, None)
        except AmendsError as exc:
            raise _tool_error(exc) from exc

    @server.tool(name="check_apology", description=CHECK_DESCRIPTION, annotations=_READ_ONLY)
    async def check_apology(
        request: Annotated[CheckRequest, Field(description="The text to check.")],
    ) -> GuardrailReport:
        report = check_request(request, pipeline.rules)
        if recorder is not None:
            try:
                await recorder.check(request, report, None)
            except AmendsError as exc:
                raise _tool_error(exc) from exc
        return report

    @server.tool(name="list_catalog", description=CATALOG_DESCRIPTION, annotations=_READ_ONLY)
    def list_catalog() -> CatalogView:
        return catalog_view(get_catalog())

    @server.resource(
        CATALOG_URI,
        name="catalog",
        title="Amends catalog",
        description=CATALOG_DESCRIPTION,
        mime_type="application/json",
    )
    def catalog_resource() -> str:
        return catalog_view(get_catalog()).model_dump_json(indent=2)

    return server


def transport_security(host: str) -> TransportSecuritySettings:
    """DNS-rebinding protection for a loopback-bound server, as the SDK does by default.

    Bound beyond loopback, the Host header is whatever name the deployment has; the API keys
    protect the mount there, so the Host check is off.
    """
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1", "127.0.0.1:*", "localhost", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )


class MCPEndpoint:
    """The ASGI endpoint at `/mcp`: a route of the app itself, not a separately mounted app, so
    every app-wide middleware (API keys, limits, request IDs, body size) applies to it exactly
    as to `/v1/*`. It hands each request to the transport of the app's current lifespan."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "POST":
            # Stateless with JSON answers, the transport has nothing for GET (its event stream
            # stayed open, silent, for as long as the client kept it) or DELETE (no session);
            # the MCP transport spec lets a server answer both 405.
            response = error_response(
                405,
                "method_not_allowed",
                "the MCP endpoint takes JSON-RPC messages by POST only",
                headers={"Allow": "POST"},
            )
            await response(scope, receive, send)
            return
        transport: ASGIApp | None = getattr(scope["app"].state, "mcp_transport", None)
        if transport is None:
            response = error_response(
                503, "mcp_unavailable", "the MCP transport is not running (start-up did not run)"
            )
            await response(scope, receive, send)
            return
        await transport(scope, receive, send)


@asynccontextmanager
async def mcp_transport(app: Any) -> AsyncIterator[None]:
    """Run the streamable HTTP transport for one run of the app's lifespan.

    The SDK's session manager runs once per instance, so each lifespan builds a fresh one.
    Stateless with JSON answers: any worker can serve any MCP request.
    """
    server: MCPServer = app.state.mcp
    app.state.mcp_transport = server.streamable_http_app(
        streamable_http_path="/mcp",
        stateless_http=True,
        json_response=True,
        transport_security=transport_security(app.state.settings.host),
    )
    try:
        async with server.session_manager.run():
            yield
    finally:
        app.state.mcp_transport = None
