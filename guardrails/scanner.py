"""Fast multi-pattern matching for rule packs.

Python's regex engine tries every alternative at every position unless the pattern starts
with a literal character, in which case it skips ahead on a first-character set. So the
alternatives that start with a literal are compiled, case-sensitively, into trie-shaped
regexes over a lowercased copy of the text (see `regex_source`), grouped by their first
letter; those that start at a word boundary are found from the non-word character before
them (see `lookahead_regexes`). Alternatives that cannot be written that way (they contain
uppercase letters, or start with a character class or a complex group) are compiled on
their own.

(Matching pack phrases word by word through dict look-ups was measured too: in CPython it
was no faster than this one regex on a letter-sized text, so the simpler design stays.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from guardrails.regex_source import (
    BOUNDARY,
    Needs,
    TrieNode,
    atom_regex,
    atoms,
    expand,
    literal_first,
    needs,
    needs_original_case,
)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Standalone:
    """A pattern compiled on its own, run over the original text or the lowered one, only
    when the text holds what every match needs (most of these patterns start with a class
    or a boundary, so the engine would try them at every position of every text)."""

    regex: re.Pattern[str]
    original: bool
    needs: Needs
    ignore_case: bool

    def may_match(self, subject: str, low: str, ascii_text: bool) -> bool:
        """Whether `subject` (the text it runs over) holds what every match needs. A pattern
        that ignores case looks for lowercase strings in `low`, only when the text is ASCII:
        there lowercasing is exactly the engine's case folding."""
        if self.ignore_case:
            return not ascii_text or self.needs.met(low, ascii_text)
        return self.needs.met(subject, ascii_text)

    @classmethod
    def of(cls, regex: re.Pattern[str], original: bool) -> Standalone:
        return cls(regex, original, needs(regex), bool(regex.flags & re.IGNORECASE))


@dataclass(frozen=True, slots=True)
class Trie:
    """The literal-first alternatives as regexes over the lowered text (see
    `lookahead_regexes`): those that start at a word start, found from the non-word
    character before them (`after_break`), and the rest (`inside`). At one position an
    alternative of the first kind wins over one of the second, as it did when both were one
    alternation."""

    after_break: re.Pattern[str] | None
    inside: re.Pattern[str] | None

    def matches(self, low: str) -> list[tuple[str, int, int]]:
        """(group name, start, end) of the first alternative matching at each position."""
        found: dict[int, tuple[str, int, int]] = {}
        if self.after_break is not None:
            # Each match is the break character; the alternative starts right after it. The
            # text is read after a line break, so that an alternative at its very start is
            # found like any other (a line break is what the packs' look-behinds, such as
            # "not after another character on the line", see before a text's first word).
            for match in self.after_break.finditer("\n" + low):
                if (name := match.lastgroup) is not None:
                    start = match.end() - 1
                    found[start] = (name, start, match.start(name) - 1)
        if self.inside is None:
            return list(found.values())
        for match in self.inside.finditer(low):
            name = match.lastgroup
            if name is not None and match.start() not in found:
                found[match.start()] = (name, match.start(), match.start(name))
        return sorted(found.values(), key=lambda item: item[1])


@dataclass(frozen=True, slots=True)
class Scanner(Generic[T]):
    """Named-group alternations; each group name maps to the payload it reports."""

    lower: Trie
    other: tuple[Standalone, ...]
    original: tuple[Standalone, ...]
    payloads: Mapping[str, T]

    def matches(self, text: str, low: str) -> list[tuple[T, int, int]]:
        """(payload, start, end) for the first alternative that matches at each position, in
        text order. Matches may overlap: a long match never hides one that starts inside it."""
        payloads = self.payloads
        found = [(payloads[name], start, end) for name, start, end in self.lower.matches(low)]
        ascii_text = text.isascii()
        scans = [(scan, text) for scan in self.original]
        scans += [(scan, low) for scan in self.other]
        for scan, subject in scans:
            if not scan.may_match(subject, low, ascii_text):
                continue
            for match in scan.regex.finditer(subject):
                name = match.lastgroup
                if name is not None and match.end() > match.start():
                    found.append((payloads[name], match.start(), match.end()))
        if self.original or self.other:
            found.sort(key=lambda item: item[1])
        return found


def build_scanner(alternatives: Sequence[tuple[str, bool, T]]) -> Scanner[T]:
    """Compile (regex source, case-sensitive?, payload) alternatives into a Scanner."""
    root = TrieNode()
    other: list[Standalone] = []
    original: list[Standalone] = []
    payloads: dict[str, T] = {}
    for index, (source, case_sensitive, payload) in enumerate(alternatives):
        if case_sensitive or needs_original_case(source):
            # Compiled alone, so that a leading character class still gives the engine a
            # first-character set to skip on.
            name = f"o{index}"
            flags = 0 if case_sensitive else re.IGNORECASE
            regex = re.compile(f"(?:{source})(?P<{name}>)", flags)
            original.append(Standalone.of(regex, True))
            payloads[name] = payload
            continue
        for part, variant in enumerate(expand(source)):
            # An empty named group at the end marks the alternative without hiding its first
            # literal from the engine's fast path; it is always the last group to close.
            name = f"g{index}_{part}"
            payloads[name] = payload
            head, rest = atoms(variant)
            if literal_first(head):
                root.add(head, rest, name)
            else:
                regex = re.compile(f"(?:{variant})(?P<{name}>)")
                other.append(Standalone.of(regex, False))
    return Scanner(
        lower=lookahead_regexes(root),
        other=tuple(other),
        original=tuple(original),
        payloads=payloads,
    )


def lookahead_regexes(root: TrieNode) -> Trie:
    """The trie as scanning regexes. Each match checks the alternative in a lookahead, so
    matches can overlap.

    Alternatives that start at a word boundary are found from the non-word character before
    them: a pattern that starts with a character class lets the engine skip, in C, over the
    characters inside words, where a leading "no word character before" test would be tried
    (and fail) at every one of them. That is most of the text, and most of the scan's cost.
    (`Trie.matches` puts a line break before the text for position 0.)"""
    boundary = root.children.pop(BOUNDARY, None)
    after_break = inside = None
    if boundary is not None:
        after_break = re.compile(f"[^\\w](?={boundary.emit()})")
    if root.children:
        inside = re.compile(
            "|".join(
                f"{atom_regex(atom)}(?={child.emit()})" for atom, child in root.children.items()
            )
        )
    return Trie(after_break, inside)
