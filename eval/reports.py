"""Every report of a run: the aggregates, the terminal summary, the Markdown report, the JSON
dump, JUnit XML and the side-by-side comparison of two runs (`--compare A.json B.json`).

Aggregates are per-metric means over the values that exist, and status counts. A metric whose
value is missing (skipped, error) is counted as such and left out of the mean; a mean over no
values is None ("n/a"), never NaN.

JUnit XML, for CI dashboards, has one testcase per eval case. A case fails when a gate fails or
when any of its metrics regressed against the baseline; the failure message names the metrics.
Supporting metrics below their bar appear in system-out only, because they never fail a case on
their own.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from contract.models import Draft
from eval.baseline import Comparison, Delta, Scores, compare, load_scores
from eval.metrics import GATES
from eval.outcomes import (
    MODEL_MODES,
    REWRITE_LIMIT,
    headline,
    model_calls,
    model_tokens,
    rewritten_share,
)
from eval.results import CaseResult, RunResult

# --- aggregates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricSummary:
    name: str
    kind: str
    mean: float | None
    values: int
    passed: int
    failed: int
    skipped: int
    errors: int


def mean(values: list[float | None]) -> float | None:
    """The mean of the finite values; None if there are none."""
    usable = [v for v in values if v is not None and math.isfinite(v)]
    return sum(usable) / len(usable) if usable else None


def summarise(run: RunResult) -> list[MetricSummary]:
    names: dict[str, str] = {}
    for case in run.cases:
        for metric in case.metrics:
            names.setdefault(metric.name, metric.kind)
    ordered = [n for n in GATES if n in names] + [n for n in names if n not in GATES]
    summaries = []
    for name in ordered:
        results = [m for case in run.cases for m in case.metrics if m.name == name]
        summaries.append(
            MetricSummary(
                name=name,
                kind=names[name],
                mean=mean([m.value for m in results if m.status in ("pass", "fail")]),
                values=sum(m.value is not None for m in results),
                passed=sum(m.status == "pass" for m in results),
                failed=sum(m.status == "fail" for m in results),
                skipped=sum(m.status == "skipped" for m in results),
                errors=sum(m.status == "error" for m in results),
            )
        )
    return summaries


def fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


# --- terminal, Markdown and JSON ----------------------------------------------------------


def _describe_provider(run: RunResult) -> str:
    models = ", ".join(run.models) or "n/a"
    prompts = ", ".join(run.prompt_versions) or "n/a"
    drafted_by = ", ".join(run.providers) or "none"
    return f"provider {run.provider} (drafts by {drafted_by}; model {models}; prompts {prompts})"


def _delta_cell(delta: Delta) -> tuple[str, str, str]:
    def show(score: object) -> str:
        if score is None:
            return "—"
        value = getattr(score, "value", None)
        status = getattr(score, "status", "")
        return f"{fmt(value)} ({status})" if value is not None else str(status)

    change = delta.change
    return show(delta.before), show(delta.after), "" if change is None else f"{change:+.3f}"


def terminal_summary(run: RunResult, comparison: Comparison | None = None) -> str:
    lines = [
        f"Amends eval: {len(run.cases)} cases, {run.passed} passed every gate — "
        + _describe_provider(run),
        "",
        f"{'metric':<22}{'kind':<9}{'mean':>9}{'pass':>6}{'fail':>6}{'skip':>6}{'err':>5}",
    ]
    for s in summarise(run):
        lines.append(
            f"{s.name:<22}{s.kind:<9}{fmt(s.mean):>9}{s.passed:>6}{s.failed:>6}"
            f"{s.skipped:>6}{s.errors:>5}"
        )
    failing = [case for case in run.cases if not case.passed]
    if failing:
        lines += ["", "Cases failing a gate:"]
        for case in failing:
            gates = ", ".join(
                f"{m.name} ({m.detail})" if m.detail else m.name for m in case.failed_gates
            )
            lines.append(f"  {case.id}: {case.error or gates}")
    if comparison is not None:
        lines += ["", _comparison_line(comparison)]
        for delta in comparison.regressions:
            before, after, change = _delta_cell(delta)
            lines.append(
                f"  REGRESSION {delta.case} / {delta.metric}: {before} → {after} "
                f"{change} — {delta.reason}"
            )
    if is_model_run(run):
        lines += ["", *model_lines(run)]
    lines += ["", f"Wall time: {run.wall_time_s:.2f} s"]
    return "\n".join(lines)


def is_model_run(run: RunResult) -> bool:
    return run.provider in MODEL_MODES


def model_lines(run: RunResult) -> list[str]:
    """The model headline, then one line per case saying who wrote the final letter."""
    figures = headline([case.meta for case in run.cases], [case.body for case in run.cases])
    lines = [f"Model run ({figures.cases} cases): who wrote the delivered letters"]
    lines += [f"  {label:<34}{value}" for label, value in figures.rows()]
    lines += ["", "Per case:"]
    lines += [f"  {case.id}: {_case_story(case)}" for case in run.cases]
    return lines


def _case_story(case: CaseResult) -> str:
    meta = case.meta
    if meta is None:
        return f"error, nothing delivered ({case.error})"
    calls = model_calls(meta)
    text = (
        f"{case.outcome or '?'}, written by the {meta.written_by}; "
        f"{calls} model call{'s' if calls != 1 else ''}, {model_tokens(meta):,} tokens"
    )
    if meta.salvage:
        text += f"; {len(meta.salvage)} salvage edit(s): " + ", ".join(
            f"{edit.action} ({edit.rule})" for edit in meta.salvage
        )
        if case.body is not None and meta.written_by == "model":
            share = rewritten_share(meta, case.body)
            text += f"; salvage changed {share:.0%} of the letter"
            if share > REWRITE_LIMIT:
                text += " (mostly salvage's text: not counted as the model's pass)"
    return text


def delivered_letter(label: str, draft: Draft) -> str:
    """A delivered letter as a reader sees it, headed by who wrote it and followed by every
    salvage edit (rule, action, text out and text in), so a smoke run's output shows what
    reached the caller and how much of it the service rewrote."""
    meta = draft.meta
    head = f"=== {label}: written by the {meta.written_by}"
    if meta.fallback:
        head += f" (fallback: {meta.fallback_reason})"
    head += f"; {len(meta.salvage)} salvage edit(s) ==="
    lines = [head]
    if draft.subject:
        lines.append(f"Subject: {draft.subject}")
    lines += [draft.body, "--- salvage edits:" if meta.salvage else "--- no salvage edits"]
    lines += [
        f"  {edit.action} ({edit.rule}): {edit.before!r} -> {edit.after!r}" for edit in meta.salvage
    ]
    return "\n".join(lines)


def _comparison_line(comparison: Comparison) -> str:
    text = f"Against the baseline: {len(comparison.regressions)} regression(s)"
    if comparison.new_cases:
        text += f"; new cases: {', '.join(comparison.new_cases)}"
    if comparison.missing_cases:
        text += f"; not run (in the baseline): {', '.join(comparison.missing_cases)}"
    return text


def markdown_report(run: RunResult, comparison: Comparison | None = None) -> str:
    out = [
        "# Amends eval report",
        "",
        f"- {_describe_provider(run)}",
        f"- started {run.started_at}, wall time {run.wall_time_s:.2f} s",
        f"- {len(run.cases)} cases, **{run.passed} passed every gate**, "
        f"{len(run.cases) - run.passed} failed",
        "",
    ]
    if comparison is not None:
        out += ["## Regressions against the baseline", "", _comparison_line(comparison), ""]
        if comparison.regressions:
            out += [
                "| case | metric | baseline | now | change | why |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for delta in comparison.regressions:
                before, after, change = _delta_cell(delta)
                out.append(
                    f"| {delta.case} | {delta.metric} | {before} | {after} | {change} | "
                    f"{delta.reason} |"
                )
            out.append("")
    out += [
        "## Metrics",
        "",
        "| metric | kind | mean | pass | fail | skipped | error |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in summarise(run):
        out.append(
            f"| {s.name} | {s.kind} | {fmt(s.mean)} | {s.passed} | {s.failed} | "
            f"{s.skipped} | {s.errors} |"
        )
    regressed = set(comparison.regressed_cases()) if comparison else set()
    if is_model_run(run):
        out += ["", "## Model run", "", "| figure | value |", "| --- | --- |"]
        figures = headline([case.meta for case in run.cases], [case.body for case in run.cases])
        out += [f"| {label} | {value} |" for label, value in figures.rows()]
    out += [
        "",
        "## Cases",
        "",
        "| case | channel | tone | written by | outcome | gates | failing metrics | regressed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for case in run.cases:
        failing = [m.name for m in case.metrics if m.status in ("fail", "error")]
        writer = case.meta.written_by if case.meta else "nobody"
        out.append(
            f"| {case.id} | {case.channel} | {case.tone} | {writer} | {case.outcome or '—'} | "
            f"{'pass' if case.passed else '**FAIL**'} | {', '.join(failing) or '—'} | "
            f"{'**yes**' if case.id in regressed else ''} |"
        )
    details = [case for case in run.cases if not case.passed]
    if details:
        out += ["", "## Gate failures", ""]
        for case in details:
            out.append(
                f"- **{case.id}**: "
                + (
                    case.error
                    or "; ".join(f"`{m.name}` {m.detail}".rstrip() for m in case.failed_gates)
                )
            )
    return "\n".join(out) + "\n"


def write_json(run: RunResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(run.model_dump_json(indent=2) + "\n", encoding="utf-8")


def write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- JUnit XML ----------------------------------------------------------------------------


def junit_xml(run: RunResult, comparison: Comparison | None = None) -> str:
    regressions = comparison.regressions if comparison else []
    suite = ET.Element(
        "testsuite",
        {
            "name": "amends-eval",
            "tests": str(len(run.cases)),
            "time": f"{run.wall_time_s:.3f}",
            "timestamp": run.started_at,
        },
    )
    failures = errors = 0
    for case in run.cases:
        element = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": f"eval.{case.scenario}",
                "name": case.id,
                "time": f"{(case.meta.latency_ms / 1000) if case.meta else 0:.3f}",
            },
        )
        mine = [delta for delta in regressions if delta.case == case.id]
        if case.error is not None:
            errors += 1
            ET.SubElement(element, "error", {"message": case.error}).text = case.error
        elif case.failed_gates or mine:
            failures += 1
            lines = [f"gate {m.name}: {m.status} {m.detail}".rstrip() for m in case.failed_gates]
            lines += [f"regression {d.metric}: {d.reason}" for d in mine]
            names = sorted({m.name for m in case.failed_gates} | {d.metric for d in mine})
            failure = ET.SubElement(element, "failure", {"message": "failed: " + ", ".join(names)})
            failure.text = "\n".join(lines)
        ET.SubElement(element, "system-out").text = "\n".join(
            f"{m.name} [{m.kind}] {m.status} value={fmt(m.value)} {m.detail}".rstrip()
            for m in case.metrics
        )
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(run: RunResult, path: Path, comparison: Comparison | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(junit_xml(run, comparison), encoding="utf-8")


# --- two runs side by side ----------------------------------------------------------------


def _means(scores: Scores) -> dict[str, float | None]:
    names = sorted({name for metrics in scores.cases.values() for name in metrics})
    return {
        name: mean([metrics[name].value for metrics in scores.cases.values() if name in metrics])
        for name in names
    }


def _run_of(path: Path) -> RunResult | None:
    """The run in a `--output-json` file, or None for a baseline (which has no metas)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        return RunResult.model_validate(data)
    return None


