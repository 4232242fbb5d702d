"""Findings carry the mechanical fix salvage may apply: a safe rewording for absolute
guarantees, "sorry if", "any inconvenience" and legal terms; removal of a sentence with an
unsupported figure or promise; insertion of a missing authorised fact, named."""

from __future__ import annotations

import pytest

from contract.models import DraftRequest
from guardrails import check

REWORDED = [
    ("We are sorry if the delay upset you.", "non_apology.conditional"),
    (
        "We apologise for any inconvenience this may have caused.",
        "non_apology.generic_inconvenience",
    ),
    ("This will never happen again.", "guarantee.absolute"),
    ("It won't happen again.", "guarantee.absolute"),
    ("We will make sure it does not happen again.", "guarantee.absolute"),
    ("We will ensure this never happens again.", "guarantee.absolute"),
    ("We guarantee delivery tomorrow.", "guarantee.absolute"),
    ("We were negligent with your order.", "liability.legal_term"),
    ("This was a breach of contract on our part.", "liability.legal_term"),
]


@pytest.mark.parametrize(("text", "rule"), REWORDED, ids=[r[0] for r in REWORDED])
def test_replace_fixes_clear_their_rule(text: str, rule: str) -> None:
    found = [f for f in check(text, channel="sms").findings if f.rule == rule]
    assert found and found[0].fix is not None and found[0].fix.action == "replace"
    fix, item = found[0].fix, found[0]
    assert fix.text
    fixed = text[: item.start] + fix.text + text[item.end :]
    assert not any(f.rule == rule for f in check(fixed, channel="sms").findings), fixed


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        (
            "We apologise for any inconvenience this may have caused.",
            "the inconvenience this caused",
        ),
        ("We are sorry for any distress caused by the delay.", "the distress caused by"),
        # The words after "any issues" go with it: never "the issues this caused you may have had".
        ("We can help with any issues you may have had with the router.", "the issues you had"),
        ("Sorry for any trouble that you might have experienced.", "the trouble you experienced"),
    ],
)
def test_any_inconvenience_is_reworded_whole(text: str, wording: str) -> None:
    found = [
        f
        for f in check(text, channel="sms").findings
        if f.rule == "non_apology.generic_inconvenience"
    ]
    assert found and found[0].fix is not None
    assert found[0].fix.text == wording


def test_unsupported_figures_and_remedies_remove_their_sentence(jacket: DraftRequest) -> None:
    report = check(
        "We will refund you $200. Use WELCOME20 too. Enjoy a full refund.",
        channel="sms",
        context=jacket,
    )
    commitments = [
        f
        for f in report.errors
        if f.rule.startswith("commitments")
        # a missing remedy is inserted; a done refund told as to come is said again as done
        and f.rule not in ("commitments.omitted_remedy", "commitments.done_as_future")
    ]
    assert len(commitments) >= 3
    assert all(f.fix is not None and f.fix.action == "remove_sentence" for f in commitments)


def test_missing_facts_are_named_for_insertion(jacket: DraftRequest) -> None:
    report = check("Thanks for your patience.", subject="Your order", context=jacket)
    facts = {f.fix.fact for f in report.errors if f.fix is not None and f.fix.action == "insert"}
    assert {"remedy:0", "remedy:1", "greeting", "signature", "invitation"} <= facts
    assert {"prevention:0", "reference"} <= facts


def test_no_fix_where_none_is_safe(jacket: DraftRequest) -> None:
    report = check("The courier is to blame.", channel="sms", context=jacket)
    blame = [f for f in report.findings if f.rule.startswith("blame")]
    assert blame and all(f.fix is None for f in blame)
