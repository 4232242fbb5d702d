"""The report a guardrail check returns: elements found, findings with spans, checks skipped."""

from __future__ import annotations

from typing import Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["error", "warning"]
TextField = Literal["body", "subject"]

CORE_ELEMENTS: tuple[str, ...] = (
    "acknowledgment",
    "responsibility",
    "regret",
    "amends",
    "prevention",
)
"""The five elements every apology is built from, in the order a letter usually carries them."""

FORM_ELEMENTS: tuple[str, ...] = ("subject", "greeting", "invitation", "close", "signature")
"""Elements of form that a channel may or may not have room for."""


class EvidenceData(TypedDict):
    """`Evidence` as plain data: the rules build these, and the report validates them once."""

    start: int
    end: int
    text: str
    field: TextField


class ElementData(TypedDict):
    """`ElementResult` as plain data (see `EvidenceData`)."""

    element: str
    present: bool
    required: bool
    evidence: EvidenceData | None


class Evidence(BaseModel):
    """Where in the draft an element was found."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    field: TextField = "body"


class ElementResult(BaseModel):
    """Whether one element is present, whether the channel and posture require it, and where."""

    model_config = ConfigDict(frozen=True)

    element: str
    present: bool
    required: bool = True
    evidence: Evidence | None = None


class Fix(BaseModel):
    """A safe mechanical edit that salvage may apply for this finding."""

    model_config = ConfigDict(frozen=True)

    action: Literal["replace", "remove_sentence", "insert"]
    text: str | None = None  # replace: safe wording for the finding's [start, end)
    fact: str | None = None  # insert: which caller fact is missing: "remedy:<i>",
    # "prevention:<i>", "reference", "greeting", "signature",
    # "invitation", "impact"  (i = index in the request's list)


class Finding(BaseModel):
    """One problem in a draft: an `error` blocks the draft, a `warning` informs."""

    model_config = ConfigDict(frozen=True)

    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    excerpt: str
    suggestion: str | None = None
    field: TextField = "body"
    fix: Fix | None = Field(default=None, exclude_if=lambda fix: fix is None)
    """Left out of the JSON when there is none, so answers without fixes read as before."""


class GuardrailReport(BaseModel):
    """`passed` is true exactly when no finding has severity `error`."""

    passed: bool
    elements: list[ElementResult]
    findings: list[Finding]
    skipped: list[str] = []

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]
