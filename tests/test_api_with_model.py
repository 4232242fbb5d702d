"""The API in front of a respx-mocked OpenAI-compatible model: re-asks, fallback, and the typed
errors a caller sees when fallback is off."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx

from contract.models import DraftRequest
from service.app import create_app
from service.composer import compose_draft, fact_sentence
from service.pipeline import build_pipeline
from service.providers.openai_compatible import OpenAICompatibleProvider
from service.settings import Settings

pytestmark = pytest.mark.anyio

Body = Callable[..., dict[str, Any]]


@pytest.fixture
def on_failure() -> str:
    return "fallback"


@pytest.fixture
def waits() -> list[float]:
    """Every backoff the provider asked for; nothing sleeps for real."""
    return []


@pytest.fixture
async def client(
    settings: Settings, on_failure: str, waits: list[float]
) -> AsyncIterator[httpx.AsyncClient]:
    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    settings = settings.model_copy(update={"on_failure": on_failure, "repair_attempts": 2})
    provider = OpenAICompatibleProvider(settings, sleep=fake_sleep)
    app = create_app(settings, build_pipeline(settings, provider=provider))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://amends.test") as test_client:
        yield test_client


# Every sentence that apologises: no mechanical fix can supply an apology, so only a re-ask can.
BLAME = "\n\nThe courier is to blame for the delay."


def _unapologetic(request: DraftRequest, body: Body) -> httpx.Response:
    """A letter with a defect salvage has no safe edit for: it blames the courier."""
    composed = compose_draft(request)
    content = json.dumps({"subject": composed.subject, "body": composed.body + BLAME})
    usage = {"prompt_tokens": 700, "completion_tokens": 250}
    return httpx.Response(200, json=body(content, usage=usage))


def _content(body: Body, subject: str | None, text: str) -> httpx.Response:
    content = json.dumps({"subject": subject, "body": text})
    usage = {"prompt_tokens": 700, "completion_tokens": 250}
    return httpx.Response(200, json=body(content, usage=usage))


def _answer(request: DraftRequest, body: Body, extra: str = "") -> httpx.Response:
    composed = compose_draft(request)
    return _content(body, composed.subject, composed.body + extra)


@pytest.mark.parametrize(
    ("extra", "unsupported"),
    [
        (" We will refund the full $189.00 too.", "$189.00"),
        # Junk a small model wrote: a title-like line with a month and year from nowhere.
        (" Northwind Outfitters, Oslo, March 2016: The Jacket That Waited.", "2016"),
    ],
)
async def test_an_unsupported_figure_from_the_model_is_salvaged_without_a_re_ask(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    extra: str,
    unsupported: str,
) -> None:
    mocked_chat_completions.return_value = _answer(northwind_request, chat_completion_body, extra)
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    draft = response.json()
    assert mocked_chat_completions.call_count == 1, "salvage fixed it: no re-ask"
    assert unsupported not in draft["body"] and draft["guardrails"]["passed"]
    meta = draft["meta"]
    assert (meta["provider"], meta["attempts"], meta["fallback"], meta["written_by"]) == (
        "openai",
        1,
        False,
        "model",
    )
    assert meta["usage"] == {"prompt_tokens": 700, "completion_tokens": 250}
    assert [(e["action"], e["before"]) for e in meta["salvage"]] == [
        ("remove_sentence", extra.strip())
    ]


async def test_what_salvage_cannot_fix_is_re_asked_with_the_finding_quoted(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
) -> None:
    mocked_chat_completions.side_effect = [
        _unapologetic(northwind_request, chat_completion_body),
        _answer(northwind_request, chat_completion_body),
    ]
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    meta = response.json()["meta"]
    assert mocked_chat_completions.call_count == 2
    assert (meta["attempts"], meta["fallback"], meta["written_by"]) == (2, False, "model")
    assert meta["usage"] == {"prompt_tokens": 1400, "completion_tokens": 500}
    repair = json.loads(mocked_chat_completions.calls[1].request.content)["messages"][-1]
    assert "Blaming a courier" in repair["content"]
    assert 'Quoted: "The courier is to blame"' in repair["content"]


async def test_an_unreachable_model_falls_back_to_the_composer(
    client: httpx.AsyncClient, northwind_request: DraftRequest, mocked_chat_completions: respx.Route
) -> None:
    mocked_chat_completions.return_value = httpx.Response(503, json={"error": {"message": "busy"}})
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    meta = response.json()["meta"]
    assert meta["fallback"] is True and meta["provider"] == "offline"
    assert "upstream_unavailable" in meta["fallback_reason"]
    assert mocked_chat_completions.call_count == 4, "AMENDS_RETRY_ATTEMPTS transport attempts"


@pytest.mark.parametrize("on_failure", ["reject"])
@pytest.mark.parametrize(
    ("answer", "status", "code", "calls"),
    [
        (httpx.Response(503, headers={"Retry-After": "7"}), 503, "upstream_unavailable", 4),
        (httpx.Response(401, json={"error": {"message": "bad key"}}), 502, "upstream_rejected", 1),
        ("not json at all", 502, "upstream_bad_output", 1),
        ("", 502, "upstream_bad_output", 1),
    ],
)
async def test_with_fallback_off_the_caller_gets_a_typed_error(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    answer: httpx.Response | str,
    status: int,
    code: str,
    calls: int,
    waits: list[float],
) -> None:
    if isinstance(answer, str):
        answer = httpx.Response(200, json=chat_completion_body(answer))
    mocked_chat_completions.return_value = answer
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert mocked_chat_completions.call_count == calls
    if status == 503:
        assert response.headers["Retry-After"] == "7"
        assert waits == [7, 7, 7], "each retry waited as long as the server asked"


@pytest.mark.parametrize("on_failure", ["reject"])
async def test_a_draft_that_never_passes_is_refused_with_its_findings(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
) -> None:
    mocked_chat_completions.return_value = _unapologetic(northwind_request, chat_completion_body)
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "draft_failed_guardrails"
    assert any(f["rule"] == "blame.third_party" for f in error["details"]["findings"])
    assert mocked_chat_completions.call_count == 3


async def test_a_text_message_written_like_an_email_is_trimmed_without_a_re_ask(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
) -> None:
    long_sms = (
        "Dear Dana Whitfield,\n\n"
        "I hope you are keeping well. I am writing to say how sorry I am that the winter jacket "
        "you ordered on 2 March arrived nine days late. Your order number is NW-48213.\n\n"
        "First, the refund of the express shipping fee has already gone back to your card, for "
        "the full amount of $14.95, as our way of saying sorry. Second, we would love to give "
        "you 15% off your next order when you enter the code SORRY15 at the checkout.\n\n"
        "Thank you so much for your patience.\n\nWarm regards,\nThe Northwind Team"
    )
    mocked_chat_completions.return_value = _content(chat_completion_body, None, long_sms)
    request = northwind_request.model_dump(mode="json") | {"channel": "sms"}
    response = await client.post("/v1/drafts", json=request)
    assert response.status_code == 200, response.text
    draft = response.json()
    assert mocked_chat_completions.call_count == 1, "salvage trimmed it: no re-ask"
    assert draft["guardrails"]["passed"] and len(draft["body"]) <= 320
    assert (draft["meta"]["written_by"], draft["meta"]["fallback"]) == ("model", False)
    for value in ("NW-48213", "$14.95", "SORRY15"):
        assert value in draft["body"]
    actions = {(e["rule"], e["action"]) for e in draft["meta"]["salvage"]}
    # The stock wish goes by its own rule; the rest is trimmed for the channel.
    assert actions == {
        ("tone.stock_phrase", "remove_sentence"),
        ("channel.max_chars", "remove_sentence"),
        ("channel.max_chars", "replace"),
    }
    wish = [e for e in draft["meta"]["salvage"] if e["rule"] == "tone.stock_phrase"]
    assert [(e["before"], e["after"]) for e in wish] == [("I hope you are keeping well.", "")]


async def test_a_public_reply_without_an_invitation_gets_one_to_a_direct_message(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
) -> None:
    social = northwind_request.model_copy(update={"channel": "social"})
    composed = compose_draft(social).body
    # The composer's reply without its invitation (whatever its wording: "Please send us a
    # direct message …", "Message us and we'll help.").
    sentences = re.split(r"(?<=[.!?])\s+", composed)
    uninviting = " ".join(s for s in sentences if not re.search(r"\bmessage\b|\bDM\b", s, re.I))
    assert "message" not in uninviting.lower() and len(uninviting) < len(composed)
    mocked_chat_completions.return_value = _content(chat_completion_body, None, uninviting)
    response = await client.post("/v1/drafts", json=social.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    draft = response.json()
    assert mocked_chat_completions.call_count == 1 and draft["meta"]["written_by"] == "model"
    edit, *trims = draft["meta"]["salvage"]
    assert edit["action"] == "insert" and "direct message" in edit["after"].lower()
    # A reply the invitation takes past the channel's length loses an optional sentence.
    assert all(t["rule"] == "channel.max_chars" for t in trims)
    assert draft["body"].endswith(edit["after"]) and draft["guardrails"]["passed"]
    assert draft["body"].startswith(uninviting.split(". ")[0])


async def test_a_step_the_model_blurred_is_put_back_from_the_request(
    client: httpx.AsyncClient,
    northwind_request: DraftRequest,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
) -> None:
    composed = compose_draft(northwind_request)
    step = fact_sentence(northwind_request, "prevention:0", "email")
    assert step in composed.body
    # Most of the step's words, without the change it authorises (a *second* scan).
    blurred = composed.body.replace(step, "We have reviewed the barcode scan at the sorting step.")
    mocked_chat_completions.return_value = _content(chat_completion_body, composed.subject, blurred)
    response = await client.post("/v1/drafts", json=northwind_request.model_dump(mode="json"))
    assert response.status_code == 200, response.text
    draft = response.json()
    assert mocked_chat_completions.call_count == 1 and draft["guardrails"]["passed"]
    # The blurred sentence says the step's words with a change nobody authorised ("reviewed"):
    # the step, as the request gives it, takes its place.
    assert [(e["action"], e["before"], e["after"]) for e in draft["meta"]["salvage"]] == [
        ("replace", "We have reviewed the barcode scan at the sorting step.", step)
    ]
    assert "We have reviewed" not in draft["body"] and draft["body"].count(step) == 1
    assert "request.omitted_prevention" in draft["meta"]["attempt_log"][0]["failed_rules"]
