"""The request rules' word lists are compiled in a shape the regex engine can skip ahead in
(`request_rules._at_word`, `_by_first`, `count_word_ascii`); each must find exactly what the
plain alternation finds, on every corpus text."""

from __future__ import annotations

import re

from guardrails.lexicon import lexicon
from guardrails.normalise import fold, lowered
from guardrails.request_rules import _alt, _at_word, _words
from tests.guardrail_rules.guardrail_corpus import load_corpus


def _texts() -> list[str]:
    texts = [item["body"] for item in load_corpus("letters.yaml")]
    texts += [item["text"] for item in load_corpus("real.yaml")]
    texts += [item["text"] for item in load_corpus("sentences.yaml")]
    return [lowered(fold(t).text) for t in texts]


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def test_word_lists_find_what_their_plain_alternation_finds() -> None:
    lists = lexicon().lists
    names = [
        name for name in lists if name.startswith("request_") and isinstance(lists[name], list)
    ]
    texts = _texts()
    found = 0
    for name in names:
        words = [str(w).lower() for w in lists[name]]
        plain = re.compile(rf"\b(?:{_alt(words)})")
        fast = re.compile(_at_word(words))
        for text in texts:
            spans = _spans(plain, text)
            assert _spans(fast, text) == spans, (name, text)
            found += len(spans)
    assert found > 100


def test_count_anchor_over_ascii_matches_the_unicode_one() -> None:
    words = _words()
    for text in [*_texts(), "1% 1% 12 people, 3 times, twenty-one 2,000 07:30"]:
        if text.isascii():
            assert _spans(words.count_word_ascii, text) == _spans(words.count_word, text)


_FIGURE_TEXT = "1% 1% 12 people, 3 times, twenty-one 2,000 07:30 half an hour, a quarter of"


def test_figure_anchors_find_what_their_plain_alternation_finds() -> None:
    words = _words()
    anchors = [
        (words.unit_word, rf"(?:{_alt(words.units)}|half|quarter)"),
        (words.multiple_word, rf"(?:{_alt(words.multiples)}|times)"),
    ]
    spelled = _alt(w for w, v in words.numbers.items() if v > 1 or w == "one")
    texts = [*_texts(), _FIGURE_TEXT, "twice thrice once fortnightly minutes hrs daytime"]
    found = 0
    for fast, source in anchors:
        plain = re.compile(source)
        for text in texts:
            spans = _spans(plain, text)
            assert _spans(fast, text) == spans, (source, text)
            found += len(spans)
    count = re.compile(r"(?:" + r"\d+(?![\d%])|" + spelled + ")")
    hint = re.compile(
        r"\d|\b(?:"
        + _alt(
            [w for w in (*words.numbers, *words.units, *words.multiples) if w not in ("a", "an")]
        )
        + r"|times|half|quarters?)"
    )
    for text in texts:
        if text.isascii():
            assert _spans(words.count_word_ascii, text) == _spans(count, text), text
        assert bool(words.figure_hint.search(text)) == bool(hint.search(text)), text
    assert found > 100
