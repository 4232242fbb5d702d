"""The audit trail and the review queue: every draft, rewrite and check the API answers is
recorded, and letters a person should read are held.

On SQLite, and whenever `AMENDS_DURABLE_COMMIT` is on, the record is committed before the
answer leaves, and a request whose record cannot be written is refused with
`503 store_unavailable` (counted in `amends_audit_write_failures_total`). On PostgreSQL in the
default commit mode the record is handed to the store's writer thread, which commits it a
moment later in a batch (`service.store.writer`), so a request does not wait for a network
round trip: a record that still fails after retries is logged with its ID and counted in the
same metric, and the requests after it are written synchronously (and refused with 503) until
the store works again. The README's "Audit trail" section says what this trades.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import anyio
from fastapi import Request
from pydantic import BaseModel

from contract.models import (
    CheckRequest,
    Draft,
    DraftMeta,
    DraftRequest,
    PendingReview,
    ReviewDecision,
    ReviewReason,
    ReviewState,
    RewriteRequest,
)
from contract.report import GuardrailReport
from guardrails import RuleSet
from service.errors import AmendsError
from service.logs import current_request_id, request_fields
from service.metrics import Metrics
from service.pipeline import check_request
from service.settings import Settings
from service.store import (
    AuditRecord,
    RawJSON,
    Review,
    Store,
    StoreUnavailable,
    new_id,
    utcnow,
)

log = logging.getLogger("amends.audit")

T = TypeVar("T")

PURGE_EVERY_S = 3600.0

_DECIDED = {"approve": "approved", "edit": "edited", "reject": "rejected"}


class DraftNotFound(AmendsError):
    status, code = 404, "draft_not_found"


class EditFailedGuardrails(AmendsError):
    """A reviewer's edit did not pass the guardrails; nothing was stored."""

    status, code = 422, "edit_failed_guardrails"


def fingerprint(request: BaseModel) -> str:
    """SHA-256 of the request as validated (fields in declared order): equal requests, equal
    fingerprints."""
    return hashlib.sha256(request.model_dump_json().encode("utf-8")).hexdigest()


def stored_request(request: BaseModel, keep_customer_message: bool) -> RawJSON:
    """The request as the audit trail keeps it: the customer's own words only if configured."""
    if keep_customer_message:
        return RawJSON(request.model_dump_json())
    message: dict[str, Any] = {"incident": {"customer_message"}}
    exclude = message if isinstance(request, DraftRequest) else {"context": message}
    return RawJSON(request.model_dump_json(exclude=exclude))


def fingerprint_and_stored(request: BaseModel, keep_customer_message: bool) -> tuple[str, RawJSON]:
    """`fingerprint` and `stored_request` at once, encoding the request a single time when the
    stored form is the whole request (no customer message to leave out)."""
    whole = request.model_dump_json()
    digest = hashlib.sha256(whole.encode("utf-8")).hexdigest()
    facts = request if isinstance(request, DraftRequest) else getattr(request, "context", None)
    if keep_customer_message or facts is None or facts.incident.customer_message is None:
        return digest, RawJSON(whole)
    return digest, stored_request(request, keep_customer_message)


def draft_record(
    kind: str,
    request: DraftRequest | RewriteRequest,
    draft: Draft,
    *,
    keep_customer_message: bool,
    record_id: str | None = None,
    request_id: str | None = None,
    key_name: str | None = None,
) -> AuditRecord:
    """The audit record of an answered draft or rewrite: the one place a letter becomes a
    record, for the API (`Recorder.draft`) and for a batch's workers alike. The request is kept
    as `stored_request` says, and the report and meta are encoded once, here, as JSON text."""
    request_fingerprint, stored = fingerprint_and_stored(request, keep_customer_message)
    return AuditRecord(
        id=record_id or new_id(),
        kind=kind,
        created_at=utcnow(),
        fingerprint=request_fingerprint,
        request=stored,
        subject=draft.subject,
        body=draft.body,
        channel=draft.channel,
        tone=draft.tone,
        passed=draft.guardrails.passed,
        report=RawJSON(draft.guardrails.model_dump_json()),
        meta=RawJSON(draft.meta.model_dump_json()),
        request_id=request_id,
        key_name=key_name,
    )


