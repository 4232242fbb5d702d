"""Fast multi-pattern matching for rule packs.

Python's regex engine tries every alternative at every position unless the pattern starts
with a literal character, in which case it skips ahead on a first-character set. So the
alternatives that start with a literal are compiled, case-sensitively, into one trie-shaped
regex over a lowercased copy of the text (see `regex_source`), grouped by their first
letter, behind a single "no word character before" test for those that start at a word
boundary. Alternatives that cannot be written that way (they contain uppercase letters, or
start with a character class or a complex group) are compiled on their own, and skipped
when the text lacks a literal that every match of theirs contains (see `prefilter`): on a
typical letter that removes most of their cost.

(Matching pack phrases word by word through dict look-ups was measured too: in CPython it
was no faster than this one regex on a letter-sized text, so the simpler design stays.)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from guardrails.prefilter import Needs, needs, satisfied
from guardrails.regex_source import (
    BOUNDARY,
    TrieNode,
    atom_regex,
    atoms,
    expand,
    literal_first,
    needs_original_case,
)

T = TypeVar("T")
_SHORT = 200
"""Below this many characters, running a standalone pattern costs less than testing its
needs first."""


def lowered(text: str) -> str:
    """`text.lower()` with one character per character, so spans stay valid (a few
    characters, such as 'İ', lowercase to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(frozen=True, slots=True)
class Standalone:
    """A pattern compiled on its own, run over the original text or the lowered one."""

    regex: re.Pattern[str]
    needs: Needs
    original: bool
    fold: bool
    """Whether `needs` are tested against the lowered text (else the original)."""

    def skipped(self, text: str, low: str) -> bool:
        """Whether the text cannot hold a match, so the scan can be left out."""
        return (bool(self.needs) and len(text) >= _SHORT
                and not satisfied(self.needs, low if self.fold else text))


@dataclass(frozen=True, slots=True)
class Scanner(Generic[T]):
    """Named-group alternations; each group name maps to the payload it reports."""

    lower: re.Pattern[str] | None
    other: tuple[Standalone, ...]
    original: tuple[Standalone, ...]
    payloads: Mapping[str, T]

    def matches(self, text: str, low: str) -> list[tuple[T, int, int]]:
        """(payload, start, end) for the first alternative that matches at each position, in
        text order. Matches may overlap: a long match never hides one that starts inside it."""
        found: list[tuple[T, int, int]] = []
        payloads = self.payloads
        if self.lower is not None:
            # The trie regex consumes only the first character and matches the rest in a
            # lookahead; the end of the match is where the alternative's marker group sits.
            for match in self.lower.finditer(low):
                name = match.lastgroup
                if name is not None:
                    found.append((payloads[name], match.start(), match.start(name)))
        scans = [(scan.regex, text) for scan in self.original if not scan.skipped(text, low)]
        scans += [(scan.regex, low) for scan in self.other if not scan.skipped(text, low)]
        for regex, subject in scans:
            for match in regex.finditer(subject):
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
            original.append(Standalone(regex, needs(source, not case_sensitive), True,
                                       not case_sensitive))
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
                other.append(Standalone(regex, needs(variant, False), False, False))
    return Scanner(lower=lookahead_regex(root), other=tuple(other), original=tuple(original),
                   payloads=payloads)


def lookahead_regex(root: TrieNode) -> re.Pattern[str] | None:
    """The trie as one scanning regex. Alternatives that start at a word boundary sit behind
    one cheap "no word character before" test, so the trie is entered only at word starts.
    Each match consumes only its first character and checks the rest in a lookahead, so
    matches can overlap."""
    parts = []
    boundary = root.children.pop(BOUNDARY, None)
    if boundary is not None:
        heads = [f"{atom_regex(first)}(?={child.emit()})"
                 for first, child in boundary.children.items()]
        parts.append(f"(?<!\\w)(?:{'|'.join(heads)})")
    parts += [f"{atom_regex(atom)}(?={child.emit()})" for atom, child in root.children.items()]
    return re.compile("|".join(parts)) if parts else None
