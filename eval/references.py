"""`--check-references`: run the guardrails over every reference letter.

Each reference is written as a good apology for exactly its request, so a reference that fails
the guardrails points at a false positive in a rule (or at a reference that needs fixing).
The subject given to the guardrails is a plain stand-in for channels that have one, since
references are bodies only.
"""

from __future__ import annotations

from dataclasses import dataclass

import guardrails
from contract.catalog import get_catalog
from eval.cases import EvalCase

STAND_IN_SUBJECT = "About your recent experience with us"


@dataclass(frozen=True)
class ReferenceVerdict:
    case: str
    index: int
    passed: bool
    missing: list[str]
    rules: list[str]


def check_references(cases: list[EvalCase]) -> list[ReferenceVerdict]:
    verdicts = []
    for case in cases:
        channel = get_catalog().channels[case.request.channel]
        subject = STAND_IN_SUBJECT if channel.has_subject else None
        for index, reference in enumerate(case.references):
            report = guardrails.check(
                reference, subject=subject, channel=case.request.channel, context=case.request
            )
            missing = [e.element for e in report.elements if e.required and not e.present]
            rules = [f"{f.rule} ({f.excerpt!r})" if f.excerpt else f.rule for f in report.errors]
            verdicts.append(ReferenceVerdict(case.id, index + 1, report.passed, missing, rules))
    return verdicts


def format_verdicts(verdicts: list[ReferenceVerdict]) -> str:
    failed = [v for v in verdicts if not v.passed]
    lines = [f"Guardrails on reference letters: {len(verdicts) - len(failed)}/{len(verdicts)} pass"]
    for v in failed:
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(v.missing)}" if v.missing else "",
                ", ".join(r for r in v.rules if not r.startswith("elements.missing")),
            )
            if part
        )
        lines.append(f"  {v.case} #{v.index}: {detail}")
    return "\n".join(lines)