def review_reasons(draft: Draft, context: DraftRequest | None) -> list[ReviewReason]:
    reasons: list[ReviewReason] = []
    if draft.meta.fallback:
        reasons.append("fallback")
    if getattr(draft.meta, "salvage", None):
        reasons.append("salvaged")
    if any(f.severity == "warning" for f in draft.guardrails.findings):
        reasons.append("warnings")
    if context is not None and context.liability == "cautious":
        reasons.append("cautious_posture")
    return reasons


def _doc(value: Any) -> Any:
    """A stored JSON document as Python data (reads give dicts; text only if just written)."""
    return json.loads(value) if isinstance(value, str) else value


def _context(kind: str, stored: Any) -> DraftRequest | None:
    request = _doc(stored)
    if kind == "draft":
        return DraftRequest.model_validate(request)
    context = request.get("context")
    return None if context is None else DraftRequest.model_validate(context)


def _caller(http: Request | None) -> tuple[str | None, str | None]:
    """The request ID (the one echoed in `X-Request-ID`) and the caller's key name, which the
    access layer keeps in `request.state.key_name` once a key authenticates."""
    key_name = None if http is None else getattr(http.state, "key_name", None)
    return current_request_id(), key_name


def stored_draft(record: AuditRecord, review: Review | None) -> Draft:
    """The draft as it stands now: an approved edit replaces the letter it was made from."""
    subject, body, report = record.subject, record.body, record.report
    if review is not None and review.status == "edited" and review.body is not None:
        subject, body, report = review.subject, review.body, review.report or report
    state = ReviewState()
    if review is not None:
        state = ReviewState(
            required=True,
            reasons=review.reasons,
            status=review.status,
            note=review.note,
        )
    return Draft(
        subject=subject,
        body=body,
        channel=record.channel,
        tone=record.tone or "professional",
        guardrails=GuardrailReport.model_validate(_doc(report)),
        meta=DraftMeta.model_validate(_doc(record.meta) or {}),
        review=state,
    )


