"""`letter_slips._name_spans` finds the reader's name without compiling a pattern per name;
it must find exactly what the pattern would, on every corpus text and on hand-written
texts aimed at titles, possessives and names inside other words."""

from __future__ import annotations

import re

from guardrails.letter_slips import _TITLE, _name_spans
from tests.guardrail_rules.guardrail_corpus import load_corpus

_NAMES = [
    ["Dana Whitfield", "Dana", "Whitfield"],
    ["Mrs Robinson", "Mrs", "Robinson"],
    ["Jo", "Jo"],
    ["O'Brien"],
    ["Ana-Maria Ruiz", "Ana-Maria", "Ruiz"],
]

_HAND = [
    "Dear Dana,\n\nWe told Dana's team that Mr. Whitfield and Ms  Whitfield were owed.",
    "Mrs Robinson's order; Mrs Robinson, and Mr Robinson. MrsRobinson Mrs.Robinson",
    "Jo, Joanne and Jo-Jo met Dr Jo at jo@example.com or .Jo and _Jo; Prof. Jo's note",
    "O'Brien's O'Briens O'Brien. Ana-Maria Ruiz's file, Ana-Marias, Ana-Maria-Ruiz",
    "Dana Whitfield Whitfield Dana Dana Whitfield's Miss Dana Mx Dana Dr Dana",
]


def _texts() -> list[str]:
    texts = [item["body"] for item in load_corpus("letters.yaml")]
    texts += [item["text"] for item in load_corpus("real.yaml")]
    return texts + _HAND


def test_name_spans_are_the_patterns_matches() -> None:
    found = 0
    for parts in _NAMES:
        names = "|".join(re.escape(p) for p in parts)
        pattern = re.compile(rf"(?<![\w@.]){_TITLE}(?:{names})(?![\w@'’-])")
        for text in _texts():
            spans = [m.span() for m in pattern.finditer(text)]
            assert list(_name_spans(text, parts)) == spans, (parts, text)
            found += len(spans)
    assert found > 20
