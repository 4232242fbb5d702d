"""Every eval reference letter passes the guardrails when checked with its case's request.

The references are apologies written by people for exactly those requests, so an error on
one is a false positive of a rule (or a missed element written in natural wording): a real
model writing as well would be re-asked and replaced by the composer for no reason.
"""

from __future__ import annotations

import pytest

import guardrails
from contract.catalog import get_catalog
from eval.cases import EvalCase, load_cases
from eval.references import STAND_IN_SUBJECT

CASES = load_cases()
REFERENCES = [(case, index) for case in CASES for index in range(len(case.references))]


def test_every_case_has_references() -> None:
    assert len(REFERENCES) >= 53


@pytest.mark.parametrize(
    ("case", "index"), REFERENCES, ids=[f"{case.id}#{index + 1}" for case, index in REFERENCES]
)
def test_reference_draws_no_error(case: EvalCase, index: int) -> None:
    channel = get_catalog().channels[case.request.channel]
    report = guardrails.check(
        case.references[index],
        subject=STAND_IN_SUBJECT if channel.has_subject else None,
        channel=case.request.channel,
        context=case.request,
    )
    missing = [e.element for e in report.elements if e.required and not e.present]
    errors = [(f.rule, f.excerpt) for f in report.errors if f.rule != "elements.missing"]
    assert report.passed, f"missing {missing}; errors {errors}"
