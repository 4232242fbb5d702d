"""The cues of the code rules (`checker.Rule.cue`): the conftest holds every cued rule to its
cue in every guardrail test (see `cue_guard`); here, that the guard fails on a wrong cue,
and the shapes a cue once missed."""

from __future__ import annotations

import pytest
from cue_guard import WrongCue, cue_checked

from contract.models import DraftRequest
from guardrails import check, checker
from guardrails.checker import RULES, Rule
from guardrails.model_claims import circular_harm


def test_every_cue_is_lowercase_and_every_cued_rule_is_guarded() -> None:
    # The cue is looked for in the lowered body: a cue with a capital would never be found.
    cued = [rule for rule in RULES if rule.cue]
    assert cued
    for rule in cued:
        assert all(word and word == word.lower() for word in rule.cue), rule.run.__name__
    # The conftest has put the guarded rules in place: none has a cue while a test runs.
    assert not any(rule.cue for rule in checker.RULES)


def test_the_guard_fails_where_a_rule_finds_something_without_its_cue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "I understand that this inconvenience caused you some inconvenience."
    wrong = Rule(circular_harm, ("tone.circular_harm",), cue=("frustration",))
    monkeypatch.setattr(checker, "RULES", (cue_checked(wrong),))
    with pytest.raises(WrongCue, match="circular_harm"):
        check(text)
    right = Rule(circular_harm, ("tone.circular_harm",), cue=("caused",))
    monkeypatch.setattr(checker, "RULES", (cue_checked(right),))
    assert check(text).findings


def test_the_reader_named_as_the_customer_in_a_letter_that_never_says_our(
    jacket: DraftRequest,
) -> None:
    """`reader_as_ours` also reads "for the customer", which holds no "our "."""
    report = check("I am sorry for the customer, who waited a week.", context=jacket)
    assert [f.excerpt for f in report.findings if f.rule == "request.third_person"] == [
        "the customer"
    ]
