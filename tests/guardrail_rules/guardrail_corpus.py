"""Loading the labelled corpus and building the requests it names (shared by the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from contract.models import DraftRequest

CORPUS = Path(__file__).parent / "corpus"


def load_corpus(name: str) -> Any:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


CONTEXTS: dict[str, dict[str, Any]] = load_corpus("contexts.yaml")


def build_context(
    name: str | None, liability: str | None = None, tone: str | None = None
) -> DraftRequest | None:
    """The named request, with posture or tone overridden; a minimal request when only an
    override is given; None when neither is."""
    if name is None and liability is None and tone is None:
        return None
    data: dict[str, Any] = (
        dict(CONTEXTS[name]) if name else {"incident": {"summary": "A problem occurred."}}
    )
    if liability:
        data["liability"] = liability
    if tone:
        data["tone"] = tone
    return DraftRequest.model_validate(data)
