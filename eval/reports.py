"""Human-readable reports: the terminal summary, the Markdown report and the JSON dump."""

from __future__ import annotations

from pathlib import Path

from eval.baseline import Comparison, Delta
from eval.results import RunResult
from eval.summary import fmt, summarise


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
    lines += ["", f"Wall time: {run.wall_time_s:.2f} s"]
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
    out += [
        "",
        "## Cases",
        "",
        "| case | channel | tone | gates | failing metrics | regressed |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for case in run.cases:
        failing = [m.name for m in case.metrics if m.status in ("fail", "error")]
        out.append(
            f"| {case.id} | {case.channel} | {case.tone} | "
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
