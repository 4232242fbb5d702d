"""The exceptions Amends raises on purpose, each mapped once to an HTTP status and a code."""

from __future__ import annotations

from typing import Any


class AmendsError(Exception):
    """Base class: `code` is machine-readable, `message` is for people."""

    status: int = 500
    code: str = "internal_error"

    def __init__(
        self, message: str, *, details: Any = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.retry_after = retry_after

    @property
    def public_message(self) -> str:
        """What a caller is told. Our own words; subclasses that quote others override it."""
        return self.message


class UpstreamError(AmendsError):
    """The model server failed. Its `message` may quote the server's own text (which can
    echo a masked key, an account name or a prompt) and goes to the log only; callers get
    `public_message`, written here."""

    public: str = "the model server failed"

    @property
    def public_message(self) -> str:
        return self.public


class InvalidRequest(AmendsError):
    status, code = 422, "invalid_request"


class PayloadTooLarge(AmendsError):
    status, code = 413, "payload_too_large"


class CatalogError(AmendsError):
    """The catalog or a rule pack on disk is malformed; raised at start-up."""

    status, code = 500, "catalog_invalid"


class UpstreamUnavailable(UpstreamError):
    """The model could not be reached (connection, 429, 5xx) within the retry budget."""

    status, code = 503, "upstream_unavailable"
    public = "the model server could not be reached or is overloaded; try again later"


class UpstreamTimeout(UpstreamError):
    """The model did not answer within the deadline."""

    status, code = 504, "upstream_timeout"
    public = "the model server did not answer within the deadline"


class DraftDeadlinePassed(UpstreamTimeout):
    """The whole draft's deadline passed (waiting for the model, or checking its answer).
    The message is the service's own, so the caller sees it as it is."""

    @property
    def public_message(self) -> str:
        return self.message


class ModelBusy(UpstreamError):
    """Every model-call slot of this worker stayed busy for the configured wait."""

    status, code = 503, "model_busy"
    public = "the model is busy with other requests; try again shortly"


class UpstreamRejected(UpstreamError):
    """The model server refused the request (400/401/403/404): configuration, not load."""

    status, code = 502, "upstream_rejected"
    public = "the model server refused the request; the service's model settings need attention"


class UpstreamBadOutput(UpstreamError):
    """The model answered, but with nothing usable: empty, truncated, filtered or malformed.
    The message is the service's own diagnosis of the answer, so the caller sees it."""

    status, code = 502, "upstream_bad_output"

    @property
    def public_message(self) -> str:
        return self.message


class DraftFailedGuardrails(AmendsError):
    """Every attempt failed the guardrails and fallback is disabled; details carry findings."""

    status, code = 502, "draft_failed_guardrails"


class ComposerDraftFailedGuardrails(DraftFailedGuardrails):
    """The offline composer's letter failed the guardrails. The composer writes only from the
    request and answers the same way every time, so no retry helps and no upstream is at
    fault: the facts as given (the findings point at them) cannot be made into a letter that
    passes. A caller's problem to fix, hence 422, not a 5xx."""

    status, code = 422, "facts_cannot_pass_guardrails"
