"""Reading rule-pack regex sources without compiling them: which need the original case, how
an alternative splits into a literal head and a regex tail, and the character trie that
groups alternatives by their literal heads.

The trie fixes which alternative is reported when several match at one position: the one
the emitted regex tries first (children before tails, so a longer literal head wins; then
insertion order, so rules win over cues).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from re import _constants, _parser  # type: ignore[attr-defined]
from typing import Any

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

    def names(self) -> list[str]:
        """The marker names of the subtree, in the order `emit` tries them."""
        found = [name for child in self.children.values() for name in child.names()]
        return found + [name for _, name in self.tails]

    def pruned(self, kept: frozenset[str]) -> TrieNode | None:
        """A copy of the subtree with only the alternatives named in `kept`, in the same
        order; None when none is left."""
        node = TrieNode()
        for atom, child in self.children.items():
            if (copy := child.pruned(kept)) is not None:
                node.children[atom] = copy
        node.tails = [(tail, name) for tail, name in self.tails if name in kept]
        return node if node.children or node.tails else None

    def emit(self) -> str:
        """One regex for the subtree; each alternative ends in an empty group named after it.
        Children come before tails, so a longer literal phrase wins over a shorter one."""
        parts = [atom_regex(atom) + child.emit() for atom, child in self.children.items()]
        parts += [f"{tail}(?P<{name}>)" for tail, name in self.tails]
        return parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"


# --- what every match of a compiled regex must contain --------------------------------------

_MAX_STRINGS = 64
_EMPTY: frozenset[str] = frozenset({""})
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, _constants.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (_constants.AT, _constants.ASSERT, _constants.ASSERT_NOT)


@dataclass(frozen=True, slots=True)
class Needs:
    """What any match of a regex must contain: one string of each set in `strings`, and a
    non-ASCII character when `non_ascii`. A text without them has no match, so the regex need
    not run over it (the check is a few `in` tests, each a fast C search). Each set is
    ordered shortest first: a short string is the likeliest to be in a text, and a search
    that finds one ends early, where one that finds nothing reads the whole text."""

    strings: tuple[tuple[str, ...], ...]
    non_ascii: bool

    def met(self, subject: str, ascii_subject: bool) -> bool:
        if self.non_ascii and ascii_subject:
            return False
        for choice in self.strings:
            for string in choice:
                if string in subject:
                    break
            else:
                return False
        return True


def needs(pattern: re.Pattern[str]) -> Needs:
    """What every match of `pattern` must contain, read from its parsed form: literal strings
    (lowercased when the pattern ignores case; those are then to be looked for in the lowered
    text, and only an ASCII text, whose lowercasing is exactly the engine's case folding)."""
    tree = _parser.parse(pattern.pattern, pattern.flags)
    return _needs_of(list(tree), bool(pattern.flags & re.IGNORECASE))


@lru_cache(maxsize=4096)
def window_needs(source: str) -> Needs | None:
    """`needs` of a regex source compiled without flags, read without compiling it, when it
    `reads_ahead`; None when it does not. The source is parsed once for both (and once for
    every alternative with the same tail: a pack's list of nouns before one tail, and each
    posture's scanner)."""
    if not _may_read_ahead(source):
        return None
    items = list(_parser.parse(source))
    return _needs_of(items, False) if _reads_ahead(items) else None


SPACE_RUN = 8
"""The longest run of white space `anchor` counts with for a repeated `\\s`: a text with a
longer run is read as if no alternative had an anchor."""


def anchor(head: str, tail: str) -> tuple[tuple[str, ...], int] | None:
    """Strings one of which every match of `head` then `tail` holds, starting at most `reach`
    characters after the match's start, as (strings, reach), in a text whose runs of white
    space are at most `SPACE_RUN` long; None when no element of `tail` that every match
    needs starts a bounded way in. The element is one of the top-level elements of `tail`
    (`head` is a literal, there wherever the alternative is tried), or a run of exact ones:
    the one whose strings are likeliest rare (the longest shortest string, then the fewest
    strings)."""
    reach = _max_width(list(_parser.parse(head)))
    found = _tail_anchor(tail)
    return None if reach is None or found is None else (found[0], reach + found[1])


@lru_cache(maxsize=4096)
def _tail_anchor(tail: str) -> tuple[tuple[str, ...], int] | None:
    """`anchor` of `tail` after an empty head."""
    items = list(_parser.parse(tail))
    best: tuple[tuple[int, int], tuple[str, ...], int] | None = None
    at = reach = 0
    while at < len(items):
        end = at + 1
        while _exact(items[at], False) is not None and end < len(items):
            if _exact(items[end], False) is None:
                break
            end += 1
        width = _max_width(items[at:end])
        if width is None:
            break
        for choice in _sequence_needs(items[at:end], False)[0]:
            rarity = (-min(len(s) for s in choice), len(choice))
            if best is None or rarity < best[0]:
                best = (rarity, tuple(sorted(choice)), reach + width)
        reach += width
        at = end
    return None if best is None else best[1:]


def _max_width(items: list[tuple[Any, Any]]) -> int | None:
    """The most characters a match of the sequence can read (a repeated `\\s` at most
    `SPACE_RUN`), or None when that is unbounded or unknown."""
    total = 0
    for op, av in items:
        inner: list[list[tuple[Any, Any]]] = []
        times = 1
        if op in _ZERO_WIDTH:
            continue
        if op in (_constants.LITERAL, _constants.NOT_LITERAL, _constants.IN, _constants.ANY):
            total += 1
            continue
        if op is _constants.SUBPATTERN:
            inner = [list(av[3])]
        elif op is _constants.ATOMIC_GROUP:
            inner = [list(av)]
        elif op is _constants.BRANCH:
            inner = [list(alternative) for alternative in av[1]]
        elif op in _REPEATS and av[1] != _constants.MAXREPEAT:
            inner, times = [list(av[2])], av[1]
        elif op in _REPEATS and list(av[2]) == [_SPACE]:
            total += SPACE_RUN
            continue
        else:
            return None
        widths = [_max_width(part) for part in inner]
        if any(width is None for width in widths):
            return None
        total += times * max(width for width in widths if width is not None)
    return total


_SPACE = (_constants.IN, [(_constants.CATEGORY, _constants.CATEGORY_SPACE)])


def alternatives_needs(pattern: re.Pattern[str]) -> tuple[Needs, ...] | None:
    """What a match of each top-level alternative of `pattern` must contain: a text that
    meets none of them holds no match (a sharper test than `needs`, which keeps only what
    the alternatives need in common). None when an alternative needs nothing, or the pattern
    ignores case."""
    if pattern.flags & re.IGNORECASE:
        return None
    items = list(_parser.parse(pattern.pattern, pattern.flags))
    # The parser moves a start the alternatives share (`\\b`) out in front of the branch.
    at = next((k for k, (op, _) in enumerate(items) if op is _constants.BRANCH), None)
    variants = (
        [items]
        if at is None
        else [items[:at] + list(alternative) + items[at + 1 :] for alternative in items[at][1][1]]
    )
    found = [_needs_of(variant, False) for variant in variants]
    if any(not need.strings and not need.non_ascii for need in found):
        return None
    return tuple(found)


def may_hold(alternatives: tuple[Needs, ...] | None, text: str) -> bool:
    """Whether `text` meets what one of `alternatives` (from `alternatives_needs`) needs;
    always when that is unknown."""
    if alternatives is None:
        return True
    ascii_text = text.isascii()
    return any(need.met(text, ascii_text) for need in alternatives)


def _needs_of(items: list[tuple[Any, Any]], ignore_case: bool) -> Needs:
    choices, non_ascii = _sequence_needs(items, ignore_case)
    if ignore_case:
        choices = [frozenset(s.lower() for s in choice) for choice in choices]
    # The rarest first: the longest shortest string, then the fewest strings.
    choices.sort(key=lambda c: (-min(len(s) for s in c), len(c)))
    ordered = (tuple(sorted(choice, key=lambda s: (len(s), s))) for choice in choices)
    return Needs(tuple(ordered), non_ascii)


def _exact(item: tuple[Any, Any], ignore_case: bool) -> frozenset[str] | None:
    """The finite set of strings an element of a parsed regex matches, when it is small."""
    op, av = item
    if op is _constants.LITERAL:
        return frozenset({chr(av)})
    if op in _ZERO_WIDTH:
        return _EMPTY  # consumes nothing; constrains, which only removes matches
    if op is _constants.IN:
        if all(o is _constants.LITERAL for o, _ in av) and len(av) <= 10:
            return frozenset(chr(a) for _, a in av)
        return None
    if op is _constants.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if (add_flags | del_flags) & re.IGNORECASE and not ignore_case:
            return None
        return _sequence_exact(list(sub), ignore_case)
    if op is _constants.BRANCH:
        found: set[str] = set()
        for alternative in av[1]:
            strings = _sequence_exact(list(alternative), ignore_case)
            if strings is None:
                return None
            found |= strings
        return frozenset(found) if len(found) <= _MAX_STRINGS else None
    if op in _REPEATS and av[0] == av[1]:
        inner = _sequence_exact(list(av[2]), ignore_case)
        return None if inner is None else _power(inner, av[0])
    return None


def _power(strings: frozenset[str], times: int) -> frozenset[str] | None:
    found: frozenset[str] | None = _EMPTY
    for _ in range(times):
        found = None if found is None else _product(found, strings)
    return found


def _product(left: frozenset[str], right: frozenset[str]) -> frozenset[str] | None:
    if len(left) * len(right) > _MAX_STRINGS:
        return None
    return frozenset(a + b for a in left for b in right)


def _sequence_exact(items: list[tuple[Any, Any]], ignore_case: bool) -> frozenset[str] | None:
    found: frozenset[str] | None = _EMPTY
    for item in items:
        strings = _exact(item, ignore_case)
        if strings is None or found is None:
            return None
        found = _product(found, strings)
    return found


def _sequence_needs(
    items: list[tuple[Any, Any]], ignore_case: bool
) -> tuple[list[frozenset[str]], bool]:
    """The string sets every match of a sequence of elements contains (runs of exact elements,
    and what each required inner element needs), and whether it needs a non-ASCII character."""
    choices: list[frozenset[str]] = []
    non_ascii = False
    run = _EMPTY

    def close() -> None:
        nonlocal run
        if run != _EMPTY and "" not in run:
            choices.append(run)
        run = _EMPTY

    for item in items:
        strings = _exact(item, ignore_case)
        joined = None if strings is None else _product(run, strings)
        if joined is not None:
            run = joined
            continue
        op, av = item
        if strings is None and op in _REPEATS and av[0] >= 1:
            repeated = _sequence_exact(list(av[2]), ignore_case)
            repeated = None if repeated is None else _power(repeated, av[0])
            if repeated is not None:
                # At least `min` copies in a row, after the run so far; then anything.
                run = _product(run, repeated) or repeated
                close()
                continue
        close()
        if strings is not None:
            run = strings
            continue
        inner: list[tuple[Any, Any]] | None = None
        if op is _constants.SUBPATTERN:
            if not (av[1] | av[2]) & re.IGNORECASE or ignore_case:
                inner = list(av[3])
        elif op in _REPEATS and av[0] >= 1:
            inner = list(av[2])
        elif op is _constants.ATOMIC_GROUP:
            inner = list(av)
        elif op is _constants.BRANCH:
            union: set[str] = set()
            for alternative in av[1]:
                found, _ = _sequence_needs(list(alternative), ignore_case)
                if not found:
                    union = set()
                    break
                union |= max(found, key=lambda c: (min(len(s) for s in c), -len(c)))
            if union and len(union) <= _MAX_STRINGS:
                choices.append(frozenset(union))
        elif op is _constants.IN:
            non_ascii = non_ascii or _all_non_ascii(av)
        if inner is not None:
            found, inner_non_ascii = _sequence_needs(inner, ignore_case)
            choices += found
            non_ascii = non_ascii or inner_non_ascii
    close()
    return choices, non_ascii


def _all_non_ascii(members: list[tuple[Any, Any]]) -> bool:
    """Whether a character class matches only non-ASCII characters."""
    for op, av in members:
        if op is _constants.LITERAL and av > 127:
            continue
        if op is _constants.RANGE and av[0] > 127:
            continue
        return False
    return bool(members)


def reads_ahead(source: str) -> bool:
    """Whether a regex reads a window ahead: a lazy repeat, or a repeat bounded at two or more
    counts ("[^.!?\\n]{0,80}?", "(?:[a-z-]+\\s+){0,2}"). The engine tries what follows at
    every length of such a window, so at a common word these are most of a scan's cost."""
    return _may_read_ahead(source) and _reads_ahead(list(_parser.parse(source)))


def _may_read_ahead(source: str) -> bool:
    # A bounded repeat is written with a brace, a lazy one with "?" after.
    return "{" in source or any(lazy in source for lazy in ("*?", "+?", "??"))


def _reads_ahead(items: list[tuple[Any, Any]]) -> bool:
    stack = [items]
    while stack:
        for op, av in stack.pop():
            if op is _constants.MIN_REPEAT:
                return True
            if op is _constants.MAX_REPEAT and av[1] != _constants.MAXREPEAT and av[1] - av[0] >= 2:
                return True
            if op in _REPEATS:
                stack.append(list(av[2]))
            elif op is _constants.SUBPATTERN:
                stack.append(list(av[3]))
            elif op is _constants.BRANCH:
                stack += [list(alternative) for alternative in av[1]]
            elif op in (_constants.ASSERT, _constants.ASSERT_NOT):
                stack.append(list(av[1]))
            elif op is _constants.ATOMIC_GROUP:
                stack.append(list(av))
    return False


# --- which characters a match of a compiled regex can start with -----------------------------

_MAX_FIRST = 12


def skip_ahead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern`, led by a look-ahead for the characters a match can start with, when it
    starts with a test that reads nothing (`\\b`, a look-behind) and those characters are
    few: the engine tries the pattern at every position, and there one class test fails where
    the boundary and every look-behind would be evaluated first. The same matches: the
    look-ahead holds wherever the pattern matches (compiled with the pattern's flags, so
    that in a pattern that ignores case it accepts every case of those characters, as the
    pattern does). (Python's engine skips ahead on its own only to a first literal or class,
    not past a test that reads nothing.)"""
    if not _starts_zero_width(list(_parser.parse(pattern.pattern, pattern.flags))):
        return pattern
    first = first_class(pattern)
    return pattern if first is None else re.compile(f"(?={first}){pattern.pattern}", pattern.flags)


def first_class(pattern: re.Pattern[str], most: int = _MAX_FIRST) -> str | None:
    """A character class of the characters a match of `pattern` can start with, when they
    are few (at most `most`, no white space, and no match is empty), else None."""
    chars, empty = _first_chars(list(_parser.parse(pattern.pattern, pattern.flags)))
    # White space is too common a first character for a look-ahead to save anything.
    if chars is None or empty or len(chars) > most or any(c[-1].isspace() for c in chars):
        return None
    return f"[{''.join(sorted(chars))}]"


def _starts_zero_width(items: list[tuple[Any, Any]]) -> bool:
    while items:
        op, av = items[0]
        if op is _constants.SUBPATTERN and not (av[1] | av[2]):
            items = list(av[3])
            continue
        return op in _ZERO_WIDTH
    return False


def _first_chars(items: list[tuple[Any, Any]]) -> tuple[frozenset[str] | None, bool]:
    """The characters a match of the sequence `items` can start with, as members of a
    character class (an escaped character, or `\\d` for any digit; None when they are not a
    small known set), and whether the sequence can match the empty string."""
    found: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        chars, empty = _first_chars_of(op, av)
        if chars is None:
            return None, False
        found |= chars
        if not empty:
            return frozenset(found), False
    return frozenset(found), True


def _first_chars_of(op: Any, av: Any) -> tuple[frozenset[str] | None, bool]:
    if op is _constants.LITERAL:
        return frozenset({re.escape(chr(av))}), False
    if op is _constants.IN:
        found: set[str] = set()
        for member, value in av:
            if member is _constants.LITERAL:
                found.add(re.escape(chr(value)))
            elif member is _constants.CATEGORY and value is _constants.CATEGORY_DIGIT:
                found.add("\\d")  # digits are few among a text's characters
            else:
                return None, False
        return frozenset(found), False
    if op is _constants.SUBPATTERN:
        if (av[1] | av[2]) & re.IGNORECASE:
            return None, False
        return _first_chars(list(av[3]))
    if op is _constants.ATOMIC_GROUP:
        return _first_chars(list(av))
    if op is _constants.BRANCH:
        union: set[str] = set()
        any_empty = False
        for alternative in av[1]:
            chars, empty = _first_chars(list(alternative))
            if chars is None:
                return None, False
            union |= chars
            any_empty = any_empty or empty
        return frozenset(union), any_empty
    if op in _REPEATS:
        chars, empty = _first_chars(list(av[2]))
        return chars, empty or av[0] == 0
    return None, False