def side_by_side(path_a: Path, path_b: Path) -> tuple[str, int]:
    """The comparison as Markdown-friendly text, and how many metrics regressed from A to B."""
    a, b = load_scores(path_a), load_scores(path_b)
    lines = [
        f"| | A: {path_a.name} | B: {path_b.name} |",
        "| --- | --- | --- |",
        f"| provider | {a.provider} | {b.provider} |",
        f"| models | {', '.join(a.models) or '—'} | {', '.join(b.models) or '—'} |",
        f"| prompt versions | {', '.join(a.prompt_versions) or '—'} | "
        f"{', '.join(b.prompt_versions) or '—'} |",
        f"| cases | {len(a.cases)} | {len(b.cases)} |",
        "",
        "| metric | mean A | mean B | change |",
        "| --- | --- | --- | --- |",
    ]
    run_a, run_b = _run_of(path_a), _run_of(path_b)
    if run_a is not None and run_b is not None:
        first = headline([c.meta for c in run_a.cases], [c.body for c in run_a.cases]).rows()
        second = headline([c.meta for c in run_b.cases], [c.body for c in run_b.cases]).rows()
        lines[-3:-3] = [
            f"| {label} | {value_a} | {value_b} |"
            for (label, value_a), (_, value_b) in zip(first, second, strict=True)
        ]
    means_a, means_b = _means(a), _means(b)
    for name in sorted(set(means_a) | set(means_b)):
        va, vb = means_a.get(name), means_b.get(name)
        change = f"{vb - va:+.3f}" if va is not None and vb is not None else ""
        lines.append(f"| {name} | {fmt(va)} | {fmt(vb)} | {change} |")
    comparison = compare(a, b)
    moved = [d for d in comparison.deltas if d.regressed or (d.change or 0.0) != 0.0]
    if moved:
        lines += [
            "",
            "| case | metric | A | B | change | regression |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for d in moved:
            before = fmt(d.before.value) if d.before else "—"
            after = fmt(d.after.value) if d.after else "—"
            change = "" if d.change is None else f"{d.change:+.3f}"
            lines.append(
                f"| {d.case} | {d.metric} | {before} | {after} | {change} | "
                f"{d.reason if d.regressed else ''} |"
            )
    for label, ids in (
        ("only in A", comparison.missing_cases),
        ("only in B", comparison.new_cases),
    ):
        if ids:
            lines += ["", f"{label}: {', '.join(ids)}"]
    return "\n".join(lines) + "\n", len(comparison.regressions)
