"""The offline rewrite keeps every fact token of the draft and changes only what was asked."""

from __future__ import annotations

import re
from typing import Any

import pytest

from contract.catalog import get_catalog
from contract.models import DraftRequest, RewriteRequest
from service.composer import compose_draft, rewrite_draft
from service.composer.rewrite import fact_tokens
from service.composer.voice import has_contraction

OPERATIONS = sorted(get_catalog().operations)


def context(**changes: Any) -> DraftRequest:
    data: dict[str, Any] = {
        "scenario": "incorrect_invoice",
        "audience": "client",
        "channel": "email",
        "tone": "warm",
        "recipient": {"name": "Marta Lind", "organization": "Fjord Foods"},
        "sender": {
            "name": "Jonas Berg",
            "title": "Account Manager",
            "organization": "Nordlys Supply",
            "contact": "jonas@nordlys.example",
        },
        "incident": {
            "summary": "Invoice INV-3307 for March billed 40 cases instead of 24.",
            "reference": "INV-3307",
            "cause": "a unit conversion error in our billing export",
        },
        "remedies": [
            {
                "kind": "refund",
                "description": "refund of the overcharge",
                "amount": "€512.00",
                "status": "done",
                "date": "9 April",
            },
            {
                "kind": "credit",
                "description": "service credit",
                "amount": "€100",
                "code": "FJORD-CR7",
                "status": "offered",
            },
        ],
        "prevention": [
            {
                "description": "a second review of every invoice over €5,000",
                "metric": "zero billing disputes in the last two quarters",
            }
        ],
        "strategies": ["collaborative_accountability"],
    }
    data.update(changes)
    return DraftRequest.model_validate(data)


def tokens(subject: str | None, body: str) -> set[str]:
    return fact_tokens(f"{subject or ''}\n{body}")


def rewrite(
    draft_context: DraftRequest | None, subject: str | None, body: str, **target: Any
) -> tuple[str | None, str]:
    request = RewriteRequest.model_validate(
        {
            "draft": {"subject": subject, "body": body},
            "context": draft_context.model_dump() if draft_context else None,
            **target,
        }
    )
    result = rewrite_draft(request)
    return result.subject, result.body


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize(
    "target",
    [{}, {"tone": "formal"}, {"channel": "letter"}, {"channel": "chat", "tone": "friendly"}],
)
@pytest.mark.parametrize("with_context", [True, False])
def test_rewrite_keeps_every_fact_token(
    operation: str, target: dict[str, str], with_context: bool
) -> None:
    ctx = context()
    source = compose_draft(ctx)
    wanted = tokens(source.subject, source.body)
    assert {"INV-3307", "€512.00", "€100", "FJORD-CR7", "9 April"} & wanted
    subject, body = rewrite(
        ctx if with_context else None, source.subject, source.body, operation=operation, **target
    )
    missing = {t for t in wanted if t not in f"{subject or ''}\n{body}"}
    # The email subject repeats the reference; a channel without a subject keeps it in the body.
    assert not missing, (missing, body)
    if target.get("channel") in ("letter", "chat"):
        assert subject is None


@pytest.mark.parametrize("with_context", [True, False])
def test_rewrite_to_sms_fits_and_keeps_the_figures(with_context: bool) -> None:
    ctx = context()
    source = compose_draft(ctx)
    _, body = rewrite(
        ctx if with_context else None,
        source.subject,
        source.body,
        channel="sms",
        operation="shorten",
    )
    assert len(body) <= 320, body
    for fact in ("€512.00", "€100", "FJORD-CR7"):
        assert fact in body, body
    assert not body.startswith(("Dear", "Hi", "Hello"))


@pytest.mark.parametrize("with_context", [True, False])
def test_more_formal_has_no_contractions(with_context: bool) -> None:
    ctx = context(tone="friendly")
    source = compose_draft(ctx)
    assert has_contraction(source.body)
    subject, body = rewrite(
        ctx if with_context else None, source.subject, source.body, operation="more_formal"
    )
    assert not has_contraction(f"{subject or ''}\n{body}"), body
    assert body.startswith("Dear ")


def test_friendlier_uses_contractions_and_a_first_name() -> None:
    ctx = context(tone="formal")
    source = compose_draft(ctx)
    assert not has_contraction(source.body)
    for draft_context in (ctx, None):
        _, body = rewrite(draft_context, source.subject, source.body, operation="friendlier")
        assert has_contraction(body), body
        assert body.startswith(("Hi Marta,", "Hello Marta,")), body


@pytest.mark.parametrize("with_context", [True, False])
def test_shorten_is_shorter_and_expand_is_longer(with_context: bool) -> None:
    ctx = context(
        tone="professional",
        strategies=["brand_personality", "contextual_empathy"],
        incident={
            **context().incident.model_dump(),
            "impact": "the client's month-end close was delayed",
        },
    )
    source = compose_draft(ctx)
    _, short = rewrite(
        ctx if with_context else None, source.subject, source.body, operation="shorten"
    )
    _, long = rewrite(
        ctx if with_context else None, source.subject, source.body, operation="expand"
    )
    assert len(short.split()) < len(source.body.split()) < len(long.split())


def test_simplify_swaps_formal_words() -> None:
    body = (
        "Dear Marta,\n\nRegarding invoice INV-3307, we have resolved the error. "
        "We are sorry. Should you have questions, reply to this email.\n\nKind regards,\nJonas"
    )
    _, plain = rewrite(None, "Invoice INV-3307", body, operation="simplify")
    assert "About invoice INV-3307" in plain and "fixed" in plain and "If you have" in plain


def test_rewrite_with_context_passes_the_guardrails() -> None:
    import guardrails

    ctx = context()
    source = compose_draft(ctx)
    for operation in OPERATIONS:
        for tone in ("formal", "concise", "friendly"):
            request = RewriteRequest.model_validate(
                {
                    "draft": {"subject": source.subject, "body": source.body},
                    "context": ctx.model_dump(),
                    "tone": tone,
                    "operation": operation,
                }
            )
            result = rewrite_draft(request)
            target = ctx.model_copy(update={"tone": tone})
            report = guardrails.check(
                result.body, subject=result.subject, channel="email", context=target
            )
            assert report.passed, ([f.rule for f in report.errors], result.body)


def test_rewrite_to_social_drops_what_a_public_reply_may_not_carry() -> None:
    ctx = context()
    source = compose_draft(ctx)
    for draft_context in (ctx, None):
        _, body = rewrite(draft_context, source.subject, source.body, channel="social")
        assert len(body) <= 280
        assert not re.search(r"INV-3307|€|FJORD-CR7|Marta", body), body
