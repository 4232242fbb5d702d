"""The two largest blame patterns are tried only where a match can start (on an outside cause,
a few words before one, or on a fixed word); they must find exactly what the regex finds when
it is tried at every position."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guardrails.lexicon import lexicon
from guardrails.normalise import fold, lowered
from guardrails.structure import _Anchored, _patterns
from tests.guardrail_rules.guardrail_corpus import CORPUS, load_corpus

GOLDEN = Path(__file__).parent.parent / "golden"


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _corpus_texts() -> list[str]:
    texts = [t for f in sorted(CORPUS.glob("*.yaml")) for t in _strings(load_corpus(f.name))]
    texts += [f.read_text(encoding="utf-8") for f in sorted(GOLDEN.rglob("*.txt"))]
    return [t for t in texts if len(t.split()) > 2]


def _generated_texts(count: int) -> list[str]:
    """Sentences of outside causes, the words around them and the fixed words the
    alternatives start on, in shapes the corpora rarely hold: hyphens and digits next to
    them, plurals, line breaks, a cause at the very start."""
    lex = lexicon()
    causes = lex.words("outside_causes") + lex.words("narrative_causes")
    words = (
        causes
        + lex.words("trouble_verbs")
        + lex.words("trouble_nouns")
        + lex.words("effect_verbs")
        + lex.words("surge_sizes")
        + lex.words("surge_subjects")
        + lex.words("surge_surprises")
        + lex.words("surge_nouns")
        + lex.words("ongoing_participles")
        + FILLERS
    )
    joins = (" ", " ", " ", " ", "  ", "\n", ", ", ". ", "-", " (", ") ", "; ", "’s ")
    rng = random.Random(20261201)
    texts = []
    for _ in range(count):
        parts = [rng.choice(words) + rng.choice(("", "", "", "s"))]
        for _ in range(rng.randint(3, 40)):
            parts.append(rng.choice(joins))
            parts.append(rng.choice(words))
        texts.append("".join(parts))
    return texts


# Words around outside causes, the fixed words alternatives start on, and odd word shapes.
# fmt: off
FILLERS = (
    "the", "our", "a", "an", "one", "of", "we", "i", "they", "it", "is", "are", "was", "were",
    "has", "have", "had", "been", "currently", "still", "also", "then", "for", "in", "on", "at",
    "that", "which", "who", "no", "not", "never", "by", "lost", "severed", "its", "their",
    "connection", "issues", "problem", "with", "amid", "given", "brought", "more", "than",
    "expected", "forced", "us", "struggling", "from", "whom", "fell", "behind", "don't", "do",
    "x-ray", "e-mail", "3rd", "24-hour", "pre-", "-based", "co-op", "nature", "weather's",
)
# fmt: on

# A match that starts five words before its outside cause, and causes next to hyphens and
# digits.
SHAPES = [
    "Sadly one of our long-time regional carriers has been experiencing delays.",
    "one of our two old couriers suffered a breakdown",
    "The e-mail provider that they are experiencing trouble with",
    "x9-old supplier was experiencing a backlog; our 3rd party is facing a shortage",
    "Our co-op's sub-contractor has been undeniably facing far greater than usual demand.",
    "-carrier has experienced, pre-storm has brought chaos",
]


def _assert_same(pattern: _Anchored, low: str) -> None:
    expected = [m.span() for m in pattern.regex.finditer(low)]
    assert [m.span() for m in pattern.finditer(low)] == expected, low
    first = pattern.search(low)
    assert (first.span() if first else None) == (expected[0] if expected else None), low


@pytest.mark.parametrize("name", ["outside_state", "narrative"])
def test_anchored_patterns_find_what_the_regex_finds(name: str) -> None:
    pattern = getattr(_patterns(), name)
    texts = _corpus_texts()
    matched = 0
    for text in SHAPES + texts + _generated_texts(2000):
        low = lowered(fold(text).text)
        _assert_same(pattern, low)
        matched += pattern.regex.search(low) is not None
    # The comparison means something only if the texts give the patterns work to do.
    assert matched > 300
