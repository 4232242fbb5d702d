"""Runs, baselines and reports end to end through `eval.cli.main`.

Most tests draft with a fake pipeline that returns each case's own first reference (so every
gate passes) and lets a test make one draft deliberately worse; the last test breaks the real
offline composer by monkeypatching and checks that the baseline catches it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import respx

from contract.models import Draft, DraftMeta, DraftRequest
from contract.report import CORE_ELEMENTS, ElementResult, GuardrailReport
from eval import runner
from eval.cases import load_cases
from eval.cli import main

IDS = ["delayed_delivery", "incorrect_pricing", "overbilling"]
CASES = {case.id: case for case in load_cases(only=IDS)}
Mutate = Callable[[str, str], str]


class ReferencePipeline:
    """Drafts each case's first reference, passed through `mutate(case_id, body)`."""

    provider = SimpleNamespace(name="fake")

    def __init__(self, mutate: Mutate | None = None) -> None:
        self.mutate = mutate or (lambda _case_id, body: body)

    async def draft(self, request: DraftRequest) -> Draft:
        case = next(c for c in CASES.values() if c.request == request)
        report = GuardrailReport(
            passed=True,
            elements=[ElementResult(element=e, present=True) for e in CORE_ELEMENTS],
            findings=[],
        )
        meta = DraftMeta(
            provider="fake", model="reference", attempts=1, prompt_version="p1", latency_ms=1.0
        )
        return Draft(
            subject=f"About {case.id}",
            body=self.mutate(case.id, case.references[0]),
            channel=request.channel,
            tone=request.tone,
            guardrails=report,
            meta=meta,
        )


@pytest.fixture
def use_pipeline(monkeypatch: pytest.MonkeyPatch) -> Callable[[Mutate | None], None]:
    def install(mutate: Mutate | None = None) -> None:
        monkeypatch.setattr(
            runner, "make_pipeline", lambda settings, options: (ReferencePipeline(mutate), "fake")
        )

    return install


def run(*args: str | Path) -> int:
    cases = [arg for case_id in IDS for arg in ("--case", case_id)]
    return main([*cases, "--quiet", "--no-semantic", *map(str, args)])


def update_baseline(path: Path, cases: Path) -> int:
    return main(
        [
            "--quiet",
            "--no-semantic",
            "--update-baseline",
            "--baseline",
            str(path),
            "--cases",
            str(cases),
        ]
    )


def wrong_amount(case_id: str, body: str) -> str:
    return body.replace("$8.50", "$18.50") if case_id == "delayed_delivery" else body


def reordered(case_id: str, body: str) -> str:
    """Same facts and length, sentences in reverse order: ROUGE-L drops, the gates do not."""
    if case_id != "overbilling":
        return body
    return "\n\n".join(reversed(body.split("\n\n")))


def test_a_clean_run_exits_0_and_prints_the_summary(
    use_pipeline: Callable[[Mutate | None], None], capsys: pytest.CaptureFixture[str]
) -> None:
    use_pipeline(None)
    assert run() == 0
    out = capsys.readouterr().out
    assert "3 cases, 3 passed every gate" in out
    assert "Wall time:" in out
    assert "rouge_l" in out and "judge" in out


def test_a_failing_gate_without_a_baseline_exits_1(
    use_pipeline: Callable[[Mutate | None], None], capsys: pytest.CaptureFixture[str]
) -> None:
    use_pipeline(wrong_amount)
    assert run() == 1
    assert "delayed_delivery: fact_must_state (missing: $8.50)" in capsys.readouterr().out


def test_a_worse_draft_regresses_and_the_reports_name_the_case_and_metric(
    tmp_path: Path, use_pipeline: Callable[[Mutate | None], None]
) -> None:
    baseline = tmp_path / "baseline.json"
    use_pipeline(None)
    assert run("--update-baseline", "--baseline", baseline) == 2  # needs the full case set
    assert update_baseline(baseline, _subset(tmp_path)) == 0
    assert run("--baseline", baseline) == 0

    use_pipeline(wrong_amount)
    report, junit, output = tmp_path / "r.md", tmp_path / "r.xml", tmp_path / "r.json"
    status = run(
        "--baseline",
        baseline,
        "--output-md",
        report,
        "--output-junit",
        junit,
        "--output-json",
        output,
    )
    assert status == 1

    markdown = report.read_text(encoding="utf-8")
    regressions = markdown.split("## Regressions against the baseline")[1].split("## Metrics")[0]
    assert "| delayed_delivery | fact_must_state | 1.000 (pass) | 0.833 (fail) | -0.167 |" in (
        regressions
    )
    assert "| delayed_delivery | fact_unsupported |" in regressions
    assert "overbilling" not in regressions and "incorrect_pricing" not in regressions
    assert "| delayed_delivery | email | warm | composer | composer | **FAIL** |" in markdown

    suite = ET.parse(junit).getroot()
    assert (suite.tag, suite.get("tests"), suite.get("failures")) == ("testsuite", "3", "1")
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["delayed_delivery"]
    message = failed[0].find("failure").get("message")  # type: ignore[union-attr]
    assert "fact_must_state" in str(message) and "fact_unsupported" in str(message)

    data = json.loads(output.read_text(encoding="utf-8"))
    case = next(c for c in data["cases"] if c["id"] == "delayed_delivery")
    assert "$18.50" in case["body"]
    assert case["meta"]["provider"] == "fake"
    assert {m["name"] for m in case["metrics"]} >= {"fact_must_state", "rouge_l", "judge"}


