"""Record a run against a respx-mocked model, then replay it offline byte for byte."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from contract.report import GuardrailReport
from eval.cases import load_cases
from eval.cli import main
from eval.recording import RecordingMissing, ReplayProvider, message_key
from eval.runner import RunOptions, make_pipeline, run_cases
from service.errors import UpstreamBadOutput
from service.pipeline import Pipeline
from service.providers.base import Completion
from service.settings import Settings

pytestmark = pytest.mark.anyio

CASES = load_cases(only=["delayed_delivery", "incorrect_pricing", "wrong_item"])
Body = Callable[..., dict[str, Any]]


def _answer_with_reference(body: Body) -> Callable[[httpx.Request], httpx.Response]:
    """The fake model drafts each case's first reference, found by its reference number."""

    def answer(request: httpx.Request) -> httpx.Response:
        prompt = request.content.decode()  # a re-ask repeats the original messages
        case = next(c for c in CASES if c.request.incident.reference in prompt)
        draft = {"subject": f"About {case.request.incident.reference}", "body": case.references[0]}
        return httpx.Response(
            200,
            json=body(json.dumps(draft), usage={"prompt_tokens": 11, "completion_tokens": 7}),
        )

    return answer


def _passing_check(self: Pipeline, completion: Completion, target: object) -> GuardrailReport:
    return GuardrailReport(passed=True, elements=[], findings=[])


@pytest.mark.parametrize("guardrails", ["real", "lenient"])
async def test_record_then_replay_gives_byte_identical_drafts(
    tmp_path: Path,
    settings: Settings,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Body,
    monkeypatch: pytest.MonkeyPatch,
    guardrails: str,
) -> None:
    """With the real guardrails a draft may be re-asked or fall back (more exchanges to
    record); with lenient ones every case keeps the model's draft, so bodies are compared."""
    if guardrails == "lenient":
        monkeypatch.setattr(Pipeline, "check", _passing_check)
    mocked_chat_completions.side_effect = _answer_with_reference(chat_completion_body)
    recordings = tmp_path / "recordings"

    pipeline, mode = make_pipeline(settings, RunOptions(provider="openai", record=recordings))
    recorded = await run_cases(CASES, pipeline, mode=mode)
    await pipeline.provider.aclose()  # type: ignore[attr-defined]
    calls = mocked_chat_completions.call_count
    assert mode == "openai" and calls >= len(CASES)
    files = sorted(recordings.glob("*.json"))
    assert 0 < len(files) <= calls  # identical re-asks share one recording

    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved["key"] == files[0].stem == message_key(saved["messages"])
    assert saved["provider"] == "openai" and saved["model"] == "test-model"

    pipeline, mode = make_pipeline(settings, RunOptions(provider="openai", replay=recordings))
    replayed = await run_cases(CASES, pipeline, mode=mode)
    assert mode == "replay"
    assert mocked_chat_completions.call_count == calls  # nothing went to the network

    assert [c.id for c in replayed.cases] == [c.id for c in recorded.cases]
    for before, after in zip(recorded.cases, replayed.cases, strict=True):
        assert (after.subject, after.body, after.error) == (
            before.subject,
            before.body,
            before.error,
        )
        assert [m.model_dump() for m in after.metrics] == [m.model_dump() for m in before.metrics]
        if before.meta is not None and after.meta is not None:
            assert after.meta.model_dump(exclude={"latency_ms"}) == before.meta.model_dump(
                exclude={"latency_ms"}
            )
    if guardrails == "lenient":
        for case, result in zip(CASES, replayed.cases, strict=True):
            assert result.body is not None
            assert result.body.encode() == case.references[0].encode()
            assert result.meta is not None and result.meta.provider == "openai"
            assert result.meta.usage.prompt_tokens == 11


def _write_recording(path: Path, *, key: str) -> None:
    """A valid recording file whose key matches no prompt the suite will render."""
    completion = {
        "subject": None,
        "body": "b",
        "model": "m",
        "prompt_tokens": 0,
        "completion_tokens": 0,
    }
    record = {
        "format": 1,
        "key": key,
        "provider": "openai",
        "model": "m",
        "can_repair": True,
        "messages": [],
        "completion": completion,
    }
    path.write_text(json.dumps(record), encoding="utf-8")


