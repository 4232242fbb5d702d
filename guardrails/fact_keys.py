"""The keys of a text's facts, parsed one kind at a time: for the caller's request, which is
new on every check, where a draft usually asks about one or two kinds of fact, or none."""

from __future__ import annotations

from guardrails.fact_candidates import digit_led
from guardrails.facts import DIGIT_LED, FACT_SCANNER, is_word_start, make_fact
from guardrails.scanner import lowered

# The fact kind each scanner payload or digit-led group can produce (`make_fact`).
_KIND_OF = {
    "pre": "amount",
    "post": "amount",
    "pct": "percent",
    "mult": "metric",
    "dday": "date",
    "dmonth": "date",
    "iso": "date",
    "dur": "duration",
    "wd": "weekday",
}


class FactKeys:
    """The keys of a text's facts, parsed one kind at a time, on demand.

    Each fact is parsed from its own match, independently of the others, so the keys of one
    kind are exactly those `extract_facts` would give that kind; the two passes (the fact
    scanner and the digit-led pattern) run only when a kind asked for can come from them,
    and only matches of that kind are parsed. Used for the caller's request, which is new
    on every check, where usually one or two kinds are asked about."""

    __slots__ = ("_digit_led", "_keys", "_scanned", "low", "text")

    def __init__(self, text: str) -> None:
        self.text, self.low = text, lowered(text)
        self._scanned: list[tuple[str, int, int]] | None = None
        self._digit_led: list[tuple[str, int, int]] | None = None
        self._keys: dict[str, frozenset[tuple[str, ...]]] = {}

    def keys(self, kind: str) -> frozenset[tuple[str, ...]]:
        """The keys of every fact of `kind` (not `code`) in the text."""
        if kind not in self._keys:
            text, low = self.text, self.low
            groups = {group for group, of in _KIND_OF.items() if of == kind}
            found: list[tuple[str, int, int]] = []
            if groups & {"pre", "dmonth", "dur", "wd"}:
                if self._scanned is None:
                    self._scanned = [
                        (payload[5:], start, end)
                        for payload, start, end in FACT_SCANNER.matches(text, low)
                    ]
                found += self._scanned
            if groups & {"post", "pct", "mult", "dday", "iso"}:
                if self._digit_led is None:
                    self._digit_led = digit_led(text, low, DIGIT_LED)
                found += self._digit_led
            keys = set()
            for group, start, end in found:
                if group in groups and is_word_start(low, start):
                    fact = make_fact(group, low[start:end], start, end)
                    if fact is not None:
                        keys.add(fact.key)
            self._keys[kind] = frozenset(keys)
        return self._keys[kind]
