"""Request and response models of the HTTP API (see README "API"), validated and size-limited.

Keys that come from the catalog (scenario, tone, strategies) are checked against it, and an
unknown key is rejected with the list of valid ones. Every limit here exists so that one
request cannot grow a prompt, a log line or a guardrail pass without bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from contract.catalog import get_catalog
from contract.report import GuardrailReport

Audience = Literal["customer", "client", "colleague"]
ChannelKey = Literal["email", "letter", "chat", "sms", "social", "public_statement"]
Liability = Literal["standard", "cautious"]
RemedyKind = Literal["refund", "credit", "discount", "replacement", "expedite", "service", "other"]
RemedyStatus = Literal["done", "offered", "planned"]
OperationKey = Literal["none", "shorten", "expand", "simplify", "more_formal", "friendlier"]

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Medium = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
BodyText = Annotated[str, StringConstraints(min_length=1, max_length=20000)]


class Model(BaseModel):
    """Strict base: unknown fields are an error, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


def _known(kind: str, value: str, valid: Mapping[str, object]) -> str:
    if value not in valid:
        raise ValueError(f"unknown {kind} {value!r}; valid keys: {', '.join(sorted(valid))}")
    return value


class Recipient(Model):
    name: Short | None = None
    organization: Short | None = None


class Sender(Model):
    name: Short | None = None
    title: Short | None = None
    organization: Short | None = None
    contact: Short | None = None


class Incident(Model):
    summary: Medium
    reference: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = None
    cause: Medium | None = None
    impact: Medium | None = None
    date: Short | None = None
    customer_message: Long | None = None
    """What the customer wrote. Untrusted: quoted as data, never followed as instructions."""


class Remedy(Model):
    kind: RemedyKind
    description: Medium
    amount: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None
    ) = None
    date: Short | None = None
    code: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] | None
    ) = None
    status: RemedyStatus = "offered"


class Prevention(Model):
    description: Medium
    metric: Short | None = None
    """An improvement figure the business stands behind; the only figure a draft may quote."""


class DraftRequest(Model):
    scenario: str = "custom"
    audience: Audience = "customer"
    channel: ChannelKey = "email"
    tone: str = "professional"
    liability: Liability = "standard"
    strategies: Annotated[list[str], Field(max_length=8)] = []
    recipient: Recipient = Recipient()
    sender: Sender = Sender()
    incident: Incident
    remedies: Annotated[list[Remedy], Field(max_length=10)] = []
    prevention: Annotated[list[Prevention], Field(max_length=10)] = []
    max_words: Annotated[int, Field(ge=20, le=1000)] | None = None
    language: Literal["en"] = "en"
    """Only English for now: the guardrails' phrase lists are English."""

    @field_validator("scenario")
    @classmethod
    def _scenario_known(cls, value: str) -> str:
        return _known("scenario", value, get_catalog().scenarios)

    @field_validator("tone")
    @classmethod
    def _tone_known(cls, value: str) -> str:
        return _known("tone", value, get_catalog().tones)

    @field_validator("strategies")
    @classmethod
    def _strategies_known(cls, value: list[str]) -> list[str]:
        valid = get_catalog().strategies
        for key in value:
            _known("strategy", key, valid)
        if len(set(value)) != len(value):
            raise ValueError("strategies must not repeat a key")
        return value


class DraftText(Model):
    subject: Annotated[str, StringConstraints(max_length=300)] | None = None
    body: BodyText


class RewriteRequest(Model):
    draft: DraftText
    context: DraftRequest | None = None
    """The facts the draft was written from; the rewrite is checked against them."""
    tone: str | None = None
    channel: ChannelKey | None = None
    operation: OperationKey = "none"

    @field_validator("tone")
    @classmethod
    def _tone_known(cls, value: str | None) -> str | None:
        return None if value is None else _known("tone", value, get_catalog().tones)


class CheckRequest(Model):
    subject: Annotated[str, StringConstraints(max_length=300)] | None = None
    body: BodyText
    channel: ChannelKey = "email"
    context: DraftRequest | None = None


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0


class AttemptRecord(BaseModel):
    """One generation attempt: who wrote it and which error rules it tripped."""

    attempt: int
    provider: str
    passed: bool
    failed_rules: list[str] = []


class DraftMeta(BaseModel):
    id: str | None = None
    """Names the stored draft: `GET /v1/drafts/{id}` returns it (null only outside the API)."""
    provider: str
    model: str
    attempts: int
    fallback: bool = False
    fallback_reason: str | None = None
    prompt_version: str
    usage: Usage = Usage()
    latency_ms: float
    attempt_log: list[AttemptRecord] = []


ReviewStatus = Literal["pending", "approved", "edited", "rejected"]
ReviewReason = Literal["fallback", "salvaged", "warnings", "cautious_posture"]


class ReviewState(BaseModel):
    """Whether a person should read the letter before it is sent, why, and what they decided.

    Required when the offline composer stood in for the model (`fallback`), the service
    repaired the model's letter (`salvaged`), the guardrails left warnings (`warnings`), or
    the request asked for the `cautious` liability posture (`cautious_posture`).
    """

    required: bool = False
    reasons: list[ReviewReason] = []
    status: ReviewStatus | None = None
    """`pending` until someone approves, edits or rejects it; null when no review is needed."""
    note: str | None = None


class Draft(BaseModel):
    subject: str | None
    body: str
    channel: ChannelKey
    tone: str
    guardrails: GuardrailReport
    meta: DraftMeta
    review: ReviewState = ReviewState()


class ReviewDecision(Model):
    """A reviewer's decision on a held letter. An edit carries the new text, which must pass
    the guardrails against the letter's facts before it is stored."""

    decision: Literal["approve", "edit", "reject"]
    subject: Annotated[str, StringConstraints(max_length=300)] | None = None
    body: BodyText | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _text_only_for_edits(self) -> ReviewDecision:
        if self.decision == "edit" and self.body is None:
            raise ValueError("an edit needs the new `body`")
        if self.decision != "edit" and (self.body is not None or self.subject is not None):
            raise ValueError(f"`{self.decision}` takes no `subject` or `body`; use `edit`")
        return self


class PendingReview(BaseModel):
    id: str
    kind: Literal["draft", "rewrite"]
    created_at: datetime
    reasons: list[ReviewReason]
    draft: Draft


class ReviewQueue(BaseModel):
    """Letters waiting for a person, oldest first."""

    pending: list[PendingReview]
    total: int
    """All pending letters, of which `pending` lists the first `limit`."""
