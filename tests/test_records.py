"""The audit trail, the review queue and /metrics through the HTTP API, on both store backends."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import respx
import sqlalchemy as sa

from contract.models import Draft, DraftMeta, DraftRequest, ReviewDecision
from contract.report import Finding, GuardrailReport
from service.app import create_app
from service.audit import review_reasons
from service.composer import compose_draft
from service.pipeline import build_pipeline
from service.providers.openai_compatible import OpenAICompatibleProvider
from service.settings import Settings
from service.store import Store
from tests.conftest import NORTHWIND_REQUEST

pytestmark = pytest.mark.anyio

ALERTS = Path(__file__).parent.parent / "ops" / "prometheus" / "alerts.yml"


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://amends.test")


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(_env_file=None, provider="offline"), store=store)
    async with _client(app) as test_client:
        yield test_client


def _metric(text: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text; 0 when absent."""
    for line in text.splitlines():
        if not line.startswith(name + ("{" if labels else " ")):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


# -- audit trail ---------------------------------------------------------------------------


async def test_a_draft_is_stored_and_read_back_by_its_id(
    client: httpx.AsyncClient, store: Store
) -> None:
    answer = await client.post(
        "/v1/drafts", json=NORTHWIND_REQUEST, headers={"X-Request-ID": "req-north-1"}
    )
    assert answer.status_code == 200, answer.text
    draft = answer.json()
    draft_id = draft["meta"]["id"]
    assert re.fullmatch(r"[0-9a-f]{32}", draft_id)
    assert draft["review"] == {"required": False, "reasons": [], "status": None, "note": None}

    stored = await client.get(f"/v1/drafts/{draft_id}")
    assert stored.status_code == 200
    assert stored.json() == draft

    found = store.get_record(draft_id)
    assert found is not None
    record, review = found
    assert review is None
    assert (record.kind, record.request_id, record.passed) == ("draft", "req-north-1", True)
    validated = DraftRequest.model_validate(NORTHWIND_REQUEST).model_dump_json()
    assert record.fingerprint == hashlib.sha256(validated.encode()).hexdigest()
    assert isinstance(record.request, dict)
    assert record.request["incident"]["summary"] == NORTHWIND_REQUEST["incident"]["summary"]
    assert record.body == draft["body"] and record.report == draft["guardrails"]


async def test_the_customer_message_is_kept_only_when_configured(store: Store) -> None:
    request = json.loads(json.dumps(NORTHWIND_REQUEST))
    request["incident"]["customer_message"] = "It came after my trip. Really disappointed."
    kept = {}
    for keep in (False, True):
        settings = Settings(_env_file=None, provider="offline", store_customer_message=keep)
        async with _client(create_app(settings, store=store)) as client:
            draft = (await client.post("/v1/drafts", json=request)).json()
        found = store.get_record(draft["meta"]["id"])
        assert found is not None
        stored = found[0].request
        assert isinstance(stored, dict)
        kept[keep] = stored["incident"].get("customer_message")
    assert kept == {False: None, True: "It came after my trip. Really disappointed."}


async def test_a_checks_context_keeps_the_customer_message_only_when_configured(
    store: Store,
) -> None:
    context = json.loads(json.dumps(NORTHWIND_REQUEST))
    context["incident"]["customer_message"] = "It came after my trip."
    without = json.loads(json.dumps(NORTHWIND_REQUEST))
    without["incident"].pop("customer_message", None)
    stored = {}
    for keep in (False, True):
        settings = Settings(_env_file=None, provider="offline", store_customer_message=keep)
        async with _client(create_app(settings, store=store)) as client:
            for name, facts in (("with", context), ("without", without)):
                answer = await client.post(
                    "/v1/checks", json={"body": "We are sorry.", "context": facts}
                )
                found = store.get_record(answer.headers["X-Record-ID"])
                assert found is not None and isinstance(found[0].request, dict)
                incident = found[0].request["context"]["incident"]
                stored[keep, name] = incident.get("customer_message")
                assert incident["summary"] == NORTHWIND_REQUEST["incident"]["summary"]
    assert stored == {
        (False, "with"): None,
        (False, "without"): None,
        (True, "with"): "It came after my trip.",
        (True, "without"): None,
    }


async def test_a_check_is_recorded_but_is_not_a_draft(
    client: httpx.AsyncClient, store: Store
) -> None:
    answer = await client.post("/v1/checks", json={"body": "We are sorry if you felt upset."})
    assert answer.status_code == 200
    record_id = answer.headers["X-Record-ID"]
    found = store.get_record(record_id)
    assert found is not None
    assert (found[0].kind, found[0].passed) == ("check", False)
    assert found[0].report == answer.json()
    missing = await client.get(f"/v1/drafts/{record_id}")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "draft_not_found"