class Recorder:
    """Writes audit records, holds letters for review, and counts what it sees."""

    def __init__(self, store: Store, settings: Settings, metrics: Metrics) -> None:
        self.store = store
        self.settings = settings
        self.metrics = metrics
        # SQLite without a flush per commit writes a record in tens of microseconds, less
        # than the hop to a worker thread costs; PostgreSQL (a network round trip) goes to the
        # store's writer thread; durable commits (a disk flush) are written from a worker
        # thread before the answer leaves.
        durable = settings.durable_commit or store.durable_commit
        self.inline_writes = store.backend == "sqlite" and not durable
        self.background_writes = store.backend == "postgresql" and not durable

    def _lost(self) -> None:
        self.metrics.audit_failures.inc()

    async def _run(self, call: Any, *args: Any) -> Any:
        return await anyio.to_thread.run_sync(call, *args)

    async def upstream(self, pending: Awaitable[T]) -> T:
        """Await the pipeline, counting a model failure that reaches the caller."""
        try:
            return await pending
        except AmendsError as exc:
            if exc.code.startswith("upstream_"):
                self.metrics.upstream_errors.labels(exc.code).inc()
            raise

    async def _write(self, record: AuditRecord, reasons: list[ReviewReason]) -> None:
        if self.background_writes and not self.store.writes_failing:
            if not self.store.add_record_later(record, reasons, self._lost):
                # The queue is full: wait for room rather than drop the record.
                await self._run(
                    lambda: self.store.add_record_later(record, reasons, self._lost, block=True)
                )
            request_fields()["record_id"] = record.id
            return
        try:
            if self.inline_writes:
                self.store.add_record(record, list(reasons))
            else:
                await self._run(self.store.add_record, record, list(reasons))
            request_fields()["record_id"] = record.id  # the log line names the audit record
        except StoreUnavailable as exc:
            self.metrics.audit_failures.inc()
            log.error("audit record %s (%s) not written: %s", record.id, record.kind, exc.message)
            raise StoreUnavailable(
                f"the {record.kind} could not be recorded, so it is not returned "
                f"({exc.message}); retry shortly",
                retry_after=5,
            ) from exc

    async def draft(
        self, kind: str, request: DraftRequest | RewriteRequest, draft: Draft, http: Request | None
    ) -> Draft:
        """Record a draft or rewrite, hold it for review when needed, and return it with
        `meta.id` and `review` filled in."""
        self.metrics.observe_draft(kind, draft.meta, draft.guardrails)
        context = request if isinstance(request, DraftRequest) else request.context
        reasons = review_reasons(draft, context)
        record_id = new_id()
        draft = draft.model_copy(
            update={
                "meta": draft.meta.model_copy(update={"id": record_id}),
                "review": ReviewState(
                    required=bool(reasons),
                    reasons=reasons,
                    status="pending" if reasons else None,
                ),
            }
        )
        request_id, key_name = _caller(http)
        record = draft_record(
            kind,
            request,
            draft,
            keep_customer_message=self.settings.store_customer_message,
            record_id=record_id,
            request_id=request_id,
            key_name=key_name,
        )
        await self._write(record, reasons)
        for reason in reasons:
            self.metrics.review_required.labels(reason).inc()
        return draft

    async def check(
        self,
        request: CheckRequest,
        report: GuardrailReport,
        http: Request | None,
        *,
        report_json: str | None = None,
    ) -> str:
        """Record a check of a caller's text; returns the record's ID. `report_json` is the
        report already encoded (the route answers with the same text)."""
        self.metrics.observe_report(report, "check")
        request_id, key_name = _caller(http)
        request_fingerprint, request_json = fingerprint_and_stored(
            request, self.settings.store_customer_message
        )
        record = AuditRecord(
            id=new_id(),
            kind="check",
            created_at=utcnow(),
            fingerprint=request_fingerprint,
            request=request_json,
            subject=request.subject,
            body=request.body,
            channel=request.channel,
            passed=report.passed,
            report=RawJSON(report_json if report_json is not None else report.model_dump_json()),
            request_id=request_id,
            key_name=key_name,
        )
        await self._write(record, [])
        return record.id

    async def get(self, draft_id: str) -> Draft:
        found = await self._run(self.store.get_record, draft_id)
        if found is None or found[0].kind == "check":
            raise DraftNotFound(f"no stored draft has the id {draft_id!r}")
        record, review = found
        return stored_draft(record, review)

    async def pending(self, limit: int) -> tuple[list[PendingReview], int]:
        rows = await self._run(self.store.pending_reviews, limit)
        total = await self._run(self.store.count_pending_reviews)
        items = [
            PendingReview(
                id=record.id,
                kind=record.kind,
                created_at=record.created_at,
                reasons=review.reasons,
                draft=stored_draft(record, review),
            )
            for record, review in rows
        ]
        return items, total

    async def decide(
        self, draft_id: str, decision: ReviewDecision, rules: RuleSet | None, http: Request | None
    ) -> Draft:
        """Approve, reject, or store an edit that passes the guardrails against the letter's
        facts; a failing edit is refused and the letter stays pending."""
        found = await self._run(self.store.get_record, draft_id)
        if found is None or found[0].kind == "check":
            raise DraftNotFound(f"no stored draft has the id {draft_id!r}")
        record = found[0]
        report: GuardrailReport | None = None
        subject = decision.subject if decision.subject is not None else record.subject
        if decision.decision == "edit":
            assert decision.body is not None  # ReviewDecision requires it for edits
            context = _context(record.kind, record.request)
            if context is not None:
                context = context.model_copy(
                    update={"channel": record.channel, "tone": record.tone}
                )
            check = CheckRequest(
                subject=subject,
                body=decision.body,
                channel=record.channel,
                context=context,
            )
            # An edited rewrite without context is held to what its source draft said.
            source = None
            if record.kind == "rewrite" and context is None:
                source = (_doc(record.request).get("draft") or {}).get("body")
            report = check_request(check, rules, source)
            self.metrics.observe_report(report, "review_edit")
            if not report.passed:
                raise EditFailedGuardrails(
                    "the edited letter does not pass the guardrails; it was not stored",
                    details={"findings": [f.model_dump(mode="json") for f in report.errors]},
                )
        _, key_name = _caller(http)
        await self._run(
            lambda: self.store.decide_review(
                draft_id,
                _DECIDED[decision.decision],
                decided_by=key_name,
                note=decision.note,
                subject=subject,
                body=decision.body,
                report=None if report is None else report.model_dump(mode="json"),
            )
        )
        self.metrics.review_decisions.labels(decision.decision).inc()
        return await self.get(draft_id)

    async def purge_forever(self) -> None:
        """Apply the retention setting now and every hour (run as a background task)."""
        if not self.settings.retention_days:
            return
        while True:
            with contextlib.suppress(StoreUnavailable):
                gone = await self._run(self.store.purge, self.settings.retention_days)
                if gone:
                    log.info("retention: deleted %d audit records", gone)
            await asyncio.sleep(PURGE_EVERY_S)
