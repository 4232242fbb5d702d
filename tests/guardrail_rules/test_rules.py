"""Focused behaviour of single rules: normalisation of facts, required elements by channel
and posture, skipped checks, channel limits, and the wording the offline composer uses."""

from __future__ import annotations

import pytest
from guardrail_corpus import build_context

from contract.models import DraftRequest
from guardrails import check
from guardrails.facts import extract_facts
from guardrails.privacy import luhn_valid


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("$14.95", "14.95 USD"),
        ("US$14.95", "USD 14.95"),
        ("3 March", "March 3rd"),
        ("3rd of March", "March 3"),
        ("15%", "15 percent"),
        ("within 2 days", "within two days"),
    ],
)
def test_facts_normalise_to_the_same_key(first: str, second: str) -> None:
    keys = [[(f.kind, f.key) for f in extract_facts(text)] for text in (first, second)]
    assert keys[0] == keys[1] and len(keys[0]) == 1


def test_different_amounts_do_not_normalise_together() -> None:
    assert extract_facts("$14.95")[0].key != extract_facts("$14.59")[0].key


def test_luhn() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")


def test_order_number_of_card_length_is_not_a_card() -> None:
    report = check("Your order 4111 1111 1111 1112 is on its way.", channel="sms")
    assert not any(f.rule == "privacy.card_number" for f in report.findings)


def test_unknown_channel_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="fax"):
        check("Hello", channel="fax")


def test_without_context_the_fact_checks_are_skipped() -> None:
    report = check("We will refund you $500 by Friday.", channel="sms")
    assert "commitments.unsupported_fact" in report.skipped
    assert not any(f.rule.startswith("commitments") for f in report.findings)


def test_amends_not_required_when_no_remedy_is_authorised() -> None:
    context = build_context("wrongitem")
    elements = {e.element: e for e in check("Hi Sam.", channel="chat", context=context).elements}
    assert elements["amends"].required is False
    without = {e.element: e for e in check("Hi Sam.", channel="chat").elements}
    assert without["amends"].required is True


def test_channel_decides_form_elements() -> None:
    sms = {e.element: e.required for e in check("Sorry.", channel="sms").elements}
    email = {e.element: e.required for e in check("Sorry.", channel="email").elements}
    assert not sms["greeting"] and not sms["signature"] and not sms["subject"]
    assert email["greeting"] and email["signature"] and email["subject"]


def test_missing_subject_is_reported_on_the_subject_field() -> None:
    report = check("Dear Dana,\nSorry.", channel="email")
    subject = [f for f in report.findings if f.rule == "elements.missing" and f.field == "subject"]
    assert len(subject) == 1


def test_cautious_needs_ownership_of_the_fix(jacket: DraftRequest) -> None:
    cautious = jacket.model_copy(update={"liability": "cautious"})
    owned = "We take full responsibility for the delay."
    fix = "We are responsible for making this right."
    standard = {e.element: e.present for e in check(owned, channel="sms", context=jacket).elements}
    under_cautious = {
        e.element: e.present for e in check(owned, channel="sms", context=cautious).elements
    }
    fixed = {e.element: e.present for e in check(fix, channel="sms", context=cautious).elements}
    assert standard["responsibility"] and not under_cautious["responsibility"]
    assert fixed["responsibility"]


@pytest.mark.parametrize(
    ("text", "element"),
    [
        ("We are not responsible for this.", "responsibility"),
        ("We may look into a refund.", "amends"),
        ("Sorry if you feel let down.", "regret"),
    ],
)
def test_negated_or_hedged_cues_do_not_count(text: str, element: str) -> None:
    elements = {e.element: e.present for e in check(text, channel="sms").elements}
    assert not elements[element]


def test_evidence_points_at_the_sentence() -> None:
    body = "Hello. We take full responsibility for the delay. Thanks."
    evidence = {e.element: e.evidence for e in check(body, channel="sms").elements}
    found = evidence["responsibility"]
    assert found is not None and found.text == "We take full responsibility for the delay."


