"""The pipeline's generate → check → salvage → re-ask → fallback loop, driven by a scripted
provider that counts its calls, so every salvage edit, re-ask and fallback is assertable
without a model.

Tests of the re-ask path strip the findings' fixes (`_fixes(pipeline, None)`), so they keep
testing the re-ask whatever the guardrails learn to fix; salvage tests set the fix they test."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from contract.models import DraftRequest, RewriteRequest
from contract.report import Finding, Fix, GuardrailReport
from prompts.render import ChatMessage
from service.composer import compose_draft
from service.errors import DraftFailedGuardrails, UpstreamUnavailable
from service.pipeline import Pipeline, build_pipeline
from service.providers.base import Completion, Job
from service.settings import Settings

pytestmark = pytest.mark.anyio

UNAUTHORISED = " As a goodwill gesture we will also refund you $200 today."


@dataclass
class ScriptedProvider:
    """Answers from a script; an Exception in the script is raised instead of answered."""

    script: list[Completion | Exception]
    name: str = "scripted"
    model: str = "scripted-model"
    can_repair: bool = True
    structured: bool = True
    calls: list[list[ChatMessage]] = field(default_factory=list)

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        self.calls.append(messages)
        answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def _good(request: DraftRequest, tokens: int = 100) -> Completion:
    composed = compose_draft(request)
    return Completion(composed.subject, composed.body, "scripted-model", tokens, tokens)


def _bad(request: DraftRequest, tokens: int = 100) -> Completion:
    composed = compose_draft(request)
    return Completion(
        composed.subject, composed.body + UNAUTHORISED, "scripted-model", tokens, tokens
    )


def _fixes(pipeline: Pipeline, fix: Fix | None, rules: tuple[str, ...] = ()) -> Pipeline:
    """Give every error finding (of `rules`, or all) the fix `fix` (None: no fix at all)."""
    real_check = pipeline.check

    def check(completion: Completion, target: Any) -> GuardrailReport:
        report = real_check(completion, target)
        findings = [_with_fix(f, fix, rules) for f in report.findings]
        return report.model_copy(update={"findings": findings})

    pipeline.check = check  # type: ignore[method-assign]
    return pipeline


def _with_fix(finding: Finding, fix: Fix | None, rules: tuple[str, ...]) -> Finding:
    if finding.severity != "error" or (rules and finding.rule not in rules):
        return finding
    return finding.model_copy(update={"fix": fix})


def _settings(**overrides: object) -> Settings:
    return Settings(**{"repair_attempts": 2, "on_failure": "fallback", **overrides})  # type: ignore[arg-type]


async def test_a_passing_first_draft_is_returned_with_its_usage(
    northwind_request: DraftRequest,
) -> None:
    provider = ScriptedProvider([_good(northwind_request, tokens=120)])
    draft = await build_pipeline(_settings(), provider=provider).draft(northwind_request)
    assert draft.guardrails.passed
    assert (draft.meta.provider, draft.meta.attempts, draft.meta.fallback) == ("scripted", 1, False)
    assert draft.meta.usage.prompt_tokens == 120
    assert len(provider.calls) == 1


async def test_an_unauthorised_refund_is_re_asked_with_the_finding_quoted(
    northwind_request: DraftRequest,
) -> None:
    provider = ScriptedProvider([_bad(northwind_request), _good(northwind_request)])
    pipeline = _fixes(build_pipeline(_settings(), provider=provider), None)
    draft = await pipeline.draft(northwind_request)

    assert len(provider.calls) == 2
    repair_turn = provider.calls[1][-1]["content"]
    assert "$200" in repair_turn, "the repair prompt must quote the failing excerpt"
    assert "$200" not in draft.body and draft.guardrails.passed
    assert [a.passed for a in draft.meta.attempt_log] == [False, True]
    assert draft.meta.attempt_log[0].failed_rules
    assert draft.meta.usage.prompt_tokens == 200, "usage is summed over every attempt"


async def test_a_draft_that_keeps_failing_falls_back_to_the_composer(
    northwind_request: DraftRequest,
) -> None:
    provider = ScriptedProvider([_bad(northwind_request)])
    pipeline = _fixes(build_pipeline(_settings(), provider=provider), None)
    draft = await pipeline.draft(northwind_request)

    assert len(provider.calls) == 3, "one draft and two re-asks"
    assert draft.meta.fallback and draft.meta.provider == "offline"
    assert draft.meta.fallback_reason and "re-ask" in draft.meta.fallback_reason
    assert draft.meta.attempts == 4
    assert draft.guardrails.passed and "$200" not in draft.body


REMOVABLE = ("commitments.unsupported_fact", "commitments.unauthorised_remedy")


async def test_salvage_removes_an_unsupported_promise_without_a_re_ask(
    northwind_request: DraftRequest,
) -> None:
    composed = compose_draft(northwind_request)
    paragraphs = composed.body.split("\n\n")
    paragraphs[1] += UNAUTHORISED
    answer = Completion(composed.subject, "\n\n".join(paragraphs), "m", 10, 10)
    provider = ScriptedProvider([answer])
    pipeline = _fixes(
        build_pipeline(_settings(), provider=provider), Fix(action="remove_sentence"), REMOVABLE
    )
    draft = await pipeline.draft(northwind_request)

    assert len(provider.calls) == 1, "salvage fixed it: no re-ask"
    assert draft.guardrails.passed and "$200" not in draft.body
    assert draft.body == compose_draft(northwind_request).body
    assert (draft.meta.written_by, draft.meta.fallback, draft.meta.attempts) == ("model", False, 1)
    assert [e.model_dump() for e in draft.meta.salvage] == [
        {
            "rule": draft.meta.attempt_log[0].failed_rules[0],
            "action": "remove_sentence",
            "before": UNAUTHORISED.strip(),
            "after": "",
        }
    ]
    assert [(a.passed, a.salvaged) for a in draft.meta.attempt_log] == [
        (False, False),
        (True, True),
    ]


async def test_a_missing_remedy_is_inserted_from_the_callers_facts(
    northwind_request: DraftRequest,
) -> None:
    composed = compose_draft(northwind_request)
    sentences = [s for s in composed.body.split(". ") if "SORRY15" not in s and "15%" not in s]
    without_code = ". ".join(sentences)
    assert "SORRY15" not in without_code and "15%" not in without_code
    provider = ScriptedProvider([Completion(composed.subject, without_code, "m", 10, 10)])
    pipeline = build_pipeline(_settings(), provider=provider)
    real_check = pipeline.check

    def check(completion: Completion, target: Any) -> GuardrailReport:
        report = real_check(completion, target)
        fixed = [
            f.model_copy(update={"fix": Fix(action="insert", fact="remedy:1")})
            if f.rule == "commitments.omitted_remedy"
            else f
            for f in report.findings
        ]
        return report.model_copy(update={"findings": fixed})

    pipeline.check = check  # type: ignore[method-assign]
    draft = await pipeline.draft(northwind_request)

    assert len(provider.calls) == 1 and draft.guardrails.passed
    assert "SORRY15" in draft.body and draft.meta.written_by == "model"
    inserted = [e for e in draft.meta.salvage if e.action == "insert"]
    assert len(inserted) == 1 and "SORRY15" in inserted[0].after


async def test_what_salvage_cannot_fix_is_re_asked_with_the_salvaged_letter(
    northwind_request: DraftRequest,
) -> None:
    composed = compose_draft(northwind_request)
    paragraphs = composed.body.split("\n\n")
    paragraphs[1] += UNAUTHORISED + " This will never happen again."
    two_defects = "\n\n".join(paragraphs)
    provider = ScriptedProvider(
        [Completion(composed.subject, two_defects, "m", 10, 10), _good(northwind_request)]
    )
    # Only the unsupported refund has a fix; the guarantee is left for the re-ask.
    pipeline = _fixes(build_pipeline(_settings(), provider=provider), None)
    pipeline = _fixes(pipeline, Fix(action="remove_sentence"), REMOVABLE)
    draft = await pipeline.draft(northwind_request)
    if len(provider.calls) == 1:
        pytest.fail("the second defect should have needed a re-ask: " + str(draft.meta))
    previous = provider.calls[1][-2]["content"]
    assert "$200" not in previous, "the re-ask carries the salvaged letter"
    assert draft.meta.written_by == "model" and draft.meta.salvage == []


async def test_a_fallback_letter_is_marked_as_the_composers(
    northwind_request: DraftRequest,
) -> None:
    provider = ScriptedProvider([UpstreamUnavailable("model down")])
    draft = await build_pipeline(_settings(), provider=provider).draft(northwind_request)
    assert (draft.meta.written_by, draft.meta.salvage) == ("composer", [])


async def test_reject_mode_raises_with_the_findings_instead_of_falling_back(
    northwind_request: DraftRequest,
) -> None:
    provider = ScriptedProvider([_bad(northwind_request)])
    pipeline = _fixes(build_pipeline(_settings(on_failure="reject"), provider=provider), None)
    with pytest.raises(DraftFailedGuardrails) as raised:
        await pipeline.draft(northwind_request)
    findings = raised.value.details["findings"]
    assert any("$200" in f["excerpt"] for f in findings)
    json.dumps(raised.value.details)  # the details must be JSON-ready for the API


async def test_the_token_budget_stops_re_asking(northwind_request: DraftRequest) -> None:
    provider = ScriptedProvider([_bad(northwind_request, tokens=3000)])
    settings = _settings(repair_attempts=5, repair_token_budget=8000)
    draft = await _fixes(build_pipeline(settings, provider=provider), None).draft(northwind_request)
    assert len(provider.calls) == 2, "6000 tokens after the first draft, 12000 after the re-ask"
    assert draft.meta.fallback and "token budget" in (draft.meta.fallback_reason or "")


@pytest.mark.parametrize(
    ("on_failure", "outcome"), [("fallback", "fallback"), ("reject", UpstreamUnavailable)]
)
async def test_an_unreachable_model(
    northwind_request: DraftRequest,
    on_failure: str,
    outcome: object,
    caplog: pytest.LogCaptureFixture,
) -> None:
    provider = ScriptedProvider([UpstreamUnavailable("model down", retry_after=5)])
    pipeline = build_pipeline(_settings(on_failure=on_failure), provider=provider)
    if outcome == "fallback":
        draft = await pipeline.draft(northwind_request)
        assert draft.meta.fallback and "upstream_unavailable" in (draft.meta.fallback_reason or "")
    else:
        with pytest.raises(UpstreamUnavailable):
            await pipeline.draft(northwind_request)
    # Either way the upstream's own words are in the log, under the request's ID.
    assert "upstream_unavailable: model down" in caplog.text


async def test_the_draft_deadline_bounds_a_hanging_model(northwind_request: DraftRequest) -> None:
    never = asyncio.Event()

    class Hanging(ScriptedProvider):
        async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
            await never.wait()
            raise AssertionError("unreachable")

    pipeline = build_pipeline(_settings(draft_deadline_s=0.01), provider=Hanging([]))
    draft = await pipeline.draft(northwind_request)
    assert draft.meta.fallback and "upstream_timeout" in (draft.meta.fallback_reason or "")


async def test_the_check_runs_off_the_event_loop_and_inside_the_deadline(
    northwind_request: DraftRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check that takes long (a runaway answer) neither stalls other requests nor outlives
    the draft deadline: the caller gets the composer's letter, and the loop kept ticking."""
    pipeline = build_pipeline(
        _settings(draft_deadline_s=0.3), provider=ScriptedProvider([_good(northwind_request)])
    )
    real_check = pipeline.check

    def slow_check(completion: Completion, target: Any) -> Any:
        if completion.model == "scripted-model":
            time.sleep(1.0)  # blocking, as a CPU-bound check would be
        return real_check(completion, target)

    monkeypatch.setattr(pipeline, "check", slow_check)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    ticking = asyncio.create_task(ticker())
    started = time.perf_counter()
    draft = await pipeline.draft(northwind_request)
    elapsed = time.perf_counter() - started
    ticking.cancel()

    assert draft.meta.fallback and "upstream_timeout" in (draft.meta.fallback_reason or "")
    assert "while checking" in (draft.meta.fallback_reason or "")
    assert elapsed < 0.95, "the caller was answered before the slow check finished"
    assert ticks >= 3, "the event loop kept running while the check worked"


