"""The scanner skips a standalone pattern over a text that lacks what every match of it needs
(`regex_source.needs`). Skipping must never lose a match: checked here on every corpus text
and on texts written to match each packaged standalone pattern."""

from __future__ import annotations

import re

import pytest

from guardrails.normalise import fold, lowered
from guardrails.regex_source import needs
from guardrails.ruleset import default_rules
from guardrails.scanner import distinct_runs
from tests.guardrail_rules.guardrail_corpus import load_corpus


@pytest.mark.parametrize(
    ("pattern", "strings", "non_ascii"),
    [
        (r"_{4,}", [{"____"}], False),
        (r"XXX+\b", [{"XXX"}], False),
        (r"T(?:BD|ODO|KTK)\b|FIXME\b", [{"TBD", "TODO", "TKTK", "FIXME"}], False),
        (r"\b(?:19|20)XX\b", [{"19XX", "20XX"}], False),
        (r"(?i)\bDear\s+(?:sir|madam)", [{"dear"}, {"sir", "madam"}], False),
        (r"[\U0001F300-\U0001FAFF]", [], True),
        (r"(?:very\s+)?sorry", [{"sorry"}], False),
        (r"\w+\s+\d", [], False),
    ],
)
def test_needs_reads_required_strings(
    pattern: str, strings: list[set[str]], non_ascii: bool
) -> None:
    found = needs(re.compile(pattern))
    assert sorted(map(sorted, found.strings)) == sorted(map(sorted, strings))
    assert found.non_ascii is non_ascii


def test_needs_is_not_met_without_the_strings() -> None:
    found = needs(re.compile(r"T(?:BD|ODO)\b"))
    assert found.met("Ship by TBD", True)
    assert not found.met("Ship by Tuesday", True)
    assert not needs(re.compile("[\u2600-\u27bf]")).met("plain text", True)


def test_needs_tries_the_rarest_set_first_and_its_shortest_string_first() -> None:
    # A search that finds a string stops early; one that finds nothing reads the whole text.
    found = needs(re.compile(r"(?:courier|van|driver)\s+(?:was\s+)?(?:late|delayed)"))
    assert found.strings == (("late", "delayed"), ("van", "driver", "courier"))


def _texts() -> list[str]:
    texts = [item["body"] for item in load_corpus("letters.yaml")]
    texts += [item["text"] for item in load_corpus("real.yaml")]
    texts += [item["text"] for item in load_corpus("sentences.yaml")]
    return [
        *texts,
        "The customer was abusive to our staff.",
        "THE GUEST BECAME HOSTILE",
        "Sam from our warehouse team mistakenly sent the wrong size.",
        "Our driver, Tom, left it outside. The agent Maria replied.",
        "Dear {first_name}, see you on XX/XX, 20XX. TODO: FIXME XXXX",
        "Thanks :) ;-p  Name: ________ \U0001f600 \u2764",
        "İstanbul: the customer was aggressive; ſtaff",
    ]


def test_skipping_never_loses_a_match() -> None:
    rules = default_rules()
    matched = 0
    for text in _texts():
        folded = fold(text).text
        low = lowered(folded)
        for scanner in rules.scanners.values():
            for scan in (*scanner.original, *scanner.other):
                subject = folded if scan.original else low
                if any(m.end() > m.start() for m in scan.regex.finditer(subject)):
                    matched += 1
                    seen = low if scan.ignore_case else subject
                    assert scan.may_match(seen, folded.isascii()), (scan.regex.pattern, text)
                    if not scan.spaced:
                        runs = distinct_runs(seen)
                        assert scan.may_match(runs, folded.isascii()), (scan.regex.pattern, text)
    assert matched >= 20  # the texts above do reach the standalone patterns
