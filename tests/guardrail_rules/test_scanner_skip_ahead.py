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
        (r"\b\d+\s*%\s+of\s+our\s+staff", r"[\d]"),
        (r"\b(?:\d+|five)\s+hours", r"[\df]"),
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
        r"(?<![^\n])[ \t]*note:",  # white space is too common a first character
    ],
)
def test_other_patterns_are_left_alone(pattern: str) -> None:
    assert skip_ahead(re.compile(pattern)).pattern == pattern


def test_a_pattern_that_ignores_case_is_led_by_its_first_characters_in_any_case() -> None:
    plain = re.compile(r"\b(?:the|a|kelvin)\s+driver", re.IGNORECASE)
    led = skip_ahead(plain)
    assert led.pattern == r"(?=[akt])\b(?:the|a|kelvin)\s+driver"
    assert led.flags == plain.flags
    # Every case, and the characters that ignoring case folds onto them (the Kelvin sign).
    text = "THE driver, A  DRIVER, The Driver, \u212aelvin driver, cathe driver"
    assert [m.span() for m in led.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert len(led.findall(text)) == 4


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
        "ISSUES AT THE WAREHOUSE. Problems on their part, a Failure at our end.",
        "Authorised remedies: a refund\n  PREVENTION STEPS: a check",
    ]


def test_the_look_ahead_never_changes_a_match() -> None:
    rules = default_rules()
    folded = [fold(text).text for text in _texts()]
    subjects = {True: folded, False: [lowered(text) for text in folded]}
    led = {
        (scan.regex.pattern, scan.regex.flags, scan.original): scan
        for scanner in rules.scanners.values()
        for scan in (*scanner.original, *scanner.other)
        if scan.regex.pattern.startswith("(?=[")
    }
    for (pattern, flags, original), scan in led.items():
        plain = re.compile(pattern[pattern.index("])") + 2 :], flags)
        for subject in subjects[original]:
            assert [(m.span(), m.lastgroup) for m in scan.regex.finditer(subject)] == [
                (m.span(), m.lastgroup) for m in plain.finditer(subject)
            ]
    assert len(led) >= 8  # the packaged patterns led by a boundary are reached
    assert any(scan.ignore_case for scan in led.values())
