"""`--compare A.json B.json`: two runs (or baselines) side by side, metric by metric."""

from __future__ import annotations

from pathlib import Path

from eval.baseline import Scores, compare, load_scores
from eval.summary import fmt, mean


def _means(scores: Scores) -> dict[str, float | None]:
    names = sorted({name for metrics in scores.cases.values() for name in metrics})
    return {
        name: mean([metrics[name].value for metrics in scores.cases.values() if name in metrics])
        for name in names
    }


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
