"""Fixtures for the guardrail tests."""

from __future__ import annotations

import pytest
from guardrail_corpus import build_context

from contract.models import DraftRequest


@pytest.fixture
def jacket() -> DraftRequest:
    context = build_context("jacket")
    assert context is not None
    return context
