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


class InvalidRequest(AmendsError):
    status, code = 422, "invalid_request"


class PayloadTooLarge(AmendsError):
    status, code = 413, "payload_too_large"


class CatalogError(AmendsError):
    """The catalog or a rule pack on disk is malformed; raised at start-up."""

    status, code = 500, "catalog_invalid"


class UpstreamUnavailable(AmendsError):
    """The model could not be reached (connection, 429, 5xx) within the retry budget."""

    status, code = 503, "upstream_unavailable"


class UpstreamTimeout(AmendsError):
    """The model did not answer within the deadline."""

    status, code = 504, "upstream_timeout"


class UpstreamRejected(AmendsError):
    """The model server refused the request (400/401/403/404): configuration, not load."""

    status, code = 502, "upstream_rejected"


class UpstreamBadOutput(AmendsError):
    """The model answered, but with nothing usable: empty, truncated, filtered or malformed."""

    status, code = 502, "upstream_bad_output"


class DraftFailedGuardrails(AmendsError):
    """Every attempt failed the guardrails and fallback is disabled; details carry findings."""

    status, code = 502, "draft_failed_guardrails"