async def test_replay_of_an_unrecorded_prompt_is_a_clear_error(tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    _write_recording(recordings / "x.json", key="0" * 64)
    replay = ReplayProvider(recordings)
    with pytest.raises(RecordingMissing, match=r"no recording .* record again with --record"):
        await replay.complete([{"role": "user", "content": "hello"}], CASES[0].request)


def test_replay_needs_a_directory_with_recordings(tmp_path: Path) -> None:
    with pytest.raises(RecordingMissing, match="no such recording directory"):
        ReplayProvider(tmp_path / "missing")
    with pytest.raises(RecordingMissing, match="contains no recordings"):
        ReplayProvider(tmp_path)


def test_the_cli_reports_a_missing_recording_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    _write_recording(recordings / "stale.json", key="f" * 64)
    status = main(["--replay", str(recordings), "--case", "wrong_item", "--quiet"])
    assert status == 2
    assert "no recording" in capsys.readouterr().err


def test_message_keys_are_stable_and_order_sensitive() -> None:
    a = [{"role": "system", "content": "x"}, {"role": "user", "content": "y"}]
    assert message_key(a) == message_key([dict(m) for m in a])  # type: ignore[misc]
    assert message_key(a) != message_key(list(reversed(a)))  # type: ignore[arg-type]
    assert len(message_key(a)) == 64  # type: ignore[arg-type]


class _Counting:
    """A provider that answers "fresh" and counts its calls."""

    name, model, can_repair, structured = "openai", "m", True, False

    def __init__(self) -> None:
        self.calls = 0

    async def complete(self, messages: list[Any], job: object) -> Completion:
        self.calls += 1
        return Completion(
            subject=None, body="fresh", model="m", prompt_tokens=1, completion_tokens=1
        )


async def test_a_resumed_recording_answers_recorded_prompts_without_a_call(tmp_path: Path) -> None:
    from eval.recording import RecordingProvider

    messages = [{"role": "user", "content": "hello"}]
    _write_recording(tmp_path / f"{message_key(messages)}.json", key=message_key(messages))  # type: ignore[arg-type]
    inner = _Counting()
    resumed = RecordingProvider(inner, tmp_path, reuse=True)  # type: ignore[arg-type]
    assert (await resumed.complete(messages, CASES[0].request)).body == "b"  # type: ignore[arg-type]
    assert inner.calls == 0
    other = [{"role": "user", "content": "something new"}]
    assert (await resumed.complete(other, CASES[0].request)).body == "fresh"  # type: ignore[arg-type]
    assert inner.calls == 1 and (tmp_path / f"{message_key(other)}.json").exists()  # type: ignore[arg-type]
    fresh = RecordingProvider(inner, tmp_path)  # type: ignore[arg-type]
    assert (await fresh.complete(messages, CASES[0].request)).body == "fresh"  # type: ignore[arg-type]


class _Rambling:
    """A model that runs past max_tokens: its provider answers with `UpstreamBadOutput`."""

    name, model, can_repair, structured = "openai", "m", True, False

    def __init__(self) -> None:
        self.calls = 0

    async def complete(self, messages: list[Any], job: object) -> Completion:
        self.calls += 1
        raise UpstreamBadOutput("truncated: the model hit max_tokens before finishing the draft")


async def test_a_truncated_answer_is_recorded_and_replays_as_the_same_error(
    tmp_path: Path,
) -> None:
    from eval.recording import RecordingProvider

    messages = [{"role": "user", "content": "hello"}]
    recorder = RecordingProvider(_Rambling(), tmp_path)  # type: ignore[arg-type]
    with pytest.raises(UpstreamBadOutput):
        await recorder.complete(messages, CASES[0].request)  # type: ignore[arg-type]
    with pytest.raises(UpstreamBadOutput, match="truncated: the model hit max_tokens"):
        await ReplayProvider(tmp_path).complete(messages, CASES[0].request)  # type: ignore[arg-type]
    inner = _Rambling()
    resumed = RecordingProvider(inner, tmp_path, reuse=True)  # type: ignore[arg-type]
    with pytest.raises(UpstreamBadOutput):
        await resumed.complete(messages, CASES[0].request)  # type: ignore[arg-type]
    assert inner.calls == 0