def _break_the_composer(monkeypatch: pytest.MonkeyPatch, slip: str) -> None:
    from service.providers import offline

    def broken(request: DraftRequest) -> object:
        composed = compose_draft(request)
        return type(composed)(composed.subject, composed.body + slip)

    monkeypatch.setattr(offline, "compose_draft", broken)


@pytest.mark.parametrize("on_failure", ["fallback", "reject"])
async def test_a_failing_composer_letter_is_salvaged_and_says_so(
    northwind_request: DraftRequest, monkeypatch: pytest.MonkeyPatch, on_failure: str
) -> None:
    _break_the_composer(monkeypatch, " This will never happen again.")
    draft = await build_pipeline(_settings(on_failure=on_failure)).draft(northwind_request)

    assert draft.guardrails.passed and "never happen again" not in draft.body
    assert draft.body.startswith(compose_draft(northwind_request).body)
    assert draft.meta.written_by == "composer" and not draft.meta.fallback
    assert [e.rule for e in draft.meta.salvage] == ["guarantee.absolute"]
    assert "never happen again" in draft.meta.salvage[0].before
    assert [(a.passed, a.salvaged) for a in draft.meta.attempt_log] == [
        (False, False),
        (True, True),
    ]


async def test_a_composer_letter_salvage_cannot_fix_is_never_returned(
    northwind_request: DraftRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_the_composer(monkeypatch, " This will never happen again.")
    pipeline = _fixes(build_pipeline(_settings()), None)
    with pytest.raises(DraftFailedGuardrails) as raised:
        await pipeline.draft(northwind_request)
    assert raised.value.status == 422


async def test_a_models_failing_letter_falls_back_to_a_salvaged_composer_letter(
    northwind_request: DraftRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_the_composer(monkeypatch, " This will never happen again.")
    provider = ScriptedProvider([_bad(northwind_request)])
    pipeline = _fixes(build_pipeline(_settings(), provider=provider), None, REMOVABLE)
    draft = await pipeline.draft(northwind_request)

    assert draft.meta.fallback and draft.meta.written_by == "composer"
    assert draft.guardrails.passed and "never happen again" not in draft.body
    assert draft.body.startswith(compose_draft(northwind_request).body)
    assert [e.rule for e in draft.meta.salvage] == ["guarantee.absolute"]


async def test_an_offline_rewrite_keeps_the_facts(northwind_request: DraftRequest) -> None:
    pipeline = build_pipeline(_settings())
    original = await pipeline.draft(northwind_request)
    request = RewriteRequest(
        draft={"subject": original.subject, "body": original.body},  # type: ignore[arg-type]
        context=northwind_request,
        channel="sms",
    )
    rewritten = await pipeline.rewrite(request)
    assert rewritten.channel == "sms" and rewritten.subject is None
    assert len(rewritten.body) <= 320
    assert "NW-48213" in rewritten.body and rewritten.guardrails.passed


async def test_a_fault_in_salvage_falls_through_to_the_re_ask(
    northwind_request: DraftRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service import pipeline as pipeline_module

    def broken(*args: object) -> object:
        raise RuntimeError("salvage bug")

    monkeypatch.setattr(pipeline_module, "salvage", broken)
    provider = ScriptedProvider([_bad(northwind_request), _good(northwind_request)])
    draft = await build_pipeline(_settings(), provider=provider).draft(northwind_request)
    assert len(provider.calls) == 2 and draft.guardrails.passed
    assert draft.meta.written_by == "model" and draft.meta.salvage == []


async def test_a_passing_letter_loses_any_inconvenience_it_may_have_caused(
    northwind_request: DraftRequest,
) -> None:
    """A warning salvage polishes (`non_apology.generic_inconvenience`): the letter passed,
    and still the reader gets "the inconvenience this caused", recorded as an edit. It is the
    letter's only apology: a second one would go whole (`tone.said_again`)."""
    composed = compose_draft(northwind_request)
    hedge = "We apologise for any inconvenience this may have caused."
    assert "I'm really sorry." in composed.body
    body = composed.body.replace("I'm really sorry.", hedge)
    answer = Completion(composed.subject, body, "m", 10, 10)
    provider = ScriptedProvider([answer])
    pipeline = build_pipeline(_settings(), provider=provider)
    draft = await pipeline.draft(northwind_request)

    assert len(provider.calls) == 1 and draft.guardrails.passed
    assert "We apologise for the inconvenience this caused." in draft.body
    assert "may have caused" not in draft.body and draft.meta.written_by == "model"
    assert [(e.rule, e.before, e.after) for e in draft.meta.salvage] == [
        (
            "non_apology.generic_inconvenience",
            "any inconvenience this may have caused",
            "the inconvenience this caused",
        )
    ]
    assert [(a.passed, a.salvaged) for a in draft.meta.attempt_log] == [
        (True, False),
        (True, True),
    ]


async def test_a_customers_own_reason_for_their_loss_still_gets_a_letter() -> None:
    """The customer's message says why they lost a pitch; the default provider answers with a
    letter that passes, never with a 422 for a valid request."""
    request = DraftRequest.model_validate(
        {
            "scenario": "poor_post_sale_support",
            "audience": "client",
            "channel": "email",
            "tone": "concise",
            "recipient": {"name": "Priyanka Shah", "organization": "Lumen Design Studio"},
            "sender": {"name": "Oskar", "organization": "Foundry Works Coworking"},
            "incident": {
                "summary": "Wifi on the 3rd floor dropped repeatedly for a week and our team "
                "kept saying it was fixed when it wasn't",
                "customer_message": "We lost a client pitch because the video call kept "
                "dying. Third time I'm reporting this.",
            },
            "remedies": [
                {
                    "kind": "credit",
                    "description": "one week's desk fees credited to your December invoice",
                    "status": "done",
                }
            ],
        }
    )
    draft = await build_pipeline(Settings()).draft(request)
    assert draft.guardrails.passed and draft.meta.written_by == "composer"
    assert "December invoice" in draft.body
