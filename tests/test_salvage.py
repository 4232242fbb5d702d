"""Salvage: each error finding's safe fix applied to a model's letter, every edit recorded, and
the pipeline delivering a salvaged letter without a re-ask."""

from __future__ import annotations

import pytest

from contract.models import DraftRequest
from contract.report import ElementResult, Evidence, Finding, Fix, GuardrailReport
from service.composer import fact_sentence
from service.salvage import salvage, sentence_bounds

BODY = (
    "Hi Dana,\n\n"
    "Your order NW-48213 arrived nine days late. I'm truly sorry for the late delivery. "
    "We have refunded the express shipping fee ($14.95). We will also refund $200 today.\n\n"
    "Please reply with any questions.\n\n"
    "All the best,\nPriya Natarajan"
)


def _finding(
    excerpt: str, fix: Fix | None, *, rule: str = "test.rule", at: int | None = None
) -> Finding:
    start = BODY.index(excerpt) if at is None else at
    return Finding(
        rule=rule,
        severity="error",
        message="test finding",
        start=start,
        end=start + len(excerpt),
        excerpt=excerpt,
        fix=fix,
    )


def _element(name: str, sentence: str) -> ElementResult:
    start = BODY.index(sentence)
    evidence = Evidence(start=start, end=start + len(sentence), text=sentence)
    return ElementResult(element=name, present=True, evidence=evidence)


def _report(*findings: Finding, elements: list[ElementResult] | None = None) -> GuardrailReport:
    return GuardrailReport(passed=False, elements=elements or [], findings=list(findings))


def test_a_replace_fix_rewords_exactly_the_span(northwind_request: DraftRequest) -> None:
    finding = _finding("truly sorry", Fix(action="replace", text="very sorry"))
    result = salvage("About NW-48213", BODY, _report(finding), northwind_request, "email")
    assert "I'm very sorry for the late delivery." in result.body
    assert result.body.replace("very sorry", "truly sorry") == BODY
    assert [e.model_dump() for e in result.edits] == [
        {"rule": "test.rule", "action": "replace", "before": "truly sorry", "after": "very sorry"}
    ]
    assert result.subject == "About NW-48213" and result.unfixed == []


def test_a_remove_fix_drops_the_whole_sentence_and_its_space(
    northwind_request: DraftRequest,
) -> None:
    finding = _finding("$200", Fix(action="remove_sentence"))
    result = salvage(None, BODY, _report(finding), northwind_request, "email")
    assert "$200" not in result.body
    assert "fee ($14.95).\n\nPlease reply" in result.body
    assert result.edits[0].before == "We will also refund $200 today."
    assert result.edits[0].after == ""
    assert result.subject is None


def test_a_sentence_in_the_middle_is_removed_without_a_double_space(
    northwind_request: DraftRequest,
) -> None:
    finding = _finding("truly sorry", Fix(action="remove_sentence"))
    result = salvage(None, BODY, _report(finding), northwind_request, "email")
    assert "nine days late. We have refunded" in result.body


def test_a_missing_remedy_is_inserted_after_the_amends_sentence(
    northwind_request: DraftRequest,
) -> None:
    expected = fact_sentence(northwind_request, "remedy:1", "email")
    amends = "We have refunded the express shipping fee ($14.95)."
    finding = _finding("", Fix(action="insert", fact="remedy:1"), at=len(BODY))
    report = _report(finding, elements=[_element("amends", amends)])
    result = salvage(None, BODY, report, northwind_request, "email")
    assert f"{amends} {expected} We will also refund" in result.body
    assert result.edits[0].action == "insert" and result.edits[0].after == expected
    assert "SORRY15" in result.body


def test_greeting_signature_and_invitation_go_where_a_reader_expects(
    northwind_request: DraftRequest,
) -> None:
    body = "Your order arrived nine days late. I am sorry.\n\nPriya"
    findings = [
        Finding(
            rule="elements.missing",
            severity="error",
            message="m",
            start=0,
            end=0,
            excerpt="",
            fix=Fix(action="insert", fact="greeting"),
        ),
        Finding(
            rule="elements.missing",
            severity="error",
            message="m",
            start=len(body),
            end=len(body),
            excerpt="",
            fix=Fix(action="insert", fact="invitation"),
        ),
        Finding(
            rule="elements.missing",
            severity="error",
            message="m",
            start=len(body),
            end=len(body),
            excerpt="",
            fix=Fix(action="insert", fact="signature"),
        ),
    ]
    result = salvage(None, body, _report(*findings), northwind_request, "email")
    greeting = fact_sentence(northwind_request, "greeting", "email")
    invitation = fact_sentence(northwind_request, "invitation", "email")
    signature = fact_sentence(northwind_request, "signature", "email")
    assert result.body.startswith(greeting + "\n\nYour order")
    assert result.body.endswith("\n\n" + signature)
    assert result.body.index(invitation) < result.body.index(signature)
    assert len(result.edits) == 3 and result.unfixed == []


def test_overlapping_fixes_apply_once_and_leave_the_rest_for_the_re_ask(
    northwind_request: DraftRequest,
) -> None:
    remove = _finding("refund $200", Fix(action="remove_sentence"), rule="a.remove")
    reword = _finding("$200 today", Fix(action="replace", text="soon"), rule="b.replace")
    no_fix = _finding("nine days", None, rule="c.none")
    result = salvage(None, BODY, _report(remove, reword, no_fix), northwind_request, "email")
    assert [e.rule for e in result.edits] == ["a.remove"]
    assert [f.rule for f in result.unfixed] == ["b.replace", "c.none"]


def test_without_the_callers_facts_nothing_is_inserted() -> None:
    finding = _finding("", Fix(action="insert", fact="remedy:0"), at=len(BODY))
    result = salvage(None, BODY, _report(finding), None, "email")
    assert result.edits == [] and result.body == BODY
    assert result.unfixed == [finding]


def test_an_insert_naming_a_fact_the_request_lacks_is_left_unfixed(
    northwind_request: DraftRequest,
) -> None:
    finding = _finding("", Fix(action="insert", fact="remedy:7"), at=len(BODY))
    result = salvage(None, BODY, _report(finding), northwind_request, "email")
    assert result.edits == [] and result.unfixed == [finding]


@pytest.mark.parametrize(
    ("text", "span", "sentence"),
    [
        ("One. Two costs $8.50 today. Three.", "$8.50", "Two costs $8.50 today."),
        ("First line\nSecond has it here\nThird", "it", "Second has it here"),
        ("Only sentence without stop", "without", "Only sentence without stop"),
        ('He said "no." Then $5 appeared! End.', "$5", "Then $5 appeared!"),
        ("Priya\ncare@example.com We refund $9 today.", "$9", "We refund $9 today."),
    ],
)
def test_sentence_bounds(text: str, span: str, sentence: str) -> None:
    start = text.index(span)
    begin, end = sentence_bounds(text, start, start + len(span))
    assert text[begin:end] == sentence
