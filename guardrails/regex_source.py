"""Reading rule-pack regex sources without compiling them: which need the original case, how
an alternative splits into a literal head and a regex tail, and the character trie that
groups alternatives by their literal heads.

The trie fixes which alternative is reported when several match at one position: the one
the emitted regex tries first (children before tails, so a longer literal head wins; then
insertion order, so rules win over cues).
"""

from __future__ import annotations

import re

# An escape (\b, \S, \U0001F300, \N{...}) is not a literal letter; anything else uppercase is.
_ESCAPE = re.compile(r"\\(?:U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|N\{[^}]*\}|.)")
_META = frozenset(".^$*+?{}[]()|\\")
QUANTIFIERS = ("?", "*", "+", "{")
BOUNDARY = "\\b"
WHITESPACE = "\\s+"


def needs_original_case(source: str) -> bool:
    """True when a pattern mentions uppercase letters or turns case-insensitivity off, so it
    cannot run against lowercased text."""
    return "(?-i" in source or any(c.isupper() for c in _ESCAPE.sub("", source))


def group_end(source: str, start: int) -> int:
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


def split_top(content: str) -> list[str]:
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


def expand(source: str, depth: int = 0) -> list[str]:
    """`\\b(?:sorry|apologies)\\s+if` becomes `\\bsorry\\s+if` and `\\bapologies\\s+if`, so
    that each alternative starts with a literal letter and can be grouped by it."""
    prefix = BOUNDARY if source.startswith("\\b(?:") else ""
    if depth > 2 or not source.startswith(f"{prefix}(?:"):
        return [source]
    end = group_end(source, len(prefix))
    if end < 0 or source[end : end + 1] in QUANTIFIERS:
        return [source]
    alternatives = split_top(source[len(prefix) + 3 : end - 1])
    if any(not alt for alt in alternatives):
        return [source]
    rest = source[end:]
    return [v for alt in alternatives for v in expand(f"{prefix}{alt}{rest}", depth + 1)]


def atoms(source: str) -> tuple[list[str], str]:
    """Split off the literal head of a regex: single characters, escaped punctuation and
    `\\s+`; returns (atoms, remaining regex). A leading `\\b` becomes the atom `\\b`."""
    found: list[str] = []
    index = 0
    if source.startswith(BOUNDARY):
        found.append(BOUNDARY)
        index = 2
    while index < len(source):
        if source.startswith(WHITESPACE, index):
            atom = WHITESPACE
        elif source[index] == "\\" and index + 1 < len(source) and not source[index + 1].isalnum():
            atom = source[index : index + 2]
        elif source[index] not in _META:
            atom = source[index]
        else:
            break
        if atom != WHITESPACE and source[index + len(atom) : index + len(atom) + 1] in QUANTIFIERS:
            break
        found.append(atom)
        index += len(atom)
    return found, source[index:]


def literal_first(head: list[str]) -> bool:
    """Whether an alternative starts (after an optional boundary) with a literal character."""
    rest = head[1:] if head[:1] == [BOUNDARY] else head
    return bool(rest) and rest[0] != WHITESPACE


def atom_regex(atom: str) -> str:
    return atom if atom.startswith("\\") else re.escape(atom)


class TrieNode:
    """A trie node over literal atoms; `tails` are (regex remainder, marker name) pairs."""

    def __init__(self) -> None:
        self.children: dict[str, TrieNode] = {}
        self.tails: list[tuple[str, str]] = []

    def add(self, head: list[str], tail: str, name: str) -> None:
        node = self
        for atom in head:
            node = node.children.setdefault(atom, TrieNode())
        node.tails.append((tail, name))

    def emit(self) -> str:
        """One regex for the subtree; each alternative ends in an empty group named after it.
        Children come before tails, so a longer literal phrase wins over a shorter one."""
        parts = [atom_regex(atom) + child.emit() for atom, child in self.children.items()]
        parts += [f"{tail}(?P<{name}>)" for tail, name in self.tails]
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
