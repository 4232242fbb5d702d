"""generate → check → salvage → re-ask → fallback: the one place where providers, prompts and
guardrails meet.

A draft leaves this module only if it passed the guardrails. When a model's drafts keep
failing (or the model cannot be reached), the pipeline either falls back to the offline
composer — saying so in `meta.fallback_reason` — or raises a typed error, as configured.

Prompts are rendered for the provider's answer format at the moment of each call: when a
negotiating provider finds a structured answer holds no letter and steps down
(`OutputModeUnusable`), the same attempt is asked again with messages for the new mode.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

import guardrails
from contract.models import (
    AttemptRecord,
    ChannelKey,
    CheckRequest,
    Draft,
    DraftMeta,
    DraftRequest,
    RewriteRequest,
    SalvageEdit,
    Usage,
)
from contract.report import Finding, GuardrailReport
from prompts.render import PROMPT_VERSION, ChatMessage, render_draft, render_repair, render_rewrite
from service.errors import (
    AmendsError,
    ComposerDraftFailedGuardrails,
    DraftDeadlinePassed,
    DraftFailedGuardrails,
)
from service.logs import current_request_id
from service.ownership import Disowned, disowned
from service.providers import build_provider
from service.providers.base import Completion, Job, OutputModeUnusable, Provider
from service.providers.concurrency import ConcurrencyLimited
from service.providers.offline import OfflineProvider
from service.salvage import polished, salvage
from service.settings import Settings

log = logging.getLogger("amends.pipeline")

SALVAGE_ROUNDS = 2
MODE_STEPS = 2
"""How often one attempt is asked again in a lower output mode (JSON schema → JSON object →
plain text) when the provider finds its structured answer held no letter."""

Render = Callable[[bool], list[ChatMessage]]
"""The base [system, user] messages for an answer format (`structured` or plain text)."""


def check_request(
    request: CheckRequest, rules: guardrails.RuleSet | None = None, source: str | None = None
) -> GuardrailReport:
    """The guardrails' report on a draft against its facts: for `POST /v1/checks`,
    `amends check` and every draft the pipeline is about to hand back. `source`: the text a
    rewrite without context was made from (`guardrails.check`)."""
    return guardrails.check(
        request.body,
        subject=request.subject,
        channel=request.channel,
        context=request.context,
        rules=rules,
        source=source,
    )


@dataclass
class _Run:
    """What one request has spent so far, summed over every attempt."""

    started: float = field(default_factory=time.perf_counter)
    attempts: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    log: list[AttemptRecord] = field(default_factory=list)
    edits: list[SalvageEdit] = field(default_factory=list)
    """Salvage edits made to the current letter (reset with each new letter)."""

    def spend(self, completion: Completion | OutputModeUnusable) -> None:
        self.prompt_tokens += completion.prompt_tokens
        self.completion_tokens += completion.completion_tokens

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class _Target:
    """What the finished draft must fit: the job, its channel and tone, the facts to check."""

    job: Job
    channel: ChannelKey
    tone: str
    context: DraftRequest | None


class Pipeline:
    def __init__(
        self,
        settings: Settings,
        provider: Provider,
        fallback: Provider,
        rules: guardrails.RuleSet | None = None,
    ) -> None:
        self.settings = settings
        self.provider = provider
        self.fallback = fallback
        self.rules = rules

    async def draft(self, request: DraftRequest) -> Draft:
        """Write a new apology draft for the request."""
        target = _Target(request, request.channel, request.tone, request)
        # The composer drafts from the request itself and never reads a prompt.
        if self.provider is self.fallback:
            return await self._run(target, lambda structured: [])
        return await self._run(target, partial(_render_draft, request))

    async def rewrite(self, request: RewriteRequest) -> Draft:
        """Rewrite a draft into another tone, channel or length, keeping its facts."""
        context = request.context
        channel: ChannelKey = request.channel or (context.channel if context else "email")
        tone = request.tone or (context.tone if context else "professional")
        if context is not None:
            context = context.model_copy(update={"channel": channel, "tone": tone})
        target = _Target(request, channel, tone, context)
        return await self._run(target, partial(_render_rewrite, request))

    def check(self, completion: Completion, target: _Target) -> GuardrailReport:
        # Built without validation: a model's draft is checked whatever its length.
        draft = CheckRequest.model_construct(
            subject=completion.subject,
            body=completion.body,
            channel=target.channel,
            context=target.context,
        )
        job = target.job
        # A rewrite without context is not asked for what its source draft did not say.
        source = job.draft.body if isinstance(job, RewriteRequest) and not target.context else None
        return check_request(draft, self.rules, source)

    @property
    def _may_fall_back(self) -> bool:
        # The same kind of provider would only write the same draft again.
        return self.settings.on_failure == "fallback" and self.provider.name != self.fallback.name

    async def _run(self, target: _Target, render: Render) -> Draft:
        run = _Run()
        try:
            completion, report, stop = await self._generate(target, render, run)
        except AmendsError as exc:
            # The caller sees the reason; the upstream's own words stay in the log.
            if not self._may_fall_back:
                log.warning("no draft: %s: %s", exc.code, exc.message)
                raise
            log.warning("falling back to the composer: %s: %s", exc.code, exc.message)
            return await self._fall_back(target, run, f"{exc.code}: {exc.public_message}")
        if report.passed:
            return self._finish(completion, report, self.provider, target, run)
        reason = f"{stop}; failed rules: {', '.join(_rule_ids(report))}"
        if not self._may_fall_back:
            raise self._failure(self.provider)(
                f"no draft passed the guardrails ({reason})",
                details={"findings": [f.model_dump() for f in report.errors]},
            )
        return await self._fall_back(target, run, reason)

    async def _generate(
        self, target: _Target, render: Render, run: _Run
    ) -> tuple[Completion, GuardrailReport, str]:
        """Draft, then re-ask with the findings until it passes or a budget runs out."""
        deadline = run.started + self.settings.draft_deadline_s
        completion = await self._ask(partial(self._draft_messages, render), target, run, deadline)
        report = await self._record(self.provider, completion, target, run, deadline)
        completion, report = await self._salvage(completion, report, target, run, deadline)
        repairs = 0
        while not report.passed:
            stop = self._stop_reason(repairs, run)
            if stop:
                return completion, report, stop
            repairs += 1
            repair = partial(self._repair_messages, render, completion, report, target)
            completion = await self._ask(repair, target, run, deadline)
            report = await self._record(self.provider, completion, target, run, deadline)
            completion, report = await self._salvage(completion, report, target, run, deadline)
        return completion, report, ""

    async def _salvage(
        self,
        completion: Completion,
        report: GuardrailReport,
        target: _Target,
        run: _Run,
        deadline: float | None,
        writer: Provider | None = None,
    ) -> tuple[Completion, GuardrailReport]:
        """Apply the findings' safe fixes and check again, before any re-ask is spent.

        A second round catches what the first round's edits exposed (a removed sentence
        that carried the only mention of a remedy). The composer's letters are salvaged only
        when they fail: the caller gets a letter, and the warning in the log and the edits in
        `meta.salvage` surface the composer's slip.
        """
        writer = writer or self.provider
        composer = writer.name == self.fallback.name
        run.edits = []
        answer, first = completion, report
        if composer and not report.passed:
            log.warning("the composer's letter failed the guardrails: %s", _rule_ids(report))
        for _ in range(SALVAGE_ROUNDS):
            if report.passed and (composer or not polished(report)):
                break
            try:
                salvaged = salvage(
                    completion.subject, completion.body, report, target.context, target.channel
                )
            except Exception:
                # Salvage only saves a model call; a fault in it must not cost the caller
                # the letter. The letter goes on to the re-ask as the model wrote it.
                log.exception("salvage failed; re-asking with the letter as written")
                break
            if not salvaged.edits:
                break
            run.edits += salvaged.edits
            completion = replace(completion, subject=salvaged.subject, body=salvaged.body)
            report = await self._record(writer, completion, target, run, deadline, salvaged=True)
        if not report.passed or composer or not target.context:
            return completion, report
        why = disowned(answer.body, completion.body, target.context, len(run.edits))
        if why is None:
            return completion, report
        # What passed is salvage's letter round the model's leftovers, not the model's: the
        # re-ask sees the model's own answer and why, and if none comes good, the composer
        # writes the letter and the fallback reason says so.
        log.warning("the salvaged letter is not the model's: %s", why)
        run.edits = []
        finding = _disowned_finding(answer.body, why)
        run.log.append(
            AttemptRecord(
                attempt=run.attempts,
                provider=self.provider.name,
                passed=False,
                failed_rules=[DISOWNED_RULE],
                salvaged=True,
            )
        )
        findings = [*first.findings, finding]
        return answer, first.model_copy(update={"passed": False, "findings": findings})

    def _draft_messages(self, render: Render) -> list[ChatMessage]:
        return render(self.provider.structured)

    def _repair_messages(
        self, render: Render, completion: Completion, report: GuardrailReport, target: _Target
    ) -> list[ChatMessage]:
        structured = self.provider.structured
        return render_repair(
            render(structured),
            completion.subject,
            completion.body,
            report.errors,
            request=target.context,
            structured=structured,
        )

    async def _ask(
        self,
        messages: Callable[[], list[ChatMessage]],
        target: _Target,
        run: _Run,
        deadline: float,
    ) -> Completion:
        """One attempt with the provider. When its structured answer held no letter and it
        stepped down a mode, ask again at once with `messages` rendered for the new mode;
        the unusable answer counts as a call and its tokens are spent."""
        for _ in range(MODE_STEPS):
            try:
                return await self._attempt(self.provider, messages(), target, run, deadline)
            except OutputModeUnusable as unusable:
                run.spend(unusable)
                log.warning("the model's answer held no letter; asking again: %s", unusable.message)
        return await self._attempt(self.provider, messages(), target, run, deadline)

    def _stop_reason(self, repairs: int, run: _Run) -> str:
        if not self.provider.can_repair:
            return "the provider's draft failed the guardrails and it cannot be re-asked"
        if repairs >= self.settings.repair_attempts:
            return f"still failing the guardrails after {repairs} re-ask(s)"
        if run.tokens >= self.settings.repair_token_budget:
            return f"token budget of {self.settings.repair_token_budget} spent"
        return ""

    def _failure(self, writer: Provider) -> type[DraftFailedGuardrails]:
        """The composer's failure is the request's (422); a model's is the upstream's (502)."""
        if writer.name == self.fallback.name:
            return ComposerDraftFailedGuardrails
        return DraftFailedGuardrails

    async def _fall_back(self, target: _Target, run: _Run, reason: str) -> Draft:
        # The composer ignores the messages; it drafts from the job itself.
        completion = await self.fallback.complete([], target.job)
        run.attempts += 1
        run.edits = []
        report = await self._record(self.fallback, completion, target, run)
        completion, report = await self._salvage(
            completion, report, target, run, None, writer=self.fallback
        )
        if not report.passed:
            raise self._failure(self.fallback)(
                f"the fallback draft failed the guardrails too ({reason})",
                details={"findings": [f.model_dump() for f in report.errors]},
            )
        return self._finish(completion, report, self.fallback, target, run, reason)

    async def _attempt(
        self,
        provider: Provider,
        messages: list[ChatMessage],
        target: _Target,
        run: _Run,
        deadline: float,
    ) -> Completion:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise DraftDeadlinePassed("the draft deadline passed before the model answered")
        run.attempts += 1
        try:
            completion = await asyncio.wait_for(provider.complete(messages, target.job), remaining)
        except TimeoutError as exc:
            raise DraftDeadlinePassed(
                f"the model did not answer within {self.settings.draft_deadline_s:g} s"
            ) from exc
        run.spend(completion)
        return completion

    async def _record(
        self,
        provider: Provider,
        completion: Completion,
        target: _Target,
        run: _Run,
        deadline: float | None = None,
        *,
        salvaged: bool = False,
    ) -> GuardrailReport:
        report = await self._check_off_loop(completion, target, deadline)
        run.log.append(
            AttemptRecord(
                attempt=run.attempts,
                provider=provider.name,
                passed=report.passed,
                failed_rules=_rule_ids(report),
                salvaged=salvaged,
            )
        )
        return report

    async def _check_off_loop(
        self, completion: Completion, target: _Target, deadline: float | None
    ) -> GuardrailReport:
        """Check in a worker thread, so a long answer never stalls other requests, and within
        what is left of the draft deadline (the composer's fallback letter has none)."""
        checking = asyncio.to_thread(self.check, completion, target)
        if deadline is None:
            return await checking
        remaining = deadline - time.perf_counter()
        try:
            return await asyncio.wait_for(checking, max(remaining, 0.001))
        except TimeoutError as exc:
            raise DraftDeadlinePassed(
                f"the draft deadline of {self.settings.draft_deadline_s:g} s passed "
                "while checking the model's draft"
            ) from exc

    def _finish(
        self,
        completion: Completion,
        report: GuardrailReport,
        provider: Provider,
        target: _Target,
        run: _Run,
        fallback_reason: str | None = None,
    ) -> Draft:
        meta = DraftMeta(
            request_id=current_request_id(),
            provider=provider.name,
            model=completion.model,
            attempts=run.attempts,
            fallback=fallback_reason is not None,
            fallback_reason=fallback_reason,
            prompt_version=PROMPT_VERSION,
            usage=Usage(prompt_tokens=run.prompt_tokens, completion_tokens=run.completion_tokens),
            latency_ms=round((time.perf_counter() - run.started) * 1000, 2),
            attempt_log=run.log,
            salvage=run.edits,
            written_by="composer" if provider is self.fallback else "model",
        )
        return Draft(
            subject=completion.subject,
            body=completion.body,
            channel=target.channel,
            tone=target.tone,
            guardrails=report,
            meta=meta,
        )


def _render_draft(request: DraftRequest, structured: bool) -> list[ChatMessage]:
    return render_draft(request, structured=structured)


def _render_rewrite(request: RewriteRequest, structured: bool) -> list[ChatMessage]:
    return render_rewrite(request, structured=structured)


DISOWNED_RULE = "salvage.disowned"
"""The failure of a model letter that passed only as salvage's letter (`disowned`)."""


def _disowned_finding(answer: str, why: Disowned) -> Finding:
    """An error finding on the model's `answer` saying why salvage's letter was not its own,
    quoting the model's words of the stray sentence when there is one."""
    start = answer.find(why.sentence) if why.sentence else -1
    start, end = (start, start + len(why.sentence)) if start >= 0 else (0, 0)
    return Finding(
        rule=DISOWNED_RULE,
        severity="error",
        message=why.message,
        start=start,
        end=end,
        excerpt=answer[start:end],
    )


def _rule_ids(report: GuardrailReport) -> list[str]:
    return sorted({f.rule for f in report.errors})


def build_pipeline(settings: Settings, *, provider: Provider | None = None) -> Pipeline:
    """Wire the configured provider, the offline fallback and the guardrail rule packs.

    Rule packs load here, at start-up, so a malformed business pack stops the service with a
    message naming the file instead of failing the first request.
    """
    rules = guardrails.load_rules(settings.rule_packs)
    fallback = OfflineProvider()
    if provider is None and settings.provider == "offline":
        provider = fallback
    elif provider is None:
        provider = ConcurrencyLimited(
            build_provider(settings), settings.max_model_calls, settings.model_queue_timeout_s
        )
    return Pipeline(settings, provider, fallback, rules)