async def test_an_unknown_id_is_a_404_in_the_error_shape(client: httpx.AsyncClient) -> None:
    answer = await client.get("/v1/drafts/0123456789abcdef0123456789abcdef")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "draft_not_found"


async def test_a_draft_whose_record_cannot_be_written_is_refused(tmp_path: Path) -> None:
    store = Store.open(f"sqlite+pysqlite:///{tmp_path / 'broken.db'}")
    with store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE reviews"))
        connection.execute(sa.text("DROP TABLE audit_records"))
    async with _client(create_app(Settings(_env_file=None), store=store)) as client:
        answer = await client.post("/v1/drafts", json=NORTHWIND_REQUEST)
        assert answer.status_code == 503
        error = answer.json()["error"]
        assert error["code"] == "store_unavailable"
        assert "not returned" in error["message"]
        assert "body" not in answer.json()
        assert answer.headers["Retry-After"] == "5"
        metrics = (await client.get("/metrics")).text
    assert _metric(metrics, "amends_audit_write_failures_total") == 1
    store.close()


# -- review queue --------------------------------------------------------------------------


def _cautious() -> dict[str, Any]:
    return {**NORTHWIND_REQUEST, "liability": "cautious"}


async def test_a_cautious_letter_is_held_and_approved_once(
    client: httpx.AsyncClient,
) -> None:
    plain = (await client.post("/v1/drafts", json=NORTHWIND_REQUEST)).json()
    held = (await client.post("/v1/drafts", json=_cautious())).json()
    assert held["review"] == {
        "required": True,
        "reasons": ["cautious_posture"],
        "status": "pending",
        "note": None,
    }
    queue = (await client.get("/v1/reviews")).json()
    assert queue["total"] == 1
    assert [item["id"] for item in queue["pending"]] == [held["meta"]["id"]]
    assert queue["pending"][0]["draft"]["body"] == held["body"]

    decided = await client.post(
        f"/v1/reviews/{held['meta']['id']}", json={"decision": "approve", "note": "reads well"}
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["review"]["status"] == "approved"
    assert decided.json()["review"]["note"] == "reads well"
    assert (await client.get("/v1/reviews")).json() == {"pending": [], "total": 0}

    again = await client.post(f"/v1/reviews/{held['meta']['id']}", json={"decision": "reject"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "review_not_pending"
    unheld = await client.post(f"/v1/reviews/{plain['meta']['id']}", json={"decision": "approve"})
    assert unheld.status_code == 409


async def test_an_edit_is_checked_by_the_guardrails_before_it_is_stored(
    client: httpx.AsyncClient,
) -> None:
    held = (await client.post("/v1/drafts", json=_cautious())).json()
    draft_id = held["meta"]["id"]
    bad = held["body"].replace("\n\n", "\n\nThis will never happen again. ", 1)
    refused = await client.post(f"/v1/reviews/{draft_id}", json={"decision": "edit", "body": bad})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "edit_failed_guardrails"
    assert any(f["rule"].startswith("guarantee.") for f in error["details"]["findings"])
    assert (await client.get(f"/v1/drafts/{draft_id}")).json()["body"] == held["body"]

    greeting, rest = held["body"].split("\n", 1)
    good = ("Dear Dana," if greeting != "Dear Dana," else "Hello Dana,") + "\n" + rest
    stored = await client.post(f"/v1/reviews/{draft_id}", json={"decision": "edit", "body": good})
    assert stored.status_code == 200, stored.text
    after = (await client.get(f"/v1/drafts/{draft_id}")).json()
    assert after["body"] == good
    assert after["subject"] == held["subject"]
    assert after["review"]["status"] == "edited"
    assert after["guardrails"]["passed"] is True


async def test_a_rejected_letter_leaves_the_queue(client: httpx.AsyncClient) -> None:
    held = (await client.post("/v1/drafts", json=_cautious())).json()
    answer = await client.post(f"/v1/reviews/{held['meta']['id']}", json={"decision": "reject"})
    assert answer.json()["review"]["status"] == "rejected"
    assert (await client.get("/v1/reviews")).json()["total"] == 0


@pytest.mark.parametrize(
    ("decision", "field_message"),
    [
        ({"decision": "edit"}, "an edit needs the new `body`"),
        ({"decision": "approve", "body": "Hi"}, "`approve` takes no `subject` or `body`"),
        ({"decision": "maybe"}, "decision"),
    ],
)
async def test_a_malformed_decision_is_a_422_naming_the_problem(
    client: httpx.AsyncClient, decision: dict[str, Any], field_message: str
) -> None:
    held = (await client.post("/v1/drafts", json=_cautious())).json()
    answer = await client.post(f"/v1/reviews/{held['meta']['id']}", json=decision)
    assert answer.status_code == 422
    assert field_message in answer.json()["error"]["message"]


def _draft_with(findings: list[Finding], *, fallback: bool = False, **meta: Any) -> Draft:
    report = GuardrailReport(passed=True, elements=[], findings=findings, skipped=[])
    return Draft(
        subject=None,
        body="b",
        channel="email",
        tone="warm",
        guardrails=report,
        meta=DraftMeta(
            provider="openai",
            model="m",
            attempts=1,
            fallback=fallback,
            prompt_version="p",
            latency_ms=1.0,
            **meta,
        ),
    )


def test_review_reasons_name_each_cause() -> None:
    warning = Finding(
        rule="non_apology.generic",
        severity="warning",
        message="generic",
        start=0,
        end=1,
        excerpt="b",
    )
    standard = DraftRequest.model_validate(NORTHWIND_REQUEST)
    cautious = standard.model_copy(update={"liability": "cautious"})
    assert review_reasons(_draft_with([]), standard) == []
    assert review_reasons(_draft_with([warning]), standard) == ["warnings"]
    assert review_reasons(_draft_with([], fallback=True), cautious) == [
        "fallback",
        "cautious_posture",
    ]
    assert review_reasons(_draft_with([]), None) == []


def test_a_decision_model_accepts_an_edit_with_a_body() -> None:
    decision = ReviewDecision(decision="edit", body="Dear Dana, ...")
    assert decision.subject is None


@pytest.mark.parametrize(
    "decision",
    [
        {"decision": "edit", "body": "Dear Dana, ..."},
        {"decision": "edit", "subject": "Sorry", "body": "Dear Dana, ...", "note": "n"},
        {"decision": "edit", "subject": None, "body": "Dear Dana, ..."},
        {"decision": "edit"},
        {"decision": "edit", "body": None},
        {"decision": "edit", "subject": "Sorry"},
        {"decision": "approve"},
        {"decision": "approve", "note": "fine", "subject": None, "body": None},
        {"decision": "approve", "body": "Hi"},
        {"decision": "reject", "subject": "Sorry"},
        {"decision": "reject", "note": "no"},
        {"decision": "maybe"},
    ],
)
def test_the_openapi_document_states_which_decisions_carry_text(
    decision: dict[str, Any], decision_schema: dict[str, Any]
) -> None:
    """The schema of `POST /v1/reviews/{id}`'s body accepts exactly what the model accepts, the
    rule between `decision` and `subject`/`body` included, so a client or a fuzzer that
    follows the document is not answered 422."""
    import jsonschema

    by_schema = jsonschema.Draft202012Validator(decision_schema).is_valid(decision)
    try:
        ReviewDecision.model_validate(decision)
        by_model = True
    except ValueError:
        by_model = False
    assert by_schema == by_model


@pytest.fixture(scope="module")
def decision_schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data_dir = tmp_path_factory.mktemp("openapi")
    document = create_app(Settings(_env_file=None, data_dir=str(data_dir))).openapi()
    operation = document["paths"]["/v1/reviews/{draft_id}"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema: dict[str, Any] = document["components"]["schemas"][reference.rsplit("/", 1)[-1]]
    assert "oneOf" in schema
    return schema


async def test_a_letter_the_composer_wrote_in_place_of_the_model_is_held(
    settings: Settings,
    store: Store,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Callable[..., dict[str, Any]],
) -> None:
    request = DraftRequest.model_validate(NORTHWIND_REQUEST)
    composed = compose_draft(request)
    # It blames the courier: salvage has no mechanical fix for that, so the model is re-asked.
    blaming = composed.body + "\n\nThe courier is to blame for the delay."
    failing = json.dumps({"subject": composed.subject, "body": blaming})
    usage = {"prompt_tokens": 700, "completion_tokens": 250}
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body(failing, usage=usage)
    )
    settings = settings.model_copy(update={"repair_attempts": 1})
    pipeline = build_pipeline(settings, provider=OpenAICompatibleProvider(settings))
    async with _client(create_app(settings, pipeline, store=store)) as client:
        draft = (await client.post("/v1/drafts", json=NORTHWIND_REQUEST)).json()
        metrics = (await client.get("/metrics")).text
    assert draft["meta"]["fallback"] is True
    assert draft["review"]["reasons"][0] == "fallback"
    assert [r["id"] for r in store_pending(store)] == [draft["meta"]["id"]]
    assert _metric(metrics, "amends_fallbacks_total", kind="draft") == 1
    assert _metric(metrics, "amends_model_calls_total", provider="openai") == 2
    assert _metric(metrics, "amends_reasks_total") == 1
    assert _metric(metrics, "amends_tokens_total", type="prompt") == 1400
    assert _metric(metrics, "amends_guardrail_checks_total", source="attempt", result="failed") == 2
    assert _metric(metrics, "amends_guardrail_checks_total", source="attempt", result="passed") == 1
    assert _metric(metrics, "amends_review_queue_length") == 1


def store_pending(store: Store) -> list[dict[str, str]]:
    return [{"id": record.id} for record, _ in store.pending_reviews()]


# -- metrics -------------------------------------------------------------------------------


async def test_metrics_count_requests_latency_checks_and_the_queue(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/v1/drafts", json=NORTHWIND_REQUEST)
    await client.post("/v1/drafts", json=_cautious())
    await client.post("/v1/checks", json={"body": "We are sorry if you felt upset."})
    await client.get("/v1/drafts/ffffffffffffffffffffffffffffffff")
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    labels = {"method": "POST", "route": "/v1/drafts", "status": "200"}
    assert _metric(text, "amends_http_requests_total", **labels) == 2
    assert (
        _metric(
            text,
            "amends_http_requests_total",
            method="GET",
            route="/v1/drafts/{draft_id}",
            status="404",
        )
        == 1
    )
    assert _metric(text, "amends_http_request_duration_seconds_count", route="/v1/drafts") == 2
    assert _metric(text, "amends_drafts_total", kind="draft", provider="offline") == 2
    assert _metric(text, "amends_guardrail_checks_total", source="check", result="failed") == 1
    assert _metric(text, "amends_guardrail_findings_total", rule="non_apology.conditional") >= 1
    assert _metric(text, "amends_review_queue_length") == 1
    assert _metric(text, "amends_reviews_required_total", reason="cautious_posture") == 1
    assert _metric(text, "amends_model_calls_total") == 0


async def test_every_metric_an_alert_reads_is_exported(client: httpx.AsyncClient) -> None:
    text = (await client.get("/metrics")).text
    exported = set(re.findall(r"^# TYPE (\w+) (\w+)", text, flags=re.M))
    names = {name for name, _ in exported}
    names |= {f"{name}_total" for name, kind in exported if kind == "counter"}
    names |= {f"{name}_bucket" for name, kind in exported if kind == "histogram"}
    used = set(re.findall(r"\bamends_\w+", ALERTS.read_text(encoding="utf-8")))
    assert used, "no metric found in the alert rules"
    assert used <= names, f"alerts read metrics nobody exports: {sorted(used - names)}"


@pytest.mark.parametrize("on_failure", ["fallback", "reject"])
async def test_an_unreachable_model_is_counted_whether_or_not_the_composer_steps_in(
    settings: Settings,
    store: Store,
    mocked_chat_completions: respx.Route,
    on_failure: str,
) -> None:
    mocked_chat_completions.return_value = httpx.Response(503, json={"error": "overloaded"})
    settings = settings.model_copy(update={"retry_attempts": 2, "on_failure": on_failure})
    pipeline = build_pipeline(settings, provider=OpenAICompatibleProvider(settings))
    async with _client(create_app(settings, pipeline, store=store)) as client:
        answer = await client.post("/v1/drafts", json=NORTHWIND_REQUEST)
        metrics = (await client.get("/metrics")).text
    assert answer.status_code == (200 if on_failure == "fallback" else 503)
    assert _metric(metrics, "amends_upstream_errors_total", code="upstream_unavailable") == 1
    assert _metric(metrics, "amends_fallbacks_total", kind="draft") == (
        1 if on_failure == "fallback" else 0
    )


async def test_start_up_applies_the_retention_to_old_records(store: Store) -> None:
    from datetime import timedelta

    from service.store import AuditRecord, new_id, utcnow

    def record(age_days: int) -> AuditRecord:
        return AuditRecord(
            id=new_id(),
            kind="check",
            created_at=utcnow() - timedelta(days=age_days),
            fingerprint="0" * 64,
            request={"body": "b"},
            body="b",
            passed=True,
            report={"passed": True},
        )

    old, recent = record(40), record(5)
    store.add_record(old)
    store.add_record(recent)
    app = create_app(Settings(_env_file=None, retention_days=30), store=store)
    async with app.router.lifespan_context(app):
        for _ in range(100):
            if store.get_record(old.id) is None:
                break
            await anyio.sleep(0.05)
    assert store.get_record(old.id) is None
    assert store.get_record(recent.id) is not None
