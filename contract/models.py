"""Request and response models of the HTTP API (see README "API"), validated and size-limited.

Keys that come from the catalog (scenario, tone, strategies) are checked against it, and an
unknown key is rejected with the list of valid ones. Every limit here exists so that one
request cannot grow a prompt, a log line or a guardrail pass without bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from contract.catalog import get_catalog
from contract.report import GuardrailReport
from contract.text import (
    NOT_INVISIBLE_PATTERN,
    VISIBLE_PATTERN,
    TextPattern,
    reject_surrogates,
    remove_invisible,
    stated_description,
)

_UNIQUE: dict[str, Any] = {"uniqueItems": True}

Audience = Literal["customer", "client", "colleague"]
ChannelKey = Literal["email", "letter", "chat", "sms", "social", "public_statement"]
Liability = Literal["standard", "cautious"]
RemedyKind = Literal["refund", "credit", "discount", "replacement", "expedite", "service", "other"]
RemedyStatus = Literal["done", "offered", "planned"]
OperationKey = Literal["none", "shorten", "expand", "simplify", "more_formal", "friendlier"]

# Caller text that can reach a letter: invisible characters removed (contract.text), then
# trimmed, then it must still say something; the OpenAPI pattern states the same rule.
# The BeforeValidator comes after the constraints: placed before them, pydantic drops them.
Short = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    BeforeValidator(remove_invisible),
    TextPattern(VISIBLE_PATTERN),
]
Medium = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1000),
    BeforeValidator(remove_invisible),
    TextPattern(VISIBLE_PATTERN),
]
Long = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    BeforeValidator(remove_invisible),
    TextPattern(VISIBLE_PATTERN),
]
Token = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40),
    BeforeValidator(remove_invisible),
    TextPattern(VISIBLE_PATTERN),
]
"""An amount or a code: short, and copied into the letter verbatim."""
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    BeforeValidator(remove_invisible),
    TextPattern(VISIBLE_PATTERN),
]
BodyText = Annotated[
    str, StringConstraints(min_length=1, max_length=20000), BeforeValidator(reject_surrogates)
]
"""A letter to check: kept exactly as sent, so that findings' spans point into it."""
LetterText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=20000),
    BeforeValidator(remove_invisible),
    TextPattern(NOT_INVISIBLE_PATTERN),
]
"""A letter to rewrite: it becomes a letter again, so invisible characters go."""
LetterSubject = Annotated[str, StringConstraints(max_length=300), BeforeValidator(remove_invisible)]


@dataclass(frozen=True)
class CatalogKey:
    """A string that must be a key of one catalog section. Validation names the valid keys;
    the JSON schema lists them as an enum, read from the catalog when the OpenAPI document
    is built, so the document and the catalog cannot disagree."""

    section: Literal["scenarios", "tones", "strategies"]
    kind: str

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["enum"] = sorted(getattr(get_catalog(), self.section))
        return json_schema

    def _check(self, value: str) -> str:
        return _known(self.kind, value, getattr(get_catalog(), self.section))


ScenarioKey = Annotated[str, CatalogKey("scenarios", "scenario")]
ToneKey = Annotated[str, CatalogKey("tones", "tone")]
StrategyKey = Annotated[str, CatalogKey("strategies", "strategy")]


def _null_allowed_in_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The schema says what `Model._null_means_absent` accepts: null for every optional field."""
    properties = schema.get("properties", {})
    for key, field in model.model_fields.items():
        prop = properties.get(field.alias or key)
        if prop is None or field.is_required():
            continue
        if field.get_default(call_default_factory=True) is not None:
            properties[field.alias or key] = {"anyOf": [prop, {"type": "null"}]}


class Model(BaseModel):
    """Strict base: unknown fields are an error, never silently dropped.

    A `null` sent for an optional field whose default is not null (`recipient`, `sender`,
    `strategies`, a remedy's `status`...) is read as the field left out, so callers that
    serialise every attribute get the default rather than a 422. A `null` for a required
    field is still a 422 naming that field.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra=_null_allowed_in_schema)

    @model_validator(mode="before")
    @classmethod
    def _null_means_absent(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            key: value
            for key, value in data.items()
            if not (
                value is None
                and key in fields
                and not fields[key].is_required()
                and fields[key].get_default(call_default_factory=True) is not None
            )
        }


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
    reference: Reference | None = None
    cause: Medium | None = None
    impact: Medium | None = None
    date: Short | None = None
    customer_message: Long | None = None
    """What the customer wrote. Untrusted: quoted as data, never followed as instructions."""


