"""The labelled corpus: every sentence and letter in `corpus/` checked in both directions —
good wording draws no finding (or no error), bad wording draws the expected rule at the
expected place."""

from __future__ import annotations

from typing import Any

import pytest
from guardrail_corpus import build_context, load_corpus

from guardrails import Finding, check

SENTENCES: list[dict[str, Any]] = load_corpus("sentences.yaml")
LETTERS: list[dict[str, Any]] = load_corpus("letters.yaml")


def _check_elements(case: dict[str, Any], present: dict[str, bool]) -> None:
    """The elements a case labels `present` are found, and those labelled `absent` are not."""
    missed = [name for name in case.get("present", []) if not present[name]]
    wrongly = [name for name in case.get("absent", []) if present[name]]
    assert not missed, f"not found: {missed}"
    assert not wrongly, f"found although absent: {wrongly}"


def _covers(finding: Finding, text: str, excerpt: str) -> bool:
    """The finding covers the expected excerpt where it occurs in the text."""
    at = text.find(excerpt)
    return at >= 0 and finding.start <= at and at + len(excerpt) <= finding.end


def test_corpus_is_big_enough() -> None:
    assert len(SENTENCES) >= 80
    assert len(LETTERS) >= 20
    assert {case["expect"] for case in SENTENCES} >= {
        "none",
        "liability",
        "non_apology",
        "blame",
        "guarantee",
        "commitments",
        "privacy",
        "placeholder",
        "artefacts",
        "tone",
    }
    assert len({letter["channel"] for letter in LETTERS}) >= 6
    labelled = [case for case in SENTENCES if case.get("present") or case.get("absent")]
    assert len(labelled) >= 45
    assert {e for case in labelled for e in case.get("absent", [])} >= {
        "responsibility",
        "amends",
        "prevention",
        "invitation",
        "close",
        "regret",
    }


@pytest.mark.parametrize("case", SENTENCES, ids=[c["text"][:50] for c in SENTENCES])
def test_sentence(case: dict[str, Any]) -> None:
    text = case["text"]
    context = build_context(case.get("context"), case.get("liability"), case.get("tone"))
    report = check(text, channel="sms", context=context)
    # A sentence is not a letter: missing elements and remedies it does not mention are
    # expected and not what is tested.
    findings = [
        f
        for f in report.findings
        if f.rule not in ("elements.missing", "commitments.omitted_remedy")
    ]
    _check_elements(case, {e.element: e.present for e in report.elements})
    if case["expect"] == "none":
        assert findings == [], [(f.rule, f.excerpt) for f in findings]
        return
    assert case["excerpt"] in text, "corpus error: excerpt not in text"
    family = [f for f in findings if f.rule.split(".")[0] == case["expect"]]
    assert family, f"no {case['expect']} finding in {[(f.rule, f.excerpt) for f in findings]}"
    assert any(_covers(f, text, case["excerpt"]) for f in family), [
        (f.rule, f.start, f.end, f.excerpt) for f in family
    ]


@pytest.mark.parametrize("letter", LETTERS, ids=[letter["name"] for letter in LETTERS])
def test_letter(letter: dict[str, Any]) -> None:
    body = letter["body"].strip()
    report = check(
        body,
        subject=letter.get("subject"),
        channel=letter["channel"],
        context=build_context(letter.get("context")),
    )
    summary = [(f.rule, f.excerpt) for f in report.errors]
    _check_elements(letter, {e.element: e.present for e in report.elements})
    if not letter["findings"]:
        assert report.passed, summary
        assert all(e.present for e in report.elements if e.required)
        return
    assert not report.passed
    for expected in letter["findings"]:
        matching = [f for f in report.findings if f.rule == expected["rule"]]
        assert matching, f"{expected['rule']} not in {summary}"
        if expected["excerpt"]:
            assert any(_covers(f, body, expected["excerpt"]) for f in matching), [
                (f.start, f.end, f.excerpt) for f in matching
            ]
