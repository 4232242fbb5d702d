"""A model run's honest headline: a fallback letter is never a model pass, each case says who
wrote its letter, and `--compare` puts two model runs' figures side by side."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from contract.models import Draft, DraftMeta, DraftRequest, SalvageEdit, Usage
from contract.report import CORE_ELEMENTS, ElementResult, GuardrailReport
from eval import runner
from eval.cases import load_cases
from eval.cli import main
from eval.outcomes import headline, model_calls, outcome_of
from service.errors import UpstreamBadOutput

IDS = ["delayed_delivery", "incorrect_pricing", "overbilling", "wrong_item"]
CASES = {case.id: case for case in load_cases(only=IDS)}
EDIT = SalvageEdit(rule="r", action="remove_sentence", before="We will refund $200.", after="")


def _meta(written_by: str, attempts: int, *, salvage: bool = False, tokens: int = 0) -> DraftMeta:
    return DraftMeta(
        provider="openai" if written_by == "model" else "offline",
        model="local" if written_by == "model" else "composer",
        attempts=attempts,
        fallback=written_by == "composer",
        fallback_reason="still failing" if written_by == "composer" else None,
        prompt_version="p1",
        latency_ms=1.0,
        usage=Usage(prompt_tokens=tokens, completion_tokens=tokens),
        salvage=[EDIT] if salvage else [],
        written_by=written_by,  # type: ignore[arg-type]
    )


STORIES = {
    "delayed_delivery": _meta("model", 1, tokens=500),
    "incorrect_pricing": _meta("model", 1, salvage=True, tokens=500),
    "overbilling": _meta("model", 2, tokens=1000),
    "wrong_item": _meta("composer", 3, tokens=1500),
}


@pytest.mark.parametrize(
    ("meta", "outcome", "calls"),
    [
        (STORIES["delayed_delivery"], "first_attempt", 1),
        (STORIES["incorrect_pricing"], "salvaged", 1),
        (STORIES["overbilling"], "re_asked", 2),
        (STORIES["wrong_item"], "fallback", 2),
        (None, "error", 0),
        (_meta("composer", 1).model_copy(update={"fallback": False}), "composer", 0),
    ],
)
def test_each_case_has_one_outcome_and_a_call_count(
    meta: DraftMeta | None, outcome: str, calls: int
) -> None:
    assert outcome_of(meta) == outcome
    assert model_calls(meta) == calls


def test_the_headline_counts_wasted_calls_against_delivered_letters() -> None:
    figures = headline([*STORIES.values(), None])
    assert figures.counts == {
        "first_attempt": 1,
        "salvaged": 1,
        "re_asked": 1,
        "fallback": 1,
        "error": 1,
    }
    assert (figures.delivered, figures.model_letters) == (4, 3)
    assert figures.calls_per_delivered == pytest.approx((1 + 1 + 2 + 2) / 4)
    assert figures.tokens_per_delivered == pytest.approx((1000 + 1000 + 2000 + 3000) / 4)
    rows = dict(figures.rows())
    assert rows["fallback (composer's letter)"] == "1 (20%)"
    assert rows["model calls per delivered letter"] == "1.50"


class ModelPipeline:
    """Drafts each case's reference as if a model wrote it, with the story in `STORIES`."""

    provider = SimpleNamespace(name="openai")

    def __init__(self, stories: dict[str, DraftMeta | None]) -> None:
        self.stories = stories

    async def draft(self, request: DraftRequest) -> Draft:
        case = next(c for c in CASES.values() if c.request == request)
        meta = self.stories[case.id]
        if meta is None:
            raise UpstreamBadOutput("the model returned empty content")
        report = GuardrailReport(
            passed=True,
            elements=[ElementResult(element=e, present=True) for e in CORE_ELEMENTS],
            findings=[],
        )
        return Draft(
            subject=f"About {case.id}",
            body=case.references[0],
            channel=request.channel,
            tone=request.tone,
            guardrails=report,
            meta=meta,
        )


def _run(monkeypatch: pytest.MonkeyPatch, stories: dict[str, DraftMeta | None], *args: str) -> int:
    monkeypatch.setattr(
        runner, "make_pipeline", lambda settings, options: (ModelPipeline(stories), "openai")
    )
    cases = [arg for case_id in IDS for arg in ("--case", case_id)]
    return main([*cases, "--quiet", "--no-semantic", "--provider", "openai", *args])


def test_a_fallback_letter_fails_the_model_run_and_every_row_names_its_writer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "run.md"
    assert _run(monkeypatch, dict(STORIES), "--output-md", str(report)) == 1
    out = capsys.readouterr().out
    assert "3 passed every gate" in out, "the composer's letter is not a model pass"
    assert "wrong_item: model_wrote (the composer wrote it (still failing))" in out
    assert "pass on first attempt             1 (25%)" in out
    assert "fallback (composer's letter)      1 (25%)" in out
    assert "model calls per delivered letter  1.50" in out
    assert "wrong_item: fallback, written by the composer; 2 model calls" in out
    assert "incorrect_pricing: salvaged, written by the model; 1 model call" in out
    assert "remove_sentence (r)" in out
    markdown = report.read_text(encoding="utf-8")
    assert "| wrong_item |" in markdown and "| composer | fallback |" in markdown
    assert "| model calls per delivered letter | 1.50 |" in markdown


def test_compare_puts_two_model_runs_headlines_side_by_side(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    _run(monkeypatch, dict(STORIES), "--output-json", str(before))
    better = dict(STORIES) | {"wrong_item": _meta("model", 1, salvage=True, tokens=500)}
    _run(monkeypatch, better, "--output-json", str(after))
    capsys.readouterr()
    main(["--compare", str(before), str(after)])
    out = capsys.readouterr().out
    assert "| fallback (composer's letter) | 1 (25%) | 0 (0%) |" in out
    assert "| pass after salvage | 1 (25%) | 2 (50%) |" in out
    assert "| model calls per delivered letter | 1.50 | 1.25 |" in out
    assert "| wrong_item | model_wrote | 0.000 | 1.000 | +1.000 |" in out
