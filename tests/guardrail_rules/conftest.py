"""Fixtures for the guardrail tests."""

from __future__ import annotations

import pytest
from cue_guard import cue_checked
from guardrail_corpus import build_context

from contract.models import DraftRequest
from guardrails import checker


@pytest.fixture
def jacket() -> DraftRequest:
    context = build_context("jacket")
    assert context is not None
    return context


@pytest.fixture(autouse=True)
def _cues_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every check in these tests runs each cued rule without its cue and fails where the
    rule finds something in a body that lacks the cue (see `cue_guard`)."""
    rules = tuple(cue_checked(rule) if rule.cue else rule for rule in checker.RULES)
    monkeypatch.setattr(checker, "RULES", rules)
