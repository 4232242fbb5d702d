"""A real small model through the real pipeline: whatever it writes, no error-level defect
reaches the caller, and every answer is a passing letter or a typed error.

`make model-smoke` serves SmolLM2-135M-Instruct on loopback with llama-cpp-python and runs this
file with `AMENDS_SMOKE_MODEL` and `AMENDS_LLM_BASE_URL` set. SmolLM2 writes fluent nonsense:
invented refunds, wrong names, half letters, broken JSON. That makes it the hostile model the
guardrails, salvage, re-ask and fallback must hold against. Without a server the tests skip,
saying so; CI runs them through `make model-smoke`.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

import guardrails
from contract.models import Draft, DraftRequest
from eval.cases import load_cases
from eval.reports import delivered_letter
from service.app import create_app
from service.settings import Settings

SERVER = os.environ.get("AMENDS_LLM_BASE_URL") if os.environ.get("AMENDS_SMOKE_MODEL") else None

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(
        SERVER is None, reason="needs a local model server: `make model-smoke` starts one"
    ),
]

CASES = ["delayed_delivery", "custom_missed_appointment_sms", "custom_hotel_room_luxury"]
TYPED_ERRORS = {
    "upstream_bad_output",
    "upstream_timeout",
    "upstream_unavailable",
    "upstream_rejected",
    "draft_failed_guardrails",
}


def _requests() -> list[tuple[str, DraftRequest]]:
    return [(case.id, case.request) for case in load_cases(only=CASES)]


@pytest.fixture
async def client(request: pytest.FixtureRequest) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        _env_file=None,
        provider="openai",
        llm_base_url=SERVER,
        llm_model="local",
        llm_timeout_s=120,
        llm_max_tokens=500,
        retry_attempts=1,
        retry_deadline_s=170,
        repair_attempts=1,
        draft_deadline_s=180,
        on_failure=request.param,
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    # The lifespan closes the provider's HTTP client, so no socket to the model server
    # outlives the test.
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=transport, base_url="http://amends.test", timeout=300
        ) as test_client,
    ):
        yield test_client


def _no_error_findings(draft: dict[str, Any], request: DraftRequest) -> None:
    report = guardrails.check(
        draft["body"], subject=draft["subject"], channel=draft["channel"], context=request
    )
    errors = [f"{f.rule}: {f.excerpt!r}" for f in report.errors]
    assert errors == [], f"a delivered letter carries error-level defects: {errors}"


@pytest.mark.parametrize("client", ["fallback", "reject"], indirect=True)
async def test_every_answer_is_a_passing_letter_or_a_typed_error(
    client: httpx.AsyncClient,
) -> None:
    outcomes = []
    letters = []
    for case_id, request in _requests():
        response = await client.post("/v1/drafts", json=request.model_dump(mode="json"))
        if response.status_code == 200:
            draft = response.json()
            assert draft["guardrails"]["passed"] is True
            _no_error_findings(draft, request)
            meta = draft["meta"]
            assert meta["written_by"] in {"model", "composer"}
            assert meta["fallback"] is (meta["written_by"] == "composer")
            checked = sum(r["provider"] != "offline" for r in meta["attempt_log"])
            outcomes.append(
                f"{case_id}: {meta['written_by']}, {meta['attempts']} call(s), "
                f"{len(meta['salvage'])} salvage edit(s), model letters checked {checked}, "
                f"{meta['latency_ms'] / 1000:.0f} s"
                + (f", fallback: {meta['fallback_reason']}" if meta["fallback"] else "")
            )
            letters.append(delivered_letter(case_id, Draft.model_validate(draft)))
        else:
            assert response.status_code in {502, 503, 504}, response.text
            code = response.json()["error"]["code"]
            assert code in TYPED_ERRORS, response.text
            outcomes.append(f"{case_id}: {code}")
    # Every delivered letter is printed in full, so CI's output shows what SmolLM2's letters
    # became after salvage, and who wrote each.
    print("\n".join(outcomes))
    print("\n\n".join(letters))
