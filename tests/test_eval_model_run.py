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
    assert "salvage changed " in out and "not counted as the model's pass" not in out
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


def _draft(meta: DraftMeta) -> Draft:
    report = GuardrailReport(passed=True, elements=[], findings=[])
    return Draft(
        subject="Your order",
        body="Dear Sam,\n\nWe are sorry.",
        channel="email",
        tone="warm",
        guardrails=report,
        meta=meta,
    )


def test_a_delivered_letter_is_shown_whole_with_its_author_and_every_salvage_edit() -> None:
    from eval.reports import delivered_letter

    text = delivered_letter("delayed_delivery", _draft(STORIES["incorrect_pricing"]))
    assert text.splitlines()[0] == (
        "=== delayed_delivery: written by the model; 1 salvage edit(s) ==="
    )
    assert "Subject: Your order\nDear Sam,\n\nWe are sorry." in text
    assert "remove_sentence (r): 'We will refund $200.' -> ''" in text

    fallback = delivered_letter("wrong_item", _draft(STORIES["wrong_item"]))
    assert "written by the composer (fallback: still failing); 0 salvage edit(s)" in fallback
    assert fallback.endswith("--- no salvage edits")


def _salvaged(*edits: tuple[str, str]) -> DraftMeta:
    meta = _meta("model", 1)
    return meta.model_copy(
        update={
            "salvage": [
                SalvageEdit(rule="r", action="replace", before=b, after=a) for b, a in edits
            ]
        }
    )


@pytest.mark.parametrize(
    ("edits", "body", "share", "outcome"),
    [
        # 10 of the model's 40 characters cut: a quarter, still the model's (salvaged) pass.
        ([("x" * 10, "")], "y" * 30, 0.25, "salvaged"),
        # Half the model's letter cut: at the limit, still the model's.
        ([("x" * 20, "")], "y" * 20, 0.5, "salvaged"),
        # 30 of 40 characters replaced by 30 of salvage's: (30 + 30) / (40 + 30) > 0.5.
        ([("x" * 30, "z" * 30)], "y" * 10 + "z" * 30, 60 / 70, "rewritten"),
        # A whole letter replaced is all salvage's.
        ([("x" * 40, "z" * 40)], "z" * 40, 1.0, "rewritten"),
    ],
)
def test_a_letter_salvage_mostly_rewrote_is_not_the_models_pass(
    edits: list[tuple[str, str]], body: str, share: float, outcome: str
) -> None:
    from eval.outcomes import rewritten_share

    meta = _salvaged(*edits)
    assert rewritten_share(meta, body) == pytest.approx(share)
    assert outcome_of(meta, body) == outcome
    figures = headline([meta], [body])
    assert figures.model_letters == (1 if outcome == "salvaged" else 0)
    assert dict(figures.rows())["mostly rewritten by salvage"] == (
        "1 (100%)" if outcome == "rewritten" else "0 (0%)"
    )


def test_the_headline_refuses_bodies_that_do_not_match_the_cases() -> None:
    with pytest.raises(ValueError, match="2 metas but 1 bodies"):
        headline([STORIES["delayed_delivery"], None], ["a letter"])


def test_a_case_row_says_when_salvage_wrote_most_of_the_letter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rewritten = _salvaged(("x" * 5000, ""))
    _run(monkeypatch, dict(STORIES) | {"incorrect_pricing": rewritten})
    out = capsys.readouterr().out
    assert "pass after salvage                0 (0%)" in out
    assert "mostly rewritten by salvage       1 (25%)" in out
    assert "incorrect_pricing: rewritten, written by the model" in out
    assert "(mostly salvage's text: not counted as the model's pass)" in out
