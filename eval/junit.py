"""JUnit XML for CI dashboards: one testcase per eval case.

A case fails when a gate fails or when any of its metrics regressed against the baseline; the
failure message names the metrics. Supporting metrics below their bar appear in system-out
only, because they never fail a case on their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from eval.baseline import Comparison
from eval.results import RunResult
from eval.summary import fmt


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
