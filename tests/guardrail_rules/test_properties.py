"""Properties that hold for any input: no crash, spans inside the text with the excerpt cut
from it, and the same report for the same input."""

from __future__ import annotations

from guardrail_corpus import build_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract.models import DraftRequest
from guardrails import GuardrailReport, check

JACKET = build_context("jacket")
CAUTIOUS = build_context("breach")

# Random text mixed with words and symbols the rules care about, so the search reaches the
# interesting paths (negations, amounts, codes, brackets) rather than only noise.
FRAGMENTS = st.sampled_from(
    [
        "sorry",
        " if ",
        "we are not responsible",
        "$14.95",
        "15%",
        "SORRY15",
        "NW-48213",
        "3 March",
        "within 48 hours",
        "[",
        "]",
        "{{",
        "}}",
        "\n",
        "!",
        "never happen again",
        "refund",
        "İ",
        "ß",
        "😞",
        " 4111 1111 1111 1111 ",
        "Dear Dana,\n",
        "Thank you,\nPriya",
        "we take full responsibility",
        "our mistake",
        "reduced errors by 35%",
        "2x faster",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=30), FRAGMENTS), max_size=40).map("".join)
CHANNELS = st.sampled_from(["email", "letter", "chat", "sms", "social", "public_statement"])
CONTEXTS = st.sampled_from([None, JACKET, CAUTIOUS])


def _assert_spans(report: GuardrailReport, body: str, subject: str | None) -> None:
    texts = {"body": body, "subject": subject or ""}
    for finding in report.findings:
        text = texts[finding.field]
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.excerpt == text[finding.start : finding.end]
    for element in report.elements:
        if element.evidence is not None:
            text = texts[element.evidence.field]
            assert 0 <= element.evidence.start <= element.evidence.end <= len(text)
            assert element.evidence.text == text[element.evidence.start : element.evidence.end]
    assert report.passed == (not report.errors)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXT, subject=st.one_of(st.none(), TEXT), channel=CHANNELS, context=CONTEXTS)
def test_any_text_gives_a_consistent_report(
    body: str, subject: str | None, channel: str, context: DraftRequest | None
) -> None:
    report = check(body, subject=subject, channel=channel, context=context)
    _assert_spans(report, body, subject)


@settings(max_examples=50, deadline=None)
@given(body=TEXT, context=CONTEXTS)
def test_report_is_deterministic(body: str, context: DraftRequest | None) -> None:
    first = check(body, context=context)
    second = check(body, context=context)
    assert first.model_dump() == second.model_dump()
