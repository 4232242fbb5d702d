"""Schemathesis checks of our own, for the in-process test and `make fuzz` (loaded there with
SCHEMATHESIS_HOOKS=tests.fuzz_checks).

`schemathesis.toml` lets schema-valid input be answered 422, because some 422s are legitimate
for it (`ALLOWED_422`): facts that are well formed but from which the composer cannot write a
letter that passes, and constraints between fields that a JSON schema cannot state. Every
other 422 on schema-valid input means the OpenAPI document promised more than the service
accepts; this check fails it.
"""

from __future__ import annotations

import re
from typing import Any

import schemathesis

ALLOWED_422 = {
    # (path prefix, code, field; None: any field)
    # Well-formed facts the composer cannot make a letter from that passes the guardrails.
    ("/", "facts_cannot_pass_guardrails", None),
    # A word limit below what the request's remedies and prevention steps need: a constraint
    # between fields that a JSON schema cannot state.
    ("/", "invalid_request", "max_words"),
    # Facts too long to fit the channel (an SMS holds 320 characters) even at their shortest:
    # again a constraint between fields.
    ("/", "invalid_request", "channel"),
    # An Idempotency-Key already used with another body: state, not shape (RFC draft: 422).
    ("/v1/drafts", "idempotency_key_reused", None),
    # A batch's CSV text is a free string to a JSON schema; what it must contain (a header of
    # known columns, rows no wider than it) is checked when it is read.
    ("/v1/batches", "invalid_recipients_csv", None),
    # A recipient column setting a remedy the batch's incident does not have: a constraint
    # between the recipients and the incident.
    ("/v1/batches", "no_such_remedy", None),
    # A well-formed edit whose text fails the guardrails against the letter's facts.
    ("/v1/reviews/", "edit_failed_guardrails", None),
}


# A remedy or prevention step described by one word that names the problem ("Bug",
# "Sorry", "Done": contract.text.names_no_action): a rule about meaning, which a JSON schema
# cannot state. Any index, directly or inside a rewrite's or a check's `context`.
_DESCRIBES_NO_ACTION = re.compile(r"(?:context\.)?(?:remedies|prevention)\.\d+\.description")


def _allowed(path: str, code: str, field: str | None) -> bool:
    if code == "invalid_request" and field and _DESCRIBES_NO_ACTION.fullmatch(field):
        return True
    return any(
        path.startswith(prefix) and code == allowed and allowed_field in (None, field)
        for prefix, allowed, allowed_field in ALLOWED_422
    )


@schemathesis.check
def schema_valid_input_is_not_invalid_request(ctx: Any, response: Any, case: Any) -> bool | None:
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    if any(meta.is_negative_at(location) for location in meta.components):
        return None  # one part (the body, a header) was generated to be invalid
    error = response.json().get("error", {})
    code = error.get("code")
    fields = {d.get("field") for d in error.get("details") or [] if isinstance(d, dict)}
    path = case.operation.path
    if all(_allowed(path, code, field) for field in fields or {None}):
        return None
    raise AssertionError(
        f"schema-valid input answered 422 {code}: the OpenAPI document accepts what the "
        f"service rejects: {response.text[:500]}"
    )
