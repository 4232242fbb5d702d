"""Work skipped for speed must never change what is found.

The scanner scans a text with its trie regexes less the alternatives that read a window
ahead (`Trie.light`) wherever none of them can match: they need what the text lacks, or an
anchor they need is too far ahead (`Trie.windows`, `regex_source.anchor`); the structural
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
from guardrails.regex_source import SPACE_RUN, alternatives_needs, anchor, may_hold, reads_ahead
from guardrails.ruleset import default_rules
from guardrails.scanner import _Read
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


def test_the_light_scan_finds_what_the_full_scan_finds() -> None:
    # Texts long enough for spans and the light scan: the corpus texts joined, and each
    # labelled sentence after many apologies (whose windows reach into it), also with runs
    # of white space as long as an anchor's reach allows (and longer: read whole).
    texts = _texts()
    joined = [" ".join(texts[at : at + 30]) for at in range(0, len(texts), 30)]
    joined += ["sorry " * 300 + item["text"] for item in load_corpus("sentences.yaml")]
    texts = joined + [text.replace(" ", " " * SPACE_RUN) for text in joined[::5]]
    texts += [text.replace(" ", "\n" * (SPACE_RUN + 1)) for text in joined[:3]]
    lighter = 0
    for text in texts:
        low = lowered(fold(text).text)
        broken = "\n" + low
        for scanner in default_rules().scanners.values():
            trie = scanner.lower
            full = dataclasses.replace(trie, windows=tuple(() for _ in trie.windows))
            assert trie.matches(low, broken, light_from=0) == full.matches(low, broken), text
            read = _Read(broken, trie)
            spans = [trie._windows_read(at, read) for at, w in enumerate(trie.windows) if w]
            lighter += sum(1 for found in spans if found)
    assert lighter >= 1000  # a regex read whole in some spans, light elsewhere


@pytest.mark.parametrize(
    ("head", "tail", "expected"),
    [
        # The window, then the anchor: the reach counts the head, the window and the anchor.
        ("sorry", r"\b[^.!?;\n]{0,120}?\b(?:if|but)\b", (("but", "if"), 5 + 120 + 3)),
        # A repeated white space reads at most SPACE_RUN characters.
        ("sorry", r"\s+(?:[a-z]{0,3}\s+)?for\s+you", (("for",), 5 + 2 * SPACE_RUN + 3 + 3)),
        # The rarest strings of those that start a bounded way in.
        ("we", r"\s+(?:are|were)\s+sorry", (("sorry",), 2 + 2 * SPACE_RUN + 4 + 5)),
        # After an unbounded word, no element starts a bounded way in.
        ("sorry", r"\s+[a-z]+\s+if", None),
    ],
)
def test_anchor(head: str, tail: str, expected: tuple[tuple[str, ...], int] | None) -> None:
    assert anchor(head, tail) == expected


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


def test_compile_all_compiles_the_light_regexes_a_long_text_needs() -> None:
    """A server compiles everything before its first request: the light regexes too, which
    otherwise cost the first long draft seconds of compiling."""
    rules = default_rules()
    rules.compile_all()
    for posture in rules.scanners:
        assert rules.scanners[posture].lower._compiled, posture


@pytest.mark.parametrize("run", [SPACE_RUN, SPACE_RUN + 1])
def test_white_space_runs_up_to_the_allowance_keep_the_light_scan_exact(run: int) -> None:
    # Each labelled sentence with every space made `run` long, after many apologies: with
    # runs of `SPACE_RUN` the light scan is used, and a windowed match that spans such runs
    # must lie within its anchor's reach (a reach that counted a run as shorter would miss
    # it); one longer and the text is read whole. Both must find what the full scan finds.
    lighter = 0
    for item in load_corpus("sentences.yaml"):
        low = lowered(fold("sorry " * 300 + item["text"].replace(" ", " " * run)).text)
        broken = "\n" + low
        for scanner in default_rules().scanners.values():
            trie = scanner.lower
            full = dataclasses.replace(trie, windows=tuple(() for _ in trie.windows))
            assert trie.matches(low, broken, light_from=0) == full.matches(low, broken), low[-200:]
            read = _Read(broken, trie)
            lighter += any(trie._windows_read(at, read) for at, w in enumerate(trie.windows) if w)
    assert lighter >= 100 if run == SPACE_RUN else lighter == 0