def test_a_supporting_metric_fails_only_beyond_its_tolerance(
    tmp_path: Path,
    use_pipeline: Callable[[Mutate | None], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    baseline = tmp_path / "baseline.json"
    use_pipeline(None)
    assert update_baseline(baseline, _subset(tmp_path)) == 0
    capsys.readouterr()

    use_pipeline(lambda case_id, body: body.replace("Kind regards", "Best regards"))
    assert run("--baseline", baseline) == 0  # a tiny wording change is within tolerance

    use_pipeline(reordered)
    assert run("--baseline", baseline) == 1
    out = capsys.readouterr().out
    assert "REGRESSION overbilling / rouge_l" in out
    assert "tolerance 0.05" in out
    assert "3 passed every gate" in out  # the gates still pass: it is the supporting metric


def test_the_baseline_is_byte_stable_across_identical_runs(
    tmp_path: Path, use_pipeline: Callable[[Mutate | None], None]
) -> None:
    use_pipeline(None)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        assert update_baseline(path, _subset(tmp_path)) == 0
    assert first.read_bytes() == second.read_bytes()
    data = json.loads(first.read_text(encoding="utf-8"))
    assert set(data["cases"]) == set(IDS)
    assert "semantic" not in data["cases"]["overbilling"]  # skipped metrics are not stored


def test_compare_shows_two_runs_side_by_side(
    tmp_path: Path,
    use_pipeline: Callable[[Mutate | None], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    use_pipeline(None)
    run("--output-json", a)
    use_pipeline(wrong_amount)
    run("--output-json", b)
    capsys.readouterr()
    assert main(["--compare", str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "| provider | fake | fake |" in out
    assert "| prompt versions | p1 | p1 |" in out
    assert "| delayed_delivery | fact_must_state | 1.000 | 0.833 | -0.167 |" in out
    assert main(["--compare", str(a), str(a)]) == 0
    assert main(["--compare", str(a), str(tmp_path / "missing.json")]) == 2


def test_a_broken_composer_makes_the_real_offline_run_exit_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.composer import ComposedDraft, compose_draft
    from service.providers import offline

    baseline = tmp_path / "baseline.json"
    subset = _subset(tmp_path)
    assert update_baseline(baseline, subset) == 0
    before = json.loads(baseline.read_text(encoding="utf-8"))["cases"]
    passing = [cid for cid, m in before.items() if m["guardrails"]["status"] == "pass"]
    assert passing, "no case passes the real pipeline, so nothing could regress"

    def broken(request: DraftRequest) -> ComposedDraft:
        draft = compose_draft(request)
        return ComposedDraft(subject=draft.subject, body=draft.body.split("\n\n")[0])

    monkeypatch.setattr(offline, "compose_draft", broken)
    capsys.readouterr()
    assert (
        main(["--quiet", "--no-semantic", "--baseline", str(baseline), "--cases", str(subset)]) == 1
    )
    out = capsys.readouterr().out
    assert any(f"REGRESSION {case_id} / " in out for case_id in passing)


def _subset(tmp_path: Path) -> Path:
    """A case directory holding only the IDS cases (for --update-baseline, which needs all)."""
    from eval.cases import CASES_DIR

    directory = tmp_path / "cases"
    if not directory.exists():
        directory.mkdir()
        for case_id in IDS:
            source = CASES_DIR / f"{case_id}.yaml"
            (directory / source.name).write_text(source.read_text(encoding="utf-8"))
    return directory


def test_check_references_names_a_reference_the_guardrails_reject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = _subset(tmp_path)
    path = directory / "incorrect_pricing.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("references:\n", "references:\n  - ok thanks\n"),
        encoding="utf-8",
    )
    assert (
        main(["--check-references", "--cases", str(directory), "--case", "incorrect_pricing"]) == 1
    )
    out = capsys.readouterr().out
    assert "incorrect_pricing #1: missing " in out
    assert out.startswith("Guardrails on reference letters: ")


def test_the_cli_runs_the_judge_when_a_model_is_configured(
    tmp_path: Path,
    use_pipeline: Callable[[Mutate | None], None],
    monkeypatch: pytest.MonkeyPatch,
    mocked_chat_completions: respx.Route,
    chat_completion_body: Callable[..., dict[str, object]],
) -> None:
    monkeypatch.setenv("AMENDS_LLM_BASE_URL", "http://llm.test/v1")
    monkeypatch.setenv("AMENDS_EVAL_JUDGE_MODEL", "judge-from-env")
    verdict = json.dumps({"elements": 5, "specificity": 4, "tone": 4, "reason": "fine"})
    mocked_chat_completions.return_value = httpx.Response(200, json=chat_completion_body(verdict))
    use_pipeline(None)
    output = tmp_path / "run.json"
    assert run("--judge-repeats", "2", "--output-json", output) == 0
    assert mocked_chat_completions.call_count == 2 * len(IDS)
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["judge_model"] == "judge-from-env"
    for case in data["cases"]:
        judge = next(m for m in case["metrics"] if m["name"] == "judge")
        assert (judge["status"], judge["value"]) == ("pass", pytest.approx(4.3333, abs=1e-4))
        assert judge["detail"].startswith("2/2 valid; model judge-from-env")
