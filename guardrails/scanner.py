"""Fast multi-pattern matching for rule packs.

Python's regex engine tries every alternative at every position unless the pattern starts
with a literal character, in which case it skips ahead on a first-character set. So the
alternatives of a family are compiled, case-sensitively, into one regex over a lowercased
copy of the text, grouped by their first letter (`w(?<!\\w.)(?:e\\s+take|e\\s+have)|...`),
with the word-boundary test moved after that first letter. Alternatives that cannot be
written that way (they contain uppercase letters, or start with punctuation or a complex
group) go into a second, case-insensitive regex run over the original text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

# An escape (\b, \S, \U0001F300, \N{...}) is not a literal letter; anything else uppercase is.
_ESCAPE = re.compile(r"\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|N\{[^}]*\}|.)")


def needs_original_case(source: str) -> bool:
    """True when a pattern mentions uppercase letters or turns case-insensitivity off, so it
    cannot run against lowercased text."""
    return "(?-i" in source or any(c.isupper() for c in _ESCAPE.sub("", source))


def lowered(text: str) -> str:
    """`text.lower()` with one character per character, so spans stay valid (a few
    characters, such as 'İ', lowercase to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _group_end(source: str, start: int) -> int:
    """Index just past the group that opens at `source[start]`, or -1."""
    depth, index, in_class = 0, start, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return -1


def _split_top(content: str) -> list[str]:
    """Split a group's content on its top-level `|`."""
    parts: list[str] = []
    current: list[str] = []
    depth, in_class, index = 0, False, 0
    while index < len(content):
        char = content[index]
        step = content[index : index + 2] if char == "\\" else char
        if not in_class and char == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(step)
            if char != "\\":
                if in_class:
                    in_class = char != "]"
                elif char == "[":
                    in_class = True
                elif char in "()":
                    depth += 1 if char == "(" else -1
        index += len(step)
    parts.append("".join(current))
    return parts


def _expand(source: str, depth: int = 0) -> list[str]:
    # `\b(?:sorry|apologies)\s+if` becomes `\bsorry\s+if` and `\bapologies\s+if`, so that each
    # alternative starts with a literal letter and can be grouped by it.
    prefix = "\\b" if source.startswith("\\b(?:") else ""
    if depth > 2 or not source.startswith(f"{prefix}(?:"):
        return [source]
    end = _group_end(source, len(prefix))
    if end < 0 or source[end : end + 1] in ("?", "*", "+", "{"):
        return [source]
    alternatives = _split_top(source[len(prefix) + 3 : end - 1])
    if any(not alt for alt in alternatives):
        return [source]
    rest = source[end:]
    return [v for alt in alternatives for v in _expand(f"{prefix}{alt}{rest}", depth + 1)]


@dataclass(frozen=True, slots=True)
class Scanner(Generic[T]):
    """Named-group alternations; each group name maps to the payload it reports."""

    lower: re.Pattern[str] | None
    other: tuple[re.Pattern[str], ...]
    original: tuple[re.Pattern[str], ...]
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
        scans = [(regex, text) for regex in self.original]
        scans += [(regex, low) for regex in self.other]
        for regex, subject in scans:
            for match in regex.finditer(subject):
                name = match.lastgroup
                if name is not None and match.end() > match.start():
                    found.append((payloads[name], match.start(), match.end()))
        if scans:
            found.sort(key=lambda item: item[1])
        return found


_META = frozenset(".^$*+?{}[]()|\\")
_QUANTIFIERS = ("?", "*", "+", "{")


def _atoms(source: str) -> tuple[list[str], str]:
    """Split off the literal head of a regex: single characters, escaped punctuation and
    `\\s+`; returns (atoms, remaining regex). A leading `\\b` becomes the atom `\\b`."""
    atoms: list[str] = []
    index = 0
    if source.startswith("\\b"):
        atoms.append("\\b")
        index = 2
    while index < len(source):
        if source.startswith("\\s+", index):
            atom = "\\s+"
        elif source[index] == "\\" and index + 1 < len(source) and not source[index + 1].isalnum():
            atom = source[index : index + 2]
        elif source[index] not in _META:
            atom = source[index]
        else:
            break
        if atom != "\\s+" and source[index + len(atom) : index + len(atom) + 1] in _QUANTIFIERS:
            break
        atoms.append(atom)
        index += len(atom)
    return atoms, source[index:]


class _Node:
    """A trie node over literal atoms; `tails` are the regex remainders that end here."""

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.tails: list[str] = []

    def add(self, atoms: list[str], tail: str) -> None:
        node = self
        for atom in atoms:
            node = node.children.setdefault(atom, _Node())
        node.tails.append(tail)

    def emit(self) -> str:
        # Children before tails, so a longer literal phrase wins over a shorter one.
        parts = [_atom_regex(atom) + child.emit() for atom, child in self.children.items()]
        parts += self.tails
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


def _atom_regex(atom: str) -> str:
    return atom if atom.startswith("\\") else re.escape(atom)


def _literal_first(atoms: list[str]) -> bool:
    """Whether the alternative starts (after an optional boundary) with a literal character."""
    head = atoms[1:] if atoms[:1] == ["\\b"] else atoms
    return bool(head) and head[0] != "\\s+"


def build_scanner(alternatives: Sequence[tuple[str, bool, T]]) -> Scanner[T]:
    """Compile (regex source, case-sensitive?, payload) alternatives into a Scanner."""
    root = _Node()
    other: list[re.Pattern[str]] = []
    original: list[re.Pattern[str]] = []
    payloads: dict[str, T] = {}
    for index, (source, case_sensitive, payload) in enumerate(alternatives):
        if case_sensitive or needs_original_case(source):
            # Compiled alone, so that a leading character class still gives the engine a
            # first-character set to skip on.
            name = f"o{index}"
            flags = 0 if case_sensitive else re.IGNORECASE
            original.append(re.compile(f"(?:{source})(?P<{name}>)", flags))
            payloads[name] = payload
            continue
        for part, variant in enumerate(_expand(source)):
            # An empty named group at the end marks the alternative without hiding its first
            # literal from the engine's fast path; it is always the last group to close.
            name = f"g{index}_{part}"
            payloads[name] = payload
            atoms, rest = _atoms(variant)
            if _literal_first(atoms):
                root.add(atoms, f"{rest}(?P<{name}>)")
            else:
                other.append(re.compile(f"(?:{variant})(?P<{name}>)"))
    # Alternatives that start at a word boundary sit behind one cheap "no word character
    # before" test, so the trie is entered only at word starts. Each match consumes only its
    # first character and checks the rest in a lookahead, so matches can overlap.
    parts = []
    boundary = root.children.pop("\\b", None)
    if boundary is not None:
        heads = [f"{_atom_regex(first)}(?={child.emit()})"
                 for first, child in boundary.children.items()]
        parts.append(f"(?<!\\w)(?:{'|'.join(heads)})")
    parts += [f"{_atom_regex(atom)}(?={child.emit()})" for atom, child in root.children.items()]
    return Scanner(
        lower=re.compile("|".join(parts)) if parts else None,
        other=tuple(other),
        original=tuple(original),
        payloads=payloads,
    )