class Remedy(Model):
    kind: RemedyKind
    description: Medium
    amount: Token | None = None
    date: Short | None = None
    code: Token | None = None
    status: RemedyStatus = "offered"

    @field_validator("description")
    @classmethod
    def _states_a_remedy(cls, value: str) -> str:
        return stated_description(
            value,
            "a remedy",
            "offered or done, for example 'refund of the booking fee' or '£5 off'",
        )


class Prevention(Model):
    description: Medium
    metric: Short | None = None
    """An improvement figure the business stands behind; the only figure a draft may quote."""

    @field_validator("description")
    @classmethod
    def _states_a_step(cls, value: str) -> str:
        return stated_description(
            value, "a prevention step", "to change, for example 'a second check before dispatch'"
        )


class DraftRequest(Model):
    scenario: ScenarioKey = "custom"
    audience: Audience = "customer"
    channel: ChannelKey = "email"
    tone: ToneKey = "professional"
    liability: Liability = "standard"
    strategies: Annotated[list[StrategyKey], Field(max_length=8, json_schema_extra=_UNIQUE)] = []
    recipient: Recipient = Recipient()
    sender: Sender = Sender()
    incident: Incident
    remedies: Annotated[list[Remedy], Field(max_length=10)] = []
    prevention: Annotated[list[Prevention], Field(max_length=10)] = []
    max_words: Annotated[int, Field(ge=20, le=1000)] | None = None
    follow_up: bool = Field(
        default=False,
        strict=True,  # `true`/`false` only, as the schema says: never 0, 1 or "yes"
        description=(
            "True when the business has planned to contact the reader again (findings of a"
            " review, an update). Only then may a letter promise to write again or share"
            " findings; by default it promises no follow-up."
        ),
    )
    """Whether a follow-up is planned; the only thing that lets a letter promise one."""
    language: Literal["en"] = "en"
    """Only English for now: the guardrails' phrase lists are English."""

    @field_validator("strategies")
    @classmethod
    def _strategies_unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("strategies must not repeat a key")
        return value


class DraftText(Model):
    subject: LetterSubject | None = None
    body: LetterText


class RewriteRequest(Model):
    draft: DraftText
    context: DraftRequest | None = None
    """The facts the draft was written from; the rewrite is checked against them."""
    tone: ToneKey | None = None
    channel: ChannelKey | None = None
    operation: OperationKey = "none"


class CheckRequest(Model):
    subject: (
        Annotated[str, StringConstraints(max_length=300), BeforeValidator(reject_surrogates)] | None
    ) = None
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
    salvaged: bool = False
    """True for the check after salvage edited this attempt's letter."""


class SalvageEdit(BaseModel):
    """One deterministic edit the service made to a model's letter, for a reviewer to see."""

    rule: str
    action: Literal["replace", "remove_sentence", "insert"]
    before: str
    """The text taken out ("" for an insertion)."""
    after: str
    """The text put in ("" for a removal)."""


class DraftMeta(BaseModel):
    id: str | None = None
    """Names the stored draft: `GET /v1/drafts/{id}` returns it (null only outside the API)."""
    request_id: str | None = None
    """The request's `X-Request-ID` (the caller's, or the one the service generated)."""
    provider: str
    model: str
    attempts: int
    fallback: bool = False
    fallback_reason: str | None = None
    prompt_version: str
    usage: Usage = Usage()
    latency_ms: float
    attempt_log: list[AttemptRecord] = []
    salvage: list[SalvageEdit] = []
    """Every edit salvage made to the delivered letter, in the order applied."""
    written_by: Literal["model", "composer"] = "composer"
    """Who wrote the delivered letter: the model (perhaps salvaged) or the offline composer."""


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


def _decision_rule(schema: dict[str, Any]) -> None:
    """`ReviewDecision`'s rule between fields, stated in its JSON schema (and so in the OpenAPI
    document) as two alternatives: an edit carries the new `body`; approve and reject carry
    neither `subject` nor `body` (null is the same as absent)."""
    schema["oneOf"] = [
        {
            "title": "Edit",
            "properties": {"decision": {"const": "edit"}, "body": {"type": "string"}},
            "required": ["decision", "body"],
        },
        {
            "title": "Approve or reject",
            "properties": {
                "decision": {"enum": ["approve", "reject"]},
                "subject": {"type": "null"},
                "body": {"type": "null"},
            },
            "required": ["decision"],
        },
    ]


class ReviewDecision(Model):
    """A reviewer's decision on a held letter. An edit carries the new text, which must pass
    the guardrails against the letter's facts before it is stored."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_decision_rule)

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
