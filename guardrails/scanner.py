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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from guardrails.regex_source import (
    BOUNDARY,
    WHITESPACE,
    Needs,
    TrieNode,
    atom_regex,
    atoms,
    expand,
    literal_first,
    needs,
    needs_original_case,
    skip_ahead,
    window_needs,
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
        return cls(skip_ahead(regex), original, needs(regex), bool(regex.flags & re.IGNORECASE))


_LIGHT_FROM = 1000
"""The length from which a text is tested for the light scan (see `Trie.light`)."""
_WORD_RUN = re.compile(r"\w+")
_FIRST_GATES = 8
"""How many gates (the likeliest met) are looked for in the text itself, before its words."""
_PER_REGEX = 400
"""How many alternatives one word-start regex holds at most, unless one first character
has more (see `lookahead_regexes`)."""


@dataclass(frozen=True, slots=True)
class Trie:
    """The literal-first alternatives as regexes over the lowered text (see
    `lookahead_regexes`): those that start at a word start (`after_break`, one regex per
    group of first characters, `first` telling which), and the rest (`inside`). At one
    position an alternative of the first kind wins over one of the second, as it did when
    both were one alternation."""

    after_break: tuple[re.Pattern[str], ...]
    first: Mapping[str, int]
    """The first character of a word-start alternative -> its regex in `after_break`."""
    inside: re.Pattern[str] | None
    light_sources: tuple[str, ...] | None = None
    """The sources of `light`, compiled the first time a text needs them (most never do: a
    letter meets one of the likeliest gates, and compiling them takes a second or two)."""
    gates: tuple[Needs, ...] = ()
    """What the alternatives left out of `light` need, one entry each (deduplicated): when
    the text meets any of them, `after_break` runs. Empty when `light` is not in use."""
    wordy: frozenset[str] = frozenset()
    """The strings of `gates` made of word characters only."""
    _compiled: list[tuple[re.Pattern[str], ...]] = field(
        default_factory=list, compare=False, repr=False
    )

    @property
    def light(self) -> tuple[re.Pattern[str], ...] | None:
        """`after_break` without the alternatives that read a window ahead (see
        `reads_ahead`), for a text that holds none of what they need (`gates`): there they
        cannot match, so this finds the same matches, without trying each window at every
        common word."""
        if self.light_sources is None:
            return None
        if not self._compiled:
            self._compiled.append(tuple(re.compile(source) for source in self.light_sources))
        return self._compiled[0]

    def _after_break(
        self, broken: str, light_from: int = _LIGHT_FROM
    ) -> tuple[re.Pattern[str], ...]:
        """The regexes to scan `broken` with: `light` when no alternative it leaves out can
        match in it. A text shorter than `light_from` is scanned whole: there the scan costs
        less than the test."""
        light = self.light_sources is not None and self.gates
        if not light or len(broken) < light_from:
            return self.after_break
        ascii_text = broken.isascii()
        if any(gate.met(broken, ascii_text) for gate in self.gates[:_FIRST_GATES]):
            return self.after_break  # most texts: one of the likeliest gates is met
        # The rest are looked for among the text's distinct words where they can be: a
        # string of word characters is in the text exactly when it is in one of its words,
        # and a long text that needs no window repeats its words (one searched once each).
        words = " ".join(set(_WORD_RUN.findall(broken)))
        for gate in self.gates[_FIRST_GATES:]:
            if gate.non_ascii and ascii_text:
                continue
            if all(
                any(s in (words if s in self.wordy else broken) for s in choice)
                for choice in gate.strings
            ):
                return self.after_break
        return self.light or ()

    def matches(self, low: str, broken: str) -> list[tuple[str, int, int]]:
        """(group name, start, end) of the first alternative matching at each position, in
        text order. `broken` is `low` after a line break: the text is read that way, so
        that an alternative at its very start is found like any other (a line break is what
        the packs' look-behinds, such as "not after another character on the line", see
        before a text's first word)."""
        found: dict[int, tuple[str, int, int]] = {}
        for regex in self._after_break(broken):
            # Each match is the alternative's first character, one past its start in `low`.
            for match in regex.finditer(broken):
                if (name := match.lastgroup) is not None:
                    start = match.start() - 1
                    found[start] = (name, start, match.start(name) - 1)
        if self.inside is not None:
            for match in self.inside.finditer(low):
                name = match.lastgroup
                if name is not None and match.start() not in found:
                    found[match.start()] = (name, match.start(), match.start(name))
        return sorted(found.values(), key=lambda item: item[1])

    def match_at(self, low: str, broken: str, start: int) -> tuple[str, int, int] | None:
        """(group name, start, end) of the alternative `matches` reports at `start`, or
        None."""
        at = self.first.get(low[start : start + 1])
        if at is not None:
            match = self.after_break[at].match(broken, start + 1)
            if match is not None and (name := match.lastgroup) is not None:
                return name, start, match.start(name) - 1
        if self.inside is not None:
            match = self.inside.match(low, start)
            if match is not None and (name := match.lastgroup) is not None:
                return name, start, match.start(name)
        return None


@dataclass(frozen=True, slots=True)
class Scanner(Generic[T]):
    """Named-group alternations; each group name maps to the payload it reports."""

    lower: Trie
    other: tuple[Standalone, ...]
    original: tuple[Standalone, ...]
    payloads: Mapping[str, T]
    primary: Trie | None = None
    """The primary alternatives alone (a rule set's rules, ahead of its element cues)."""
    shadowing: frozenset[str] = frozenset()
    """The other alternatives that the trie tries before a primary one starting with the same
    character: where one of them wins a position, a primary one may match there too."""

    def matches(self, text: str, low: str) -> list[tuple[T, int, int]]:
        """(payload, start, end) for the first alternative that matches at each position, in
        text order, and the first primary alternative where another one came first (a cue
        with a longer literal head). Matches may overlap: a long match never hides one that
        starts inside it."""
        payloads = self.payloads
        broken = "\n" + low
        found = []
        for name, start, end in self.lower.matches(low, broken):
            found.append((payloads[name], start, end))
            if self.primary is not None and name in self.shadowing:
                hidden = self.primary.match_at(low, broken, start)
                if hidden is not None:
                    found.append((payloads[hidden[0]], start, hidden[2]))
        ascii_text = text.isascii()
        scans = [(scan, text) for scan in self.original]
        scans += [(scan, low) for scan in self.other]
        for scan, subject in scans:
            if not scan.may_match(subject, low, ascii_text):
                continue
            for match in scan.regex.finditer(subject):
                group = match.lastgroup
                if group is not None and match.end() > match.start():
                    found.append((payloads[group], match.start(), match.end()))
        if self.original or self.other:
            found.sort(key=lambda item: item[1])
        return found


def build_scanner(
    alternatives: Sequence[tuple[str, bool, T]], primary: Callable[[T], bool] | None = None
) -> Scanner[T]:
    """Compile (regex source, case-sensitive?, payload) alternatives into a Scanner. Where an
    alternative whose payload is not `primary` wins a position, the first primary
    alternative matching there is reported too."""
    root = TrieNode()
    primary_names: set[str] = set()
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
                if primary is not None and primary(payload):
                    primary_names.add(name)
            else:
                regex = re.compile(f"(?:{variant})(?P<{name}>)")
                other.append(Standalone.of(regex, False))
    shadowing, hidden = _shadowing(root, primary_names)
    first = root.pruned(hidden)
    return Scanner(
        lower=lookahead_regexes(root, light=True),
        other=tuple(other),
        original=tuple(original),
        payloads=payloads,
        primary=lookahead_regexes(first) if first is not None else None,
        shadowing=shadowing,
    )


def _shadowing(root: TrieNode, primary: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Which alternatives can hide a primary one, and which primary ones can be hidden: the
    names of the alternatives other than `primary` that the trie tries before a primary
    alternative that may match at the same position, and the names of those primary
    alternatives. (In the order the trie tries them: children before tails, those at a word
    start before the others; two alternatives may match at one position unless their literal
    heads differ in a character.)"""
    shadowing: set[str] = set()
    hidden: set[str] = set()
    kinds: dict[int, tuple[bool, bool]] = {}

    def kind(node: TrieNode) -> tuple[bool, bool]:
        """Whether the subtree holds a primary alternative, and another one."""
        if id(node) not in kinds:
            names = node.names()
            kinds[id(node)] = (
                any(n in primary for n in names),
                any(n not in primary for n in names),
            )
        return kinds[id(node)]

    def key(atom: str) -> str:
        """The character an atom matches; white space may be several characters."""
        if atom == WHITESPACE or atom.isspace():
            return WHITESPACE
        return atom[1:] if atom.startswith("\\") else atom

    def visit(
        children: list[tuple[str, TrieNode]],
        tails: list[str],
        other_before: bool,
        primary_after: bool,
    ) -> None:
        before = other_before or any(kind(child)[1] for _, child in children)
        for name in tails:
            if name not in primary:
                before = True
            elif before:
                hidden.add(name)
        after = primary_after
        for name in reversed(tails):
            if name in primary:
                after = True
            elif after:
                shadowing.add(name)
        after = after or any(name in primary for name in tails)
        for index, (atom, child) in enumerate(children):
            # A sibling whose atom may match the same text: the same character, or white
            # space (several characters, so what follows may line up).
            near = [
                (at, kind(other))
                for at, (other_atom, other) in enumerate(children)
                if at != index
                and (key(other_atom) == key(atom) or WHITESPACE in (key(atom), key(other_atom)))
            ]
            visit(
                list(child.children.items()),
                [name for _, name in child.tails],
                other_before or any(k[1] for at, k in near if at < index),
                after or any(k[0] for at, k in near if at > index),
            )

    boundary = root.children.get(BOUNDARY)
    top = list(boundary.children.items()) if boundary is not None else []
    top += [(atom, child) for atom, child in root.children.items() if atom != BOUNDARY]
    visit(top, [], False, False)
    return frozenset(shadowing), frozenset(hidden)


def lookahead_regexes(root: TrieNode, light: bool = False) -> Trie:
    """The trie as scanning regexes. Each match checks the alternative in a lookahead, so
    matches can overlap.

    Alternatives that start at a word boundary are found from their first character, with
    a non-word character before it: each regex starts with a class of the first characters
    it holds, which lets the engine skip, in C, to the next of them, where a leading "word
    boundary" test would be tried (and fail) at every character inside words. They are
    split into several regexes by first character, at most `_PER_REGEX` alternatives each
    (no two regexes can match at one position): the engine builds a match object with a
    slot for every group of its regex, and one regex of thousands of alternatives made each
    match cost several microseconds. (`Trie.matches` puts a line break before the text for
    position 0.)

    With `light`, also the light regexes' sources and their gates (see `Trie.light`), for a
    trie that scans whole texts (the primary alternatives are only matched at single
    positions)."""
    boundary = root.children.pop(BOUNDARY, None)
    after_break: tuple[re.Pattern[str], ...] = ()
    first: dict[str, int] = {}
    lighter = inside = None
    gates: dict[Needs, None] = {}
    if boundary is not None:
        groups = _first_character_groups(boundary)
        after_break = tuple(re.compile(_word_start_source(boundary, g)) for g in groups)
        first = {_character(atom): at for at, group in enumerate(groups) for atom in group}
        gated = _gated(boundary) if light else {}
        gates = dict.fromkeys(gated.values())
        if gated:
            rest = boundary.pruned(frozenset(boundary.names()) - gated.keys())
            kept = [[a for a in g if rest is not None and a in rest.children] for g in groups]
            lighter = tuple(_word_start_source(rest, group) for group in kept if rest and group)
    if root.children:
        inside = re.compile(
            "|".join(
                f"{atom_regex(atom)}(?={child.emit()})" for atom, child in root.children.items()
            )
        )
    # The gates most likely met first (their shortest strings), so that a text which needs
    # the whole regex finds that out after a few searches.
    order = sorted(gates, key=lambda g: min((len(s) for c in g.strings for s in c), default=0))
    strings = {s for gate in order for choice in gate.strings for s in choice}
    wordy = frozenset(s for s in strings if _WORD_RUN.fullmatch(s))
    return Trie(after_break, first, inside, lighter, tuple(order), wordy)


def _character(atom: str) -> str:
    """The character a literal atom matches."""
    return atom[1:] if atom.startswith("\\") else atom


def _first_character_groups(boundary: TrieNode) -> list[list[str]]:
    """The first atoms of the word-start alternatives, grouped (first fit, the atoms with
    most alternatives first) into groups of at most `_PER_REGEX` alternatives, unless one
    atom has more. An atom that is not a word character is left out: after a non-word
    character, no word boundary comes before it, so it can never match."""
    sizes = {
        atom: len(child.names())
        for atom, child in boundary.children.items()
        if _WORD_RUN.fullmatch(_character(atom))
    }
    groups: list[list[str]] = []
    counts: list[int] = []
    for atom in sorted(sizes, key=lambda a: (-sizes[a], a)):
        for at, count in enumerate(counts):
            if count + sizes[atom] <= _PER_REGEX:
                groups[at].append(atom)
                counts[at] += sizes[atom]
                break
        else:
            groups.append([atom])
            counts.append(sizes[atom])
    return groups


def _word_start_source(boundary: TrieNode, atoms: list[str]) -> str:
    """The regex of the word-start alternatives that start with `atoms`: each match is the
    first character, after a non-word character, and the rest of the alternative is
    checked in a lookahead."""
    parts = []
    for atom in atoms:
        first = atom_regex(atom)
        parts.append(f"{first}(?<=[^\\w]{first})(?={boundary.children[atom].emit()})")
    return "|".join(parts)


def _gated(node: TrieNode) -> dict[str, Needs]:
    """The alternatives of the subtree whose tails read a window ahead and need strings a
    text may lack, with what they need (read from the tail alone: the literal head is there
    wherever the tail is tried)."""
    gated: dict[str, Needs] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        stack += current.children.values()
        for tail, name in current.tails:
            try:
                need = window_needs(tail)
            except re.error:
                continue
            if need is not None and (need.strings or need.non_ascii):
                # The sets of fewest strings first: a text that lacks what the tail needs
                # is told so after the fewest searches.
                gated[name] = Needs(tuple(sorted(need.strings, key=len)), need.non_ascii)
    return gated
