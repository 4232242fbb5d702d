"""Reference similarity: ROUGE-L F1 and chrF against the best-matching reference letter.

Both are supporting signals only: they barely react to a wrong amount or code (that is what
the fact gates are for) but fall sharply for a generic non-apology. With several references
each metric takes its best reference, so a draft is not punished for resembling one good
letter more than another.

Calibration: letters written independently for the same request agree only partly, so a fixed
ROUGE-L bar is unfair to some cases and lax for others. Where a case has at least two
references, its bar is `CALIBRATION_FACTOR` × the mean pairwise ROUGE-L F1 of its references
(clamped to [`CALIBRATION_FLOOR`, `CALIBRATION_CEILING`]): a draft should agree with the
references at least about as much as they agree with each other, discounted because a draft
needs to match only one of them in wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

CALIBRATION_FACTOR = 0.8
CALIBRATION_FLOOR = 0.12
CALIBRATION_CEILING = 0.45


@lru_cache(maxsize=1)
def _rouge() -> Any:
    from rouge_score import rouge_scorer

    # Whole texts only: `split_summaries` would need NLTK's sentence data, which is offline-hostile.
    return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)


@lru_cache(maxsize=1)
def _chrf() -> Any:
    from sacrebleu.metrics.chrf import CHRF

    return CHRF()


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 in [0, 1]."""
    return float(_rouge().score(reference, candidate)["rougeL"].fmeasure)


def chrf(candidate: str, reference: str) -> float:
    """Sentence-level chrF in [0, 100]."""
    return float(_chrf().sentence_score(candidate, [reference]).score)


@dataclass(frozen=True)
class Similarity:
    rouge_l: float
    chrf: float
    best_reference: int
    """Index of the reference with the highest ROUGE-L F1."""


def similarity(candidate: str, references: list[str]) -> Similarity:
    """Best ROUGE-L and best chrF over the references (each metric takes its own best)."""
    rouges = [rouge_l(candidate, reference) for reference in references]
    chrfs = [chrf(candidate, reference) for reference in references]
    best = max(range(len(rouges)), key=rouges.__getitem__)
    return Similarity(rouge_l=rouges[best], chrf=max(chrfs), best_reference=best)


def reference_agreement(references: list[str]) -> float | None:
    """Mean pairwise ROUGE-L F1 between the references; None with fewer than two."""
    pairs = list(combinations(references, 2))
    if not pairs:
        return None
    return sum(rouge_l(a, b) for a, b in pairs) / len(pairs)


def calibrated_threshold(references: list[str], default: float) -> tuple[float, str]:
    """The ROUGE-L bar for a case and where it came from ("calibrated" or "default")."""
    agreement = reference_agreement(references)
    if agreement is None:
        return default, "default"
    bar = min(max(CALIBRATION_FACTOR * agreement, CALIBRATION_FLOOR), CALIBRATION_CEILING)
    return round(bar, 4), f"calibrated: {CALIBRATION_FACTOR} x agreement {agreement:.3f}"
