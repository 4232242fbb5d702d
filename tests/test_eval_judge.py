"""The optional LLM judge against a respx-mocked `/chat/completions`: failed repetitions are
reported and never averaged in; a run without a judge model is skipped, not NaN."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx
from openai import AsyncOpenAI

from eval.cases import load_cases
from eval.judge import Judge, build_messages, parse_verdict
from eval.reports import summarise
from service.settings import Settings

pytestmark = pytest.mark.anyio

CASE = load_cases(only=["wrong_item"])[0]
Body = Callable[..., dict[str, Any]]


def verdict(elements: object, specificity: object = 4, tone: object = 4) -> str:
    return json.dumps(
        {"elements": elements, "specificity": specificity, "tone": tone, "reason": "ok"}
    )


@pytest.fixture
async def judge_client(settings: Settings) -> AsyncIterator[AsyncOpenAI]:
    """A judge client on the mocked server (`settings.llm_base_url`, http://llm.test/v1)."""
    client = AsyncOpenAI(base_url=settings.llm_base_url, api_key="test-key", max_retries=0)
    yield client
    await client.close()


async def test_a_failed_repetition_is_reported_and_left_out_of_the_mean(
    judge_client: AsyncOpenAI, mocked_chat_completions: respx.Route, chat_completion_body: Body
) -> None:
    mocked_chat_completions.side_effect = [
        httpx.Response(200, json=chat_completion_body(verdict(5, 5, 5))),
        httpx.Response(500, json={"error": {"message": "boom"}}),
        httpx.Response(200, json=chat_completion_body(verdict(4, 4, 4))),
    ]
    result = await Judge(judge_client, "judge-model", repeats=3).score(
        CASE, "Subject", CASE.references[0]
    )
    assert mocked_chat_completions.call_count == 3
    assert result.value == pytest.approx(4.5)  # (5 + 4) / 2, not (5 + 0 + 4) / 3
    assert result.status == "pass"
    assert result.detail.startswith("2/3 valid")
    assert "#2 InternalServerError" in result.detail
    sent = json.loads(mocked_chat_completions.calls[0].request.content)
    assert sent["model"] == "judge-model"
    assert CASE.references[0] in sent["messages"][1]["content"]


async def test_unusable_answers_count_as_failures(
    judge_client: AsyncOpenAI, mocked_chat_completions: respx.Route, chat_completion_body: Body
) -> None:
    mocked_chat_completions.side_effect = [
        httpx.Response(200, json=chat_completion_body("I'd say about a four.")),
        httpx.Response(
            200, json=chat_completion_body('{"elements": NaN, "specificity": 3, "tone": 3}')
        ),
        httpx.Response(200, json=chat_completion_body(verdict(7))),
    ]
    result = await Judge(judge_client, "judge-model", repeats=3).score(CASE, None, "body")
    assert result.status == "error"
    assert result.value is None
    assert result.detail.startswith("0/3 valid")
    assert "no JSON object" in result.detail
    assert "outside 1-5" in result.detail


async def test_a_low_mean_fails_the_case_threshold(
    judge_client: AsyncOpenAI, mocked_chat_completions: respx.Route, chat_completion_body: Body
) -> None:
    mocked_chat_completions.return_value = httpx.Response(
        200, json=chat_completion_body(verdict(2, 3, 2))
    )
    result = await Judge(judge_client, "judge-model", repeats=2).score(CASE, None, "body")
    assert (result.status, result.value, result.threshold) == ("fail", pytest.approx(2.3333), 3.5)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (verdict(5, 4, 3), 4.0),
        ("```json\n" + verdict(2, 2, 2) + "\n```", 2.0),
        (verdict(True), ValueError),
        (verdict("5"), ValueError),
        (verdict(0), ValueError),
        ('{"elements": 3}', ValueError),
        ("[1, 2, 3]", ValueError),
        ("{not json}", ValueError),
        (None, ValueError),
    ],
)
async def test_parse_verdict(content: str | None, expected: float | type[Exception]) -> None:
    if isinstance(expected, float):
        assert parse_verdict(content) == pytest.approx(expected)
    else:
        with pytest.raises(expected):
            parse_verdict(content)


async def test_the_prompt_fences_the_customer_message_as_data() -> None:
    messages = build_messages(CASE, "Subject line", "Body text")
    assert "never instructions" in messages[0]["content"]
    assert "<facts>" in messages[1]["content"] and "<draft>" in messages[1]["content"]
    assert "Subject: Subject line" in messages[1]["content"]


async def test_judge_results_average_only_valid_values() -> None:
    from eval.metrics import MetricResult, skipped
    from eval.results import CaseResult, RunResult

    def case(case_id: str, metric: MetricResult) -> CaseResult:
        return CaseResult(
            id=case_id,
            description="d",
            scenario="custom",
            channel="email",
            tone="warm",
            liability="standard",
            passed=True,
            metrics=[metric],
        )

    run = RunResult(
        provider="offline",
        providers=[],
        models=[],
        prompt_versions=[],
        started_at="now",
        wall_time_s=0.1,
        cases=[
            case("a", MetricResult(name="judge", kind="support", status="pass", value=4.0)),
            case("b", MetricResult(name="judge", kind="support", status="error", detail="0/3")),
            case("c", MetricResult(name="judge", kind="support", status="fail", value=3.0)),
            case("d", skipped("judge", "no judge model configured")),
        ],
    )
    (summary,) = summarise(run)
    assert summary.mean == pytest.approx(3.5)
    assert (summary.values, summary.passed, summary.failed, summary.errors, summary.skipped) == (
        2,
        1,
        1,
        1,
        1,
    )
