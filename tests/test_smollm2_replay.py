"""SmolLM2-135M's recorded answers on twelve eval cases, replayed
through today's guardrails, salvage, ownership check, re-asks and fallback: whatever this
hostile model wrote, every answer is a passing letter a customer could receive, and none of
its nonsense is delivered as the model's letter. Two live runs: eval/recordings/smollm2-135m
(plain text, temperature 0.2, two re-asks) and eval/recordings/smollm2-135m-ci (the settings of
CI's `make model-smoke`: negotiated output, temperature 0.4, one re-ask), each described in its
folder's README. A rule change that
alters a re-ask's prompt leaves that re-ask unrecorded; the replay then treats it as a model
that did not answer (the composer's letter, said as a fallback), so the test still holds every
delivered letter to the guardrails, and says how many re-asks it could not replay.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import guardrails
from contract.models import Draft
from eval.cases import load_cases
from eval.outcomes import headline
from eval.recording import RecordingMissing, ReplayProvider
from eval.reports import delivered_letter
from prompts.render import ChatMessage
from service.errors import AmendsError, UpstreamUnavailable
from service.pipeline import DISOWNED_RULE, build_pipeline
from service.providers.base import Completion, Job
from service.settings import Settings

RECORDINGS = Path(__file__).resolve().parents[1] / "eval" / "recordings"
RUNS = {"smollm2-135m": 2, "smollm2-135m-ci": 1}
"""Each recording and the re-asks its live run allowed."""
CASES = [
    "delayed_delivery",
    "wrong_item",
    "billing_error",
    "custom_hotel_room_luxury",
    "custom_missed_appointment_sms",
    "data_breach",
    "shipping_damage",
    "cancelled_order",
    "custom_gym_double_charge_chat",
    "b2b_delayed_delivery",
    "incorrect_invoice",
    "custom_colleague_handoff",
]


class _Replay(ReplayProvider):
    """The recording; a prompt it does not hold is a model that did not answer."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.missing = 0
        self.first_missing = 0

    async def complete(self, messages: list[ChatMessage], job: Job) -> Completion:
        try:
            return await super().complete(messages, job)
        except RecordingMissing as missing:
            self.missing += 1
            self.first_missing += len(messages) == 2  # a first draft: [system, user]
            raise UpstreamUnavailable(f"not in the recording: {missing}") from missing


@pytest.fixture(scope="module", params=sorted(RUNS))
def replayed(request: pytest.FixtureRequest) -> tuple[dict[str, Draft | AmendsError], _Replay]:
    provider = _Replay(RECORDINGS / request.param)
    # The live run's re-asks, no retry; every recorded answer is plain text (a negotiating run
    # stepped down to it). No model is waiting, so a busy machine must not turn a slow check
    # into a deadline error.
    settings = Settings(
        _env_file=None,
        provider="openai",
        llm_base_url="http://127.0.0.1:9/v1",
        llm_model="local",
        llm_structured_output="false",
        repair_attempts=RUNS[request.param],
        retry_attempts=1,
        on_failure="fallback",
        draft_deadline_s=900,
    )
    pipeline = build_pipeline(settings, provider=provider)

    async def run() -> dict[str, Draft | AmendsError]:
        answers: dict[str, Draft | AmendsError] = {}
        for case in load_cases(only=CASES):
            try:
                answers[case.id] = await pipeline.draft(case.request)
            except AmendsError as error:
                answers[case.id] = error
        return answers

    return asyncio.run(run()), provider


def test_every_answer_is_a_passing_letter_or_a_typed_error(
    replayed: tuple[dict[str, Draft | AmendsError], _Replay],
) -> None:
    answers, provider = replayed
    assert set(answers) == set(CASES)
    assert provider.first_missing == 0, "every first answer replays: the prompts are unchanged"
    requests = {case.id: case.request for case in load_cases(only=CASES)}
    letters, outcomes = [], []
    for case_id, answer in answers.items():
        if isinstance(answer, AmendsError):
            assert answer.status in {502, 503, 504}, (case_id, answer.message)
            outcomes.append(f"{case_id}: {answer.code}")
            continue
        assert answer.guardrails.passed, case_id
        report = guardrails.check(
            answer.body,
            subject=answer.subject,
            channel=answer.channel,
            context=requests[case_id],
        )
        assert [f.rule for f in report.errors] == [], case_id
        meta = answer.meta
        outcomes.append(
            f"{case_id}: {meta.written_by}, {meta.attempts} call(s)"
            + (f", fallback: {meta.fallback_reason}" if meta.fallback else "")
        )
        letters.append(delivered_letter(case_id, answer))
    # Shown with `pytest -s`: who wrote each delivered letter, and the letters themselves.
    print(f"\n{provider.missing} re-ask(s) not in the recording")
    print("\n".join(outcomes))
    print("\n\n".join(letters))


def test_smollm2s_nonsense_is_never_delivered_as_its_letter(
    replayed: tuple[dict[str, Draft | AmendsError], _Replay],
) -> None:
    answers, _ = replayed
    drafts = [a for a in answers.values() if isinstance(a, Draft)]
    figures = headline([d.meta for d in drafts], [d.body for d in drafts])
    # SmolLM2 writes about apologies in general, quotes its instructions and rambles past its
    # token budget: the composer writes these letters, saying why.
    assert figures.counts.get("fallback", 0) == len(drafts) == len(CASES)
    reasons = " ".join(d.meta.fallback_reason or "" for d in drafts)
    assert DISOWNED_RULE in reasons, "a letter salvage made pass was still not the model's"
    assert "truncated" in reasons, "an answer cut off at max_tokens replays as one"
    for draft in drafts:
        assert "good apology" not in draft.body.lower()
        assert "<customer_message>" not in draft.body
