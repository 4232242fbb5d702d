"""A standalone pattern that starts with a test reading nothing (`\\b`, a look-behind) is led
by a look-ahead for the few characters a match can start with (`regex_source.skip_ahead`).
The look-ahead must never change what the pattern finds: checked here on every packaged
standalone pattern over the corpus texts, the golden letters and texts written to match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guardrails.normalise import fold, lowered
from guardrails.regex_source import skip_ahead
from guardrails.ruleset import default_rules
from tests.guardrail_rules.guardrail_corpus import load_corpus

_GOLDEN = Path(__file__).resolve().parent.parent / "golden"


@pytest.mark.parametrize(
    ("pattern", "led_by"),
    [
        (r"\b(?<!\bif\s)(?:the|a|one)\s+driver", "[aot]"),
        (r"(?<!\bof\s)\b(?:we|our\s+team)\s+failed", "[ow]"),
        (r"\b(?:the\s+)?(?:customer|guest)\s+was", "[cgt]"),
        (r"\b['’]s\s+not\s+our\s+fault", "['’]"),
    ],
)
def test_a_pattern_led_by_a_boundary_gets_its_first_characters(pattern: str, led_by: str) -> None:
    assert skip_ahead(re.compile(pattern)).pattern == f"(?={led_by}){pattern}"


@pytest.mark.parametrize(
    "pattern",
    [
        r"sorry\s+if",  # a literal first: the engine skips ahead on its own
        r"[ab]c",  # a class first: likewise
        r"\b\w+\s+failed",  # any word character may start it
        r"\b(?:the\s+)?",  # may match the empty string
        r"\b(?:a|b|c|d|e|f|g|h|i|j|k|l|m)x",  # too many first characters to be worth a test
    ],
)
def test_other_patterns_are_left_alone(pattern: str) -> None:
    assert skip_ahead(re.compile(pattern)).pattern == pattern


def test_a_pattern_that_ignores_case_is_left_alone() -> None:
    regex = re.compile(r"\b(?:the|a)\s+driver", re.IGNORECASE)
    assert skip_ahead(regex) is regex


def _texts() -> list[str]:
    texts = [item["body"] for item in load_corpus("letters.yaml")]
    texts += [item["text"] for item in load_corpus("real.yaml")]
    texts += [item["text"] for item in load_corpus("sentences.yaml")]
    texts += [path.read_text(encoding="utf-8") for path in sorted(_GOLDEN.rglob("*.txt"))]
    return [
        *texts,
        "The customer was abusive to our staff. A new driver, one of our packers, forgot it.",
        "It's not our fault. ’s not of our making. we failed, our team failed you",
        "if the driver was rude; sorry the driver was rude",
        "Dear {first_name}, see you on XX/XX, 20XX. 19XX",
    ]


def test_the_look_ahead_never_changes_a_match() -> None:
    rules = default_rules()
    led = 0
    for scanner in rules.scanners.values():
        for scan in (*scanner.original, *scanner.other):
            if not scan.regex.pattern.startswith("(?=["):
                continue
            led += 1
            pattern = scan.regex.pattern
            plain = re.compile(pattern[pattern.index("])") + 2 :], scan.regex.flags)
            for text in _texts():
                folded = fold(text).text
                subject = folded if scan.original else lowered(folded)
                assert [(m.span(), m.lastgroup) for m in scan.regex.finditer(subject)] == [
                    (m.span(), m.lastgroup) for m in plain.finditer(subject)
                ]
    assert led >= 6  # the packaged patterns led by a boundary are reached