def test_acknowledgment_evidence_is_the_sentence_that_names_the_incident_anywhere(
    jacket: DraftRequest,
) -> None:
    """The sentence naming what happened is the evidence even when it is not the first."""
    request = jacket.model_copy(
        update={"incident": jacket.incident.model_copy(update={"reference": None})}
    )
    body = "Thank you for writing to us. Your winter jacket arrived nine days late. We are sorry."
    evidence = {e.element: e.evidence for e in check(body, context=request).elements}
    found = evidence["acknowledgment"]
    assert found is not None and found.text == "Your winter jacket arrived nine days late."


def test_sms_over_320_characters_is_an_error() -> None:
    body = "We are sorry. " * 30
    report = check(body, channel="sms")
    over = [f for f in report.findings if f.rule == "channel.max_chars"]
    assert over and over[0].severity == "error" and over[0].start == 320


def test_long_email_is_only_a_warning() -> None:
    report = check("word " * 300, channel="email")
    words = [f for f in report.findings if f.rule == "channel.word_range"]
    assert words and words[0].severity == "warning"


def test_public_statement_must_not_name_the_recipient(jacket: DraftRequest) -> None:
    report = check("Dear Dana, we are sorry.", channel="public_statement", context=jacket)
    assert any(
        f.rule == "channel.public_recipient_name" and f.excerpt == "Dana" for f in report.findings
    )


def test_a_public_span_is_reported_once_however_often_it_repeats(jacket: DraftRequest) -> None:
    # The reference is also a code; past the findings a report keeps of references, its
    # later mentions are still references, never codes.
    body = "Please DM us. " + " ".join(f"{jacket.incident.reference}." for _ in range(30))
    report = check(body, channel="social", context=jacket)
    rules = [f.rule for f in report.findings if f.rule.startswith("channel.public_")]
    assert rules == ["channel.public_reference"] * 20


def test_tone_rules_follow_the_requested_tone(jacket: DraftRequest) -> None:
    text = "We are so sorry about this!"
    formal = jacket.model_copy(update={"tone": "formal"})
    assert any(f.rule == "tone.exclamation" for f in check(text, context=formal).findings)
    assert not any(f.rule == "tone.exclamation" for f in check(text, context=jacket).findings)


def test_over_apologising_scales_with_length() -> None:
    short = "Sorry. We apologise. Our apologies. We regret this. Sorry again."
    assert any(f.rule == "non_apology.over_apologising" for f in check(short).findings)
    padded = short + " We have fixed the problem." * 90
    assert not any(f.rule == "non_apology.over_apologising" for f in check(padded).findings)


COMPOSER_WORDING = [
    "We're sorry that your order arrived nine days late.",
    "We take full responsibility.",
    "We have added a second barcode scan at the sorting step to help prevent this from "
    "happening again.",
    "Reply to this email if there is anything else we can do.",
    "Thank you for your patience.",
]


@pytest.mark.parametrize("sentence", COMPOSER_WORDING)
def test_normal_apology_wording_draws_nothing(sentence: str, jacket: DraftRequest) -> None:
    report = check(sentence, channel="sms", context=jacket)
    unexpected = [
        f
        for f in report.findings
        if f.rule not in ("elements.missing", "commitments.omitted_remedy")
    ]
    assert unexpected == []


def test_an_error_is_never_hidden_inside_a_warning_of_its_family() -> None:
    # A chat reply over 900 characters also runs past the word range; the word-range warning
    # starts earlier and reaches the end, but the hard-limit error must still be reported.
    body = "We are sorry your order arrived late, and we have refunded the fee. " * 15
    report = check(body.strip(), channel="chat")
    rules = {f.rule: f.severity for f in report.findings}
    assert rules.get("channel.word_range") == "warning"
    assert rules.get("channel.max_chars") == "error" and not report.passed
