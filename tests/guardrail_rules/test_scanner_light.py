"""Work skipped for speed must never change what is found.

The scanner scans a text with its trie regex less the alternatives that read a window ahead
when the text holds none of what they need (`Trie.light`, `Trie.gates`); the structural
rules skip a clause or a passage that holds none of what any alternative of their regex
needs (`regex_source.alternatives_needs`); the over-apologising count reads the words before
an apology only when a negator is near (`spans.may_be_negated`). Each is compared here with
the full work on every corpus text, each sentence of them, and texts of one repeated
phrase; so is the ownership regex tried from word starts only (`structure._owned_spans`)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from guardrails.normalise import fold, lowered
from guardrails.regex_source import alternatives_needs, may_hold, reads_ahead
from guardrails.ruleset import default_rules
from guardrails.spans import is_negated, may_be_negated, negator_starts
from guardrails.structure import _owned_spans, _patterns
from tests.guardrail_rules.guardrail_corpus import load_corpus


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"\b[^.!?\n]{0,80}?\bfor", True),
        (r"(?:[a-z-]+\s+){0,2}?(?:driver|courier)", True),
        (r"\s+(?:so\s+)?sorry\b", False),
        (r"(?:\s+have|['’]ve)?\s+failed\b", False),
        (r"\s*,\s*but\b(?!\s+(?:[a-z]+\s+){0,3}?happy)", True),
        (r"[^.!?\n]{0,80}[.!]\s+but", True),
    ],
)
def test_reads_ahead(source: str, expected: bool) -> None:
    assert reads_ahead(source) is expected


def test_alternatives_needs_keeps_each_alternative_apart() -> None:
    # `needs` keeps only what the alternatives share; each alternative needs more.
    found = alternatives_needs(re.compile(r"\b(?:our\s+mistake|we\s+failed)\b"))
    assert found is not None
    assert len(found) == 2
    assert may_hold(found, "it was our mistake")
    assert not may_hold(found, "our order and we are sorry")
    # An alternative that needs nothing: every text may hold a match.
    assert alternatives_needs(re.compile(r"\bsorry|\w+")) is None
    assert may_hold(None, "anything")
    assert alternatives_needs(re.compile(r"sorry", re.IGNORECASE)) is None


def _texts() -> list[str]:
    texts = [item["body"] for item in load_corpus("letters.yaml")]
    texts += [item["text"] for item in load_corpus("real.yaml")]
    texts += [item["text"] for item in load_corpus("sentences.yaml")]
    sentences = [part for text in texts for part in re.split(r"(?<=[.!?])\s+", text)]
    repeated = [
        (phrase * 40)
        for phrase in (
            "sorry ",
            "sorry for your frustration ",
            "We are sorry. ",
            "the courier ",
            "sorry if you were upset ",
            "we apologise for any inconvenience ",
        )
    ]
    return texts + sentences + repeated


def _scan(
    regexes: tuple[re.Pattern[str], ...] | None, broken: str
) -> list[tuple[int, str | None, int]]:
    found = [
        (m.start(), m.lastgroup, m.start(m.lastgroup or 0))
        for regex in regexes or ()
        for m in regex.finditer(broken)
    ]
    return sorted(found)


def test_the_light_scan_finds_what_the_full_scan_finds() -> None:
    light = 0
    for text in _texts():
        low = lowered(fold(text).text)
        broken = "\n" + low
        for scanner in default_rules().scanners.values():
            for trie in (scanner.lower, scanner.primary):
                if trie is None or not trie.gates:
                    continue
                # Whatever the text's length (a short one is scanned whole in a check). The
                # gates looked for among the text's words decide as in the text itself.
                lacks_all = not any(gate.met(broken, broken.isascii()) for gate in trie.gates)
                assert (trie._after_break(broken, light_from=0) is trie.light) is lacks_all
                if lacks_all:
                    light += 1
                    assert _scan(trie.light, broken) == _scan(trie.after_break, broken), text
                full = dataclasses.replace(trie, gates=())
                assert trie.matches(low, broken) == full.matches(low, broken), text
    assert light >= 100  # the light scan is taken, on short texts above all


def test_structural_gates_never_skip_a_match() -> None:
    p = _patterns()
    reached = 0
    for text in _texts():
        low = lowered(fold(text).text)
        for regex, gates in ((p.reaction, p.reaction_needs), (p.owned, p.owned_needs)):
            # Every slice a rule reads starts and ends somewhere in the text: try clauses.
            for part in (low, *re.split(r"[,.!?;]", low)):
                if regex.search(part) is not None:
                    reached += 1
                    assert may_hold(gates, part), (regex.pattern[:40], part)
    assert reached >= 50


def test_negation_is_read_wherever_a_negator_is_near() -> None:
    negated = 0
    texts = [*_texts(), "We cannot say sorry. It wasn't our fault, nor theirs: no. İNOT"]
    for text in texts:
        low = lowered(fold(text).text)
        starts = negator_starts(low)
        for match in re.finditer(r"\b\w", low):
            if is_negated(low, match.start()):
                negated += 1
                assert may_be_negated(starts, match.start()), (text, match.start())
    assert negated >= 100


def test_ownership_found_from_word_starts_is_what_finditer_finds() -> None:
    p = _patterns()
    found = 0
    for text in [*_texts(), "We messed up. our mistake, my error; we failed you"]:
        low = lowered(fold(text).text)
        spans = [m.span() for m in p.owned.finditer(low)]
        found += len(spans)
        assert list(_owned_spans(low, p)) == spans, text
    assert found >= 50
